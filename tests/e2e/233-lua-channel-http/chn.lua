-- 233: the Channel class in HTTP mode: what touches the data raises,
-- the rest answers.
local DATA = { "data", "dup", "get", "line", "getline", "get_line", "remove",
               "set", "append", "prepend", "insert", "forward", "send" }
local INFO = { "input", "output", "get_in_len", "get_out_len", "may_recv", "is_full", "is_resp" }

local function run(c)
	local out = {}
	for _, fn in ipairs(DATA) do
		if c[fn] then
			local arg = (fn == "forward" and 1) or ((fn == "set" or fn == "append" or fn == "prepend" or
			            fn == "insert" or fn == "send") and "x") or nil
			local ok, err
			if arg == nil then ok, err = pcall(c[fn], c) else ok, err = pcall(c[fn], c, arg) end
			out[#out + 1] = fn .. "=" .. (ok and "ok" or
				(tostring(err):lower():find("cannot manipulate haproxy channels in http mode", 1, true)
				 and "refused" or ("error:" .. tostring(err))))
		end
	end
	for _, fn in ipairs(INFO) do
		local ok, v = pcall(c[fn], c)
		out[#out + 1] = fn .. "=" .. (ok and type(v) or "error:" .. tostring(v))
	end
	return table.concat(out, " ")
end

core.register_action("req", { "http-req" }, function(txn)
	txn:set_var("txn.req", run(txn.req))
	txn:set_var("txn.res_in_req", run(txn.res))
end)

core.register_action("res", { "http-res" }, function(txn)
	txn.http:res_add_header("x-chn-req", txn:get_var("txn.req"))
	txn.http:res_add_header("x-chn-res-in-req", txn:get_var("txn.res_in_req"))
	txn.http:res_add_header("x-chn-res", run(txn.res))
end)
