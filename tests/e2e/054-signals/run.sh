# SIGTERM and SIGINT stop the proxy at once with status 0, even with
# connections open (and the clients see them closed); an idle proxy (with
# an idle and a half-closed connection) does not spin: its CPU time hardly
# moves in 2 seconds.
. "$TOP/tests/lib.sh"
cd "$T"

pe=$(free_port)
ps_=$(free_port)
p1=$(free_port)
p2=$(free_port)
echo_server "$pe"
# a server that ignores its input and never closes first
bg socat TCP-LISTEN:"$ps_",bind=127.0.0.1,reuseaddr,fork SYSTEM:"sleep 60"
wait_port "$ps_" || fail "silent server did not start"

cat >sig.cfg <<CONF
defaults
   timeout client 60s
   timeout server 60s
   timeout connect 5s

listen echo
   bind 127.0.0.1:$p1
   server s1 127.0.0.1:$pe

listen silent
   bind 127.0.0.1:$p2
   server s1 127.0.0.1:$ps_
CONF

# utime + stime of a process, in clock ticks
cputicks() { sed 's/^.*) //' /proc/"$1"/stat | awk '{print $12 + $13}'; }

# gone PID: wait (with a hang guard) until PID has exited
gone() {
	local i
	for i in $(seq 100); do
		[ -d /proc/"$1" ] || return 0
		[ "$(sed 's/^.*) //' /proc/"$1"/stat 2>/dev/null | awk '{print $1}')" = Z ] && return 0
		sleep 0.05
	done
	return 1
}

for sig in TERM INT; do
	: >"$T/hlp.log"
	start_hlp sig.cfg "$p1"
	# an idle connection through the proxy
	exec 3<>/dev/tcp/127.0.0.1/"$p1"
	echo ping >&3
	IFS= read -r -t 5 line <&3 || fail "no echo before the signal"
	expect_eq "$line" "ping" "echo before SIG$sig"
	# and a half-closed one: the client has sent its FIN, the server
	# keeps its side open
	bg socat -t 60 OPEN:/dev/null TCP:127.0.0.1:"$p2"
	half=$LAST_PID
	# wait (guarded) for 2 listeners + 2 sockets for each of the sessions
	for _ in $(seq 100); do
		nsock=$(ls -l /proc/"$HLP_PID"/fd | grep -c 'socket:')
		[ "$nsock" -ge 6 ] && break
		sleep 0.1
	done
	[ "$nsock" -ge 6 ] || fail "only $nsock sockets open in the proxy: a session is missing"
	sleep 0.2

	# idle: no busy loop (at 100 Hz, 10 ticks would be 5% of one CPU)
	before=$(cputicks "$HLP_PID")
	sleep 2
	after=$(cputicks "$HLP_PID")
	[ $((after - before)) -le 10 ] || fail "idle proxy used $((after - before)) CPU ticks in 2 s (busy loop?)"

	kill -"$sig" "$HLP_PID"
	gone "$HLP_PID" || fail "SIG$sig did not stop the proxy with connections open"
	wait "$HLP_PID"
	rc=$?
	expect_eq "$rc" 0 "exit status after SIG$sig"
	# the open connection was closed by the proxy
	timeout 5 cat <&3 >/dev/null
	[ $? -ne 124 ] || fail "the client connection stayed open after SIG$sig"
	exec 3<&-
	wait_port_closed "$p1" || fail "still listening after SIG$sig"
	kill "$half" 2>/dev/null
	grep -q "ALERT" "$T/hlp.log" && fail "alerts after SIG$sig: $(cat "$T/hlp.log")"
done
note "signals ok"
