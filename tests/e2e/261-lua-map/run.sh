#!/usr/bin/env bash
# The Map class and the core functions that change pattern lists.
# - Map.new in the body under the 1.6 method names (Map.str...) and the
#   current ones (Map._str...), the same numbers as HAProxy (found=0 ...
#   regm=13); str by default; every method: str, beg (longest prefix),
#   sub, dir, dom, end, reg, ip (v4/v6 networks, longest first, a v4-mapped
#   address, a string that is no address misses), int (a number or a string
#   of digits); lookup gives nil and slookup "" on a miss (expected.txt).
# - Errors: a missing file names it, a bad or unsupported method, unknown
#   files for add_acl/set_map/del_map, a wrong argument count, a non-number
#   for an int map; Map.new works in an init function, and at run time
#   (in a service) fails with "cannot load map at runtime".
# - core.add_acl/del_acl change allow.lst, and the next request sees it
#   through "acl allowed path -f allow.lst"; core.set_map (change and add)
#   and core.del_map change dyn.map, seen at once by Map:lookup.
#
# Compared with HAProxy 2.6.12: the same report and the same answers.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE"/*.lua "$CASE"/*.map "$CASE"/allow.lst .
p_fe=$(free_port)

cat >h.cfg <<CONF
global
   lua-load map.lua

defaults
   mode http
   timeout client 10s
   timeout server 10s
   timeout connect 5s

frontend fe
   bind 127.0.0.1:$p_fe
   acl allowed path -f allow.lst
   http-request use-service lua.report if { path /report }
   http-request use-service lua.admin if { path /admin }
   http-request return status 200 content-type text/plain string allowed if allowed
   http-request return status 403 content-type text/plain string denied
CONF
start_hlp h.cfg "$p_fe"

get() { curl -sS -m 10 "http://127.0.0.1:$p_fe$1" || fail "curl $1 failed"; }

get /report >report.txt
diff -u "$CASE/expected.txt" report.txt >report.diff || { cat report.diff >&2; fail "the report differs"; }

# ACL file changed from Lua, seen by the next request's ACL
expect_eq "$(get /open)" allowed "/open in allow.lst"
expect_eq "$(get /new)" denied "/new before add_acl"
get '/admin?add_acl&allow.lst&/new' >/dev/null
get '/admin?add_acl&allow.lst&/new' >/dev/null
expect_eq "$(get /new)" allowed "/new after add_acl"
get '/admin?del_acl&allow.lst&/new' >/dev/null
expect_eq "$(get /new)" denied "/new after del_acl (added twice, one entry)"
get '/admin?del_acl&allow.lst&/open' >/dev/null
expect_eq "$(get /open)" denied "/open after del_acl"

# map file changed from Lua, seen by Map:lookup
expect_eq "$(get '/admin?none&dyn.map&k1')" v1 "k1 at start"
expect_eq "$(get '/admin?set_map&dyn.map&k1&w1')" w1 "k1 after set_map"
expect_eq "$(get '/admin?set_map&dyn.map&k3&v3')" v3 "k3 added by set_map"
expect_eq "$(get '/admin?del_map&dyn.map&k2')" nil "k2 after del_map"
expect_eq "$(get '/admin?none&dyn.map&k3')" v3 "k3 kept"
is_haproxy || stop_hlp
