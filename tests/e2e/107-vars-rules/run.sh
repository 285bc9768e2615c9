#!/usr/bin/env bash
# Variables and the tcp-request/tcp-response content rules around them:
# set-var/unset-var rules and var() in log-format, the five scopes and how
# long they live (proc across connections; sess and txn per connection;
# req until the server connection is established, res from then on),
# txn:set_var/get_var/unset_var with every kind of value and their return
# values, ifexist, bad names (Lua errors, configuration errors), the
# tune.vars limits, accept (later rules do not run), reject (the server
# never sees the connection: PR, or PD for a tcp-response reject), a
# backend's rules after the frontend's, set_loglevel and the txn log
# methods (syslog priority seen with "format priority"), txn.f/sf/c/sc,
# the HAProxy 1.6 forms "tcp-request content lua <fn>" and "tcp-response
# content lua <fn>", txn:done()/txn:close() in request and response
# actions, and configuration errors for malformed rules.
#
# Compared with HAProxy 2.6.12 (same configuration without the 1.6 "lua
# <fn>" rules and tune.lua.bool-sample-conversion; 2.6 gives booleans to
# Lua as integers). Checked here as HAProxy does it:
# - set_var returns true, or false when it stores nothing (over a
#   tune.vars limit, ifexist, a variable of the other direction);
#   unset_var returns true (false for the other direction's scope).
#   HAProxy's reg-tests/lua/set_var.vtc relies on it.
# - set_var(..., true) ("ifexist") only restricts the proc scope: txn and
#   sess variables are set whether or not anything names them; a proc
#   variable is set when it exists or the configuration names it (HAProxy
#   creates those at start-up), never otherwise (set_var.vtc's probes).
# - a variable name is letters, digits, '.' and '_': "txn.a-b" is refused
#   ("invalid syntax at char '-b)'" in 2.6).
# - req and res variables: HAProxy keeps them in one list whose scope is
#   req during the request and turns to res (dropping the req variables)
#   when the server connection is established. So a res variable cannot be
#   set in tcp-request rules (set_var false, a set-var rule does nothing),
#   and in tcp-response rules and in the final log line the req variables
#   are gone (nil, "-") and cannot be set again (the "reqres" check, at the
#   end of this file, log line compared byte for byte with 2.6).
# - txn:done() ends the session with termination state LR (request) or LD
#   (response).
# - a Lua value other than a number, boolean or string is stored as false;
#   strings keep their NUL bytes; sess.x, txn.x and req.x are different
#   variables; proc lives across connections, the others per connection
#   (at most); a set-var
#   whose sample fails leaves the variable alone; accept, reject (PR, the
#   server never contacted), tcp-response reject (PD), a backend's rules
#   after the frontend's (an accept in the frontend ends only its own).
# Differences kept on purpose:
# - a bad scope is a Lua error here (HAProxy: set_var/unset_var return
#   false, get_var nil);
# - the log line is written at the end of the session (HAProxy 2.6 writes
#   a log-format made only of samples as soon as the server connection is
#   established, before tcp-response rules ran: the "rr" proxy logs %B to
#   make it wait);
# - tune.vars limits count string bytes only (HAProxy adds its own
#   per-variable overhead, so small limits refuse everything there);
# - the rules of tcp-response start once the server sent something
#   (HAProxy without inspect-delay runs them at once: B=0 there);
# - set_loglevel(n) logs at level n and deflog at info (HAProxy 2.6 stores
#   n where it expects n+1: set_loglevel(3) logs at 2 and 0 at info;
#   deflog logs at emerg);
# - txn.f:srv_name() in a request rule fails at run time (HAProxy refuses
#   the fetch in tcp-request rules when parsing);
# - converters take Lua numbers as arguments (2.6: "unable to duplicate
#   string arg").
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/vars.lua" .

e=$(free_port)
cnt=$(free_port)
g=$(free_port)
for n in ready sc rr api ie smp acc rej rrej fo fr llall llnot lm old rqd rqc rsd rsc; do eval "p_$n=\$(free_port)"; done
echo_server "$e"
# a server that counts its connections (one line per connection in conns)
bg socat -t 10 TCP-LISTEN:"$cnt",bind=127.0.0.1,reuseaddr,fork SYSTEM:"echo c >>$T/conns; exec cat"
wait_port "$cnt" 5 || fail "counting server"
# a server that greets, then echoes
greet_server "$g" srv
conns() { [ -f "$T/conns" ] && wc -l <"$T/conns" || echo 0; }

cat >vars.cfg <<CONF
global
   lua-load vars.lua
   log stderr format raw local0

defaults
   mode tcp
   timeout client 10s
   timeout server 10s
   timeout connect 5s

# only for start_hlp to wait on: no rules, no log
listen ready
   bind 127.0.0.1:$p_ready
   server echo 127.0.0.1:$e

listen sc
   bind 127.0.0.1:$p_sc
   log global
   log-format "SC before=%[var(txn.before)] n=%[var(proc.n)] s=%[var(sess.s)] t=%[var(txn.t)] q=%[var(req.q)] r=%[var(res.r)] inres=%[var(res.inres)] gone=%[var(txn.gone)] empty=%[var(txn.empty)] dflt=%[var(txn.none,dflt)] keep=%[var(txn.keep)]"
   tcp-request inspect-delay 5s
   tcp-request content lua.before
   tcp-request content set-var(proc.n) var(proc.n,0),add(1)
   tcp-request content set-var(sess.s) str(S)
   tcp-request content set-var(txn.t) int(42)
   tcp-request content set-var(req.q) src
   tcp-request content set-var(txn.gone) str(x)
   tcp-request content unset-var(txn.gone)
   tcp-request content set-var(txn.empty) str()
   tcp-request content set-var(txn.keep) str(kept)
   tcp-request content set-var(txn.keep) var(txn.nothing)
   tcp-response inspect-delay 5s
   tcp-response content set-var(res.r) str(R)
   tcp-response content lua.inres
   server echo 127.0.0.1:$e

# req and res variables from both directions; %B keeps HAProxy from
# logging as soon as the server connection is established
listen rr
   bind 127.0.0.1:$p_rr
   log global
   log-format "RR rq=%[var(txn.rq)] rs=%[var(txn.rs)] q=%[var(req.x)] late=%[var(req.late)] y=%[var(res.y)] early=%[var(res.early)] r2=%[var(req.r2)] r3=%[var(res.r3)] B=%B"
   tcp-request inspect-delay 5s
   tcp-request content set-var(res.early) str(E)
   tcp-request content lua.rqvars
   tcp-response inspect-delay 5s
   tcp-response content lua.rsvars
   tcp-response content set-var(req.r2) str(r2)
   tcp-response content set-var(res.r3) str(r3)
   server echo 127.0.0.1:$e

listen api
   bind 127.0.0.1:$p_api
   tcp-request inspect-delay 5s
   tcp-request content set-var(txn.r_int) int(42)
   tcp-request content set-var(txn.r_bool) always_true
   tcp-request content set-var(txn.r_ip) src
   tcp-request content set-var(txn.r_str) str(abc)
   tcp-request content set-var(txn.r_bin) str(a),sha1
   tcp-request content lua.api

listen ie
   bind 127.0.0.1:$p_ie
   log global
   log-format "IE named=%[var(proc.ie_named)] false=%[var(proc.ie_false)]"
   tcp-request inspect-delay 5s
   tcp-request content lua.ifexist

listen smp
   bind 127.0.0.1:$p_smp
   tcp-request inspect-delay 5s
   tcp-request content lua.smp

backend bk
   server s1 127.0.0.1:$e
   server s2 127.0.0.1:$e

listen acc
   bind 127.0.0.1:$p_acc
   log global
   log-format "ACC a=%[var(txn.a)] b=%[var(txn.b)] ts=%ts s=%s"
   tcp-request content set-var(txn.a) str(1)
   tcp-request content accept
   tcp-request content set-var(txn.b) str(1)
   tcp-request content reject
   server echo 127.0.0.1:$e

listen rej
   bind 127.0.0.1:$p_rej
   log global
   log-format "REJ a=%[var(txn.a)] b=%[var(txn.b)] ts=%ts B=%B s=%s"
   tcp-request content set-var(txn.a) str(1)
   tcp-request content reject
   tcp-request content set-var(txn.b) str(1)
   server cnt 127.0.0.1:$cnt

listen rrej
   bind 127.0.0.1:$p_rrej
   log global
   log-format "RREJ a=%[var(res.a)] b=%[var(res.b)] ts=%ts B=%B s=%s"
   tcp-response content set-var(res.a) str(1)
   tcp-response content reject
   tcp-response content set-var(res.b) str(1)
   server echo 127.0.0.1:$e

frontend fo
   bind 127.0.0.1:$p_fo
   log global
   log-format "ORDER o=%[var(txn.order)] copy=%[var(txn.copy)] ts=%ts b=%b s=%s"
   tcp-request content lua.order F1
   tcp-request content accept
   tcp-request content lua.order F2
   default_backend bo

backend bo
   tcp-request content lua.order B1
   tcp-request content set-var(txn.copy) var(txn.order)
   server echo 127.0.0.1:$e

frontend fr
   bind 127.0.0.1:$p_fr
   log global
   log-format "BREJ o=%[var(txn.order)] ts=%ts b=%b s=%s"
   tcp-request content lua.order F
   default_backend brej

backend brej
   tcp-request content lua.order B
   tcp-request content reject
   tcp-request content lua.order X
   server cnt 127.0.0.1:$cnt

# set_loglevel: the level comes as the first request line
listen llall
   bind 127.0.0.1:$p_llall
   log stderr format priority local0
   log-format "LLA lvl=%[var(txn.lvl)] err=%[var(txn.err)]"
   tcp-request inspect-delay 5s
   tcp-request content lua.loglevel
   server echo 127.0.0.1:$e

# the same behind a target that takes notice and more severe only
listen llnot
   bind 127.0.0.1:$p_llnot
   log stderr format priority local0 notice
   log-format "LLN lvl=%[var(txn.lvl)]"
   tcp-request inspect-delay 5s
   tcp-request content lua.loglevel
   server echo 127.0.0.1:$e

listen lm
   bind 127.0.0.1:$p_lm
   log stderr format priority local0
   log-format "LM done"
   tcp-request content lua.logs
   server echo 127.0.0.1:$e

listen old
   bind 127.0.0.1:$p_old
   log global
   log-format "OLD %[var(txn.old)] %[var(txn.old2)]"
   tcp-request inspect-delay 5s
   tcp-request content lua old_req
   tcp-response inspect-delay 5s
   tcp-response content lua old_res
   server echo 127.0.0.1:$e

listen rqd
   bind 127.0.0.1:$p_rqd
   log global
   log-format "RQD d1=%[var(txn.d1)] d2=%[var(txn.d2)] d3=%[var(txn.d3)] ts=%ts s=%s"
   tcp-request inspect-delay 5s
   tcp-request content lua.reqdone done
   tcp-request content set-var(txn.d3) str(rule)
   server cnt 127.0.0.1:$cnt

listen rqc
   bind 127.0.0.1:$p_rqc
   log global
   log-format "RQC d1=%[var(txn.d1)] d2=%[var(txn.d2)] d3=%[var(txn.d3)] ts=%ts s=%s"
   tcp-request inspect-delay 5s
   tcp-request content lua.reqdone close
   tcp-request content set-var(txn.d3) str(rule)
   server cnt 127.0.0.1:$cnt

listen rsd
   bind 127.0.0.1:$p_rsd
   log global
   log-format "RSD d1=%[var(txn.d1)] d2=%[var(txn.d2)] d3=%[var(txn.d3)] ts=%ts"
   tcp-response inspect-delay 5s
   tcp-response content lua.resdone done
   tcp-response content set-var(txn.d3) str(rule)
   server greet 127.0.0.1:$g

listen rsc
   bind 127.0.0.1:$p_rsc
   log global
   log-format "RSC d1=%[var(txn.d1)] d2=%[var(txn.d2)] d3=%[var(txn.d3)] ts=%ts"
   tcp-response inspect-delay 5s
   tcp-response content lua.resdone close
   tcp-response content set-var(txn.d3) str(rule)
   server greet 127.0.0.1:$g
CONF
start_hlp vars.cfg "$p_ready"

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

# --- scopes and their lifetimes: two connections one after the other
expect_eq "$(ask "$p_sc" 'hello\n')" "hello" "scopes: echo"
wait_log "^SC "
expect_eq "$(ask "$p_sc" 'again\n')" "again" "scopes: echo 2"
for _ in $(seq 100); do [ "$(grep -c '^SC ' "$T/hlp.log")" -ge 2 ] && break; sleep 0.05; done
check scopes "$(grep '^SC ' "$T/hlp.log")"
# req and res variables: a res variable is refused during the request (by
# Lua and by a rule), the req ones are gone in the response and cannot be
# set there (compared at the end of this part, see "reqres" below)
expect_eq "$(ask "$p_rr" 'hi\n')" "hi" "req/res: echo"
wait_log "^RR "

# --- the variable API, ifexist, fetches and converters
check api "$(ask "$p_api" 'x')"
check ifexist "$(ask "$p_ie" 'x')"
wait_log "^IE "
expect_grep "^IE named=v false=c$" "$T/hlp.log" "ifexist: the proc variables in the log"
check smp "$(ask "$p_smp" 'hello')"

# --- accept: later rules do not run, the session goes on
expect_eq "$(ask "$p_acc" 'acc\n')" "acc" "accept: echo"
wait_log "^ACC "
expect_grep "^ACC a=1 b=- ts=-- s=echo$" "$T/hlp.log" "accept"

# --- reject: closed at once, the server never sees a connection
n0=$(conns)
got=$(ask "$p_rej" 'data\n')
expect_eq "$got" "" "reject: nothing comes back"
wait_log "^REJ "
expect_grep "^REJ a=1 b=- ts=PR B=0 s=<NOSRV>$" "$T/hlp.log" "reject"
expect_eq "$(conns)" "$n0" "reject: connections on the server"

# --- tcp-response reject: nothing of the response reaches the client
expect_eq "$(ask "$p_rrej" 'data\n')" "" "response reject: nothing comes back"
wait_log "^RREJ "
# (B counts what came from the server: the rules run once it sent something;
# HAProxy without a tcp-response inspect-delay rejects before reading: B=0)
expect_grep "^RREJ a=1 b=- ts=PD B=[0-9]* s=echo$" "$T/hlp.log" "response reject"

# --- a backend's rules run after the frontend's (accept ends the frontend's only)
expect_eq "$(ask "$p_fo" 'order\n')" "order" "backend rules: echo"
wait_log "^ORDER "
expect_grep "^ORDER o=F1B1 copy=F1B1 ts=-- b=bo s=echo$" "$T/hlp.log" "backend rules after the frontend's"
n0=$(conns)
expect_eq "$(ask "$p_fr" 'data\n')" "" "backend reject"
wait_log "^BREJ "
expect_grep "^BREJ o=FB ts=PR b=brej s=<NOSRV>$" "$T/hlp.log" "backend reject"
expect_eq "$(conns)" "$n0" "backend reject: connections on the server"

# --- set_loglevel: the line's syslog priority (local0 = 16, so 128 + level)
for l in 3 0 7 bad; do
	expect_eq "$(ask "$p_llall" "$l\\n")" "" "loglevel $l"
	wait_log "LLA lvl=$l "
done
expect_grep "^<131>LLA lvl=3 err=-$" "$T/hlp.log" "set_loglevel(3)"
expect_grep "^<128>LLA lvl=0 err=-$" "$T/hlp.log" "set_loglevel(0)"
expect_grep "^<135>LLA lvl=7 err=-$" "$T/hlp.log" "set_loglevel(7)"
# out of range: a Lua error, the line keeps its level (info)
expect_grep "^<134>LLA lvl=bad err=bad argument #1 to 'set_loglevel' (Invalid loglevel, expects a value between 0 and 7)$" "$T/hlp.log" "set_loglevel(8)"
expect_grep "^<131>Lua function 'loglevel': runtime error: .*set_loglevel" "$T/hlp.log" "set_loglevel(-1): error logged"
# behind "notice": levels 6 and 7 are dropped, 5 and lower kept
for l in 7 6 5; do
	expect_eq "$(ask "$p_llnot" "$l\\n")" "" "loglevel (notice) $l"
done
wait_log "LLN lvl=5"
expect_grep "^<133>LLN lvl=5$" "$T/hlp.log" "set_loglevel(5) behind notice"
grep -q "LLN lvl=[67]" "$T/hlp.log" && fail "set_loglevel: a line above the target's level was sent"
# the log methods
expect_eq "$(ask "$p_lm" 'x\n')" "x" "log methods: echo"
wait_log "LM done"
for want in "<130>lg-crit" "<134>lg-deflog" "<135>lg-debug" "<134>lg-info" "<132>lg-warning" "<129>lg-alert" \
            "<134>lg-bad bad argument #1 to 'log' (Invalid loglevel.)" "<134>LM done"; do
	grep -qxF "$want" "$T/hlp.log" || fail "log methods: no line '$want'"
done

# --- the 1.6 forms
expect_eq "$(ask "$p_old" 'ping\n')" "old:ping" "1.6 lua <fn> rules"
wait_log "^OLD "
expect_grep "^OLD req:ping req:ping+res$" "$T/hlp.log" "1.6 rules: variables"

# --- txn:done() / txn:close(): the reply, then the end; the server never
# sees the connection; later rules do not run; done() ends the action
n0=$(conns)
expect_eq "$(ask "$p_rqd" 'x\n')" "bye-done" "request done()"
expect_eq "$(ask "$p_rqc" 'x\n')" "bye-close" "request close()"
wait_log "^RQC "
expect_grep "^RQD d1=yes d2=- d3=- ts=LR s=<NOSRV>$" "$T/hlp.log" "request done(): log"
expect_grep "^RQC d1=yes d2=after-close d3=- ts=[-A-Z][-A-Z] s=<NOSRV>$" "$T/hlp.log" "request close(): log"
expect_eq "$(conns)" "$n0" "done/close: connections on the server"
# in a response action: the server's data left is dropped
expect_eq "$(ask "$p_rsd" 'more\n')" "bye-done" "response done()"
expect_eq "$(ask "$p_rsc" 'more\n')" "bye-close" "response close()"
wait_log "^RSC "
expect_grep "^RSD d1=srv d2=- d3=- ts=LD$" "$T/hlp.log" "response done(): log"
expect_grep "^RSC d1=srv d2=after-close d3=- ts=[-A-Z][-A-Z]$" "$T/hlp.log" "response close(): log"

kill -0 "$HLP_PID" || fail "the proxy died"
stop_hlp
got_rr=$(grep '^RR ' "$T/hlp.log")

# --- tune.vars limits and pre-3.1 booleans (another process)
: >"$T/hlp.log"
for n in lready lim limres bool; do eval "p_$n=\$(free_port)"; done
cat >lim.cfg <<CONF
global
   lua-load vars.lua
   tune.vars.txn-max-size 10
   tune.vars.sess-max-size 4
   tune.vars.reqres-max-size 3
   tune.vars.proc-max-size 6
   tune.lua.bool-sample-conversion pre-3.1-bug

defaults
   mode tcp
   timeout client 10s
   timeout connect 5s
   timeout server 10s

listen lready
   bind 127.0.0.1:$p_lready
   server echo 127.0.0.1:$e

listen lim
   bind 127.0.0.1:$p_lim
   tcp-request inspect-delay 5s
   tcp-request content lua.limits

listen limres
   bind 127.0.0.1:$p_limres
   tcp-response inspect-delay 5s
   tcp-response content lua.limitsres
   server echo 127.0.0.1:$e

listen bool
   bind 127.0.0.1:$p_bool
   tcp-request inspect-delay 5s
   tcp-request content lua.smpbool
CONF
start_hlp lim.cfg "$p_lready"
check limits1 "$(ask "$p_lim" 'x')"
# the same again: per-session scopes start empty, proc holds what it had
check limits2 "$(ask "$p_lim" 'x')"
check limitsres "$(ask "$p_limres" 'x')"
check bool "$(ask "$p_bool" 'x')"
stop_hlp

# --- tune.vars.global-max-size: what other sessions hold counts
: >"$T/hlp.log"
for n in gready hold glob; do eval "p_$n=\$(free_port)"; done
cat >glob.cfg <<CONF
global
   lua-load vars.lua
   tune.vars.global-max-size 30

defaults
   mode tcp
   timeout client 10s
   timeout connect 5s
   timeout server 10s

listen gready
   bind 127.0.0.1:$p_gready
   server echo 127.0.0.1:$e

listen hold
   bind 127.0.0.1:$p_hold
   tcp-request inspect-delay 5s
   tcp-request content lua.hold

listen glob
   bind 127.0.0.1:$p_glob
   tcp-request inspect-delay 5s
   tcp-request content lua.global
CONF
start_hlp glob.cfg "$p_gready"
expect_eq "$(ask "$p_glob" 'x')" 'global="ggggggggggggggg"' "global limit: alone"
exec {fd}<>/dev/tcp/127.0.0.1/"$p_hold" || fail "connect hold"
read -r -t 5 l <&"$fd" || fail "hold: no answer"
expect_eq "$l" "held=true" "global limit: the holder"
expect_eq "$(ask "$p_glob" 'x')" 'global=nil' "global limit: 20 + 15 > 30"
printf 'end\n' >&"$fd"
timeout 5 cat <&"$fd" >/dev/null
exec {fd}>&-
# the holder's bytes came back when its session ended
for _ in $(seq 50); do
	got=$(ask "$p_glob" 'x')
	[ "$got" = 'global="ggggggggggggggg"' ] && break
	sleep 0.1
done
expect_eq "$got" 'global="ggggggggggggggg"' "global limit: after the holder left"
stop_hlp

# --- configuration errors: "parsing [file:line]", non-zero exit with -c
cfgerr() {
	local name=$1 want=$2 rule=$3 rc
	cat >"err-$name.cfg" <<CONF
global
   lua-load vars.lua
defaults
   mode tcp
   timeout client 1s
   timeout server 1s
   timeout connect 1s
listen x
   bind 127.0.0.1:$p_ready
   $rule
   server s 127.0.0.1:$e
CONF
	"$HLP" -c -f "err-$name.cfg" >"err-$name.out" 2>&1
	rc=$?
	[ $rc -ne 0 ] || fail "config error $name: exit status 0"
	grep -qF "parsing [err-$name.cfg:10]" "err-$name.out" || { cat "err-$name.out" >&2; fail "config error $name: no 'parsing [err-$name.cfg:10]'"; }
	grep -qF -- "$want" "err-$name.out" || { cat "err-$name.out" >&2; fail "config error $name: no '$want'"; }
	grep -q "AddressSanitizer\|runtime error:" "err-$name.out" && { cat "err-$name.out" >&2; fail "config error $name: sanitizer report"; }
	return 0
}
cfgerr noexpr "expects a sample expression" "tcp-request content set-var(txn.x)"
cfgerr badscope "invalid variable name 'foo.x'" "tcp-request content set-var(foo.x) str(a)"
cfgerr emptyname "empty name after the scope" "tcp-request content set-var(txn.) str(a)"
cfgerr badchar "character '!' is not allowed" "tcp-request content set-var(txn.a!b) str(a)"
cfgerr dash "character '-' is not allowed" "tcp-request content set-var(txn.a-b) str(a)"
cfgerr noparen "but got 'set-var'" "tcp-request content set-var str(a)"
cfgerr emptyparen "expects a variable name between parentheses" "tcp-request content set-var() str(a)"
cfgerr unsetbad "invalid variable name 'x'" "tcp-request content unset-var(x)"
cfgerr unsetextra "'tcp-request content unset-var(txn.x)' only accepts 'if' or 'unless', in proxy 'x' (got 'str(a)')" "tcp-request content unset-var(txn.x) str(a)"
cfgerr badfetch "unknown fetch method 'nosuch'" "tcp-request content set-var(txn.x) nosuch"
cfgerr badconv "unknown converter 'nosuch'" "tcp-request content set-var(txn.x) str(a),nosuch"
cfgerr unknown "but got 'frobnicate'" "tcp-request content frobnicate"
cfgerr noaction "'tcp-request content' expects an action" "tcp-request content"
cfgerr cond "'tcp-request content accept' : error detected in" "tcp-request content accept if NOPE"
cfgerr condunless "while parsing 'unless' condition : no such ACL : 'NOPE'" "tcp-request content set-var(txn.x) str(a) unless NOPE"
cfgerr notyet "'tcp-request content track-sc0' is not implemented yet" "tcp-request content track-sc0 src"
cfgerr luamissing "Lua action 'nosuch' is not registered" "tcp-request content lua.nosuch"
cfgerr luawrongdir "Lua action 'inres' is not registered for this rule set" "tcp-request content lua.inres"
cfgerr luanargs "Lua action 'order' expects 1 argument(s), got 0" "tcp-request content lua.order"
cfgerr oldmissing "Lua function 'nosuch' not found" "tcp-request content lua nosuch"
cfgerr oldnoarg "expects a Lua function name" "tcp-response content lua"
cfgerr resservice "services answer requests" "tcp-response content use-service lua.x"
cfgerr lfbadvar "invalid variable name 'foo.x'" "log-format \"%[var(foo.x)]\""
cfgerr delay "expects a time" "tcp-request inspect-delay soon"
cfgerr resdelay "expects a time" "tcp-response inspect-delay"
cfgerr resbad "but got 'use'" "tcp-response content use lua.x"
# tcp-response content in a frontend
cat >err-fe.cfg <<CONF
frontend f
   bind 127.0.0.1:$p_ready
   tcp-response content accept
CONF
"$HLP" -c -f err-fe.cfg >err-fe.out 2>&1 && fail "tcp-response in a frontend: exit status 0"
expect_grep "parsing \[err-fe.cfg:3\].*only allowed in 'backend' and 'listen' sections" err-fe.out "tcp-response in a frontend"
# a bad tune.vars value
printf 'global\n   tune.vars.txn-max-size lots\n' >err-tune.cfg
"$HLP" -c -f err-tune.cfg >err-tune.out 2>&1 && fail "bad tune.vars: exit status 0"
expect_grep "parsing \[err-tune.cfg:2\]" err-tune.out "bad tune.vars"
printf 'global\n   tune.vars.nosuch-max-size 1\n' >err-tune2.cfg
"$HLP" -c -f err-tune2.cfg >err-tune2.out 2>&1 && fail "unknown tune.vars: exit status 0"
expect_grep "parsing \[err-tune2.cfg:2\].*tune.vars.nosuch-max-size" err-tune2.out "unknown tune.vars"

# --- reqres (from the first part): HAProxy 2.6 keeps one list for req and
# res variables, whose scope turns from req to res when the server
# connection is established; the other scope is refused (set_var false, a
# set-var rule does nothing, get_var nil)
check reqres "$got_rr"
exit 0
