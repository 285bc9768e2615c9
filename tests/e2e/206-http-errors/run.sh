# Error answers. HAProxy's built-in pages, byte for byte as HAProxy 2.6.12
# sends them (expected/*: 403 by http-request deny, 404/500/400 by
# deny_status, 502 when the origin closes, 503 without a server, 504 after
# timeout server; 400 for a malformed request and 408 after timeout
# http-request come in HAProxy's older format, with capitalised header
# names), and errorfile: the file's answer replaces the page (names
# compared without case, as 2.6 lower-cases them), no body for HEAD, the
# backend's errorfile before the frontend's. HAProxy 2.6 ignores errorfile
# 400 for a malformed request (its H1 layer answers before the proxy); the
# target is the errorfile.
. "$TOP/tests/lib.sh"

og=$(free_port)
for v in fe f403 f404 f500 f400 fnone fc503 fc403 fc400 fcb; do eval "$v=\$(free_port)"; done
cat >"$T/e503.http" <<'EOF'
HTTP/1.1 503 Service Unavailable
Cache-Control: no-cache
Connection: close
Content-Type: text/html
X-Custom: yes

<html><body>custom 503</body></html>
EOF
printf 'HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\ncustom 403\n' >"$T/e403.http"
printf 'HTTP/1.1 400 Bad request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\ncustom 400\n' >"$T/e400.http"
printf 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\nbackend\n' >"$T/b503.http"
# errorfiles are often written with LF line ends: HAProxy takes them
sed -i 's/$/\r/' "$T/e503.http"

cat >"$T/hlp.conf" <<CONF
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 1s
    timeout http-request 1s

frontend fe
    bind 127.0.0.1:$fe
    default_backend be

frontend f403
    bind 127.0.0.1:$f403
    http-request deny
    default_backend be

frontend f404
    bind 127.0.0.1:$f404
    http-request deny deny_status 404
    default_backend be

frontend f500
    bind 127.0.0.1:$f500
    http-request deny deny_status 500
    default_backend be

frontend f400
    bind 127.0.0.1:$f400
    http-request deny deny_status 400
    default_backend be

frontend fnone
    bind 127.0.0.1:$fnone
    default_backend none

frontend fc503
    bind 127.0.0.1:$fc503
    errorfile 503 $T/e503.http
    default_backend none

frontend fc403
    bind 127.0.0.1:$fc403
    errorfile 403 $T/e403.http
    http-request deny
    default_backend be

frontend fc400
    bind 127.0.0.1:$fc400
    errorfile 400 $T/e400.http
    default_backend be

frontend fcb
    bind 127.0.0.1:$fcb
    errorfile 503 $T/e503.http
    default_backend none_b

backend be
    server s1 127.0.0.1:$og

backend none

backend none_b
    errorfile 503 $T/b503.http
CONF

start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fe"
for p in $f403 $f404 $f500 $f400 $fnone $fc503 $fc403 $fc400 $fcb; do wait_port "$p" || fail "frontend on $p"; done

GETC='GET /%s HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'
# same NAME PORT REQUEST...: the answer equals expected/NAME byte for byte
same() {
	local name=$1 port=$2
	shift 2
	printf "$@" | http_raw "$port" 5 >"$T/got.$name"
	cmp -s "$T/got.$name" "$CASE/expected/$name" ||
		fail "$name page differs from HAProxy 2.6's:
--- got:
$(cat -A "$T/got.$name")
--- HAProxy 2.6:
$(cat -A "$CASE/expected/$name")"
}
same 403 "$f403" "$GETC" deny
same 404 "$f404" "$GETC" x
same 500 "$f500" "$GETC" x
same 400-rule "$f400" "$GETC" x
same 503 "$fnone" "$GETC" x
same 502 "$fe" "$GETC" drop
same 504 "$fe" "$GETC" sleep/2000
same 400 "$fe" 'GET / HTTP/1.1\r\nX : a\r\n\r\n'
same 408 "$fe" 'GET / HTTP/1.1\r\nX'
note "built-in pages identical to HAProxy 2.6's"

# a deny keeps a kept-alive client connection open (HAProxy 2.6)
printf 'GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' | http_raw "$f403" 5 >"$T/ka.out"
cat "$CASE/expected/403-ka" "$CASE/expected/403" | cmp -s - "$T/ka.out" ||
	fail "two denied requests on one connection: $(cat -A "$T/ka.out")"
sleep 0.2
grep -Eq '^REQ [0-9]+ GET /(a|b) ' "$T/origin.log" && fail "a denied request reached the origin"

# norm FILE: status line, sorted header lines with lower-case names but
# no connection header (added when the client asks for close), body
norm() {
	python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
head, _, body = d.partition(b"\r\n\r\n")
lines = head.split(b"\r\n")
hdrs = sorted(l.split(b":", 1)[0].lower() + b":" + l.split(b":", 1)[1] for l in lines[1:])
hdrs = [h for h in hdrs if not h.startswith(b"connection:")]
sys.stdout.buffer.write(b"\n".join([lines[0]] + hdrs) + b"\n--\n" + body)
' "$1"
}
# errfile NAME PORT FILE REQUEST...: the answer is FILE's response
errfile() {
	local name=$1 port=$2 file=$3
	shift 3
	printf "$@" | http_raw "$port" 5 >"$T/got.$name"
	[ "$(norm "$T/got.$name")" = "$(norm "$file")" ] ||
		fail "errorfile $name: got
$(cat -A "$T/got.$name")
--- want (header names compared without case):
$(cat -A "$file")"
}
errfile 503 "$fc503" "$T/e503.http" "$GETC" x
errfile 403 "$fc403" "$T/e403.http" "$GETC" x
errfile 503-backend "$fcb" "$T/b503.http" "$GETC" x
if is_haproxy; then
	same 400 "$fc400" 'GET / HTTP/1.1\r\nX : a\r\n\r\n'
	note "errorfile 400 for a malformed request: HAProxy 2.6 sends its built-in page (target: the errorfile)"
else
	errfile 400 "$fc400" "$T/e400.http" 'GET / HTTP/1.1\r\nX : a\r\n\r\n'
fi

# HEAD: the errorfile's head without its body
printf 'HEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' | http_raw "$fc503" 5 >"$T/head.out"
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.stdout.buffer.write(d[:d.index(b"\r\n\r\n") + 4])' "$T/e503.http" >"$T/e503.head"
[ "$(norm "$T/head.out")" = "$(norm "$T/e503.head")" ] ||
	fail "HEAD with errorfile 503: $(cat -A "$T/head.out")"
printf 'HEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' | http_raw "$f403" 5 >"$T/head403.out"
head -c -93 "$CASE/expected/403" | cmp -s - "$T/head403.out" ||
	fail "HEAD denied: the built-in page's head only: $(cat -A "$T/head403.out")"

kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
