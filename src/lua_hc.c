/*
** lua_hc.c: core.httpclient(), HAProxy's HTTPClient class (get, head,
** put, post, delete taking {url, headers, body, timeout, dst} and giving
** {status, reason, headers, body}). It is written in Lua over the Socket
** class (so it yields, resolves names and speaks TLS as sockets do); the
** response head goes through the strict HTTP/1 parser of h1.c. An
** internal error gives status 0, as in HAProxy, with its reason.
*/

#include "int.h"

#define HC_MAXHDR 101

/*
** parse_head(head): the response head in <head> (status line, fields,
** empty line) parsed as the proxy parses a server's: status, reason, the
** headers (lower-case name -> {[0] = first value, [1] = next...}, as
** HAProxy gives them), the framing ("chunked", "length" or "close") and
** the length. nil and a message when the head is invalid.
*/
static int hc_parse_head(lua_State *L)
{
	struct hlp_h1_hdr hdrs[HC_MAXHDR];
	struct hlp_h1_msg m;
	size_t len, i;
	const char *p = luaL_checklstring(L, 1, &len);

	memset(&m, 0, sizeof(m));
	m.hdrs = hdrs;
	m.maxhdrs = HC_MAXHDR;
	if (hlp_h1_parse_res(p, len, &m) <= 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "invalid response head (%s)", m.err ? m.err : "incomplete");
		return 2;
	}
	lua_pushinteger(L, m.status);
	lua_pushlstring(L, m.reason, m.reason_len);
	lua_newtable(L);
	for (i = 0; i < m.nhdrs; i++) {
		hlp_lua_push_lower(L, hdrs[i].n, hdrs[i].nl);
		lua_pushvalue(L, -1);
		if (lua_rawget(L, -3) != LUA_TTABLE) {
			lua_pop(L, 1);
			lua_newtable(L);
			lua_pushlstring(L, hdrs[i].v, hdrs[i].vl);
			lua_rawseti(L, -2, 0);
			lua_rawset(L, -3);
		} else {
			lua_pushlstring(L, hdrs[i].v, hdrs[i].vl);
			lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
			lua_pop(L, 2);
		}
	}
	if (m.flags & HLP_H1_F_CHUNKED)
		lua_pushliteral(L, "chunked");
	else if (m.flags & HLP_H1_F_CLEN)
		lua_pushliteral(L, "length");
	else
		lua_pushliteral(L, "close");
	lua_pushinteger(L, (lua_Integer)m.clen);
	return 5;
}

/*
** The class, in Lua. Called with parse_head; returns the constructor
** core.httpclient. Sockets come from core.tcp() at call time.
*/
static const char hc_lua[] =
"local parse_head = ...\n"
"local HC = {}\n"
"HC.__index = HC\n"
"local params = { url = 'string', headers = 'table', body = 'string', timeout = 'number', dst = 'string' }\n"
"local function split_url(url)\n"
"  local scheme, rest = url:match('^(%a[%w+.-]*)://(.*)$')\n"
"  if not scheme then return nil, 'invalid url' end\n"
"  scheme = scheme:lower()\n"
"  if scheme ~= 'http' and scheme ~= 'https' then return nil, 'unsupported scheme ' .. scheme end\n"
"  local authority, path = rest:match('^([^/?#]*)([^#]*)')\n"
"  if path == '' then path = '/' end\n"
"  authority = authority:gsub('^.*@', '')\n"
"  local host, port = authority:match('^%[(.-)%]:?(%d*)$')\n"
"  if not host then host, port = authority:match('^([^:]*):?(%d*)$') end\n"
"  if not host or host == '' then return nil, 'invalid url' end\n"
"  if port == '' then port = scheme == 'https' and 443 or 80 end\n"
"  return scheme, host, tonumber(port), path, authority\n"
"end\n"
"local function fail(err) return { status = 0, reason = err, headers = {}, body = '' } end\n"
"local function read_head(s)\n"
"  local lines = {}\n"
"  while true do\n"
"    local l, err = s:receive('*l')\n"
"    if not l then return nil, err end\n"
"    lines[#lines + 1] = l\n"
"    if l == '' then break end\n"
"    if #lines > 200 then return nil, 'response head too large' end\n"
"  end\n"
"  return table.concat(lines, '\\r\\n') .. '\\r\\n'\n"
"end\n"
"local function read_chunked(s)\n"
"  local parts = {}\n"
"  while true do\n"
"    local l, err = s:receive('*l')\n"
"    if not l then return nil, err end\n"
"    local n = tonumber((l:match('^%x+')), 16)\n"
"    if not n then return nil, 'invalid chunk size' end\n"
"    if n == 0 then break end\n"
"    local d, err2 = s:receive(n)\n"
"    if not d then return nil, err2 end\n"
"    parts[#parts + 1] = d\n"
"    l, err = s:receive('*l')\n"
"    if l ~= '' then return nil, err or 'invalid chunk' end\n"
"  end\n"
"  repeat local l, err = s:receive('*l'); if not l then return nil, err end until l == ''\n"
"  return table.concat(parts)\n"
"end\n"
"local function send(self, meth, req)\n"
"  local name = meth:lower()\n"
"  if type(req) ~= 'table' then error(\"'\" .. name .. \"' needs a table as argument\", 3) end\n"
"  for k, v in pairs(req) do\n"
"    if not params[k] then error(\"'\" .. tostring(k) .. \"' invalid parameter name\", 3) end\n"
"    if type(v) ~= params[k] then error(\"invalid parameter in '\" .. k .. \"', must be a \" .. params[k], 3) end\n"
"  end\n"
"  if not req.url then error(\"'\" .. name .. \"' need a 'url' argument\", 3) end\n"
"  local scheme, host, port, path, authority = split_url(req.url)\n"
"  if not scheme then return fail(host) end\n"
"  local s = core.tcp()\n"
"  s:settimeout((req.timeout or 5000) / 1000)\n"
"  local ok, err\n"
"  local dhost, dport = host, port\n"
"  if req.dst then\n"
"    dhost, dport = req.dst:match('^%[?(.-)%]?:(%d+)$')\n"
"    if not dhost then return fail('invalid dst') end\n"
"    dport = tonumber(dport)\n"
"  end\n"
"  if scheme == 'https' then ok, err = s:connect_ssl(dhost, dport, host) else ok, err = s:connect(dhost, dport) end\n"
"  if not ok then s:close(); return fail(err) end\n"
"  local out = { meth .. ' ' .. path .. ' HTTP/1.1', 'host: ' .. authority }\n"
"  local has_host = false\n"
"  for k, v in pairs(req.headers or {}) do\n"
"    local vals = type(v) == 'table' and v or { v }\n"
"    local first = vals[0] ~= nil and 0 or 1\n"
"    for i = first, #vals do\n"
"      if k:lower() == 'host' then has_host = true; out[2] = 'host: ' .. tostring(vals[i])\n"
"      else out[#out + 1] = k .. ': ' .. tostring(vals[i]) end\n"
"    end\n"
"  end\n"
"  if req.body or meth == 'POST' or meth == 'PUT' then out[#out + 1] = 'content-length: ' .. #(req.body or '') end\n"
"  out[#out + 1] = 'connection: close'\n"
"  ok, err = s:send(table.concat(out, '\\r\\n') .. '\\r\\n\\r\\n' .. (req.body or ''))\n"
"  if not ok then s:close(); return fail(err) end\n"
"  local head, status, reason, headers, framing, clen\n"
"  repeat\n"
"    head, err = read_head(s)\n"
"    if not head then s:close(); return fail(err) end\n"
"    status, reason, headers, framing, clen = parse_head(head)\n"
"    if not status then s:close(); return fail(reason) end\n"
"  until status >= 200 or status == 101\n"
"  local body = ''\n"
"  if meth ~= 'HEAD' and status ~= 204 and status ~= 304 then\n"
"    if framing == 'chunked' then body, err = read_chunked(s)\n"
"    elseif framing == 'length' then if clen > 0 then body, err = s:receive(clen) end\n"
"    else body, err = s:receive('*a') end\n"
"    if not body then s:close(); return fail(err) end\n"
"  end\n"
"  s:close()\n"
"  return { status = status, reason = reason, headers = headers, body = body }\n"
"end\n"
"for _, m in ipairs({ 'GET', 'HEAD', 'PUT', 'POST', 'DELETE' }) do\n"
"  HC[m:lower()] = function(self, req) return send(self, m, req) end\n"
"end\n"
"return function() return setmetatable({}, HC) end\n";

/* core.httpclient, added to the core table on top of the stack. */
HLP_PRIVATE void hlp_lua_hc_register(lua_State *L)
{
	if (luaL_loadbuffer(L, hc_lua, sizeof(hc_lua) - 1, "=httpclient") != LUA_OK) {
		lua_pop(L, 1);
		return;
	}
	lua_pushcfunction(L, hc_parse_head);
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		lua_pop(L, 1);
		return;
	}
	lua_setfield(L, -2, "httpclient");
}
