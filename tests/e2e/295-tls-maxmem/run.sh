# tune.tls.maxmem caps what mbedTLS allocates: 40 connections at once to
# an s_server that handshakes one at a time hold about 35 KB each, so with
# a 1 MB cap some are refused with a message saying why, and once they are
# gone a new connection works. hlproxy only, and only with an mbedTLS that
# lets hlproxy count (MBEDTLS_PLATFORM_MEMORY: make hlproxy-mbedtls3).
. "$TOP/tests/lib.sh"
. "$TOP/tests/tls_lib.sh"
is_haproxy && exit 0
"$HLP" -vv | grep -q "allocations : counted" || { note "mbedTLS allocations not counted: skipped"; exit 0; }

tls_certs "$T/certs" || fail "cannot make certificates"
srv=$(free_port) p=$(free_port)
s_server "$srv" good -rev
cat >"$T/hlp.conf" <<CONF
global
    tune.tls.maxmem 1
    ssl-server-verify none
defaults
    mode tcp
    retries 0
    timeout connect 3s
    timeout client 5s
    timeout server 5s
listen t
    bind 127.0.0.1:$p
    server s1 127.0.0.1:$srv ssl
CONF
start_hlp "$T/hlp.conf" "$p"
pids=""
for i in $(seq 1 40); do
	(sleep 2 | nc 127.0.0.1 "$p" >/dev/null 2>&1) &
	pids="$pids $!"
done
wait $pids
wait_grep 1 "Server t/s1: TLS: .*memory cap reached \(tune.tls.maxmem\)" "$T/hlp.log" 5 ||
	fail "no connection refused by the cap"
note "$(grep -c 'memory cap reached' "$T/hlp.log") of 40 refused by the 1 MB cap"
out=$(printf 'hello\n' | timeout 10 nc -q 2 127.0.0.1 "$p")
expect_eq "$out" "olleh" "a connection after the burst"
stop_hlp
