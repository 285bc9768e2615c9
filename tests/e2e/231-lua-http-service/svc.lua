-- 231: HTTP services. One service, "svc", picks a handler by the first
-- path segment (hlproxy has no ACLs yet to pick services in the rules).
local H = {}

local function ser(hdrs)
	local names, out = {}, {}
	for n in pairs(hdrs) do names[#names + 1] = n end
	table.sort(names)
	for _, n in ipairs(names) do
		local vals, i = {}, 0
		while hdrs[n][i] ~= nil do
			vals[#vals + 1] = hdrs[n][i]
			i = i + 1
		end
		out[#out + 1] = n .. "=" .. table.concat(vals, "|")
	end
	return table.concat(out, ";")
end

-- the request as the applet sees it, with a content-length
function H.info(a)
	local body = a:receive()
	local s = table.concat({
		"method=" .. a.method, "version=" .. a.version, "path=" .. tostring(a.path),
		"qs=" .. tostring(a.qs), "length=" .. tostring(a.length) .. "(" .. math.type(a.length) .. ")",
		"headers=" .. ser(a.headers), "body=" .. body, "again=[" .. a:receive() .. "]",
		"line=[" .. a:getline() .. "]",
	}, "\n") .. "\n"
	a:set_status(200)
	a:add_header("Content-Type", "text/plain")
	a:add_header("content-length", #s)
	a:start_response()
	a:send(s)
end

-- the whole body read at once, sent back with a content-length
function H.echoall(a)
	local body = a:receive()
	a:add_header("content-length", #body)
	a:start_response()
	a:send(body)
end

-- the body streamed back as it comes, in chunks
function H.echo(a)
	a:start_response()
	while true do
		local d = a:receive(4096)
		if d == "" then break end
		a:send(d)
	end
end

-- a line protocol: "add N" lines, answered at the end
function H.lines(a)
	local n, sum, last = 0, 0, ""
	while true do
		local l = a:getline()
		if l == "" then break end
		n = n + 1
		last = l
		local v = l:match("^add (%d+)\r?\n?$")
		if v then sum = sum + tonumber(v) end
	end
	a:add_header("content-type", "text/plain")
	a:start_response()
	a:send(string.format("lines=%d sum=%d last=%q\n", n, sum, last))
end

-- a chunked answer of N bytes in pieces of up to 7000 bytes
function H.gen(a)
	local n = tonumber(a.qs) or 0
	local piece = string.rep("0123456789abcdef", 438)
	a:set_status(201, "Made Here")
	a:add_header("X-Gen", tostring(n))
	a:start_response()
	while n > 0 do
		local k = math.min(n, #piece)
		a:send(piece:sub(1, k))
		n = n - k
	end
end

-- send() without start_response() starts the response
function H.auto(a)
	a:send("auto")
	a:send("matic")
end

-- status and headers refused once started; set_status out of range
function H.status(a)
	local r1, r2 = a:set_status(99), a:set_status(600)
	local r3 = a:set_status(418)
	a:add_header("x-a", "1")
	a:add_header("x-a", "2")
	a:start_response()
	local r4, r5 = a:add_header("x-late", "1"), a:set_status(200)
	a:send(string.format("%s %s %s %s %s\n", tostring(r1), tostring(r2), tostring(r3), tostring(r4), tostring(r5)))
end

-- a second start_response() does nothing
function H.twice(a)
	a:start_response()
	a:send("one ")
	a:start_response()
	a:send("two")
end

-- fewer bytes than the content-length announced: the connection closes
function H.short(a)
	a:add_header("content-length", "10")
	a:start_response()
	a:send("abc")
end

-- errors: before the response (500), after (aborted)
function H.err1(a)
	error("failed before answering")
end

function H.err2(a)
	a:start_response()
	a:send("partial")
	error("failed while answering")
end

-- returns without answering: 500, as HAProxy
function H.silent(a)
end

-- core.done() ends the service cleanly
function H.done(a)
	a:add_header("content-length", "4")
	a:start_response()
	a:send("done")
	core.done()
	a:send("never")
end

-- 204: no body, even if the service sends one
function H.nocontent(a)
	a:set_status(204)
	a:start_response()
	a:send("dropped")
end

-- private value, variables, fetches and converters
function H.ctx(a)
	local r = {}
	r[#r + 1] = "priv=" .. tostring(a:get_priv())
	a:set_priv("p2")
	r[#r + 1] = "priv2=" .. tostring(a:get_priv())
	r[#r + 1] = "txnvar=" .. tostring(a:get_var("txn.from_action"))
	r[#r + 1] = "set=" .. tostring(a:set_var("txn.x", "val"))
	r[#r + 1] = "get=" .. tostring(a:get_var("txn.x"))
	r[#r + 1] = "unset=" .. tostring(a:unset_var("txn.x"))
	r[#r + 1] = "get2=" .. tostring(a:get_var("txn.x"))
	r[#r + 1] = "src=" .. tostring(a.f:src())
	r[#r + 1] = "ssrc=" .. a.sf:src()
	r[#r + 1] = "upper=" .. tostring(a.c:upper("abc"))
	r[#r + 1] = "lower=" .. a.sc:lower("ABC")
	a:start_response()
	a:send(table.concat(r, " ") .. "\n")
end

-- a connection counter per client connection, to see keep-alive
function H.hello(a)
	local s = "hello " .. a.method .. "\n"
	a:add_header("content-length", #s)
	a:start_response()
	a:send(s)
end

core.register_service("svc", "http", function(a)
	local n = a.path and a.path:match("^/(%w+)") or "info"
	if not H[n] then n = "hello" end
	return H[n](a)
end)

-- an action before the service: private value and a variable
core.register_action("before", { "http-req" }, function(txn)
	txn:set_priv("p1")
	txn:set_var("txn.from_action", "yes")
end)
