-- core.httpclient from a task (as in HAProxy's own test; 2.6 crashes
-- with it in an action): the summary of each call goes to "result",
-- which a service shows once the task is done.
result = nil
local function hdr(h, name)
	local v = h[name]
	return v and v[0] or "-"
end

local function run(base, silent)
	local hc = core.httpclient()
	local out = {}
	local r = hc:get({ url = base .. "/get?x=1", headers = { ["x-test"] = { "yes" } } })
	out[#out + 1] = "get " .. r.status .. " " .. r.reason .. " " .. hdr(r.headers, "x-echo") .. " " .. r.body
	r = hc:post({ url = base .. "/post", body = string.rep("b", 70000) })
	out[#out + 1] = "post " .. r.status .. " " .. r.body
	r = hc:get({ url = base .. "/chunked" })
	out[#out + 1] = "chunked " .. r.status .. " " .. r.body
	r = hc:head({ url = base .. "/get" })
	out[#out + 1] = "head " .. r.status .. " [" .. r.body .. "]"
	r = hc:delete({ url = base .. "/del" })
	out[#out + 1] = "delete " .. r.status .. " " .. r.body
	r = hc:put({ url = "http://h.invalid/put", dst = base:match("//(.*)$"), body = "p" })
	out[#out + 1] = "put/dst " .. r.status .. " " .. r.body
	r = hc:get({ url = "http://" .. silent .. "/", timeout = 300 })
	out[#out + 1] = "timeout " .. r.status
	result = table.concat(out, "|")
end

local base, silent
core.register_init(function()
	base = os.getenv("HC_BASE")
	silent = os.getenv("HC_SILENT")
end)
core.register_task(function()
	run(base, silent)
end)

core.register_service("result", "http", function(applet)
	local r = result or "pending"
	applet:set_status(200)
	applet:add_header("content-length", #r)
	applet:start_response()
	applet:send(r)
end)

-- the origin: answers what it got
core.register_service("origin", "http", function(applet)
	local body = ""
	if applet.method == "POST" or applet.method == "PUT" then
		body = applet:receive()
	end
	local answer
	if applet.path == "/chunked" then
		applet:set_status(200)
		applet:start_response()
		applet:send("ch")
		applet:send("unked")
		return
	elseif applet.method == "POST" then
		answer = tostring(#body)
	elseif applet.method == "PUT" then
		answer = applet.headers["host"][0] .. ":" .. body
	else
		answer = applet.method .. " " .. applet.path .. "?" .. applet.qs
	end
	applet:set_status(applet.method == "DELETE" and 202 or 200)
	applet:add_header("x-echo", applet.headers["x-test"] and applet.headers["x-test"][0] or "none")
	applet:add_header("content-length", #answer)
	applet:start_response()
	applet:send(answer)
end)
