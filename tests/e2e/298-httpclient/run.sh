# core.httpclient (HAProxy's HTTPClient) from a task:
# GET with a header and a query, POST of 70 kB (more than a buffer), a
# chunked answer, HEAD (no body), DELETE, PUT through "dst" (the URL's
# host goes in Host, the connection to dst), and a server that never
# answers (timeout: status 0). Every answer is checked with its status,
# reason, a header and the body. hlproxy only: haproxy 2.6.12's
# httpclient crashes when used from an action ("bogus STREAM spinning")
# and, from a task, stalls on a chunked answer (its known httpclient bugs); its
# GET and POST answers were the same as hlproxy's.
. "$TOP/tests/lib.sh"
if is_haproxy; then
	note "hlproxy only"
	exit 0
fi
cd "$T"
cp "$CASE/hc.lua" .
p=$(free_port); og=$(free_port); sil=$(free_port)
cat >hlp.conf <<CONF
global
    lua-load hc.lua

defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fe
    bind 127.0.0.1:$p
    http-request use-service lua.result

frontend origin
    bind 127.0.0.1:$og
    http-request use-service lua.origin
CONF
# a server that accepts and never answers
bg python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $sil)); s.listen(5)
c = []
while True:
    c.append(s.accept()[0])
"
wait_port "$sil" 5 || fail "silent server"
export HC_BASE="http://127.0.0.1:$og" HC_SILENT="127.0.0.1:$sil"
start_hlp hlp.conf "$p"
for _ in $(seq 100); do
	got=$(curl -s --max-time 5 "http://127.0.0.1:$p/")
	[ "$got" = pending ] || break
	sleep 0.1
done
want="get 200 OK yes GET /get?x=1|post 200 70000|chunked 200 chunked|head 200 []|delete 202 DELETE /del?|put/dst 200 h.invalid:p|timeout 0"
expect_eq "$got" "$want" "httpclient answers"
is_haproxy || stop_hlp
