-- txn:set_loglevel() for one request only: the level is per transaction.
core.register_action("lvl", { "http-req" }, function(txn)
	if txn.f:path() == "/lua-err" then
		txn:set_loglevel(3)
	end
end)
