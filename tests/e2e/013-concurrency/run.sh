# 200 clients at once through the proxy to an echo server, each with its
# own payload (an id and 8 KB of random text): every client must get
# exactly its own payload back.
. "$TOP/tests/lib.sh"

N=200
p=$(free_port)
e=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    maxconn 1000

defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s

listen echo
    bind 127.0.0.1:$p
    server s1 127.0.0.1:$e
CONF

# the echo server waits up to 30 s for cat's output after the client's EOF
# (socat's default of 0.5 s loses echoes when 200 cats start at once)
bg socat -t 30 TCP-LISTEN:"$e",bind=127.0.0.1,reuseaddr,fork,backlog=512 EXEC:cat
wait_port "$e" 5 || fail "echo server did not start"
start_hlp "$T/hlp.conf" "$p"

for i in $(seq 1 $N); do
	{ echo "client $i"; head -c 6000 /dev/urandom | base64; echo "end of client $i"; } >"$T/in.$i"
done
pids=""
for i in $(seq 1 $N); do
	timeout 60 nc -N 127.0.0.1 "$p" <"$T/in.$i" >"$T/out.$i" &
	pids="$pids $!"
done
rcs=0
for pid in $pids; do wait "$pid" || rcs=$((rcs + 1)); done
bad=0
for i in $(seq 1 $N); do
	cmp -s "$T/in.$i" "$T/out.$i" || { bad=$((bad + 1)); [ $bad -le 5 ] && note "client $i: got $(stat -c %s "$T/out.$i") of $(stat -c %s "$T/in.$i") bytes"; }
done
[ $bad -eq 0 ] || fail "$bad of $N clients did not get their payload back ($rcs clients exited non-zero)"
[ $rcs -eq 0 ] || fail "$rcs clients exited non-zero"
note "$N concurrent clients each got their own payload back"

# and the proxy still serves
out=$(printf 'still here\n' | timeout 10 nc -N 127.0.0.1 "$p")
expect_eq "$out" "still here" "echo after the burst"
stop_hlp
