# The "format" of a log target, one UDP target per format, each receiving
# the tcplog line of one session (M below), compared with what HAProxy 2.6
# sends (facility localN, level info = 6):
#   rfc3164   <134>Mmm dd hh:mm:ss TAG[pid]: M          (local0)
#   rfc5424   <142>1 yyyy-mm-ddThh:mm:ss.uuuuuu+hh:mm - TAG pid - - M (local1)
#   short     <6>M           (level only, no facility)
#   timed     <6>yyyy-mm-ddThh:mm:ss.uuuuuu+hh:mm M   (level only, ISO date)
#   iso       yyyy-mm-ddThh:mm:ss.uuuuuu+hh:mm M
#   priority  <174>M         (local5)
#   raw       M
# and "len 100" on an rfc3164 target: the first 100 bytes of the line,
# then the newline; a unix datagram socket target (as /dev/log) gets the
# rfc3164 line with its newline, as over UDP.
. "$TOP/tests/lib.sh"

p=$(free_port)
s=$(free_port)
declare -A U
for f in rfc3164 rfc5424 short timed iso priority raw len; do
	U[$f]=$(free_port)
	: >"$T/u.$f"
	bg socat -u UDP-RECV:"${U[$f]}",bind=127.0.0.1 OPEN:"$T/u.$f",creat,append
done
: >"$T/u.unix"
bg socat -u UNIX-RECV:"$T/log.sock" OPEN:"$T/u.unix",creat,append
for _ in $(seq 1 100); do [ -S "$T/log.sock" ] && break; sleep 0.05; done
[ -S "$T/log.sock" ] || fail "the unix socket receiver did not start"
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0
    log $T/log.sock local0
    log 127.0.0.1:${U[rfc3164]} local0
    log 127.0.0.1:${U[rfc5424]} format rfc5424 local1
    log 127.0.0.1:${U[short]} format short local2
    log 127.0.0.1:${U[timed]} format timed local3
    log 127.0.0.1:${U[iso]} format iso local4
    log 127.0.0.1:${U[priority]} format priority local5
    log 127.0.0.1:${U[raw]} format raw local6
    log 127.0.0.1:${U[len]} len 100 local7

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 10s
    timeout server 10s

listen fe
    bind 127.0.0.1:$p
    server s1 127.0.0.1:$s
CONF

# a server that answers a line: the probe's session and ours are logged
name_server "$s" hello
start_hlp "$T/hlp.conf" "$p"
for _ in $(seq 1 100); do grep -q "] fe fe/" "$T/hlp.log" && break; sleep 0.05; done
grep -q "] fe fe/" "$T/hlp.log" || fail "the probe's session was not logged"
for _ in $(seq 1 100); do [ -s "$T/u.raw" ] && break; sleep 0.05; done
for f in rfc3164 rfc5424 short timed iso priority raw len unix; do : >"$T/u.$f"; done
out=$(timeout 5 nc 127.0.0.1 "$p" </dev/null)
expect_eq "$out" hello "answer"
for _ in $(seq 1 100); do [ "$(grep -c "] fe fe/" "$T/hlp.log")" -ge 2 ] && break; sleep 0.05; done
M=$(grep "] fe fe/" "$T/hlp.log" | sed -n 2p)
[ -n "$M" ] || fail "no log line on stderr"
note "M = $M"
for f in rfc3164 rfc5424 short timed iso priority raw len unix; do
	for _ in $(seq 1 100); do [ -s "$T/u.$f" ] && break; sleep 0.05; done
	[ -s "$T/u.$f" ] || fail "nothing arrived on the $f target"
done

tag='(hlproxy|haproxy)(-asan)?'
iso='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}[+-][0-9]{2}:[0-9]{2}'
# check FORMAT HEADER-REGEX: one line, header as given, then exactly M
check() {
	local line
	line=$(cat "$T/u.$1")
	note "$1: $line"
	[ "$(wc -l <"$T/u.$1")" -eq 1 ] || fail "$1: expected one newline-terminated line"
	echo "$line" | grep -Eq "^$2" || fail "$1: header does not match ^$2: $line"
	expect_eq "$(echo "$line" | sed -E "s/^$2//")" "$M" "$1: message after the header"
}
check rfc3164 '<134>[A-Z][a-z]{2} [ 1-3][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} '"$tag\\[$HLP_PID\\]: "
check rfc5424 "<142>1 $iso - $tag $HLP_PID - - "
check iso "$iso "
check priority '<174>'
check raw ''
check short '<6>'
check timed "<6>$iso "
# len 100: 100 bytes of the rfc3164 line, then the newline
full=$(sed -E 's/^<134>/<190>/' "$T/u.rfc3164")
expect_eq "$(wc -c <"$T/u.len")" 101 "size of the datagram of a 'len 100' target"
expect_eq "$(cat "$T/u.len")" "$(printf %s "$full" | head -c 100)" "a 'len 100' line"
# unix socket: the same datagram as the UDP rfc3164 target (same second)
note "unix: $(cat "$T/u.unix")"
expect_eq "$(tail -c 1 "$T/u.unix" | od -An -c | tr -d ' ')" '\n' "last byte of the unix socket datagram"
expect_eq "$(sed -E 's/^<134>[^]]*\]: //' "$T/u.unix")" "$M" "message of the unix socket datagram"
stop_hlp
