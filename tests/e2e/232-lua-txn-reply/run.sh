#!/usr/bin/env bash
# txn:reply() and the Reply class (status, reason, headers, body fields;
# set_status, add_header, del_header, set_body), txn:done(reply) with a
# Reply or a plain table, from an http-request action (the origin never
# sees the request) and from an http-response action (the server's
# response is replaced), txn:done() without a reply (the connection
# closes with no answer), keep-alive after a reply, a HEAD request, an
# HTTP/1.0 client, the Lua action stopping at txn:done(), and the
# HAProxy 1.6 txn:get_headers() (the request headers, as
# req_get_headers() gives them). txn:reply() in TCP mode is an error.
#
# Compared with HAProxy 2.6.12 (REF=1 HLP=/usr/sbin/haproxy runs this
# case against it, skipping the checks of the differences below): the
# same Reply fields and method results, the same answers (status line,
# headers, the content-length of the body whatever the script set, a
# HEAD answer without its body), keep-alive kept after a reply, no answer
# and a close after txn:done(), nothing run after txn:done(), the same
# replaced response. Differences kept on purpose:
# - a status out of 200..599 in txn:done() gives a 500 (2.6 sends
#   "700 Other");
# - transfer-encoding and connection headers of a reply are left out:
#   the reply has a content-length (2.6 sends "transfer-encoding:
#   chunked" with an unchunked body);
# - a string or number header value in txn:done{} counts like a list of
#   one (2.6 leaves it out there, but takes it in txn:reply{});
# - the status line is HTTP/1.1 for an HTTP/1.0 client too, with
#   "connection: close";
# - txn:get_headers() exists (HAProxy 1.6's; 2.6 removed it).
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/reply.lua" .
REF=${REF:-0}
p_fe=$(free_port); p_or=$(free_port); p_tcp=$(free_port)

cat >h.cfg <<CONF
global
   lua-load reply.lua
   log stderr format raw local0

defaults
   log global
   timeout client 10s
   timeout server 10s
   timeout connect 5s

frontend fe
   mode http
   option httplog
   bind 127.0.0.1:$p_fe
   http-request lua.d
   http-response lua.r
   default_backend be

backend be
   mode http
   server o 127.0.0.1:$p_or

listen tcp
   mode tcp
   bind 127.0.0.1:$p_tcp
   tcp-request inspect-delay 1s
   tcp-request content lua.tcpreply
   server o 127.0.0.1:$p_or
CONF
start_origin "$p_or" "$T/origin.log"
start_hlp h.cfg "$p_fe"
U=http://127.0.0.1:$p_fe

req() {
	local tag=$1 rc
	shift
	curl -sS -m 10 -D "$T/h.$tag" -o "$T/b.$tag" "$@" 2>"$T/e.$tag"
	rc=$?
	echo $rc >"$T/rc.$tag"
	tr -d '\r' <"$T/h.$tag" >"$T/h.$tag.txt"
}
rhdr() { grep -i "^$2: " "$T/h.$1.txt" | head -1 | sed 's/^[^:]*: //'; }
rhdrs() { grep -i "^$2: " "$T/h.$1.txt" | sed 's/^[^:]*: //' | sort | tr '\n' ','; }
status() { head -1 "$T/h.$1.txt"; }

note "a Reply object"
req reply -H 'User-Agent:' "$U/reply"
expect_eq "$(status reply)" "HTTP/1.1 403 Go Away" "reply: status line"
expect_eq "$(rhdr reply x-fields)" "status=200 reason=OK body=nil headers=table()" "reply: defaults"
expect_eq "$(rhdr reply x-rets)" "true,true,true,true,false" "reply: method results"
expect_eq "$(rhdr reply x-after)" \
	"status=403 reason=Go Away body=hello headers=Content-Type=text/x;X-One=1|2;content-length=999" "reply: fields after"
expect_eq "$(rhdrs reply x-one)" "1,2," "reply: two values"
expect_eq "$(rhdr reply content-type)" "text/x" "reply: content-type"
expect_eq "$(rhdrs reply content-length)" "5," "reply: the body's content-length only"
expect_eq "$(rhdr reply x-gone)" "" "reply: del_header"
expect_eq "$(cat "$T/b.reply")" "hello" "reply: body"

req table "$U/table"
expect_eq "$(status table)" "HTTP/1.1 418 I'm a teapot" "table: status and its reason"
expect_eq "$(rhdrs table x-t)" "a,b," "table: headers"
expect_eq "$(cat "$T/b.table")" "tbl" "table: body"

req replytbl "$U/replytbl"
expect_eq "$(status replytbl)" "HTTP/1.1 404 Not Found" "txn:reply{}: status"
expect_eq "$(rhdr replytbl x-copy)" "x-n=5;x-s=str;x-t=a|b reason=Not Found" "txn:reply{}: headers copied, a value as a list"
expect_eq "$(cat "$T/b.replytbl")" "nf" "txn:reply{}: body"

req empty "$U/empty"
expect_eq "$(status empty)" "HTTP/1.1 200 OK" "empty reply: 200"
expect_eq "$(rhdr empty content-length)" "0" "empty reply: no body"

req head -I "$U/head"
expect_eq "$(rhdr head content-length)" "5" "HEAD: the body's length"
cmp -s "$T/b.head" "$T/h.head" || fail "HEAD: a body came"

req noreply "$U/noreply"
expect_eq "$(cat "$T/rc.noreply")" 52 "txn:done() without a reply: no answer ($(cat "$T/e.noreply"))"

req after "$U/after"
expect_eq "$(cat "$T/b.after")" "x" "after: the reply"
grep -q "^REQ [0-9]* GET /\(reply\|table\|replytbl\|empty\|head\|noreply\|after\)" "$T/origin.log" &&
	fail "the origin saw a request that Lua answered"

note "keep-alive after a reply"
out=$(curl -sS -m 10 -w '[%{num_connects}]\n' "$U/table" "$U/echo" -o /dev/null -o "$T/b.ka")
expect_eq "$(echo $out)" "[1] [0]" "one connection for the reply and the next request"
grep -q "^GET /echo HTTP/1.1" "$T/b.ka" || fail "keep-alive: the origin's answer"

note "from an http-response action"
req res "$U/status/503"
case "$(status res)" in "HTTP/1.1 299 "*) ;; *) fail "response replaced: $(status res)" ;; esac
expect_eq "$(rhdr res x-from)" "response action" "response replaced: header"
expect_eq "$(cat "$T/b.res")" "replaced" "response replaced: body"
expect_eq "$(rhdr res x-req)" "" "response replaced: nothing of the server's"

if [ "$REF" != 1 ]; then
	note "hlproxy only"
	req bad "$U/badstatus"
	expect_eq "$(status bad)" "HTTP/1.1 500 Internal Server Error" "status 700: 500"
	req te --raw "$U/te"
	expect_eq "$(rhdr te transfer-encoding)" "" "transfer-encoding left out"
	expect_eq "$(rhdr te content-length)" "3" "te: content-length"
	expect_eq "$(cat "$T/b.te")" "abc" "te: body"
	req gh -H 'User-Agent:' -H 'Accept: a' -H 'accept: b' "$U/getheaders"
	expect_eq "$(rhdr gh x-get)" "accept=a|b;host=127.0.0.1:$p_fe" "txn:get_headers()"
	expect_eq "$(rhdr gh x-same)" "true" "txn:get_headers() is req_get_headers()"
	printf 'GET /table HTTP/1.0\r\n\r\n' >r10.txt
	timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p_fe; cat r10.txt >&3; cat <&3" | tr -d '\r' >o10.txt
	expect_eq "$(head -1 o10.txt)" "HTTP/1.1 418 I'm a teapot" "HTTP/1.0: status line"
	grep -q '^connection: close$' o10.txt || fail "HTTP/1.0: no connection: close"
fi

note "TCP mode"
exec 3<>/dev/tcp/127.0.0.1/$p_tcp || fail "tcp: cannot connect"
printf 'x\n' >&3
read -r -t 5 line <&3 || fail "tcp: no answer"
exec 3>&-
case "$line" in "false "*"not an HTTP transaction"*) ;; *) fail "txn:reply() in TCP mode: $line" ;; esac

[ "$REF" = 1 ] || stop_hlp
echo ok
