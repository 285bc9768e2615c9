-- HTTP-mode Lua for hlproxy (and HAProxy): a sample fetch, request and
-- response actions on a reverse proxy, and HTTP services. Loaded by
-- http.conf; see the commands at the top of that file.

-- The seed's example (core.register_fetches): a sample fetch that the
-- config uses as lua.hello, in "http-request redirect location /%[lua.hello]".
core.register_fetches("hello", function(txn) return "hello" end)

-- Request action on the front: refuse /admin and everything under it.
-- Without ACLs ("if { path_beg /admin }") a Lua action is how you decide
-- per request: txn:done(reply) answers and ends the transaction.
core.register_action("guard", { "http-req" }, function(txn)
   local path = txn.sf:path()
   if path == "/admin" or path:sub(1, 7) == "/admin/" then
      local reply = txn:reply({ status = 403, body = "no admin from here\n",
                                headers = { ["content-type"] = { "text/plain" } } })
      txn:done(reply)
   end
end)

-- Request action on the front: number each request and tell the app in
-- an X-Request-Id header. req_set_header replaces any X-Request-Id the
-- client sent. The number is kept in a variable for the response.
local last_id = 0
core.register_action("request_id", { "http-req" }, function(txn)
   last_id = last_id + 1
   local id = tostring(last_id)
   txn.http:req_set_header("X-Request-Id", id)
   txn:set_var("txn.request_id", id)
end)

-- Response action on the front: give the client the same X-Request-Id.
core.register_action("response_id", { "http-res" }, function(txn)
   local id = txn:get_var("txn.request_id")
   if id then
      txn.http:res_add_header("X-Request-Id", id)
   end
end)

-- HTTP services. An AppletHTTP has the request (method, path, qs,
-- headers, receive() for the body) and builds the answer: set_status,
-- add_header, start_response, then send.

-- hello world, with a Content-Length.
local function hello_world(applet)
   local body = "hello world\n"
   applet:set_status(200)
   applet:add_header("content-type", "text/plain")
   applet:add_header("content-length", tostring(#body))
   applet:start_response()
   applet:send(body)
end

-- Send back the request body, read with receive() piece by piece (a
-- body of any size works). No Content-Length: the answer is chunked.
local function echo(applet)
   applet:set_status(200)
   applet:add_header("content-type", "application/octet-stream")
   applet:start_response()
   while true do
      local data = applet:receive(16384)
      if data == nil or data == "" then break end
      applet:send(data)
   end
end

-- The values of a request header joined with ", ", or "-" when absent
-- (applet.headers maps lower-case names to { [0] = first value, [1] = ... }).
local function header(applet, name)
   local v = applet.headers[name]
   if not v then return "-" end
   local all, i = {}, 0
   while v[i] do
      all[#all + 1] = v[i]
      i = i + 1
   end
   return table.concat(all, ", ")
end

-- The app behind the front: /hello, /echo, and for any other path a page
-- telling what reached the app, to see what the proxy added.
core.register_service("app", "http", function(applet)
   if applet.path == "/hello" then
      return hello_world(applet)
   elseif applet.path == "/echo" then
      return echo(applet)
   end
   local body = string.format("%s %s\nx-forwarded-for: %s\nx-request-id: %s\n",
                              applet.method, applet.path,
                              header(applet, "x-forwarded-for"),
                              header(applet, "x-request-id"))
   applet:set_status(200)
   applet:add_header("content-type", "text/plain")
   applet:add_header("content-length", tostring(#body))
   applet:start_response()
   applet:send(body)
end)
