-- Sockets in an init function (start-up data read before listening) and
-- in a task (see run.sh).
local conf, init_err, task_res = {}, "", "pending"

core.register_init(function()
   local s = core.tcp()
   s:settimeout(2)
   assert(s:connect("127.0.0.1", tonumber(os.getenv("DATA"))))
   assert(s:send("GET config\n"))
   local n = 0
   while true do
      local line, err = s:receive()
      if not line then break end
      local k, v = line:match("^(%w+)=(.*)$")
      if k then conf[k] = v; n = n + 1 end
   end
   conf.n = tostring(n)
   s:close()
   -- a refused port in an init: nil and the reason, start-up goes on
   local r = core.tcp()
   init_err = table.concat({ tostring(select(2, r:connect("127.0.0.1", tonumber(os.getenv("REFUSED"))))) }, ",")
   -- host names in an init: libc resolves them (the hosts file here), .invalid never exists
   local h = core.tcp()
   h:settimeout(2)
   init_err = init_err .. "," .. tostring(h:connect("localhost", tonumber(os.getenv("DATA"))))
   h:close()
   init_err = init_err .. "," .. tostring(select(2, core.tcp():connect("nothing.invalid", 1)))
end)

core.register_task(function()
   local s = core.tcp()
   s:settimeout(2)
   s:connect("127.0.0.1", tonumber(os.getenv("ECHO")))
   s:send("from task\n")
   core.msleep(50)
   task_res = tostring(s:receive())
   -- a socket the task drops is closed when it is collected
   s = nil
   collectgarbage()
end)

core.register_service("show", "http", function(applet)
   local body = string.format("name=%s color=%s n=%s init_err=%s task=%s\n",
      conf.name, conf.color, conf.n, init_err, task_res)
   applet:set_status(200)
   applet:add_header("content-length", #body)
   applet:start_response()
   applet:send(body)
end)
