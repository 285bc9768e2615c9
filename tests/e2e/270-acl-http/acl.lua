-- a Lua fetch returning a boolean, and a Lua converter returning one
core.register_fetches("check", function(txn)
	return txn.sf:req_hdr("x-lua") == "ok"
end)
core.register_converters("valid", function(s)
	return s == "good"
end)
core.register_action("tag", { "http-req" }, function(txn, v)
	txn.http:req_add_header("x-hit", v)
end, 1)
function old_tag(txn)
	txn.http:req_add_header("x-hit", "luafn")
end
core.register_service("svc", "http", function(applet)
	local body = "service " .. applet.path
	applet:set_status(200)
	applet:add_header("content-length", string.len(body))
	applet:start_response()
	applet:send(body)
end)
