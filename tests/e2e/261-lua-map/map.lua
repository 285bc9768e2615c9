-- 261: the Map class and core.add_acl/del_acl/set_map/del_map.
-- Maps are made in the body, under the 1.6 names (Map.str) and the
-- current ones (Map._str); the service "report" prints lookups, the
-- service "admin" changes the lists and looks them up again.
local M = {
	str = Map.new("str.map", Map.str), _str = Map.new("str.map", Map._str),
	dflt = Map.new("str.map"),
	beg = Map.new("beg.map", Map.beg), _beg = Map.new("beg.map", Map._beg),
	sub = Map.new("sub.map", Map.sub), _sub = Map.new("sub.map", Map._sub),
	dir = Map.new("dir.map", Map.dir), _dir = Map.new("dir.map", Map._dir),
	dom = Map.new("dom.map", Map.dom), _dom = Map.new("dom.map", Map._dom),
	["end"] = Map.new("end.map", Map["end"]), _end = Map.new("end.map", Map._end),
	reg = Map.new("reg.map", Map.reg), _reg = Map.new("reg.map", Map._reg),
	ip = Map.new("ip.map", Map.ip), _ip = Map.new("ip.map", Map._ip),
	int = Map.new("int.map", Map.int), _int = Map.new("int.map", Map._int),
	dyn = Map.new("dyn.map", Map._str),
}
local notes = {}
local function note(s) notes[#notes + 1] = s end

-- the method numbers, as HAProxy numbers them
for _, n in ipairs({ "found", "bool", "int", "ip", "bin", "len", "str", "beg",
                     "sub", "dir", "dom", "end", "reg", "regm" }) do
	note("const " .. n .. "=" .. tostring(Map[n]) .. " _" .. n .. "=" .. tostring(Map["_" .. n]))
end

-- errors in the body (only the message after "file:line:" is kept)
local function err(f, ...)
	local ok, e = pcall(f, ...)
	if ok then return "no error" end
	return (tostring(e):gsub("^[^:]*:%d+: ", ""))
end
note("missing: " .. err(Map.new, "missing.map", Map.str))
note("badmethod: " .. err(Map.new, "str.map", 99))
note("bin: " .. err(Map.new, "str.map", Map.bin))
note("add_acl unknown: " .. err(core.add_acl, "nope.lst", "x"))
note("set_map unknown: " .. err(core.set_map, "nope.map", "x", "y"))
note("del_map unknown: " .. err(core.del_map, "nope.map", "x"))
note("lookup nargs: " .. err(M.str.lookup, M.str))
note("int not a number: " .. err(M.int.lookup, M.int, "abc"))

core.register_init(function()
	local m = Map.new("str.map", Map.str)
	note("init: " .. tostring(m:lookup("foo")))
end)

local checks = {
	{ "str", "foo" }, { "str", "bar" }, { "str", "foox" }, { "dflt", "foo" },
	{ "beg", "/api/v2/x" }, { "beg", "/api/v1" }, { "beg", "/other" },
	{ "sub", "xxadminxx" }, { "sub", "xxuserxx" },
	{ "dir", "/static/img/a.png" }, { "dir", "/static/imgs/a.png" },
	{ "dom", "www.example.com" }, { "dom", "www.examples.com" },
	{ "end", "/a/b.png" }, { "end", "/a/b.gif" },
	{ "reg", "/u/123" }, { "reg", "/u/abc" },
	{ "ip", "10.9.9.9" }, { "ip", "10.1.2.3" }, { "ip", "192.168.1.1" },
	{ "ip", "192.168.1.2" }, { "ip", "2001:db8::5" }, { "ip", "::1" },
	{ "ip", "::ffff:10.1.0.1" }, { "ip", "not-an-ip" },
	{ "int", "42" }, { "int", 1 }, { "int", 7 },
}

core.register_service("report", "http", function(a)
	local out = {}
	for _, n in ipairs(notes) do out[#out + 1] = n end
	for _, c in ipairs(checks) do
		for _, pfx in ipairs({ "", "_" }) do
			local name = c[1] == "dflt" and "dflt" or pfx .. c[1]
			if pfx == "" or c[1] ~= "dflt" then
				local m = M[name]
				out[#out + 1] = name .. " " .. tostring(c[2]) .. " => " .. tostring(m:lookup(c[2]))
				                .. " [" .. m:slookup(c[2]) .. "]"
			end
		end
	end
	out[#out + 1] = "runtime new: " .. err(Map.new, "str.map", Map.str)
	local s = table.concat(out, "\n") .. "\n"
	a:set_status(200)
	a:add_header("content-length", #s)
	a:start_response()
	a:send(s)
end)

-- /admin?op&file&key[&value]: change a list, answer the dyn.map lookup of key
core.register_service("admin", "http", function(a)
	local w = {}
	for p in string.gmatch(a.qs or "", "[^&]+") do w[#w + 1] = p end
	local op, file, key, val = w[1], w[2], w[3], w[4]
	if op == "add_acl" then core.add_acl(file, key)
	elseif op == "del_acl" then core.del_acl(file, key)
	elseif op == "set_map" then core.set_map(file, key, val)
	elseif op == "del_map" then core.del_map(file, key)
	end
	local s = tostring(M.dyn:lookup(key)) .. "\n"
	a:set_status(200)
	a:add_header("content-length", #s)
	a:start_response()
	a:send(s)
end)
