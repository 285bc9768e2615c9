# Broken configurations: each must be refused with a non-zero exit and the
# exact message "parsing [FILE:LINE] : MESSAGE" naming the right file and
# line, both with -c and (for a few) on a real start, which must not leave
# anything listening. Every check runs; the failures are listed at the end.
. "$TOP/tests/lib.sh"
cd "$T"

NBAD=0
bad() { echo "FAIL: $*" >&2; NBAD=$((NBAD + 1)); }

# The messages of one run, without the "[ALERT] (pid) : " prefix.
alerts() { sed -n 's/^\[ALERT\] ([0-9]*) : //p' "$1"; }

# check NAME MODE 'MESSAGE' FILE...: "hlproxy -c -f FILE..." must exit with
# a status in 1..127 and print the ALERT line MESSAGE, exactly (MODE=line)
# or as a prefix (MODE=prefix).
check() {
	local name=$1 mode=$2 msg=$3 rc f
	shift 3
	local args=()
	for f in "$@"; do args+=(-f "$f"); done
	timeout 20 "$HLP" -c "${args[@]}" >"$name.out" 2>"$name.err"
	rc=$?
	if [ $rc -eq 0 ] || [ $rc -ge 124 ]; then
		bad "$name: -c exited with status $rc (wanted 1..123)"
	fi
	grep -q "Configuration file is valid" "$name.out" && bad "$name: -c said the configuration is valid"
	if [ "$mode" = line ]; then
		alerts "$name.err" | grep -Fxq -- "$msg" || bad "$name: no ALERT line
    wanted: $msg
    got:    $(sed 's/^/            /' "$name.err" | sed '1s/^ *//')"
	else
		alerts "$name.err" | awk -v m="$msg" 'index($0, m) == 1 { f = 1 } END { exit !f }' ||
			bad "$name: no ALERT line starting with
    wanted: $msg
    got:    $(sed 's/^/            /' "$name.err" | sed '1s/^ *//')"
	fi
}

# start_refused NAME PORT 'MESSAGE' FILE...: a real start must print
# MESSAGE, exit non-zero by itself, and nothing may listen on PORT.
start_refused() {
	local name=$1 port=$2 msg=$3 rc pid i f
	shift 3
	local args=()
	for f in "$@"; do args+=(-f "$f"); done
	"$HLP" "${args[@]}" >"$name.start.out" 2>"$name.start.err" &
	pid=$!
	PIDS="$PIDS $pid"
	for i in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	if kill -0 $pid 2>/dev/null; then
		bad "$name: the proxy started despite the error"
		kill $pid
	fi
	wait $pid
	rc=$?
	[ $rc -ne 0 ] && [ $rc -lt 128 ] || bad "$name: start exited with status $rc (wanted 1..127)"
	alerts "$name.start.err" | grep -Fxq -- "$msg" || bad "$name: start did not print '$msg'"
	(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && bad "$name: something listens on $port after a refused start"
	return 0
}

p1=$(free_port)
p2=$(free_port)
TMO='timeout client 5s
   timeout server 5s
   timeout connect 2s'

# 1. unknown keyword in global (with "daemon" and a pidfile: a refused
#    start must not fork either)
cat >g-unknown.cfg <<CONF
# a comment on line 1

global
   maxconn 100
   daemon
   pidfile $T/g-unknown.pid
   frobnicate on

defaults
   $TMO

listen app
   bind 127.0.0.1:$p1
CONF
check g-unknown line "parsing [g-unknown.cfg:7] : unknown keyword 'frobnicate' in 'global' section" g-unknown.cfg
start_refused g-unknown "$p1" "parsing [g-unknown.cfg:7] : unknown keyword 'frobnicate' in 'global' section" g-unknown.cfg
[ -e g-unknown.pid ] && bad "g-unknown: a pidfile was written by a refused start"

# 2. unknown keyword in a proxy section (frontend, backend, listen)
cat >p-unknown.cfg <<CONF
defaults
   $TMO

frontend fe
   bind 127.0.0.1:$p1
   frobnicate 1
   default_backend be

backend be
   server s1 127.0.0.1:$p2
   wobble

listen li
   bind 127.0.0.1:$p2
   # comment

   jiggle yes   # trailing comment
CONF
check p-unknown-fe line "parsing [p-unknown.cfg:8] : unknown keyword 'frobnicate' in 'frontend' section" p-unknown.cfg
check p-unknown-be line "parsing [p-unknown.cfg:13] : unknown keyword 'wobble' in 'backend' section" p-unknown.cfg
check p-unknown-li line "parsing [p-unknown.cfg:19] : unknown keyword 'jiggle' in 'listen' section" p-unknown.cfg
[ "$(alerts p-unknown-fe.err | grep -c '^parsing \[')" = 3 ] || bad "p-unknown: expected exactly 3 parsing errors in one run"

# 3. keyword out of any section
printf '\n# nothing yet\n\nmaxconn 10\nglobal\n' >nosection.cfg
check nosection line "parsing [nosection.cfg:4] : unknown keyword 'maxconn' out of section." nosection.cfg

# 4. unmatched quote (the position is checked by a separate case)
printf 'global\n    log "stderr local0\n\nlisten app\n   bind 127.0.0.1:%s\n' "$p1" >quote.cfg
check quote prefix "parsing [quote.cfg:2] : unmatched quote at position " quote.cfg

# 5. bad integer for maxconn, global and proxy
printf 'global\n   maxconn 10x\n\nlisten app\n   bind 127.0.0.1:%s\n   maxconn -5\n' "$p1" >maxconn.cfg
check maxconn-global line "parsing [maxconn.cfg:2] : 'maxconn' expects an integer argument (at most 1000000)." maxconn.cfg
check maxconn-proxy line "parsing [maxconn.cfg:6] : 'maxconn' expects an integer argument (at most 1000000)." maxconn.cfg

# 6. bad time value for timeout
printf 'defaults\n   timeout connect 5s\n   timeout client 10q\n\nlisten app\n   bind 127.0.0.1:%s\n' "$p1" >timeout.cfg
check timeout line "parsing [timeout.cfg:3] : 'timeout client' : invalid time value '10q' (expected a number with an optional unit: us, ms, s, m, h, d)." timeout.cfg

# 7. bind without a port
printf 'listen app\n   bind 127.0.0.1\n' >bind-noport.cfg
check bind-noport line "parsing [bind-noport.cfg:2] : 'bind' : missing port number: '127.0.0.1'" bind-noport.cfg

# 8. bind with an invalid address, and with a port out of range
printf 'listen app\n   bind [::1:%s\n\nlisten app2\n   bind 127.0.0.1:65536\n' "$p1" >bind-bad.cfg
check bind-bad line "parsing [bind-bad.cfg:2] : 'bind [::1:$p1' : invalid address: '[::1:$p1'" bind-bad.cfg
check bind-badport line "parsing [bind-bad.cfg:5] : 'bind 127.0.0.1:65536' : invalid port '65536' in '127.0.0.1:65536'" bind-bad.cfg

# 9. server without an address
printf 'defaults\n   %s\n\nlisten app\n   bind 127.0.0.1:%s\n   server s1\n' "$TMO" "$p1" >srv-noaddr.cfg
check srv-noaddr line "parsing [srv-noaddr.cfg:8] : 'server' expects <name> and <addr>[:<port>] as arguments." srv-noaddr.cfg

# 10. server with an unknown parameter
printf 'listen app\n   bind 127.0.0.1:%s\n   server s1 127.0.0.1:%s wieght 3\n' "$p1" "$p2" >srv-param.cfg
check srv-param line "parsing [srv-param.cfg:3] : 'server s1' unknown keyword 'wieght'." srv-param.cfg

# 11. balance with an unknown algorithm
printf 'backend be\n   balance fastest\n   server s1 127.0.0.1:%s\n\nfrontend fe\n   bind 127.0.0.1:%s\n   default_backend be\n' "$p2" "$p1" >balance.cfg
check balance line "parsing [balance.cfg:2] : 'balance' only supports 'roundrobin', 'static-rr', 'leastconn', 'source' and 'first' options." balance.cfg

# 12. mode health: not implemented yet, and says so; a frontend and its
#     backend in different modes
printf 'defaults\n   mode health\n\nlisten app\n   bind 127.0.0.1:%s\n' "$p1" >mode-health.cfg
check mode-health line "parsing [mode-health.cfg:2] : 'mode health' is not implemented yet in hlproxy." mode-health.cfg
start_refused mode-health "$p1" "parsing [mode-health.cfg:2] : 'mode health' is not implemented yet in hlproxy." mode-health.cfg
printf 'frontend fe\n   mode http\n   bind 127.0.0.1:%s\n   default_backend be\nbackend be\n   server s1 127.0.0.1:%s\n' "$p1" "$p2" >mode-mix.cfg
check mode-mix line "parsing [mode-mix.cfg:1] : frontend 'fe' is in mode http but its backend 'be' is in mode tcp: both must be in the same mode." mode-mix.cfg

# 13. known keywords that are not implemented yet
printf 'frontend fe\n   bind 127.0.0.1:%s\n   stick-table type ip size 1k\n   monitor-uri /up\n   default_backend be\nbackend be\n   server s1 127.0.0.1:%s\n' "$p1" "$p2" >notyet.cfg
check notyet-stick line "parsing [notyet.cfg:3] : 'stick-table' is not implemented yet in hlproxy." notyet.cfg
check notyet-monitor line "parsing [notyet.cfg:4] : 'monitor-uri' is not implemented yet in hlproxy." notyet.cfg

# 14. default_backend naming a backend that does not exist (found only
#     once every file is read: the line is still the default_backend one)
cat >defbe.cfg <<CONF
defaults
   $TMO

frontend fe
   bind 127.0.0.1:$p1
   default_backend nope

backend be
   server s1 127.0.0.1:$p2
CONF
check defbe line "parsing [defbe.cfg:8] : Proxy 'fe': unable to find required default_backend: 'nope'." defbe.cfg
start_refused defbe "$p1" "parsing [defbe.cfg:8] : Proxy 'fe': unable to find required default_backend: 'nope'." defbe.cfg

# 15. duplicate proxy name
printf 'listen app\n   bind 127.0.0.1:%s\n\nlisten app\n   bind 127.0.0.1:%s\n' "$p1" "$p2" >dup.cfg
check dup line "parsing [dup.cfg:4] : listen 'app' has the same name as proxy 'app' declared at dup.cfg:1." dup.cfg

# 16. Lua: a rule naming a function / an action that does not exist
cat >good.lua <<'LUA'
core.register_action("hello", { "tcp-req" }, function(txn) txn:done() end)
function present(txn) end
LUA
cat >lua-ref.cfg <<CONF
global
   lua-load good.lua

listen app
   bind 127.0.0.1:$p1
   tcp-request content lua present
   tcp-request content lua missing_function
   tcp-request content lua.hello
   tcp-request content lua.missing_action
CONF
check lua-fn line "parsing [lua-ref.cfg:7] : 'tcp-request content lua': Lua function 'missing_function' not found" lua-ref.cfg
check lua-act line "parsing [lua-ref.cfg:9] : 'tcp-request content lua.missing_action': Lua action 'missing_action' is not registered (use core.register_action() in a lua-load file)" lua-ref.cfg

# 17. Lua: syntax error, error raised by the body, missing file
printf 'local x = 1\nfunction f(\n   return 2\nend\n' >syntax.lua
printf 'local x = 1\n\nerror("boom at load")\n' >raise.lua
printf 'global\n   lua-load good.lua\n   lua-load syntax.lua\n\nlisten app\n   bind 127.0.0.1:%s\n' "$p1" >lua-syntax.cfg
printf 'global\n   lua-load good.lua\n\n   lua-load raise.lua\n\nlisten app\n   bind 127.0.0.1:%s\n' "$p1" >lua-raise.cfg
printf 'global\n   lua-load nothere.lua\n\nlisten app\n   bind 127.0.0.1:%s\n' "$p1" >lua-missing.cfg
check lua-syntax line "parsing [lua-syntax.cfg:3] : lua-load: syntax error: syntax.lua:3: <name> or '...' expected near 'return'" lua-syntax.cfg
# (only the start of the line: whether a traceback follows is another case)
check lua-raise prefix "parsing [lua-raise.cfg:4] : lua runtime error: raise.lua:3: boom at load" lua-raise.cfg
check lua-missing line "parsing [lua-missing.cfg:2] : lua-load: unable to load file 'nothere.lua': cannot open nothere.lua: No such file or directory" lua-missing.cfg
start_refused lua-missing "$p1" "parsing [lua-missing.cfg:2] : lua-load: unable to load file 'nothere.lua': cannot open nothere.lua: No such file or directory" lua-missing.cfg

# 18. two -f files, the error in the second: the second file is named
cat >two-a.cfg <<CONF
global
   maxconn 100

defaults
   $TMO
CONF
cat >two-b.cfg <<CONF
listen app
   bind 127.0.0.1:$p1
   timeout server 5x
   server s1 127.0.0.1:$p2
CONF
check two-files line "parsing [two-b.cfg:3] : 'timeout server' : invalid time value '5x' (expected a number with an optional unit: us, ms, s, m, h, d)." two-a.cfg two-b.cfg
grep -q "two-a.cfg" two-files.err && bad "two-files: the first file is named in: $(cat two-files.err)"
start_refused two-files "$p1" "parsing [two-b.cfg:3] : 'timeout server' : invalid time value '5x' (expected a number with an optional unit: us, ms, s, m, h, d)." two-a.cfg two-b.cfg

# 19. an error inside an environment-expanded value: the message shows
#     the expanded value and the line of the reference
cat >env.cfg <<'CONF'
defaults
   timeout client 5s
   timeout server 5s
   timeout connect 2s

listen app
   bind "${HLP_TEST_LISTEN}"
   server s1 "${HLP_TEST_SERVER}"
CONF
export HLP_TEST_LISTEN=127.0.0.1:99999 HLP_TEST_SERVER=127.0.0.1:$p2
check env-bind line "parsing [env.cfg:7] : 'bind 127.0.0.1:99999' : invalid port '99999' in '127.0.0.1:99999'" env.cfg
export HLP_TEST_LISTEN=127.0.0.1:$p1 HLP_TEST_SERVER=127.0.0.1:http
check env-server line "parsing [env.cfg:8] : 'server s1' : invalid port 'http' in '127.0.0.1:http'" env.cfg
unset HLP_TEST_LISTEN HLP_TEST_SERVER

# 20. a missing configuration file
check nofile line "Could not open configuration file nofile.cfg : No such file or directory" nofile.cfg

[ $NBAD -eq 0 ] || fail "$NBAD check(s) failed"
note "all configuration error checks passed"
