# tune.bufsize and tune.maxrewrite. With the defaults (16384, 1024) a
# request head must fit in bufsize - maxrewrite, else 400; a rule adding
# less than maxrewrite bytes to any accepted head works, a longer one can
# fail: 500 (HAProxy 2.6 answers 500 to a failed rewrite of a request or
# of a response alike). HAProxy's exact limit is lower (its internal HTX
# format takes room), so the boundary itself is only checked on hlproxy:
# a head of exactly bufsize - maxrewrite bytes is accepted and rewritten.
# Then a second proxy with 2 kB buffers streams bodies and pipelined
# requests through them.
. "$TOP/tests/lib.sh"

og=$(free_port)
fp=$(free_port)
f5=$(free_port)
f15=$(free_port)
fr=$(free_port)
small=$(free_port)
A500=$(printf 'a%.0s' $(seq 500))
A1500=$(printf 'b%.0s' $(seq 1500))
cat >"$T/hlp.conf" <<CONF
global
    tune.bufsize 16384
    tune.maxrewrite 1024

defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s

listen plain
    bind 127.0.0.1:$fp
    server o 127.0.0.1:$og

listen add500
    bind 127.0.0.1:$f5
    http-request set-header X-Add $A500
    server o 127.0.0.1:$og

listen add1500
    bind 127.0.0.1:$f15
    http-request set-header X-Add $A1500
    server o 127.0.0.1:$og

listen res1500
    bind 127.0.0.1:$fr
    http-response set-header X-Add $A1500
    server o 127.0.0.1:$og
CONF
cat >"$T/small.conf" <<CONF
global
    tune.bufsize 2048
    tune.maxrewrite 256

defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s

listen small
    bind 127.0.0.1:$small
    http-request set-header X-Small yes
    http-response set-header X-Small yes
    server o 127.0.0.1:$og
CONF

start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fp"
for p in $f5 $f15 $fr; do wait_port "$p" || fail "listener on $p"; done

# status PORT SIZE...: the status of a GET /sum whose head is SIZE bytes
status() {
	python3 - "$@" <<'PY'
import socket, sys
port = int(sys.argv[1])
out = []
for total in [int(x) for x in sys.argv[2:]]:
    base = b"GET /sum HTTP/1.1\r\nHost: a\r\nConnection: close\r\nX-Pad: "
    req = base + b"p" * (total - len(base) - 4) + b"\r\n\r\n"
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(req)
    s.settimeout(5)
    got = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            got += d
    except OSError:
        pass
    out.append(got.split(b" ")[1].decode() if got.startswith(b"HTTP/") else "none")
print(" ".join(out))
PY
}
expect_eq "$(status "$fp" 1000 15000 16000 16384 20000)" "200 200 400 400 400" "request heads without rules (1000 15000 16000 16384 20000 bytes)"
expect_eq "$(status "$f5" 1000 15000)" "200 200" "heads + a 500-byte header (1000 15000 bytes)"
expect_eq "$(status "$f15" 1000 14000 15000)" "200 200 500" "heads + a 1500-byte header (1000 14000 15000 bytes)"
if ! is_haproxy; then
	expect_eq "$(status "$fp" 15360 15361)" "200 400" "the largest head: bufsize - maxrewrite"
	expect_eq "$(status "$f5" 15360)" "200" "the largest head + a 500-byte header"
fi
sleep 0.2
n=$(grep -cix "  x-add: $A500" "$T/origin.log")
[ "$n" -ge 2 ] || fail "the origin did not get the 500-byte header ($n)"

# responses: a 1500-byte header added to a 14 kB / 15 kB response head
v14=$(printf 'v%.0s' $(seq 13870))
v15=$(printf 'v%.0s' $(seq 14870))
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$fr/hdr?X-Big=$v14")" 200 "a 14 kB response + 1500 bytes"
curl -s -D - -o /dev/null "http://127.0.0.1:$fr/hdr?X-Big=$v14" | grep -qi "^x-add: $A1500" || fail "the 1500-byte response header is missing"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$fr/hdr?X-Big=$v15")" 500 "a 15 kB response + 1500 bytes"

# 2 kB buffers
start_hlp "$T/small.conf" "$small"
S=http://127.0.0.1:$small
want=$(python3 "$TOP/tests/origin.py" --pattern 1000000 | sha256sum | cut -d' ' -f1)
expect_eq "$(curl -s "$S/size/1000000" | sha256sum | cut -d' ' -f1)" "$want" "2 kB buffers: 1 MB download"
expect_eq "$(curl -s "$S/chunked/1000000" | sha256sum | cut -d' ' -f1)" "$want" "2 kB buffers: 1 MB chunked download"
python3 "$TOP/tests/origin.py" --pattern 1000000 >"$T/m1"
expect_eq "$(curl -s -T "$T/m1" "$S/sum")" "1000000 $want" "2 kB buffers: 1 MB upload"
expect_eq "$(curl -s -T - -H 'Transfer-Encoding: chunked' "$S/sum" <"$T/m1")" "1000000 $want" "2 kB buffers: 1 MB chunked upload"
curl -s -D "$T/sh" -o /dev/null "$S/x" || fail "2 kB buffers: GET"
grep -qi '^x-small: yes' "$T/sh" || fail "2 kB buffers: response header not added"
: >"$T/pipe.in"
for i in $(seq 1 30); do
	printf 'POST /sum HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /chunked/3000 HTTP/1.1\r\nHost: a\r\n\r\n' >>"$T/pipe.in"
done
printf 'GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' >>"$T/pipe.in"
http_raw "$small" 10 <"$T/pipe.in" >"$T/pipe.out" || fail "2 kB buffers: pipelined requests did not end"
h=$(printf abc | sha256sum | cut -d' ' -f1)
expect_eq "$(python3 "$TOP/tests/origin.py" --parse <"$T/pipe.out" | cut -d' ' -f1-2 | sort | uniq -c | awk '{$1 = $1; print}' | tr '\n' '|')" \
	"1 200 10|30 200 3000|30 200 67|1 END 0|" "2 kB buffers: 61 pipelined requests (count, status, body length)"
expect_eq "$(python3 "$TOP/tests/origin.py" --parse <"$T/pipe.out" | grep -c "^200 67 3 $h$")" 30 "2 kB buffers: pipelined POST bodies"
expect_eq "$(python3 "$TOP/tests/origin.py" --parse <"$T/pipe.out" | head -n 2 | cut -d' ' -f1-2 | tr '\n' ' ')" "200 67 200 3000 " "2 kB buffers: answers in order"

kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
