# A client that gives up while queued. With s1 at its maxconn 1 (A holds
# it), B connects, waits in the backend queue and closes without having
# sent anything: HAProxy (back_may_abort_req: client shut, request empty)
# takes B out of the queue at once and logs it <NOSRV> with CQ, while A
# is still connected; B never reaches the server. A client that half-
# closes after sending a request (C) is not an abort: it stays queued and
# is served once the slot frees. Haproxy 2.6 behaves so.
. "$TOP/tests/lib.sh"

ping=$(free_port)
q=$(free_port)
a=$(free_port)
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
    timeout queue 30s

listen ping
    bind 127.0.0.1:$ping
    server s1 127.0.0.1:$a

listen q
    bind 127.0.0.1:$q
    server s1 127.0.0.1:$a maxconn 1
CONF

# counts its connections, greets, echoes until EOF
: >"$T/conns"
bg socat -t 10 TCP-LISTEN:"$a",bind=127.0.0.1,reuseaddr,fork SYSTEM:"echo x >>$T/conns; echo hi; exec cat"
wait_port "$a" 5 || fail "server did not start"
start_hlp "$T/hlp.conf" "$ping"
for _ in $(seq 1 100); do grep -q "] ping ping/" "$T/hlp.log" && break; sleep 0.05; done
: >"$T/conns"

exec {A}<>/dev/tcp/127.0.0.1/"$q" || fail "A: cannot connect"
read -r -t 5 x <&"$A" || fail "A: not served"
exec {B}<>/dev/tcp/127.0.0.1/"$q" || fail "B: cannot connect"
read -r -t 1 x <&"$B" && fail "B: served beyond maxconn"
exec {B}>&-
# B's end must be logged while A still holds the server (hang guard 5 s)
for _ in $(seq 1 100); do grep -q "] q q/" "$T/hlp.log" && break; sleep 0.05; done
line=$(grep "] q q/" "$T/hlp.log" | head -n 1)
note "B: $line"
[ -n "$line" ] || fail "B closed while queued, but its session did not end while A was connected"
echo "$line" | grep -Eq '\] q q/<NOSRV> [0-9]+/-1/[0-9]+ 0 CQ ' || fail "B: expected <NOSRV>, Tc -1, 0 bytes and CQ: $line"

# C sends a request and half-closes while queued: served after A leaves
# ({A}>&-: nc must not inherit A's socket, or closing A would not end A)
printf 'req\n' | timeout 15 nc -N 127.0.0.1 "$q" >"$T/c.out" {A}>&- &
c_pid=$!
PIDS="$PIDS $c_pid"
sleep 1
exec {A}>&-
wait "$c_pid"
expect_eq "$(cat "$T/c.out" | tr '\n' ' ')" "hi req " "C's answer after waiting in the queue"
expect_eq "$(wc -l <"$T/conns")" 2 "connections the server saw (A and C, not B)"
stop_hlp
