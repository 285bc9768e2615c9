# Embedding through hlproxy.h: examples/embed/embed.c, built with
# "make embed", forwards to an echo server from its own hlp_poll() loop,
# stops gracefully on SIGTERM (the open session finishes first; a second
# SIGTERM stops at once) and exits 0; hlproxy.o exports only hlp_* symbols; hlp_create_string() and
# hlp_create_file() return NULL with the parser's message on a bad
# configuration. The program is built normally in both runs.
. "$TOP/tests/lib.sh"
cd "$T"

( cd "$TOP" && make -s embed ) >build.log 2>&1 || fail "make embed failed: $(cat build.log)"
EMBED=$TOP/examples/embed/embed
[ -x "$EMBED" ] || fail "no $EMBED after make embed"

# only hlp_* is exported by the library object
nm -g --defined-only "$TOP/hlproxy.o" | awk '{print $NF}' >symbols
[ -s symbols ] || fail "nm found no exported symbol in hlproxy.o"
bad=$(grep -v '^hlp_' symbols)
[ -z "$bad" ] || fail "hlproxy.o exports symbols without the hlp_ prefix: $bad"
for s in hlp_create_file hlp_create_string hlp_run hlp_poll hlp_stop hlp_free; do
	grep -qx "$s" symbols || fail "hlproxy.o does not export $s"
done

pe=$(free_port)
p1=$(free_port)
echo_server "$pe"

bg "$EMBED" "$p1" "$pe" >embed.log 2>&1
EPID=$LAST_PID
wait_port "$p1" 10 || fail "the embedding program does not listen: $(cat embed.log)"
out=$(echo "embedded hello" | timeout 10 nc -w 2 127.0.0.1 "$p1")
expect_eq "$out" "embedded hello" "forwarding through the embedded proxy"

# a session open across the stop request
exec 3<>/dev/tcp/127.0.0.1/"$p1"
echo one >&3
IFS= read -r -t 5 line <&3 || fail "no echo on the open session"
expect_eq "$line" "one" "open session"

# SIGTERM: a graceful stop; the listener closes, the session goes on
kill -TERM "$EPID"
wait_port_closed "$p1" 10 || fail "the listener is still open after SIGTERM"
kill -0 "$EPID" 2>/dev/null || fail "the program ended before its open session"
echo two >&3
IFS= read -r -t 5 line <&3 || fail "the open session stopped working after SIGTERM"
expect_eq "$line" "two" "open session after SIGTERM"
exec 3>&-
# the session over, the loop ends and the program exits 0
for _ in $(seq 100); do kill -0 "$EPID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$EPID" 2>/dev/null && fail "the program did not exit once its session was over"
wait "$EPID"
rc=$?
expect_eq "$rc" 0 "exit status of the embedding program"
grep -Eq '^embed: stopped after [1-9][0-9]* turns$' embed.log || fail "no turn count: $(cat embed.log)"

# a second SIGTERM stops at once, the open session included
bg "$EMBED" "$p1" "$pe" >embed2.log 2>&1
EPID=$LAST_PID
wait_port "$p1" 10 || fail "the embedding program does not listen (second run): $(cat embed2.log)"
exec 3<>/dev/tcp/127.0.0.1/"$p1"
echo three >&3
IFS= read -r -t 5 line <&3 || fail "no echo on the open session (second run)"
kill -TERM "$EPID"
wait_port_closed "$p1" 10 || fail "the listener is still open after SIGTERM (second run)"
kill -0 "$EPID" 2>/dev/null || fail "the program ended before its open session (second run)"
kill -TERM "$EPID"
for _ in $(seq 100); do kill -0 "$EPID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$EPID" 2>/dev/null && fail "a second SIGTERM did not stop the program"
wait "$EPID"
expect_eq "$?" 0 "exit status after two SIGTERMs"
timeout 5 cat <&3 >/dev/null
[ $? -ne 124 ] || fail "the open session survived the second SIGTERM"
exec 3<&-

# hlp_create_file(): the same through a file
p2=$(free_port)
cat >embed.cfg <<CONF
defaults
   timeout client 10s
   timeout server 10s
   timeout connect 2s

listen from-file
   bind 127.0.0.1:$p2
   server echo 127.0.0.1:$pe
CONF
bg "$EMBED" -f "$T/embed.cfg" >file.log 2>&1
EPID=$LAST_PID
wait_port "$p2" 10 || fail "hlp_create_file: no listener: $(cat file.log)"
out=$(echo "from file" | timeout 10 nc -w 2 127.0.0.1 "$p2")
expect_eq "$out" "from file" "forwarding with hlp_create_file"
kill -TERM "$EPID"
wait "$EPID"
expect_eq "$?" 0 "exit status after SIGTERM (hlp_create_file)"

# a broken configuration: NULL and the parser's message in the error text
timeout 10 "$EMBED" 99999 "$pe" >broken.out 2>broken.err
rc=$?
expect_eq "$rc" 1 "exit status with a broken configuration"
grep -Fq "cannot create the proxy: parsing [(string):7] : 'bind 127.0.0.1:99999' : invalid port '99999' in '127.0.0.1:99999'" broken.err ||
	fail "hlp_create_string error text: $(cat broken.err)"
printf 'listen x\n   bind 127.0.0.1:%s\n   bogus\n' "$p2" >broken.cfg
timeout 10 "$EMBED" -f "$T/broken.cfg" >broken2.out 2>broken2.err
expect_eq "$?" 1 "exit status with a broken file"
grep -Fq "cannot create the proxy: parsing [$T/broken.cfg:3] : unknown keyword 'bogus' in 'listen' section" broken2.err ||
	fail "hlp_create_file error text: $(cat broken2.err)"
timeout 10 "$EMBED" -f "$T/missing.cfg" >/dev/null 2>missing.err
expect_eq "$?" 1 "exit status with a missing file"
grep -Fq "cannot create the proxy: Could not open configuration file $T/missing.cfg : No such file or directory" missing.err ||
	fail "hlp_create_file error text for a missing file: $(cat missing.err)"
note "embedding ok"
