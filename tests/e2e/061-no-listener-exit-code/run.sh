# A configuration without any proxy: with -c, hlproxy says "Configuration
# file has no error but will not start (no listener) => exit(2)." and, as
# HAProxy, must then exit with status 2, without calling it a fatal error.
# It exits 1 and adds "Fatal errors found in configuration.". (A real
# start fails, with status 1 as HAProxy.)
. "$TOP/tests/lib.sh"
cd "$T"

printf 'global\n   maxconn 100\n\ndefaults\n   timeout client 5s\n' >empty.cfg
"$HLP" -c -f empty.cfg >c.out 2>c.err
rc=$?
cat c.out c.err | grep -Fq "Configuration file has no error but will not start (no listener) => exit(2)." ||
	fail "no 'no listener' message: $(cat c.err)"
grep -q "Fatal errors found" c.err && fail "a configuration with 'no error' is reported as fatal: $(cat c.err)"
expect_eq "$rc" 2 "exit status of -c when there is no listener"

timeout 10 "$HLP" -f empty.cfg >s.out 2>s.err
expect_eq "$?" 1 "exit status of a start when there is no listener"
note "no listener: exit 2"
