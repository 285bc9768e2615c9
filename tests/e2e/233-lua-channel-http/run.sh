#!/usr/bin/env bash
# The Channel class (txn.req, txn.res) in "mode http": every function that
# reads or changes the buffer's content raises "cannot manipulate HAProxy
# channels in HTTP mode" (data, dup, get, line, getline, remove, set,
# append, prepend, insert, forward, send), in request and response
# actions, on both channels; input, output, may_recv, is_full and is_resp
# still answer. The request and the response go through unharmed.
#
# Compared with HAProxy 2.6.12 (REF=1 HLP=/usr/sbin/haproxy runs this
# case against it): the same refusals and answers. 2.6's message is
# "Cannot manipulate HAProxy channels in HTTP mode."; hlproxy's names the
# function and points to txn.http. 2.6 has no get_line (1.6's name).
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/chn.lua" .
REF=${REF:-0}
p_fe=$(free_port); p_or=$(free_port)

cat >h.cfg <<CONF
global
   lua-load chn.lua

defaults
   mode http
   timeout client 10s
   timeout server 10s
   timeout connect 5s

frontend fe
   bind 127.0.0.1:$p_fe
   http-request lua.req
   http-response lua.res
   default_backend be

backend be
   server o 127.0.0.1:$p_or
CONF
start_origin "$p_or" "$T/origin.log"
start_hlp h.cfg "$p_fe"

curl -sS -m 10 -D h.txt -o body.txt --data-binary 'some body' "http://127.0.0.1:$p_fe/x" || fail "curl failed"
tr -d '\r' <h.txt >h2.txt
expect_eq "$(cat body.txt)" "POST /x" "the origin's answer"
refused="data=refused dup=refused get=refused line=refused getline=refused"
[ "$REF" = 1 ] || refused="$refused get_line=refused"
refused="$refused remove=refused set=refused append=refused prepend=refused insert=refused forward=refused send=refused"
info="input=number output=number get_in_len=number get_out_len=number may_recv=boolean is_full=boolean is_resp=boolean"
for h in x-chn-req x-chn-res-in-req x-chn-res; do
	expect_eq "$(grep -i "^$h: " h2.txt | sed 's/^[^:]*: //')" "$refused $info" "$h"
done
[ "$REF" = 1 ] || stop_hlp
echo ok
