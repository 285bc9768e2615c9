#!/usr/bin/env bash
# tools/bench.sh: figures, not tests. Prints the stripped size of hlproxy,
# its idle RSS with the hello-world config, and TCP forwarding throughput
# next to HAProxy (Debian's haproxy package, if installed) with the same
# configuration, and Lua TCP services and actions (connections/s).
# Loopback only; everything started is stopped by PID.
#   tools/bench.sh [MB per stream, default 2000] [parallel streams, default 4]
set -u
cd "$(dirname "$0")/.."
MB=${1:-2000}
PAR=${2:-4}
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
T=$(mktemp -d)
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; rm -rf "$T"' EXIT

port() { echo $(( 30000 + RANDOM % 20000 )); }
waitp() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; return 1; }

make -s hlproxy hlproxy-size >/dev/null || exit 1
echo "== size"
echo "hlproxy (-O2 -g, not stripped): $(stat -c %s hlproxy) bytes"
echo "hlproxy-size (-Os, gc-sections, stripped): $(stat -c %s hlproxy-size) bytes"
cp hlproxy "$T/h" && strip "$T/h" && echo "hlproxy (-O2, stripped): $(stat -c %s "$T/h") bytes"
[ -x "$HAPROXY" ] && cp "$HAPROXY" "$T/ha" && strip "$T/ha" 2>/dev/null && echo "haproxy $($HAPROXY -v | head -1 | awk '{print $3}') (stripped): $(stat -c %s "$T/ha") bytes"

echo "== idle RSS with examples/hello_world.conf"
(cd examples && ../hlproxy -f hello_world.conf) >/dev/null 2>&1 &
p=$!; PIDS="$PIDS $p"; waitp 10001; sleep 0.5
echo "hlproxy: $(awk '/VmRSS/{print $2, $3}' /proc/$p/status) (VmSize $(awk '/VmSize/{print $2, $3}' /proc/$p/status); arena reserved, untouched pages not resident)"
kill $p; wait $p 2>/dev/null
sed 's/lua hello_world/lua.hello_world/' examples/hello_world.conf >"$T/ha_hello.conf"
cat examples/hello_world.lua >"$T/hello_world.lua"
echo 'core.register_action("hello_world", {"tcp-req"}, hello_world)' >>"$T/hello_world.lua"
if [ -x "$HAPROXY" ]; then
	(cd "$T" && "$HAPROXY" -db -f ha_hello.conf) >/dev/null 2>&1 &
	p=$!; PIDS="$PIDS $p"
	if waitp 10001; then sleep 0.5; echo "haproxy: $(awk '/VmRSS/{print $2, $3}' /proc/$p/status)"; fi
	kill $p; wait $p 2>/dev/null
fi

SRV=$(port); FE=$((SRV + 1))
socat TCP-LISTEN:$SRV,bind=127.0.0.1,reuseaddr,fork SYSTEM:"head -c ${MB}000000 /dev/zero" 2>/dev/null &
PIDS="$PIDS $!"
waitp $SRV
cat >"$T/fw.conf" <<CONF
global
    maxconn 256
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
listen fw
    bind 127.0.0.1:$FE
    server s1 127.0.0.1:$SRV
CONF

run_one() {   # prints MB/s for one stream of $MB MB through port $1
	local s e n
	s=$(date +%s%N)
	n=$(socat -u TCP:127.0.0.1:$1 - | wc -c)
	e=$(date +%s%N)
	echo "$n $(( (e - s) / 1000000 ))"
}

measure() {   # name binary-args...
	local name=$1 p i tot=0 ms=0 s e
	shift
	"$@" -f "$T/fw.conf" >/dev/null 2>&1 &
	p=$!; PIDS="$PIDS $p"
	waitp $FE || { echo "$name: did not start"; return; }
	read -r n ms < <(run_one $FE)
	echo "$name: 1 stream of $((n / 1000000)) MB: $(( n / 1000 / (ms ? ms : 1) )) MB/s"
	s=$(date +%s%N)
	local jobs=""
	for i in $(seq $PAR); do run_one $FE >"$T/par.$i" & jobs="$jobs $!"; done
	wait $jobs
	e=$(date +%s%N)
	tot=$(cat "$T"/par.* | awk '{s += $1} END {printf "%.0f", s}')
	echo "$name: $PAR parallel streams, $((tot / 1000000)) MB in total: $(( tot / 1000 / ((e - s) / 1000000) )) MB/s"
	utime=$(awk '{print $14 + $15}' /proc/$p/stat)
	echo "$name: CPU used by the proxy: $utime ticks"
	kill $p; wait $p 2>/dev/null
	rm -f "$T"/par.*
}

echo "== TCP forwarding throughput (loopback, socat source and sink)"
measure hlproxy ./hlproxy -db
[ -x "$HAPROXY" ] && measure "haproxy $($HAPROXY -v | head -1 | awk '{print $3}')" "$HAPROXY" -db

# Lua in TCP mode: a service answering one line per connection, and an
# action rewriting the request line in front of a Lua echo service. The
# client (python3) opens CONNS connections per worker, WORKERS at once.
CONNS=${CONNS:-2000}
WORKERS=${WORKERS:-4}
if command -v python3 >/dev/null; then
	SVC=$(port); ACT=$((SVC + 1)); ECHO=$((SVC + 2))
	cat >"$T/tcp.lua" <<'LUA'
core.register_service("hello", "tcp", function(applet)
	local line = applet:getline()
	applet:send("hello " .. line)
end)
core.register_service("echo", "tcp", function(applet)
	local line = applet:getline()
	applet:send(line)
end)
core.register_action("upper", { "tcp-req" }, function(txn)
	local line = txn.req:getline()
	if line then txn.req:prepend(line:upper()) end
end)
LUA
	cat >"$T/lua.conf" <<CONF
global
    maxconn 256
    lua-load $T/tcp.lua
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
listen svc
    bind 127.0.0.1:$SVC
    tcp-request inspect-delay 5s
    tcp-request content use-service lua.hello
listen act
    bind 127.0.0.1:$ACT
    tcp-request inspect-delay 5s
    tcp-request content lua.upper
    server echo 127.0.0.1:$ECHO
listen echo
    bind 127.0.0.1:$ECHO
    tcp-request inspect-delay 5s
    tcp-request content use-service lua.echo
CONF
	cat >"$T/client.py" <<'PY'
import socket, sys, time, threading
port, conns, workers = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
errors = []
def work():
    for _ in range(conns):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"abc\n")
        data = b""
        while not data.endswith(b"\n"):
            d = s.recv(100)
            if not d:
                break
            data += d
        if not data.endswith(b"\n"):
            errors.append(data)
        s.close()
t0 = time.time()
th = [threading.Thread(target=work) for _ in range(workers)]
for t in th: t.start()
for t in th: t.join()
dt = time.time() - t0
print("%d connections in %.2f s: %.0f connections/s%s" % (conns * workers, dt, conns * workers / dt,
      (", %d errors" % len(errors)) if errors else ""))
PY
	lua_measure() {   # name binary-args...
		local name=$1 p
		shift
		"$@" -f "$T/lua.conf" >/dev/null 2>&1 &
		p=$!; PIDS="$PIDS $p"
		waitp $SVC || { echo "$name: did not start"; return; }
		waitp $ACT
		echo "$name: service:  $(python3 "$T/client.py" $SVC $CONNS $WORKERS)"
		echo "$name: action -> server: $(python3 "$T/client.py" $ACT $CONNS $WORKERS)"
		kill $p; wait $p 2>/dev/null
	}
	echo "== Lua in TCP mode (connections/s, $WORKERS workers x $CONNS connections)"
	lua_measure hlproxy ./hlproxy -db
	[ -x "$HAPROXY" ] && lua_measure "haproxy $($HAPROXY -v | head -1 | awk '{print $3}')" "$HAPROXY" -db
fi
