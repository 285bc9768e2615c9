# Socket:connect with host names, resolved without blocking by the
# runtime resolver (a "resolvers" section naming the DNS server of test
# 296, started here on 127.0.0.1): a name the server answers with
# 127.0.0.1, "host:port" and (host, port) forms, a name from the hosts
# file (HLP_HOSTS_FILE), NXDOMAIN, a server that never answers (the
# socket's timeout), and a second lookup answered from the cache (one
# query only). hlproxy only: HAProxy 2.6 cannot resolve names at run time.
. "$TOP/tests/lib.sh"
if is_haproxy; then
	note "hlproxy only"
	exit 0
fi
cd "$T"
p=$(free_port); ep=$(free_port)
bg python3 "$TOP/tests/e2e/296-dns/dnsd.py" "$T/dns.port" "$T/dns.log"
for _ in $(seq 100); do [ -s "$T/dns.port" ] && break; sleep 0.05; done
dp=$(cat "$T/dns.port") || fail "DNS server did not start"
printf '127.0.0.1 fromhosts.test\n' >hosts
export HLP_HOSTS_FILE="$T/hosts"
cat >dns.lua <<'LUA'
local function try(addr, port)
	local s = core.tcp()
	s:settimeout(1)
	local ok, err
	if port then ok, err = s:connect(addr, port) else ok, err = s:connect(addr) end
	if not ok then return "err:" .. tostring(err) end
	s:send("ping\n")
	local l, e = s:receive("*l")
	s:close()
	return l or ("recv:" .. tostring(e))
end
core.register_service("dns", "http", function(applet)
	local ep = applet.qs
	local out = {
		try("loop.test", tonumber(ep)),
		try("loop.test:" .. ep),
		try("fromhosts.test", tonumber(ep)),
		try("nx.test", tonumber(ep)),
		try("silent.test", tonumber(ep)),
		try("loop.test", tonumber(ep)),
	}
	local body = table.concat(out, "|")
	applet:set_status(200)
	applet:add_header("content-length", #body)
	applet:start_response()
	applet:send(body)
end)
LUA
cat >hlp.conf <<CONF
global
    lua-load dns.lua

resolvers local
    nameserver ns1 127.0.0.1:$dp
    timeout retry 200ms
    resolve_retries 2

defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fe
    bind 127.0.0.1:$p
    http-request use-service lua.dns
CONF
echo_server "$ep"
start_hlp hlp.conf "$p"
got=$(curl -s --max-time 10 "http://127.0.0.1:$p/?$ep")
expect_eq "$got" "ping|ping|ping|err:NXDOMAIN|err:timeout|ping" "connect by name"
expect_eq "$(grep -c '^loop.test 1$' "$T/dns.log")" 1 "the second lookup came from the cache"
stop_hlp
