# Disabled and backup servers (balance roundrobin, servers answer their
# name and close), 6 connections per section:
# - an active server and a backup: all go to the active one;
# - a disabled server and an active one: all go to the active one;
# - active server disabled, two backups, "option allbackups": the backups
#   share the load (3 each);
# - active server disabled, the first backup disabled too: the second
#   backup takes everything;
# - active server disabled, two backups, no allbackups: as HAProxy
#   documents and does, only the first backup is used (6 to b1).
. "$TOP/tests/lib.sh"

ping=$(free_port)
act=$(free_port)
dis=$(free_port)
allb=$(free_port)
second=$(free_port)
firstb=$(free_port)
a=$(free_port)
b=$(free_port)
c=$(free_port)
d=$(free_port)
cat >"$T/hlp.conf" <<CONF
defaults
    mode tcp
    balance roundrobin
    timeout connect 2s
    timeout client 10s
    timeout server 10s

listen ping
    bind 127.0.0.1:$ping
    server a 127.0.0.1:$a

listen act
    bind 127.0.0.1:$act
    server s1 127.0.0.1:$a
    server b1 127.0.0.1:$c backup

listen dis
    bind 127.0.0.1:$dis
    server s1 127.0.0.1:$a disabled
    server s2 127.0.0.1:$b

listen allb
    bind 127.0.0.1:$allb
    option allbackups
    server s1 127.0.0.1:$a disabled
    server b1 127.0.0.1:$c backup
    server b2 127.0.0.1:$d backup

listen second
    bind 127.0.0.1:$second
    server s1 127.0.0.1:$a disabled
    server b1 127.0.0.1:$c backup disabled
    server b2 127.0.0.1:$d backup

listen firstb
    bind 127.0.0.1:$firstb
    server s1 127.0.0.1:$a disabled
    server b1 127.0.0.1:$c backup
    server b2 127.0.0.1:$d backup
CONF

name_server "$a" s1
name_server "$b" s2
name_server "$c" b1
name_server "$d" b2
start_hlp "$T/hlp.conf" "$ping"

# dist PORT: the answers of 6 connections, counted: "2 b1 4 b2"
dist() {
	local i
	for i in 1 2 3 4 5 6; do
		timeout 5 nc 127.0.0.1 "$1" </dev/null || echo "(none)"
	done | sort | uniq -c | awk '{print $1 " " $2}' | paste -sd ' '
}

expect_eq "$(dist "$act")" "6 s1" "active server and a backup"
expect_eq "$(dist "$dis")" "6 s2" "a disabled server and an active one"
expect_eq "$(dist "$allb")" "3 b1 3 b2" "two backups with option allbackups"
expect_eq "$(dist "$second")" "6 b2" "first backup disabled"
expect_eq "$(dist "$firstb")" "6 b1" "two backups without allbackups (only the first is used)"
stop_hlp
