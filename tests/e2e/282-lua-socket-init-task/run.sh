#!/usr/bin/env bash
# core.tcp() in an init function: start-up data read over a socket before
# hlproxy listens (the init waits for the socket; a refused port gives
# nil, "connection refused" and start-up goes on), and in a task (a line
# echoed back, the task sleeping in between).
#
# HAProxy 2.6.12 cannot use a socket in an init function: connect()
# returns nothing there (the assert fails and it does not start).
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/init.lua" .

p=$(free_port)
export DATA=$(free_port) ECHO=$(free_port) REFUSED=$(free_port)
printf 'name=router7\ncolor=blue\nbad line\n' >data.txt
# the data server reads the request line, then answers and closes
cat >data.sh <<SH
#!/bin/sh
read -r req
sleep 0.2
cat "$T/data.txt"
SH
bg socat TCP-LISTEN:"$DATA",bind=127.0.0.1,reuseaddr,fork EXEC:"sh $T/data.sh"
wait_port "$DATA" 5 || fail "data server"
echo_server "$ECHO"

cat >t.cfg <<CFG
global
   lua-load init.lua
defaults
   mode http
   timeout client 10s
   timeout server 10s
   timeout connect 5s
frontend fe
   bind 127.0.0.1:$p
   http-request use-service lua.show
CFG
if is_haproxy; then
	timeout 10 "$HLP" -db -f t.cfg >hap.log 2>&1
	expect_grep "init.lua:8: bad argument #1 to 'assert'" hap.log "HAProxy 2.6: no socket in init"
	exit 0
fi
start_hlp t.cfg "$p"
sleep 0.3
out=$(curl -s --max-time 5 "http://127.0.0.1:$p/")
expect_eq "$out" "name=router7 color=blue n=2 init_err=connection refused,1,NXDOMAIN task=from task" "init and task sockets"
is_haproxy || stop_hlp
exit 0
