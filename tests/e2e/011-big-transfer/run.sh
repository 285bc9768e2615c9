# 50 MB of random data through the proxy to an echo server and back: the
# server keeps a copy of what it received, and the sha256 of the original,
# of the server's copy and of the echo the client got must all match.
# Then 20 MB one way only: the server sends a file and closes, the client
# sends nothing and keeps its side open.
. "$TOP/tests/lib.sh"

p=$(free_port)
d=$(free_port)
e=$(free_port)
f=$(free_port)
cat >"$T/hlp.conf" <<CONF
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s

listen echo
    bind 127.0.0.1:$p
    server s1 127.0.0.1:$e

listen download
    bind 127.0.0.1:$d
    server s1 127.0.0.1:$f
CONF

head -c $((50 * 1024 * 1024)) /dev/urandom >"$T/in.bin"
head -c $((20 * 1024 * 1024)) /dev/urandom >"$T/dl.bin"
want=$(sha256sum <"$T/in.bin" | cut -d' ' -f1)
want_dl=$(sha256sum <"$T/dl.bin" | cut -d' ' -f1)
: >"$T/srv.bin"

# an echo server that also records what it receives (tee -a: the port
# probes of wait_port/start_hlp open connections too and must not
# truncate the copy)
bg socat -t 30 TCP-LISTEN:"$e",bind=127.0.0.1,reuseaddr,fork SYSTEM:"tee -a $T/srv.bin"
wait_port "$e" 5 || fail "echo server did not start"
# (the port probes make it write to closed sockets: silence that)
bg socat TCP-LISTEN:"$f",bind=127.0.0.1,reuseaddr,fork SYSTEM:"cat $T/dl.bin" 2>/dev/null
wait_port "$f" 5 || fail "download server did not start"
start_hlp "$T/hlp.conf" "$p"
wait_port "$d" 5 || fail "hlproxy did not listen on $d"

# the client half-closes at the end of its input and reads the echo until
# EOF (-t 60: socat waits that long for the echo after its own EOF)
timeout 120 socat -t 60 -b 65536 - TCP:127.0.0.1:"$p" <"$T/in.bin" >"$T/out.bin"
rc=$?
[ $rc -eq 124 ] && fail "the echo transfer hung"
[ $rc -eq 0 ] || fail "client socat exited with $rc"
size=$(stat -c %s "$T/in.bin")
for _ in $(seq 1 100); do
	[ "$(stat -c %s "$T/srv.bin")" -ge "$size" ] && break
	sleep 0.1
done
note "sent $size, server got $(stat -c %s "$T/srv.bin"), client got $(stat -c %s "$T/out.bin") bytes"
expect_eq "$(sha256sum <"$T/srv.bin" | cut -d' ' -f1)" "$want" "sha256 of what the server received"
expect_eq "$(sha256sum <"$T/out.bin" | cut -d' ' -f1)" "$want" "sha256 of the echo the client received"
rm -f "$T/in.bin" "$T/out.bin" "$T/srv.bin"

# download: the client's stdin is at EOF at once but nc (no -N) keeps its
# write side open; it ends when the proxy forwards the server's close
timeout 60 nc 127.0.0.1 "$d" </dev/null >"$T/dl.out"
rc=$?
[ $rc -eq 124 ] && fail "the download hung"
note "download: got $(stat -c %s "$T/dl.out") of $(stat -c %s "$T/dl.bin") bytes"
expect_eq "$(sha256sum <"$T/dl.out" | cut -d' ' -f1)" "$want_dl" "sha256 of the download"
rm -f "$T/dl.bin" "$T/dl.out"
stop_hlp
