# SNI as the server sees it. TCP mode: openssl s_server -servername
# example.test -servername_fatal refuses any other name, so "sni
# str(example.test)" passes and "sni str(localhost)" fails (SC, and an
# alert with the reason). HTTP mode: "sni req.hdr(host)" sends each
# request's Host to a TLS origin that echoes the SNI it got (evaluated
# before the request head leaves). With -d and a counting mbedTLS, hlproxy
# tells the memory each TLS connection held.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tls_lib.sh"

tls_certs "$T/certs" || fail "cannot make certificates"
srv=$(free_port) ka=$(free_port)
p_ok=$(free_port) p_bad=$(free_port) p_http=$(free_port)
s_server "$srv" good -rev -servername example.test -servername_fatal -cert2 "$T/certs/good.pem" \
	-key2 "$T/certs/good.key"
tls_origin "$ka" good

cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0
    ssl-server-verify none

defaults
    log global
    retries 0
    timeout connect 2s
    timeout client 5s
    timeout server 5s

listen ok
    mode tcp
    option tcplog
    bind 127.0.0.1:$p_ok
    server s1 127.0.0.1:$srv ssl sni str(example.test)

listen bad
    mode tcp
    option tcplog
    bind 127.0.0.1:$p_bad
    server s1 127.0.0.1:$srv ssl sni str(localhost)

listen http
    mode http
    option httplog
    bind 127.0.0.1:$p_http
    http-reuse never
    option http-server-close
    server s1 127.0.0.1:$ka ssl sni req.hdr(host)
CONF

if is_haproxy; then start_hlp "$T/hlp.conf" "$p_ok"; else start_hlp "$T/hlp.conf" "$p_ok" -d; fi

out=$(printf 'hello\n' | timeout 10 nc -q 2 127.0.0.1 "$p_ok")
expect_eq "$out" "olleh" "the SNI the server wants"
out=$(printf 'hello\n' | timeout 10 nc -q 2 127.0.0.1 "$p_bad")
expect_eq "$out" "" "an SNI the server refuses"
wait_grep 1 '\] bad bad/s1 .* SC ' "$T/hlp.log" 5 || fail "no SC log line for the refused SNI"
is_haproxy || expect_grep "Server bad/s1: TLS: handshake failed: SSL - A fatal alert message was received from our peer" \
	"$T/hlp.log" "reason of the refused SNI"

for host in one.example two.example; do
	out=$(curl -s -m 10 -H "Host: $host" "http://127.0.0.1:$p_http/x")
	case "$out" in "conn="*" sni=$host path=/x") ;; *) fail "sni req.hdr(host) for $host: got '$out'" ;; esac
done
is_haproxy && exit 0
"$HLP" -vv | grep -q "allocations : counted" || { stop_hlp; exit 0; }   # Debian's 2.28: not counted
wait_grep 1 "TLS connection closed: [0-9]* bytes of mbedTLS memory held, [0-9]* at most" "$T/hlp.log" 5 ||
	fail "-d does not tell the TLS memory"
grep "TLS connection closed" "$T/hlp.log" | head -3
stop_hlp
