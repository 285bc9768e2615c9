# option forwardfor [header NAME] [except NET]: the origin gets the client
# address in X-Forwarded-For (or NAME) as the last header line, a new line
# after one the client sent (HAProxy appends, it does not merge), none when
# the client is in NET, and the header is added to every request of a
# kept-alive connection. When the frontend and the backend both ask for it
# (the usual "option forwardfor" in defaults), the header is added once,
# under the backend's name, and no client inside either "except" network
# gets it (HAProxy 2.6 http_process_request).
. "$TOP/tests/lib.sh"

og=$(free_port)
for v in f1 f2 f3 f4 f5 f6 d1 d2 d3 d4 d5; do eval "$v=\$(free_port)"; done
cat >"$T/hlp.conf" <<CONF
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s

listen plain
    bind 127.0.0.1:$f1
    option forwardfor
    server s1 127.0.0.1:$og

listen named
    bind 127.0.0.1:$f2
    option forwardfor header X-Client
    server s1 127.0.0.1:$og

listen except_lo
    bind 127.0.0.1:$f3
    option forwardfor except 127.0.0.0/8
    server s1 127.0.0.1:$og

listen except_other
    bind 127.0.0.1:$f4
    option forwardfor except 10.0.0.0/8 header X-Real-IP
    server s1 127.0.0.1:$og

listen except_host
    bind 127.0.0.1:$f5
    option forwardfor except 127.0.0.1
    server s1 127.0.0.1:$og

listen none
    bind 127.0.0.1:$f6
    server s1 127.0.0.1:$og

defaults
    mode http
    option forwardfor
    timeout connect 2s
    timeout client 5s
    timeout server 5s

frontend both
    bind 127.0.0.1:$d1
    default_backend b_plain

frontend fe_named
    bind 127.0.0.1:$d2
    option forwardfor header X-Fe
    default_backend b_named

frontend fe_named_be_default
    bind 127.0.0.1:$d3
    option forwardfor header X-Fe
    default_backend b_plain

frontend fe_except
    bind 127.0.0.1:$d4
    option forwardfor except 127.0.0.1
    default_backend b_plain

frontend be_except
    bind 127.0.0.1:$d5
    default_backend b_except

backend b_plain
    server s1 127.0.0.1:$og

backend b_named
    option forwardfor header X-Be
    server s1 127.0.0.1:$og

backend b_except
    option forwardfor except 127.0.0.0/8
    server s1 127.0.0.1:$og
CONF

start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$f1"
for p in $f2 $f3 $f4 $f5 $f6 $d1 $d2 $d3 $d4 $d5; do wait_port "$p" || fail "listener on $p"; done

# hdrs PORT [curl args]: the request's header lines as the origin got them
# (from /echo), names lower-cased, CR removed
hdrs() {
	local port=$1
	shift
	curl -s "$@" "http://127.0.0.1:$port/echo" | tr -d '\r' | sed '1d;/^$/d' |
		awk -F': *' '{ printf "%s: %s\n", tolower($1), $2 }'
}
last() { tail -n 1; }

expect_eq "$(hdrs "$f1" | last)" "x-forwarded-for: 127.0.0.1" "option forwardfor: last header"
expect_eq "$(hdrs "$f1" | grep -c '^x-forwarded-for:')" 1 "option forwardfor: one X-Forwarded-For"
expect_eq "$(hdrs "$f2" | last)" "x-client: 127.0.0.1" "forwardfor header X-Client"
expect_eq "$(hdrs "$f2" | grep -c '^x-forwarded-for:')" 0 "forwardfor header X-Client: no X-Forwarded-For"
expect_eq "$(hdrs "$f3" | grep -c '^x-forwarded-for:')" 0 "forwardfor except 127.0.0.0/8: no header for 127.0.0.1"
expect_eq "$(hdrs "$f4" | last)" "x-real-ip: 127.0.0.1" "forwardfor except 10.0.0.0/8 header X-Real-IP"
expect_eq "$(hdrs "$f5" | grep -c '^x-forwarded-for:')" 0 "forwardfor except 127.0.0.1: no header"
expect_eq "$(hdrs "$f6" | grep -c '^x-forwarded-for:')" 0 "no forwardfor: no header"

# option forwardfor in defaults: frontend and backend both ask, one header
expect_eq "$(hdrs "$d1" | grep -c '^x-forwarded-for:')" 1 "forwardfor in defaults: one X-Forwarded-For"
got=$(hdrs "$d2" | grep -E '^x-(fe|be|forwarded-for):' | tr '\n' '|')
expect_eq "$got" "x-be: 127.0.0.1|" "both named: the backend's name wins"
got=$(hdrs "$d3" | grep -E '^x-(fe|be|forwarded-for):' | tr '\n' '|')
expect_eq "$got" "x-forwarded-for: 127.0.0.1|" "frontend named, backend from defaults: the backend's default name"
expect_eq "$(hdrs "$d4" | grep -c '^x-forwarded-for:')" 0 "the frontend's except applies to the backend's forwardfor"
expect_eq "$(hdrs "$d5" | grep -c '^x-forwarded-for:')" 0 "the backend's except applies to the frontend's forwardfor"

# the client's own X-Forwarded-For stays, ours follows on a line of its own
got=$(hdrs "$f1" -H 'X-Forwarded-For: 1.2.3.4' -H 'X-After: 1' | grep -E '^(x-forwarded-for|x-after):' | tr '\n' '|')
expect_eq "$got" "x-forwarded-for: 1.2.3.4|x-after: 1|x-forwarded-for: 127.0.0.1|" "a client X-Forwarded-For"
got=$(hdrs "$f3" -H 'X-Forwarded-For: 1.2.3.4' | grep '^x-forwarded-for:' | tr '\n' '|')
expect_eq "$got" "x-forwarded-for: 1.2.3.4|" "except: the client's header untouched"
# the client's X-Client is not replaced either
got=$(hdrs "$f2" -H 'X-Client: forged' | grep '^x-client:' | tr '\n' '|')
expect_eq "$got" "x-client: forged|x-client: 127.0.0.1|" "a client X-Client"

# every request of a kept-alive connection gets it, once
curl -s "http://127.0.0.1:$f1/k1" "http://127.0.0.1:$f1/k2" "http://127.0.0.1:$f1/k3" >/dev/null || fail "keep-alive requests"
sleep 0.2
n=$(awk '/^REQ [0-9]+ GET \/k[123] /{p=1; next} /^(REQ|CONN)/{p=0} p && tolower($0) ~ /^  x-forwarded-for: 127\.0\.0\.1$/ {n++} END {print n + 0}' "$T/origin.log")
expect_eq "$n" 3 "X-Forwarded-For on 3 kept-alive requests"

# pipelined requests with a body: the header lands in each head, bodies intact
printf 'POST /sum HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloPOST /sum HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n' |
	http_raw "$f1" 5 >"$T/pipe.out"
h=$(printf hello | sha256sum | cut -d' ' -f1)
expect_eq "$(python3 "$TOP/tests/origin.py" --parse <"$T/pipe.out" | tr '\n' '|')" "200 67 5 $h|200 67 5 $h|END 0|" "pipelined POSTs with forwardfor"

kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
