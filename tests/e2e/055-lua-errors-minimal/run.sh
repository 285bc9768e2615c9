# Lua at run time: an action raising an error is logged (function name and
# file:line) while the client is still served by the next rule and the
# proxy keeps serving; core.log/Info/Warning/Alert/Debug reach the log
# target and are echoed on stderr ("[info] ddd/hhmmss (pid) : msg"), Debug
# only with -d; txn.res:send() of 100 kB through 1 kB buffers arrives whole.
. "$TOP/tests/lib.sh"
cd "$T"

p0=$(free_port)
p1=$(free_port)
p2=$(free_port)
p3=$(free_port)
p4=$(free_port)

cat >act.lua <<'LUA'
core.register_action("boom", { "tcp-req" }, function(txn)
   local t = nil
   return t.field
end)

function old_style_boom(txn)
   error("old style failure")
end

core.register_action("reply", { "tcp-req" }, function(txn)
   txn.res:send("still served\n")
   txn:done()
end)

core.register_action("logs", { "tcp-req" }, function(txn)
   core.log(core.info, "msg via core.log")
   core.Info("msg via Info")
   core.Warning("msg via Warning")
   core.Alert("msg via Alert")
   core.Debug("msg via Debug")
   txn.res:send("logged\n")
   txn:done()
end)

-- 12800 numbered lines of 8 bytes: 102400 bytes
core.register_action("big", { "tcp-req" }, function(txn)
   local t = {}
   for i = 1, 12800 do t[i] = string.format("%07d\n", i) end
   txn.res:send(table.concat(t))
   txn:done()
end)
LUA

cat >lua.cfg <<CONF
global
   maxconn 8
   tune.bufsize 1024
   log stderr format raw local0
   lua-load act.lua

defaults
   log global
   timeout client 10s
   timeout server 10s
   timeout connect 2s

# start_hlp probes this one: it must not count in the errors below
listen ready
   bind 127.0.0.1:$p0
   tcp-request content lua.reply

listen failing
   bind 127.0.0.1:$p1
   tcp-request content lua.boom
   tcp-request content lua.reply

listen failing-old
   bind 127.0.0.1:$p2
   tcp-request content lua old_style_boom
   tcp-request content lua.reply

listen logs
   bind 127.0.0.1:$p3
   tcp-request content lua.logs

listen big
   bind 127.0.0.1:$p4
   tcp-request content lua.big
CONF

ask() { timeout 10 nc -w 5 127.0.0.1 "$1" </dev/null; }

start_hlp lua.cfg "$p0"

# a runtime error: the next rule still answers, three clients in a row
for i in 1 2 3; do
	expect_eq "$(ask "$p1")" "still served" "client $i after a Lua runtime error"
done
n=$(grep -c "^\[ALERT\] ([0-9]*) : Lua function 'boom': runtime error: act.lua:3: attempt to index a nil value (local 't')" hlp.log)
expect_eq "$n" 3 "runtime errors logged as alerts on stderr"
# the error also reaches the proxy's log target ("log global", raw format)
n=$(grep -c "^Lua function 'boom': runtime error: act.lua:3: attempt to index a nil value (local 't')" hlp.log)
expect_eq "$n" 3 "runtime errors in the log target"
# the 1.6 syntax: the function's name, and error() at file:line
expect_eq "$(ask "$p2")" "still served" "after an error in a 'lua <fn>' rule"
expect_grep "^\[ALERT\] ([0-9]*) : Lua function 'old_style_boom': runtime error: act.lua:7: old style failure" hlp.log "error of a 'lua <fn>' rule"
# and the proxy is still fine
kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy died"

# logging from Lua: the raw line in the log target, and the echo on stderr
expect_eq "$(ask "$p3")" "logged" "logging action reply"
for m in "info:msg via core.log" "info:msg via Info" "warning:msg via Warning" "alert:msg via Alert"; do
	lvl=${m%%:*}
	msg=${m#*:}
	grep -qx -- "$msg" hlp.log || fail "'$msg' did not reach the log target"
	grep -Eqx -- "\[$lvl\] [0-9]{3}/[0-9]{6} \($HLP_PID\) : $msg" hlp.log ||
		fail "'$msg' was not echoed on stderr as '[$lvl] ddd/hhmmss ($HLP_PID) : $msg'"
done
# Debug reaches the log target but is echoed only with -d
grep -qx "msg via Debug" hlp.log || fail "core.Debug did not reach the log target"
grep -q "\[debug\].*msg via Debug" hlp.log && fail "core.Debug was echoed without -d"

# a reply of 100 kB through 1 kB buffers arrives intact
seq -f '%07g' 1 12800 >big.want
timeout 20 nc -w 10 127.0.0.1 "$p4" </dev/null >big.got
cmp -s big.want big.got || fail "the 100 kB reply differs: got $(wc -c <big.got) bytes, wanted $(wc -c <big.want)"
# twice in parallel (4 of the 16 buffers), then still serving
timeout 20 nc -w 10 127.0.0.1 "$p4" </dev/null >big.got1 &
c1=$!
timeout 20 nc -w 10 127.0.0.1 "$p4" </dev/null >big.got2
wait $c1
cmp -s big.want big.got1 && cmp -s big.want big.got2 || fail "parallel 100 kB replies differ"
expect_eq "$(ask "$p1")" "still served" "serving after the large replies"
stop_hlp

# with -d, core.Debug is echoed too
: >hlp.log
start_hlp lua.cfg "$p0" -d
expect_eq "$(ask "$p3")" "logged" "logging action reply with -d"
grep -Eqx -- "\[debug\] [0-9]{3}/[0-9]{6} \($HLP_PID\) : msg via Debug" hlp.log || fail "core.Debug not echoed with -d"
stop_hlp
note "Lua errors and logging ok"
