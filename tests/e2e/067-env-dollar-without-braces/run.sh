# Inside double quotes HAProxy expands "$VAR" as well as "${VAR}" (its
# manual: "Variable names must be preceded by a dollar ("$") and
# optionally enclosed with braces"). hlproxy only knows "${VAR}" and keeps
# "$VAR" as it is, so a configuration written for HAProxy breaks.
. "$TOP/tests/lib.sh"
cd "$T"

p1=$(free_port)
pe=$(free_port)
echo_server "$pe"
printf 'core.register_action("x", { "tcp-req" }, function(txn) txn:done() end)\n' >real.lua
cat >env.cfg <<'CONF'
global
   lua-load "$HLP_TEST_DIR/real.lua"

defaults
   timeout client 5s
   timeout server 5s
   timeout connect 2s

listen app
   bind "$HLP_TEST_HOST:$HLP_TEST_PORT"
   server echo "127.0.0.1:$HLP_TEST_ECHO"
CONF
export HLP_TEST_DIR=$T HLP_TEST_HOST=127.0.0.1 HLP_TEST_PORT=$p1 HLP_TEST_ECHO=$pe
"$HLP" -c -f env.cfg >c.out 2>c.err || fail "\"\$VAR\" was not expanded: $(cat c.err)"
start_hlp env.cfg "$p1"
out=$(echo dollar | timeout 10 nc -w 2 127.0.0.1 "$p1")
expect_eq "$out" "dollar" "forwarding with \"\$VAR\" addresses"
stop_hlp
note "\$VAR without braces expanded"
