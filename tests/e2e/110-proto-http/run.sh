# req.proto_http (and req_proto_http): the request buffer checked with the
# strict HTTP/1 parser (src/h1.c, unit-tested in tests/unit_h1.c). True for
# a complete valid head, false for a malformed one; undecided (nil) while
# the head is incomplete and the client may send more within the
# inspect-delay, false once the client closed or the delay ran out.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/ph.lua" .
p=$(free_port)
cat >ph.cfg <<CONF
global
   lua-load ph.lua

defaults
   mode tcp
   timeout client 10s

listen ph
   bind 127.0.0.1:$p
   tcp-request inspect-delay 600ms
   tcp-request content lua.probe
CONF
start_hlp ph.cfg "$p"
ask() { printf "$1" | timeout 10 nc -q 3 127.0.0.1 "$p"; }

expect_eq "$(ask 'GET / HTTP/1.1\r\nHost: a\r\n\r\n')" "true 1" "a valid request"
expect_eq "$(ask 'POST /x HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc')" "true 1" "a valid request with a body"
expect_eq "$(ask 'hello\r\n\r\n')" "false 0" "not HTTP"
expect_eq "$(ask 'GET / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n')" "false 0" "Content-Length with Transfer-Encoding"
expect_eq "$(ask 'GET / HTTP/1.1\r\nX : y\r\n\r\n')" "false 0" "a space before the colon"
expect_eq "$(ask 'GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n')" "false 0" "obs-fold"
# incomplete: undecided while the client sends, then the head completes
out=$( (printf 'GET / HTTP/1.1\r\nHo'; sleep 0.2; printf 'st: a\r\n\r\n'; sleep 1) | timeout 10 nc 127.0.0.1 "$p")
expect_eq "$out" "true 1" "a head sent in two parts"
# incomplete until the inspect-delay runs out: false
out=$( (printf 'GET / HTTP/1.1\r\n'; sleep 1.5) | timeout 10 nc 127.0.0.1 "$p")
expect_eq "$out" "false 0" "incomplete at the end of the inspect-delay"
# incomplete and the client closed its side: false at once
expect_eq "$(ask 'GET / HTTP/1.1\r\n')" "false 0" "incomplete, then closed"
kill -0 "$HLP_PID" || fail "the proxy died"
stop_hlp
