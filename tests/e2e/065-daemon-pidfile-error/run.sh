# -D with a pidfile that cannot be created: HAProxy refuses to start
# ("Cannot create pidfile", exit 1, no daemon). hlproxy prints the alert
# but the parent exits 0 and the daemon keeps running, so scripts believe
# the start worked and lose track of the process.
. "$TOP/tests/lib.sh"
cd "$T"

p1=$(free_port)
cat >d.cfg <<CONF
defaults
   timeout client 5s
   timeout server 5s
   timeout connect 2s

listen app
   bind 127.0.0.1:$p1
   server s1 127.0.0.1:$p1
CONF
timeout 20 "$HLP" -D -p "$T/no/such/dir/d.pid" -f "$T/d.cfg" >d.out 2>d.err
rc=$?
# a daemon started anyway must not outlive the test: find it by its
# command line, unique to this scratch directory, and register its pid
sleep 0.5
for d in /proc/[0-9]*; do
	if tr '\0' ' ' <"$d/cmdline" 2>/dev/null | grep -Fq -- "-p $T/no/such/dir/d.pid"; then
		PIDS="$PIDS ${d#/proc/}"
		note "a daemon was left running: pid ${d#/proc/}"
	fi
done
expect_grep "Cannot create pidfile" d.err "pidfile alert"
[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "-D with an unwritable pidfile exited with $rc"
(exec 3<>/dev/tcp/127.0.0.1/$p1) 2>/dev/null && fail "a daemon listens although the start failed"
note "unwritable pidfile refused"
