# The connection counters of a tcplog line, "ac/fc/bc/sc/rc", as HAProxy
# logs them: the process (ac) and frontend (fc) counts still include the
# session being logged, the backend (bc) and server (sc) counts no longer
# do (HAProxy releases the server before it logs). So a lone session logs
# 1/1/0/0/0; with two sessions A and B held on one server, A's end logs
# 2/2/1/1/0 and B's end then 1/1/0/0/0. Haproxy 2.6 gives exactly these.
. "$TOP/tests/lib.sh"

ping=$(free_port)
p=$(free_port)
s=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 10s
    timeout server 10s

listen ping
    bind 127.0.0.1:$ping
    server s1 127.0.0.1:$s

listen fe
    bind 127.0.0.1:$p
    server s1 127.0.0.1:$s
CONF

# greets, then echoes until EOF
bg socat TCP-LISTEN:"$s",bind=127.0.0.1,reuseaddr,fork SYSTEM:"echo hi; exec cat"
wait_port "$s" 5 || fail "server did not start"
start_hlp "$T/hlp.conf" "$ping"
for _ in $(seq 1 100); do grep -q "] ping ping/" "$T/hlp.log" && break; sleep 0.05; done

# nth_line N: the Nth log line of "fe", once it is there
nth_line() {
	local i
	for i in $(seq 1 100); do
		[ "$(grep -c "] fe fe/" "$T/hlp.log")" -ge "$1" ] && break
		sleep 0.05
	done
	grep "] fe fe/" "$T/hlp.log" | sed -n "$1p"
}
counters() { echo "$1" | awk '{print $(NF-1) " " $NF}'; }

open_conn A "$p"
close_conn A
line=$(nth_line 1)
note "lone session: $line"
expect_eq "$(counters "$line")" "1/1/0/0/0 0/0" "counters of a lone session"

open_conn A "$p"
open_conn B "$p"
close_conn A
line=$(nth_line 2)
note "A, with B open: $line"
expect_eq "$(counters "$line")" "2/2/1/1/0 0/0" "counters of A's end while B is open"
close_conn B
line=$(nth_line 3)
note "B: $line"
expect_eq "$(counters "$line")" "1/1/0/0/0 0/0" "counters of B's end"
stop_hlp
