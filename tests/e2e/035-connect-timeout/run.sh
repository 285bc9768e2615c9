# timeout connect, with a server that never answers the SYN: the server
# is another frontend of the same proxy, "hole", with maxconn 1 and
# "bind ... backlog 1"; one client holds its only slot and two more fill
# the kernel's accept queue, so the kernel drops further SYNs. A client of
# "tc" (timeout connect 1s, retries 1) then gets its connection closed
# without data after the attempt and its retry both time out, and the
# session is logged tc/h with Tc -1, sC and 1 retry. Meanwhile X's
# session keeps working.
. "$TOP/tests/lib.sh"

tc=$(free_port)
hole=$(free_port)
e=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 1s
    timeout client 10s
    timeout server 10s

listen hole
    bind 127.0.0.1:$hole backlog 1
    maxconn 1
    server e 127.0.0.1:$e

listen tc
    bind 127.0.0.1:$tc
    retries 1
    server h 127.0.0.1:$hole
CONF

bg socat -t 10 TCP-LISTEN:"$e",bind=127.0.0.1,reuseaddr,fork EXEC:cat
wait_port "$e" 5 || fail "echo server did not start"
start_hlp "$T/hlp.conf" "$tc"
# the probe went through tc to hole: wait until both sessions are over
for _ in $(seq 1 100); do
	[ "$(grep -c '] hole hole/' "$T/hlp.log")" -ge 1 ] && [ "$(grep -c '] tc tc/' "$T/hlp.log")" -ge 1 ] && break
	sleep 0.05
done
base=$(grep -c '] tc tc/' "$T/hlp.log")

# fill the hole: X is served and holds the slot, Y and Z wait in the queue
exec {X}<>/dev/tcp/127.0.0.1/"$hole" || fail "X: cannot connect"
echo hi >&"$X"
read -r -t 5 line <&"$X" || fail "X: no echo"
exec {Y}<>/dev/tcp/127.0.0.1/"$hole" || fail "Y: cannot connect"
exec {Z}<>/dev/tcp/127.0.0.1/"$hole" || fail "Z: cannot connect"
q=$(ss -Hltn "( sport = :$hole )" | awk '{print $2}')
expect_eq "$q" 2 "connections waiting in the accept queue of 'hole'"

out=$(timeout 15 nc 127.0.0.1 "$tc" </dev/null)
rc=$?
[ $rc -eq 124 ] && fail "the client of a blackholed server was never released"
expect_eq "$out" "" "data received from a server that never connected"
for _ in $(seq 1 100); do [ "$(grep -c '] tc tc/' "$T/hlp.log")" -gt "$base" ] && break; sleep 0.05; done
line=$(grep '] tc tc/' "$T/hlp.log" | sed -n "$((base + 1))p")
note "tc: $line"
echo "$line" | grep -Eq '\] tc tc/h [0-9]+/-1/[0-9]+ 0 sC [0-9]+/[0-9]+/[0-9]+/[0-9]+/1 ' ||
	fail "expected tc/h, Tc -1, 0 bytes, sC and 1 retry: $line"
echo again >&"$X"
read -r -t 5 line <&"$X" || fail "X: no echo after the connect timeouts"
expect_eq "$line" again "X's echo after the connect timeouts"
exec {X}>&- {Y}>&- {Z}>&-
stop_hlp
