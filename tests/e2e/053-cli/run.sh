# The command line: -v, -vv (versions, poller, arena size from the
# configuration), -h, a bad flag, -p, -D and -q.
. "$TOP/tests/lib.sh"
cd "$T"

version=$(sed -n 's/^#define HLP_VERSION "\(.*\)"$/\1/p' "$TOP/hlproxy.h")
[ -n "$version" ] || fail "cannot read HLP_VERSION from hlproxy.h"

# -v: the version, on stdout, exit 0
"$HLP" -v >v.out 2>v.err
rc=$?
expect_eq "$rc" 0 "-v exit status"
expect_eq "$(head -n 1 v.out)" "hlproxy version $version - a small HAProxy-compatible proxy with HAProxy's Lua API" "-v first line"
[ -s v.err ] && fail "-v wrote on stderr: $(cat v.err)"

# -vv: the build options
"$HLP" -vv >vv.out 2>vv.err
rc=$?
expect_eq "$rc" 0 "-vv exit status"
expect_grep "^hlproxy version $version " vv.out "-vv version"
grep -Eq '^Built with Lua version : Lua 5\.3\.[0-9]+$' vv.out || fail "-vv: no Lua version: $(cat vv.out)"
grep -Eq '^Built with mbedTLS version : [0-9]+\.[0-9]+\.[0-9]+$' vv.out || fail "-vv: no mbedTLS version: $(cat vv.out)"
grep -Eq '^  POLLER +: poll$' vv.out || fail "-vv: no poller: $(cat vv.out)"
# the defaults: maxconn 1024, two 16 kB buffers per connection
expect_grep '^  I/O arena   : 2048 x 16384 = 33554432 bytes' vv.out "-vv default arena"

# -vv with a configuration: the arena follows maxconn and tune.bufsize
p1=$(free_port)
cat >small.cfg <<CONF
global
   maxconn 10
   tune.bufsize 4096

listen app
   bind 127.0.0.1:$p1
CONF
"$HLP" -vv -f small.cfg >vv2.out 2>vv2.err
rc=$?
expect_eq "$rc" 0 "-vv -f exit status"
expect_grep '^  I/O arena   : 20 x 4096 = 81920 bytes' vv2.out "-vv arena with maxconn 10 and tune.bufsize 4096"
expect_grep '^  maxconn = 10, bufsize = 4096, buffers = 20' vv2.out "-vv settings with the configuration"
# -n overrides maxconn
"$HLP" -vv -n 7 -f small.cfg >vv3.out 2>&1 || fail "-vv -n 7 failed: $(cat vv3.out)"
expect_grep '^  I/O arena   : 14 x 4096 = 57344 bytes' vv3.out "-vv arena with -n 7"
# -vv only prints: nothing was bound
(exec 3<>/dev/tcp/127.0.0.1/$p1) 2>/dev/null && fail "-vv -f left a listener"

# -h: usage on stdout, exit 0
"$HLP" -h >h.out 2>h.err
rc=$?
expect_eq "$rc" 0 "-h exit status"
expect_grep '^Usage : ' h.out "-h usage"
expect_grep '^ *-f <cfg' h.out "-h mentions -f"
[ -s h.err ] && fail "-h wrote on stderr: $(cat h.err)"

# a bad flag: the usage on stderr, nothing on stdout, a non-zero exit
"$HLP" -Z -f small.cfg >bad.out 2>bad.err
rc=$?
[ $rc -ne 0 ] && [ $rc -lt 128 ] || fail "a bad flag exited with $rc"
[ -s bad.out ] && fail "a bad flag wrote on stdout: $(cat bad.out)"
expect_grep "unknown or incomplete option '-Z'" bad.err "bad flag message"
expect_grep '^Usage : ' bad.err "usage after a bad flag"
# a flag missing its argument
"$HLP" -f small.cfg -p >/dev/null 2>miss.err && fail "-p without a file was accepted"
expect_grep "unknown or incomplete option '-p'" miss.err "-p without argument"
# no configuration at all
"$HLP" >/dev/null 2>none.err && fail "no -f was accepted"
expect_grep "no configuration file given" none.err "no configuration"

# -p: the pidfile holds the pid of the foreground process
pe=$(free_port)
p2=$(free_port)
echo_server "$pe"
cat >fwd.cfg <<CONF
global
   nbthread 2

defaults
   timeout client 10s
   timeout server 10s
   timeout connect 2s

listen app
   bind 127.0.0.1:$p2
   server echo 127.0.0.1:$pe
CONF
start_hlp fwd.cfg "$p2" -p "$T/fg.pid"
[ -f fg.pid ] || fail "-p: no pidfile"
expect_eq "$(cat fg.pid)" "$HLP_PID" "-p pidfile contents"
# without -q, the ignored nbthread is warned about
expect_grep "WARNING.*'nbthread' has no effect" hlp.log "warning without -q"
stop_hlp

# -q: no warning at all
: >"$T/hlp.log"
start_hlp fwd.cfg "$p2" -q
out=$(echo quiet | timeout 10 nc -w 2 127.0.0.1 "$p2")
expect_eq "$out" "quiet" "forwarding with -q"
stop_hlp
[ -s hlp.log ] && fail "-q: messages were printed: $(cat hlp.log)"

# -D: the parent returns at once with 0, the pidfile holds the daemon's
# pid, the daemon serves; it is then killed by that pid
p3=$(free_port)
sed "s/127.0.0.1:$p2/127.0.0.1:$p3/" fwd.cfg >daemon.cfg
timeout 20 "$HLP" -D -q -p "$T/daemon.pid" -f daemon.cfg >d.out 2>d.err
rc=$?
expect_eq "$rc" 0 "-D parent exit status"
[ -s daemon.pid ] || fail "-D: no pidfile"
dpid=$(cat daemon.pid)
case "$dpid" in ''|*[!0-9]*) fail "-D: bad pidfile contents '$dpid'" ;; esac
PIDS="$PIDS $dpid"
kill -0 "$dpid" 2>/dev/null || fail "-D: no process $dpid"
grep -q 'hlproxy' /proc/"$dpid"/cmdline || fail "-D: pid $dpid is not hlproxy"
[ "$(awk '{print $4}' /proc/"$dpid"/stat)" != "$$" ] || fail "-D: the daemon is a child of the test shell"
wait_port "$p3" 10 || fail "-D: the daemon does not listen"
out=$(echo daemon | timeout 10 nc -w 2 127.0.0.1 "$p3")
expect_eq "$out" "daemon" "forwarding through the daemon"
kill -TERM "$dpid"
for _ in $(seq 100); do
	[ -d /proc/"$dpid" ] && [ "$(awk '{print $3}' /proc/"$dpid"/stat 2>/dev/null)" != Z ] || break
	sleep 0.1
done
[ -d /proc/"$dpid" ] && [ "$(awk '{print $3}' /proc/"$dpid"/stat 2>/dev/null)" != Z ] && fail "the daemon did not stop on SIGTERM"
wait_port_closed "$p3" || fail "the daemon's port is still open"
note "command line ok"
