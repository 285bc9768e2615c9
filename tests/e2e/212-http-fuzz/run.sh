# A smoke fuzz of the HTTP front: a few thousand mutated requests (CR, LF,
# NUL, colons, framing headers, huge chunk sizes, random bytes...) through
# header rules, a Lua action and a Lua HTTP service, in random slices.
# Nothing is checked but survival: the proxy keeps serving a clean request
# afterwards, and under ASan/UBSan any memory error fails the run.
. "$TOP/tests/lib.sh"

fe=$(free_port)
og=$(free_port)
svc=$(free_port)
cat >"$T/f.lua" <<'LUA'
core.register_action("act", { "http-req" }, function(txn)
	local h = txn.http:req_get_headers()
	local n = 0
	for _ in pairs(h) do n = n + 1 end
	txn.http:req_set_header("x-n", tostring(n))
end)
core.register_service("svc", "http", function(applet)
	local body = applet:receive() or ""
	applet:set_status(200)
	applet:start_response()
	applet:send(#body .. "\n")
end)
LUA
cat >"$T/hlp.conf" <<CONF
global
    lua-load $T/f.lua

defaults
    mode http
    timeout connect 1s
    timeout client 2s
    timeout server 2s
    timeout http-request 1s

listen a
    bind 127.0.0.1:$fe
    http-request set-header X-A %[req.hdr(host)]
    http-request lua.act
    http-response add-header X-B b
    server s 127.0.0.1:$og

listen svc
    bind 127.0.0.1:$svc
    http-request use-service lua.svc
CONF
start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fe"
wait_port "$svc" || fail "service listener"
python3 "$CASE/fuzz.py" "$fe" 1 1500 >"$T/f1.out" &
f1=$!
python3 "$CASE/fuzz.py" "$svc" 2 1500 >"$T/f2.out" &
f2=$!
wait $f1 || fail "fuzz client 1"
wait $f2 || fail "fuzz client 2"
grep -q "^sent 1500$" "$T/f1.out" || fail "proxy fuzz: $(cat "$T/f1.out")"
grep -q "^sent 1500$" "$T/f2.out" || fail "service fuzz: $(cat "$T/f2.out")"
kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy died"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$fe/echo")" 200 "a clean request afterwards"
expect_eq "$(curl -s "http://127.0.0.1:$svc/" --data-binary abc)" 3 "the service afterwards"
grep -qi "sanitizer" "$T/hlp.log" && fail "sanitizer report"
exit 0
