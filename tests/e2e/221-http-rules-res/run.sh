# http-response rules, checked on the response curl receives and compared
# with HAProxy 2.6.12 on the same configuration (this case passes with
# HLP=/usr/sbin/haproxy too):
# - set-header with fetches on the response (status, res.hdr, hdr() which
#   reads the response while response rules run, method still known,
#   res.ver), add-header, del-header, replace-header, replace-value;
# - set-var/unset-var in the response, lua.<action> for http-res;
# - backend response rules run before the frontend's;
# - set-status with a reason, with the default reason, and "status" after;
# - deny (502 by default, deny_status 503), return with a string and a
#   hdr (HAProxy 2.6 sends nothing at all when that hdr uses a response
#   fetch such as %[status]: the response is dropped first), redirect
#   location: the origin's body never reaches the client;
# - a rewrite that cannot fit (tune.maxrewrite) answers 500 as HAProxy's
#   strict mode, for a response as for a request.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/rules.lua" .
og=$(free_port); pr=$(free_port); p1=$(free_port); p2=$(free_port); p3=$(free_port)
p4=$(free_port); p5=$(free_port); p6=$(free_port); p7=$(free_port); p8=$(free_port)
cat >hlp.conf <<CONF
global
    lua-load rules.lua
    tune.bufsize 16384
    tune.maxrewrite 1024

defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fr
    bind 127.0.0.1:$pr
    http-response set-header X-Order "%[res.hdr(x-order)],fe"
    default_backend br

backend br
    http-response set-header X-Order be
    http-response set-header X-R "%[status]|%[res.hdr(x-conn)]|%[hdr(x-req)]|%[method]|%[res.ver]"
    http-response add-header X-Add one
    http-response add-header X-Add "two %[res.hdr_cnt(x-add)]"
    http-response del-header X-Conn
    http-response replace-header X-Rep ^(a+)-(.*)\$ \2-\1
    http-response replace-value X-Val ^v([0-9])\$ w\1
    http-response set-var(res.s) status
    http-response set-var(txn.t) str(t)
    http-response unset-var(txn.t)
    http-response set-header X-Vars "%[var(res.s)]|%[var(txn.t)]|"
    http-response lua.rtag x
    http-response set-header X-Tag "%[var(txn.rtag)]"
    server o 127.0.0.1:$og

listen s1
    bind 127.0.0.1:$p1
    http-response set-status 299 reason "Yes Ok"
    http-response set-header X-St "%[status]"
    server o 127.0.0.1:$og

listen s2
    bind 127.0.0.1:$p2
    http-response set-status 404
    server o 127.0.0.1:$og

listen d1
    bind 127.0.0.1:$p3
    http-response deny
    server o 127.0.0.1:$og

listen d2
    bind 127.0.0.1:$p4
    http-response deny deny_status 503
    server o 127.0.0.1:$og

listen r1
    bind 127.0.0.1:$p5
    http-response return status 203 content-type text/plain string "from response" hdr X-Was "%[str(w)]"
    server o 127.0.0.1:$og

listen r2
    bind 127.0.0.1:$p6
    http-response redirect location /else%[res.hdr(x-conn)] code 301
    server o 127.0.0.1:$og

listen big
    bind 127.0.0.1:$p7
    http-response add-header X-Big "%[res.hdr(x-pad)]%[res.hdr(x-pad)]"
    server o 127.0.0.1:$og

listen bigreq
    bind 127.0.0.1:$p8
    http-request add-header X-Big "%[req.hdr(x-pad)]%[req.hdr(x-pad)]"
    server o 127.0.0.1:$og
CONF

start_origin "$og" "$T/origin.log"
start_hlp hlp.conf "$pr"

# hdr NAME FILE: the values of header NAME in the response head FILE
hdr() { tr -d '\r' <"$2" | awk -F': ' -v n="$1" 'tolower($1) == n { print substr($0, length($1) + 3) }'; }

# 1. header rules, fetches, variables, Lua, backend then frontend
curl -s -D h1 -o b1 "http://127.0.0.1:$pr/hdr?X-Rep=aa-bc&X-Val=v1,%20v22,v3&X-Add=zero" || fail "request 1 failed"
expect_eq "$(head -1 h1 | tr -d '\r')" "HTTP/1.1 200 OK" "status line"
expect_eq "$(hdr x-r h1)" "200|2|1|GET|1.1" "fetches in a response rule"
expect_eq "$(hdr x-add h1)" "zero
one
two 2" "add-header"
expect_eq "$(hdr x-conn h1)" "" "del-header"
expect_eq "$(hdr x-rep h1)" "bc-aa" "replace-header"
expect_eq "$(hdr x-val h1)" "w1, v22,w3" "replace-value"
expect_eq "$(hdr x-vars h1)" "200||" "set-var/unset-var"
expect_eq "$(hdr x-tag h1)" "x!" "lua.rtag"
expect_eq "$(hdr x-order h1)" "be,fe" "backend rules before frontend rules"
expect_eq "$(cat b1)" "hdr" "the body"
note "header rules on the response: ok"

# 2. set-status
curl -s -D h2 -o b2 "http://127.0.0.1:$p1/echo" || fail "request 2 failed"
expect_eq "$(head -1 h2 | tr -d '\r')" "HTTP/1.1 299 Yes Ok" "set-status with a reason"
expect_eq "$(hdr x-st h2)" "299" "status after set-status"
curl -s -D h3 -o b3 "http://127.0.0.1:$p2/echo" || fail "request 3 failed"
expect_eq "$(head -1 h3 | tr -d '\r')" "HTTP/1.1 404 Not Found" "set-status without a reason"
grep -q '^GET /echo HTTP/1.1' b3 || fail "set-status: the body is the origin's: $(cat b3)"

# 3. deny, return, redirect in the response: the origin's answer is dropped
curl -s -D h4 -o b4 "http://127.0.0.1:$p3/echo" || fail "request 4 failed"
expect_eq "$(head -1 h4 | tr -d '\r')" "HTTP/1.1 502 Bad Gateway" "http-response deny"
grep -q '<h1>502 Bad Gateway</h1>' b4 || fail "http-response deny: body $(cat b4)"
curl -s -D h5 -o b5 "http://127.0.0.1:$p4/echo" || fail "request 5 failed"
expect_eq "$(head -1 h5 | tr -d '\r')" "HTTP/1.1 503 Service Unavailable" "http-response deny deny_status 503"
grep -q '<h1>503 Service Unavailable</h1>' b5 || fail "deny_status 503: body $(cat b5)"
curl -s -D h6 -o b6 "http://127.0.0.1:$p5/echo" || fail "request 6 failed"
expect_eq "$(head -1 h6 | tr -d '\r')" "HTTP/1.1 203 Non-Authoritative Information" "http-response return"
expect_eq "$(cat b6)" "from response" "http-response return: body"
expect_eq "$(hdr content-type h6)" "text/plain" "http-response return: content-type"
expect_eq "$(hdr x-was h6)" "w" "http-response return: hdr"
curl -s -D h7 -o b7 "http://127.0.0.1:$p6/echo" || fail "request 7 failed"
expect_eq "$(head -1 h7 | tr -d '\r')" "HTTP/1.1 301 Moved Permanently" "http-response redirect"
case "$(hdr location h7)" in /else[0-9]*) ;; *) fail "http-response redirect: location $(hdr location h7)" ;; esac
expect_eq "$(stat -c %s b7)" 0 "http-response redirect: body size"

# 4. a rewrite that does not fit: 500
pad=$(head -c 7000 /dev/zero | tr '\0' a)
curl -s -D h8 -o b8 "http://127.0.0.1:$p7/hdr?X-Pad=$pad" || fail "request 8 failed"
expect_eq "$(head -1 h8 | tr -d '\r')" "HTTP/1.1 500 Internal Server Error" "response rewrite failure"
n=$(count_grep '^REQ ' "$T/origin.log")
curl -s -D h9 -o b9 -H "X-Pad: $pad" "http://127.0.0.1:$p8/echo" || fail "request 9 failed"
expect_eq "$(head -1 h9 | tr -d '\r')" "HTTP/1.1 500 Internal Server Error" "request rewrite failure"
expect_eq "$(count_grep '^REQ ' "$T/origin.log")" "$n" "requests at the origin after a failed rewrite"
curl -s -D h10 -o b10 -H "X-Pad: abc" "http://127.0.0.1:$p8/echo" || fail "request 10 failed"
grep -qix 'x-big: abcabc' <(tr -d '\r' <b10) || fail "a rewrite that fits: $(cat b10)"

kill -0 "$HLP_PID" || fail "the proxy died"
is_haproxy || stop_hlp
exit 0
