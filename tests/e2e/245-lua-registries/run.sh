#!/usr/bin/env bash
# Lua registries, as HAProxy 2.6 keeps them: one per action type
# (tcp-req, tcp-res, http-req, http-res), so the same name registered for
# http-req (with an argument) and then for http-res (without) stands
# twice, each with its own function and argument count, in both orders;
# fetches and converters apart. A second registration in the same
# registry replaces the function with HAProxy's warning "Trying to
# register <kind> 'lua.<name>' more than once. ...". Services have one
# registry in 2.6 (tcp and http together).
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/reg.lua" .
p=$(free_port)

cat >h.cfg <<CONF
global
    lua-load reg.lua

defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s

frontend fe
    bind 127.0.0.1:$p
    http-request lua.cors example.com
    http-request lua.rev a b
    http-request lua.both
    http-request lua.twice
    http-response lua.cors
    http-response lua.rev
    http-response lua.both
    http-response set-header x-same %[lua.same,lua.same]
    http-response set-header x-fx %[lua.fx]
    http-request use-service lua.svc
CONF
start_hlp h.cfg "$p"

for k in action:twice action:both service:svc sample-fetch:fx; do
	grep -Fq "Trying to register ${k%%:*} 'lua.${k#*:}' more than once. This will become a hard error in version 2.5." "$T/hlp.log" ||
		fail "no warning for the second '${k#*:}' ${k%%:*}: $(cat "$T/hlp.log")"
done
for n in cors rev same; do
	grep -q "lua.$n'" "$T/hlp.log" && fail "a warning for '$n', registered once per registry: $(cat "$T/hlp.log")"
done

out=$(curl -s -i "http://127.0.0.1:$p/" | tr -d '\r')
hdr() { echo "$out" | grep -i "^$1:" | cut -d' ' -f2-; }
expect_eq "$(hdr x-cors)" "example.com" "http-req action with 1 argument, then http-res with none"
expect_eq "$(hdr x-rev)" "res" "http-res action registered first"
expect_eq "$(hdr x-both)" "first+second" "both kinds at once, then http-res replaced"
expect_eq "$(hdr x-same)" "fetch+conv" "a fetch and a converter of one name"
expect_eq "$(hdr x-fx)" "two" "a fetch registered twice: the second"
expect_eq "$(echo "$out" | tail -n 1)" "ab second" "http-req with 2 arguments registered second; an overridden action; an overridden service"

# an action is only known for the rule sets it was registered for
cat >bad.cfg <<CONF
global
    lua-load reg.lua
defaults
    mode http
frontend fe
    bind 127.0.0.1:$p
    http-response lua.twice
CONF
"$HLP" -c -f bad.cfg >bad.out 2>&1 && fail "http-response lua.twice (an http-req action) was accepted"
grep -q "bad.cfg:7" bad.out || fail "the error does not name bad.cfg:7: $(cat bad.out)"
kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
