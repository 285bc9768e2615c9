# option abortonclose: a request waiting in the backend queue whose client
# has closed its side is dropped (logged CQ), and never reaches the server;
# without the option it is served, as HTTP wants. Checked against HAProxy
# 2.6 too (HLP=/usr/sbin/haproxy).
. "$TOP/tests/lib.sh"

og=$(free_port)
fa=$(free_port)
fk=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    timeout queue 5s

listen abort
    bind 127.0.0.1:$fa
    option abortonclose
    server o 127.0.0.1:$og maxconn 1

listen keep
    bind 127.0.0.1:$fk
    server o 127.0.0.1:$og maxconn 1
CONF
start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fa"
wait_port "$fk" || fail "second listener"

# one slow request holds the only slot; a second one queues, its client half-closes
queued() {
	curl -s -o /dev/null "http://127.0.0.1:$1/sleep/1000" &
	local slow=$!
	sleep 0.3
	python3 - "$1" "$2" <<'PY' >"$T/$2.out"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /queued-" + sys.argv[2].encode() + b" HTTP/1.1\r\nHost: a\r\n\r\n")
s.shutdown(socket.SHUT_WR)
s.settimeout(5)
d = b""
try:
    while True:
        x = s.recv(65536)
        if not x:
            break
        d += x
except OSError:
    pass
print(d.split(b"\r\n")[0].decode() if d else "none")
PY
	wait $slow
}
queued "$fa" abort
queued "$fk" keep
sleep 0.3
expect_eq "$(cat "$T/abort.out")" "none" "abortonclose: the queued request gets no answer"
expect_eq "$(grep -c 'REQ .* /queued-abort ' "$T/origin.log")" 0 "abortonclose: the server never sees it"
grep -aq ' abort/<NOSRV> .* CQ-- .*/queued-abort ' "$T/hlp.log" || fail "abortonclose: no CQ-- log line"
expect_eq "$(cat "$T/keep.out")" "HTTP/1.1 200 OK" "without it: the half-closed request is served"
expect_eq "$(grep -c 'REQ .* /queued-keep ' "$T/origin.log")" 1 "without it: the server gets it"
exit 0
