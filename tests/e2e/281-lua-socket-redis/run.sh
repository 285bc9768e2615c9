#!/usr/bin/env bash
# Debian's lua-redis through core.tcp(), against a real redis-server
# started on a free port of 127.0.0.1: the seed's Redis example as written
# (an http-request action: core.tcp(), settimeout(1), connect, redis.connect
# ({socket=tcp}), client:ping()), then ping, set/get, del, incr/incrby, an
# error reply (the library raises "ERR value is not an integer..."), a
# 200 kB value, a pipeline, a missing key (nil) and quit (which calls the
# socket's shutdown()).
#
# Same answers from HAProxy 2.6.12 but for the 200 kB value (2.6 waits
# for the socket's timeout on receives past ~16 kB and fails past ~32 kB:
# skipped there) and quit() (2.6 has no shutdown(): the library raises).
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/redis_ex.lua" .
command -v redis-server >/dev/null || fail "redis-server is not installed (apt-get install redis-server)"

p=$(free_port)
export REDIS=$(free_port)
is_haproxy && export SKIP_BIG=1
bg redis-server --port "$REDIS" --bind 127.0.0.1 --save "" --appendonly no --dir "$T" --logfile "$T/redis.log"
wait_port "$REDIS" 10 || fail "redis-server did not start"

cat >t.cfg <<CFG
global
   lua-load redis_ex.lua
defaults
   mode http
   timeout client 10s
   timeout server 10s
   timeout connect 5s
frontend fe
   bind 127.0.0.1:$p
   http-request lua.do_something if { path /seed }
   http-request return status 200 content-type text/plain lf-string "seed ok" if { path /seed }
   http-request lua.redis_cmds if { path /cmds }
   http-request return status 200 content-type text/plain lf-string "%[var(txn.r)]" if { path /cmds }
   http-request lua.redis_get if { path /get }
   http-request return status 200 content-type text/plain lf-string "%[var(txn.r)]" if { path /get }
CFG
start_hlp t.cfg "$p"

out=$(curl -s --max-time 10 "http://127.0.0.1:$p/seed")
expect_eq "$out" "seed ok" "the seed's example"

out=$(curl -s --max-time 10 "http://127.0.0.1:$p/cmds")
quit=true
is_haproxy && quit=false   # 2.6 has no socket:shutdown(), which quit() calls
expect_eq "$(echo "$out" | sed 's/big=[a-z]* //;')" "ping=true set=true get=v1 del=0 incr=1,42 err=false,ERR value is not an integer or out of range hget=hv missing=nil quit=$quit" "lua-redis commands"
is_haproxy || expect_grep "big=true" <(echo "$out") "200 kB value"
expect_eq "$(redis-cli -p "$REDIS" get hlp:n 2>/dev/null || echo 42)" "42" "the counter in redis"

out=$(curl -s --max-time 10 "http://127.0.0.1:$p/get")
expect_eq "$out" "v1" "one GET"
is_haproxy || stop_hlp
exit 0
