# Pipelining: several requests written at once on one client connection
# are all answered, in order, each answer complete (parsed with
# tests/origin.py --parse), on one server connection; a slow first answer
# does not let a later one overtake it; a head split into tiny pieces and
# a body straddling the next request's head are parsed right.
. "$TOP/tests/lib.sh"

fe=$(free_port)
fr=$(free_port)
og=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode http
    log global
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fe
    bind 127.0.0.1:$fe
    default_backend be

backend be
    server s1 127.0.0.1:$og

listen rules
    bind 127.0.0.1:$fr
    http-request set-header X-Added yes
    http-response set-header X-Res-Added yes
    server s1 127.0.0.1:$og
CONF

start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fe"

parse() { python3 "$TOP/tests/origin.py" --parse "$@"; }

# a mix, written at once: slow answer first, chunked, HEAD, POST, close
{
	printf 'GET /sleep/300 HTTP/1.1\r\nHost: a\r\n\r\n'
	printf 'GET /chunked/3000 HTTP/1.1\r\nHost: a\r\n\r\n'
	printf 'HEAD /size/50 HTTP/1.1\r\nHost: a\r\n\r\n'
	printf 'POST /sum HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello'
	printf 'POST /sum HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n'
	printf 'GET /status/204 HTTP/1.1\r\nHost: a\r\n\r\n'
	printf 'GET /size/70000 HTTP/1.1\r\nHost: a\r\n\r\n'
	printf 'GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'
} | http_raw "$fe" 10 >"$T/mix.out"
rc=$?
[ $rc -eq 0 ] || fail "mixed pipeline: the proxy did not close at the end (rc $rc)"
h=$(printf hello | sha256sum | cut -d' ' -f1)
expect_eq "$(parse 3 <"$T/mix.out" | cut -d' ' -f1-2 | tr '\n' '|')" \
	"200 10|200 3000|200 0|200 67|200 67|204 0|200 70000|200 10|END 0|" "mixed pipeline: answers (status, body length)"
expect_eq "$(parse 3 <"$T/mix.out" | sed -n '1p;4p;5p;8p' | cut -d' ' -f3- | tr '\n' '|')" \
	"slept 300|5 $h|5 $h|GET /last|" "mixed pipeline: bodies"
sleep 0.2
expect_eq "$(grep '^REQ ' "$T/origin.log" | awk '{print $2}' | sort -u | wc -l)" 1 "mixed pipeline: server connections used"
expect_eq "$(count_grep '^REQ ' "$T/origin.log")" 8 "mixed pipeline: requests at the origin"

# 40 small requests in one write, answered in order
: >"$T/many.in"
for i in $(seq 1 40); do printf 'GET /p%d HTTP/1.1\r\nHost: a\r\n\r\n' "$i" >>"$T/many.in"; done
printf 'GET /p41 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' >>"$T/many.in"
http_raw "$fe" 10 <"$T/many.in" >"$T/many.out"
[ $? -eq 0 ] || fail "40 pipelined requests: the proxy did not close at the end"
want=$(for i in $(seq 1 41); do echo "200 GET /p$i"; done; echo "END 0")
expect_eq "$(parse <"$T/many.out" | awk '$1 == "END" {print; next} {print $1, $3, $4}')" "$want" "41 pipelined requests"

# the same bytes dribbled 3 bytes at a time, and POST bodies straddling
# the next head, in 7-byte pieces
python3 - "$fe" >"$T/drib.out" <<'PY' || fail "dribbled pipeline: client failed"
import socket, sys, time
reqs = (b"GET /d1 HTTP/1.1\r\nHost: a\r\n\r\n"
        b"POST /sum HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world"
        b"POST /sum HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
        b"GET /d2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
for i in range(0, len(reqs), 7):
    s.sendall(reqs[i:i + 7])
    time.sleep(0.003)
s.settimeout(10)
out = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    out += d
sys.stdout.buffer.write(out)
PY
h=$(printf 'hello world' | sha256sum | cut -d' ' -f1)
expect_eq "$(parse <"$T/drib.out" | tr '\n' '|')" "200 8 GET /d1|200 68 11 $h|200 68 11 $h|200 8 GET /d2|END 0|" "dribbled pipeline"

# 1000 requests at once through header rules
wait_port "$fr" || fail "listener with rules"
: >"$T/k.in"
for i in $(seq 1 1000); do printf 'GET /k%d HTTP/1.1\r\nHost: a\r\n\r\n' "$i" >>"$T/k.in"; done
printf 'GET /klast HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' >>"$T/k.in"
: >"$T/origin.log"
http_raw "$fr" 20 <"$T/k.in" >"$T/k.out" || fail "1000 pipelined requests: the proxy did not close at the end"
expect_eq "$(python3 "$TOP/tests/origin.py" --parse <"$T/k.out" | cut -d' ' -f1 | sort | uniq -c | awk '{$1 = $1; print}' | tr '\n' '|')" \
	"1001 200|1 END|" "1001 pipelined requests through header rules (count, status)"
expect_eq "$(python3 "$TOP/tests/origin.py" --parse <"$T/k.out" | sed -n '1p;1000p;1001p' | cut -d' ' -f3- | tr '\n' '|')" \
	"GET /k1|GET /k1000|GET /klast|" "1001 pipelined requests: order"
expect_eq "$(grep -ci '^x-res-added: yes' "$T/k.out")" 1001 "response header added to each pipelined answer"
sleep 0.3
expect_eq "$(grep -ci '^  x-added: yes' "$T/origin.log")" 1001 "request header added to each pipelined request"

kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
