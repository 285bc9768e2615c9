# An error raised by the body of a lua-load file must be reported as one
# message line "parsing [FILE:LINE] : ..." like every other message (and
# as HAProxy, "Lua runtime error: FILE:LINE: MSG"). hlproxy appends Lua's
# multi-line traceback: raw "stack traceback:" lines without any
# "[LEVEL] (pid) :" prefix end up on stderr and in the hlp_create_*()
# error text.
. "$TOP/tests/lib.sh"
cd "$T"

p1=$(free_port)
printf 'local x = 1\n\nerror("boom at load")\n' >raise.lua
printf 'global\n   lua-load raise.lua\n\nlisten app\n   bind 127.0.0.1:%s\n' "$p1" >raise.cfg
"$HLP" -c -f raise.cfg >c.out 2>c.err && fail "-c accepted a failing lua-load"
grep -q "parsing \[raise.cfg:2\] : .*raise.lua:3: boom at load" c.err || fail "no error at raise.cfg:2: $(cat c.err)"
stray=$(grep -v '^\[[A-Z]*\] ([0-9]*) : ' c.err)
[ -z "$stray" ] || fail "lines without the message prefix on stderr:
$stray"
note "lua-load error on one line"
