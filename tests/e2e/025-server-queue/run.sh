# Server maxconn and the backend queue. The servers greet with their name
# and hold the connection.
# 1. s1 maxconn 1, timeout queue 10s: A is served, B waits in the queue
#    (no greeting) while A is connected, and is served once A leaves; its
#    log line shows the time it waited (Tw >= the 1 s it was kept waiting).
# 2. two servers with maxconn 1 each: A and B take both, C waits; when
#    B leaves, C goes to B's server.
# 3. timeout queue 1s: D waits behind C, is dropped without any data, and
#    the log says <NOSRV> and sQ.
. "$TOP/tests/lib.sh"

ping=$(free_port)
q=$(free_port)
q2=$(free_port)
qt=$(free_port)
a=$(free_port)
b=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 30s
    timeout server 30s

listen ping
    bind 127.0.0.1:$ping
    server a 127.0.0.1:$a

listen q
    bind 127.0.0.1:$q
    timeout queue 10s
    server s1 127.0.0.1:$a maxconn 1

listen q2
    bind 127.0.0.1:$q2
    timeout queue 10s
    server s1 127.0.0.1:$a maxconn 1
    server s2 127.0.0.1:$b maxconn 1

listen qt
    bind 127.0.0.1:$qt
    timeout queue 1s
    server s1 127.0.0.1:$a maxconn 1
CONF

greet_server "$a" s1
greet_server "$b" s2
start_hlp "$T/hlp.conf" "$ping"

# open_queued KEY PORT: connect, expect no greeting for 1 s
open_queued() {
	local fd name
	exec {fd}<>/dev/tcp/127.0.0.1/"$2" || fail "$1: cannot connect to $2"
	FD[$1]=$fd
	if read -r -t 1 name <&"$fd"; then
		fail "$1: served by $name although the server is at its maxconn"
	fi
}
# greeted KEY: the queued connection gets its greeting now
greeted() {
	local name
	read -r -t 5 name <&"${FD[$1]}" || fail "$1: still not served after a slot was freed"
	SRV[$1]=$name
}
logline() {
	local i
	for i in $(seq 1 100); do
		grep -q "$1" "$T/hlp.log" && break
		sleep 0.05
	done
	grep "$1" "$T/hlp.log" | tail -n 1
}

# 1. one server, maxconn 1
open_conn A "$q"
open_queued B "$q"
close_conn A
greeted B
expect_eq "${SRV[B]}" s1 "B after waiting"
note "queued B was served once A left"
close_conn B
# A's session ended before B was served: B's line is the second one
for _ in $(seq 1 100); do
	[ "$(grep -c "] q q/" "$T/hlp.log")" -ge 2 ] && break
	sleep 0.05
done
line=$(grep "] q q/" "$T/hlp.log" | sed -n 2p)
note "B: $line"
tw=$(echo "$line" | awk '{print $5}' | cut -d/ -f1)
case "$tw" in '' | *[!0-9]*) fail "no Tw in B's log line: $line" ;; esac
[ "$tw" -ge 900 ] || fail "B waited at least 1 s in the queue, but its log says Tw=$tw: $line"

# 2. two servers, one slot each
open_conn A "$q2"
open_conn B "$q2"
[ "${SRV[A]}" != "${SRV[B]}" ] || fail "A and B both on ${SRV[A]} despite maxconn 1"
open_queued C "$q2"
close_conn B
greeted C
expect_eq "${SRV[C]}" "${SRV[B]}" "C, after B left ${SRV[B]}"
close_conn A
close_conn C

# 3. queue timeout
open_conn C "$qt"
exec {dfd}<>/dev/tcp/127.0.0.1/"$qt" || fail "D: cannot connect"
timeout 15 cat <&"$dfd" >"$T/d.out"
rc=$?
exec {dfd}>&-
[ $rc -eq 124 ] && fail "D was never dropped from the queue"
[ -s "$T/d.out" ] && fail "D got data: $(cat "$T/d.out")"
line=$(logline "] qt qt/<NOSRV> ")
note "D: $line"
echo "$line" | grep -Eq '\] qt qt/<NOSRV> [0-9]+/-1/[0-9]+ 0 sQ ' || fail "expected <NOSRV>, Tc -1, 0 bytes and sQ for D: $line"
close_conn C
stop_hlp
