-- Hold the rules until <n> bytes wait in the channel, so that the
-- set-var rules after these actions see the whole message.
core.register_action("waitreq", { "tcp-req" }, function(txn, n)
	while txn.f:req_len() < tonumber(n) do
		core.msleep(10)
	end
	txn:set_var("txn.lua", txn.f:req_payload_lv(7, 2, "+1"))
end, 1)

core.register_action("waitres", { "tcp-res" }, function(txn, n)
	while txn.f:res_len() < tonumber(n) do
		core.msleep(10)
	end
end, 1)
