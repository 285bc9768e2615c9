# Keep-alive on both sides, counted at the origin (CONN lines of its log,
# X-Conn/X-Req of each answer). Expected counts measured on HAProxy 2.6:
#  - N requests on one client connection use one server connection;
#  - http-reuse safe (the default): the first request of each client
#    session gets a new server connection, its next ones stay on it: 5
#    clients one after the other, 2 requests each -> 5 server connections;
#  - http-reuse always: 5 clients one after the other -> 1 connection;
#  - option http-server-close: a new server connection per request, the
#    client connection stays open; option httpclose in the frontend closes
#    both sides after each answer; in a backend only the server side;
#  - Connection: close from the client (any case, in a token list) closes
#    the client connection after the answer.
. "$TOP/tests/lib.sh"

fe=$(free_port)
fe2=$(free_port)
fa=$(free_port)
fs=$(free_port)
fh=$(free_port)
og=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode http
    log global
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fe
    bind 127.0.0.1:$fe
    default_backend safe

frontend fe_always
    bind 127.0.0.1:$fa
    default_backend always

frontend fe_sc
    bind 127.0.0.1:$fs
    default_backend sc

frontend fe_hc
    bind 127.0.0.1:$fh
    default_backend hc

frontend fe_close
    bind 127.0.0.1:$fe2
    option httpclose
    default_backend safe

backend safe
    server s1 127.0.0.1:$og

backend always
    http-reuse always
    server s1 127.0.0.1:$og

backend sc
    option http-server-close
    server s1 127.0.0.1:$og

backend hc
    option httpclose
    server s1 127.0.0.1:$og
CONF

start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fe"
for p in $fe2 $fa $fs $fh; do wait_port "$p" || fail "frontend on $p"; done
U=http://127.0.0.1:$fe
UA=http://127.0.0.1:$fa
US=http://127.0.0.1:$fs
UH=http://127.0.0.1:$fh

# conns CMD...: runs CMD, prints "<new server connections> <requests>"
conns() {
	local c0 r0
	sleep 0.1
	c0=$(count_grep '^CONN ' "$T/origin.log")
	r0=$(count_grep '^REQ ' "$T/origin.log")
	"$@" >>"$T/client.out" 2>>"$T/client.err" || fail "client failed: $*"
	sleep 0.2
	echo "$(( $(count_grep '^CONN ' "$T/origin.log") - c0 )) $(( $(count_grep '^REQ ' "$T/origin.log") - r0 ))"
}

# one client, four requests: one server connection, X-Req 1..4
curl -s -D "$T/h4" "$U/a" "$U/b" "$U/c" "$U/d" -o /dev/null -o /dev/null -o /dev/null -o /dev/null || fail "curl 4 urls"
expect_eq "$(grep -i '^x-conn:' "$T/h4" | tr -d '\r' | sort -u | wc -l)" 1 "one client, 4 requests: distinct X-Conn values"
expect_eq "$(grep -i '^x-req:' "$T/h4" | tr -d '\r' | awk '{printf "%s ", $2}')" "1 2 3 4 " "one client, 4 requests: X-Req"
expect_eq "$(conns curl -s "$U/e" "$U/f" "$U/g")" "1 3" "one client, 3 requests (server connections, requests)"

seq5() { local i; for i in 1 2 3 4 5; do curl -s "$@" || return 1; done; }
expect_eq "$(conns seq5 "$U/x" "$U/y")" "5 10" "http-reuse safe, 5 clients x 2 requests"
expect_eq "$(conns seq5 "$UA/always1")" "1 5" "http-reuse always, 5 clients x 1 request"
expect_eq "$(conns seq5 "$UA/always2" "$UA/always3")" "0 10" "http-reuse always, 5 more clients x 2 requests (all on the idle one)"
expect_eq "$(conns seq5 "$US/sc" "$US/sc")" "10 10" "option http-server-close, 5 clients x 2 requests"
expect_eq "$(conns curl -s "$UH/hc1" "$UH/hc2" "$UH/hc3")" "3 3" "option httpclose (backend), 1 client x 3 requests"

# http-server-close keeps the client side open
curl -sv "$US/sc1" "$US/sc2" -o /dev/null -o /dev/null 2>"$T/sc.err" || fail "curl sc"
grep -q 'Re-using existing connection' "$T/sc.err" || fail "http-server-close: the client connection was not kept: $(grep '^[<*]' "$T/sc.err")"
grep -qi '^< connection: close' "$T/sc.err" && fail "http-server-close: 'connection: close' sent to the client"
# httpclose in a backend closes the server side only (HAProxy 2.6)
curl -sv "$UH/hc4" "$UH/hc5" -o /dev/null -o /dev/null 2>"$T/hc.err" || fail "curl hc"
grep -q 'Re-using existing connection' "$T/hc.err" || fail "httpclose in a backend: the client connection was not kept: $(grep '^[<*]' "$T/hc.err")"

# httpclose in the frontend: both sides closed after each answer
expect_eq "$(conns curl -s "http://127.0.0.1:$fe2/f1" "http://127.0.0.1:$fe2/f2")" "2 2" "option httpclose (frontend), 1 client x 2 requests"
curl -sv "http://127.0.0.1:$fe2/f3" "http://127.0.0.1:$fe2/f4" -o /dev/null -o /dev/null 2>"$T/fc.err" || fail "curl fe_close"
expect_eq "$(grep -ci '^< connection: close' "$T/fc.err")" 2 "option httpclose (frontend): 'connection: close' in each answer"
grep -q 'Re-using existing connection' "$T/fc.err" && fail "option httpclose (frontend): the client connection was reused"
printf 'GET /f5 HTTP/1.1\r\nHost: a\r\n\r\n' | http_raw "$fe2" 5 >"$T/fc.raw"
[ $? -eq 0 ] || fail "option httpclose (frontend): the proxy did not close the client connection"

# the origin saw "close" for http-server-close / httpclose requests
awk '/^REQ [0-9]+ GET \/sc1 /{p=1; next} /^(REQ|CONN)/{p=0} p' "$T/origin.log" | grep -qi '^  connection: close' ||
	fail "http-server-close: the origin was not told 'connection: close'"

# Connection: close from the client, also in a token list and in capitals
curl -sv -H 'Connection: foo, CLOSE' "$U/cc1" "$U/cc2" -o /dev/null -o /dev/null 2>"$T/cc.err" || fail "curl close"
expect_eq "$(grep -ci '^< connection: close' "$T/cc.err")" 2 "Connection: foo, CLOSE -> 'connection: close' in the answers"
grep -q 'Re-using existing connection' "$T/cc.err" && fail "Connection: close: the client connection was reused"
printf 'GET /cc3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' | http_raw "$fe" 5 >"$T/cc.raw"
[ $? -eq 0 ] || fail "Connection: close: the proxy did not close the client connection"
# other tokens keep the connection alive
curl -sv -H 'Connection: keep-alive, X-Foo' -H 'X-Foo: 1' "$U/k1" "$U/k2" -o /dev/null -o /dev/null 2>"$T/kt.err" || fail "curl tokens"
grep -q 'Re-using existing connection' "$T/kt.err" || fail "Connection: keep-alive, X-Foo: the client connection was not kept"

# two requests in one write after a close: the second one is not served
printf 'GET /p1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /p2 HTTP/1.1\r\nHost: a\r\n\r\n' | http_raw "$fe" 5 >"$T/pc.raw"
[ $? -eq 0 ] || fail "close then a pipelined request: the proxy did not close"
expect_eq "$(grep -c '^HTTP/1.1 ' "$T/pc.raw")" 1 "answers after Connection: close with a pipelined request"
sleep 0.2
grep -q '^REQ [0-9]* GET /p2 ' "$T/origin.log" && fail "a request after Connection: close reached the origin"

kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
