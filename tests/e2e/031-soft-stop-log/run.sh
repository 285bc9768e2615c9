# What a soft stop (SIGUSR1) reports, as HAProxy 2.6 does: for every proxy,
# frontends and backends alike, a warning on stderr
#   [WARNING]  (pid) : Proxy NAME stopped (cumulated conns: FE: n, BE: m).
# and the same text sent at level warning to the proxy's own log targets
# (<132> for local0). Two connections go through frontend "fe" to backend
# "be", one through "nolog", which has no log target.
. "$TOP/tests/lib.sh"

p=$(free_port)
n=$(free_port)
s=$(free_port)
u=$(free_port)
: >"$T/udp"
bg socat -u UDP-RECV:"$u",bind=127.0.0.1 OPEN:"$T/udp",creat,append
cat >"$T/hlp.conf" <<CONF
global
    log 127.0.0.1:$u local0

defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fe
    bind 127.0.0.1:$p
    log global
    default_backend be

backend be
    log global
    server s1 127.0.0.1:$s

listen nolog
    bind 127.0.0.1:$n
    server s1 127.0.0.1:$s
CONF

name_server "$s" hello
# readiness probe on "nolog", so that "fe" counts our two connections only
start_hlp "$T/hlp.conf" "$n"
for i in 1 2; do
	out=$(timeout 5 nc 127.0.0.1 "$p" </dev/null)
	expect_eq "$out" hello "connection $i through fe"
done
kill -USR1 "$HLP_PID"
for _ in $(seq 1 200); do kill -0 "$HLP_PID" 2>/dev/null || break; sleep 0.05; done
kill -0 "$HLP_PID" 2>/dev/null && fail "hlproxy did not exit after SIGUSR1"
wait "$HLP_PID"
expect_eq "$?" 0 "exit status"
for _ in $(seq 1 100); do grep -q "Proxy be stopped" "$T/udp" && break; sleep 0.05; done
note "stderr: $(grep -i 'stopped' "$T/hlp.log" | tr '\n' '|')"
note "syslog: $(grep 'stopped' "$T/udp" | tr '\n' '|')"

for m in "Proxy fe stopped (cumulated conns: FE: 2, BE: 0)." \
         "Proxy be stopped (cumulated conns: FE: 0, BE: 2)." \
         "Proxy nolog stopped (cumulated conns: FE: 1, BE: 1)."; do
	grep -Fq "$m" "$T/hlp.log" || fail "stderr lacks: $m"
	grep -F "$m" "$T/hlp.log" | grep -Eq '^\[WARNING\] +\([0-9]+\) : ' || fail "not a [WARNING] on stderr: $(grep -F "$m" "$T/hlp.log")"
done
for m in "Proxy fe stopped (cumulated conns: FE: 2, BE: 0)." \
         "Proxy be stopped (cumulated conns: FE: 0, BE: 2)."; do
	grep -F "$m" "$T/udp" | grep -Eq '^<132>[A-Z][a-z]{2} [ 1-3][0-9] [0-9:]{8} [a-z-]+\[[0-9]+\]: Proxy' ||
		fail "the log target did not get, at level warning (<132>): $m"
done
grep -q "nolog" "$T/udp" && fail "a proxy without log targets logged to the global ones: $(grep nolog "$T/udp")"
exit 0
