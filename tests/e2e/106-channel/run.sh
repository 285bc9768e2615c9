#!/usr/bin/env bash
# The Channel class (txn.req / txn.res) in TCP mode, in tcp-request and
# tcp-response Lua actions in front of an echo server: every method under
# its HAProxy 1.6 and current names with its return values (lengths, -1,
# nil once the sender closed), offsets and lengths (negative ones count
# from the end), waiting for data that has not come yet, the inspect-delay
# running out, the other direction's data being off limits (its send is
# allowed), a line rewriter and binary data with NUL bytes surviving.
#
# Compared with HAProxy 2.6.12 (the request-direction read and mod
# scenarios of ch.lua, same configuration plus "mode tcp"): the reading
# functions, set/prepend/insert/remove/forward/get return the same values
# and leave the same data, and line() returns as soon as the '\n' comes.
# HAProxy 2.6 has no 1.6 names (get_line, get_in_length,
# get_out_length); its append() inserts at the start of the input (a bug:
# the documentation says at the end, as here);
# an offset beyond the input (data(50), line(50), remove(100),
# insert("x", 100)) is an error there ("offset out of range."), while here
# reading gives nil and remove() 0 (insert() is an error in both).
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/ch.lua" .

e=$(free_port)
h=$(free_port)
for n in rq rs slow slowres rw bin; do eval "p_$n=\$(free_port)"; done
echo_server "$e"
# a server that says "partial" (no newline) and holds the connection
bg socat -t 10 TCP-LISTEN:"$h",bind=127.0.0.1,reuseaddr,fork SYSTEM:"printf partial; exec cat >/dev/null"
wait_port "$h" 5 || fail "holding server"

cat >ch.cfg <<CONF
global
   lua-load ch.lua
   tune.bufsize 16384
   log stderr format raw local0

defaults
   mode tcp
   timeout client 10s
   timeout server 10s
   timeout connect 5s

listen rq
   bind 127.0.0.1:$p_rq
   tcp-request inspect-delay 5s
   tcp-request content lua.rq
   server echo 127.0.0.1:$e

listen rs
   bind 127.0.0.1:$p_rs
   tcp-response inspect-delay 5s
   tcp-response content lua.rs
   server echo 127.0.0.1:$e

listen slow
   bind 127.0.0.1:$p_slow
   tcp-request inspect-delay 400ms
   tcp-request content lua.slow

listen slowres
   bind 127.0.0.1:$p_slowres
   tcp-response inspect-delay 400ms
   tcp-response content lua.slowres
   server hold 127.0.0.1:$h

listen rw
   bind 127.0.0.1:$p_rw
   tcp-request inspect-delay 5s
   tcp-request content lua.upper
   tcp-response inspect-delay 5s
   tcp-response content lua.prefix
   server echo 127.0.0.1:$e

listen bin
   bind 127.0.0.1:$p_bin
   log global
   log-format "bin fl=%[var(txn.first_line_len)] nuls=%[var(txn.nuls)] set=%[var(txn.set_ret)]"
   tcp-request inspect-delay 5s
   tcp-request content lua.binreq
   tcp-response inspect-delay 5s
   tcp-response content lua.binres
   server echo 127.0.0.1:$e
CONF
start_hlp ch.cfg "$p_rq"
for p in $p_rs $p_slow $p_slowres $p_rw $p_bin; do wait_port "$p" 5 || fail "listener $p"; done

# ask PORT DATA: send DATA (printf format), close our side, print the answer
ask() { printf "$2" | timeout 10 socat -t 5 - TCP:127.0.0.1:"$1"; }
: >"$T/hlp.log"

# ms: a clock in milliseconds
ms() { echo $(( $(date +%s%N) / 1000000 )); }

# check NAME GOT: compare with the expected block in $CASE/expect/NAME
# (GEN=1 rewrites the expected files from what came: review them after)
check() {
	printf '%s\n' "$2" >"got.$1"
	[ -n "${GEN:-}" ] && cp "got.$1" "$CASE/expect/$1"
	diff -u "$CASE/expect/$1" "got.$1" >"diff.$1" || { cat "diff.$1" >&2; fail "$1: unexpected report (diff above)"; }
}

# every method under every name, in both directions
for dir in rq rs; do
	eval "port=\$p_$dir"
	check "$dir-names" "$(ask "$port" 'names\n')"
	check "$dir-read" "$(ask "$port" 'read\nhello\nworld\n')"
	check "$dir-opp" "$(ask "$port" 'opp\n')"
done
# a full buffer: what fits no more gives -1
check rq-full "$( { printf 'full\n'; head -c 20000 /dev/zero | tr '\0' z; } | timeout 10 socat -t 5 - TCP:127.0.0.1:"$p_rq")"
# changes: in the request direction the report comes first, then the
# echo of what the rules left ("body\n" forwarded, "sent\n" sent after
# it, "tail\n" still input when the action returned)
check rq-mod "$(ask "$p_rq" 'mod\n0123456789')"
# in the response direction, the report is sent after the forwarded and
# sent data, before the input left
check rs-mod "$(ask "$p_rs" 'mod\n0123456789')"

# waiting for data in a request action: the client sends the next part
# only once the action says it waits (it says so just before waiting)
exec {fd}<>/dev/tcp/127.0.0.1/"$p_rq" || fail "connect rq"
printf 'wait\nab' >&"$fd"
read -r -t 5 l <&"$fd" || fail "wait: no ready1"
expect_eq "$l" "ready1" "wait: first step"
printf 'cd\nxy' >&"$fd"
read -r -t 5 l <&"$fd" || fail "wait: no ready2"
expect_eq "$l" "ready2" "wait: second step"
printf '12' >&"$fd"
sleep 0.1
printf '34' >&"$fd"
read -r -t 5 l <&"$fd" || fail "wait: no ready3"
expect_eq "$l" "ready3" "wait: third step"
printf '56' >&"$fd"
got=$(timeout 10 cat <&"$fd")
exec {fd}>&-
check rq-wait "$got"

# a response action sends to the server and reads its echo
exec {fd}<>/dev/tcp/127.0.0.1/"$p_rs" || fail "connect rs"
printf 'ping\n' >&"$fd"
got=$(timeout 10 cat <&"$fd")
exec {fd}>&-
check rs-ping "$got"

# the inspect-delay runs out: line() gives the partial line, and nothing
# waits any more (the client holds its side open)
exec {fd}<>/dev/tcp/127.0.0.1/"$p_slow" || fail "connect slow"
printf 'partial' >&"$fd"
got=$(timeout 10 cat <&"$fd")
exec {fd}>&-
check slow "$got"
# the same in the response direction (the server holds its side open)
exec {fd}<>/dev/tcp/127.0.0.1/"$p_slowres" || fail "connect slowres"
got=$(timeout 10 cat <&"$fd")
exec {fd}>&-
check slowres "$got"

# a line rewriter: request lines upper-cased (plus a count), response
# lines numbered; no waiting for the inspect-delays (5 s)
t0=$(ms)
got=$(ask "$p_rw" 'one\ntwo\nthree\n')
t1=$(ms)
expect_eq "$got" "01> ONE
02> TWO
03> THREE
04> LINES 3" "line rewriter"
[ $((t1 - t0)) -lt 3000 ] || fail "line rewriter: took $((t1 - t0)) ms (woken only by the inspect-delay?)"
# the same with the request sent in pieces
got=$( { printf 'fir'; sleep 0.1; printf 'st\nsec'; sleep 0.1; printf 'ond\n'; } | timeout 10 socat -t 5 - TCP:127.0.0.1:"$p_rw")
expect_eq "$got" "01> FIRST
02> SECOND
03> LINES 2" "line rewriter, request in pieces"

# binary data: every byte value 16 times, reversed by the request
# action, echoed, reversed again by the response action
for i in $(seq 0 255); do printf "\\$(printf %03o "$i")"; done >byte256
for i in $(seq 16); do cat byte256; done >bin.in
[ "$(wc -c <bin.in)" -eq 4096 ] || fail "bin.in is not 4096 bytes"
timeout 10 socat -t 5 - TCP:127.0.0.1:"$p_bin" <bin.in >bin.out
cmp bin.in bin.out || { od -c bin.out | head >&2; fail "binary data changed"; }
for _ in $(seq 100); do grep -q "^bin fl=[0-9]" "$T/hlp.log" && break; sleep 0.05; done
# the first line (bytes 0..10), 16 NUL bytes, set() copied 4096 bytes
expect_grep "^bin fl=11 nuls=16 set=4096$" "$T/hlp.log" "binary data seen by the actions"

grep -q "runtime error" "$T/hlp.log" && fail "unexpected Lua error"
kill -0 "$HLP_PID" || fail "the proxy died"
stop_hlp
exit 0
