# Soft stop (SIGUSR1) with transfers in flight. Two clients each ask for a
# 5 MB file; the server sends half of it, then waits for a go signal (a
# file) before the rest. SIGUSR1 comes while both are stuck half way: the
# listeners close at once (new connections are refused), the proxy stays
# up, and once the server goes on both transfers complete intact, after
# which the proxy exits by itself with status 0. Then an idle proxy:
# SIGUSR1 makes it exit at once, status 0.
. "$TOP/tests/lib.sh"

ping=$(free_port)
p=$(free_port)
s=$(free_port)
cat >"$T/hlp.conf" <<CONF
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s

listen ping
    bind 127.0.0.1:$ping
    server s1 127.0.0.1:$s

listen files
    bind 127.0.0.1:$p
    server s1 127.0.0.1:$s
CONF

head -c 5000000 /dev/urandom >"$T/data"
want=$(sha256sum <"$T/data" | cut -d' ' -f1)
# a client sends its id on one line; probes send nothing and are ignored
bg socat -t 60 TCP-LISTEN:"$s",bind=127.0.0.1,reuseaddr,fork SYSTEM:"read id || exit 0; head -c 2500000 $T/data; touch $T/half.\$id; while [ ! -e $T/go ]; do sleep 0.05; done; tail -c +2500001 $T/data"
wait_port "$s" 5 || fail "server did not start"
start_hlp "$T/hlp.conf" "$ping"

for id in 1 2; do
	# no -N: nc sends its id but no FIN, and ends at the server's close
	echo "$id" | timeout 30 nc 127.0.0.1 "$p" >"$T/out.$id" &
	PIDS="$PIDS $!"
done
for id in 1 2; do
	for _ in $(seq 1 100); do [ -e "$T/half.$id" ] && break; sleep 0.05; done
	[ -e "$T/half.$id" ] || fail "transfer $id did not start"
done

kill -USR1 "$HLP_PID"
wait_port_closed "$p" 5 || fail "the listener still accepts after SIGUSR1"
wait_port_closed "$ping" 5 || fail "the other listener still accepts after SIGUSR1"
kill -0 "$HLP_PID" 2>/dev/null || fail "hlproxy exited with transfers in flight"
note "after SIGUSR1: listeners closed, proxy still up with 2 transfers in flight"

touch "$T/go"
# the clients end when the server closes
for id in 1 2; do
	for _ in $(seq 1 200); do
		[ "$(stat -c %s "$T/out.$id")" -ge 5000000 ] && break
		sleep 0.05
	done
	expect_eq "$(sha256sum <"$T/out.$id" | cut -d' ' -f1)" "$want" "sha256 of transfer $id ($(stat -c %s "$T/out.$id") bytes)"
done
note "both transfers complete and intact"

for _ in $(seq 1 200); do kill -0 "$HLP_PID" 2>/dev/null || break; sleep 0.05; done
kill -0 "$HLP_PID" 2>/dev/null && fail "hlproxy did not exit after its last session ended"
wait "$HLP_PID"
rc=$?
expect_eq "$rc" 0 "exit status after the soft stop"

# idle: nothing to wait for
start_hlp "$T/hlp.conf" "$ping"
kill -USR1 "$HLP_PID"
for _ in $(seq 1 200); do kill -0 "$HLP_PID" 2>/dev/null || break; sleep 0.05; done
kill -0 "$HLP_PID" 2>/dev/null && fail "an idle hlproxy did not exit on SIGUSR1"
wait "$HLP_PID"
rc=$?
expect_eq "$rc" 0 "exit status of an idle soft stop"
