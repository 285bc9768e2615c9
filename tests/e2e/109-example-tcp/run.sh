# The TCP example (examples/tcp): the key-value service, and the line
# rewriter in front of a Lua echo service, with its log line. The
# example's ports are replaced by free ones.
. "$TOP/tests/lib.sh"
cd "$T"
p1=$(free_port)
p2=$(free_port)
p3=$(free_port)
cp "$TOP/examples/tcp/tcp.lua" .
sed -e "s/127.0.0.1:10002/127.0.0.1:$p1/" -e "s/127.0.0.1:10003/127.0.0.1:$p2/" \
    -e "s/127.0.0.1:10004/127.0.0.1:$p3/" "$TOP/examples/tcp/tcp.conf" >tcp.conf
grep -q ":1000[234]" tcp.conf && fail "a port of the example was not replaced"
start_hlp tcp.conf "$p1"
wait_port "$p2" 5 || fail "shout listener"

out=$(printf 'SET a 1\nGET a\nGET b\nDEL a\nGET a\nFOO\n' | timeout 10 nc -q1 127.0.0.1 "$p1")
expect_eq "$out" "OK
VALUE 1
NOT_FOUND
OK
NOT_FOUND
ERROR unknown command" "key-value service"
# the store is shared between clients
printf 'SET k shared\n' | timeout 10 nc -q1 127.0.0.1 "$p1" >/dev/null
out=$(printf 'GET k\n' | timeout 10 nc -q1 127.0.0.1 "$p1")
expect_eq "$out" "VALUE shared" "state shared by clients"

out=$(printf 'hello\nworld\n' | timeout 10 nc -q1 127.0.0.1 "$p2")
expect_eq "$out" "HELLO
world" "rewriter"
for _ in $(seq 100); do grep -q "first=" "$T/hlp.log" && break; sleep 0.05; done
expect_grep "^127.0.0.1:[0-9]* first=hello left=12 -- 12$" "$T/hlp.log" "log line"
stop_hlp
