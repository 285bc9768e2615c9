#!/usr/bin/env bash
# The Socket class (core.tcp()) from a TCP service, against real peers:
# a socat echo server (IPv4 and, when the host has it, IPv6), a refused
# port, a server that never answers (timeouts: receive gives nil,
# "timeout" and the partial data), a server that closes in the middle of
# a line ("closed" and the partial data), *l (CR dropped) / *a / a count,
# with and without a prefix, send(data, i, j), getpeername/getsockname
# (LuaSocket's ip, port, family), setoption, close, and use after close;
# 1 MB by count from a peer that stays open and 5 MB by *a (each returns
# as soon as its pattern is met); a name under .invalid (nil, "NXDOMAIN"
# at once, no query) and connect_ssl to a plain echo server (nil, "TLS:
# handshake failed..."); core.tcp() in a fetch
# (a Lua error).
#
# Compared with HAProxy 2.6.12 (HLP=/usr/sbin/haproxy): the same lines,
# counts, *l prefixes and refused port; it differs (only shown there) in:
# setoption returns nothing; send(d, i, j) returns the bytes sent, not
# the index of the last one; receive(n, prefix) counts the prefix in n;
# getpeername/getsockname give one "ip:port" string; a receive that
# times out returns what came as a success, a silent peer gives nil,
# "connection closed."; send after close gives -1; a bad address or a
# host name raises an error; the 1 MB and 5 MB receives get no answer
# within 30 s (past ~16 kB it waits for the timeout, past ~32 kB it
# stalls); no shutdown() method.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/sock.lua" .

p=$(free_port)
export ECHO=$(free_port) REFUSED=$(free_port) MIDLINE=$(free_port) SILENT=$(free_port)
export BIG1=$(free_port) BIG5=$(free_port) ECHO6=$(free_port)
echo_server "$ECHO"
printf '#!/bin/sh\nprintf "abc\\r\\ndef\\nghi"\n' >mid.sh
bg socat TCP-LISTEN:"$MIDLINE",bind=127.0.0.1,reuseaddr,fork EXEC:"sh $T/mid.sh"
wait_port "$MIDLINE" 5 || fail "midline server"
bg socat TCP-LISTEN:"$SILENT",bind=127.0.0.1,reuseaddr,fork SYSTEM:"sleep 20"
wait_port "$SILENT" 5 || fail "silent server"
head -c 1048576 /dev/urandom | base64 -w 0 | head -c 1048576 >big1
head -c 5242880 /dev/urandom | base64 -w 0 | head -c 5242880 >big5
bg socat TCP-LISTEN:"$BIG1",bind=127.0.0.1,reuseaddr,fork SYSTEM:"cat $T/big1; sleep 20"
wait_port "$BIG1" 5 || fail "big1 server"
bg socat TCP-LISTEN:"$BIG5",bind=127.0.0.1,reuseaddr,fork SYSTEM:"cat $T/big5"
wait_port "$BIG5" 5 || fail "big5 server"
if socat -T1 TCP6-LISTEN:"$ECHO6",bind='[::1]',reuseaddr,fork EXEC:cat 2>/dev/null & then
	PIDS="$PIDS $!"
	sleep 0.3
	if (exec 3<>/dev/tcp/::1/$ECHO6) 2>/dev/null; then export V6=1; fi
fi

cat >t.cfg <<CFG
global
   lua-load sock.lua
defaults
   mode tcp
   timeout client 20s
   timeout server 20s
   timeout connect 5s
frontend fe
   bind 127.0.0.1:$p
   tcp-request inspect-delay 5s
   tcp-request content use-service lua.t
CFG
start_hlp t.cfg "$p"

run() { printf '%s\n' "$1" | timeout 30 nc 127.0.0.1 "$p"; }
b1=$(head -c 4 big1); e1=$(tail -c 4 big1); b5=$(head -c 4 big5); e5=$(tail -c 4 big5)

if is_haproxy; then
	# HAProxy 2.6 shares the core: lines, counts, prefixes on *l, the
	# refused port; the rest differs (see the header) and is only shown
	out=$(run echo)
	for w in 13 hello world bcd pre-xyz; do
		echo "$out" | grep -qx "$w" || fail "haproxy echo: no '$w' in: $out"
	done
	for t in echo forms closing silent big noname; do
		note "haproxy $t: $(run "$t" | tr '\n' '|')"
	done
	exit 0
fi

out=$(run echo)
expect_eq "$out" "true
1
1
1
13
hello
world
4
bcd
4
pre-xyz
5
p12
127.0.0.1,true,inet
127.0.0.1,integer,inet
nil,timeout,345
7
nil,timeout,xpartial
waited,true
1
nil,closed,0
nil,closed,
1" "echo"

out=$(run forms)
v6=""
[ -n "${V6:-}" ] && v6="
1
six
::1,$ECHO6,inet6
1"
expect_eq "$out" "true
1
one$v6
v6 literal,true
v6 literal,true
v6 literal,true
nil,connection refused
nil,not connected
nil,closed,0
nil,invalid address or port" "connect forms"

out=$(run closing)
expect_eq "$out" "true
abc
pfx:def
nil,closed,ghi
all:abc<CR>
def
ghi,1
nil,closed,
abc<CR>
def
ghi,1" "peer closing"

out=$(run silent)
expect_eq "$out" "true
1
nil,timeout,
nil,timeout,
nil,timeout,p" "silent peer"

out=$(run big)
expect_eq "$out" "true
1048576,nil,$b1,$e1,true
5242880,nil,$b5,$e5,true
100000,nil,$b1,$(head -c 100000 big1 | tail -c 4),true" "big receives"

out=$(run noname)
expect_eq "$out" "true
nil,NXDOMAIN
nil,TLS: handshake failed" "an invalid name, TLS with a plain server"

is_haproxy || stop_hlp
exit 0
