# maxconn: with global maxconn 2, two clients holding connections are
# served, a third one is accepted by the kernel (it waits in the backlog,
# it is not refused) but gets nothing until one of the first two leaves,
# then it is served. Same with "maxconn 2" in a frontend; there, another
# frontend keeps serving while the limited one is full.
. "$TOP/tests/lib.sh"

e=$(free_port)
echo_server "$e"

# hold KEY PORT: open a connection, check that it is served (echo)
declare -A FD
hold() {
	local fd line
	exec {fd}<>/dev/tcp/127.0.0.1/"$2" || fail "$1: connection refused"
	FD[$1]=$fd
	printf '%s\n' "$1" >&"$fd"
	read -r -t 5 line <&"$fd" || fail "$1: not served"
	expect_eq "$line" "$1" "$1: echo"
}
release() {
	local fd=${FD[$1]}
	exec {fd}>&-
}
# waiting KEY PORT: connect and send; the proxy must not serve it yet
waiting() {
	local fd line
	exec {fd}<>/dev/tcp/127.0.0.1/"$2" || fail "$1: connection refused instead of waiting in the backlog"
	FD[$1]=$fd
	printf '%s\n' "$1" >&"$fd"
	if read -r -t 1 line <&"$fd"; then
		fail "$1: served ('$line') beyond maxconn"
	fi
}
# served KEY: the waiting connection gets its echo now
served() {
	local fd=${FD[$1]} line
	read -r -t 5 line <&"$fd" || fail "$1: still not served after a slot was freed"
	expect_eq "$line" "$1" "$1: echo after waiting"
}
# logged FE N: wait until N sessions of FE have been logged
logged() {
	local i
	for i in $(seq 1 100); do
		[ "$(grep -c "] $1 $1/" "$T/hlp.log")" -ge "$2" ] && return 0
		sleep 0.05
	done
	fail "expected $2 finished sessions of $1 in the log"
}

# 1. global maxconn 2
p=$(free_port)
cat >"$T/global.conf" <<CONF
global
    maxconn 2
    log stderr format raw local0

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 30s
    timeout server 30s

listen echo
    bind 127.0.0.1:$p
    server s1 127.0.0.1:$e
CONF
start_hlp "$T/global.conf" "$p"
logged echo 1               # start_hlp's probe
hold A "$p"
hold B "$p"
waiting C "$p"
release A
served C
note "global maxconn 2: C waited while A and B were connected, served once A left"
# and it goes on: D waits for B or C
waiting D "$p"
release B
served D
release C
release D
logged echo 5
stop_hlp

# 2. frontend maxconn 2, another frontend unaffected
p=$(free_port)
o=$(free_port)
cat >"$T/frontend.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 30s
    timeout server 30s

listen limited
    bind 127.0.0.1:$p
    maxconn 2
    server s1 127.0.0.1:$e

listen other
    bind 127.0.0.1:$o
    server s1 127.0.0.1:$e
CONF
: >"$T/hlp.log"
start_hlp "$T/frontend.conf" "$p"
logged limited 1
hold A "$p"
hold B "$p"
waiting C "$p"
hold X "$o"
hold Y "$o"
hold Z "$o"
release B
served C
note "frontend maxconn 2: C waited, 'other' served 3 meanwhile, C served once B left"
for k in A C X Y Z; do release "$k"; done
stop_hlp
