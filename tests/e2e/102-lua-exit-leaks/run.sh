# TXN private data and deflog; register_* refused outside the body; and
# no leak at exit: under valgrind for the normal build (definitely lost
# blocks make it exit 99), under LeakSanitizer for the ASan build, with a
# task and a sleeping action still running when SIGTERM arrives.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/leak.lua" .
p=$(free_port)
q=$(free_port)
cat >leak.cfg <<CONF
global
   lua-load leak.lua
   log stderr format raw local0
defaults
   timeout client 60s
listen priv
   bind 127.0.0.1:$p
   log global
   tcp-request content lua.priv
listen hold
   bind 127.0.0.1:$q
   tcp-request content lua.hold
CONF

case "$HLP" in
*asan*) run=("$HLP") ;;
*)      command -v valgrind >/dev/null || fail "valgrind is not installed"
        run=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 "$HLP") ;;
esac
bg "${run[@]}" -f leak.cfg >>"$T/hlp.log" 2>&1
HLP_PID=$LAST_PID
wait_port "$p" 30 || fail "the proxy did not start"

for i in 1 2 3; do
	out=$(timeout 20 nc 127.0.0.1 "$p" </dev/null)
	expect_eq "$out" "first=nil then=1 late_fetch=false" "client $i"
done
expect_grep "deflog line" "$T/hlp.log" "txn:deflog"
( timeout 60 nc 127.0.0.1 "$q" </dev/null >/dev/null ) &
sleep 1
kill -TERM "$HLP_PID"
wait "$HLP_PID"
rc=$?
[ $rc -eq 0 ] || fail "exit status $rc after SIGTERM (99: valgrind found a leak)"
exit 0
