#!/usr/bin/env bash
# http-response rules on answers made inside the proxy. As HAProxy 2.6
# does (checked against 2.6.12 with this configuration), they run on the
# answer of a Lua HTTP service ("http-request use-service lua.x"): the
# backend's then the frontend's, Lua actions that sleep included, and an
# "http-response deny" turns it into a 502; they do not run on the
# proxy's own replies: "http-request return", "deny", "redirect" and
# txn:done(txn:reply(...)) (2.6 runs only http-after-response rules on
# those, through http_forward_proxy_resp()). Left different: 2.6 also runs
# them on the 500 a failing service gets; here that 500 is sent as is.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/svc.lua" .
for v in p1 p2 p3 p4 p5 p6 p7 p8 p9; do eval "$v=\$(free_port)"; done

cat >h.cfg <<CONF
global
    lua-load svc.lua

defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s

frontend fsvc
    bind 127.0.0.1:$p1
    http-response set-header X-Fe fe
    http-request use-service lua.svc

frontend fsvcbe
    bind 127.0.0.1:$p2
    http-response set-header X-Fe fe
    default_backend bsvc

backend bsvc
    http-response set-header X-Be be
    http-request use-service lua.svc

frontend flua
    bind 127.0.0.1:$p3
    http-response lua.slowres
    http-response set-header X-Fe fe
    http-response del-header x-svc
    http-request use-service lua.chunky

frontend fdenyres
    bind 127.0.0.1:$p4
    http-response deny
    http-request use-service lua.chunky

frontend fret
    bind 127.0.0.1:$p5
    http-response set-header X-Fe fe
    http-request return status 200 content-type text/plain string hi

frontend fdeny
    bind 127.0.0.1:$p6
    http-response set-header X-Fe fe
    http-request deny

frontend fredir
    bind 127.0.0.1:$p7
    http-response set-header X-Fe fe
    http-request redirect location /x

frontend frep
    bind 127.0.0.1:$p8
    http-response set-header X-Fe fe
    http-request lua.rep

frontend fretbe
    bind 127.0.0.1:$p9
    http-response set-header X-Fe fe
    default_backend bret

backend bret
    http-response set-header X-Be be
    http-request return status 200 content-type text/plain string hi
CONF
start_hlp h.cfg "$p1"
for p in $p2 $p3 $p4 $p5 $p6 $p7 $p8 $p9; do wait_port "$p" || fail "listener on $p"; done

# ans PORT: status line, then the header lines (names lower-cased, no
# date), then the body, joined with '|'
ans() {
	curl -s -i "http://127.0.0.1:$1/" | tr -d '\r' |
		awk 'BEGIN { h = 1 } h && /^$/ { h = 0; next }
		     h && NR > 1 { i = index($0, ":"); $0 = tolower(substr($0, 1, i)) substr($0, i + 1) }
		     !/^date:/ { printf "%s|", $0 }'
}

expect_eq "$(ans "$p1")" "HTTP/1.1 200 OK|content-length: 2|x-fe: fe|ok|" "service in a frontend"
expect_eq "$(ans "$p2")" "HTTP/1.1 200 OK|content-length: 2|x-be: be|x-fe: fe|ok|" "service in a backend: the backend's rules, then the frontend's"
expect_eq "$(ans "$p3")" "HTTP/1.1 201 Created|transfer-encoding: chunked|x-lua: slept|x-fe: fe|hello world|" "a Lua http-res action that sleeps, on a chunked service answer"
got=$(ans "$p4")
case "$got" in "HTTP/1.1 502 Bad Gateway|"*) ;; *) fail "http-response deny on a service answer: $got" ;; esac
expect_eq "$(ans "$p5")" "HTTP/1.1 200 OK|content-length: 2|content-type: text/plain|hi|" "http-request return: no http-response rules"
got=$(ans "$p6")
case "$got" in "HTTP/1.1 403 Forbidden|"*x-fe*) fail "http-request deny got the http-response rules: $got" ;; "HTTP/1.1 403 Forbidden|"*) ;; *) fail "deny: $got" ;; esac
expect_eq "$(ans "$p7")" "HTTP/1.1 302 Found|content-length: 0|location: /x|cache-control: no-cache|" "http-request redirect: no http-response rules"
expect_eq "$(ans "$p8")" "HTTP/1.1 201 Created|content-length: 3|rep|" "txn:done(txn:reply()): no http-response rules"
expect_eq "$(ans "$p9")" "HTTP/1.1 200 OK|content-length: 2|content-type: text/plain|hi|" "http-request return in a backend: no http-response rules"

# keep-alive goes on after a ruled service answer
n=$(curl -s -o /dev/null -o /dev/null -w '%{num_connects}\n' "http://127.0.0.1:$p3/a" "http://127.0.0.1:$p3/b" | tr '\n' ' ')
expect_eq "$n" "1 0 " "two requests on one connection to a ruled service"
kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
