#!/usr/bin/env bash
# tools/bench.sh: figures, not tests. Prints the stripped size of hlproxy,
# its idle RSS with the hello-world config, and TCP forwarding throughput
# next to HAProxy (Debian's haproxy package, if installed) with the same
# configuration, Lua TCP services and actions (connections/s), and HTTP
# requests/s (keep-alive GET forwarded, after 10 ACL rules, through an
# http-request lua action, and answered by a Lua HTTP service), and an
# http-request Lua action doing one Redis GET per request through
# core.tcp() and lua-redis (redis-server started on a free port).
# Loopback only; everything started is stopped by PID.
#   tools/bench.sh [MB per stream, default 2000] [parallel streams, default 4]
# Environment:
#   ONLY=size,tcp,lua,http,redis   the sections to run (default: all)
#   HLP_BIN=path             the hlproxy binary to measure (default: build
#                            ./hlproxy with make)
#   HAPROXY=path             the HAProxy to compare with
#   HTTP_SECS, HTTP_CONNS    HTTP: seconds per figure (5), connections (16)
set -u
cd "$(dirname "$0")/.."
MB=${1:-2000}
PAR=${2:-4}
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
ONLY=${ONLY:-size,tcp,lua,http,redis}
T=$(mktemp -d)
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; rm -rf "$T"' EXIT

# below the kernel's range for outgoing connections, which a client socket could hold
port() { echo $(( 20000 + RANDOM % 12000 )); }
waitp() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; return 1; }
want() { case ",$ONLY," in *",$1,"*) return 0 ;; esac; return 1; }

if [ -n "${HLP_BIN:-}" ]; then
	HLP=$(cd "$(dirname "$HLP_BIN")" && pwd)/$(basename "$HLP_BIN")
else
		HLP=$(pwd)/hlproxy
fi
HA_NAME="haproxy $([ -x "$HAPROXY" ] && "$HAPROXY" -v | head -1 | awk '{print $3}')"

if want size; then
echo "== size"
echo "hlproxy (-O2 -g, not stripped): $(stat -c %s "$HLP") bytes"
[ -z "${HLP_BIN:-}" ] && echo "hlproxy-size (-Os, gc-sections, stripped): $(stat -c %s hlproxy-size) bytes"
cp "$HLP" "$T/h" && strip "$T/h" && echo "hlproxy (-O2, stripped): $(stat -c %s "$T/h") bytes"
[ -x "$HAPROXY" ] && cp "$HAPROXY" "$T/ha" && strip "$T/ha" 2>/dev/null && echo "haproxy $($HAPROXY -v | head -1 | awk '{print $3}') (stripped): $(stat -c %s "$T/ha") bytes"

echo "== idle RSS with examples/hello_world.conf"
(cd examples && "$HLP" -f hello_world.conf) >/dev/null 2>&1 &
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

fi

if want tcp; then
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
measure hlproxy "$HLP" -db
[ -x "$HAPROXY" ] && measure "$HA_NAME" "$HAPROXY" -db
fi

# Lua in TCP mode: a service answering one line per connection, and an
# action rewriting the request line in front of a Lua echo service. The
# client (python3) opens CONNS connections per worker, WORKERS at once.
CONNS=${CONNS:-2000}
WORKERS=${WORKERS:-4}
if want lua && command -v python3 >/dev/null; then
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
	lua_measure hlproxy "$HLP" -db
	[ -x "$HAPROXY" ] && lua_measure "$HA_NAME" "$HAPROXY" -db
fi

# HTTP mode: requests/s of keep-alive GETs, HTTP_CONNS connections for
# HTTP_SECS seconds each, (1) forwarded to an origin, (2) through an
# http-request lua action to that origin, (3) answered by a Lua HTTP
# service; hlproxy, then HAProxy (nbthread 1) on the same configuration.
# The origin is an HAProxy with nbthread 2 answering with http-request
# return (hlproxy when HAProxy is missing), fast enough not to be the
# bottleneck. The client is wrk when installed (apt-get install wrk), else
# a python3 keep-alive client in several processes, much slower: its
# figures are bounded by the client.
if want http; then
	HTTP_SECS=${HTTP_SECS:-5}
	HTTP_CONNS=${HTTP_CONNS:-16}
	ORIG=$(port); HF=$((ORIG + 1)); HA=$((ORIG + 2)); HS=$((ORIG + 3)); HC=$((ORIG + 4))
	# 100,000 networks for the ACL section's source check (none is loopback)
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%d.%d.%d.0/24\n", 100 + int(i / 65536), int(i / 256) % 256, i % 256 }' >"$T/blocked.lst"
	cat >"$T/http.lua" <<'LUA'
core.register_action("bench", { "http-req" }, function(txn)
	txn.http:req_set_header("x-bench", "1")
end)
core.register_service("hello", "http", function(applet)
	local body = "hello world\n"
	applet:set_status(200)
	applet:add_header("content-type", "text/plain")
	applet:add_header("content-length", tostring(#body))
	applet:start_response()
	applet:send(body)
end)
LUA
	cat >"$T/origin.conf" <<CONF
global
    maxconn 1024
    nbthread 2
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
listen origin
    bind 127.0.0.1:$ORIG
    http-request return status 200 content-type text/plain string "hello world"
CONF
	cat >"$T/http.conf" <<CONF
global
    maxconn 1024
    nbthread 1
    lua-load $T/http.lua
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
listen forward
    bind 127.0.0.1:$HF
    server o 127.0.0.1:$ORIG
listen action
    bind 127.0.0.1:$HA
    http-request lua.bench
    server o 127.0.0.1:$ORIG
listen acl10
    bind 127.0.0.1:$HC
    acl blocked src -f $T/blocked.lst
    http-request deny if blocked
    http-request deny if { path_beg /admin /private }
    http-request deny if { hdr_sub(user-agent) -i sqlmap nikto }
    http-request set-header X-Api 1 if { path_beg /api/ }
    http-request set-header X-Static 1 if { path_end .css .js .png }
    http-request deny if { method TRACE CONNECT }
    http-request deny if { url_sub -i <script }
    http-request set-header X-Mobile 1 if { hdr_sub(user-agent) -i mobile android iphone }
    http-request deny if { req.hdr_cnt(host) gt 1 }
    http-request set-header X-Lang en if { req.hdr(accept-language) -m beg en }
    server o 127.0.0.1:$ORIG
listen service
    bind 127.0.0.1:$HS
    http-request use-service lua.hello
CONF
	cat >"$T/hclient.py" <<'PY'
# python3 hclient.py PORT CONNS SECS: keep-alive GET / on CONNS connections
# (one process each) for SECS seconds; prints "requests/s errors"
import multiprocessing, socket, sys, time
port, conns, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
REQ = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
def work(q):
    n = err = 0
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b""
    end = time.time() + secs
    while time.time() < end:
        s.sendall(REQ)
        while True:
            i = buf.find(b"\r\n\r\n")
            if i >= 0:
                head = buf[:i].lower()
                j = head.find(b"content-length:")
                cl = int(head[j + 15:].split(b"\r\n")[0]) if j >= 0 else 0
                if len(buf) >= i + 4 + cl:
                    if not head.startswith(b"http/1.1 200"):
                        err += 1
                    buf = buf[i + 4 + cl:]
                    break
            d = s.recv(65536)
            if not d:
                q.put((n, err + 1)); return
            buf += d
        n += 1
    q.put((n, err))
q = multiprocessing.Queue()
ps = [multiprocessing.Process(target=work, args=(q,)) for _ in range(conns)]
t0 = time.time()
for p in ps: p.start()
res = [q.get() for _ in ps]
for p in ps: p.join()
print("%.0f %d" % (sum(r[0] for r in res) / secs, sum(r[1] for r in res)))
PY
	# rps PORT: "<requests/s> <errors>" with wrk, else the python client
	rps() {
		if command -v wrk >/dev/null; then
			wrk -t1 -c"$HTTP_CONNS" -d"${HTTP_SECS}s" "http://127.0.0.1:$1/" >"$T/wrk.out" 2>&1
			awk '/^Requests\/sec:/ {r = $2} /^ *Non-2xx/ {e += $NF}
			     /^ *Socket errors:/ {gsub(/[^0-9 ]/, ""); for (i = 1; i <= NF; i++) e += $i}
			     END {printf "%.0f %d\n", r, e}' "$T/wrk.out"
		else
			python3 "$T/hclient.py" "$1" "$HTTP_CONNS" "$HTTP_SECS"
		fi
	}
	errs() { [ "${1:-0}" = 0 ] || echo " ($1 errors)"; }
	http_measure() {   # name binary
		local name=$1 p r e
		"$2" -db -f "$T/http.conf" >"$T/http.log" 2>&1 &
		p=$!; PIDS="$PIDS $p"
		if ! waitp $HF || ! waitp $HS; then echo "$name: did not start: $(head -3 "$T/http.log")"; kill $p 2>/dev/null; return; fi
		read -r r e < <(rps $HF); echo "$name: forward to the origin: $r requests/s$(errs "$e")"
		read -r r e < <(rps $HC); echo "$name: forward after 10 ACL rules (one on 100,000 networks): $r requests/s$(errs "$e")"
		read -r r e < <(rps $HA); echo "$name: http-request lua.bench: $r requests/s$(errs "$e")"
		read -r r e < <(rps $HS); echo "$name: use-service lua.hello: $r requests/s$(errs "$e")"
		echo "$name: CPU used by the proxy: $(awk '{print $14 + $15}' /proc/$p/stat) ticks"
		kill $p; wait $p 2>/dev/null
	}
	if [ -x "$HAPROXY" ]; then
		"$HAPROXY" -db -f "$T/origin.conf" >/dev/null 2>&1 &
	else
		sed 's/nbthread 2/nbthread 1/' "$T/origin.conf" >"$T/origin1.conf"
		"$HLP" -db -f "$T/origin1.conf" >/dev/null 2>&1 &
	fi
	PIDS="$PIDS $!"
	waitp $ORIG || echo "the origin did not start"
	if command -v wrk >/dev/null; then client="wrk -t1 -c$HTTP_CONNS -d${HTTP_SECS}s"; else client="python3 keep-alive client, $HTTP_CONNS processes, ${HTTP_SECS} s (install wrk for real figures)"; fi
	echo "== HTTP keep-alive GET (requests/s; client: $client; $(nproc) CPUs)"
	read -r r e < <(rps $ORIG); echo "origin alone: $r requests/s"
	http_measure hlproxy "$HLP"
	[ -x "$HAPROXY" ] && http_measure "$HA_NAME (nbthread 1)" "$HAPROXY"
fi

if want redis; then
	HTTP_SECS=${HTTP_SECS:-5} HTTP_CONNS=${HTTP_CONNS:-16}
	RP=$(port); RF=$((RP + 1))
	if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null || [ ! -f /usr/share/lua/5.3/redis.lua ]; then
		echo "== Redis GET per request: needs redis-server, redis-cli and lua-redis"
	elif ! type rps >/dev/null 2>&1; then
		echo "== Redis GET per request: needs the http section's client (ONLY=http,redis)"
	else
		redis-server --port $RP --bind 127.0.0.1 --save "" --appendonly no --dir "$T" >/dev/null 2>&1 &
		PIDS="$PIDS $!"
		waitp $RP
		cat >"$T/redis.lua" <<LUA
local redis = require("redis")
core.register_action("rget", { "http-req" }, function(txn)
   local tcp = core.tcp()
   tcp:settimeout(1)
   tcp:connect("127.0.0.1", $RP)
   local client = redis.connect({ socket = tcp })
   txn:set_var("txn.v", client:get("bench:k"))
   tcp:close()
end)

LUA
		cat >"$T/redis.conf" <<CONF
global
    maxconn 1024
    nbthread 1
    lua-load $T/redis.lua
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
listen redis
    bind 127.0.0.1:$RF
    http-request lua.rget
    http-request return status 200 content-type text/plain lf-string "%[var(txn.v)]"
CONF
		redis-cli -p $RP set bench:k "hello from redis" >/dev/null
		echo "== HTTP keep-alive GET, one Redis GET per request through core.tcp() (lua-redis, a new connection each)"
		redis_measure() {   # name binary
			local p r e
			"$2" -db -f "$T/redis.conf" >"$T/redis.log" 2>&1 &
			p=$!; PIDS="$PIDS $p"
			if ! waitp $RF; then echo "$1: did not start: $(head -3 "$T/redis.log")"; kill $p 2>/dev/null; return; fi
			read -r r e < <(rps $RF)
			echo "$1: $r requests/s$( [ "${e:-0}" = 0 ] || echo " ($e errors)")"
			kill $p; wait $p 2>/dev/null
		}
		redis_measure hlproxy "$HLP"
		[ -x "$HAPROXY" ] && redis_measure "$HA_NAME (nbthread 1)" "$HAPROXY"
	fi
fi
