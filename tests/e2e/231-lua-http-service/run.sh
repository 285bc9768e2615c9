#!/usr/bin/env bash
# HTTP services: core.register_service(name, "http", fn) behind
# "http-request use-service lua.NAME", and the AppletHTTP class: method,
# version, path, qs, length, headers; set_status, add_header,
# start_response, send (chunked without a content-length, one chunk per
# send); receive() and receive(n) over a 1 MB body, content-length and
# chunked, checked by sha256 (streamed back as it comes, and read whole);
# a line protocol read with getline() over a body larger than a buffer;
# a 3 MB chunked answer; a HEAD request; a 204; a Lua error before the
# response (500, logged) and after it (the connection is aborted); a
# service that answers nothing (500); fewer bytes than the content-length
# announced (the connection closes); core.done(); Expect: 100-continue;
# an HTTP/1.0 client (the body ends with the connection); keep-alive
# across service requests (curl's %{num_connects}); get_priv/set_priv
# shared with an action, get_var/set_var/unset_var, f/sf/c/sc.
#
# Compared with HAProxy 2.6.12 (haproxy -db, same configuration and Lua;
# REF=1 HLP=/usr/sbin/haproxy runs this case against it, skipping the
# checks of the differences below): the same fields, bodies and sha256
# sums, getline results, 500 pages, aborted answer, keep-alive. Differences
# kept on purpose:
# - send() before start_response() starts the response (2.6: a Lua error,
#   so a 500);
# - a response shorter than its content-length closes the connection at
#   the end of the service (2.6 leaves the client waiting for the rest
#   until its timeout);
# - header names go out lower-cased as in 2.6;
# - a second start_response() does nothing (2.6 sends a broken answer),
#   add_header() and set_status() return false once the response started
#   (2.6 returns true and ignores them);
# - the length of a chunked body is 0 (2.6: the bytes of it that arrived
#   before the service started: the whole of a small body, often 0 for a
#   big one);
# - the private value set by an action is the service's get_priv() (2.6:
#   nil), as for TCP services.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/svc.lua" .
REF=${REF:-0}
p_fe=$(free_port)

cat >h.cfg <<CONF
global
   lua-load svc.lua
   log stderr format raw local0

defaults
   mode http
   log global
   option httplog
   timeout client 10s
   timeout server 10s
   timeout connect 5s

frontend fe
   bind 127.0.0.1:$p_fe
   http-request lua.before
   http-request use-service lua.svc
CONF
start_hlp h.cfg "$p_fe"
U=http://127.0.0.1:$p_fe

# req TAG CURL-ARGS...: head in h.TAG.txt, body in b.TAG, curl's status in rc.TAG
req() {
	local tag=$1 rc
	shift
	curl -sS -m 20 -D "$T/h.$tag" -o "$T/b.$tag" "$@" 2>"$T/e.$tag"
	rc=$?
	echo $rc >"$T/rc.$tag"
	tr -d '\r' <"$T/h.$tag" >"$T/h.$tag.txt"
}
rhdr() { grep -i "^$2: " "$T/h.$1.txt" | head -1 | sed 's/^[^:]*: //'; }
status() { head -1 "$T/h.$1.txt"; }
line() { grep "^$2=" "$T/b.$1" | head -1 | sed "s/^$2=//"; }

note "GET: the request's fields"
req get -H 'User-Agent:' -H 'Accept: a' -H 'accept: b' "$U/info/x?a=1&b"
expect_eq "$(status get)" "HTTP/1.1 200 OK" "info: status"
expect_eq "$(rhdr get content-length)" "$(wc -c <"$T/b.get" | tr -d ' ')" "info: content-length"
expect_eq "$(rhdr get content-type)" "text/plain" "info: content-type"
expect_eq "$(line get method)" GET "method"
expect_eq "$(line get version)" HTTP/1.1 "version"
expect_eq "$(line get path)" /info/x "path"
expect_eq "$(line get qs)" "a=1&b" "qs"
expect_eq "$(line get length)" "0(integer)" "length without a body"
expect_eq "$(line get headers)" "accept=a|b;host=127.0.0.1:$p_fe" "headers"
expect_eq "$(line get body)" "" "no body"
expect_eq "$(line get again)" "[]" "receive() at the end"
expect_eq "$(line get line)" "[]" "getline() at the end"

req post -H 'User-Agent:' -H 'Accept:' --data-binary 'hello body' "$U/info"
expect_eq "$(line post method)" POST "POST: method"
expect_eq "$(line post qs)" "" "POST: no query string"
expect_eq "$(line post length)" "10(integer)" "POST: length"
expect_eq "$(line post body)" "hello body" "POST: body"
req chk -H 'Transfer-Encoding: chunked' --data-binary 'hello chunk' "$U/info?"
[ "$REF" = 1 ] || expect_eq "$(line chk length)" "0(integer)" "chunked: length is 0"
expect_eq "$(line chk body)" "hello chunk" "chunked: body"

note "1 MB POST read with receive(), sha256"
head -c 1048576 /dev/urandom >big.bin
want=$(sha256sum <big.bin | cut -d' ' -f1)
for mode in cl chunked; do
	te=()
	[ $mode = chunked ] && te=(-H 'Transfer-Encoding: chunked')
	req echo-$mode "${te[@]}" --data-binary @big.bin "$U/echo"
	expect_eq "$(cat "$T/rc.echo-$mode")" 0 "echo ($mode): curl: $(cat "$T/e.echo-$mode")"
	expect_eq "$(sha256sum <"$T/b.echo-$mode" | cut -d' ' -f1)" "$want" "receive(4096) streamed back ($mode)"
	expect_eq "$(rhdr echo-$mode transfer-encoding)" chunked "echo ($mode): chunked answer"
	req echoall-$mode "${te[@]}" --data-binary @big.bin "$U/echoall"
	expect_eq "$(sha256sum <"$T/b.echoall-$mode" | cut -d' ' -f1)" "$want" "receive() whole ($mode)"
	expect_eq "$(rhdr echoall-$mode content-length)" 1048576 "echoall ($mode): content-length"
done
req expect -H 'Expect: 100-continue' --data-binary @big.bin "$U/echoall"
expect_eq "$(sha256sum <"$T/b.expect" | cut -d' ' -f1)" "$want" "Expect: 100-continue"
grep -q "^HTTP/1.1 100 Continue" "$T/h.expect.txt" || fail "no 100 Continue"

note "getline() over a body larger than a buffer"
awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "add %d\n", i; printf "add 7\r\nlast line" }' >lines.txt
req lines --data-binary @lines.txt "$U/lines"
expect_eq "$(cat "$T/b.lines")" 'lines=20002 sum=200010007 last="last line"' "line protocol"
req lines-chk -H 'Transfer-Encoding: chunked' --data-binary @lines.txt "$U/lines"
expect_eq "$(cat "$T/b.lines-chk")" 'lines=20002 sum=200010007 last="last line"' "line protocol (chunked)"
printf 'one\n\ntwo' >l2.txt
req lines2 --data-binary @l2.txt "$U/lines"
expect_eq "$(cat "$T/b.lines2")" 'lines=3 sum=0 last="two"' "an empty line is \"\\n\", the last one lacks it"

note "chunked answer, status and reason"
req gen --raw "$U/gen?3000000"
expect_eq "$(status gen)" "HTTP/1.1 201 Made Here" "gen: status"
expect_eq "$(rhdr gen x-gen)" 3000000 "gen: header"
expect_eq "$(rhdr gen transfer-encoding)" chunked "gen: chunked"
tail -c 5 "$T/b.gen" | od -c | head -1 | grep -q '0  \\r  \\n  \\r  \\n' || fail "gen: no last chunk"
req gen2 "$U/gen?3000000"
expect_eq "$(wc -c <"$T/b.gen2" | tr -d ' ')" 3000000 "gen: de-chunked size"
req head -I "$U/gen?100"
expect_eq "$(status head)" "HTTP/1.1 201 Made Here" "HEAD: status"
cmp -s "$T/b.head" "$T/h.head" || fail "HEAD: a body came"   # curl -I writes the head as its output
req nc "$U/nocontent"
expect_eq "$(status nc)" "HTTP/1.1 204 No Content" "204"
expect_eq "$(wc -c <"$T/b.nc" | tr -d ' ')" 0 "204: no body"
expect_eq "$(rhdr nc transfer-encoding)" "" "204: no transfer-encoding"
req st "$U/status"
expect_eq "$(status st)" "HTTP/1.1 418 I'm a teapot" "set_status(418)"
expect_eq "$(grep -ci '^x-a: ' "$T/h.st.txt")" 2 "two x-a headers"
expect_eq "$(rhdr st x-late)" "" "no late header"
[ "$REF" = 1 ] || expect_eq "$(cat "$T/b.st")" "false false true false false" "set_status/add_header results"
req done "$U/done"
expect_eq "$(cat "$T/b.done")" "done" "core.done()"
if [ "$REF" != 1 ]; then
	req auto "$U/auto"
	expect_eq "$(cat "$T/b.auto")" "automatic" "send() starts the response"
	req twice "$U/twice"
	expect_eq "$(cat "$T/b.twice")" "one two" "a second start_response()"
	req short "$U/short"
	expect_eq "$(cat "$T/rc.short")" 18 "short answer: the connection closes ($(cat "$T/e.short"))"
fi

note "errors"
req err1 "$U/err1"
expect_eq "$(status err1)" "HTTP/1.1 500 Internal Server Error" "error before the response"
grep -q "Lua applet http 'svc': runtime error: .*failed before answering" hlp.log || [ "$REF" = 1 ] || fail "error not logged"
req err2 "$U/err2"
expect_eq "$(status err2)" "HTTP/1.1 200 OK" "error after the response started: status"
expect_eq "$(cat "$T/rc.err2")" 18 "error after the response started: aborted ($(cat "$T/e.err2"))"
req silent "$U/silent"
expect_eq "$(status silent)" "HTTP/1.1 500 Internal Server Error" "no answer: 500"

note "HTTP/1.0 client"
printf 'GET /gen?20 HTTP/1.0\r\n\r\n' >r10.txt
timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p_fe; cat r10.txt >&3; cat <&3" >o10.txt || fail "HTTP/1.0: no answer"
tr -d '\r' <o10.txt >o10b.txt
grep -q '^transfer-encoding' o10b.txt && fail "HTTP/1.0: chunked answer"
expect_eq "$(head -n 1 o10b.txt)" "HTTP/1.0 201 Made Here" "HTTP/1.0: answered in HTTP/1.0, as 2.6"
expect_eq "$(tail -c 20 o10b.txt)" "0123456789abcdef0123" "HTTP/1.0: body until close"

note "keep-alive across service requests"
out=$(curl -sS -m 10 -w '[%{num_connects}]\n' "$U/hello" "$U/hello" "$U/info" -o /dev/null -o /dev/null -o /dev/null)
expect_eq "$(echo $out)" "[1] [0] [0]" "one connection for three requests"
out=$(curl -sS -m 10 -w '[%{num_connects}]\n' "$U/echoall" --data-binary 'abc' "$U/hello" -o /dev/null -o /dev/null)
expect_eq "$(echo $out)" "[1] [0]" "keep-alive after a POST"
out=$(curl -sS -m 10 -w '[%{num_connects}]\n' "$U/err1" "$U/hello" -o /dev/null -o /dev/null)
expect_eq "$(echo $out)" "[1] [0]" "keep-alive after a 500"

note "private value, variables, fetches, converters"
req ctx "$U/ctx"
for kv in txnvar=yes set=true get=val unset=true get2=nil src=127.0.0.1 ssrc=127.0.0.1 upper=ABC lower=abc priv2=p2; do
	grep -q " ${kv}\( \|$\)\|^${kv} " "$T/b.ctx" || fail "ctx: $kv not in: $(cat "$T/b.ctx")"
done
[ "$REF" = 1 ] || grep -q "^priv=p1 " "$T/b.ctx" || fail "ctx: the action's private value: $(cat "$T/b.ctx")"

[ "$REF" = 1 ] || grep -q 'fe fe/<lua.svc> .* 200 .*"GET /hello HTTP/1.1"' hlp.log || fail "no httplog line for the service"
[ "$REF" = 1 ] || stop_hlp
echo ok
