# -c: a valid configuration prints "Configuration file is valid" on stdout
# and exits 0 without binding anything; a broken one prints every error and
# exits non-zero; warnings (an ignored tuning keyword, missing timeouts) are
# printed but do not make the check fail, and -q silences them.
. "$TOP/tests/lib.sh"
cd "$T"

p1=$(free_port)
p2=$(free_port)
p3=$(free_port)

cat >act.lua <<'LUA'
core.register_action("hello", { "tcp-req" }, function(txn)
   txn.res:send("hello\n")
   txn:done()
end)
LUA

# A valid configuration using most of what the parser knows.
cat >valid.cfg <<CONF
global
   maxconn 50
   tune.bufsize 4096
   log stderr format raw local0 info
   lua-load act.lua

defaults
   mode tcp
   log global
   option tcplog
   timeout client 5s
   timeout server 5s
   timeout connect 2s
   retries 2

# a frontend and a backend may share a name
frontend app
   bind 127.0.0.1:$p1,127.0.0.1:$p2
   maxconn 20
   default_backend app

backend app
   balance leastconn
   server s1 127.0.0.1:$p3 weight 2 maxconn 5
   server s2 127.0.0.1:$p3 backup

listen hello
   bind 127.0.0.1:$p3
   tcp-request content lua.hello
CONF

# -c does not bind: a listener on one of the ports changes nothing
echo_server "$p1"
"$HLP" -c -f valid.cfg >valid.out 2>valid.err
rc=$?
[ $rc -eq 0 ] || fail "-c on a valid configuration exited with $rc: $(cat valid.err)"
expect_eq "$(cat valid.out)" "Configuration file is valid" "-c stdout on a valid configuration"
[ -s valid.err ] && fail "-c on a clean configuration printed on stderr: $(cat valid.err)"
# ... while a real start does bind, and fails on that port
timeout 10 "$HLP" -f valid.cfg >start.out 2>start.err
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "a start on a busy port exited with $rc"
grep -q "cannot bind socket" start.err || fail "no bind error on a busy port: $(cat start.err)"

# warnings do not make the check fail
cat >warn.cfg <<CONF
global
   nbthread 4

listen app
   bind 127.0.0.1:$p2
   server s1 127.0.0.1:$p3
CONF
"$HLP" -c -f warn.cfg >warn.out 2>warn.err
rc=$?
[ $rc -eq 0 ] || fail "-c with only warnings exited with $rc: $(cat warn.err)"
expect_eq "$(cat warn.out)" "Configuration file is valid" "-c stdout with warnings"
grep -Fxq "parsing [warn.cfg:2] : 'nbthread' has no effect in hlproxy (one thread, poll reactor); ignored." \
	<(sed -n 's/^\[WARNING\] ([0-9]*) : //p' warn.err) || fail "no nbthread warning: $(cat warn.err)"
grep -q "^\[WARNING\] ([0-9]*) : config : missing timeouts for proxy 'app'\." warn.err ||
	fail "no missing-timeouts warning: $(cat warn.err)"
grep -q "ALERT" warn.err && fail "warnings reported as alerts: $(cat warn.err)"

# -q silences the warnings and, as HAProxy, the verdict: only the status tells
"$HLP" -c -q -f warn.cfg >quiet.out 2>quiet.err
rc=$?
[ $rc -eq 0 ] || fail "-c -q exited with $rc"
grep -q "WARNING" quiet.err && fail "-q did not silence the warnings: $(cat quiet.err)"
[ -s quiet.out ] && fail "-c -q printed a verdict; HAProxy stays silent: $(cat quiet.out)"

# a broken configuration: every error is reported, then the verdict
cat >bad.cfg <<CONF
global
   nbthread 2
   maxconn many

defaults
   timeout client 5s

listen app
   bind 127.0.0.1:$p2
   server s1 127.0.0.1:$p3 frob
   balance nope
CONF
"$HLP" -c -f bad.cfg >bad.out 2>bad.err
rc=$?
[ $rc -ne 0 ] && [ $rc -lt 128 ] || fail "-c on a broken configuration exited with $rc"
[ -s bad.out ] && fail "-c printed on stdout for a broken configuration: $(cat bad.out)"
sed -n 's/^\[ALERT\] ([0-9]*) : //p' bad.err >bad.alerts
cat >bad.want <<'WANT'
parsing [bad.cfg:3] : 'maxconn' expects an integer argument (at most 1000000).
parsing [bad.cfg:10] : 'server s1' unknown keyword 'frob'.
parsing [bad.cfg:11] : 'balance' only supports 'roundrobin', 'static-rr', 'leastconn', 'source' and 'first' options.
Fatal errors found in configuration.
WANT
diff bad.want bad.alerts >/dev/null || fail "-c errors: wanted
$(cat bad.want)
got
$(cat bad.err)"
grep -q "nbthread" bad.err || fail "the warning before the errors was lost"

# -c -q still reports errors
"$HLP" -c -q -f bad.cfg >/dev/null 2>badq.err && fail "-c -q on a broken configuration exited 0"
grep -q "parsing \[bad.cfg:3\]" badq.err || fail "-q silenced an error"

# -c with several files
printf 'defaults\n   timeout client 5s\n   timeout server 5s\n   timeout connect 2s\n' >part1.cfg
printf 'listen app\n   bind 127.0.0.1:%s\n   server s1 127.0.0.1:%s\n' "$p2" "$p3" >part2.cfg
"$HLP" -c -f part1.cfg -f part2.cfg >parts.out 2>parts.err || fail "-c on two files failed: $(cat parts.err)"
[ -s parts.err ] && fail "two files: unexpected messages: $(cat parts.err)"
expect_eq "$(cat parts.out)" "Configuration file is valid" "-c stdout with two files"
note "check mode ok"
