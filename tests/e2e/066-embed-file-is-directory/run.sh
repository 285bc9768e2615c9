# hlp_create_file() on a directory (or a file that cannot be read) must
# fail with a message naming the path and the reason. hlproxy's reader
# ignores the read error, parses an empty configuration and reports
# "Configuration file has no error but will not start (no listener)",
# which says nothing about the path.
. "$TOP/tests/lib.sh"
cd "$T"

( cd "$TOP" && make -s embed ) >build.log 2>&1 || fail "make embed failed: $(cat build.log)"
mkdir -p "$T/conf.d"
p1=$(free_port)
printf 'listen app\n   bind 127.0.0.1:%s\n' "$p1" >"$T/conf.d/app.cfg"
timeout 10 "$TOP/examples/embed/embed" -f "$T/conf.d" >e.out 2>e.err
rc=$?
expect_eq "$rc" 1 "exit status of the embedding program"
grep "cannot create the proxy:" e.err | grep -Fq "$T/conf.d" ||
	fail "the error text does not name the directory: $(cat e.err)"
note "directory refused with a clear message"
