#!/usr/bin/env bash
# TCP services: core.register_service(name, "tcp", fn) behind "tcp-request
# content use-service lua.NAME", and the AppletTCP class: getline, send,
# receive(n), receive() until the client closes, receive(n, timeout)
# (early return when the data comes, nil on a timeout with nothing read,
# what came at the timeout, "" on close), try_receive ("" while nothing
# came, nil once closed and read), get_var/set_var/unset_var, get_priv/
# set_priv, f/sf/c/sc. A line echo, a key-value protocol shared by
# concurrent clients, a service erroring (logged, its connection closed,
# the next client served), core.done(), a 1 MB echo through receive(4096)
# while the client keeps sending (no deadlock with full buffers), NUL
# bytes, a 64 MB answer to a client that leaves, an applet object used
# after its session, tune.lua.service-timeout, rules before and after
# use-service, the tcplog line (server "<lua.NAME>", Tw/Tc 0, %B the
# bytes the service sent) and use-service configuration errors.
#
# Compared with HAProxy 2.6.12 (haproxy -db, same configuration and Lua;
# 2.6 has no try_receive and no timeout argument to receive):
# - same answers from the echo, key-value, receive(5), receive() (a second
#   receive() after the close gives ""), error and core.done() services,
#   and the 1 MB echo; the tcplog lines are the same ("fe fe/<lua.echo>
#   0/0/Tt B -- ..."; B=8 for the "partial\n" sent before an error, and
#   "--" as the termination state there too);
# - an action's txn:getline() before use-service consumes that line: the
#   service gets the rest; rules after use-service do not run;
# - the "info" report (variables of the rules before, set_var/unset_var
#   returning true, the log line with what the service set, f/sf/c/sc)
#   is the same but for the two kept differences below;
# - the tcplog line of a client that leaves while the service is blocked
#   sending: CD, the service ended.
# Differences kept on purpose:
# - a runtime error is logged as "Lua applet tcp 'NAME': runtime error:
#   ..." (2.6: "Lua applet tcp '<lua.NAME>': [state-id 0] runtime error:
#   ..."); a bad variable name is a Lua error (2.6: set_var false,
#   get_var nil);
# - set_priv in a service stores the value (2.6 ignores it unless a Lua
#   action ran before in the same stream: get_priv gives nil);
# - getline() on a full buffer without '\n' gives the buffer's content
#   (2.6 waits for ever: the client times out);
# - tune.lua.service-timeout counts the time Lua runs, not the time it
#   waits (2.6 counts from the start: a service sleeping longer than the
#   timeout is killed there), as the current HAProxy documentation says;
# - converters take Lua numbers as arguments (2.6: "unable to duplicate
#   string arg");
# - an applet object kept after its session gives "the transaction is
#   over" (2.6 crashes).
# Checked as HAProxy 2.6 does it, reported together at the end (see
# "deferred" below) so that the rest still runs: an action's set_priv is
# what the service's get_priv gives (the documentation: "data stored in
# the current transaction"); a service runs in the request's variable
# scope (res variables refused, as in tcp-request rules); a frontend's
# use-service still picks the backend (%b, and the backend's tcp-request
# rules run first: the documentation says use-service ends "this rule
# set"); receive() of 16 MB takes time in proportion to the size (2.6:
# some 20 ms).
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/svc.lua" .

for n in echo kv recvn recvall tmo try rest info priv privtxn reqres flaky done bulk sink nul flood stale busy fe; do
	eval "p_$n=\$(free_port)"
done

cat >svc.cfg <<CONF
global
   lua-load svc.lua
   log stderr format raw local0
   tune.lua.service-timeout 1s

defaults
   mode tcp
   log global
   option tcplog
   timeout client 10s
   timeout server 10s
   timeout connect 5s

listen echo
   bind 127.0.0.1:$p_echo
   tcp-request content use-service lua.echo

listen kv
   bind 127.0.0.1:$p_kv
   tcp-request content use-service lua.kv

listen recvn
   bind 127.0.0.1:$p_recvn
   tcp-request content use-service lua.recvn

listen recvall
   bind 127.0.0.1:$p_recvall
   tcp-request content use-service lua.recvall

listen tmo
   bind 127.0.0.1:$p_tmo
   tcp-request content use-service lua.tmo

listen try
   bind 127.0.0.1:$p_try
   tcp-request content use-service lua.try

listen rest
   bind 127.0.0.1:$p_rest
   tcp-request inspect-delay 5s
   tcp-request content lua.first
   tcp-request content use-service lua.rest

# rules before the service (and one after it, never run)
listen info
   bind 127.0.0.1:$p_info
   log-format "INFO svc=%[var(txn.svc)] n=%[var(txn.n)] sess=%[var(sess.svc)] req=%[var(req.svc)] rule=%[var(txn.rule)] after=%[var(txn.after)] s=%s Tw=%Tw Tc=%Tc B=%B ts=%ts"
   tcp-request content set-var(txn.rule) str(R)
   tcp-request content set-var(req.rule) str(Q)
   tcp-request content set-var(sess.rule) int(7)
   tcp-request content lua.prep
   tcp-request content use-service lua.info
   tcp-request content set-var(txn.after) str(x)

listen priv
   bind 127.0.0.1:$p_priv
   tcp-request content use-service lua.priv

listen privtxn
   bind 127.0.0.1:$p_privtxn
   tcp-request content lua.prep
   tcp-request content use-service lua.privtxn

listen reqres
   bind 127.0.0.1:$p_reqres
   log-format "REQRES req=%[var(req.svc)] res=%[var(res.svc)] B=%B"
   tcp-request content set-var(req.rule) str(Q)
   tcp-request content use-service lua.reqres

listen flaky
   bind 127.0.0.1:$p_flaky
   tcp-request content use-service lua.flaky

listen done
   bind 127.0.0.1:$p_done
   tcp-request content use-service lua.done

listen bulk
   bind 127.0.0.1:$p_bulk
   tcp-request content use-service lua.bulk

listen sink
   bind 127.0.0.1:$p_sink
   tcp-request content use-service lua.sink

listen nul
   bind 127.0.0.1:$p_nul
   tcp-request content use-service lua.nul

listen flood
   bind 127.0.0.1:$p_flood
   tcp-request content use-service lua.flood

listen stale
   bind 127.0.0.1:$p_stale
   tcp-request content use-service lua.stale

listen busy
   bind 127.0.0.1:$p_busy
   tcp-request content use-service lua.busy

frontend fe
   bind 127.0.0.1:$p_fe
   log-format "FE b=%b s=%s inbe=%[var(txn.inbe)]"
   tcp-request content use-service lua.priv
   default_backend be

backend be
   tcp-request content set-var(txn.inbe) str(yes)
   server none 127.0.0.1:1
CONF
# (every listener is bound once the first one accepts)
start_hlp svc.cfg "$p_echo"

# ask PORT DATA: send DATA (printf format), close our side, print the answer
ask() { printf "$2" | timeout 10 socat -t 5 - TCP:127.0.0.1:"$1"; }
# wait_log PATTERN: until a line of the log matches (5 s)
wait_log() {
	for _ in $(seq 100); do grep -q -- "$1" "$T/hlp.log" && return 0; sleep 0.05; done
	fail "no log line matching '$1'"
}
# check NAME GOT: compare with the expected block in $CASE/expect/NAME
# (GEN=1 rewrites the expected files from what came: review them after)
check() {
	printf '%s\n' "$2" >"got.$1"
	[ -n "${GEN:-}" ] && cp "got.$1" "$CASE/expect/$1"
	diff -u "$CASE/expect/$1" "got.$1" >"diff.$1" || { cat "diff.$1" >&2; fail "$1: unexpected report (diff above)"; }
}
# A scripted client through socat and two fifos: sopen KEY PORT; then
# ssend KEY DATA (printf format), sline KEY (one line into $LINE, 5 s),
# sshut KEY (close our side: socat half-closes the connection), srest KEY
# (everything until the service closes).
declare -A SW SR
sopen() {
	local w r
	mkfifo "$T/in.$1" "$T/out.$1"
	bg bash -c 'exec socat -t 10 - TCP:127.0.0.1:"$1" <"$2" >"$3"' _ "$2" "$T/in.$1" "$T/out.$1"
	exec {w}>"$T/in.$1"
	exec {r}<"$T/out.$1"
	SW[$1]=$w
	SR[$1]=$r
}
ssend() { printf "$2" >&"${SW[$1]}"; }
sline() { LINE=; read -r -t 5 LINE <&"${SR[$1]}" || fail "$1: no line from the service"; }
sshut() { local w=${SW[$1]}; exec {w}>&-; }
srest() { timeout 10 cat <&"${SR[$1]}"; local r=${SR[$1]}; exec {r}<&-; }
# the tcplog line of proxy NAME with service SVC: "Tt B ts"
TCPLOG_RE='^127\.0\.0\.1:[0-9]+ \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:.]+\] '
tcplog() {
	grep -E "${TCPLOG_RE}$1 $1/<lua\.$2> 0/0/[0-9]+ [0-9]+ [-A-Za-z]{2} [0-9]+/[0-9]+/0/0/0 0/0$" "$T/hlp.log" |
		sed -E 's|.* 0/0/([0-9]+) ([0-9]+) (..) .*|\1 \2 \3|'
}
wait_tcplog() {
	for _ in $(seq 100); do [ -n "$(tcplog "$1" "$2")" ] && return 0; sleep 0.05; done
	fail "no tcplog line for $1/<lua.$2>"
}
# start_hlp's probe made an empty echo session: its line goes first
wait_tcplog echo echo
: >"$T/hlp.log"
# deferred checks: recorded, reported at the end (the rest still runs)
DEFERRED=""
defer_eq() { [ "$1" = "$2" ] || DEFERRED="$DEFERRED
  $3: expected '$2', got '$1'"; }

# --- a line echo; the tcplog line: <lua.echo>, Tw/Tc 0, B what was sent
got=$(ask "$p_echo" 'hello\nworld\nlast')
expect_eq "$got" "hello
world
last" "echo"
wait_tcplog echo echo
set -- $(tcplog echo echo)
expect_eq "$2 $3" "16 --" "echo: tcplog bytes and termination state"

# NUL bytes through getline and receive(n)
printf 'a\0b\n\0\nc\0' >nul1.in
timeout 10 socat -t 5 - TCP:127.0.0.1:"$p_echo" <nul1.in >nul1.out
cmp nul1.in nul1.out || fail "echo: NUL bytes"
printf 'a\0b\0\0cd\0e\n' >nul2.in
printf '6:a\0b\0\0c|4:d\0e\n' >nul2.want
timeout 10 socat -t 5 - TCP:127.0.0.1:"$p_nul" <nul2.in >nul2.out
cmp nul2.want nul2.out || { od -c nul2.out >&2; fail "receive/getline: NUL bytes"; }

# a line longer than the buffer (16 kB): getline gives it in parts
{ head -c 20000 /dev/zero | tr '\0' z; printf '\nend\n'; } >long.in
timeout 10 socat -t 5 - TCP:127.0.0.1:"$p_echo" <long.in >long.out
cmp long.in long.out || fail "echo: a line longer than the buffer"

# --- the key-value service: two clients at once share the store
exec {ca}<>/dev/tcp/127.0.0.1/"$p_kv" || fail "kv: connect A"
exec {cb}<>/dev/tcp/127.0.0.1/"$p_kv" || fail "kv: connect B"
kv() { local fd=$1 l; printf '%s\n' "$2" >&"$fd"; read -r -t 5 l <&"$fd" || fail "kv: no answer to '$2'"; printf '%s' "$l"; }
expect_eq "$(kv "$ca" 'GET x')" "NOT_FOUND" "kv: A GET x"
expect_eq "$(kv "$ca" 'SET x 1 2 3')" "OK" "kv: A SET x"
expect_eq "$(kv "$cb" 'GET x')" "VALUE 1 2 3" "kv: B sees A's SET"
expect_eq "$(kv "$cb" 'SET x two')" "OK" "kv: B SET x"
expect_eq "$(kv "$ca" 'GET x')" "VALUE two" "kv: A sees B's SET"
expect_eq "$(kv "$ca" 'DEL x')" "DELETED" "kv: A DEL x"
expect_eq "$(kv "$cb" 'DEL x')" "NOT_FOUND" "kv: B DEL x again"
expect_eq "$(kv "$cb" 'HELLO')" "ERROR" "kv: unknown command"
expect_eq "$(kv "$ca" 'QUIT')" "BYE" "kv: QUIT"
# the service returned: the connection closes
expect_eq "$(timeout 5 cat <&"$ca")" "" "kv: closed after QUIT"
exec {ca}>&-
expect_eq "$(kv "$cb" 'GET x')" "NOT_FOUND" "kv: B still served"
exec {cb}>&-
# twenty clients at once, then one that reads what they all stored
kpids=""
for i in $(seq 20); do
	bg bash -c 'printf "SET k$1 v$1\nGET k$1\n" | timeout 10 socat -t 5 - TCP:127.0.0.1:"$2" >"kv.$1"' _ "$i" "$p_kv"
	kpids="$kpids $LAST_PID"
done
for p in $kpids; do wait "$p"; done
for i in $(seq 20); do
	expect_eq "$(cat "kv.$i")" "OK
VALUE v$i" "kv: concurrent client $i"
done
got=$(for i in $(seq 20); do echo "GET k$i"; done | timeout 10 socat -t 5 - TCP:127.0.0.1:"$p_kv" | tr '\n' ' ')
expect_eq "$got" "$(for i in $(seq 20); do printf 'VALUE v%s ' "$i"; done)" "kv: all the keys"

# --- receive(n), receive() until the close
expect_eq "$(ask "$p_recvn" 'abcdefghijkl')" "<5:abcde>
<5:fghij>
<2:kl>" "receive(5): the last part at the close"
expect_eq "$(ask "$p_recvn" 'abcdefghij')" "<5:abcde>
<5:fghij>
<0:>" "receive(5): \"\" at the close"
check recvall "$(ask "$p_recvall" 'one\ntwo')"
check recvall-empty "$(ask "$p_recvall" '')"

# --- receive(n, timeout)
sopen tmo "$p_tmo"
sline tmo; expect_eq "$LINE" "ready1" "receive timeout: step 1"
ssend tmo 'ab'
sleep 0.1
ssend tmo 'cd'
sline tmo; expect_eq "$LINE" 'r1="abcd" early=true' "receive(4, 8000): early when the data comes"
sline tmo; expect_eq "$LINE" 'r2=nil waited=true' "receive(4, 300): nil on timeout"
ssend tmo 'ab'
sline tmo; expect_eq "$LINE" 'r3="ab" waited=true' "receive(4, 1000): what came, at the timeout"
sline tmo; expect_eq "$LINE" 'r4=nil' "receive(4, 0): nil at once"
sline tmo; expect_eq "$LINE" "ready5" "receive timeout: step 5"
sshut tmo
expect_eq "$(srest tmo)" 'r5="" early=true' "receive(4, 8000): \"\" on close"

# --- try_receive
sopen try "$p_try"
sline try; expect_eq "$LINE" 'first=""' "try_receive: nothing yet"
ssend try 'xyz'
sline try; expect_eq "$LINE" 'got="xyz"' "try_receive: the data"
ssend try 'tail'
sshut try
expect_eq "$(srest try)" 'tail="tail" polled=true after=nil' "try_receive: nil once closed"

# --- an action before use-service consumes the first line
expect_eq "$(ask "$p_rest" 'hdr\nbody1\nbody2')" 'first="hdr" rest="body1\nbody2"' "action, then service"

# --- the applet's methods; the rules around use-service; the log line
got=$(ask "$p_info" '')
check info "$got"
wait_log "^INFO "
expect_grep "^INFO svc=S n=41 sess=s req=q rule=- after=- s=<lua.info> Tw=0 Tc=0 B=$(printf '%s\n' "$got" | wc -c) ts=--$" "$T/hlp.log" "info: log line"
# the private value is per session
expect_eq "$(ask "$p_priv" '')" 'before=nil after="mine"' "priv: first session"
expect_eq "$(ask "$p_priv" '')" 'before=nil after="mine"' "priv: second session"
# (HAProxy: the transaction's, so an action's set_priv shows here)
defer_eq "$(ask "$p_privtxn" '')" 'priv="from-action"' "privtxn: an action's set_priv seen by the service"
# (HAProxy 2.6: the request scope during the service)
got_reqres=$(ask "$p_reqres" '' | tr '\n' ' ')
wait_log "^REQRES "
defer_eq "$got_reqres" 'get_req_rule="Q" set_req=true set_res=false get_res=nil ' "reqres: variables in a service"
defer_eq "$(grep '^REQRES ' "$T/hlp.log")" "REQRES req=q res=- B=$(printf '%s' "$got_reqres" | wc -c)" "reqres: log line"

# --- an error: logged, what was sent arrives, the connection closes; the
# next client is served
expect_eq "$(ask "$p_flaky" 'boom\nmore\n')" "partial" "error: what came before it"
wait_log "Lua applet tcp 'flaky': runtime error: svc.lua:[0-9]*: boom"
expect_grep "^Lua applet tcp 'flaky': runtime error: svc.lua:[0-9]*: boom" "$T/hlp.log" "error: the log line"
wait_tcplog flaky flaky
set -- $(tcplog flaky flaky)
expect_eq "$2 $3" "8 --" "error: tcplog"
expect_eq "$(ask "$p_flaky" 'again\n')" "ok again" "error: the next client"

# --- core.done(): ends the service, no error
expect_eq "$(ask "$p_done" 'x\n')" "bye" "core.done()"
wait_tcplog done done
set -- $(tcplog done done)
expect_eq "$2 $3" "4 --" "core.done(): tcplog"
grep -q "Lua applet tcp 'done'" "$T/hlp.log" && fail "core.done(): logged as an error"

# --- 1 MB through receive(4096) while the client keeps sending
head -c 1048576 /dev/urandom >bulk.in
timeout 15 socat -t 10 - TCP:127.0.0.1:"$p_bulk" <bulk.in >bulk.out
cmp bulk.in bulk.out || fail "bulk echo: the data differ ($(wc -c <bulk.out) bytes back)"
wait_log "bulk: "
expect_grep "bulk: 256 chunks" "$T/hlp.log" "bulk echo: receive(4096) calls"
wait_tcplog bulk bulk
set -- $(tcplog bulk bulk)
expect_eq "$2 $3" "1048576 --" "bulk echo: tcplog"

# receive() of 16 MB: the time grows with the size, not its square (2.6
# takes some 20 ms; 1.5 s leaves room for slow and sanitized builds)
head -c 16777216 /dev/zero >sink.in
t0=$(date +%s%N)
got=$(timeout 15 socat -t 10 - TCP:127.0.0.1:"$p_sink" <sink.in)
t1=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_eq "$got" "16777216" "receive() of 16 MB"
defer_eq "$([ "$t1" -lt 1500 ] && echo fast || echo "slow (${t1} ms)")" "fast" "receive() of 16 MB: time"

# --- 64 MB to a client that reads 10 bytes and leaves: the session ends
# at once (CD), the service with it (as in 2.6)
got=$(timeout 10 socat -t 1 -u TCP:127.0.0.1:"$p_flood" - 2>/dev/null | head -c 10)
expect_eq "$got" "xxxxxxxxxx" "flood: the start"
wait_tcplog flood flood
set -- $(tcplog flood flood)
[ "$1" -lt 5000 ] || fail "flood: the session lasted $1 ms"
expect_eq "$3" "CD" "flood: termination state"
grep -q "flood: all sent" "$T/hlp.log" && fail "flood: the service went on after the client left"
expect_eq "$(ask "$p_echo" 'still\n')" "still" "flood: the proxy still serves"

# --- an applet object used after its session
check stale1 "$(ask "$p_stale" '')"
check stale2 "$(ask "$p_stale" '')"

# --- tune.lua.service-timeout: the busy loop is stopped, the client freed
expect_eq "$(ask "$p_busy" '')" "spinning" "busy: answer and close"
wait_log "Lua applet tcp 'busy'"
expect_grep "^Lua applet tcp 'busy': .*timeout" "$T/hlp.log" "busy: logged"
expect_eq "$(ask "$p_echo" 'alive\n')" "alive" "busy: the proxy still serves"

# --- a frontend's use-service (HAProxy 2.6: the backend is still chosen
# and its tcp-request rules run before the service)
expect_eq "$(ask "$p_fe" '')" 'before=nil after="mine"' "frontend use-service"
wait_log "^FE "
defer_eq "$(grep '^FE ' "$T/hlp.log")" "FE b=be s=<lua.priv> inbe=yes" "frontend use-service: backend"

kill -0 "$HLP_PID" || fail "the proxy died"
stop_hlp
grep -q "AddressSanitizer\|runtime error: [a-z].*\.c:" "$T/hlp.log" && fail "sanitizer report"

# --- configuration errors: "parsing [file:line]", non-zero exit with -c
cfgerr() {
	local name=$1 want=$2 rule=$3 rc
	cat >"err-$name.cfg" <<CONF
global
   lua-load svc.lua
defaults
   mode tcp
   timeout client 1s
   timeout server 1s
   timeout connect 1s
listen x
   bind 127.0.0.1:$p_echo
   $rule
   server s 127.0.0.1:1
CONF
	"$HLP" -c -f "err-$name.cfg" >"err-$name.out" 2>&1
	rc=$?
	[ $rc -ne 0 ] || fail "config error $name: exit status 0"
	grep -qF "parsing [err-$name.cfg:10]" "err-$name.out" || { cat "err-$name.out" >&2; fail "config error $name: no 'parsing [err-$name.cfg:10]'"; }
	grep -qF -- "$want" "err-$name.out" || { cat "err-$name.out" >&2; fail "config error $name: no '$want'"; }
	grep -q "AddressSanitizer\|runtime error:" "err-$name.out" && { cat "err-$name.out" >&2; fail "config error $name: sanitizer report"; }
	return 0
}
cfgerr unknown "Lua service 'nosuch' is not registered" "tcp-request content use-service lua.nosuch"
cfgerr http "'web' is an HTTP service, only 'http-request use-service' can use it" "tcp-request content use-service lua.web"
cfgerr response "'tcp-response content use-service' is not allowed" "tcp-response content use-service lua.echo"
cfgerr noname "expects 'lua.<service>'" "tcp-request content use-service"
cfgerr notlua "expects 'lua.<service>'" "tcp-request content use-service prometheus-exporter"
cfgerr extra "'tcp-request content use-service' only accepts 'if' or 'unless', in proxy" "tcp-request content use-service lua.echo extra"
cfgerr action "Lua action 'echo' is not registered" "tcp-request content lua.echo"
# the same configuration with a real service is fine
sed 's/use-service lua.nosuch/use-service lua.echo/' err-unknown.cfg >ok.cfg
"$HLP" -c -f ok.cfg >ok.out 2>&1 || { cat ok.out >&2; fail "a valid use-service refused"; }
# a bad mode for core.register_service: the load fails
printf 'core.register_service("x", "udp", function() end)\n' >badmode.lua
printf 'global\n   lua-load badmode.lua\n' >badmode.cfg
"$HLP" -c -f badmode.cfg >badmode.out 2>&1 && fail "register_service 'udp': exit status 0"
expect_grep "badmode.lua" badmode.out "register_service 'udp': the file is named"

if [ -n "$DEFERRED" ]; then
	fail "differences from HAProxy 2.6:$DEFERRED"
fi
exit 0
