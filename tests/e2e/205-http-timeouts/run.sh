# HTTP timeouts and server failures, as HAProxy 2.6 answers them:
#  - timeout http-request: a client that sends half a head (or nothing)
#    gets a 408 when it expires, and the connection is closed;
#  - timeout http-keep-alive: an idle kept-alive connection is closed when
#    it expires (long before timeout client);
#  - timeout server: a slow origin gives a 504;
#  - a refused server: 503 once the retries are spent (the log line says
#    2 retries), no server at all: 503 at once;
#  - the origin closing before its answer, or in the middle of its head:
#    502; in the middle of the body: the client gets the head and a
#    truncated body (no 502 can be sent any more), and the proxy survives.
. "$TOP/tests/lib.sh"

fe=$(free_port)
fd=$(free_port)
fn=$(free_port)
og=$(free_port)
dead=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode http
    log global
    option httplog
    retries 2
    timeout connect 1s
    timeout client 10s
    timeout server 1s
    timeout http-request 1s
    timeout http-keep-alive 1500ms

frontend fe
    bind 127.0.0.1:$fe
    default_backend be

frontend fe_dead
    bind 127.0.0.1:$fd
    default_backend dead

frontend fe_none
    bind 127.0.0.1:$fn
    default_backend none

backend be
    server s1 127.0.0.1:$og

backend dead
    server s1 127.0.0.1:$dead

backend none
CONF

start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fe"
wait_port "$fd" && wait_port "$fn" || fail "frontends"

# client PARTS...: a python client sending each part ("sleep:S" waits) to
# $PORT (default $fe); its lines are "<ms to first byte>
# <ms to close> <first line>" (with LAST=1, the last status line)
client() {
	python3 - "${PORT:-$fe}" "$@" <<'PY'
import os, socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
t0 = time.time()
first = None
for part in sys.argv[2:]:
    if part.startswith("sleep:"):
        time.sleep(float(part[6:]))
    else:
        try:
            s.sendall(part.encode().decode("unicode_escape").encode("latin-1"))
        except OSError:
            break
s.settimeout(15)
out = b""
try:
    while True:
        d = s.recv(65536)
        if first is None:
            first = time.time()
        if not d:
            break
        out += d
except OSError:
    pass
t1 = time.time()
line = out.split(b"\r\n")[0].decode("latin-1")
if os.environ.get("LAST"):
    line = out[out.rfind(b"HTTP/1."):].split(b"\r\n")[0].decode("latin-1")
print("%d %d %s" % (((first or t1) - t0) * 1000, (t1 - t0) * 1000, line))
sys.stdout.flush()
PY
}
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# half a head, then silence: 408 after timeout http-request (1 s)
read -r ms close line < <(client 'GET / HTTP/1.1\r\nHo')
expect_eq "$line" "HTTP/1.1 408 Request Time-out" "half a head"
between "$ms" 800 3000 || fail "half a head: the 408 came after $ms ms (timeout http-request 1s)"
between "$close" 800 3000 || fail "half a head: connection closed after $close ms"

# a head sent one byte at a time still has to be complete within 1 s
read -r ms close line < <(client 'GET / HTTP/1.1\r\n' sleep:0.4 'Host: a\r\n' sleep:0.4 'X: 1\r\n' sleep:0.4 'Y: 2\r\n' sleep:0.4 '\r\n')
expect_eq "$line" "HTTP/1.1 408 Request Time-out" "a head in slow pieces"

# half of a second head on a kept-alive connection: 408 too, 1 s after it
# began (timeout http-request, not timeout http-keep-alive)
read -r ms close line < <(LAST=1 client 'GET /a HTTP/1.1\r\nHost: a\r\n\r\n' sleep:0.3 'GET /b HTTP/1.1\r\nHo')
expect_eq "$line" "HTTP/1.1 408 Request Time-out" "half of a second head"
between "$close" 1100 3000 || fail "half of a second head: connection closed after $close ms"

# nothing at all: HAProxy 2.6 also answers 408 (no option http-ignore-probes)
read -r ms close line < <(client)
expect_eq "$line" "HTTP/1.1 408 Request Time-out" "no request at all"
between "$ms" 800 3000 || fail "no request: the 408 came after $ms ms"

# idle keep-alive: closed after timeout http-keep-alive (1.5 s)
read -r ms close line < <(client 'GET /ka HTTP/1.1\r\nHost: a\r\n\r\n')
expect_eq "$line" "HTTP/1.1 200 OK" "keep-alive request"
between "$close" 1300 4000 || fail "idle keep-alive connection closed after $close ms (timeout http-keep-alive 1500ms, timeout client 10s)"

# a second request within the keep-alive timeout is served
read -r ms close line < <(client 'GET /ka1 HTTP/1.1\r\nHost: a\r\n\r\n' sleep:1 'GET /ka2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
sleep 0.2
grep -q '^REQ [0-9]* GET /ka2 ' "$T/origin.log" || fail "a request 1 s after the previous one (keep-alive 1.5 s) was not served"

# slow server: 504 after timeout server (1 s)
read -r ms close line < <(client 'GET /sleep/3000 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
expect_eq "$line" "HTTP/1.1 504 Gateway Time-out" "slow server"
between "$ms" 800 2500 || fail "slow server: the 504 came after $ms ms (timeout server 1s)"

# refused server: 503 after the retries
read -r ms close line < <(PORT=$fd client 'GET /dead HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
expect_eq "$line" "HTTP/1.1 503 Service Unavailable" "refused server"
note "refused server, retries 2: 503 after $ms ms"
wait_grep 1 ' dead/s1 ' "$T/hlp.log" || fail "no log line for the refused server"
grep ' dead/s1 ' "$T/hlp.log" | grep -Eq ' 503 [0-9]+ - - SC-- [0-9]+/[0-9]+/[0-9]+/[0-9]+/2 ' ||
	fail "refused server: log line without 503, SC and 2 retries: $(grep ' dead/s1 ' "$T/hlp.log")"

# no server: 503 at once
read -r ms close line < <(PORT=$fn client 'GET /none HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
expect_eq "$line" "HTTP/1.1 503 Service Unavailable" "backend without a server"
between "$ms" 0 800 || fail "backend without a server: 503 after $ms ms"

# the origin closes before answering / in the middle of its head: 502
read -r ms close line < <(client 'GET /drop HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
expect_eq "$line" "HTTP/1.1 502 Bad Gateway" "origin closing before its answer"
read -r ms close line < <(client 'GET /halfhead HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
expect_eq "$line" "HTTP/1.1 502 Bad Gateway" "origin closing in the middle of its head"

# ... in the middle of the body: a truncated answer, the client is closed
curl -s -o "$T/trunc" --max-time 5 "http://127.0.0.1:$fe/truncate/200000"
rc=$?
[ $rc -eq 18 ] || fail "origin closing in the middle of the body: curl exit $rc (want 18, transfer closed with data left)"
size=$(stat -c %s "$T/trunc")
between "$size" 1 199999 || fail "origin closing in the middle of the body: $size bytes received"

expect_eq "$(curl -s "http://127.0.0.1:$fe/after")" "GET /after" "a request after the failures"
kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
