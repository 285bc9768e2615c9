# Lua fetches and converters (core.register_fetches/converters) in the
# sample-fetch and converter contexts: their results become samples
# (string, integer, boolean; nil fails), a Lua error makes the sample fail
# and is logged, and anything that would block or yield (core.sleep,
# core.msleep, coroutine.yield) is refused with a clear error naming the
# function and the context. An endless loop is stopped by the session
# timeout. Unknown lua.<name> keywords are configuration errors.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/smp.lua" .
p=$(free_port)
q=$(free_port)
cat >smp.cfg <<CONF
global
   lua-load smp.lua
   tune.lua.session-timeout 500ms
   log stderr format raw local0

listen lf
   bind 127.0.0.1:$p
   log global
   log-format "A=%[lua.hello(x,y)] N=%[lua.num] B=%[lua.yes] F=%[lua.fail] Z=%[lua.nothing] S=%[lua.sleepy] Y=%[lua.yielder] T=%[lua.txnname] C=%[str(abc),lua.wrap(<),upper] CF=%[str(q),lua.cfail] CS=%[str(q),lua.csleep] L=%[str(Hello),lower,length] FE=%[fe_name] %%=%ci"

listen sp
   bind 127.0.0.1:$q
   log global
   log-format "SP=%[lua.spin] after"
CONF
start_hlp smp.cfg "$p"
wait_port "$q" 5 || fail "second listener"
: >"$T/hlp.log"

timeout 10 nc 127.0.0.1 "$p" </dev/null
for _ in $(seq 100); do grep -q "^A=" "$T/hlp.log" && break; sleep 0.05; done
line=$(grep "^A=" "$T/hlp.log" | head -1)
expect_eq "$line" "A=hi-xy N=42 B=1 F=- Z=- S=- Y=- T=table:true C=<ABC] CF=- CS=- L=5 FE=lf %=127.0.0.1" "log-format with Lua samples"
expect_grep "Lua sample-fetch 'fail': runtime error: smp.lua:5: fetch boom" "$T/hlp.log" "fetch error"
expect_grep "Lua sample-fetch 'sleepy': runtime error: .*core.sleep: cannot be used in a sample-fetch context: it would block" "$T/hlp.log" "sleep in a fetch"
expect_grep "Lua sample-fetch 'yielder': cannot yield in a sample-fetch context" "$T/hlp.log" "yield in a fetch"
expect_grep "Lua converter 'cfail': runtime error: (error object is a table value)" "$T/hlp.log" "converter error"
expect_grep "Lua converter 'csleep': runtime error: .*core.msleep: cannot be used in a converter context: it would block" "$T/hlp.log" "sleep in a converter"

timeout 10 nc 127.0.0.1 "$q" </dev/null
for _ in $(seq 100); do grep -q "^SP=" "$T/hlp.log" && break; sleep 0.05; done
expect_eq "$(grep '^SP=' "$T/hlp.log")" "SP=- after" "endless fetch"
expect_grep "Lua sample-fetch 'spin': execution timeout." "$T/hlp.log" "fetch timeout"
kill -0 "$HLP_PID" || fail "the proxy died"
stop_hlp

# Lua fetches and converters feeding set-var rules, read back from Lua and
# from the log; binary data (a NUL byte) survives the converter
r=$(free_port)
cat >sv.cfg <<CONF
global
   lua-load smp.lua
   log stderr format raw local0

listen sv
   bind 127.0.0.1:$r
   log global
   log-format "SV num=%[var(txn.num)] hello=%[var(txn.hello)] wrapped=%[var(txn.wrapped)] failed=%[var(txn.failed)] nul=%[var(txn.nul),length]"
   tcp-request content set-var(txn.num) lua.num,add(1)
   tcp-request content set-var(txn.hello) lua.hello(a,b)
   tcp-request content set-var(txn.wrapped) str(x),lua.wrap(<),upper
   tcp-request content set-var(txn.failed) lua.fail
   tcp-request content set-var(txn.nul) lua.nul,lua.wrap
   tcp-request content lua.report
CONF
start_hlp sv.cfg "$r"
out=$(timeout 10 nc 127.0.0.1 "$r" </dev/null)
expect_eq "$out" "num=43:number hello=hi-ab wrapped=<X] failed=nil nul=5" "set-var from Lua samples, read from Lua"
for _ in $(seq 100); do grep -q "^SV " "$T/hlp.log" && break; sleep 0.05; done
expect_eq "$(grep '^SV ' "$T/hlp.log" | tail -1)" "SV num=43 hello=hi-ab wrapped=<X] failed=- nul=5" "set-var from Lua samples, in the log"
stop_hlp

# unknown keywords are configuration errors at their line
cat >bad.cfg <<CONF
global
   lua-load smp.lua
listen x
   bind 127.0.0.1:$p
   log-format "%[lua.nope]"
   log-format "%[str(a),lua.hello]"
   log-format "%[nosuchfetch]"
   log-format "%zz"
CONF
"$HLP" -c -f bad.cfg >bad.out 2>&1 && fail "bad log-formats accepted"
expect_grep "parsing \[bad.cfg:5\] : 'log-format': unknown fetch method 'lua.nope' (not registered with core.register_fetches)" bad.out "unknown Lua fetch"
expect_grep "parsing \[bad.cfg:6\] : 'log-format': unknown converter 'lua.hello' (not registered with core.register_converters)" bad.out "a fetch used as a converter"
expect_grep "parsing \[bad.cfg:7\] : 'log-format': unknown fetch method 'nosuchfetch'" bad.out "unknown fetch"
expect_grep "parsing \[bad.cfg:8\] : 'log-format': unknown or not yet supported variable '%zz'" bad.out "unknown variable"
exit 0
