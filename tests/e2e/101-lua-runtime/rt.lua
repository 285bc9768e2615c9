-- Lua runtime checks: contexts, yielding, limits and errors (see run.sh).
local phase = {}
counter = 0
phase.args = table.concat({ ... }, ",")          -- lua-load rt.lua a1 a2
phase.mod = require("rtmod").answer              -- found through lua-prepend-path
phase.tcp_body = select(2, pcall(core.tcp)):match("not available in the body context") ~= nil

core.msleep(50)                        -- sleeping in the body only delays start-up
phase.body = true
phase.proxies_in_body = tostring(core.proxies)   -- nil, as HAProxy

core.register_init(function()
   phase.init = not phase.listening
   core.msleep(20)
end)

core.register_task(function(step)
   phase.task = true
   while true do
      counter = counter + step
      core.msleep(50)
   end
end, 1)

core.register_task(function()
   -- a task may register more tasks; an error ends only this task
   core.register_task(function() phase.subtask = true end)
   error({ code = 42 })              -- an error raised with a table
end)

core.register_task(function()
   while true do end                  -- stopped by tune.lua.task-timeout
end)

core.register_action("misc", { "tcp-req" }, function(txn)
   local ok, sk = pcall(core.tcp)           -- a Socket object here
   txn.res:send(string.format("args=%s mod=%s tcp_body=%s tcp_action=%s\n", phase.args,
      tostring(phase.mod), tostring(phase.tcp_body), tostring(ok and type(sk) == "userdata")))
   core.done()
   txn.res:send("not reached\n")
end)

core.register_action("ctx", { "tcp-req" }, function(txn)
   core.msleep(120)                   -- let the task count a little
   local ok = pcall(core.register_action, "late", { "tcp-req" }, function() end)
   txn.res:send(string.format("body=%s init=%s task=%s subtask=%s counter>0=%s late_register=%s proxies=%s/%s\n",
      tostring(phase.body), tostring(phase.init), tostring(phase.task),
      tostring(phase.subtask), tostring(counter > 0), tostring(ok),
      phase.proxies_in_body, core.proxies.ctx:get_name()))
   txn:done()
end)

core.register_action("sleep1", { "tcp-req" }, function(txn)
   core.sleep(1)
   core.yield()
   txn.res:send("awake\n")
   txn:done()
end)

core.register_action("spin", { "tcp-req" }, function(txn)
   while true do end
end)

core.register_action("spin_pcall", { "tcp-req" }, function(txn)
   -- a timeout cannot be swallowed by pcall
   while true do pcall(function() while true do end end) end
end)

core.register_action("bomb", { "tcp-req" }, function(txn)
   local t = {}
   for i = 1, 1e9 do t[i] = string.rep("x", 4096) .. i end
end)

core.register_action("errors", { "tcp-req" }, function(txn)
   local out = {}
   -- caught by the script itself
   local ok, e = pcall(error, "inner")
   out[#out + 1] = "pcall=" .. tostring(ok) .. ":" .. tostring(e)
   -- an error in a coroutine the script created
   local co = coroutine.create(function() error("in coroutine") end)
   local cok, cerr = coroutine.resume(co)
   out[#out + 1] = "coroutine=" .. tostring(cok) .. ":" .. tostring(cerr):match("in coroutine")
   txn.res:send(table.concat(out, " ") .. "\n")
   -- then an error from a __gc metamethod while collecting
   setmetatable({}, { __gc = function() error("gc boom") end })
   collectgarbage("collect")
   collectgarbage("collect")
end)

core.register_action("json", { "tcp-req" }, function(txn)
   local json = require("dkjson")
   txn.res:send(json.encode({ a = { 1, 2, 3 } }) .. "\n")
   txn:done()
end)

core.register_action("after", { "tcp-req" }, function(txn)
   txn.res:send("next rule ran\n")
   txn:done()
end)
