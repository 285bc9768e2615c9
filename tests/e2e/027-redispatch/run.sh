# option redispatch with balance roundrobin, retries 2, and one server of
# two refusing connections: every client is served by the live server.
# HAProxy (sess_update_st_cer) redispatches at once, without the 1 s
# turn-around, when the algorithm is not deterministic (roundrobin) and
# more than one server is active, and logs the retry count of a
# redispatched session with a '+': so each session that met the dead
# server logs "+1", the others "0", and each is logged be/s2 with '--'.
. "$TOP/tests/lib.sh"

p=$(free_port)
dead=$(free_port)
b=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 1s
    timeout client 10s
    timeout server 10s

listen rd
    bind 127.0.0.1:$p
    balance roundrobin
    retries 2
    option redispatch
    server dead 127.0.0.1:$dead
    server s2 127.0.0.1:$b
CONF

name_server "$b" s2
start_hlp "$T/hlp.conf" "$p"
# start_hlp's probe made a session too: wait for it to be logged
for _ in $(seq 1 200); do grep -q "] rd rd/" "$T/hlp.log" && break; sleep 0.05; done
base=$(grep -c "] rd rd/" "$T/hlp.log")

for i in 1 2 3 4; do
	out=$(timeout 15 nc 127.0.0.1 "$p" </dev/null)
	expect_eq "$out" "s2" "connection $i"
done
for _ in $(seq 1 100); do
	[ "$(grep -c "] rd rd/" "$T/hlp.log")" -ge $((base + 4)) ] && break
	sleep 0.05
done
grep "] rd rd/" "$T/hlp.log" | tail -n 4 >"$T/lines"
[ "$(wc -l <"$T/lines")" -eq 4 ] || fail "expected 4 log lines, got: $(cat "$T/lines")"
while read -r line; do
	note "$line"
	echo "$line" | grep -Eq '\] rd rd/s2 [0-9]+/[0-9]+/[0-9]+ 3 -- [0-9]+/[0-9]+/[0-9]+/[0-9]+/(0|\+1) [0-9]+/[0-9]+$' ||
		fail "expected rd/s2, 3 bytes, '--' and a retry count of 0 or +1 (redispatched at once): $line"
done <"$T/lines"
grep -q '/+1 [0-9]*/[0-9]*$' "$T/lines" || fail "no session met the dead server (round robin over 2 servers)"
stop_hlp
