-- TCP services (core.register_service(name, "tcp", fn)) and the AppletTCP
-- class. Reports go to the client as "key=value" lines (strings quoted
-- with %q, errors as "ERR:<message>" without the "svc.lua:N: " prefix).

local function q(v)
   if type(v) == "string" then return (string.format("%q", v):gsub("\\\n", "\\n")) end
   return tostring(v)
end

local function recorder()
   local r = {}
   local function t(k, f, ...)
      local ok, v = pcall(f, ...)
      if ok then r[#r + 1] = k .. "=" .. q(v)
      else r[#r + 1] = k .. "=ERR:" .. tostring(v):gsub("^.-svc%.lua:%d+: ", "") end
   end
   local function dump() return table.concat(r, "\n") .. "\n" end
   return t, dump
end

-- milliseconds, from core.now()
local function ms()
   local t = core.now()
   return t.sec * 1000 + t.usec // 1000
end

-- echo line by line until the client closes (getline gives "" then; a
-- last line without '\n' comes back as it is)
core.register_service("echo", "tcp", function(applet)
   while true do
      local l = applet:getline()
      if l == nil or l == "" then break end
      applet:send(l)
   end
end)

-- a key-value protocol, one command per line; the store is shared by
-- every client of this Lua state
local store = {}
core.register_service("kv", "tcp", function(applet)
   while true do
      local line = applet:getline()
      if line == nil or line == "" then break end
      local cmd, key, value = line:match("^(%u+)%s*(%S*)%s*(.-)\n?$")
      if cmd == "SET" and key ~= "" then
         store[key] = value
         applet:send("OK\n")
      elseif cmd == "GET" and key ~= "" then
         local v = store[key]
         applet:send(v and ("VALUE " .. v .. "\n") or "NOT_FOUND\n")
      elseif cmd == "DEL" and key ~= "" then
         local had = store[key] ~= nil
         store[key] = nil
         applet:send(had and "DELETED\n" or "NOT_FOUND\n")
      elseif cmd == "QUIT" then
         applet:send("BYE\n")
         return
      else
         applet:send("ERROR\n")
      end
   end
end)

-- receive(5) until less comes: "<length:data>" per call
core.register_service("recvn", "tcp", function(applet)
   while true do
      local d = applet:receive(5)
      applet:send("<" .. tostring(d and #d) .. ":" .. tostring(d) .. ">\n")
      if d == nil or #d < 5 then break end
   end
end)

-- receive() until the client closes; then every read says "closed"
core.register_service("recvall", "tcp", function(applet)
   local t, dump = recorder()
   local d = applet:receive()
   t("len", function() return #d end)
   t("all", function() return d end)
   t("again", applet.receive, applet)
   t("again_n", applet.receive, applet, 3)
   t("again_tmo", applet.receive, applet, 3, 100)
   t("try", applet.try_receive, applet)
   t("line", applet.getline, applet)
   applet:send(dump())
end)

-- receive(n, timeout): the client follows the "readyN" lines
core.register_service("tmo", "tcp", function(applet)
   -- 1: the data comes, in two parts, before the timeout: no waiting for it
   applet:send("ready1\n")
   local t0 = ms()
   local d = applet:receive(4, 8000)
   local e = ms() - t0
   applet:send("r1=" .. q(d) .. " early=" .. tostring(e < 6000) .. "\n")
   -- 2: nothing comes: nil once the timeout expired
   t0 = ms()
   d = applet:receive(4, 300)
   e = ms() - t0
   applet:send("r2=" .. q(d) .. " waited=" .. tostring(e >= 250 and e < 6000) .. "\n")
   -- 3: less than asked for: what came, at the timeout (the client sends
   -- "ab" when it reads r2)
   t0 = ms()
   d = applet:receive(4, 1000)
   e = ms() - t0
   applet:send("r3=" .. q(d) .. " waited=" .. tostring(e >= 900 and e < 6000) .. "\n")
   -- 4: a timeout of 0 with nothing there: nil at once
   d = applet:receive(4, 0)
   applet:send("r4=" .. q(d) .. "\n")
   -- 5: the client closes its side: "" at once, not at the timeout
   applet:send("ready5\n")
   t0 = ms()
   d = applet:receive(4, 8000)
   e = ms() - t0
   applet:send("r5=" .. q(d) .. " early=" .. tostring(e < 6000) .. "\n")
end)

-- try_receive: "" while nothing came, the data, then nil once the client
-- closed and all was read
core.register_service("try", "tcp", function(applet)
   applet:send("first=" .. q(applet:try_receive()) .. "\n")
   local got = ""
   while #got < 3 do
      local d = applet:try_receive()
      if d == nil then break end
      got = got .. d
      if #got < 3 then core.msleep(10) end
   end
   applet:send("got=" .. q(got) .. "\n")
   local tail, empty = "", 0
   while true do
      local d = applet:try_receive()
      if d == nil then break end
      if d == "" then empty = empty + 1; core.msleep(10) end
      tail = tail .. d
   end
   applet:send("tail=" .. q(tail) .. " polled=" .. tostring(empty > 0) ..
               " after=" .. q(applet:try_receive()) .. "\n")
end)

-- an action before the service, setting a variable and the private value
core.register_action("prep", { "tcp-req" }, function(txn)
   txn:set_priv("from-action")
   txn:set_var("txn.act", "A")
end)

-- an action reads the first line; the service gets the rest
core.register_action("first", { "tcp-req" }, function(txn)
   local l = txn.req:getline()
   txn:set_var("txn.first", (l:gsub("\n", "")))
end)
core.register_service("rest", "tcp", function(applet)
   applet:send("first=" .. q(applet:get_var("txn.first")) .. " rest=" .. q(applet:receive()) .. "\n")
end)

-- the applet's methods: vars, priv, f/sf/c/sc
core.register_service("info", "tcp", function(applet)
   local t, dump = recorder()
   -- variables: those of the rules before, and new ones (seen in the log)
   t("get_txn_rule", applet.get_var, applet, "txn.rule")
   t("get_txn_act", applet.get_var, applet, "txn.act")
   t("get_req_rule", applet.get_var, applet, "req.rule")
   t("get_sess_rule", applet.get_var, applet, "sess.rule")
   t("set_txn", applet.set_var, applet, "txn.svc", "S")
   t("get_txn", applet.get_var, applet, "txn.svc")
   t("set_int", function() applet:set_var("txn.n", 41); return applet:get_var("txn.n") + 1 end)
   t("set_sess", applet.set_var, applet, "sess.svc", "s")
   t("set_req", applet.set_var, applet, "req.svc", "q")
   t("set_proc", applet.set_var, applet, "proc.svc", "p")
   t("get_proc", applet.get_var, applet, "proc.svc")
   t("unset", applet.unset_var, applet, "txn.rule")
   t("get_unset", applet.get_var, applet, "txn.rule")
   t("get_missing", applet.get_var, applet, "txn.never")
   t("set_nul", function() applet:set_var("txn.nul", "a\0b"); return #applet:get_var("txn.nul") end)
   t("bad_name", applet.set_var, applet, "foo.x", 1)
   t("bad_dash", applet.get_var, applet, "txn.a-b")
   -- the private value: set and read back, per session
   t("priv_set", applet.set_priv, applet, { n = 1 })
   t("priv_get", function() return applet:get_priv().n end)
   -- fetches and converters
   t("f_src", function() return applet.f:src() end)
   t("f_fe", function() return applet.f:fe_name() end)
   t("f_be", function() return applet.f:be_name() end)
   t("f_type", function() return math.type(applet.f:src_port()) end)
   t("f_var", function() return applet.f:var("txn.svc") end)
   t("f_fail", function() return applet.f:var("txn.nothing") end)
   t("sf_fe", function() return applet.sf:fe_name() end)
   t("sf_port", function() return type(applet.sf:src_port()) end)
   t("sf_fail", function() return applet.sf:var("txn.nothing") end)
   t("c_upper", function() return applet.c:upper("abc") end)
   t("c_add", function() return applet.c:add(40, 2) end)
   t("c_hex", function() return applet.c:hex("\0\1") end)
   t("c_fail", function() return applet.c:b64dec("!!!") end)
   t("sc_add", function() return applet.sc:add(40, 2) end)
   t("sc_fail", function() return applet.sc:b64dec("!!!") end)
   t("f_unknown", function() return applet.f:no_such_fetch() end)
   applet:send(dump())
end)

-- the private value of a session starts empty (the previous client's is
-- not there); prints what it found, then stores something
core.register_service("priv", "tcp", function(applet)
   local before = applet:get_priv()
   applet:set_priv("mine")
   applet:send("before=" .. q(before) .. " after=" .. q(applet:get_priv()) .. "\n")
end)

-- HAProxy: the applet's private value is the transaction's (an action's
-- set_priv shows here)
core.register_service("privtxn", "tcp", function(applet)
   applet:send("priv=" .. q(applet:get_priv()) .. "\n")
end)

-- HAProxy 2.6: a service runs in the request's variable scope: req
-- variables are there, res ones cannot be set
core.register_service("reqres", "tcp", function(applet)
   local t, dump = recorder()
   t("get_req_rule", applet.get_var, applet, "req.rule")
   t("set_req", applet.set_var, applet, "req.svc", "q")
   t("set_res", applet.set_var, applet, "res.svc", "r")
   t("get_res", applet.get_var, applet, "res.svc")
   applet:send(dump())
end)

-- an error: what was sent before it arrives, the connection is closed;
-- a line other than "boom" is answered
core.register_service("flaky", "tcp", function(applet)
   local l = applet:getline()
   if l == "boom\n" then
      applet:send("partial\n")
      error("boom")
   end
   applet:send("ok " .. l)
end)

-- core.done(): the service ends there, what it sent is flushed
core.register_service("done", "tcp", function(applet)
   applet:send("bye\n")
   core.done()
   applet:send("after\n")
end)

-- echo everything through receive(4096) while the client keeps sending
core.register_service("bulk", "tcp", function(applet)
   local n = 0
   while true do
      local d = applet:receive(4096)
      if d == nil or d == "" then break end
      n = n + 1
      applet:send(d)
   end
   core.Info("bulk: " .. n .. " chunks")
end)

-- receive() of a large upload: its length
core.register_service("sink", "tcp", function(applet)
   applet:send(#applet:receive() .. "\n")
end)

-- NUL bytes: receive(6) twice, each echoed with its length
core.register_service("nul", "tcp", function(applet)
   local a = applet:receive(6)
   local b = applet:getline()
   applet:send(#a .. ":" .. a .. "|" .. #b .. ":" .. b)
end)

-- a large answer (64 MB, more than the kernel buffers) to a client that
-- leaves early
core.register_service("flood", "tcp", function(applet)
   local chunk = string.rep("x", 1024 * 1024)
   for _ = 1, 64 do applet:send(chunk) end
   core.Info("flood: all sent")
end)

-- an applet object kept after its session: using it is a Lua error
local last
core.register_service("stale", "tcp", function(applet)
   local t, dump = recorder()
   if last then
      t("send", last.send, last, "x")
      t("get_var", last.get_var, last, "txn.x")
      t("receive", last.receive, last)
      t("get_priv", last.get_priv, last)
   else
      t("first", function() return true end)
   end
   last = applet
   applet:send(dump())
end)

-- a busy loop: stopped by tune.lua.service-timeout
core.register_service("busy", "tcp", function(applet)
   applet:send("spinning\n")
   while true do end
end)

-- an HTTP service (refused in tcp-request rules)
core.register_service("web", "http", function(applet) end)
