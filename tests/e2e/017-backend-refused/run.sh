# A server where nothing listens: the client connection is closed cleanly
# (nc ends by itself and gets no data), the failure is logged with the
# termination state SC and the retry count, and the proxy keeps serving:
# another listen section works, and the refused one again fails cleanly.
. "$TOP/tests/lib.sh"

p=$(free_port)
ok=$(free_port)
dead=$(free_port)
e=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode tcp
    log global
    option tcplog
    retries 1
    timeout connect 1s
    timeout client 10s
    timeout server 10s

listen refused
    bind 127.0.0.1:$p
    server dead 127.0.0.1:$dead

listen works
    bind 127.0.0.1:$ok
    server s1 127.0.0.1:$e
CONF

echo_server "$e"
start_hlp "$T/hlp.conf" "$ok"
# start_hlp's probe went to "works"; nothing was logged for "refused" yet
grep -q "] refused " "$T/hlp.log" && fail "a session of 'refused' was logged before any client came"

for round in 1 2; do
	out=$(printf 'hello\n' | timeout 15 nc 127.0.0.1 "$p")
	rc=$?
	[ $rc -eq 124 ] && fail "round $round: the client was not disconnected"
	expect_eq "$out" "" "round $round: data received from a refused server"
	for _ in $(seq 1 100); do
		[ "$(grep -c "] refused refused/" "$T/hlp.log")" -ge $round ] && break
		sleep 0.05
	done
	line=$(grep "] refused refused/" "$T/hlp.log" | sed -n "${round}p")
	[ -n "$line" ] || fail "round $round: no log line for the refused session"
	note "log: $line"
	# ip:port [date] fe be/srv Tw/Tc/Tt bytes SC ac/fc/bc/sc/rc sq/bq
	echo "$line" | grep -Eq '^127\.0\.0\.1:[0-9]+ \[[^]]+\] refused refused/dead -?[0-9]+/-1/[0-9]+ 0 SC [0-9]+/[0-9]+/[0-9]+/[0-9]+/1 0/0$' ||
		fail "round $round: unexpected log line (want refused/dead, Tc -1, 0 bytes, SC, 1 retry): $line"

	out=$(printf 'still alive %d\n' "$round" | timeout 10 nc -N 127.0.0.1 "$ok")
	expect_eq "$out" "still alive $round" "round $round: echo through the other section"
done
kill -0 "$HLP_PID" 2>/dev/null || fail "hlproxy is gone"
stop_hlp
