-- Many sockets at once from actions, the socket limit, closing at the
-- end of the action and on collection (see run.sh).
local SLOW = tonumber(os.getenv("SLOW"))

-- one round trip to a server that answers after a second
core.register_action("slow", { "http-req" }, function(txn)
   local s = core.tcp()
   s:settimeout(5)
   local ok, err = s:connect("127.0.0.1", SLOW)
   if not ok then txn:set_var("txn.r", "connect: " .. tostring(err)); return end
   s:send("id" .. txn.f:src_port() .. "\n")
   local line, e = s:receive()
   txn:set_var("txn.r", line and ("ok " .. line:gsub("%d+", "")) or ("recv: " .. tostring(e)))
   s:close()
end)

-- open sockets up to the limit and one more; with "leak" the action
-- leaves them open (its end closes them), with "gc" it drops them and
-- collects before opening as many again
core.register_action("many", { "http-req" }, function(txn, mode)
   local ECHO = tonumber(os.getenv("ECHO"))
   local n, held, err = 0, {}, "none"
   local function open(k)
      for i = 1, k do
         local s = core.tcp()
         local ok, e = s:connect("127.0.0.1", ECHO)
         if not ok then err = e; return end
         held[#held + 1] = s
         n = n + 1
      end
   end
   if mode == "gc" then
      open(5)
      held = {}
      collectgarbage()
      collectgarbage()
   end
   open(6)
   if mode == "close" then for _, s in ipairs(held) do s:close() end end
   txn:set_var("txn.r", string.format("opened=%d err=%s", n, err))
end, 1)

core.register_fetches("tcpf", function(txn)
   local ok, e = pcall(core.tcp)
   return tostring(ok) .. ": " .. tostring(e)
end)

-- a tcp-request action: a round trip to the slow server before the
-- service answers
core.register_action("tcpact", { "tcp-req" }, function(txn)
   local s = core.tcp()
   s:settimeout(5)
   s:connect("127.0.0.1", SLOW)
   s:send("tcp\n")
   txn:set_var("sess.r", s:receive() or "none")
end)

core.register_service("say", "tcp", function(applet)
   applet:send("action said " .. tostring(applet:get_var("sess.r")) .. "\n")
end)
