#!/usr/bin/env bash
# 200 requests at once, each an http-request action holding a socket to a
# server that answers after a second: all answer, in about a second, and
# the proxy keeps serving other clients meanwhile (answered at once).
# tune.lua.maxsockets 5: the sixth connect gives nil, "too many sockets
# (tune.lua.maxsockets)"; sockets an action leaves open are closed when it
# ends, dropped ones when collected (the next request may open 5 again).
# core.tcp() in a sample fetch is a Lua error. A tcp-request content
# action waits on a socket before a TCP service answers.
#
# HAProxy 2.6.12 answers the 200 requests too; it has no socket limit
# (the keyword is hlproxy's: that part is skipped there).
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/conc.lua" .

p=$(free_port)
p2=$(free_port)
pt=$(free_port)
export SLOW=$(free_port) ECHO=$(free_port)
cat >slow.sh <<'SH'
#!/bin/sh
read -r line
sleep 1
echo "$line"
SH
bg socat TCP-LISTEN:"$SLOW",bind=127.0.0.1,reuseaddr,fork,backlog=512 EXEC:"sh $T/slow.sh"
wait_port "$SLOW" 5 || fail "slow server"
echo_server "$ECHO"

maxs="tune.lua.maxsockets 5"
is_haproxy && maxs=""
cat >t.cfg <<CFG
global
   maxconn 1000
   lua-load conc.lua
   $maxs
defaults
   mode http
   timeout client 20s
   timeout server 20s
   timeout connect 5s
frontend fe
   bind 127.0.0.1:$p
   http-request lua.slow if { path /slow }
   http-request lua.many leak if { path /leak }
   http-request lua.many gc if { path /gc }
   http-request lua.many close if { path /close }
   http-request set-var(txn.r) lua.tcpf if { path /fetch }
   http-request return status 200 content-type text/plain lf-string "%[var(txn.r)]" if { path /slow } || { path /leak } || { path /gc } || { path /close } || { path /fetch }
   http-request return status 200 content-type text/plain string "fast"
frontend tcpfe
   mode tcp
   bind 127.0.0.1:$pt
   tcp-request inspect-delay 10s
   tcp-request content lua.tcpact
   tcp-request content use-service lua.say
CFG
start_hlp t.cfg "$p"

# 200 at once: the limit of 5 only counts when it is set, so this part
# runs in an instance of its own without it
if ! is_haproxy; then
	sed 's/tune.lua.maxsockets 5//; s/'"$p"'/'"$p2"'/; s/'"$pt"'/'"$(free_port)"'/' t.cfg >t2.cfg
	start_hlp t2.cfg "$p2"
	pc=$p2
else
	pc=$p
fi
t0=$(date +%s%N)
seq 200 | xargs -P 200 -I{} curl -s --max-time 15 -o "$T/r{}.out" "http://127.0.0.1:$pc/slow" &
xp=$!
sleep 0.5
tf0=$(date +%s%N)
fast=$(curl -s --max-time 5 "http://127.0.0.1:$pc/")
tf=$(( ($(date +%s%N) - tf0) / 1000000 ))
wait $xp
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_eq "$fast" "fast" "another client served meanwhile"
[ "$tf" -lt 500 ] || fail "another client waited ${tf} ms"
okn=$(grep -lx 'ok id' r*.out | wc -l)
expect_eq "$okn" "200" "200 concurrent sockets ($(grep -Lx 'ok id' r*.out | head -3 | xargs cat))"
note "200 concurrent round trips of 1 s: ${ms} ms; another client: ${tf} ms"
[ "$ms" -lt 6000 ] || fail "200 concurrent sockets took ${ms} ms"

if ! is_haproxy; then
	out=$(curl -s --max-time 5 "http://127.0.0.1:$p/leak")
	expect_eq "$out" "opened=5 err=too many sockets (tune.lua.maxsockets)" "the limit"
	out=$(curl -s --max-time 5 "http://127.0.0.1:$p/leak")
	expect_eq "$out" "opened=5 err=too many sockets (tune.lua.maxsockets)" "closed at the action's end"
	out=$(curl -s --max-time 5 "http://127.0.0.1:$p/gc")
	expect_eq "$out" "opened=10 err=too many sockets (tune.lua.maxsockets)" "closed when collected"
	out=$(curl -s --max-time 5 "http://127.0.0.1:$p/close")
	expect_eq "$out" "opened=5 err=too many sockets (tune.lua.maxsockets)" "close()"
	out=$(curl -s --max-time 5 "http://127.0.0.1:$p/fetch")
	expect_eq "$out" "false: core.tcp: not available in the sample-fetch context (only in init, task, action and service)" "in a fetch"
	# clients that leave while their action waits: their sockets are
	# released once those sessions end (the limit of 5 is free again)
	for i in 1 2 3 4 5; do curl -s --max-time 0.3 "http://127.0.0.1:$p/slow" >/dev/null; done
	sleep 1.5
	out=$(curl -s --max-time 5 "http://127.0.0.1:$p/close")
	expect_eq "$out" "opened=5 err=too many sockets (tune.lua.maxsockets)" "sockets of clients that left"
fi
out=$(echo | timeout 10 nc 127.0.0.1 "$pt")
expect_eq "$out" "action said tcp" "a tcp-request action"
is_haproxy || stop_hlp "$HLP_PID"
exit 0
