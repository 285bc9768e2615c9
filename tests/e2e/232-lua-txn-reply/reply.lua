-- 232: txn:reply(), the Reply class, txn:done([reply]) and txn:get_headers().
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

-- a Reply's headers: "name=v1|v2;..." sorted by name
local function ser_reply(h)
	local names, out = {}, {}
	for n in pairs(h) do names[#names + 1] = n end
	table.sort(names)
	for _, n in ipairs(names) do out[#out + 1] = n .. "=" .. table.concat(h[n], "|") end
	return table.concat(out, ";")
end

local A = {}

function A.reply(txn)
	local r = txn:reply()
	local fields = string.format("status=%s reason=%s body=%s headers=%s(%s)", tostring(r.status),
		tostring(r.reason), tostring(r.body), type(r.headers), ser_reply(r.headers))
	local rets = {}
	rets[#rets + 1] = tostring(r:set_status(403, "Go Away"))
	rets[#rets + 1] = tostring(r:add_header("X-One", "1"))
	r:add_header("X-One", "2")
	r:add_header("content-length", "999")
	r:add_header("Content-Type", "text/x")
	r:add_header("x-gone", "1")
	rets[#rets + 1] = tostring(r:del_header("x-gone"))
	rets[#rets + 1] = tostring(r:set_body("hello"))
	rets[#rets + 1] = tostring(r:set_status(99))
	local after = string.format("status=%s reason=%s body=%s headers=%s", tostring(r.status),
		tostring(r.reason), tostring(r.body), ser_reply(r.headers))
	r:add_header("x-fields", fields)
	r:add_header("x-rets", table.concat(rets, ","))
	r:add_header("x-after", after)
	txn:done(r)
end

function A.table(txn)
	txn:done{ status = 418, headers = { ["x-t"] = { "a", "b" } }, body = "tbl" }
end

function A.replytbl(txn)
	local r = txn:reply{ status = 404, headers = { ["x-t"] = { "a", "b" }, ["x-s"] = "str", ["x-n"] = 5 },
	                     body = "nf" }
	r:add_header("x-copy", ser_reply(r.headers) .. " reason=" .. r.reason)
	txn:done(r)
end

function A.empty(txn)
	txn:done(txn:reply())
end

function A.noreply(txn)
	txn:done()
end

function A.after(txn)
	txn:done{ status = 200, body = "x" }
	txn:set_var("proc.after_done", 1)
end

function A.head(txn)
	txn:done{ status = 200, body = "bodyy" }
end

function A.te(txn)
	txn:done{ status = 200, headers = { ["transfer-encoding"] = { "chunked" } }, body = "abc" }
end

function A.badstatus(txn)
	txn:done{ status = 700 }
end

function A.getheaders(txn)
	local a, b = txn:get_headers(), txn.http:req_get_headers()
	txn:done{ status = 200, headers = { ["x-get"] = { ser(a) }, ["x-same"] = { tostring(ser(a) == ser(b)) } } }
end

core.register_action("d", { "http-req" }, function(txn)
	local f = A[txn.sf:path():match("^/(%w+)") or ""]
	if f then f(txn) end
end)

-- the server's response replaced from an http-response action
core.register_action("r", { "http-res" }, function(txn)
	if txn.http:res_get_headers()["x-req"] and txn.f:status() == 503 then
		txn:done{ status = 299, headers = { ["x-from"] = { "response action" } }, body = "replaced" }
	end
end)

-- TCP mode: no Reply
core.register_action("tcpreply", { "tcp-req" }, function(txn)
	local ok, err = pcall(txn.reply, txn)
	txn.res:send(tostring(ok) .. " " .. tostring(err) .. "\n")
	txn:done()
end)
