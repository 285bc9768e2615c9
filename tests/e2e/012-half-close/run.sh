# Half-close in both directions.
# 1. The client sends 1 MB then shuts its write side: the server must see
#    every byte then EOF (it answers only after EOF, and a second later),
#    and its answer must come back on the half-open connection.
# 2. The server answers, then shuts its write side while still reading:
#    the client must see EOF with its own side still open, and what it
#    sends afterwards must still reach the server.
. "$TOP/tests/lib.sh"

p=$(free_port)
q=$(free_port)
s1=$(free_port)
s2=$(free_port)
cat >"$T/hlp.conf" <<CONF
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s

listen client_shuts
    bind 127.0.0.1:$p
    server s1 127.0.0.1:$s1

listen server_shuts
    bind 127.0.0.1:$q
    server s1 127.0.0.1:$s2
CONF

: >"$T/got"
: >"$T/late"
# answers only once its input is at EOF (appends: the port probes connect too)
bg socat -t 10 TCP-LISTEN:"$s1",bind=127.0.0.1,reuseaddr,fork SYSTEM:"cat >>$T/got; sleep 1; echo done"
wait_port "$s1" 5 || fail "server 1 did not start"
# says bye (read from a file: at its end socat sends FIN), keeps reading
# and appends what it gets to a file
echo bye >"$T/bye.txt"
bg socat -t 10 TCP-LISTEN:"$s2",bind=127.0.0.1,reuseaddr,fork "OPEN:$T/bye.txt,rdonly!!OPEN:$T/late,wronly,append,creat"
wait_port "$s2" 5 || fail "server 2 did not start"
start_hlp "$T/hlp.conf" "$p"
wait_port "$q" 5 || fail "hlproxy did not listen on $q"
: >"$T/got"
: >"$T/late"

# 1. client shuts first
head -c 1048576 /dev/urandom >"$T/payload"
out=$(timeout 15 nc -N 127.0.0.1 "$p" <"$T/payload")
rc=$?
[ $rc -eq 124 ] && fail "client-side half-close: no answer (server never saw EOF?)"
expect_eq "$out" "done" "answer after the client's half-close"
cmp -s "$T/payload" "$T/got" || fail "the server did not get the client's data intact ($(stat -c %s "$T/got") bytes)"
note "client half-close: server got 1 MB + EOF, answer came back"

# 2. server shuts first; the client keeps its side open
exec 3<>/dev/tcp/127.0.0.1/"$q" || fail "cannot connect to $q"
timeout 5 cat <&3 >"$T/bye"
rc=$?
[ $rc -eq 124 ] && fail "server-side half-close: the client never saw EOF"
expect_eq "$(cat "$T/bye")" "bye" "data before the server's FIN"
printf 'late data\n' >&3 || fail "cannot write after the server's FIN"
exec 3>&-
for _ in $(seq 1 100); do
	[ -s "$T/late" ] && break
	sleep 0.05
done
expect_eq "$(cat "$T/late")" "late data" "data sent by the client after the server's FIN"
note "server half-close: client saw EOF, its late data reached the server"
stop_hlp
