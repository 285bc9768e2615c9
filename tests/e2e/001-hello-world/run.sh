# The seed's hello world, in both rule syntaxes: the 1.6 form
# "tcp-request content lua <fn>" and the current "lua.<action>".
. "$TOP/tests/lib.sh"

p1=$(free_port)
p2=$(free_port)
cp "$TOP/examples/hello_world.lua" "$T/"
cat >"$T/seed.conf" <<CONF
global
   lua-load hello_world.lua

listen proxy
   bind 127.0.0.1:$p1
   tcp-request content lua hello_world
CONF
cat >"$T/act.lua" <<'LUA'
core.register_action("hello", { "tcp-req" }, function(txn)
   txn.res:send("hello world\n")
   txn:done()
end)
LUA
cat >"$T/current.conf" <<CONF
global
   lua-load $T/act.lua

listen proxy
   bind 127.0.0.1:$p2
   tcp-request content lua.hello
CONF

cd "$T"
start_hlp seed.conf "$p1"
out=$(nc -w 5 127.0.0.1 "$p1" </dev/null)
expect_eq "$out" "hello world" "seed syntax"
stop_hlp

start_hlp current.conf "$p2"
out=$(nc -w 5 127.0.0.1 "$p2" </dev/null)
expect_eq "$out" "hello world" "lua.<action> syntax"
# the proxy closes the connection itself: nc ends without being timed out
timeout 5 nc 127.0.0.1 "$p2" </dev/null >/dev/null
[ $? -ne 124 ] || fail "the proxy did not close the connection"
stop_hlp
