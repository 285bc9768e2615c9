# When a listener cannot be bound (port in use), the message must name
# the configuration line of the "bind", as HAProxy does ("Binding
# [FILE:LINE] for proxy NAME: cannot bind socket ..."). hlproxy only says
# "Starting proxy NAME: cannot bind socket (...) [ADDR:PORT]".
. "$TOP/tests/lib.sh"
cd "$T"

p1=$(free_port)
p2=$(free_port)
echo_server "$p2"
cat >busy.cfg <<CONF
defaults
   timeout client 5s
   timeout server 5s
   timeout connect 2s

listen app
   bind 127.0.0.1:$p1
   bind 127.0.0.1:$p2
   server s1 127.0.0.1:$p2
CONF
timeout 10 "$HLP" -f busy.cfg >s.out 2>s.err
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "a start on a busy port exited with $rc"
grep -q "cannot bind socket" s.err || fail "no bind error: $(cat s.err)"
grep "cannot bind socket" s.err | grep -Fq "[busy.cfg:8]" ||
	fail "the bind error does not name busy.cfg:8: $(cat s.err)"
note "bind error names the line"
