# Routing, checked against HAProxy 2.6.12 (this case passes with
# HLP=/usr/sbin/haproxy too):
# - use_backend with a condition, several in order (the first that holds
#   wins), unless, default_backend when none holds;
# - use_backend %[expr]: a log-format naming the backend per request, with
#   a map converter; a name that is no backend falls to the default;
# - one keep-alive connection whose requests go to different backends;
# - use-server in a backend, before load balancing; a listen section
#   keeps itself as the backend when no use_backend holds.
. "$TOP/tests/lib.sh"
cd "$T"
p=$(free_port); pl=$(free_port); og=$(free_port); og2=$(free_port)
printf 'api.example.com bapi\nwww.example.com bweb\n' >hosts.map
srv() { printf '    server %s 127.0.0.1:%s\n' "$1" "$og"; }
cat >hlp.conf <<CONF
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fe
    bind 127.0.0.1:$p
    acl is_api path_beg /api
    acl is_static path_end .css .js
    use_backend bapi if is_api
    use_backend bstatic if is_static !is_api
    use_backend bweb unless { path_beg / }
    use_backend %[req.hdr(host),lower,map(hosts.map,bnone)] if { req.hdr(host) -m found } !{ req.hdr(host) -m beg 127. }
    default_backend bdef

listen lst
    bind 127.0.0.1:$pl
    use_backend bapi if { path_beg /api }
    use-server s2 if { path_beg /two }
    use-server s1 if { hdr(x-srv) one }
    http-request return status 200 content-type text/plain lf-string "lst %[be_name]" if { path /none }
    server s1 127.0.0.1:$og
    server s2 127.0.0.1:$og2

backend bapi
    http-request return status 200 content-type text/plain string "api"

backend bstatic
    http-request return status 200 content-type text/plain string "static"

backend bweb
    http-request return status 200 content-type text/plain string "web"

backend bdef
    http-request return status 200 content-type text/plain string "def"
CONF
cat >origin.conf <<CONF
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend o
    bind 127.0.0.1:$og
    http-request return status 200 content-type text/plain string "origin s1"
frontend o2
    bind 127.0.0.1:$og2
    http-request return status 200 content-type text/plain string "origin s2"
CONF
bg "$HLP" -f origin.conf
wait_port "$og" 10 || fail "origin did not start"
start_hlp hlp.conf "$p"
wait_port "$pl" 5 || fail "listen did not start"
get() { curl -s "$@"; echo; }
u="http://127.0.0.1:$p"
expect_eq "$(get $u/api/x)" "api" "use_backend if"
expect_eq "$(get $u/a.css)" "static" "use_backend with two ACLs"
expect_eq "$(get $u/api/a.css)" "api" "first rule wins"
expect_eq "$(get $u/x)" "def" "default_backend"
expect_eq "$(get $u/x -H 'Host: API.example.com')" "api" "use_backend %[...] with a map"
expect_eq "$(get $u/x -H 'Host: www.example.com')" "web" "use_backend %[...] with a map (2)"
expect_eq "$(get $u/x -H 'Host: other.example.com')" "def" "dynamic name that is no backend: the default"
got=$(curl -s "$u/api/1" "$u/a.js" "$u/x" "$u/api/2" -w '|%{num_connects}\n' | tr -d '\n')
expect_eq "$got" "api|1static|0def|0api|0" "keep-alive requests routed to different backends"
ul="http://127.0.0.1:$pl"
expect_eq "$(get $ul/two)" "origin s2" "use-server"
expect_eq "$(get $ul/x -H 'x-srv: one')" "origin s1" "use-server on a header"
expect_eq "$(get $ul/two -H 'x-srv: one')" "origin s2" "use-server: the first rule wins"
expect_eq "$(get $ul/api)" "api" "use_backend in a listen"
expect_eq "$(get $ul/none)" "lst lst" "listen: itself as the backend"
is_haproxy || stop_hlp
