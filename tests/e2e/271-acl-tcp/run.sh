# ACLs in TCP mode, checked against HAProxy 2.6.12 (this case passes with
# HLP=/usr/sbin/haproxy too):
# - tcp-request content rules wait for the data their condition needs,
#   up to the inspect-delay: a payload matched with -m bin once its bytes
#   arrive, "req.len ge N" once N bytes are there, WAIT_END at the end of
#   the delay (the connection is closed then, not before), HTTP (the
#   predefined ACL) once a whole head arrived, a rule without a delay
#   decides at once;
# - tcp-request connection rules on src and dst_port ranges, a session
#   rule setting a variable the content rules check, use-service if;
# - use_backend in TCP mode, static, and default_backend;
# - tcp-response content rules with a condition on the response payload;
# - a Lua action with a condition (lua.x and its arguments before "if").
. "$TOP/tests/lib.sh"
cd "$T"
p1=$(free_port); p2=$(free_port); p3=$(free_port); s1=$(free_port); s2=$(free_port)
cat >tag.lua <<'LUA'
core.register_action("tag", { "tcp-req" }, function(txn, v)
	txn.req:send(v)
end, 1)
core.register_service("pong", "tcp", function(applet)
	applet:send("PONG\n")
end)
LUA
cat >hlp.conf <<CONF
global
    lua-load tag.lua

defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend f1
    bind 127.0.0.1:$p1
    tcp-request connection reject if { src_port 0:1023 }
    tcp-request connection accept if { src 127.0.0.0/8 } { dst_port $p1 }
    tcp-request session set-var(sess.ok) int(1) if { src 127.0.0.0/8 }
    tcp-request inspect-delay 1500ms
    tcp-request content reject unless { var(sess.ok) -m int 1 }
    tcp-request content use-service lua.pong if { req.payload(0,4) -m str PING }
    tcp-request content reject if { req.payload(0,4) -m bin 51554954 }
    tcp-request content lua.tag "[two]" if { req.payload(0,3) -m str two }
    tcp-request content accept if { req.len ge 4 }
    tcp-request content accept if HTTP
    tcp-request content reject if WAIT_END
    use_backend b2 if { req.payload(0,3) -m str two }
    use_backend b2 if { req.payload(0,3) -m str GET }
    default_backend b1

frontend f2
    bind 127.0.0.1:$p2
    tcp-request content reject if { req.len lt 5 }
    default_backend b1

listen l3
    bind 127.0.0.1:$p3
    tcp-response inspect-delay 1s
    tcp-response content reject if { res.payload(0,6) -m str secret }
    server s 127.0.0.1:$s2

backend b1
    server s 127.0.0.1:$s1

backend b2
    server s 127.0.0.1:$s2
CONF
name_server "$s1" one
bg socat TCP-LISTEN:"$s2",bind=127.0.0.1,reuseaddr,fork SYSTEM:'read -r l; echo "$l"'
wait_port "$s2" 5 || fail "server two did not start"
start_hlp hlp.conf "$p1"

# talk PORT DATA [SLEEP]: sends DATA, keeps the socket open SLEEP seconds,
# prints what came back and the seconds it took
talk() {
	python3 - "$@" <<'PY'
import socket, sys, time
port, data, hold = int(sys.argv[1]), sys.argv[2].encode().decode('unicode_escape').encode('latin1'), float(sys.argv[3]) if len(sys.argv) > 3 else 0
s = socket.create_connection(("127.0.0.1", port))
t0 = time.time()
s.sendall(data)
s.settimeout(5)
out = b""
try:
    while True:
        d = s.recv(4096)
        if not d:
            break
        out += d
        if hold == 0:
            break
except socket.timeout:
    pass
print(out.decode(errors="replace").strip().replace("\n", "|"), round(time.time() - t0))
PY
}
got=$(talk "$p1" 'abcd\n')
expect_eq "$got" "one 0" "four bytes: accepted at once, default backend"
got=$(talk "$p1" 'two\n')
expect_eq "$got" "[two]two 0" "lua action with a condition, use_backend"
got=$(talk "$p1" 'PING')
expect_eq "$got" "PONG 0" "use-service with a condition"
got=$(talk "$p1" 'QUIT')
expect_eq "$got" " 0" "payload -m bin: rejected"
got=$(talk "$p1" 'ab' 1)
expect_eq "$got" " 2" "too short: rejected by WAIT_END at the end of the inspect-delay"
got=$(talk "$p1" 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
expect_eq "$got" "GET / HTTP/1.1 0" "HTTP: accepted once the head is complete"
got=$(talk "$p2" 'ab' 1)
expect_eq "$got" " 0" "no inspect-delay: decided at once"
got=$(talk "$p3" 'public\n')
expect_eq "$got" "public 0" "tcp-response: accepted"
got=$(talk "$p3" 'secret\n')
expect_eq "$got" " 0" "tcp-response content reject if res.payload"
is_haproxy || stop_hlp
