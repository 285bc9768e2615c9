# Timeouts on half-closed connections, as HAProxy applies them: a side's
# timeout runs only while I/O is expected from that side (reading while
# its input is open, or writing pending data to it). Once a side has shut
# its output and has nothing to receive, being silent is normal and must
# not end the session; the other side's timeout governs.
# 1. timeout client 1s, server 10s: the client sends its request and
#    shuts its output; the server answers 2 s later: the answer arrives.
# 2. the same with timeout client 10s and client-fin 1s.
# 3. timeout server 1s, client 10s: the server says bye and shuts its
#    output, keeps reading; the client sends data 2 s later: it arrives.
# 4. the same with timeout server 10s and server-fin 1s.
# 5. the -fin timeouts do apply where I/O is expected: the server shuts
#    first and the client stays silent with client-fin 1s: cD; the client
#    shuts first and the server stays silent with server-fin 1s: sD.
# Haproxy 2.6 behaves exactly so.
. "$TOP/tests/lib.sh"

ping=$(free_port)
c1=$(free_port)
c2=$(free_port)
s1=$(free_port)
s2=$(free_port)
cf=$(free_port)
sf=$(free_port)
slow=$(free_port)
bye=$(free_port)
mute=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 10s
    timeout server 10s

# for start_hlp's probe, which must make no session in the others
listen ping
    bind 127.0.0.1:$ping
    server bye 127.0.0.1:$bye

listen c1
    bind 127.0.0.1:$c1
    timeout client 1s
    server slow 127.0.0.1:$slow

listen c2
    bind 127.0.0.1:$c2
    timeout client-fin 1s
    server slow 127.0.0.1:$slow

listen s1
    bind 127.0.0.1:$s1
    timeout server 1s
    server bye 127.0.0.1:$bye

listen s2
    bind 127.0.0.1:$s2
    timeout server-fin 1s
    server bye 127.0.0.1:$bye

listen cf
    bind 127.0.0.1:$cf
    timeout client-fin 1s
    server bye 127.0.0.1:$bye

listen sf
    bind 127.0.0.1:$sf
    timeout server-fin 1s
    server mute 127.0.0.1:$mute
CONF

# answers 2 s after the end of the request
bg socat -t 30 TCP-LISTEN:"$slow",bind=127.0.0.1,reuseaddr,fork SYSTEM:"cat >/dev/null; sleep 2; echo answer"
wait_port "$slow" 5 || fail "slow server did not start"
# says bye (then FIN), appends what it receives to a file
echo bye >"$T/bye.txt"
: >"$T/late"
bg socat -t 30 TCP-LISTEN:"$bye",bind=127.0.0.1,reuseaddr,fork "OPEN:$T/bye.txt,rdonly!!OPEN:$T/late,wronly,append,creat"
wait_port "$bye" 5 || fail "bye server did not start"
# reads the request, then stays silent with its side open
bg socat -t 30 TCP-LISTEN:"$mute",bind=127.0.0.1,reuseaddr,fork SYSTEM:"cat >/dev/null; sleep 20"
wait_port "$mute" 5 || fail "mute server did not start"
start_hlp "$T/hlp.conf" "$ping"
logline() {
	local i
	for i in $(seq 1 100); do grep -q "] $1 $1/" "$T/hlp.log" && break; sleep 0.05; done
	grep "] $1 $1/" "$T/hlp.log" | tail -n 1
}

# 5. first, the cases where the timeout must fire
exec {fd}<>/dev/tcp/127.0.0.1/"$cf" || fail "cf: cannot connect"
# bye, then EOF: the server is done; the client stays silent with its
# side open until the proxy ends the session (hang guard 10 s)
timeout 5 cat <&"$fd" >/dev/null
for _ in $(seq 1 200); do grep -q "] cf cf/" "$T/hlp.log" && break; sleep 0.05; done
exec {fd}>&-
grep -q "] cf cf/" "$T/hlp.log" || fail "server shut, client silent, client-fin 1s: the session was not ended"
line=$(logline cf)
note "cf: $line"
echo "$line" | grep -q ' cD ' || fail "server shut, client silent, client-fin 1s: expected cD: $line"
printf 'req\n' | timeout 15 nc -N 127.0.0.1 "$sf" >/dev/null
[ $? -eq 124 ] && fail "sf: the session was never ended"
line=$(logline sf)
note "sf: $line"
echo "$line" | grep -q ' sD ' || fail "client shut, server silent, server-fin 1s: expected sD: $line"

# 1, 2: the client shut its output and waits for a slow answer
for fe in c1 c2; do
	port=$(eval echo "\$$fe")
	out=$(printf 'req\n' | timeout 15 nc -N 127.0.0.1 "$port")
	line=$(logline "$fe")
	note "$fe: $line"
	expect_eq "$out" "answer" "$fe: answer 2 s after the client's half-close"
	echo "$line" | grep -q ' -- ' || fail "$fe: expected a normal end (--): $line"
done

# 3, 4: the server shut its output and waits for the client's late data
for fe in s1 s2; do
	port=$(eval echo "\$$fe")
	: >"$T/late"
	exec {fd}<>/dev/tcp/127.0.0.1/"$port" || fail "$fe: cannot connect"
	timeout 5 cat <&"$fd" >"$T/bye.out"
	expect_eq "$(cat "$T/bye.out")" "bye" "$fe: the server's bye"
	sleep 2
	printf 'late %s\n' "$fe" >&"$fd" 2>/dev/null
	exec {fd}>&-
	for _ in $(seq 1 100); do [ -s "$T/late" ] && break; sleep 0.05; done
	line=$(logline "$fe")
	note "$fe: $line"
	expect_eq "$(cat "$T/late")" "late $fe" "$fe: data sent 2 s after the server's half-close"
done
stop_hlp
