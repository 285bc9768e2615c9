# tests/lib.sh: helpers for end-to-end cases (bash). A case is
# tests/e2e/NNN-name/run.sh; test.sh runs it with:
#   HLP   path of the hlproxy binary under test (normal or ASan build)
#   T     a fresh scratch directory for the case
#   TOP   the top of the source tree
# A case exits 0 on success; on failure it prints why and exits non-zero.
# Everything it starts is registered and killed by PID on exit.

set -u
PIDS=""

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	done
	return 0
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; [ -f "$T/hlp.log" ] && { echo "--- hlproxy output (last 30 lines):" >&2; tail -n 30 "$T/hlp.log" >&2; }; exit 1; }
note() { echo "  $*"; }

# A free TCP port on 127.0.0.1, never handed out twice in one case. Ports
# come from 20000-32767, below the kernel's range for outgoing connections
# (a port held by a client socket or in TIME_WAIT cannot be bound). Used
# ports are kept in a file since $(free_port) runs in a subshell.
free_port() {
	local p
	while :; do
		p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 12768 ))
		grep -qx "$p" "$T/.ports" 2>/dev/null && continue
		if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then
			echo "$p" >>"$T/.ports"
			echo "$p"
			return 0
		fi
	done
}

# Wait until something accepts on 127.0.0.1:PORT (default 5 s).
wait_port() {
	local port=$1 tries=$(( ${2:-5} * 20 ))
	while [ $tries -gt 0 ]; do
		(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# Wait until nothing listens on 127.0.0.1:PORT any more.
wait_port_closed() {
	local port=$1 tries=$(( ${2:-5} * 20 ))
	while [ $tries -gt 0 ]; do
		(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null || return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# Run a command in the background and register it; its PID is in $LAST_PID.
bg() {
	"$@" &
	LAST_PID=$!
	PIDS="$PIDS $LAST_PID"
}

# start_hlp CONF PORT [extra args]: start hlproxy, output in $T/hlp.log,
# wait for PORT; its PID is in $HLP_PID.
start_hlp() {
	local conf=$1 port=$2
	shift 2
	bg "$HLP" -f "$conf" "$@" >>"$T/hlp.log" 2>&1
	HLP_PID=$LAST_PID
	wait_port "$port" 10 || fail "hlproxy did not listen on $port"
}

# stop_hlp [PID]: SIGTERM, wait for the exit and check it was clean.
stop_hlp() {
	local pid=${1:-$HLP_PID} rc
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	[ $rc -eq 0 ] || fail "hlproxy exited with status $rc after SIGTERM"
}

# An echo server on PORT (socat, one process per connection).
echo_server() {
	bg socat -t 30 TCP-LISTEN:"$1",bind=127.0.0.1,reuseaddr,fork EXEC:cat
	wait_port "$1" 5 || fail "echo server did not start on $1"
}

# A server that answers its own name to every connection, then closes.
name_server() {
	bg socat TCP-LISTEN:"$1",bind=127.0.0.1,reuseaddr,fork SYSTEM:"echo $2"
	wait_port "$1" 5 || fail "name server did not start on $1"
}

expect_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

expect_grep() {
	grep -q -- "$1" "$2" || fail "$3: '$1' not found in $2"
}

# Held connections: open_conn KEY PORT connects, reads the server's
# one-line greeting into SRV[KEY] and keeps the descriptor in FD[KEY];
# close_conn KEY closes it.
declare -A FD SRV
open_conn() {
	local fd name
	exec {fd}<>/dev/tcp/127.0.0.1/"$2" || fail "$1: cannot connect to $2"
	FD[$1]=$fd
	read -r -t 5 name <&"$fd" || fail "$1: no greeting from a server"
	SRV[$1]=$name
}
close_conn() {
	local fd=${FD[$1]}
	exec {fd}>&-
}

# greet_server PORT NAME: says NAME to each client, then echoes.
greet_server() {
	bg socat TCP-LISTEN:"$1",bind=127.0.0.1,reuseaddr,fork SYSTEM:"echo $2; exec cat"
	wait_port "$1" 5 || fail "server $2 did not start"
}

# start_origin PORT LOGFILE [extra args]: tests/origin.py on PORT (HTTP/1.1
# origin, see its header), log in LOGFILE; its PID is in $ORIGIN_PID.
start_origin() {
	local port=$1 log=$2
	shift 2
	bg python3 "$TOP/tests/origin.py" "$port" --log "$log" "$@"
	ORIGIN_PID=$LAST_PID
	wait_port "$port" 10 || fail "origin did not listen on $port"
}

# is_haproxy: true when the binary under test is HAProxy itself (the
# reference: HLP=/usr/sbin/haproxy runs a case against HAProxy 2.6).
is_haproxy() {
	case "$(basename "$HLP")" in haproxy*) return 0 ;; esac
	return 1
}

# http_raw PORT [SECONDS] [shut]: a raw TCP client. Sends stdin as it is to
# 127.0.0.1:PORT (all at once), then prints every byte received until the
# peer closes or SECONDS (default 5) pass; with "shut", half-closes after
# sending. Exit status 0 when the peer closed, 3 on timeout, 2 when it
# could not connect. The time it took is in $T/.raw_ms.
http_raw() {
	python3 -c '
import socket, sys, time
port, wait, shut = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3] == "shut"
data = sys.stdin.buffer.read()
t0 = time.time()
try:
    s = socket.create_connection(("127.0.0.1", port), timeout=wait)
except OSError:
    sys.exit(2)
rc = 3
try:
    s.sendall(data)
    if shut:
        s.shutdown(socket.SHUT_WR)
    end = t0 + wait
    while True:
        left = end - time.time()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            rc = 0
            break
        if not d:
            rc = 0
            break
        sys.stdout.buffer.write(d)
        sys.stdout.buffer.flush()
finally:
    open(sys.argv[4], "w").write("%d\n" % ((time.time() - t0) * 1000))
sys.exit(rc)
' "$1" "${2:-5}" "${3:-}" "$T/.raw_ms"
}

# wait_grep COUNT PATTERN FILE [SECONDS]: wait until PATTERN (grep -E)
# matches at least COUNT lines of FILE (default 5 s); 1 on timeout.
wait_grep() {
	local n=$1 pat=$2 file=$3 tries=$(( ${4:-5} * 20 ))
	while [ $tries -gt 0 ]; do
		[ "$(grep -cE -- "$pat" "$file" 2>/dev/null)" -ge "$n" ] && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# count_grep PATTERN FILE: how many lines of FILE match PATTERN (grep -E).
count_grep() {
	local n
	n=$(grep -cE -- "$1" "$2" 2>/dev/null)
	echo "${n:-0}"
}
