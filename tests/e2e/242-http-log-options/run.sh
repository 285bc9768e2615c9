# The HTTP logging options: dontlog-normal logs only errors (a termination
# code, a retry, a 5xx), log-separate-errors sends errors at level err
# instead of info, http-ignore-probes neither logs nor answers a
# connection that closes or times out without sending anything. Checked
# against HAProxy 2.6 too (HLP=/usr/sbin/haproxy).
. "$TOP/tests/lib.sh"

og=$(free_port)
f1=$(free_port)
f2=$(free_port)
f3=$(free_port)
f4=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format rfc3164 local0 debug

defaults
    mode http
    log global
    option httplog
    timeout connect 1s
    timeout client 5s
    timeout server 5s
    timeout http-request 500ms

listen normal
    bind 127.0.0.1:$f1
    option dontlog-normal
    server o 127.0.0.1:$og

listen seperr
    bind 127.0.0.1:$f2
    option log-separate-errors
    server o 127.0.0.1:$og

listen probes
    bind 127.0.0.1:$f3
    option http-ignore-probes
    server o 127.0.0.1:$og

listen plain
    bind 127.0.0.1:$f4
    server o 127.0.0.1:$og
CONF
start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$f1"
for p in $f2 $f3 $f4; do wait_port "$p" || fail "listener $p"; done
sleep 0.3
: >"$T/hlp.log"

# dontlog-normal: a 200 is not logged, a 503 from the origin is
curl -s -o /dev/null "http://127.0.0.1:$f1/echo"
curl -s -o /dev/null "http://127.0.0.1:$f1/status/503"
# log-separate-errors: info for a 200, err for a 500
curl -s -o /dev/null "http://127.0.0.1:$f2/echo"
curl -s -o /dev/null "http://127.0.0.1:$f2/status/500"
# http-ignore-probes: a connection that says nothing, closed then timed out
(exec 3<>/dev/tcp/127.0.0.1/$f3; exec 3>&-) 2>/dev/null
timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$f3; cat <&3" >"$T/probe.out" 2>/dev/null
# without it: the same gets a 408 and a log line
timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$f4; cat <&3" >"$T/plain.out" 2>/dev/null
sleep 0.5

lines() { grep -ac "$1" "$T/hlp.log"; }
level() { grep -a "$1" "$T/hlp.log" | grep -ao '<1[0-9][0-9]>' | head -n 1; }
expect_eq "$(lines ' normal/o .* 200 ')" 0 "dontlog-normal: a 200 is not logged"
expect_eq "$(lines ' normal/o .* 503 ')" 1 "dontlog-normal: a 503 is logged"
expect_eq "$(level ' seperr/o .* 200 ')" "<134>" "log-separate-errors: a 200 at info"
expect_eq "$(level ' seperr/o .* 500 ')" "<131>" "log-separate-errors: a 500 at err"

expect_eq "$(wc -c <"$T/probe.out")" 0 "http-ignore-probes: no 408 to a silent connection"
expect_eq "$(lines ' probes ')" 0 "http-ignore-probes: no log line"
expect_eq "$(head -c 12 "$T/plain.out")" "HTTP/1.1 408" "without it: a 408"
expect_eq "$(lines ' plain plain/<NOSRV> .* 408 ')" 1 "without it: a 408 line"
exit 0
