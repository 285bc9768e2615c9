# hlp_create_file()/hlp_create_string() on a configuration without any
# proxy must fail (NULL, "... will not start (no listener)" in the error
# text) as a start of the hlproxy binary does (exit 1). Since a8b7bd0 the
# "no listener" check is only made by main(): the library returns a proxy
# that listens on nothing and runs until it is stopped.
. "$TOP/tests/lib.sh"
cd "$T"

( cd "$TOP" && make -s embed ) >build.log 2>&1 || fail "make embed failed: $(cat build.log)"
printf 'global\n   maxconn 10\n\ndefaults\n   timeout client 5s\n' >empty.cfg

# the binary refuses to start
timeout 10 "$HLP" -f empty.cfg >s.out 2>s.err
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "hlproxy started with no proxy (status $rc)"

# the library must refuse too
timeout 10 "$TOP/examples/embed/embed" -f "$T/empty.cfg" >e.out 2>e.err
rc=$?
[ $rc -ne 124 ] || fail "hlp_create_file() accepted a configuration without any proxy: the program ran until the guard stopped it ($(cat e.out))"
expect_eq "$rc" 1 "exit status of the embedding program"
grep -q "cannot create the proxy: .*no listener" e.err || fail "no 'no listener' error text: $(cat e.err)"
note "no listener refused by the library"
