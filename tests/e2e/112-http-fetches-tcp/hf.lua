-- Hold the tcp-request rules until req.proto_http can decide (nil while
-- the head is incomplete), then record a few fetches through the Lua API.
core.register_action("waithttp", { "tcp-req" }, function(txn)
	local i = 0
	while txn.f:req_proto_http() == nil and i < 100 do
		core.msleep(10)
		i = i + 1
	end
	txn:set_var("txn.lh", tostring(txn.f:hdr("host")))
	txn:set_var("txn.ls", "[" .. txn.sf:req_hdr("x-a", 2) .. "]")
	txn:set_var("txn.lc", tostring(txn.f:hdr_cnt("x-a")))
end)

-- Hold the tcp-response rules until <n> bytes wait in the response.
core.register_action("waitres", { "tcp-res" }, function(txn, n)
	local i = 0
	while txn.f:res_len() < tonumber(n) and i < 100 do
		core.msleep(10)
		i = i + 1
	end
	txn:set_var("txn.lst", tostring(txn.f:status()))
	txn:set_var("txn.lrh", tostring(txn.f:res_hdr("x-a", 1)))
end, 1)
