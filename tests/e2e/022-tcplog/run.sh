# option tcplog, one line per session at its end:
#   ip:port [dd/Mmm/yyyy:hh:mm:ss.mmm] fe be/srv Tw/Tc/Tt bytes ts ac/fc/bc/sc/rc sq/bq
# 1. "log stderr format raw local0" in global, "log global": a normal
#    session (client sends 1000 bytes and half-closes, the server then
#    answers 5000 bytes): client ip:port, today's date, names, bytes =
#    5000 (what the server sent to the client), '--', numeric counters.
#    (The counter values are checked by 023-tcplog-counters.)
# 2. option dontlognull: a session where nothing was sent either way is
#    not logged (and is logged without the option).
# 3. a UDP syslog target gets the same line as RFC 3164:
#    <134>Mmm dd hh:mm:ss hlproxy[pid]: ... (local0.info = 134), and a
#    target with level notice gets nothing (sessions log at info).
. "$TOP/tests/lib.sh"
export LC_ALL=C

p=$(free_port)
quiet=$(free_port)
loud=$(free_port)
s=$(free_port)
z=$(free_port)
u=$(free_port)
u2=$(free_port)
cport=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0
    log 127.0.0.1:$u local0
    log 127.0.0.1:$u2 local1 notice

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 10s
    timeout server 10s

listen fe1
    bind 127.0.0.1:$p
    server srv1 127.0.0.1:$s

listen quiet
    bind 127.0.0.1:$quiet
    option dontlognull
    server srv1 127.0.0.1:$z

listen loud
    bind 127.0.0.1:$loud
    server srv1 127.0.0.1:$z
CONF

: >"$T/udp"
: >"$T/udp2"
bg socat -u UDP-RECV:"$u",bind=127.0.0.1 OPEN:"$T/udp",creat,append
bg socat -u UDP-RECV:"$u2",bind=127.0.0.1 OPEN:"$T/udp2",creat,append
# reads until EOF, then answers 5000 bytes
# (2>/dev/null: the port probe makes it write to a closed socket)
bg socat -t 10 TCP-LISTEN:"$s",bind=127.0.0.1,reuseaddr,fork SYSTEM:"cat >/dev/null; head -c 5000 /dev/zero" 2>/dev/null
wait_port "$s" 5 || fail "server did not start"
# never says anything
bg socat -t 10 TCP-LISTEN:"$z",bind=127.0.0.1,reuseaddr,fork SYSTEM:"cat >/dev/null"
wait_port "$z" 5 || fail "silent server did not start"
start_hlp "$T/hlp.conf" "$loud"
# start_hlp's probe: a null session on "loud", logged
for _ in $(seq 1 100); do grep -q "] loud loud/" "$T/hlp.log" && break; sleep 0.05; done
grep -q "] loud loud/" "$T/hlp.log" || fail "the probe's null session was not logged (no dontlognull)"

# 1. a normal session, from a known source port
day1=$(date +%d/%b/%Y)
head -c 1000 /dev/urandom >"$T/req"
timeout 10 nc -N -p "$cport" 127.0.0.1 "$p" <"$T/req" >"$T/resp"
day2=$(date +%d/%b/%Y)
expect_eq "$(stat -c %s "$T/resp")" 5000 "bytes received by the client"
for _ in $(seq 1 100); do grep -q "] fe1 fe1/" "$T/hlp.log" && break; sleep 0.05; done
line=$(grep "] fe1 fe1/" "$T/hlp.log")
note "stderr: $line"
[ "$(echo "$line" | wc -l)" -eq 1 ] || fail "expected one log line for fe1, got: $line"
re='^127\.0\.0\.1:'"$cport"' \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\] fe1 fe1/srv1 [0-9]+/[0-9]+/[0-9]+ 5000 -- [0-9]+/[0-9]+/[0-9]+/[0-9]+/[0-9]+ [0-9]+/[0-9]+$'
echo "$line" | grep -Eq "$re" || fail "log line does not have the tcplog format (source port $cport, fe1/srv1, 5000 bytes, --): $line"
case "$line" in
*"[$day1:"* | *"[$day2:"*) ;;
*) fail "the date in the log line is not today ($day1): $line" ;;
esac

# 2. dontlognull: nc -z connects and closes without sending anything
n_loud=$(grep -c "] loud loud/" "$T/hlp.log")
timeout 5 nc -z 127.0.0.1 "$quiet" || fail "nc -z to 'quiet' failed"
timeout 5 nc -z 127.0.0.1 "$loud" || fail "nc -z to 'loud' failed"
for _ in $(seq 1 100); do [ "$(grep -c "] loud loud/" "$T/hlp.log")" -gt "$n_loud" ] && break; sleep 0.05; done
[ "$(grep -c "] loud loud/" "$T/hlp.log")" -gt "$n_loud" ] || fail "a null session without dontlognull was not logged"
grep -q "] quiet quiet/" "$T/hlp.log" && fail "a null session was logged despite dontlognull: $(grep "] quiet quiet/" "$T/hlp.log")"
note "dontlognull: the null session was not logged"

# 3. syslog over UDP
for _ in $(seq 1 100); do grep -q " fe1 fe1/" "$T/udp" && break; sleep 0.05; done
uline=$(grep " fe1 fe1/" "$T/udp")
note "udp: $uline"
[ -n "$uline" ] || fail "no log line arrived on the UDP target"
hdr='^<134>[A-Z][a-z]{2} [ 1-3][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} (hlproxy|haproxy)(-asan)?\['"$HLP_PID"'\]: '
echo "$uline" | grep -Eq "$hdr" || fail "not an RFC 3164 header (<134>Mmm dd hh:mm:ss hlproxy[$HLP_PID]: ): $uline"
expect_eq "$(echo "$uline" | sed -E "s/$hdr//")" "$line" "message part of the syslog line"
[ -s "$T/udp2" ] && fail "a notice-level target got info-level session logs: $(head -n 3 "$T/udp2")"
stop_hlp
