#!/usr/bin/env bash
# Captures for the log, as HAProxy 2.6 makes them: "declare capture
# request|response len N" and "capture request|response header NAME len
# N" number the frontend's request and response slots in order; the
# httplog line shows them as "{a|b|c} {x|y}" between %sq/%bq and the
# request line; %hrl/%hsl list them apart ("-" when empty, "" quoted);
# values are truncated to len, the last field of a name wins, and '|',
# '{', '}', '"', '#', control and non-ASCII bytes are "#XX" encoded. A
# capture in a backend is ignored with a warning; in defaults, or without
# its len, it is refused with the line. The expected lines were written
# by haproxy 2.6.12 for this configuration.
. "$TOP/tests/lib.sh"
cd "$T"
p1=$(free_port)
p2=$(free_port)
og=$(free_port)

cat >h.cfg <<CONF
global
    log stderr format raw local0

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 5s
    timeout server 5s

frontend fe
    bind 127.0.0.1:$p1
    declare capture request len 4
    capture request header Host len 32
    capture request header X-Weird len 12
    capture response header Content-Type len 5
    capture response header X-None len 5
    capture request header User-Agent len 3
    http-request return status 200 content-type text/plain string hi

frontend fe2
    bind 127.0.0.1:$p2
    log-format "%hr|%hs|%hrl|%hsl|%{+Q}hr|%{+Q}hrl|%{+Q}hsl"
    capture request header X-A len 10
    capture request header X-B len 10
    capture response header X-C len 10
    default_backend be

backend be
    capture request header X-Ignored len 3
    server s 127.0.0.1:$og
CONF
start_origin "$og" "$T/origin.log"
start_hlp h.cfg "$p1"
wait_port "$p2" || fail "listener fe2"
expect_grep "parsing \[h.cfg:31\] : 'capture' ignored because backend 'be' has no frontend capability." "$T/hlp.log" "warning for a capture in a backend"

curl -s -o /dev/null -A "curl/x" -H "X-Weird: a|b{c}\"d#e	f€" "http://127.0.0.1:$p1/" || fail "request to fe"
wait_grep 1 'GET / HTTP' "$T/hlp.log" || fail "no log line for fe"
line=$(grep ' fe fe/.*GET / HTTP' "$T/hlp.log")
caps=${line#* 0/0 }
expect_eq "$caps" "{|127.0.0.1:$p1|a#7Cb#7Bc#7D#22d#23e#09f|cur} {|} \"GET / HTTP/1.1\"" "httplog capture blocks"

v='v%7B1%7D%7C%22%23'   # v{1}|"#
curl -s -o /dev/null -H 'X-A: one' -H 'X-A: two' "http://127.0.0.1:$p2/hdr?X-C=$v" || fail "request to fe2"
curl -s -o /dev/null -H 'X-B;' "http://127.0.0.1:$p2/hdr?X-C=0123456789abc" || fail "request 2 to fe2"
curl -s -o /dev/null "http://127.0.0.1:$p2/" || fail "request 3 to fe2"
wait_grep 3 '^\{' "$T/hlp.log" || fail "no log lines for fe2: $(cat "$T/hlp.log")"
expect_eq "$(grep '^{' "$T/hlp.log" | sed -n 1p)" '{two|}|{v#7B1#7D#7C#22#23}|two -|v#7B1#7D#7C#22#23|"{two|}"|"two" ""|"v#7B1#7D#7C#22#23"' "%hr %hs %hrl %hsl, plain and quoted"
expect_eq "$(grep '^{' "$T/hlp.log" | sed -n 2p)" '{|}|{0123456789}|- |0123456789|"{|}"|"" ""|"0123456789"' "an empty header captured, a value truncated"
expect_eq "$(grep '^{' "$T/hlp.log" | sed -n 3p)" '{|}|{}|- -|-|"{|}"|"" ""|""' "nothing captured"

# -vv counts the capture slots per session: fe's 4+2 + 32+2 + 12+2 + 3+2
# request and 5+2 + 5+2 response bytes
if ! is_haproxy; then
	"$HLP" -vv -f h.cfg >vv.out 2>&1
	grep -Eq '^  captures    : [0-9]+ x 73 = [0-9]+ bytes$' vv.out || fail "-vv: no captures line of 73 bytes: $(cat vv.out)"
fi

# a connection that never sent a request has no captures in its line
expect_eq "$(grep -c '0/0 "<BADREQ>"$' "$T/hlp.log")" 1 "the probe's line, without captures"
expect_eq "$(grep -c '^||||||$' "$T/hlp.log")" 1 "the probe's line on fe2, without captures"

# configuration errors, each with its file and line
cfgerr() {
	local name=$1 want=$2
	shift 2
	{ printf 'defaults\n    mode http\n'; printf '%s\n' "$@"; } >"$name.cfg"
	"$HLP" -c -f "$name.cfg" >"$name.out" 2>&1 && fail "$name: accepted"
	grep -Fq -- "$want" "$name.out" || fail "$name: expected '$want' in: $(cat "$name.out")"
}
cfgerr def "parsing [def.cfg:3] : 'capture request' not allowed in 'defaults' section." "    capture request header Host len 3"
cfgerr nolen "parsing [nolen.cfg:4] : 'capture request' expects 'header' <header_name> 'len' <len>." "frontend f" "    capture request header Host" "    bind 127.0.0.1:$p1"
cfgerr what "parsing [what.cfg:4] : 'capture' expects 'cookie' or 'request header' or 'response header'." "frontend f" "    capture body len 3"
cfgerr decldef "'declare' not available in default section" "    declare capture request len 3"
cfgerr declbe "'declare' only available in frontend or listen section" "backend b" "    declare capture request len 3"
cfgerr decldir "'declare capture' requires a direction ('request' or 'response')" "frontend f" "    declare capture len 3"
cfgerr declnolen "'declare capture' requires a capture length ('len')" "frontend f" "    declare capture request 3"
cfgerr declzero "length must be > 0" "frontend f" "    declare capture response len 0"
grep -q "decldir.cfg:4" decldir.out || fail "declare: no file:line in $(cat decldir.out)"
kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
