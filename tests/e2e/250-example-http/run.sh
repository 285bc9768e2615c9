# The HTTP example (examples/http), run as shipped from a copy of its
# directory with its four ports replaced by free ones; every behaviour the
# example shows is checked with curl, and the log lines it writes on
# stderr. Passes with HLP=/usr/sbin/haproxy too (HAProxy 2.6).
# - front: /hello (the app's hello world through the proxy), / (the page
#   showing X-Forwarded-For and the X-Request-Id set by the Lua action,
#   replacing the client's; a client's X-Forwarded-For is kept, the
#   proxy's comes after it), POST /echo (1 MB sent back chunked, read with
#   receive()), /admin and /admin/x refused by the Lua action (403, no
#   response rules), /adminx proxied; the response rules' headers;
# - ACL routing: /static/ and .css/.js paths to a backend answering
#   itself, /api/ refused (401) without a key listed in api-keys.lst;
# - old: the seed's "redirect location /%[lua.hello] if { path /old }"
#   (302, Location /hello), /hello there served by the app;
# - maintenance: "return status 503 ... hdr Retry-After 600";
# - option httplog lines for each request, none for the app listener.
. "$TOP/tests/lib.sh"
cd "$T"
pf=$(free_port)
pa=$(free_port)
po=$(free_port)
pm=$(free_port)
cp "$TOP/examples/http/http.lua" "$TOP/examples/http/api-keys.lst" .
sed -e "s/127.0.0.1:10003/127.0.0.1:$pf/" -e "s/127.0.0.1:10004/127.0.0.1:$pa/" \
    -e "s/127.0.0.1:10005/127.0.0.1:$po/" -e "s/127.0.0.1:10006/127.0.0.1:$pm/" \
    "$TOP/examples/http/http.conf" >http.conf
grep -q "127.0.0.1:1000[3456]" http.conf && fail "a port of the example was not replaced"
start_hlp http.conf "$pf"
for p in "$pa" "$po" "$pm"; do wait_port "$p" 5 || fail "listener $p"; done

# get NAME PORT PATH [curl args...]: head in NAME.h (CR removed), body in
# NAME.b, "<head bytes> <body bytes>" in NAME.n
get() {
	local n=$1 port=$2 path=$3
	shift 3
	curl -s --max-time 10 -D "$n.h0" -o "$n.b" -w '%{size_header} %{size_download}' "$@" \
		"http://127.0.0.1:$port$path" >"$n.n" || fail "$n: curl failed ($?)"
	tr -d '\r' <"$n.h0" >"$n.h"
}
status() { head -1 "$1.h" | cut -d' ' -f2; }
# hdr NAME FIELD: the values of a response header, one a line
hdr() { awk -F': ' -v f="$2" 'NR > 1 && tolower($1) == f { print substr($0, length($1) + 3) }' "$1.h"; }
body() { cat "$1.b"; }

# the front: hello world from the app, through the proxy
get hello "$pf" /hello
expect_eq "$(status hello)" 200 "/hello status"
expect_eq "$(body hello)" "hello world" "/hello body"
expect_eq "$(hdr hello content-type)" "text/plain" "/hello content-type"
expect_eq "$(hdr hello content-length)" 12 "/hello content-length"
expect_eq "$(hdr hello x-content-type-options)" nosniff "http-response set-header"
id1=$(hdr hello x-request-id)
case "$id1" in [1-9]*) ;; *) fail "/hello: x-request-id '$id1'" ;; esac

# what the app received: X-Forwarded-For, and the request's id, which
# replaces the one the client sent; the client gets the same id back
get info "$pf" /some/page -H "X-Request-Id: spoofed"
expect_eq "$(status info)" 200 "/some/page status"
id2=$(hdr info x-request-id)
expect_eq "$id2" "$((id1 + 1))" "request ids count up"
expect_eq "$(body info)" "GET /some/page
x-forwarded-for: 127.0.0.1
x-request-id: $id2" "what the app received"
expect_eq "$(hdr info x-content-type-options)" nosniff "/some/page nosniff"
# an X-Forwarded-For from the client is kept, the proxy's comes after it
get xff "$pf" /x -H "X-Forwarded-For: 192.0.2.7"
expect_eq "$(sed -n 2p xff.b)" "x-forwarded-for: 192.0.2.7, 127.0.0.1" "X-Forwarded-For added after the client's"

# the echo service: a 1 MB body read with receive() and sent back chunked
head -c 1048576 /dev/urandom >big.bin
get echo "$pf" /echo --data-binary @big.bin -H "Content-Type: application/octet-stream"
expect_eq "$(status echo)" 200 "POST /echo status"
cmp -s big.bin echo.b || fail "POST /echo: the body sent back differs ($(wc -c <echo.b) bytes)"
expect_eq "$(hdr echo transfer-encoding)" chunked "/echo is chunked"
expect_eq "$(hdr echo content-length)" "" "/echo has no content-length"
expect_eq "$(hdr echo x-request-id)" "$((id2 + 2))" "/echo x-request-id"
# a small one, and a GET (no body: an empty answer)
printf 'ping\n' >small.txt
get echo2 "$pf" /echo --data-binary @small.txt
expect_eq "$(body echo2)" "ping" "small POST /echo"
get echo3 "$pf" /echo
expect_eq "$(status echo3)" 200 "GET /echo status"
expect_eq "$(wc -c <echo3.b)" 0 "GET /echo body"

# /admin and below: refused by the Lua action; no id, no response rules
for p in /admin /admin/x; do
	get adm "$pf" "$p"
	expect_eq "$(status adm)" 403 "$p status"
	expect_eq "$(body adm)" "no admin from here" "$p body"
	expect_eq "$(hdr adm content-type)" "text/plain" "$p content-type"
	expect_eq "$(hdr adm x-request-id)$(hdr adm x-content-type-options)" "" "$p: response rules ran"
done
get admx "$pf" /adminx
expect_eq "$(status admx)" 200 "/adminx is proxied"
expect_eq "$(head -1 admx.b)" "GET /adminx" "/adminx reached the app"

# ACL routing: static files by path, API keys from a file
get css "$pf" /static/site.css
expect_eq "$(status css) $(hdr css content-type) $(hdr css cache-control)" "200 text/css max-age=3600" "/static/site.css"
get js "$pf" /app.js
expect_eq "$(status js) $(body js)" "404 no such file" "/app.js: the static backend"
get api0 "$pf" /api/v1
expect_eq "$(status api0)" 401 "/api/v1 without a key"
get api1 "$pf" /api/v1 -H "X-Api-Key: k2"
expect_eq "$(status api1) $(head -1 api1.b)" "200 GET /api/v1" "/api/v1 with a key"
get api2 "$pf" /api/v1 -H "X-Api-Key: k3"
expect_eq "$(status api2)" 401 "/api/v1 with a wrong key"

# the seed's redirect, on /old; other paths go to the app
get old "$po" /old
expect_eq "$(status old)" 302 "/old status"
expect_eq "$(hdr old location)" "/hello" "/old location"
expect_eq "$(hdr old cache-control)" "no-cache" "/old cache-control"
expect_eq "$(hdr old content-length)" 0 "/old content-length"
get old2 "$po" "/hello?x=1"
expect_eq "$(status old2) $(body old2)" "200 hello world" "/hello is served on the redirect's listener"

# maintenance
get mnt "$pm" /anything
expect_eq "$(status mnt)" 503 "maintenance status"
expect_eq "$(body mnt)" "down for maintenance" "maintenance body"
expect_eq "$(wc -c <mnt.b)" 21 "maintenance body ends with a newline"
expect_eq "$(hdr mnt content-type)" "text/plain" "maintenance content-type"
expect_eq "$(hdr mnt retry-after)" 600 "maintenance retry-after"

# option httplog: one line per request on stderr, HAProxy's format; the
# app's listener logs nothing ("no log")
wait_grep 1 '"GET /anything HTTP/1.1"$' "$T/hlp.log" || fail "no log line for the maintenance request"
date='\[[0-3][0-9]/[A-Z][a-z][a-z]/[0-9]{4}:[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9]{3}\]'
n='[0-9]+'
# logline DESC FE BE/SRV TIMERS STATUS BYTES FLAGS REQLINE [COUNT]: COUNT
# lines (default 1) read as HAProxy's httplog. BYTES (%B) is what the client
# received, exactly, for hlproxy; HAProxy counts its internal form of the
# message (a few bytes less per header), so any number is taken there.
logline() {
	local b=$6 re
	is_haproxy && b=$n
	re="^127\.0\.0\.1:$n $date $2 $3 $4 $5 $b - - $7 $n/$n/$n/$n/$n 0/0 \"$8\"\$"
	[ "$(count_grep "$re" "$T/hlp.log")" = "${9:-1}" ] || fail "log line of $1 ($re)"
}
fwd="$n/$n/$n/$n/$n"
loc="$n/-1/-1/-1/$n"
# bytes: the whole answer as sent (head + body; the content-length ones)
bytes() { echo $(( $(cut -d' ' -f1 "$1.n") + $(cut -d' ' -f2 "$1.n") )); }
logline /hello front web/app "$fwd" 200 "$(bytes hello)" ---- "GET /hello HTTP/1.1"
logline /some/page front web/app "$fwd" 200 "$(bytes info)" ---- "GET /some/page HTTP/1.1"
logline /x front web/app "$fwd" 200 "$(bytes xff)" ---- "GET /x HTTP/1.1"
logline "POST /echo" front web/app "$fwd" 200 "$n" ---- "POST /echo HTTP/1.1" 2
logline /admin front "front/<NOSRV>" "$loc" 403 "$(bytes adm)" LR-- "GET /admin HTTP/1.1"
logline /admin/x front "front/<NOSRV>" "$loc" 403 "$(bytes adm)" LR-- "GET /admin/x HTTP/1.1"
logline /old old "old/<NOSRV>" "$loc" 302 "$(bytes old)" LR-- "GET /old HTTP/1.1"
logline /anything maintenance "maintenance/<NOSRV>" "$loc" 503 "$(bytes mnt)" LR-- "GET /anything HTTP/1.1"
expect_eq "$(count_grep ' HTTP/1\.1"$' "$T/hlp.log")" 17 "one log line per request"
expect_eq "$(count_grep "^127\.0\.0\.1:$n $date app " "$T/hlp.log")" 0 "the app listener logs nothing"
is_haproxy || stop_hlp
