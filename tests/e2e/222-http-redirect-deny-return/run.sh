# http-request redirect, deny and return, each answer compared with what
# HAProxy 2.6.12 sends for the same configuration (status line, location,
# cache-control, content-type, content-length, extra headers, body; this
# case passes with HLP=/usr/sbin/haproxy too). The origin never sees these
# requests, and the client connection stays open after them.
# - redirect location (code 301: no cache-control), prefix (path and query
#   kept, drop-query, a prefix of "/" inserts nothing, append-slash after
#   the query when it is kept), scheme (the Host header's value, empty
#   without Host, "/" for "OPTIONS *", the authority of an absolute-form
#   target is not used), codes 302 303 307 (cache-control: no-cache) and
#   308, "code" before the type, set-cookie and clear-cookie, ignore-empty
#   (the rule is skipped), a sample with CR LF encoded as %0D%0A, and the
#   seed's example "redirect location /%[lua.hello]";
# - deny: 403 page, deny_status 429, the new form with status, content-type,
#   string and hdr, and an "errorfile 403" used by deny;
# - return: no argument (200, empty), status + content-type + string + hdr,
#   lf-string, file (binary, sent as it is), lf-file, errorfile (a whole
#   response), default-errorfiles, 204 with a hdr.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/hello.lua" .
og=$(free_port)
names="loc pfxd pfx slash sch c303 c307 c308 codefirst pdq sdq ign cook enc seed
	deny deny429 denynew denyerr ret0 ret lf file lffile errf deferr r204"
declare -A P
for n in $names; do P[$n]=$(free_port); done
printf 'bin\000ary\r\n\377data' >body.bin
printf 'path=%%[path] method=%%[method]\n' >page.lf
printf 'HTTP/1.1 404 Not Here\r\ncontent-type: text/plain\r\ncontent-length: 9\r\nx-from: errorfile\r\n\r\nnot here\n' >e404.http
printf 'HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 7\r\nx-from: errorfile-403\r\n\r\ncustom\n' >e403.http

# one listen section per rule
lst() { printf 'listen %s\n    bind 127.0.0.1:%s\n    %s\n    server o 127.0.0.1:%s\n\n' "$1" "${P[$1]}" "$2" "$og"; }
{
	printf 'global\n    lua-load hello.lua\n\ndefaults\n    mode http\n    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n\n'
	lst loc 'http-request redirect location /r%[path] code 301'
	lst pfxd 'http-request redirect prefix /pfx drop-query'
	lst pfx 'http-request redirect prefix /pfx'
	lst slash 'http-request redirect prefix / append-slash'
	lst sch 'http-request redirect scheme https'
	lst c303 'http-request redirect location /x code 303'
	lst c307 'http-request redirect location /x code 307'
	lst c308 'http-request redirect location /x code 308'
	lst codefirst 'http-request redirect code 301 prefix / drop-query append-slash'
	lst pdq 'http-request redirect prefix /p/ drop-query append-slash'
	lst sdq 'http-request redirect scheme http%[str(s)] drop-query append-slash'
	lst ign 'http-request redirect location %[req.hdr(x-nothing)] ignore-empty'
	lst cook 'http-request redirect location /c set-cookie A=1 clear-cookie B='
	lst enc 'http-request redirect location /e%[req.hdr(x-a),url_dec]'
	lst seed 'http-request redirect location /%[lua.hello]'
	lst deny 'http-request deny'
	lst deny429 'http-request deny deny_status 429'
	lst denynew 'http-request deny status 401 content-type text/plain string "no way" hdr X-D "d %[method]"'
	lst denyerr "errorfile 403 $T/e403.http
    http-request deny"
	lst ret0 'http-request return'
	lst ret 'http-request return status 201 content-type text/plain string "hello" hdr X-A "b%[path]" hdr X-B c'
	lst lf 'http-request return status 202 content-type text/plain lf-string "p=%[path] q=%[query] n=%[req.hdr(nothing)]."'
	lst file "http-request return content-type application/octet-stream file $T/body.bin"
	lst lffile "http-request return status 200 content-type text/plain lf-file $T/page.lf"
	lst errf "http-request return status 404 errorfile $T/e404.http"
	lst deferr 'http-request return status 503 default-errorfiles'
	lst r204 'http-request return status 204 hdr X-E e'
} >hlp.conf

start_origin "$og" "$T/origin.log"
start_hlp hlp.conf "${P[loc]}"

# get NAME PATH [curl args...]: the answer's head in NAME.h (CR removed), its body in NAME.b
get() {
	local n=$1 path=$2
	shift 2
	curl -s -D "$n.h0" -o "$n.b" "$@" "http://127.0.0.1:${P[$n]}$path" || fail "$n: curl failed ($?)"
	tr -d '\r' <"$n.h0" >"$n.h"
}
# head_of NAME: the status line, then the headers sorted (lower-case
# names): their order differs from HAProxy's, which means nothing
head_of() {
	head -1 "$1.h"
	awk -F': ' 'NR > 1 && NF { printf "%s: %s\n", tolower($1), substr($0, length($1) + 3) }' "$1.h" | LC_ALL=C sort
}
expect_head() { expect_eq "$(head_of "$1")" "$(echo "$2" | head -1; echo "$2" | tail -n +2 | LC_ALL=C sort)" "$1: answer head"; }

get loc '/loc/a?q=1'
expect_head loc 'HTTP/1.1 301 Moved Permanently
content-length: 0
location: /r/loc/a'
get pfxd '/pfxd/a?q=1'
expect_head pfxd 'HTTP/1.1 302 Found
content-length: 0
location: /pfx/pfxd/a
cache-control: no-cache'
get pfx '/pfx/a?q=1'
expect_eq "$(grep ^location: pfx.h)" "location: /pfx/pfx/a?q=1" "prefix"
get slash '/slash/a?q=1'
expect_eq "$(grep ^location: slash.h)" "location: /slash/a?q=1/" "prefix / append-slash with a query"
get slash '/slash/b/'
expect_eq "$(grep ^location: slash.h)" "location: /slash/b/" "append-slash on a path ending with /"
get sch '/sch/x?y=2'
expect_eq "$(grep ^location: sch.h)" "location: https://127.0.0.1:${P[sch]}/sch/x?y=2" "scheme"
get sch '/sch/x' -H 'Host:'
expect_eq "$(grep ^location: sch.h)" "location: https:///sch/x" "scheme without Host"
out=$(printf 'GET http://other.example/abs/z?q=1 HTTP/1.1\r\nHost: other.example\r\n\r\n' | http_raw "${P[sch]}" 2 | tr -d '\r' | grep '^location:')
expect_eq "$out" "location: https://other.example/abs/z?q=1" "scheme with an absolute-form target"
out=$(printf 'OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n' | http_raw "${P[sch]}" 2 | tr -d '\r' | grep '^location:')
expect_eq "$out" "location: https://h/" "scheme for OPTIONS *"
get c303 /a
expect_head c303 'HTTP/1.1 303 See Other
content-length: 0
location: /x
cache-control: no-cache'
get c307 /a
expect_head c307 'HTTP/1.1 307 Temporary Redirect
content-length: 0
location: /x
cache-control: no-cache'
get c308 /a
expect_head c308 'HTTP/1.1 308 Permanent Redirect
content-length: 0
location: /x'
get codefirst '/art/x?q=1'
expect_head codefirst 'HTTP/1.1 301 Moved Permanently
content-length: 0
location: /art/x/'
get pdq '/pdq/a?q=1'
expect_eq "$(grep ^location: pdq.h)" "location: /p//pdq/a/" "prefix with drop-query and append-slash"
get sdq '/sdq/a?q=1'
expect_eq "$(grep ^location: sdq.h)" "location: https://127.0.0.1:${P[sdq]}/sdq/a/" "scheme from a format, drop-query, append-slash"
get ign /echo
expect_eq "$(head -1 ign.h)" "HTTP/1.1 200 OK" "ignore-empty: the rule is skipped"
grep -q '^GET /echo HTTP/1.1' ign.b || fail "ignore-empty: not the origin's answer: $(cat ign.b)"
get cook /a
expect_head cook 'HTTP/1.1 302 Found
content-length: 0
location: /c
cache-control: no-cache
set-cookie: B=; path=/; Max-Age=0;'
get enc /a -H 'X-A: a%0D%0Ab'
expect_eq "$(grep ^location: enc.h)" "location: /ea%0D%0Ab" "a sample with CR LF in a location"
get seed /a
expect_eq "$(grep ^location: seed.h)" "location: /hello" "the seed's example"
note "redirects: ok"

get deny /a
expect_head deny 'HTTP/1.1 403 Forbidden
content-length: 93
cache-control: no-cache
content-type: text/html'
expect_eq "$(cat deny.b)" '<html><body><h1>403 Forbidden</h1>
Request forbidden by administrative rules.
</body></html>' "deny: body"
get deny429 /a
expect_eq "$(head -1 deny429.h)" "HTTP/1.1 429 Too Many Requests" "deny deny_status 429"
grep -q '<h1>429 Too Many Requests</h1>' deny429.b || fail "deny_status 429: body $(cat deny429.b)"
get denynew /a
expect_head denynew 'HTTP/1.1 401 Unauthorized
x-d: d GET
content-length: 6
content-type: text/plain'
expect_eq "$(cat denynew.b)" "no way" "deny with a string"
get denyerr /a
expect_eq "$(grep -i '^x-from:' denyerr.h)" "x-from: errorfile-403" "deny with an errorfile 403"
expect_eq "$(cat denyerr.b)" "custom" "deny with an errorfile 403: body"
note "deny: ok"

get ret0 /a
expect_head ret0 'HTTP/1.1 200 OK
content-length: 0'
get ret /p/q
expect_head ret 'HTTP/1.1 201 Created
x-a: b/p/q
x-b: c
content-length: 5
content-type: text/plain'
expect_eq "$(cat ret.b)" "hello" "return string"
get lf '/x/y?k=v'
expect_eq "$(head -1 lf.h)" "HTTP/1.1 202 Accepted" "return lf-string: status"
expect_eq "$(cat lf.b)" "p=/x/y q=k=v n=." "return lf-string"
get file /a
expect_eq "$(grep -i '^content-type:' file.h)" "content-type: application/octet-stream" "return file: content-type"
cmp -s file.b body.bin || fail "return file: the body differs from the file: $(od -c file.b | head -3)"
get lffile /l/f
expect_eq "$(cat lffile.b)" "path=/l/f method=GET" "return lf-file"
get errf /a
expect_eq "$(head -1 errf.h)" "HTTP/1.1 404 Not Here" "return errorfile: status line"
expect_eq "$(grep -i '^x-from:' errf.h)" "x-from: errorfile" "return errorfile: header"
expect_eq "$(cat errf.b)" "not here" "return errorfile: body"
get deferr /a
expect_eq "$(head -1 deferr.h)" "HTTP/1.1 503 Service Unavailable" "return default-errorfiles"
grep -q '<h1>503 Service Unavailable</h1>' deferr.b || fail "default-errorfiles: body $(cat deferr.b)"
get r204 /a
expect_head r204 'HTTP/1.1 204 No Content
x-e: e'
note "return: ok"

# none of these reached the origin (only the ignore-empty request did)
expect_eq "$(count_grep '^REQ ' "$T/origin.log")" 1 "requests at the origin"
# the client connection stays open after a redirect and a return
n=$(curl -sv -o /dev/null -o /dev/null "http://127.0.0.1:${P[c303]}/a" "http://127.0.0.1:${P[c303]}/b" 2>&1 | grep -c '^\* Re-using existing connection')
expect_eq "$n" 1 "connection reused after a redirect"
n=$(curl -sv -o /dev/null -o /dev/null "http://127.0.0.1:${P[ret]}/a" "http://127.0.0.1:${P[ret]}/b" 2>&1 | grep -c '^\* Re-using existing connection')
expect_eq "$n" 1 "connection reused after a return"

kill -0 "$HLP_PID" || fail "the proxy died"
is_haproxy || stop_hlp
exit 0
