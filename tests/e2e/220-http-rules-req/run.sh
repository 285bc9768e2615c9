# http-request rules, checked on the request the origin receives (its log)
# and compared with what HAProxy 2.6.12 sends for the same configuration
# (run this case with HLP=/usr/sbin/haproxy to see it pass there too):
# - set-header (its value computed before the old ones go, all occurrences
#   replaced), add-header twice, del-header by name and with -m
#   beg/end/sub/reg/str (names match without case: HAProxy lower-cases
#   them), replace-header (whole line, \N back-references, a format in the
#   replacement), replace-value (each comma-separated value);
# - set-var/unset-var seen through a format, a sample whose bytes are
#   control characters encoded as %XX in a header (HAProxy's
#   http_encode_map), a sample that fails gives nothing, spaces kept;
# - set-method, set-path (query kept), set-query, set-uri;
# - frontend rules run before backend rules; "allow" ends the frontend's
#   list but the backend's still run; "reject" closes without an answer;
# - lua.<action> with two arguments; "lua <function>" (the seed's form,
#   hlproxy only).
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/rules.lua" .
og=$(free_port); pa=$(free_port); pb=$(free_port); pc=$(free_port); pd=$(free_port)
old=""
is_haproxy || old="    http-request lua old_style"
cat >hlp.conf <<CONF
global
    lua-load rules.lua

defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fa
    bind 127.0.0.1:$pa
    http-request set-header X-Order fe
    http-request set-header X-Set "v=%[req.hdr(x-in)]"
    http-request set-header X-In replaced
    http-request add-header X-Add one
    http-request add-header X-Add "two  %[method]"
    http-request del-header X-Del
    http-request del-header X-Pre- -m beg
    http-request del-header -tail -m end
    http-request del-header mid -m sub
    http-request del-header ^x-re[0-9]\$ -m reg
    http-request del-header x-str -m str
    http-request replace-header X-Rep ^(a+)-(.*)\$ \2-\1-%[str(z)]
    http-request replace-value X-Val ^v([0-9])\$ w\1
    http-request set-var(txn.p) path
    http-request set-var(req.gone) str(x)
    http-request unset-var(req.gone)
    http-request set-header X-Vars "%[var(txn.p)]|%[var(req.gone)]|%[req.hdr(nothing)]|"
    http-request set-header X-Enc "%[req.hdr(x-raw),url_dec]"
    http-request set-method PUT
    http-request set-path /p%[path]
    http-request set-query q=1&%[query]
    default_backend ba

backend ba
    http-request set-header X-Order "%[req.hdr(x-order)],be"
    server o 127.0.0.1:$og

listen lb
    bind 127.0.0.1:$pb
    http-request set-uri /echo?u=%[url_param(x)]&v=1
    http-request lua.tag first second
$old
    http-request set-header X-Tag "%[var(txn.tag)]"
    http-request set-header X-Old "%[var(txn.old)]"
    server o 127.0.0.1:$og

frontend fc
    bind 127.0.0.1:$pc
    http-request set-header X-Before fe
    http-request allow
    http-request set-header X-After fe
    default_backend bc

backend bc
    http-request set-header X-Be be
    http-request allow
    http-request set-header X-After be
    server o 127.0.0.1:$og

listen ld
    bind 127.0.0.1:$pd
    http-request reject
    server o 127.0.0.1:$og
CONF

start_origin "$og" "$T/origin.log"
start_hlp hlp.conf "$pa"

# the headers of the last request the origin received, as "name: value"
# lines with lower-case names; its request line in $T/reqline
last_req() {
	awk '/^REQ /{ r = $0; b = ""; next } /^  /{ b = b substr($0, 3) "\n" } END { print r > "'"$T/reqline"'"; printf "%s", b }' \
		"$T/origin.log" | awk -F': ' '{ printf "%s: %s\n", tolower($1), substr($0, length($1) + 3) }'
}
hdr_is() { # NAME WANT: the values of NAME at the origin, one line each
	local got
	got=$(last_req | awk -F': ' -v n="$1" '$1 == n { print substr($0, length($1) + 3) }')
	expect_eq "$got" "$2" "header $1 at the origin"
}
no_hdr() {
	last_req | grep -qi "^$1:" && fail "header $1 should have been removed: $(last_req | grep -i "^$1:")"
	return 0
}

# 1. header rules, variables, request line rules, frontend then backend
curl -s -o /dev/null -H 'X-In: a' -H 'X-In: b' -H 'X-Del: 1' -H 'X-Pre-One: 1' -H 'x-pre-two: 2' \
	-H 'A-Tail: 1' -H 'Has-Mid-Part: 1' -H 'X-Re1: 1' -H 'X-Re12: keep' -H 'X-Str: 1' \
	-H 'X-Strx: keep' -H 'X-Rep: aa-bc' -H 'X-Rep: b-x' -H 'X-Val: v1, v22,v3' \
	-H 'X-Raw: a%0D%0Ab%09c%7F"#' "http://127.0.0.1:$pa/echo/x?a=b" || fail "request 1 failed"
last_req >/dev/null
expect_eq "$(cut -d" " -f3- "$T/reqline")" "PUT /p/echo/x?q=1&a=b HTTP/1.1" "request line at the origin"
hdr_is x-set "v=b"
hdr_is x-in "replaced"
hdr_is x-add "one
two  GET"
no_hdr x-del; no_hdr x-pre-one; no_hdr x-pre-two; no_hdr a-tail; no_hdr has-mid-part
no_hdr x-re1; no_hdr x-str
hdr_is x-re12 keep
hdr_is x-strx keep
hdr_is x-rep "bc-aa-z
b-x"
hdr_is x-val "w1, v22,w3"
hdr_is x-vars "/echo/x|||"
hdr_is x-enc 'a%0D%0Ab	c%7F"#'
hdr_is x-order "fe,be"
note "header, variable and request-line rules: ok"

# 2. set-uri, Lua actions
curl -s -o /dev/null "http://127.0.0.1:$pb/any/where?x=42" || fail "request 2 failed"
last_req >/dev/null
expect_eq "$(cut -d' ' -f3- "$T/reqline")" "GET /echo?u=42&v=1 HTTP/1.1" "set-uri"
hdr_is x-tag "first+second"
is_haproxy || hdr_is x-old "yes"

# 3. allow: the rest of the frontend's list is skipped, the backend's runs
curl -s -o /dev/null "http://127.0.0.1:$pc/echo" || fail "request 3 failed"
hdr_is x-before fe
hdr_is x-be be
no_hdr x-after

# 4. reject: the connection closes without an answer, the origin sees nothing
n=$(count_grep '^REQ ' "$T/origin.log")
out=$(curl -s -i "http://127.0.0.1:$pd/echo"); rc=$?
[ $rc -eq 52 ] || fail "reject: curl should get an empty reply (52), got $rc: $out"
expect_eq "$(count_grep '^REQ ' "$T/origin.log")" "$n" "requests at the origin after a reject"

kill -0 "$HLP_PID" || fail "the proxy died"
is_haproxy || stop_hlp
exit 0
