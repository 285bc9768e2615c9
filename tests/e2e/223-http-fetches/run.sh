# The HTTP sample fetches and url_dec/url_enc in HTTP mode, compared with
# HAProxy 2.6.12: expected.txt holds, for each request below, what HAProxy
# answered with the same configuration (RECORD=1 with HLP=/usr/sbin/haproxy
# writes it again). Request fetches are rendered by "http-request return
# lf-string", response fetches by "http-response set-header" (hdr, fhdr,
# hdr_cnt and fhdr_cnt read the response there, as in HAProxy; method is
# still known). Each value is followed by the "<>" of concat() so that an
# empty string differs from a failed fetch (nothing). The client
# half-closes after its request instead of sending "Connection: close",
# which HAProxy hides from the fetches. Requests: a GET with
# repeated headers, commas, cookies and percent-encoding; a POST with a
# Content-Length body and one with a chunked body (option
# http-buffer-request, for req.body/req.body_len/req.body_size); an
# HTTP/1.0 request without Host; an absolute-form target.
# HAProxy 2.6 has no fhdr() nor fhdr_cnt() (hlproxy has them, as hdr()
# and hdr_cnt() on full lines): they are checked apart, on hlproxy only.
. "$TOP/tests/lib.sh"
cd "$T"
og=$(free_port); pq=$(free_port); pr=$(free_port); pf=$(free_port)
{
	cat <<CONF
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

listen q
    bind 127.0.0.1:$pq
    option http-buffer-request
CONF
	lf=""
	while IFS= read -r f; do lf="$lf%[$f,concat(<,,>)]\\n"; done <"$CASE/fetches.txt"
	echo "    http-request return status 200 content-type text/plain lf-string \"$lf\""
	echo "    server o 127.0.0.1:$og"
	echo
	echo "listen r"
	echo "    bind 127.0.0.1:$pr"
	lf=""
	while IFS= read -r f; do lf="$lf%[$f,concat(<,,>)] ~ "; done <"$CASE/rfetches.txt"
	echo "    http-response set-header X-Res \"$lf\""
	echo "    server o 127.0.0.1:$og"
	is_haproxy || cat <<CONF

listen f
    bind 127.0.0.1:$pf
    http-request set-header X-F "%[fhdr(x-a)]|%[fhdr(x-a,1)]|%[fhdr(x-a,-2)]|%[fhdr_cnt(x-a)]|%[fhdr_cnt]"
    http-response set-header X-G "%[fhdr(x-r)]|%[fhdr(x-r,1)]"
    server o 127.0.0.1:$og
CONF
} >hlp.conf

start_origin "$og" "$T/origin.log"
start_hlp hlp.conf "$pq"

: >got.txt
# ask TAG: one request (stdin, raw) to the request-fetch proxy
ask() {
	echo "== $1" >>got.txt
	http_raw "$pq" 3 shut | tr -d '\r' | sed '1,/^$/d' | paste -d'\t' "$CASE/fetches.txt" - >>got.txt
}
ask get <<REQ
GET /a/b%20c?x=1&y=&z=3;y=7;z=8 HTTP/1.1
Host: h.example:81
X-A: a1, "a,2"
x-a: a3
Cookie: c1=v1; c2 = v2 ;c1=v3
X-Enc: a%20b%2Fc%41

REQ
printf 'POST /post?k=v HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world' | ask post-clen
printf 'POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n' | ask post-chunked
ask http10 <<REQ
GET /ten?x=a%2Bb HTTP/1.0
X-A: one

REQ
ask absolute <<REQ
GET http://h.example/abs/p?x=9 HTTP/1.1
Host: h.example

REQ
# the response fetches
echo "== response" >>got.txt
curl -s -D rh -o /dev/null "http://127.0.0.1:$pr/hdr?X-R=r1,%20r2&X-Other=o" || fail "response request failed"
tr -d '\r' <rh | awk -F': ' 'tolower($1) == "x-res" { print substr($0, length($1) + 3) }' |
	sed 's/ ~ $//; s/ ~ /\n/g' | paste -d'\t' "$CASE/rfetches.txt" - >>got.txt

# fhdr and fhdr_cnt (hlproxy only): the full lines of the request, then of the response
if ! is_haproxy; then
	curl -s -o fb -H 'X-A: a1, a2' -H 'X-A: a3' "http://127.0.0.1:$pf/echo" || fail "fhdr request failed"
	grep -qix 'x-f: a3|a1, a2|a1, a2|2|[0-9]*' <(tr -d '\r' <fb) || fail "fhdr in a request: $(cat fb)"
	curl -s -D fh -o /dev/null "http://127.0.0.1:$pf/hdr?X-R=r1,%20r2" || fail "fhdr request failed"
	grep -qix 'x-g: r1, r2|r1, r2' <(tr -d '\r' <fh) || fail "fhdr in a response: $(grep -i '^x-g' fh)"
fi

if [ "${RECORD:-}" = 1 ]; then
	cp got.txt "$CASE/expected.txt"
	note "recorded $CASE/expected.txt"
fi
# hlproxy differs on purpose: nothing so far
diff -u "$CASE/expected.txt" got.txt >diff.txt || fail "fetch values differ from HAProxy's:
$(cat diff.txt)"
kill -0 "$HLP_PID" || fail "the proxy died"
is_haproxy || stop_hlp
exit 0
