# balance first: with server maxconn 2, the first server is filled before
# the second gets anything, and a slot freed on the first server is used
# again before the second. balance source: every connection from one
# client address goes to the same server (sources 127.0.0.1..127.0.0.8,
# all to the proxy on 127.0.0.1), and the addresses do not all land on
# the same server.
. "$TOP/tests/lib.sh"

ping=$(free_port)
first=$(free_port)
src=$(free_port)
a=$(free_port)
b=$(free_port)
c=$(free_port)
ga=$(free_port)
gb=$(free_port)
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

listen first
    bind 127.0.0.1:$first
    balance first
    server s1 127.0.0.1:$ga maxconn 2
    server s2 127.0.0.1:$gb maxconn 2

listen source
    bind 127.0.0.1:$src
    balance source
    server s1 127.0.0.1:$a
    server s2 127.0.0.1:$b
    server s3 127.0.0.1:$c
CONF

name_server "$a" s1
name_server "$b" s2
name_server "$c" s3
# greet, then hold the connection
greet_server "$ga" s1
greet_server "$gb" s2
start_hlp "$T/hlp.conf" "$ping"

logged() {
	local i
	for i in $(seq 1 100); do
		[ "$(grep -c "] $1 $1/" "$T/hlp.log")" -ge "$2" ] && return 0
		sleep 0.05
	done
	fail "expected $2 finished sessions of $1 in the log"
}

# balance first
open_conn A "$first"
expect_eq "${SRV[A]}" s1 "first connection"
open_conn B "$first"
expect_eq "${SRV[B]}" s1 "second connection (s1 has a free slot)"
open_conn C "$first"
expect_eq "${SRV[C]}" s2 "third connection (s1 is at its maxconn 2)"
close_conn A
logged first 1
open_conn D "$first"
expect_eq "${SRV[D]}" s1 "after A left s1, the next connection"
open_conn E "$first"
expect_eq "${SRV[E]}" s2 "with s1 full again, the next connection"
for k in B C D E; do close_conn "$k"; done
note "balance first: A B C D E -> ${SRV[A]} ${SRV[B]} ${SRV[C]} ${SRV[D]} ${SRV[E]}"

# balance source
used=""
for i in 1 2 3 4 5 6 7 8; do
	: >"$T/src.$i"
	for j in 1 2 3 4 5; do
		timeout 5 nc -s 127.0.0.$i 127.0.0.1 "$src" </dev/null >>"$T/src.$i" ||
			fail "connection from 127.0.0.$i failed"
	done
	[ "$(wc -l <"$T/src.$i")" -eq 5 ] || fail "127.0.0.$i: expected 5 answers, got $(tr '\n' ' ' <"$T/src.$i")"
	n=$(sort -u "$T/src.$i" | wc -l)
	[ "$n" -eq 1 ] || fail "connections from 127.0.0.$i went to several servers: $(tr '\n' ' ' <"$T/src.$i")"
	used="$used $(head -n 1 "$T/src.$i")"
done
note "balance source: 127.0.0.1..8 ->$used"
[ "$(echo $used | tr ' ' '\n' | sort -u | wc -l)" -ge 2 ] || fail "8 source addresses all went to one server:$used"
# the source address is seen by the proxy: check one log line
grep -q "^127\.0\.0\.2:[0-9]* \[.*\] source source/" "$T/hlp.log" || fail "no log line with source 127.0.0.2"
stop_hlp
