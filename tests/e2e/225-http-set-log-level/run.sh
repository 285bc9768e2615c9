# set-log-level in http-request and http-response rules, checked on the
# syslog priority of the HTTP log line each transaction sends over UDP
# (facility local0 = 16): the default info (<134>), "err" (<131>),
# "debug" from a response rule (<135>), and "silent" (no line at all, the
# next transaction of the listen logs again normally when the rule is not
# hit). The level is per transaction: on one keep-alive connection a Lua
# action raises the first request's level only. Passes with
# HLP=/usr/sbin/haproxy too. (The format has %ST: with a format that needs
# nothing of the response, HAProxy 2.6 sends a first line at the default
# level when the request is processed, then the real one at the end.)
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/lvl.lua" .
og=$(free_port); u=$(free_port); p0=$(free_port); p1=$(free_port); p2=$(free_port)
p3=$(free_port); p4=$(free_port)
cat >hlp.conf <<CONF
global
    lua-load lvl.lua
    log 127.0.0.1:$u local0

defaults
    mode http
    log global
    log-format "L %HU %ST"
    timeout connect 2s
    timeout client 10s
    timeout server 10s

listen normal
    bind 127.0.0.1:$p0
    server o 127.0.0.1:$og

listen err
    bind 127.0.0.1:$p1
    http-request set-log-level err
    server o 127.0.0.1:$og

listen silent
    bind 127.0.0.1:$p2
    http-request set-log-level silent
    server o 127.0.0.1:$og

listen resdebug
    bind 127.0.0.1:$p3
    http-response set-log-level debug
    server o 127.0.0.1:$og

listen perreq
    bind 127.0.0.1:$p4
    http-request lua.lvl
    server o 127.0.0.1:$og
CONF
: >udp.log
bg socat -u UDP-RECV:"$u",bind=127.0.0.1 OPEN:"$T/udp.log",creat,append
start_origin "$og" "$T/origin.log"
start_hlp hlp.conf "$p0"

curl -s -o /dev/null "http://127.0.0.1:$p0/n1" || fail "request to normal failed"
curl -s -o /dev/null "http://127.0.0.1:$p1/e1" || fail "request to err failed"
curl -s -o /dev/null "http://127.0.0.1:$p2/s1" || fail "request to silent failed"
curl -s -o /dev/null "http://127.0.0.1:$p3/d1" || fail "request to resdebug failed"
curl -s -o /dev/null -o /dev/null "http://127.0.0.1:$p4/lua-err" "http://127.0.0.1:$p4/lua-normal" ||
	fail "requests to perreq failed"
curl -s -o /dev/null "http://127.0.0.1:$p0/n2" || fail "request to normal failed"
wait_grep 1 " L /n2 200$" udp.log || fail "no log line for the last request: $(cat udp.log)"
pri() { sed -n "s|^<\([0-9]*\)>.* L $1 200$|\1|p" udp.log; }
expect_eq "$(pri /n1)" 134 "default level (local0.info)"
expect_eq "$(pri /e1)" 131 "set-log-level err"
expect_eq "$(pri /s1)" "" "set-log-level silent"
expect_eq "$(pri /d1)" 135 "http-response set-log-level debug"
# (HAProxy 2.6 logs txn:set_loglevel(3) at crit, <130>: one less than asked)
case "$(pri /lua-err)" in 131 | 130) ;; *) fail "txn:set_loglevel(3) on the first request: got '$(pri /lua-err)'" ;; esac
expect_eq "$(pri /lua-normal)" 134 "the next request of the connection logs at the default level"
expect_eq "$(pri /n2)" 134 "default level again"

kill -0 "$HLP_PID" || fail "the proxy died"
is_haproxy || stop_hlp
exit 0
