-- Allocates in every context, then the proxy is stopped: nothing may leak.
core.register_fetches("f", function(txn) return "x" end)
core.register_converters("c", function(s) return s end)
core.register_service("svc", "tcp", function(applet) end)
core.register_task(function()
   local t = {}
   while true do
      t[#t % 100 + 1] = string.rep("y", 100)
      core.msleep(20)
   end
end)
core.register_action("priv", { "tcp-req" }, function(txn)
   local first = txn:get_priv()
   txn:set_priv({ n = 1 })
   txn:deflog("deflog line")
   local ok = pcall(core.register_fetches, "late", function() end)
   txn.res:send(string.format("first=%s then=%d late_fetch=%s\n",
      tostring(first), txn:get_priv().n, tostring(ok)))
   core.msleep(50)
   txn:done()
end)
core.register_action("hold", { "tcp-req" }, function(txn)
   core.sleep(30)                     -- still sleeping when the proxy stops
end)
