# timeout tunnel replaces the client and server timeouts once a TCP
# session is established, but on a half-closed session HAProxy still
# applies client-fin / server-fin (they exist to shorten exactly that
# state, tunnel or not). With tunnel 60s:
# 1. (tunnel 1s) both sides idle, nothing closed: the tunnel timeout
#    ends the session: cD.
# 2. client-fin 1s: the server says bye and shuts; the client stays silent
#    with its side open: cD, by client-fin, well before the tunnel
#    timeout (the session must end within a generous 8 s).
# 3. server-fin 1s: the client sends a request and shuts; the server stays
#    silent with its side open: sD, likewise.
# Haproxy 2.6 behaves so.
. "$TOP/tests/lib.sh"

ping=$(free_port)
t0=$(free_port)
cf=$(free_port)
sf=$(free_port)
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
    timeout client 60s
    timeout server 60s
    timeout tunnel 60s

listen ping
    bind 127.0.0.1:$ping
    server bye 127.0.0.1:$bye

listen t0
    bind 127.0.0.1:$t0
    timeout tunnel 1s
    server mute 127.0.0.1:$mute

listen cf
    bind 127.0.0.1:$cf
    timeout client-fin 1s
    server bye 127.0.0.1:$bye

listen sf
    bind 127.0.0.1:$sf
    timeout server-fin 1s
    server mute 127.0.0.1:$mute
CONF

echo bye >"$T/bye.txt"
bg socat -t 30 TCP-LISTEN:"$bye",bind=127.0.0.1,reuseaddr,fork "OPEN:$T/bye.txt,rdonly!!OPEN:/dev/null,wronly"
wait_port "$bye" 5 || fail "bye server did not start"
# reads until EOF, then stays silent with its side open
bg socat -t 30 TCP-LISTEN:"$mute",bind=127.0.0.1,reuseaddr,fork SYSTEM:"cat >/dev/null; sleep 30"
wait_port "$mute" 5 || fail "mute server did not start"
start_hlp "$T/hlp.conf" "$ping"
# ended FE: wait up to 8 s for FE's log line
ended() {
	local i
	for i in $(seq 1 160); do grep -q "] $1 $1/" "$T/hlp.log" && return 0; sleep 0.05; done
	return 1
}

# 1. plain tunnel timeout, nothing half-closed
exec {fd}<>/dev/tcp/127.0.0.1/"$t0" || fail "t0: cannot connect"
ended t0 || fail "t0: tunnel 1s did not end an idle session"
exec {fd}>&-
line=$(grep "] t0 t0/" "$T/hlp.log")
note "t0: $line"
echo "$line" | grep -q ' cD ' || fail "t0: expected cD: $line"

# 2. client-fin under tunnel: bye + EOF, then a silent client
exec {fd}<>/dev/tcp/127.0.0.1/"$cf" || fail "cf: cannot connect"
timeout 5 cat <&"$fd" >/dev/null
ended cf
rc=$?
exec {fd}>&-
[ $rc -eq 0 ] || fail "cf: server shut its side, client silent, client-fin 1s: still open after 8 s (tunnel 60s applied instead?)"
line=$(grep "] cf cf/" "$T/hlp.log")
note "cf: $line"
echo "$line" | grep -q ' cD ' || fail "cf: expected cD: $line"

# 3. server-fin under tunnel: request + EOF, then a silent server
printf 'req\n' | timeout 15 nc -N 127.0.0.1 "$sf" >/dev/null &
nc_pid=$!
PIDS="$PIDS $nc_pid"
ended sf || fail "sf: client shut its side, server silent, server-fin 1s: still open after 8 s (tunnel 60s applied instead?)"
wait "$nc_pid"
line=$(grep "] sf sf/" "$T/hlp.log")
note "sf: $line"
echo "$line" | grep -q ' sD ' || fail "sf: expected sD: $line"
stop_hlp
