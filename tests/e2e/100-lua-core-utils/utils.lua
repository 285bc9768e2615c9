-- core utilities, written to run unchanged under HAProxy 2.6 (used to
-- write the expected values in run.sh) and hlproxy. Each "utils" action
-- answers one "name=value" line per check.

local function tv(v)
	if type(v) == "string" then return string.format("%q", v) end
	return (math.type(v) or type(v)) .. ":" .. tostring(v)
end

-- pcall(f, ...) as one printable value: its results, or "error: msg"
local function try(f, ...)
	local r = table.pack(pcall(f, ...))
	if not r[1] then return "error: " .. tostring(r[2]) end
	local out = {}
	for i = 2, r.n do out[#out + 1] = tv(r[i]) end
	return #out > 0 and table.concat(out, ", ") or "(nothing)"
end

local function list(t)
	local out = {}
	for i = 1, #t do out[i] = string.format("%q", t[i]) end
	return "{" .. table.concat(out, ",") .. "}"
end

local function sorted_keys(t)
	local ks = {}
	for k in pairs(t) do ks[#ks + 1] = k end
	table.sort(ks)
	return ks
end

local dates = {
	"Sun, 06 Nov 1994 08:49:37 GMT",
	"Sunday, 06-Nov-94 08:49:37 GMT",
	"Sun Nov  6 08:49:37 1994",
	"Sun Nov 06 08:49:37 1994",
	"Thu, 01 Jan 1970 00:00:00 GMT",
	"Wed, 31 Dec 1969 23:59:59 GMT",
	"Tue, 29 Feb 2000 00:00:00 GMT",
	"Tue, 19 Jan 2038 03:14:07 GMT",
	"Mon, 06 Nov 1994 08:49:37 GMT",    -- the week day is not checked
	"Sun, 06 Nov 1994 24:00:00 GMT",    -- fields just add up
	"Sun, 31 Feb 1994 08:49:37 GMT",
	"Sun, 00 Nov 1994 99:99:99 GMT",
	"Sun, 06 Nov 1994 08:49:37 GMT trailing",
	"Sun, 06 Nov 1994 08:49:37 UTC",
	"Sun, 6 Nov 1994 08:49:37 GMT",
	"sun, 06 nov 1994 08:49:37 GMT",
	"Sun,  06 Nov 1994 08:49:37 GMT",
	" Sun, 06 Nov 1994 08:49:37 GMT",
	"Sun, 06 Nov 94 08:49:37 GMT",
	"Sun, 06 Nov 1994 8:49:37 GMT",
	"Sun, 06 Nov 1994 08:49:37",
	"Sunday, 06-Nov-1994 08:49:37 GMT",
	"Sunday, 06-Nov-00 08:49:37 GMT",
	"Sunday, 06-Nov-37 08:49:37 GMT",
	"Sunday, 06-Nov-61 08:49:37 GMT",
	"Sunday, 06-Nov-69 08:49:37 GMT",
	"Sunday, 06-Nov-994 08:49:37 GMT",
	"Sun, 06-Nov-94 08:49:37 GMT",
	"Sundae, 06-Nov-94 08:49:37 GMT",
	"Sun Nov 6 08:49:37 1994",
	"Sun Nov  6 08:49:37 94",
	"Sun Nov  6 08:49:37 19945",
	"Sun  Nov  6 08:49:37 1994",
	"",
	"garbage",
}

local tokens = {
	{ "a,b,c", "," }, { "a,,b", "," }, { ",a,b,", "," }, { "", "," }, { ",,", "," },
	{ "a b;c", " ;" }, { "abc", "" }, { "a\0b,c", "," },
	{ "a,,b", ",", true }, { ",a,b,", ",", true }, { "", ",", true },
	{ " a  b ", " ", true }, { " a  b ", " ", false }, { "a,;b", ",;", true },
}

local addrs = {
	"1.2.3.4", "1.2.3.0/24", "10.0.0.0/8", "0.0.0.0/0", "1.2.3.4/32",
	"1.2.3.4/255.255.255.0", "::1", "2001:db8::/32", "::ffff:1.2.3.4",
	"1.2.3.4/33", "::1/129", "256.1.1.1", "1.2.3.4/", "1.2.3.4/8x",
	"1.2.3.4:80", "[::1]", "fe80::1%eth0", "garbage", "",
}

local matches = {
	{ "1.2.3.4", "1.2.3.4" }, { "1.2.3.4", "1.2.3.5" },
	{ "1.2.3.0/24", "1.2.3.4" }, { "1.2.3.4", "1.2.3.0/24" },
	{ "1.2.3.0/24", "1.2.4.1" }, { "10.0.0.0/8", "10.1.0.0/16" },
	{ "10.1.2.3/16", "10.1.9.9/24" }, { "10.1.2.3/16", "10.1.9.9/17" },
	{ "1.2.3.4/24", "1.2.3.4" }, { "0.0.0.0/0", "9.9.9.9" },
	{ "1.2.3.4/255.255.0.0", "1.2.0.0/16" },
	{ "2001:db8::/32", "2001:db8::1" }, { "2001:db8::/32", "2001:db9::1" },
	{ "2001:db8::1/126", "2001:db8::2/126" }, { "2001:db8::1/127", "2001:db8::2/127" },
	{ "::ffff:1.2.3.4", "1.2.3.4" }, { "::/0", "1.2.3.4" },
}

local function run_utils(say)
	for _, f in ipairs({ "http_date", "imf_date", "rfc850_date", "asctime_date" }) do
		for _, d in ipairs(dates) do
			say(string.format("%s(%q)=%s", f, d, try(core[f], d)))
		end
	end
	say("http_date()=" .. (try(core.http_date):gsub("'%?'", "'http_date'")))

	for _, t in ipairs(tokens) do
		local ok, r = pcall(core.tokenize, table.unpack(t, 1, #t))
		say(string.format("tokenize(%q,%q,%s)=%s", t[1], t[2], tostring(t[3]),
			ok and list(r) or "error: " .. r))
	end
	say("tokenize(4 args)=" .. list(core.tokenize("xax", "x", true, nil)))
	say("tokenize(explicit nil)=" .. (try(core.tokenize, "a", ",", nil):gsub("'%?'", "'tokenize'")))

	local parsed = {}
	for _, a in ipairs(addrs) do
		local r = core.parse_addr(a)
		parsed[a] = r
		say(string.format("parse_addr(%q)=%s mt=%s", a, type(r), tostring(getmetatable(r))))
	end
	for _, m in ipairs(matches) do
		local a = parsed[m[1]] or core.parse_addr(m[1])
		local b = parsed[m[2]] or core.parse_addr(m[2])
		say(string.format("match_addr(%s,%s)=%s", m[1], m[2], tostring(core.match_addr(a, b))))
	end
	say("match_addr(strings)=" .. tostring(core.match_addr("1.2.3.4", "1.2.3.4")))
	say("match_addr(one)=" .. tostring(core.match_addr(parsed["1.2.3.4"])))

	local c = core.concat()
	say("concat type=" .. type(c) .. " tostring=" .. tostring(tostring(c):match("^Concat object: 0x%x+$") ~= nil))
	say("concat empty=" .. try(c.dump, c))
	say("concat add=" .. try(c.add, c, "ab"))
	c:add(12)
	c:add("n\0ul")
	c:add("")
	say("concat dump=" .. try(c.dump, c))
	say("concat add nil=" .. (try(c.add, c, nil):gsub("'%?'", "'add'")))
	local big = core.concat()
	for i = 1, 5000 do big:add(string.format("%04d,", i % 10000)) end
	local s = big:dump()
	say("concat big=" .. #s .. " " .. s:sub(1, 10) .. "..." .. s:sub(-10))

	local t0 = os.time()
	local n = core.now()
	say(string.format("now types=%s %s", math.type(n.sec), math.type(n.usec)))
	say("now sane=" .. tostring(math.abs(n.sec - t0) <= 2 and n.usec >= 0 and n.usec < 1000000))
	local n2 = core.now()
	say("now monotonic=" .. tostring(n2.sec * 1000000 + n2.usec >= n.sec * 1000000 + n.usec))

	local info = core.get_info()
	for _, k in ipairs({ "Name", "Version", "Pid", "Uptime", "Uptime_sec", "Maxconn",
	                     "CurrConns", "CumConns", "Nbthread", "Nbproc", "Process_num",
	                     "Hard_maxconn", "Start_time_sec", "PoolAlloc_MB", "PoolUsed_MB",
	                     "Memmax_MB", "Ulimit-n", "Listeners", "Stopping", "node" }) do
		say("info " .. k .. " type=" .. (math.type(info[k]) or type(info[k])))
	end
	say("info Maxconn=" .. tostring(info.Maxconn))
	say("info CurrConns>=1 " .. tostring(info.CurrConns >= 1))
	say("info CumConns>=CurrConns " .. tostring(info.CumConns >= info.CurrConns))
	say("info Pid>1 " .. tostring(info.Pid > 1))
	say("info Uptime format " .. tostring(info.Uptime:match("^%d+d %d+h%d%dm%d%ds$") ~= nil))
	say("info Uptime_sec sane " .. tostring(info.Uptime_sec >= 0 and info.Uptime_sec < 600))
	say("info Start_time_sec sane " .. tostring(math.abs(info.Start_time_sec + info.Uptime_sec - os.time()) <= 2))
	say("info Process_num=" .. tostring(info.Process_num) .. " Nbproc=" .. tostring(info.Nbproc))

	for _, tn in ipairs({ "proxies", "frontends", "backends" }) do
		local t = core[tn]
		say(tn .. " type=" .. type(t) .. " same=" .. tostring(core[tn] == t))
		for _, k in ipairs(sorted_keys(t)) do
			local p = t[k]
			local srv = {}
			for _, sk in ipairs(sorted_keys(p.servers)) do
				local sv = p.servers[sk]
				srv[#srv + 1] = string.format("%s(name=%s puid=%s weight=%s maxconn=%s tostring=%s)", sk,
					tv(sv.name), tv(sv.puid), tv(sv:get_weight()), tv(sv:get_maxconn()), tostring(sv))
			end
			say(string.format("%s[%s] type=%s name=%s uuid=%s cap=%s mode=%s tostring=%s servers={%s}",
				tn, k, type(p), tv(p.name), tv(p.uuid), tv(p:get_cap()), tv(p:get_mode()),
				tostring(p), table.concat(srv, " ")))
		end
	end
end

-- hlproxy only: methods of the current API that 2.6 lacks, and what
-- hlproxy does on purpose differently from HAProxy 2.6
local function run_hlproxy(say)
	local p = core.proxies.be
	say("get_name=" .. try(p.get_name, p) .. " get_uuid=" .. try(p.get_uuid, p))
	local s = p.servers.b2
	say("srv get_name=" .. try(s.get_name, s) .. " get_puid=" .. try(s.get_puid, s) ..
		" get_cur_sess=" .. try(s.get_cur_sess, s))
	say("get_cap bad self=" .. try(p.get_cap, {}))
	say("get_weight on a proxy=" .. try(s.get_weight, p))
	for _, v in ipairs({ -1025, -1024, 0, 1024, 1025 }) do
		say("set_nice(" .. v .. ")=" .. try(core.set_nice, v))
	end
	say("set_nice()=" .. try(core.set_nice))
	say("add_acl=" .. try(core.add_acl, "/etc/x.acl", "k"))
	say("del_acl=" .. try(core.del_acl, "/etc/x.acl", "k"))
	say("set_map=" .. try(core.set_map, "/etc/x.map", "k", "v"))
	say("del_map=" .. try(core.del_map, "/etc/x.map", "k"))
	-- HAProxy 2.6 wraps to 32 bits, resolves names and reads inet_aton forms
	say("imf_date(2040)=" .. try(core.imf_date, "Sun, 06 Nov 2040 00:00:00 GMT"))
	say("rfc850_date(-38)=" .. try(core.rfc850_date, "Sunday, 06-Nov-38 08:49:37 GMT"))
	for _, a in ipairs({ "localhost", "127.1", "10.0.0.010", "1.2.3.4/+8" }) do
		say(string.format("parse_addr(%q)=%s", a, type(core.parse_addr(a))))
	end
	say("match_addr(foreign userdata)=" .. tostring(core.match_addr(io.stdout, io.stdout)))
	say("concat bad self=" .. try(core.concat().add, {}, "x"))
end

core.register_action("utils", { "tcp-req" }, function(txn)
	local out = {}
	local function say(line) out[#out + 1] = line end
	run_utils(say)
	if core.get_info().Name == "hlproxy" then run_hlproxy(say) end
	txn.res:send(table.concat(out, "\n") .. "\n")
	txn:done()
end)

-- the server "echo" of backend "fwd" and the connection counters, while a
-- client is being forwarded to it
core.register_action("cursess", { "tcp-req" }, function(txn)
	local s = core.backends.fwd.servers.echo
	local info = core.get_info()
	local cur = s.get_cur_sess and s:get_cur_sess() or s:get_stats().scur
	txn.res:send(string.format("cur_sess=%d CurrConns=%d\n", cur, info.CurrConns))
	txn:done()
end)
