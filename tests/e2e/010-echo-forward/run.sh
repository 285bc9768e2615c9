# Plain TCP forwarding to an echo server: a one-line request, a binary
# payload with NUL bytes, and an interactive exchange where each answer
# must come back before the next line is sent (no waiting for EOF).
. "$TOP/tests/lib.sh"

p=$(free_port)
e=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    maxconn 100

defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s

listen echo
    bind 127.0.0.1:$p
    server s1 127.0.0.1:$e
CONF

echo_server "$e"
start_hlp "$T/hlp.conf" "$p"

# one line, half-close at EOF (-N): the echo comes back, then EOF
out=$(printf 'hello proxy\n' | timeout 10 nc -N 127.0.0.1 "$p")
expect_eq "$out" "hello proxy" "one-line echo"

# binary data, NUL bytes and all bytes 0..255
{ for i in 0 1 2 3; do printf '\000\001\002\377\n\r'; done
  for i in $(seq 0 255); do printf "\\$(printf %03o "$i")"; done; } >"$T/bin.in"
timeout 10 nc -N 127.0.0.1 "$p" <"$T/bin.in" >"$T/bin.out"
cmp -s "$T/bin.in" "$T/bin.out" || fail "binary payload altered: $(cmp "$T/bin.in" "$T/bin.out" 2>&1)"
note "binary payload of $(wc -c <"$T/bin.in") bytes intact"

# interactive: request/response over one connection, the client keeps
# its side open between lines
exec 3<>/dev/tcp/127.0.0.1/"$p" || fail "cannot connect to the proxy"
for i in 1 2 3 4 5; do
	printf 'line %d\n' "$i" >&3
	read -r -t 5 line <&3 || fail "no echo for line $i on a kept-open connection"
	expect_eq "$line" "line $i" "interactive echo $i"
done
exec 3>&-

# the proxy is still there and serves a new client
out=$(printf 'again\n' | timeout 10 nc -N 127.0.0.1 "$p")
expect_eq "$out" "again" "echo after the others"
stop_hlp
