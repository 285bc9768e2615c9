# Chunked bodies with trailers, small and larger than a kilobyte: through
# the proxy to the origin (which sums the body), and read by a Lua service
# with receive(); a pipelined request behind each must still be answered.
# Checked against HAProxy 2.6 too (HLP=/usr/sbin/haproxy).
. "$TOP/tests/lib.sh"

og=$(free_port)
fp=$(free_port)
fs=$(free_port)
cat >"$T/svc.lua" <<'LUA'
core.register_service("rd", "http", function(applet)
	local body = applet:receive() or ""
	applet:set_status(200)
	applet:add_header("content-length", tostring(#body + 1))
	applet:start_response()
	applet:send(body .. "\n")
end)
LUA
cat >"$T/hlp.conf" <<CONF
global
    lua-load $T/svc.lua

defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s

listen proxy
    bind 127.0.0.1:$fp
    server o 127.0.0.1:$og

listen svc
    bind 127.0.0.1:$fs
    http-request use-service lua.rd
CONF
start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fp"
wait_port "$fs" || fail "service listener"

big=$(printf 'v%.0s' $(seq 3000))
# req PATH TRAILER: a chunked POST of "hello" with one trailer, then a GET /echo-next
req() {
	printf 'POST %s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: %s\r\n\r\nGET /echo-next HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' "$1" "$2"
}
h=$(printf hello | sha256sum | cut -d' ' -f1)
for t in small "$big"; do
	n=${#t}
	out=$(req /sum "$t" | http_raw "$fp" 5 | python3 "$TOP/tests/origin.py" --parse | cut -d' ' -f1,3,4 | tr '\n' '|')
	expect_eq "$out" "200 5 $h|200 GET /echo-next|END|" "proxy, a $n-byte trailer: the body summed, the next request answered"
	out=$(req / "$t" | http_raw "$fs" 5 | python3 "$TOP/tests/origin.py" --parse | cut -d' ' -f1-3 | tr '\n' '|')
	expect_eq "$out" "200 6 hello|200 1 |END 0|" "service, a $n-byte trailer: receive() gets the body, the next request answered"
done
exit 0
