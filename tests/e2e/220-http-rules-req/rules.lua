-- An http-req action with two arguments, and a global function for the
-- seed's "http-request lua <function>" form (hlproxy only).
core.register_action("tag", { "http-req" }, function(txn, a, b)
	txn:set_var("txn.tag", a .. "+" .. b)
end, 2)

function old_style(txn)
	txn:set_var("txn.old", "yes")
end
