# The Lua runtime: the contexts run when they should, actions yield to the
# reactor (50 sleeping clients are served together), tasks run beside the
# traffic, an endless loop and a memory bomb are stopped by their limits
# while other clients are served, and every kind of Lua error ends only
# the call that raised it.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/rt.lua" .
mkdir -p mods
echo 'return { answer = 42 }' >mods/rtmod.lua

P=$(free_port)
for n in ctx sleep spin spinp bomb err json misc; do eval "p_$n=\$(free_port)"; done
cat >rt.cfg <<CONF
global
   lua-prepend-path $T/mods/?.lua
   lua-load rt.lua a1 a2
   tune.lua.maxmem 16
   tune.lua.session-timeout 1s
   tune.lua.task-timeout 2s
   log stderr format raw local0

defaults
   timeout client 30s

listen ctx
   bind 127.0.0.1:$p_ctx
   tcp-request content lua.ctx
listen sleep
   bind 127.0.0.1:$p_sleep
   maxconn 100
   tcp-request content lua.sleep1
listen spin
   bind 127.0.0.1:$p_spin
   log global
   tcp-request content lua.spin
   tcp-request content lua.after
listen spinp
   bind 127.0.0.1:$p_spinp
   tcp-request content lua.spin_pcall
   tcp-request content lua.after
listen bomb
   bind 127.0.0.1:$p_bomb
   tcp-request content lua.bomb
   tcp-request content lua.after
listen err
   bind 127.0.0.1:$p_err
   tcp-request content lua.errors
   tcp-request content lua.after
listen json
   bind 127.0.0.1:$p_json
   tcp-request content lua.json
listen misc
   bind 127.0.0.1:$p_misc
   tcp-request content lua.misc
   tcp-request content lua.after
CONF

start_hlp rt.cfg "$p_json"

# contexts: body, init before listening, tasks (and a task's task)
out=$(timeout 10 nc 127.0.0.1 "$p_ctx" </dev/null)
expect_eq "$out" "body=true init=true task=true subtask=true counter>0=true late_register=false proxies=nil/ctx" "contexts"
expect_grep "Lua task: runtime error: (error object is a table value)" "$T/hlp.log" "task error with a table value"

# lua-load arguments, lua-prepend-path, core.tcp's context rule, and
# core.done() ending an action cleanly (the next rule runs)
out=$(timeout 10 nc 127.0.0.1 "$p_misc" </dev/null)
expect_eq "$out" "args=a1,a2 mod=42 tcp_body=true tcp_action=true
next rule ran" "misc"
# the endless task is stopped by tune.lua.task-timeout
for _ in $(seq 100); do grep -q "Lua task: execution timeout." "$T/hlp.log" && break; sleep 0.1; done
expect_grep "Lua task: execution timeout." "$T/hlp.log" "task timeout"

# 50 clients whose actions sleep 1 s are served together: serialized they
# would need 50 s, far beyond the 20 s hang guard
clients=""
for i in $(seq 50); do
	( timeout 20 nc 127.0.0.1 "$p_sleep" </dev/null >"sleep.$i" ) &
	clients="$clients $!"
done
wait $clients
n=$(cat sleep.* | grep -c '^awake$')
expect_eq "$n" 50 "sleeping clients answered"

# an endless loop: other clients are answered meanwhile, the loop is
# stopped by the session timeout and the next rule runs
( timeout 15 nc 127.0.0.1 "$p_spin" </dev/null >spin.out ) &
spin=$!
sleep 0.3
out=$(timeout 5 nc 127.0.0.1 "$p_json" </dev/null)
expect_eq "$out" '{"a":[1,2,3]}' "a client served while another action loops (require dkjson)"
wait $spin
expect_eq "$(cat spin.out)" "next rule ran" "the looping action was aborted"
expect_grep "Lua function 'spin': execution timeout." "$T/hlp.log" "timeout logged"
out=$(timeout 15 nc 127.0.0.1 "$p_spinp" </dev/null)
expect_eq "$out" "next rule ran" "a loop around pcall is aborted too"

# a memory bomb hits tune.lua.maxmem; the next client is fine
out=$(timeout 15 nc 127.0.0.1 "$p_bomb" </dev/null)
expect_eq "$out" "next rule ran" "after the memory bomb"
expect_grep "Lua function 'bomb': out of memory error." "$T/hlp.log" "memory error logged"
out=$(timeout 5 nc 127.0.0.1 "$p_ctx" </dev/null)
case "$out" in body=true*) ;; *) fail "client after the bomb: '$out'" ;; esac

# errors the script handles, and one raised by a __gc metamethod
out=$(timeout 10 nc 127.0.0.1 "$p_err" </dev/null)
expect_eq "$out" "pcall=false:inner coroutine=false:in coroutine
next rule ran" "errors inside the action"
expect_grep "Lua function 'errors': runtime error: .*gc boom" "$T/hlp.log" "__gc error logged"

kill -0 "$HLP_PID" || fail "the proxy died"
stop_hlp

# an error in an init function stops start-up with the message
printf 'core.register_init(function() error("init failed here") end)\n' >bad_init.lua
printf 'global\n   lua-load bad_init.lua\nlisten x\n   bind 127.0.0.1:%s\n' "$P" >bad_init.cfg
"$HLP" -f bad_init.cfg >bad_init.out 2>&1 && fail "start-up went on after an init error"
expect_grep "Lua init: runtime error: bad_init.lua:1: init failed here" bad_init.out "init error message"
wait_port_closed "$P" 1 || fail "listening after an init error"

# the tune.lua.* settings are checked like any keyword
printf 'global\n   tune.lua.session-timeout 4x\n   tune.lua.forced-yield 0\n   tune.lua.maxmem -1\nlisten x\n   bind 127.0.0.1:%s\n' "$P" >tune.cfg
"$HLP" -c -f tune.cfg >tune.out 2>&1 && fail "bad tune.lua values accepted"
expect_grep "parsing \[tune.cfg:2\] : 'tune.lua.session-timeout' expects a time value" tune.out "session-timeout"
expect_grep "parsing \[tune.cfg:3\] : 'tune.lua.forced-yield' must be greater than 0." tune.out "forced-yield"
expect_grep "parsing \[tune.cfg:4\] : 'tune.lua.maxmem' expects an integer argument" tune.out "maxmem"
exit 0
