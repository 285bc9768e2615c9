# "tcp-request connection" and "tcp-request session" rules: accept, reject
# (closed without a log line, the server never contacted), set-var and
# unset-var in the sess and proc scopes, an accept ending only its own rule
# set, the ordering warnings and configuration errors. Compared with
# HAProxy 2.6.12: the same configuration gives the same log lines (none for
# the rejects) and the same ordering warning.
. "$TOP/tests/lib.sh"
cd "$T"
s=$(free_port)
p1=$(free_port)
p2=$(free_port)
p3=$(free_port)
echo_server "$s"
cat >early.cfg <<CONF
global
   log stderr format raw local0

defaults
   mode tcp
   log global
   timeout client 5s
   timeout connect 2s
   timeout server 5s

listen conn_reject
   bind 127.0.0.1:$p1
   option tcplog
   tcp-request connection reject
   server echo 127.0.0.1:$s

listen sess_reject
   bind 127.0.0.1:$p2
   option tcplog
   tcp-request connection set-var(proc.seen) int(1)
   tcp-request session reject
   server echo 127.0.0.1:$s

listen vars
   bind 127.0.0.1:$p3
   log-format "V c=%[var(sess.c)] s=%[var(sess.s)] gone=%[var(sess.gone)] skipped=%[var(sess.skipped)] seen=%[var(proc.seen)] t=%[var(txn.t)]"
   tcp-request connection set-var(sess.c) str(conn)
   tcp-request connection set-var(sess.gone) str(x)
   tcp-request connection unset-var(sess.gone)
   tcp-request connection accept
   tcp-request connection set-var(sess.skipped) str(no)
   tcp-request session set-var(sess.s) src
   tcp-request session set-var(txn.t) str(T)
   server echo 127.0.0.1:$s
CONF
start_hlp early.cfg "$p1"
wait_port "$p2" 5 || fail "listener 2"
wait_port "$p3" 5 || fail "listener 3"
expect_grep "parsing \[early.cfg:33\] : 'tcp-request session set-var(txn.t)': no transaction exists yet" "$T/hlp.log" "txn variable warning"
: >"$T/hlp.log"

for p in "$p1" "$p2"; do
	out=$(printf 'hello\n' | timeout 5 nc -q1 127.0.0.1 "$p")
	expect_eq "$out" "" "a rejected connection gets nothing back"
done
out=$(printf 'hello\n' | timeout 5 nc -q1 127.0.0.1 "$p3")
expect_eq "$out" "hello" "accepted connection forwarded"
for _ in $(seq 100); do grep -q "^V " "$T/hlp.log" && break; sleep 0.05; done
expect_eq "$(grep '^V ' "$T/hlp.log" | tail -1)" "V c=conn s=127.0.0.1 gone=- skipped=- seen=1 t=-" "variables set by the early rules"
# the rejects logged nothing (the probes of start_hlp/wait_port included)
grep -q "conn_reject\|sess_reject" "$T/hlp.log" && fail "a rejected connection was logged"
kill -0 "$HLP_PID" || fail "the proxy died"
stop_hlp

# ordering warning, and errors
cat >warn.cfg <<CONF
listen x
   bind 127.0.0.1:$p1
   tcp-request session accept
   tcp-request connection accept
CONF
"$HLP" -c -f warn.cfg >warn.out 2>&1 || fail "warn.cfg refused"
expect_grep "parsing \[warn.cfg:4\] : a 'tcp-request connection' rule placed after a 'tcp-request session' rule will still be processed before." warn.out "ordering warning"
cat >bad.cfg <<CONF
global
   lua-load $CASE/../../../examples/hello_world.lua
listen x
   bind 127.0.0.1:$p1
   tcp-request connection lua.hello
   tcp-request session expect-proxy layer4
   tcp-request connection reject if nope
   tcp-request session
backend b
   tcp-request connection reject
CONF
"$HLP" -c -f bad.cfg >bad.out 2>&1 && fail "bad early rules accepted"
expect_grep "parsing \[bad.cfg:5\] : 'tcp-request connection' expects 'accept', 'reject', 'set-var(<name>)' or 'unset-var(<name>)', but got 'lua.hello'." bad.out "Lua action refused"
expect_grep "parsing \[bad.cfg:6\] : 'tcp-request session expect-proxy' is not implemented yet in hlproxy." bad.out "not yet"
expect_grep "parsing \[bad.cfg:7\] : 'tcp-request connection reject' : error detected in proxy 'x' while parsing 'if' condition : no such ACL : 'nope'." bad.out "conditions"
expect_grep "parsing \[bad.cfg:8\] : 'tcp-request session' expects an action." bad.out "no action"
expect_grep "parsing \[bad.cfg:10\] : 'tcp-request connection' is only allowed in 'frontend' and 'listen' sections." bad.out "backend"
exit 0
