# "server ... ssl" in TCP mode against openssl s_server -rev (it answers
# each line reversed): a verified session with ca-base + ca-file, then
# each way verification fails (expired, wrong name, unknown CA): the client
# connection closes with no data, the log says SC and an alert says why.
# "verify none" accepts the expired certificate.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tls_lib.sh"

tls_certs "$T/certs" || fail "cannot make certificates"
good=$(free_port) expired=$(free_port) wrong=$(free_port)
p_ok=$(free_port) p_none=$(free_port) p_exp=$(free_port) p_name=$(free_port) p_ca=$(free_port)
s_server "$good" good -rev
s_server "$expired" expired -rev
s_server "$wrong" wrong -rev

cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0
    ca-base $T/certs

defaults
    mode tcp
    log global
    option tcplog
    retries 0
    timeout connect 2s
    timeout client 5s
    timeout server 5s

listen ok
    bind 127.0.0.1:$p_ok
    server s1 127.0.0.1:$good ssl verify required ca-file ca.pem

listen none
    bind 127.0.0.1:$p_none
    server s1 127.0.0.1:$expired ssl verify none

listen expired
    bind 127.0.0.1:$p_exp
    server s1 127.0.0.1:$expired ssl verify required ca-file $T/certs/ca.pem

listen name
    bind 127.0.0.1:$p_name
    server s1 127.0.0.1:$wrong ssl verify required ca-file ca.pem sni str(localhost)

listen unknownca
    bind 127.0.0.1:$p_ca
    server s1 127.0.0.1:$good ssl ca-file other-ca.pem
CONF

start_hlp "$T/hlp.conf" "$p_ok"

out=$(printf 'hello\n' | timeout 10 nc -q 2 127.0.0.1 "$p_ok")
expect_eq "$out" "olleh" "verified TLS session"
out=$(printf 'expired but not checked\n' | timeout 10 nc -q 2 127.0.0.1 "$p_none")
expect_eq "$out" "dekcehc ton tub deripxe" "verify none"

for p in "$p_exp" "$p_name" "$p_ca"; do
	out=$(printf 'hello\n' | timeout 10 nc -q 2 127.0.0.1 "$p")
	expect_eq "$out" "" "a refused certificate gives no data (port $p)"
done
wait_grep 1 '\] unknownca unknownca/s1 .* SC ' "$T/hlp.log" 5 || fail "no SC log line for the unknown CA"
for n in expired name; do
	expect_grep "\] $n $n/s1 .* SC " "$T/hlp.log" "log of '$n'"
done
if ! is_haproxy; then
	expect_grep "Server expired/s1: TLS: server certificate verification failed: certificate expired" "$T/hlp.log" "expired reason"
	expect_grep "Server name/s1: TLS: server certificate verification failed: wrong name" "$T/hlp.log" "wrong-name reason"
	expect_grep "Server unknownca/s1: TLS: server certificate verification failed: unknown CA" "$T/hlp.log" "unknown-CA reason"
fi
# the proxy still works after the failures
out=$(printf 'again\n' | timeout 10 nc -q 2 127.0.0.1 "$p_ok")
expect_eq "$out" "niaga" "verified TLS session after failures"
is_haproxy || stop_hlp
