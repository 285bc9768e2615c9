# "option httplog": one line per HTTP transaction, in HAProxy 2.6's format
#   %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc
#   %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r
# checked field by field for a 200 through a server, a deny (403), an
# "http-request return" (404), a backend without a server (503), a bad
# request (400, "<BADREQ>"), and two requests on one kept-alive connection
# (two lines, the second one's date and timers its own). Without captures
# %hr and %hs print nothing and the spaces around them collapse into one.
# %B is compared with what the client received: exactly for hlproxy, give
# or take a few bytes for HAProxy (it counts its internal representation).
# Runs against HAProxy 2.6 too (HLP=/usr/sbin/haproxy).
. "$TOP/tests/lib.sh"

fe=$(free_port)
fd=$(free_port)
fr=$(free_port)
fn=$(free_port)
fz=$(free_port)
og=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fe
    bind 127.0.0.1:$fe
    default_backend be

frontend fdeny
    bind 127.0.0.1:$fd
    http-request deny

frontend fret
    bind 127.0.0.1:$fr
    http-request return status 404

frontend fnosrv
    bind 127.0.0.1:$fn
    default_backend nosrv

frontend fnull
    bind 127.0.0.1:$fz
    option dontlognull
    default_backend be

backend be
    server s1 127.0.0.1:$og

backend nosrv
CONF

start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fe"

# logline REQ [N]: split the N-th (default 1) line ending with the quoted
# request line REQ (a regex) into the F_* fields
logline() {
	local n=${2:-1}
	wait_grep "$n" "\"$1\"\$" "$T/hlp.log" 5 || fail "no log line for $1 (want $n)"
	split "$(grep -E "\"$1\"\$" "$T/hlp.log" | sed -n "${n}p")"
}

# split LINE into F_* fields; fails when it does not have the httplog shape
re='^([0-9.]+):([0-9]+) \[([0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3})\] ([^ ]+) ([^/ ]+)/([^ ]+) (-?[0-9]+)/(-?[0-9]+)/(-?[0-9]+)/(-?[0-9]+)/(-?[0-9]+) (-?[0-9]+) ([0-9]+) ([^ ]+) ([^ ]+) ([^ ]{4}) ([0-9]+/[0-9]+/[0-9]+/[0-9]+/\+?[0-9]+) ([0-9]+/[0-9]+) "(.*)"$'
split() {
	LINE=$1
	note "$LINE"
	[[ $LINE =~ $re ]] || fail "not an httplog line: '$LINE'"
	F_ci=${BASH_REMATCH[1]} F_cp=${BASH_REMATCH[2]} F_tr=${BASH_REMATCH[3]} F_ft=${BASH_REMATCH[4]}
	F_b=${BASH_REMATCH[5]} F_s=${BASH_REMATCH[6]} F_TR=${BASH_REMATCH[7]} F_Tw=${BASH_REMATCH[8]}
	F_Tc=${BASH_REMATCH[9]} F_Tr=${BASH_REMATCH[10]} F_Ta=${BASH_REMATCH[11]} F_ST=${BASH_REMATCH[12]}
	F_B=${BASH_REMATCH[13]} F_CC=${BASH_REMATCH[14]} F_CS=${BASH_REMATCH[15]} F_tsc=${BASH_REMATCH[16]}
	F_conns=${BASH_REMATCH[17]} F_queues=${BASH_REMATCH[18]} F_r=${BASH_REMATCH[19]}
}

# field NAME VALUE EXPECTED: one field of the current line
field() {
	[ "$2" = "$3" ] || fail "field $1: expected '$3', got '$2' in: $LINE"
}

# range NAME VALUE MIN MAX: a number within [MIN, MAX]
range() {
	[ "$2" -ge "$3" ] && [ "$2" -le "$4" ] || fail "field $1: $2 is not within [$3, $4] in: $LINE"
}

# bytes VALUE WIRE: %B against the bytes the client received
bytes() {
	if is_haproxy; then
		range B "$1" $(($2 - 16)) $(($2 + 16))
	else
		field B "$1" "$2"
	fi
}

# the epoch second of a log date (dd/Mmm/yyyy:hh:mm:ss.mmm, local time)
epoch() {
	date -d "$(echo "$1" | sed -E 's#^([0-9]+)/([A-Za-z]+)/([0-9]+):([0-9:]+)\..*#\1 \2 \3 \4#')" +%s
}

# the fields every line shares: client, date, no cookie, queues
common() {
	local now
	now=$(date +%s)
	field ci "$F_ci" 127.0.0.1
	[ -z "${1:-}" ] || field cp "$F_cp" "$1"
	range "tr (age in s)" $((now - $(epoch "$F_tr"))) 0 10
	field CC "$F_CC" -
	field CS "$F_CS" -
	field "sq/bq" "$F_queues" 0/0
}

# 1. a 200 through the server
w=$(curl -s -o /dev/null -w '%{local_port} %{size_header} %{size_download}' "http://127.0.0.1:$fe/size/100") ||
	fail "GET /size/100 failed"
set -- $w
logline 'GET /size/100 HTTP/1.1'
common "$1"
field ft "$F_ft" fe
field b "$F_b" be
field s "$F_s" s1
range TR "$F_TR" 0 1000
range Tw "$F_Tw" 0 1000
range Tc "$F_Tc" 0 1000
range Tr "$F_Tr" 0 1000
range Ta "$F_Ta" $((F_TR + F_Tw + F_Tc + F_Tr)) 2000
field ST "$F_ST" 200
bytes "$F_B" $(($2 + $3))
field tsc "$F_tsc" ----
field "ac/fc/bc/sc/rc" "$F_conns" 1/1/0/0/0
field r "$F_r" "GET /size/100 HTTP/1.1"

# 2. http-request deny: 403 from the proxy, no server, no connection
w=$(curl -s -o /dev/null -w '%{local_port} %{size_header} %{size_download} %{http_code}' "http://127.0.0.1:$fd/deny") ||
	fail "GET /deny failed"
set -- $w
expect_eq "$4" 403 "status of a denied request"
logline 'GET /deny HTTP/1.1'
common "$1"
field ft "$F_ft" fdeny
field "b/s" "$F_b/$F_s" "fdeny/<NOSRV>"
range TR "$F_TR" 0 1000
field "Tw/Tc/Tr" "$F_Tw/$F_Tc/$F_Tr" -1/-1/-1
range Ta "$F_Ta" "$F_TR" 1000
field ST "$F_ST" 403
bytes "$F_B" $(($2 + $3))
field tsc "$F_tsc" PR--
field "ac/fc/bc/sc/rc" "$F_conns" 1/1/0/0/0

# 3. http-request return status 404: a local answer ("L", by the proxy)
w=$(curl -s -o /dev/null -w '%{local_port} %{size_header} %{size_download} %{http_code}' "http://127.0.0.1:$fr/ret?x=1") ||
	fail "GET /ret failed"
set -- $w
expect_eq "$4" 404 "status of http-request return"
logline 'GET /ret\?x=1 HTTP/1.1'
common "$1"
field ft "$F_ft" fret
field "b/s" "$F_b/$F_s" "fret/<NOSRV>"
field "Tw/Tc/Tr" "$F_Tw/$F_Tc/$F_Tr" -1/-1/-1
field ST "$F_ST" 404
bytes "$F_B" $(($2 + $3))
field tsc "$F_tsc" LR--
field r "$F_r" "GET /ret?x=1 HTTP/1.1"

# 4. a backend without a server: 503, "SC" (server side, at connection)
w=$(curl -s -o /dev/null -w '%{local_port} %{size_header} %{size_download} %{http_code}' "http://127.0.0.1:$fn/none") ||
	fail "GET /none failed"
set -- $w
expect_eq "$4" 503 "status without a server"
logline 'GET /none HTTP/1.1'
common "$1"
field ft "$F_ft" fnosrv
field "b/s" "$F_b/$F_s" "nosrv/<NOSRV>"
field "Tw/Tc/Tr" "$F_Tw/$F_Tc/$F_Tr" -1/-1/-1
field ST "$F_ST" 503
bytes "$F_B" $(($2 + $3))
field tsc "$F_tsc" SC--
field "ac/fc/bc/sc/rc" "$F_conns" 1/1/0/0/0

# 5. a request that does not parse: 400 and "<BADREQ>", TR never reached
n0=$(count_grep '"<BADREQ>"$' "$T/hlp.log")
printf 'GARBAGE\r\n\r\n' | http_raw "$fe" 5 >"$T/bad.out"
head -1 "$T/bad.out" | grep -q '^HTTP/1.[01] 400 ' || fail "a bad request did not get a 400: $(head -1 "$T/bad.out")"
logline '<BADREQ>' $((n0 + 1))
common
field ft "$F_ft" fe
field "b/s" "$F_b/$F_s" "fe/<NOSRV>"
field "TR/Tw/Tc/Tr" "$F_TR/$F_Tw/$F_Tc/$F_Tr" -1/-1/-1/-1
field ST "$F_ST" 400
field tsc "$F_tsc" PR--

# 6. a connection closed before sending anything: HAProxy 2.6 logs it as a
# bad request it did not answer (400, nothing sent, "CR": the client
# closed while the proxy waited for the request); "option dontlognull"
# hides these lines
n0=$(count_grep '"<BADREQ>"$' "$T/hlp.log")
python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
print(s.getsockname()[1])
time.sleep(0.1)
s.close()' "$fe" >"$T/empty.out"
logline '<BADREQ>' $((n0 + 1))
common "$(cat "$T/empty.out")"
field ft "$F_ft" fe
field "b/s" "$F_b/$F_s" "fe/<NOSRV>"
field "TR/Tw/Tc/Tr" "$F_TR/$F_Tw/$F_Tc/$F_Tr" -1/-1/-1/-1
range Ta "$F_Ta" 0 1000
field "ST B" "$F_ST $F_B" "400 0"
field tsc "$F_tsc" CR--

# with "option dontlognull" the empty connection is not logged; one that
# sent part of a request before closing is (400, "CR")
python3 -c '
import socket, sys, time
port = int(sys.argv[1])
s = socket.create_connection(("127.0.0.1", port))
time.sleep(0.1)
s.close()
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET /part HT")
time.sleep(0.1)
s.close()' "$fz"
wait_grep 1 '\] fnull ' "$T/hlp.log" 5 || fail "no line for a partial request on fnull"
sleep 0.3
expect_eq "$(count_grep '\] fnull ' "$T/hlp.log")" 1 "lines on fnull (dontlognull) for an empty and a partial request"
split "$(grep '\] fnull ' "$T/hlp.log")"
field "b/s" "$F_b/$F_s" "fnull/<NOSRV>"
field "TR/Tw/Tc/Tr" "$F_TR/$F_Tw/$F_Tc/$F_Tr" -1/-1/-1/-1
field "ST B tsc r" "$F_ST $F_B $F_tsc $F_r" "400 0 CR-- <BADREQ>"

# 7. keep-alive: two requests on one connection, 300 ms apart, give two
# lines with the same client port; the second starts after the first ended
python3 - "$fe" >"$T/ka.out" <<'PY' || fail "keep-alive client: $(cat "$T/ka.out")"
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
def answer():
    data = b""
    while b"\r\n\r\n" not in data:
        d = s.recv(65536)
        if not d:
            sys.exit("closed early")
        data += d
    head, _, body = data.partition(b"\r\n\r\n")
    n = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0]
    while len(body) < n:
        body += s.recv(65536)
    return len(head) + 4 + len(body)
s.sendall(b"GET /size/10 HTTP/1.1\r\nHost: a\r\n\r\n")
b1 = answer()
time.sleep(0.3)
s.sendall(b"GET /sleep/200 HTTP/1.1\r\nHost: a\r\n\r\n")
b2 = answer()
print(s.getsockname()[1], b1, b2)
s.close()
PY
set -- $(cat "$T/ka.out")
logline 'GET /size/10 HTTP/1.1'
common "$1"
field "b/s" "$F_b/$F_s" be/s1
field ST "$F_ST" 200
bytes "$F_B" "$2"
tr1=$F_tr
logline 'GET /sleep/200 HTTP/1.1'
common "$1"
field "b/s" "$F_b/$F_s" be/s1
field ST "$F_ST" 200
bytes "$F_B" "$3"
field tsc "$F_tsc" ----
range Tr "$F_Tr" 180 2000
range Ta "$F_Ta" $((F_TR + F_Tw + F_Tc + F_Tr)) 3000
# the request dates are 300 ms apart or more (same second or later)
ms() { echo "$1" | sed -E 's/.*:([0-9]{2})\.([0-9]{3})$/\1\2/; s/^0*([0-9])/\1/'; }
d=$(( ($(epoch "$F_tr") - $(epoch "$tr1")) * 1000 + $(ms "$F_tr") % 1000 - $(ms "$tr1") % 1000 ))
range "ms between the two request dates" "$d" 290 3000
expect_eq "$(count_grep '"GET /s(ize/10|leep/200) HTTP/1.1"$' "$T/hlp.log")" 2 "lines for the two kept-alive requests"
# the client closing the kept-alive connection afterwards logs nothing
sleep 0.3
expect_eq "$(count_grep "^127\.0\.0\.1:$1 " "$T/hlp.log")" 2 "lines for the kept-alive connection"

# the whole line of one transaction, with the single spaces where %hr and
# %hs are empty
grep -E '^127\.0\.0\.1:[0-9]+ \[[^]]+\] fe be/s1 [0-9]+/[0-9]+/[0-9]+/[0-9]+/[0-9]+ 200 [0-9]+ - - ---- 1/1/0/0/0 0/0 "GET /size/100 HTTP/1.1"$' "$T/hlp.log" >/dev/null ||
	fail "the line of GET /size/100 does not read as HAProxy's: $(grep 'GET /size/100' "$T/hlp.log")"
is_haproxy || stop_hlp
