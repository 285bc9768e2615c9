# A tiny arena: tune.bufsize 1024 and global maxconn 4 (8 buffers), then
# the same with tune.buffers.limit 3 so that sessions have to wait for
# buffers. 50 clients at once each send 200 KB of random data to an echo
# server and must get exactly it back; every session is logged as a
# normal end with the right byte count; the proxy survives and exits
# cleanly on SIGTERM. The clients beyond maxconn wait in the kernel
# backlog (bind ... backlog 128 so that their SYNs are not dropped).
. "$TOP/tests/lib.sh"

N=50
SIZE=204800
e=$(free_port)
bg socat -t 30 TCP-LISTEN:"$e",bind=127.0.0.1,reuseaddr,fork,backlog=128 EXEC:cat
wait_port "$e" 5 || fail "echo server did not start"
for i in $(seq 1 $N); do
	head -c $SIZE /dev/urandom >"$T/in.$i"
done

# burst TAG PORT: N concurrent echo transfers, all checked
burst() {
	local tag=$1 port=$2 pids="" pid i bad=0 rcs=0
	for i in $(seq 1 $N); do
		timeout 120 nc -N 127.0.0.1 "$port" <"$T/in.$i" >"$T/out.$i" &
		pids="$pids $!"
	done
	for pid in $pids; do wait "$pid" || rcs=$((rcs + 1)); done
	for i in $(seq 1 $N); do
		cmp -s "$T/in.$i" "$T/out.$i" || {
			bad=$((bad + 1))
			[ $bad -le 5 ] && note "$tag: client $i got $(stat -c %s "$T/out.$i") of $SIZE bytes"
		}
	done
	[ $bad -eq 0 ] || fail "$tag: $bad of $N transfers altered ($rcs clients exited non-zero)"
	[ $rcs -eq 0 ] || fail "$tag: $rcs clients exited non-zero"
	kill -0 "$HLP_PID" 2>/dev/null || fail "$tag: hlproxy died"
	# every client session is logged: a normal end, all bytes echoed
	for i in $(seq 1 100); do
		[ "$(grep -c "] echo echo/s1 .* $SIZE -- " "$T/hlp.log")" -ge $N ] && break
		sleep 0.05
	done
	n=$(grep -c "] echo echo/s1 .* $SIZE -- " "$T/hlp.log")
	[ "$n" -eq $N ] || { grep "] echo echo/" "$T/hlp.log" | grep -v " $SIZE -- " | head -n 5 >&2
		fail "$tag: $n of $N sessions logged with $SIZE bytes and a normal end"; }
	note "$tag: $N x $SIZE bytes echoed intact"
}

for variant in plain limit3; do
	p=$(free_port)
	extra=""
	[ $variant = limit3 ] && extra="    tune.buffers.limit 3"
	cat >"$T/$variant.conf" <<CONF
global
    maxconn 4
    tune.bufsize 1024
$extra
    log stderr format raw local0

defaults
    mode tcp
    log global
    option tcplog
    option dontlognull
    timeout connect 5s
    timeout client 60s
    timeout server 60s

listen echo
    bind 127.0.0.1:$p backlog 128
    server s1 127.0.0.1:$e
CONF
	: >"$T/hlp.log"
	start_hlp "$T/$variant.conf" "$p"
	burst "$variant" "$p"
	stop_hlp
done
rm -f "$T"/in.* "$T"/out.*
