-- An http-res action with one argument.
core.register_action("rtag", { "http-res" }, function(txn, a)
	txn:set_var("txn.rtag", a .. "!")
end, 1)
