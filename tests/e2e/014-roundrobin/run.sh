# balance roundrobin: 3 servers that answer their name, 30 sequential
# connections: exactly 10 each, and every run of 3 consecutive connections
# hits each server once. With weights 2 and 1: 20/10, and every run of 3
# consecutive connections has 2 for the heavy server and 1 for the other.
. "$TOP/tests/lib.sh"

ping=$(free_port)
rr=$(free_port)
wrr=$(free_port)
a=$(free_port)
b=$(free_port)
c=$(free_port)
cat >"$T/hlp.conf" <<CONF
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s

# for the readiness probe only, so that it takes no turn in the others
listen ping
    bind 127.0.0.1:$ping
    server a 127.0.0.1:$a

listen rr
    bind 127.0.0.1:$rr
    balance roundrobin
    server s1 127.0.0.1:$a
    server s2 127.0.0.1:$b
    server s3 127.0.0.1:$c

listen wrr
    bind 127.0.0.1:$wrr
    balance roundrobin
    server heavy 127.0.0.1:$a weight 2
    server light 127.0.0.1:$b weight 1
CONF

name_server "$a" s1
name_server "$b" s2
name_server "$c" s3
start_hlp "$T/hlp.conf" "$ping"

# N connections to PORT, one name per line in FILE
run_conns() {
	local port=$1 n=$2 file=$3 i
	: >"$file"
	for i in $(seq 1 "$n"); do
		timeout 5 nc 127.0.0.1 "$port" </dev/null >>"$file" || fail "connection $i to $port failed"
	done
	[ "$(wc -l <"$file")" -eq "$n" ] || fail "expected $n answers on port $port, got: $(tr '\n' ' ' <"$file")"
}

run_conns "$rr" 30 "$T/rr"
note "roundrobin: $(tr '\n' ' ' <"$T/rr")"
for s in s1 s2 s3; do
	expect_eq "$(grep -cx "$s" "$T/rr")" 10 "connections to $s out of 30"
done
for k in 0 3 6 9 12 15 18 21 24 27; do
	w=$(sed -n "$((k + 1)),$((k + 3))p" "$T/rr" | sort | tr '\n' ' ')
	expect_eq "$w" "s1 s2 s3 " "servers of connections $((k + 1))-$((k + 3))"
done

# weights 2:1 (the servers answer s1 for "heavy" and s2 for "light")
run_conns "$wrr" 30 "$T/wrr"
note "weighted: $(tr '\n' ' ' <"$T/wrr")"
expect_eq "$(grep -cx s1 "$T/wrr")" 20 "connections to the weight-2 server out of 30"
expect_eq "$(grep -cx s2 "$T/wrr")" 10 "connections to the weight-1 server out of 30"
for k in 0 3 6 9 12 15 18 21 24 27; do
	w=$(sed -n "$((k + 1)),$((k + 3))p" "$T/wrr" | sort | tr '\n' ' ')
	expect_eq "$w" "s1 s1 s2 " "servers of weighted connections $((k + 1))-$((k + 3))"
done
stop_hlp
