-- The seed's Redis example (haproxy-lua-api 1.6, "Redis access") as
-- written, but for the port: the test's redis-server listens on $REDIS.
local port = tonumber(os.getenv("REDIS"))

-- load the redis library
local redis = require("redis");

function do_something(txn)
   -- create and connect new tcp socket
   local tcp = core.tcp();
   tcp:settimeout(1);
   tcp:connect("127.0.0.1", port);
   -- use the redis library with this new socket
   local client = redis.connect({socket=tcp});
   client:ping();
end

core.register_action("do_something", { "http-req" }, do_something)

-- the library's commands through core.tcp(): ping, set/get, incr, an
-- error reply (raised by the library), a hash, quit.
core.register_action("redis_cmds", { "http-req" }, function(txn)
   local tcp = core.tcp()
   tcp:settimeout(1)
   tcp:connect("127.0.0.1", port)
   local client = redis.connect({ socket = tcp })
   local r = {}
   r[#r + 1] = "ping=" .. tostring(client:ping())
   r[#r + 1] = "set=" .. tostring(client:set("hlp:k", "v1"))
   r[#r + 1] = "get=" .. tostring(client:get("hlp:k"))
   r[#r + 1] = "del=" .. tostring(client:del("hlp:n"))
   r[#r + 1] = "incr=" .. tostring(client:incr("hlp:n")) .. "," .. tostring(client:incrby("hlp:n", 41))
   local ok, err = pcall(client.incr, client, "hlp:k")
   r[#r + 1] = "err=" .. tostring(ok) .. "," .. tostring(err):gsub("^.-ERR", "ERR")
   if not os.getenv("SKIP_BIG") then     -- HAProxy 2.6 fails on it
      local big = string.rep("x", 200000)
      client:set("hlp:big", big)
      r[#r + 1] = "big=" .. tostring(client:get("hlp:big") == big)
   end
   -- (the library's pipeline() is broken on Lua 5.3: table.insert(t, nil, v))
   client:hset("hlp:h", "f", "hv")
   r[#r + 1] = "hget=" .. tostring(client:hget("hlp:h", "f"))
   r[#r + 1] = "missing=" .. tostring(client:get("hlp:missing"))
   -- quit() ends with socket:shutdown(), which HAProxy 2.6 lacks
   r[#r + 1] = "quit=" .. tostring((pcall(client.quit, client)))
   txn:set_var("txn.r", table.concat(r, " "))
end)

-- one GET per request, for the figure of tools/bench.sh
core.register_action("redis_get", { "http-req" }, function(txn)
   local tcp = core.tcp()
   tcp:settimeout(1)
   tcp:connect("127.0.0.1", port)
   local client = redis.connect({ socket = tcp })
   txn:set_var("txn.r", client:get("hlp:k"))
   tcp:close()
end)
