# HTTP mode basics through a frontend and a backend to tests/origin.py:
# GET with the request and response heads intact (header names compared
# without case: HAProxy 2.6 lower-cases them), HEAD, 204 and 304 without a
# body on a kept-alive connection, a small POST, and HTTP/1.0 clients with
# and without keep-alive.
. "$TOP/tests/lib.sh"

fe=$(free_port)
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
CONF

start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fe"
U=http://127.0.0.1:$fe

# GET: the origin gets the request line and headers, the client its body
out=$(curl -s -D "$T/h1" -H 'X-Custom: some  value' "$U/echo?a=1") || fail "GET /echo failed"
grep -q '^HTTP/1.1 200 OK' "$T/h1" || fail "GET /echo: status line: $(head -1 "$T/h1")"
echo "$out" | head -1 | grep -q '^GET /echo?a=1 HTTP/1.1' || fail "origin saw another request line: $out"
echo "$out" | grep -qix 'host: 127.0.0.1:'"$fe"$'\r' || fail "Host header not forwarded: $out"
echo "$out" | grep -qix 'x-custom: some  value'$'\r' || fail "X-Custom header not forwarded intact: $out"
grep -q "^REQ [0-9]* GET /echo?a=1 HTTP/1.1$" "$T/origin.log" || fail "the origin log has no REQ line for /echo"

# response headers intact
curl -s -D "$T/h2" -o "$T/b2" "$U/hdr?X-Test=hello%20world&X-Other=a%2Cb" || fail "GET /hdr failed"
grep -qix 'x-test: hello world'$'\r' "$T/h2" || fail "response header X-Test: $(cat "$T/h2")"
grep -qix 'x-other: a,b'$'\r' "$T/h2" || fail "response header X-Other: $(cat "$T/h2")"
grep -qi '^x-conn: [0-9]' "$T/h2" || fail "response header X-Conn missing"
grep -qix 'content-length: 4'$'\r' "$T/h2" || fail "content-length missing: $(cat "$T/h2")"
expect_eq "$(cat "$T/b2")" "hdr" "GET /hdr body"

# a body of 100000 bytes with Content-Length
want=$(python3 "$TOP/tests/origin.py" --pattern 100000 | sha256sum | cut -d' ' -f1)
got=$(curl -s "$U/size/100000" | sha256sum | cut -d' ' -f1)
expect_eq "$got" "$want" "GET /size/100000 checksum"
got=$(curl -s "$U/chunked/100000" | sha256sum | cut -d' ' -f1)
expect_eq "$got" "$want" "GET /chunked/100000 checksum"

# a small POST
got=$(curl -s --data-binary 'hello' "$U/sum")
expect_eq "$got" "5 $(printf hello | sha256sum | cut -d' ' -f1)" "POST /sum"

# HEAD: headers with the length, no body; 204 and 304: no body. All on one
# connection, so a body sent by mistake would garble the next answer.
printf 'HEAD /size/1000 HTTP/1.1\r\nHost: a\r\n\r\nGET /status/204 HTTP/1.1\r\nHost: a\r\n\r\nGET /status/304 HTTP/1.1\r\nHost: a\r\n\r\nGET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' |
	http_raw "$fe" 5 >"$T/pipe.out"
rc=$?
[ $rc -eq 0 ] || fail "HEAD/204/304 sequence: the proxy did not close after Connection: close (rc $rc): $(cat "$T/pipe.out")"
tr -d '\r' <"$T/pipe.out" >"$T/pipe.txt"
expect_eq "$(grep '^HTTP/' "$T/pipe.txt" | tr '\n' '|')" "HTTP/1.1 200 OK|HTTP/1.1 204 No Content|HTTP/1.1 304 Not Modified|HTTP/1.1 200 OK|" "status lines of HEAD, 204, 304, GET"
grep -qix 'content-length: 1000' "$T/pipe.txt" || fail "HEAD lost its content-length: $(cat "$T/pipe.txt")"
expect_eq "$(tail -n 1 "$T/pipe.txt")" "GET /last" "the body after HEAD/204/304 (anything else means a body leaked)"
# after the empty line of each head comes the next status line directly
expect_eq "$(awk 'p && !/^HTTP\// {print "bad: " $0} {p = ($0 == "")}' "$T/pipe.txt" | grep -v '^bad: GET /last$')" "" "bytes after an empty-bodied answer"

# HTTP/1.0 without keep-alive: the answer comes and the proxy closes
printf 'GET /ten HTTP/1.0\r\n\r\n' | http_raw "$fe" 5 >"$T/h10.out"
rc=$?
[ $rc -eq 0 ] || fail "HTTP/1.0 without keep-alive: the connection stayed open (rc $rc)"
tr -d '\r' <"$T/h10.out" >"$T/h10.txt"
head -1 "$T/h10.txt" | grep -q '^HTTP/1\.[01] 200 ' || fail "HTTP/1.0: status line $(head -1 "$T/h10.txt")"
expect_eq "$(tail -n 1 "$T/h10.txt")" "GET /ten" "HTTP/1.0 body"
grep -q '^REQ [0-9]* GET /ten HTTP/1.0$' "$T/origin.log" || fail "HTTP/1.0 request not seen as HTTP/1.0 by the origin"
out=$(curl -s -0 "$U/ten2") || fail "curl -0"
expect_eq "$out" "GET /ten2" "curl -0"

# HTTP/1.0 with keep-alive: two requests on one client connection, the
# answers say keep-alive
curl -s -0 -v -H 'Connection: keep-alive' "$U/ka1" "$U/ka2" >"$T/ka.out" 2>"$T/ka.err" || fail "curl -0 keep-alive"
expect_eq "$(tr -d '\r' <"$T/ka.out" | tr '\n' ' ')" "GET /ka1 GET /ka2 " "HTTP/1.0 keep-alive bodies"
grep -q 'Re-using existing connection' "$T/ka.err" || fail "HTTP/1.0 keep-alive: curl did not reuse the connection: $(grep -i '^[<*]' "$T/ka.err")"
expect_eq "$(grep -ci '^< connection: keep-alive' "$T/ka.err")" 2 "connection: keep-alive in the HTTP/1.0 answers"

# HTTP/1.1 with Connection: close: the proxy answers with close and closes
printf 'GET /c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' | http_raw "$fe" 5 >"$T/c.out"
[ $? -eq 0 ] || fail "Connection: close: the connection stayed open"
grep -qi '^connection: close' "$T/c.out" || fail "Connection: close: the answer does not say close: $(cat "$T/c.out")"

kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
