# Expect: 100-continue and option http-buffer-request.
#  - without buffering, the Expect header goes to the origin, whose
#    "100 Continue" comes back to the client, and a 2 MB POST goes through
#    at once (curl would wait 1 s for a 100 that never comes);
#  - with option http-buffer-request the proxy answers 100 Continue itself
#    and the origin gets no Expect header (HAProxy 2.6), the body intact;
#  - the rules see the body: req.body for Content-Length, chunked (de-
#    chunked), HTTP/1.0 and empty bodies; a body bigger than the buffer
#    gives what fits.
. "$TOP/tests/lib.sh"

og=$(free_port)
fp=$(free_port)
fb=$(free_port)
fr=$(free_port)
cat >"$T/hlp.conf" <<CONF
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s

listen plain
    bind 127.0.0.1:$fp
    server s1 127.0.0.1:$og

listen buffered
    bind 127.0.0.1:$fb
    option http-buffer-request
    server s1 127.0.0.1:$og

listen body
    bind 127.0.0.1:$fr
    option http-buffer-request
    http-request return status 200 content-type text/plain lf-string "len=%[req.body,length] body=%[req.body]"
CONF

start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fp"
wait_port "$fb" && wait_port "$fr" || fail "listeners"

python3 "$TOP/tests/origin.py" --pattern 2000000 >"$T/b2m"
want="2000000 $(sha256sum <"$T/b2m" | cut -d' ' -f1)"
ms() { echo $(( $(date +%s%N) / 1000000 )); }

# expect PORT NAME: POST 2 MB with Expect: 100-continue to /sum
expect100() {
	local t0 t
	t0=$(ms)
	curl -sv --max-time 10 -H 'Expect: 100-continue' --data-binary @"$T/b2m" "http://127.0.0.1:$1/sum" >"$T/$2.out" 2>"$T/$2.err"
	t=$(( $(ms) - t0 ))
	expect_eq "$(cat "$T/$2.out")" "$want" "$2: the 2 MB body at the origin"
	expect_eq "$(grep -c '^< HTTP/1.1 100 Continue' "$T/$2.err")" 1 "$2: 100 Continue answers"
	grep -q '^< HTTP/1.1 200 OK' "$T/$2.err" || fail "$2: no 200 after the 100"
	[ $t -lt 900 ] || fail "$2: took $t ms (the client waited for its 100 Continue)"
	note "$2: $t ms"
}
expect100 "$fp" plain
sleep 0.1
expect_eq "$(grep -ci '^  expect: 100-continue' "$T/origin.log")" 1 "plain: the origin saw Expect"
expect100 "$fb" buffered
sleep 0.1
expect_eq "$(grep -ci '^  expect: 100-continue' "$T/origin.log")" 1 "buffered: Expect not forwarded (the proxy answered 100 itself)"

# req.body in the rules
R=http://127.0.0.1:$fr/
expect_eq "$(curl -s --data-binary 'hello world' "$R")" "len=11 body=hello world" "req.body with Content-Length"
expect_eq "$(curl -s -H 'Transfer-Encoding: chunked' --data-binary 'hello chunked' "$R")" "len=13 body=hello chunked" "req.body chunked"
expect_eq "$(curl -s -0 --data-binary 'hello 1.0' "$R")" "len=9 body=hello 1.0" "req.body from an HTTP/1.0 client"
expect_eq "$(curl -s "$R")" "len=0 body=" "req.body of a GET"
curl -sv -H 'Expect: 100-continue' --data-binary 'hello expect' "$R" >"$T/re.out" 2>"$T/re.err"
expect_eq "$(cat "$T/re.out")" "len=12 body=hello expect" "req.body with Expect: 100-continue"
grep -q '^< HTTP/1.1 100 Continue' "$T/re.err" || fail "return after http-buffer-request: no 100 Continue"
# the body in pieces, the last one late: the rules wait for all of it
got=$(printf 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nConnection: close\r\n\r\nhello' |
	{ cat; sleep 0.3; printf 'world'; } | python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
while True:
    d = sys.stdin.buffer.read1(65536)
    if not d:
        break
    s.sendall(d)
s.settimeout(5)
out = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    out += d
sys.stdout.write(out.decode("latin-1").split("\r\n\r\n", 1)[1])
' "$fr")
expect_eq "$got" "len=10 body=helloworld" "req.body sent in two pieces"
# bigger than the buffer: the rules see what fits
python3 -c "import sys; sys.stdout.write('a' * 99999 + '\n')" >"$T/a100k"
len=$(curl -s --data-binary @"$T/a100k" "$R" | sed -n 's/^len=\([0-9]*\) .*/\1/p')
[ -n "$len" ] && [ "$len" -ge 8000 ] && [ "$len" -le 16384 ] || fail "req.body of a 100 kB body: length '$len' (want what fits in the buffer)"
note "req.body of a 100 kB body: $len bytes"
expect_eq "$(curl -s --data-binary @"$T/a100k" "http://127.0.0.1:$fb/sum")" "100000 $(sha256sum <"$T/a100k" | cut -d' ' -f1)" "100 kB through http-buffer-request"

kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
