-- CORS style: one name, a request action with an argument, a response
-- action without, registered one after the other (both orders)
core.register_action("cors", {"http-req"}, function(txn, origin)
  txn:set_var("txn.origin", origin)
end, 1)
core.register_action("cors", {"http-res"}, function(txn)
  txn.http:res_set_header("x-cors", txn:get_var("txn.origin") or "none")
end, 0)

core.register_action("rev", {"http-res"}, function(txn)
  txn.http:res_set_header("x-rev", "res")
end)
core.register_action("rev", {"http-req"}, function(txn, a, b)
  txn.http:req_set_header("x-rev-req", a .. b)
end, 2)

-- both kinds in one call, then one of them overridden
core.register_action("both", {"http-req", "http-res"}, function(txn)
  txn:set_var("txn.both", "first")
end)
core.register_action("both", {"http-res"}, function(txn)
  txn.http:res_set_header("x-both", (txn:get_var("txn.both") or "") .. "+second")
end)

-- a real override within one registry: the second function stands
core.register_action("twice", {"http-req"}, function(txn)
  txn.http:req_set_header("x-twice", "first")
end)
core.register_action("twice", {"http-req"}, function(txn)
  txn.http:req_set_header("x-twice", "second")
end)

core.register_service("svc", "http", function(applet)
  applet:add_header("content-length", "5")
  applet:start_response()
  applet:send("first")
end)
core.register_service("svc", "http", function(applet)
  local h = applet.headers
  local body = (h["x-rev-req"] and h["x-rev-req"][0] or "-") .. " " ..
               (h["x-twice"] and h["x-twice"][0] or "-")
  applet:add_header("content-length", tostring(#body))
  applet:start_response()
  applet:send(body)
end)

-- a fetch and a converter may share a name
core.register_fetches("same", function(txn) return "fetch" end)
core.register_converters("same", function(s) return s .. "+conv" end)
core.register_fetches("fx", function(txn) return "one" end)
core.register_fetches("fx", function(txn) return "two" end)
