-- An HTTP/1.1 client written by hand on the Socket class, the way
-- LuaSocket programs do it: request, status line and headers with "*l",
-- the body by count (Content-Length), chunk by chunk, or "*a" (close).
local ORIGIN = tonumber(os.getenv("ORIGIN"))

local function http_get(path, close)
   local s = core.tcp()
   s:settimeout(5)
   local ok, err = s:connect("127.0.0.1", ORIGIN)
   if not ok then return nil, err end
   assert(s:send("GET " .. path .. " HTTP/1.1\r\nHost: origin\r\n" ..
      (close and "Connection: close\r\n" or "") .. "\r\n"))
   local status = assert(s:receive("*l")):match("^HTTP/1%.%d (%d+)")
   local h = {}
   while true do
      local line = assert(s:receive())
      if line == "" then break end
      local k, v = line:match("^([^:]+):%s*(.*)$")
      h[k:lower()] = v
   end
   local body
   if h["content-length"] then
      body = assert(s:receive(tonumber(h["content-length"])))
   elseif (h["transfer-encoding"] or ""):lower() == "chunked" then
      local parts = {}
      while true do
         local size = tonumber(assert(s:receive()):match("^%x+"), 16)
         if size == 0 then
            repeat local l = assert(s:receive()) until l == ""
            break
         end
         parts[#parts + 1] = assert(s:receive(size))
         assert(s:receive())            -- the CRLF after the chunk
      end
      body = table.concat(parts)
   else
      body = assert(s:receive("*a"))
   end
   s:close()
   return status, body
end

core.register_service("fetch", "http", function(applet)
   local path = applet.path:gsub("^/fetch", "")
   local status, body = http_get(path, applet.qs == "close")
   local out = string.format("%s %d %s\n", tostring(status), body and #body or -1,
      body and body:sub(1, 12):gsub("[\r\n]", ".") or "")
   applet:set_status(200)
   applet:add_header("content-length", #out)
   applet:start_response()
   applet:send(out)
end)
