# tcp-request content rules in HTTP mode: as HAProxy, the frontend's run
# again for each request of a keep-alive connection (once its first bytes
# are there), and a backend's run once the backend is known, before its
# http-request rules. Checked against HAProxy 2.6 too (HLP=/usr/sbin/haproxy).
. "$TOP/tests/lib.sh"

fe=$(free_port)
cat >"$T/rules.lua" <<'LUA'
core.register_action("count", { "tcp-req" }, function(txn)
	local n = txn:get_var("sess.n") or 0
	txn:set_var("sess.n", n + 1)
end)
LUA
cat >"$T/hlp.conf" <<CONF
global
    lua-load $T/rules.lua

defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s

frontend fe
    bind 127.0.0.1:$fe
    tcp-request content lua.count
    tcp-request content set-var(txn.fe) str(fe)
    http-request set-var(txn.order) str(fe-http)
    default_backend be

backend be
    tcp-request content set-var(txn.order) str(be-tcp) if { var(txn.order) -m str fe-http }
    http-request return status 200 content-type text/plain lf-string "n=%[var(sess.n)] fe=%[var(txn.fe)] order=%[var(txn.order)]\n"
CONF
# no conditions in hlproxy yet: the backend rule sets the variable unconditionally
if ! is_haproxy; then
	sed -i 's/ if { var(txn.order) -m str fe-http }//' "$T/hlp.conf"
fi
start_hlp "$T/hlp.conf" "$fe"
out=$(curl -s "http://127.0.0.1:$fe/a" "http://127.0.0.1:$fe/b" "http://127.0.0.1:$fe/c")
expect_eq "$(echo $out)" "n=1 fe=fe order=be-tcp n=2 fe=fe order=be-tcp n=3 fe=fe order=be-tcp" "frontend rules per request, backend tcp rules after the frontend's http rules"
out=$(curl -s "http://127.0.0.1:$fe/d")
expect_eq "$out" "n=1 fe=fe order=be-tcp" "a new connection starts again"
exit 0
