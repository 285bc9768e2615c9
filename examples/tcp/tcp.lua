-- TCP-mode Lua for hlproxy (and HAProxy): a small key-value service, and
-- a request action that rewrites a line protocol in front of a server.

-- "SET key value", "GET key", "DEL key", one command per line. The store
-- lives in this Lua state, shared by every client.
local store = {}

core.register_service("kv", "tcp", function(applet)
   while true do
      local line = applet:getline()
      if line == nil or line == "" then break end
      local cmd, key, value = line:match("^(%u+)%s+(%S+)%s*(.-)\r?\n?$")
      if cmd == "SET" and key then
         store[key] = value
         applet:send("OK\n")
      elseif cmd == "GET" and key then
         local v = store[key]
         applet:send(v and ("VALUE " .. v .. "\n") or "NOT_FOUND\n")
      elseif cmd == "DEL" and key then
         store[key] = nil
         applet:send("OK\n")
      else
         applet:send("ERROR unknown command\n")
      end
   end
end)

-- Upper-case the first line the client sends, and remember it for the log.
core.register_action("shout", { "tcp-req" }, function(txn)
   local line = txn.req:getline()
   if line == nil then return end
   txn:set_var("txn.first", line:gsub("\r?\n$", ""))
   txn.req:prepend(line:upper())
end)

-- Echo everything back until the client closes.
core.register_service("echo_all", "tcp", function(applet)
   while true do
      local data = applet:receive(4096, 30000)
      if data == nil or data == "" then break end
      applet:send(data)
   end
end)
