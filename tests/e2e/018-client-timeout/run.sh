# timeout client 1s: a client that goes silent (its side kept open) is
# disconnected by the proxy, after what it sent was echoed intact, and the
# session is logged with the termination state cD. A client that keeps
# talking more often than that is not cut. The mirror case, timeout server
# 1s with a server that never answers, ends with sD.
. "$TOP/tests/lib.sh"

p=$(free_port)
e=$(free_port)
q=$(free_port)
m=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 1s
    timeout server 30s

listen echo
    bind 127.0.0.1:$p
    server s1 127.0.0.1:$e

listen mute
    bind 127.0.0.1:$q
    timeout client 30s
    timeout server 1s
    server m1 127.0.0.1:$m
CONF

echo_server "$e"
# reads everything, never answers
bg socat -t 30 TCP-LISTEN:"$m",bind=127.0.0.1,reuseaddr,fork SYSTEM:"cat >/dev/null"
wait_port "$m" 5 || fail "mute server did not start"
start_hlp "$T/hlp.conf" "$p"
# wait for the probe's session to be over and logged
for _ in $(seq 1 100); do grep -q "] echo echo/" "$T/hlp.log" && break; sleep 0.05; done
base=$(grep -c "] echo echo/" "$T/hlp.log")

# silent client: sends one line, reads its echo, then says nothing
exec 3<>/dev/tcp/127.0.0.1/"$p" || fail "cannot connect"
printf 'before silence\n' >&3
read -r -t 5 line <&3 || fail "no echo before the silence"
expect_eq "$line" "before silence" "echo before the silence"
# the proxy must close: cat ends at EOF (hang guard far above 1 s)
timeout 15 cat <&3 >"$T/rest"
rc=$?
exec 3>&-
[ $rc -eq 124 ] && fail "the silent client was not disconnected"
[ -s "$T/rest" ] && fail "unexpected data after the echo: $(cat "$T/rest")"
for _ in $(seq 1 100); do
	[ "$(grep -c "] echo echo/" "$T/hlp.log")" -gt "$base" ] && break
	sleep 0.05
done
line=$(grep "] echo echo/" "$T/hlp.log" | sed -n "$((base + 1))p")
note "log: $line"
echo "$line" | grep -Eq '^127\.0\.0\.1:[0-9]+ \[[^]]+\] echo echo/s1 [0-9]+/[0-9]+/[0-9]+ 15 cD ' ||
	fail "expected a 15-byte session ended by cD: $line"

# a talkative client: a line every 0.2 s for 2.5 s, never cut
exec 3<>/dev/tcp/127.0.0.1/"$p" || fail "cannot connect"
for i in $(seq 1 12); do
	printf 'tick %d\n' "$i" >&3 2>/dev/null || fail "write $i failed: the active client was cut"
	read -r -t 5 line <&3 || fail "no echo for tick $i: the active client was cut"
	expect_eq "$line" "tick $i" "echo of tick $i"
	sleep 0.2
done
exec 3>&-

# silent server: the client sends a line and waits; the proxy gives up
exec 3<>/dev/tcp/127.0.0.1/"$q" || fail "cannot connect to $q"
printf 'anyone?\n' >&3
timeout 15 cat <&3 >"$T/mute"
rc=$?
exec 3>&-
[ $rc -eq 124 ] && fail "the client of a silent server was not disconnected"
[ -s "$T/mute" ] && fail "unexpected data from the mute server: $(cat "$T/mute")"
for _ in $(seq 1 100); do grep -q "] mute mute/" "$T/hlp.log" && break; sleep 0.05; done
line=$(grep "] mute mute/" "$T/hlp.log" | tail -n 1)
note "log: $line"
echo "$line" | grep -Eq '^127\.0\.0\.1:[0-9]+ \[[^]]+\] mute mute/m1 [0-9]+/[0-9]+/[0-9]+ 0 sD ' ||
	fail "expected a session ended by sD: $line"
stop_hlp
