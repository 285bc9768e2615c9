# balance leastconn, with long-lived connections held open by the test.
# The servers greet with their name and then hold the connection.
#
# HAProxy's rule (lb_fwlc.c): a new connection goes to the server with the
# smallest key, key = 0 for an idle server, else (inflight + 1) / weight,
# i.e. the load the server would have once given this connection. Equal
# keys may go either way: the test only asserts steps whose choice is
# forced, and tracks where the free choices went.
#
# 1. Equal weights, s1 and s2: A, B go one each; C, D one each; then both
#    connections of s1 are closed (and their end logged), so the next two
#    must both go to s1 (0 vs 2, then 1 vs 2).
# 2. Weights 3 and 1: six connections held open end up 5 on the weight-3
#    server and 1 on the other, whichever way the first tie goes.
. "$TOP/tests/lib.sh"

ping=$(free_port)
lc=$(free_port)
wlc=$(free_port)
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

listen lc
    bind 127.0.0.1:$lc
    balance leastconn
    server s1 127.0.0.1:$a
    server s2 127.0.0.1:$b

listen wlc
    bind 127.0.0.1:$wlc
    balance leastconn
    server s1 127.0.0.1:$a weight 3
    server s2 127.0.0.1:$b weight 1
CONF

greet_server "$a" s1
greet_server "$b" s2
start_hlp "$T/hlp.conf" "$ping"

other() { [ "$1" = s1 ] && echo s2 || echo s1; }
# logged FE N: wait until N sessions of frontend FE have been logged
logged() {
	local i
	for i in $(seq 1 100); do
		[ "$(grep -c "] $1 $1/" "$T/hlp.log")" -ge "$2" ] && return 0
		sleep 0.05
	done
	fail "expected $2 finished sessions of $1 in the log"
}

# 1. equal weights
open_conn A "$lc"
open_conn B "$lc"
expect_eq "${SRV[B]}" "$(other "${SRV[A]}")" "B (A is on ${SRV[A]}, the other server is idle)"
open_conn C "$lc"
open_conn D "$lc"
expect_eq "${SRV[D]}" "$(other "${SRV[C]}")" "D (1/1 before C, C went to ${SRV[C]})"
note "A=${SRV[A]} B=${SRV[B]} C=${SRV[C]} D=${SRV[D]}"
n=0
for k in A B C D; do
	[ "${SRV[$k]}" = s1 ] && { close_conn "$k"; n=$((n + 1)); }
done
expect_eq "$n" 2 "connections on s1"
logged lc 2
open_conn E "$lc"
expect_eq "${SRV[E]}" s1 "E (s1 has 0 connections, s2 has 2)"
open_conn F "$lc"
expect_eq "${SRV[F]}" s1 "F (s1 has 1 connection, s2 has 2)"
for k in A B C D E F; do
	[ "${SRV[$k]}" = s2 ] && close_conn "$k"
done
close_conn E
close_conn F

# 2. weights 3 and 1: step by step against HAProxy's key
c1=0
c2=0
for k in W1 W2 W3 W4 W5 W6; do
	# keys scaled by 3: s1 (weight 3) -> (n+1), s2 (weight 1) -> 3(n+1)
	k1=$(( c1 ? c1 + 1 : 0 ))
	k2=$(( c2 ? 3 * (c2 + 1) : 0 ))
	open_conn "$k" "$wlc"
	if [ $k1 -lt $k2 ]; then
		expect_eq "${SRV[$k]}" s1 "$k with s1=$c1 (weight 3) and s2=$c2 (weight 1) connections"
	elif [ $k2 -lt $k1 ]; then
		expect_eq "${SRV[$k]}" s2 "$k with s1=$c1 (weight 3) and s2=$c2 (weight 1) connections"
	fi
	[ "${SRV[$k]}" = s1 ] && c1=$((c1 + 1)) || c2=$((c2 + 1))
done
note "weighted: s1=$c1 s2=$c2"
expect_eq "$c1/$c2" "5/1" "connections on s1 (weight 3) / s2 (weight 1) after 6"
for k in W1 W2 W3 W4 W5 W6; do close_conn "$k"; done
stop_hlp
