# log-format in HTTP mode: the HTTP variables (%r %ST %B %U %Tq %TR %Tw %Tc
# %Tr %Ta %Tt %Th %Ti %Td %Tu %CC %CS %hr %hs %HM %HU %HV %HP %HPO %HQ %tsc),
# the dates (%t %tr %T %Tl %trg %trl %Ts %ms), the flags (%{+Q}r, +X, +E,
# %o) and the separators (a run of spaces prints one space, none after an
# empty %hr), as HAProxy 2.6 prints them. The timers follow HAProxy's
# definitions, checked through their identities:
#   Tq = Th + Ti + TR,  Ta = TR + Tw + Tc + Tr + Td,  Tt = Th + Ti + Ta,
#   Tu = Tt - Ti
# on a kept-alive connection where the client waits 300 ms before its
# first request, types it in two parts 200 ms apart, then waits 400 ms
# before the second (Ti of the second counts from the end of the first).
# In TCP mode the HTTP-only variables are configuration errors, the others
# (%ST %tsc %Th %Td %Tu %hr) print their TCP values. Runs against HAProxy
# 2.6 too (HLP=/usr/sbin/haproxy).
. "$TOP/tests/lib.sh"

fa=$(free_port)
fn=$(free_port)
ff=$(free_port)
fo=$(free_port)
fd=$(free_port)
ft=$(free_port)
og=$(free_port)
tcpsrv=$(free_port)
A='A r=%r ST=%ST B=%B U=%U Tq=%Tq TR=%TR Tw=%Tw Tc=%Tc Tr=%Tr Ta=%Ta Tt=%Tt Th=%Th Ti=%Ti Td=%Td Tu=%Tu CC=%CC CS=%CS hr=%hr hs=%hs HM=%HM HU=%HU HV=%HV HP=%HP HPO=%HPO HQ=%HQ tsc=%tsc Q=%{+Q}r'
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode http
    log global
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fa
    bind 127.0.0.1:$fa
    log-format "$A"
    default_backend be

frontend fnosrv
    bind 127.0.0.1:$fn
    log-format "$A"
    default_backend nosrv

frontend fflags
    bind 127.0.0.1:$ff
    log-format "F %{+Q}ci %{+X}ci %{+X}fp %{+Q}b %{+Q}s %{+Q}CC %CS %{+Q}HM %{+Q}HQ %{+E}HQ %{+E,+Q}r %{+Q}[str(z)] %{+Q}[str()] %[str()] %{+Q}ST x%hr%hs.y   a    b |%hr %hs| %%"
    default_backend be

frontend fo
    bind 127.0.0.1:$fo
    log-format "%{+Q}o O %ci %b %r %HM %ST %[str(z)] %{-Q}r %CC %HQ"
    default_backend be

frontend fdates
    bind 127.0.0.1:$fd
    log-format "D t=%t tr=%tr T=%T Tl=%Tl trg=%trg trl=%trl Ts=%Ts ms=%ms"
    default_backend be

frontend ftcp
    mode tcp
    bind 127.0.0.1:$ft
    log-format "TCP ST=%ST tsc=%tsc Th=%Th Td=%Td Tu=%Tu Tt=%Tt B=%B hr=%hr|"
    default_backend tcpbe

backend be
    server s1 127.0.0.1:$og

backend nosrv

backend tcpbe
    mode tcp
    server t1 127.0.0.1:$tcpsrv
CONF

start_origin "$og" "$T/origin.log"
name_server "$tcpsrv" hello
TZ=IST-5:30 start_hlp "$T/hlp.conf" "$fa"

# getline PATTERN [N]: the N-th line (default 1) of the log matching PATTERN (grep -E) into L
getline() {
	local n=${2:-1}
	wait_grep "$n" "$1" "$T/hlp.log" 5 || fail "no log line matching $1 (want $n)"
	L=$(grep -E -- "$1" "$T/hlp.log" | sed -n "${n}p")
	note "$L"
}

# kv LINE: the fields of an "A ..." line into V[name] (up to " Q=", the
# quoted request line goes to V[Q]; r= holds spaces: taken by its shape)
declare -A V
kv() {
	local rest=$1 tok
	V=()
	[[ $rest =~ ^A\ r=(.*)\ ST=(.*)\ Q=(.*)$ ]] || fail "not an A line: $rest"
	V[r]=${BASH_REMATCH[1]}
	V[Q]=${BASH_REMATCH[3]}
	for tok in ST=${BASH_REMATCH[2]}; do
		V[${tok%%=*}]=${tok#*=}
	done
}
want() {   # want NAME VALUE
	[ "${V[$1]-unset}" = "$2" ] || fail "%$1: expected '$2', got '${V[$1]-unset}' in: $L"
}
within() { # within NAME MIN MAX
	[ "${V[$1]}" -ge "$2" ] && [ "${V[$1]}" -le "$3" ] || fail "%$1: ${V[$1]} not within [$2, $3] in: $L"
}
bytes() {  # bytes NAME WIRE: exact for hlproxy, HAProxy counts its internal form
	if is_haproxy; then within "$1" $(($2 - 16)) $(($2 + 16)); else want "$1" "$2"; fi
}
identities() {
	[ "${V[Tq]}" -eq $((V[Th] + V[Ti] + V[TR])) ] || fail "Tq != Th + Ti + TR in: $L"
	[ "${V[Ta]}" -eq $((V[TR] + V[Tw] + V[Tc] + V[Tr] + V[Td])) ] || fail "Ta != TR + Tw + Tc + Tr + Td in: $L"
	[ "${V[Tt]}" -eq $((V[Th] + V[Ti] + V[Ta])) ] || fail "Tt != Th + Ti + Ta in: $L"
	[ "${V[Tu]}" -eq $((V[Tt] - V[Ti])) ] || fail "Tu != Tt - Ti in: $L"
}

# 1. a slow client on a kept-alive connection
python3 - "$fa" >"$T/ka.out" <<'PY' || fail "keep-alive client: $(cat "$T/ka.out")"
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
r1 = [b"GET /sleep/100?a=b HT", b"TP/1.1\r\nHost: a\r\n\r\n"]
r2 = b"GET http://example.com/p/q HTTP/1.1\r\nHost: example.com\r\n\r\n"
time.sleep(0.3)
s.sendall(r1[0])
time.sleep(0.2)
s.sendall(r1[1])
b1 = answer()
time.sleep(0.4)
s.sendall(r2)
b2 = answer()
print(len(r1[0]) + len(r1[1]), b1, len(r2), b2)
s.close()
PY
set -- $(cat "$T/ka.out")
getline '^A r=GET /sleep/100'
kv "$L"
want r "GET /sleep/100?a=b HTTP/1.1"
want Q '"GET /sleep/100?a=b HTTP/1.1"'
want ST 200
bytes B "$2"
bytes U "$1"
want Th 0
within Ti 280 1500
within TR 180 1500
within Tw 0 1000
within Tc 0 1000
within Tr 95 2000
within Td 0 1000
identities
want CC -
want CS -
want hr ""
want hs ""
want HM GET
want HU "/sleep/100?a=b"
want HV HTTP/1.1
want HP /sleep/100
want HPO /sleep/100
want HQ "?a=b"
want tsc ----
# %hr and %hs print nothing: one space each after "hr=" and "hs="
echo "$L" | grep -q ' hr= hs= HM=GET ' || fail "spaces around the empty %hr/%hs: $L"

getline '^A r=GET http://example.com/p/q '
kv "$L"
want HU http://example.com/p/q
want HP http://example.com/p/q
want HPO /p/q
want HQ ""
want Th 0
within Ti 380 1500
bytes B "$4"
bytes U "$3"
identities
echo "$L" | grep -q ' HQ= tsc=---- ' || fail "an empty %HQ: $L"

# 2. HTTP/1.0, no query
printf 'GET /echo/v HTTP/1.0\r\n\r\n' | http_raw "$fa" 5 >/dev/null
getline '^A r=GET /echo/v HTTP/1.0 '
kv "$L"
want HV HTTP/1.0
want HU /echo/v
want HQ ""
want Q '"GET /echo/v HTTP/1.0"'
identities

# 3. no server: 503, the server-side timers never reached
curl -s -o /dev/null "http://127.0.0.1:$fn/gone"
getline '^A r=GET /gone '
kv "$L"
want ST 503
within TR 0 1000
want Tw -1
want Tc -1
want Tr -1
want Td -1
want tsc SC--
[ "${V[Ta]}" -ge "${V[TR]}" ] || fail "Ta < TR: $L"

# 4. a request that does not parse: every part of it is <BADREQ>
n0=$(count_grep '^A r=<BADREQ> ' "$T/hlp.log")
printf 'GARBAGE\r\n\r\n' | http_raw "$fa" 5 >/dev/null
getline '^A r=<BADREQ> ' $((n0 + 1))
kv "$L"
want ST 400
want Q '"<BADREQ>"'
want TR -1
want Tq -1
want Tw -1
want Tr -1
for v in HM HU HV HP HPO HQ; do want $v "<BADREQ>"; done

# 5. flags: +Q quotes strings (an empty one as ""), not numbers; +X gives
# addresses and ports in hex; +E escapes '"', '\' and ']'; an empty or
# failed sample is "-"; runs of spaces print one space; %o gives its flags
# to every variable after it, and prints nothing (nor the space after it,
# at the start of the line)
curl -g -s -o /dev/null "http://127.0.0.1:$ff/f?a]b"
getline '^F '
fp=$(printf %04X "$ff")
expect_eq "$L" "F \"127.0.0.1\" 7F000001 $fp \"be\" \"s1\" \"\" - \"GET\" \"?a]b\" ?a\\]b \"GET /f?a\\]b HTTP/1.1\" \"z\" \"\" - 200 x.y a b | | %" "flags line"

curl -s -o /dev/null "http://127.0.0.1:$fo/o"
getline '^O '
expect_eq "$L" 'O "127.0.0.1" "be" "GET /o HTTP/1.1" "GET" 200 "z" GET /o HTTP/1.1 "" ""' "%{+Q}o line"

# 6. dates, in a time zone 5:30 east of GMT
curl -s -o /dev/null "http://127.0.0.1:$fd/d"
getline '^D '
d='[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2}'
[[ $L =~ ^D\ t=($d)\.([0-9]{3})\ tr=($d)\.([0-9]{3})\ T=($d)\ \+0000\ Tl=($d)\ \+0530\ trg=($d)\ \+0000\ trl=($d)\ \+0530\ Ts=([0-9]+)\ ms=([0-9]{3})$ ]] ||
	fail "dates line: $L"
M=("${BASH_REMATCH[@]}")
gmt() { date -u -d "$(echo "$1" | sed -E 's#^([0-9]+)/([A-Za-z]+)/([0-9]+):#\1 \2 \3 #')" +%s; }
expect_eq "$(gmt "${M[5]}")" "${M[9]}" "%T against %Ts"
expect_eq "$(( $(gmt "${M[6]}") - 19800 ))" "${M[9]}" "%Tl (+0530) against %Ts"
expect_eq "$(( $(gmt "${M[1]}") - 19800 ))" "${M[9]}" "%t against %Ts"
expect_eq "${M[2]}" "${M[10]}" "%ms against the milliseconds of %t"
expect_eq "$(( $(gmt "${M[8]}") - 19800 ))" "$(gmt "${M[7]}")" "%trl against %trg"
expect_eq "$(( $(gmt "${M[3]}") - 19800 ))" "$(gmt "${M[7]}")" "%tr against %trg"
now=$(date +%s)
[ $((now - M[9])) -ge 0 ] && [ $((now - M[9])) -le 10 ] || fail "%Ts is not now: ${M[9]} vs $now"

# 7. TCP mode: the variables HAProxy allows there
out=$(timeout 5 nc 127.0.0.1 "$ft" </dev/null)
expect_eq "$out" hello "TCP answer"
getline '^TCP '
[[ $L =~ ^TCP\ ST=0\ tsc=----\ Th=0\ Td=([0-9]+)\ Tu=([0-9]+)\ Tt=([0-9]+)\ B=6\ hr=\|$ ]] || fail "TCP line: $L"
expect_eq "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" "Tu = Tt in TCP mode"
is_haproxy || stop_hlp

# 8. configuration: an HTTP-only variable in a TCP frontend, and a name
# that runs on (the name is every letter and digit after the '%')
for v in r TR Tq Tr Ta Ti tr trg trl CC CS HM HU HV HP HPO HQ; do
	cat >"$T/bad.cfg" <<CONF
frontend f
    mode tcp
    bind 127.0.0.1:$(free_port)
    log-format "x %$v y"
CONF
	"$HLP" -c -f "$T/bad.cfg" >"$T/bad.out" 2>&1 && fail "%$v accepted in a TCP frontend"
	expect_grep "format variable '$v' is reserved for HTTP mode" "$T/bad.out" "%$v in a TCP frontend"
done
for v in ST tsc Th Td Tu hr hs B U; do
	cat >"$T/ok.cfg" <<CONF
frontend f
    mode tcp
    bind 127.0.0.1:$(free_port)
    log-format "x %$v y"
CONF
	"$HLP" -c -f "$T/ok.cfg" >"$T/ok.out" 2>&1 || fail "%$v refused in a TCP frontend: $(cat "$T/ok.out")"
done
cat >"$T/bad.cfg" <<CONF
frontend f
    mode http
    bind 127.0.0.1:$(free_port)
    log-format "%Ttx"
CONF
"$HLP" -c -f "$T/bad.cfg" >"$T/bad.out" 2>&1 && fail "%Ttx accepted"
expect_grep "Ttx" "$T/bad.out" "the name of an unknown variable"
exit 0
