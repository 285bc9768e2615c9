# The last field of a tcplog line, "srv_queue/backend_queue", as HAProxy
# logs it: how many requests were processed before this one in the server
# and backend queues, 0/0 for a session that was never queued, whatever
# is queued when it is logged. With a server at maxconn 1 (the waiting
# session queues in the backend): A, served at once, logs 0/0 even though
# B is waiting when A ends; B, queued behind nobody, logs 0/1; a session
# dropped from the queue by "timeout queue" (sQ) logs 0/1 too. Haproxy 2.6
# gives exactly these.
. "$TOP/tests/lib.sh"

ping=$(free_port)
q=$(free_port)
qt=$(free_port)
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

listen ping
    bind 127.0.0.1:$ping
    server a 127.0.0.1:$a

listen q
    bind 127.0.0.1:$q
    timeout queue 10s
    server s1 127.0.0.1:$a maxconn 1

listen qt
    bind 127.0.0.1:$qt
    timeout queue 1s
    server s1 127.0.0.1:$a maxconn 1
CONF

bg socat TCP-LISTEN:"$a",bind=127.0.0.1,reuseaddr,fork SYSTEM:"echo s1; exec cat"
wait_port "$a" 5 || fail "server did not start"
start_hlp "$T/hlp.conf" "$ping"

# nth FE N: the Nth log line of FE, once there
nth() {
	local i
	for i in $(seq 1 100); do
		[ "$(grep -c "] $1 $1/" "$T/hlp.log")" -ge "$2" ] && break
		sleep 0.05
	done
	grep "] $1 $1/" "$T/hlp.log" | sed -n "$2p"
}
queues() { echo "$1" | awk '{print $NF}'; }

exec {A}<>/dev/tcp/127.0.0.1/"$q" || fail "A: cannot connect"
read -r -t 5 x <&"$A" || fail "A: not served"
exec {B}<>/dev/tcp/127.0.0.1/"$q" || fail "B: cannot connect"
read -r -t 1 x <&"$B" && fail "B: served beyond maxconn"
exec {A}>&-
line=$(nth q 1)
note "A: $line"
read -r -t 5 x <&"$B" || fail "B: not served after A left"
exec {B}>&-
lineb=$(nth q 2)
note "B: $lineb"

exec {C}<>/dev/tcp/127.0.0.1/"$qt" || fail "C: cannot connect"
read -r -t 5 x <&"$C" || fail "C: not served"
exec {D}<>/dev/tcp/127.0.0.1/"$qt" || fail "D: cannot connect"
timeout 15 cat <&"$D" >/dev/null
exec {D}>&-
lined=$(nth qt 1)
note "D: $lined"
exec {C}>&-

expect_eq "$(queues "$line")" "0/0" "queues field of A (never queued, B waiting when it ended)"
expect_eq "$(queues "$lineb")" "0/1" "queues field of B (went through the backend queue)"
expect_eq "$(queues "$lined")" "0/1" "queues field of D (dropped from the queue, sQ)"
stop_hlp
