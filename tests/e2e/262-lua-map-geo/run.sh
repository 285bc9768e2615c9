#!/usr/bin/env bash
# The geo example of the 1.6 Lua API (the "Map class" section), run as
# written (geo.lua: the seed's text with its line breaks back): a Map of
# networks loaded in the body, looked up per request from a fetch
# registered with core.register_fetches, used in rules: the country goes
# into X-Country (seen in the reply) and "uk" is redirected. The key is
# the X-Forwarded-For header, else the source address; a miss or an
# address that is not one gives the default "usa".
#
# Compared with HAProxy 2.6.12: 2.6 no longer has the "fhdr" fetch the
# example calls (txn.f:fhdr is nil there), so every call of the fetch
# fails, X-Country is empty and nothing is redirected; hlproxy keeps
# fhdr, so the example works as the 1.6 documentation says. The Map
# lookups themselves are compared with 2.6 in test 261.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/geo.lua" "$CASE/geo.map" .
p_fe=$(free_port)

cat >h.cfg <<CONF
global
   lua-load geo.lua

defaults
   mode http
   timeout client 10s
   timeout server 10s
   timeout connect 5s

frontend fe
   bind 127.0.0.1:$p_fe
   http-request set-header X-Country %[lua.country]
   http-request redirect location https://uk.example.com/ if { req.hdr(x-country) uk }
   http-request return status 200 content-type text/plain lf-string "country=%[req.hdr(x-country)]"
CONF
start_hlp h.cfg "$p_fe"

# what is expected: hlproxy's answer, or 2.6's (see above)
want() { if is_haproxy; then echo "${2:-country=}"; else echo "$1"; fi; }
get() { curl -sS -m 10 "$@" "http://127.0.0.1:$p_fe/" || fail "curl $* failed"; }

expect_eq "$(get)" "$(want country=local)" "no header: the source 127.0.0.1"
expect_eq "$(get -H 'X-Forwarded-For: 10.20.30.40')" "$(want country=private)" "10.20.30.40"
expect_eq "$(get -H 'X-Forwarded-For: 2001:db8::1')" "$(want country=docland)" "2001:db8::1"
expect_eq "$(get -H 'X-Forwarded-For: 8.8.8.8')" "$(want country=usa)" "a miss: the default"
expect_eq "$(get -H 'X-Forwarded-For: unknown')" "$(want country=usa)" "not an address: the default"
loc=$(curl -sS -m 10 -o /dev/null -w '%{http_code} %{redirect_url}' -H 'X-Forwarded-For: 81.2.69.160' "http://127.0.0.1:$p_fe/") \
	|| fail "curl uk failed"
expect_eq "$loc" "$(want "302 https://uk.example.com/" "200 ")" "uk is redirected"
is_haproxy || stop_hlp
