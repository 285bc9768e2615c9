# balance source picks the same server as HAProxy for a given client
# address, so that clients keep their server when HAProxy is replaced by
# hlproxy (or both run side by side). HAProxy's default (hash-type
# map-based, no avalanche) takes the IPv4 address as a 32-bit number,
# modulo the total weight, as an index into its weighted server map.
# Expected mappings for sources 127.0.0.1 .. 127.0.0.12, recorded from
# haproxy 2.6:
#   s1 s2 s3, equal weights      s3 s1 s2 s3 s1 s2 s3 s1 s2 s3 s1 s2
#   s1 weight 2, s2 weight 1     s2 s1 s1 s2 s1 s1 s2 s1 s1 s2 s1 s1
#   weights 1, 2, 3              s3 s1 s3 s2 s3 s2 s3 s1 s3 s2 s3 s2
. "$TOP/tests/lib.sh"

ping=$(free_port)
eq=$(free_port)
w21=$(free_port)
w123=$(free_port)
a=$(free_port)
b=$(free_port)
c=$(free_port)
cat >"$T/hlp.conf" <<CONF
defaults
    mode tcp
    balance source
    timeout connect 2s
    timeout client 10s
    timeout server 10s

listen ping
    bind 127.0.0.1:$ping
    server s1 127.0.0.1:$a

listen eq
    bind 127.0.0.1:$eq
    server s1 127.0.0.1:$a
    server s2 127.0.0.1:$b
    server s3 127.0.0.1:$c

listen w21
    bind 127.0.0.1:$w21
    server s1 127.0.0.1:$a weight 2
    server s2 127.0.0.1:$b weight 1

listen w123
    bind 127.0.0.1:$w123
    server s1 127.0.0.1:$a weight 1
    server s2 127.0.0.1:$b weight 2
    server s3 127.0.0.1:$c weight 3
CONF

name_server "$a" s1
name_server "$b" s2
name_server "$c" s3
start_hlp "$T/hlp.conf" "$ping"

mapping() {
	local i
	for i in $(seq 1 12); do
		timeout 5 nc -s "127.0.0.$i" 127.0.0.1 "$1" </dev/null || echo "-"
	done | paste -sd ' '
}
got_eq=$(mapping "$eq")
got_w21=$(mapping "$w21")
got_w123=$(mapping "$w123")
note "equal:     $got_eq"
note "2,1:       $got_w21"
note "1,2,3:     $got_w123"
expect_eq "$got_eq" "s3 s1 s2 s3 s1 s2 s3 s1 s2 s3 s1 s2" "servers for 127.0.0.1..12, equal weights"
expect_eq "$got_w21" "s2 s1 s1 s2 s1 s1 s2 s1 s1 s2 s1 s1" "servers for 127.0.0.1..12, weights 2 and 1"
expect_eq "$got_w123" "s3 s1 s3 s2 s3 s2 s3 s1 s3 s2 s3 s2" "servers for 127.0.0.1..12, weights 1, 2 and 3"
stop_hlp
