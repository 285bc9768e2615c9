-- 230: the HTTP class (txn.http), every method under its HAProxy 1.6 name
-- and its current one. The request header X-Names picks the set.
local NAMES = {
	new = { get = "req_get_headers", rget = "res_get_headers", rep = "req_rep_header",
	        rrep = "res_rep_header", repv = "req_rep_value", rrepv = "res_rep_value" },
	old = { get = "req_get_header", rget = "res_get_header", rep = "req_replace_header",
	        rrep = "res_replace_header", repv = "req_replace_value", rrepv = "res_replace_value" },
}

-- "name=v0|v1;name2=v0": names sorted, values in their [0], [1]... order
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

-- "ok", or "error: <message>"
local function try(f, ...)
	local ok, err = pcall(f, ...)
	return ok and "ok" or ("error: " .. tostring(err))
end

-- what the request action saw, for the response action to report
local function note(txn, k, v)
	local prev = txn:get_var("txn.notes")
	txn:set_var("txn.notes", (prev and prev .. " ^^ " or "") .. k .. "=" .. v)
end

core.register_action("req", { "http-req" }, function(txn)
	local h = txn.http
	local N = NAMES[h:req_get_headers()["x-names"][0]]
	local path = txn.sf:path()

	note(txn, "before", ser(h[N.get](h)))
	if path == "/rw" then
		note(txn, "add", try(h.req_add_header, h, "X-Added", "v1"))
		note(txn, "set", try(h.req_set_header, h, "X-Set", "one"))
		note(txn, "del", try(h.req_del_header, h, "x-del"))
		note(txn, "rep", try(h[N.rep], h, "X-Rep", "^(a+)(b*)$", "\\2-\\1"))
		note(txn, "repv", try(h[N.repv], h, "X-Val", "^x(.*)$", "y\\1"))
		note(txn, "method", try(h.req_set_method, h, "PUT"))
		note(txn, "path", try(h.req_set_path, h, "/new/path"))
		note(txn, "query", try(h.req_set_query, h, "q=1&r=2"))
	elseif path == "/uri" then
		note(txn, "uri", try(h.req_set_uri, h, "/echo/set-by-lua?z=9"))
	elseif path == "/bad" then
		note(txn, "badre", try(h[N.rep], h, "X-Rep", "(", "z"))
		note(txn, "crlf", try(h.req_add_header, h, "X-Inject", "a\r\nX-Evil: 1"))
		note(txn, "badname", try(h.req_set_header, h, "X Bad", "1"))
		note(txn, "badmeth", try(h.req_set_method, h, "BAD METHOD"))
		note(txn, "badpath", try(h.req_set_path, h, "/a b"))
		note(txn, "res_in_req", try(h[N.rget], h))
		note(txn, "resadd_in_req", try(h.res_add_header, h, "x", "y"))
		note(txn, "status_in_req", try(h.res_set_status, h, 201))
		-- too big for the buffer: refused, the request goes on unchanged
		note(txn, "toobig", tostring((h:req_add_header("X-Big", string.rep("b", 20000)))))
	end
	note(txn, "after", ser(h[N.get](h)))
end)

core.register_action("res", { "http-res" }, function(txn)
	local h = txn.http
	local names = txn:get_var("txn.names")
	local N = NAMES[names]
	local path = txn:get_var("txn.path")

	txn:set_var("txn.resnotes", "before=" .. ser(h[N.rget](h)))
	local function rnote(k, v)
		txn:set_var("txn.resnotes", txn:get_var("txn.resnotes") .. " ^^ " .. k .. "=" .. v)
	end
	if path == "/hdr" then
		rnote("add", try(h.res_add_header, h, "X-Res-Added", "r1"))
		rnote("set", try(h.res_set_header, h, "X-Req", "replaced"))
		rnote("del", try(h.res_del_header, h, "x-conn"))
		rnote("rep", try(h[N.rrep], h, "Content-Type", "^text/(.*)$", "application/\\1"))
		rnote("repv", try(h[N.rrepv], h, "X-List", "^a(.)$", "b\\1"))
		if names == "old" then
			rnote("status", try(h.res_set_status, h, 299, "Fine"))
		else
			rnote("status", try(h.res_set_status, h, 202))
		end
		rnote("req_in_res", try(h[N.get], h))
		rnote("reqadd_in_res", try(h.req_add_header, h, "x", "y"))
	end
	rnote("after", ser(h[N.rget](h)))
	h:res_add_header("X-Notes", txn:get_var("txn.notes") or "")
	h:res_add_header("X-Res-Notes", txn:get_var("txn.resnotes"))
end)

-- what the request looked like, for the response action
core.register_action("keep", { "http-req" }, function(txn)
	txn:set_var("txn.names", txn.http:req_get_headers()["x-names"][0])
	txn:set_var("txn.path", txn.sf:path())
end)

-- TCP mode: txn.http is nil
core.register_action("tcpcheck", { "tcp-req" }, function(txn)
	txn.res:send("http=" .. tostring(txn.http) .. "\n")
	txn:done()
end)
