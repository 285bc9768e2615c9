-- Socket class checks (see run.sh): each test is a function returning a
-- string; the service "t" reads a test name and answers its result.
local P = function(n) return tonumber(os.getenv(n)) end
local function fmt(...)
   local t = table.pack(...)
   for i = 1, t.n do t[i] = tostring(t[i]) end
   return table.concat(t, ",")
end

local T = {}

function T.echo()
   local s = core.tcp()
   local r = {}
   r[#r + 1] = fmt(s:settimeout(2))
   r[#r + 1] = fmt(s:connect("127.0.0.1", P("ECHO")))
   r[#r + 1] = fmt(s:setoption("tcp-nodelay", true))
   r[#r + 1] = fmt(s:send("hello\r\nworld\n"))
   r[#r + 1] = fmt(s:receive())
   r[#r + 1] = fmt(s:receive("*l"))
   r[#r + 1] = fmt(s:send("abcdef", 2, 4))
   r[#r + 1] = fmt(s:receive(3))
   r[#r + 1] = fmt(s:send("xyz\n"))
   r[#r + 1] = fmt(s:receive("*l", "pre-"))
   r[#r + 1] = fmt(s:send("12345"))
   r[#r + 1] = fmt(s:receive(2, "p"))
   local ip, port, fam = s:getpeername()
   r[#r + 1] = fmt(ip, port == P("ECHO"), fam)
   ip, port, fam = s:getsockname()
   r[#r + 1] = fmt(ip, math.type(port), fam)
   s:settimeout(0.3)
   local t0 = core.now()
   r[#r + 1] = fmt(s:receive(5))                        -- "345" then timeout
   r[#r + 1] = fmt(s:send("partial"))
   r[#r + 1] = fmt(s:receive("*l", "x"))
   local t1 = core.now()
   local ms = (t1.sec - t0.sec) * 1000 + (t1.usec - t0.usec) // 1000
   r[#r + 1] = fmt("waited", ms >= 500 and ms < 1500)
   r[#r + 1] = fmt(s:close())
   r[#r + 1] = fmt(s:send("after"))
   r[#r + 1] = fmt(s:receive())
   r[#r + 1] = fmt(s:close())
   return table.concat(r, "\n")
end

function T.forms()
   local r = {}
   local s = core.tcp()
   r[#r + 1] = fmt(s:connect("127.0.0.1:" .. P("ECHO")))
   s:send("one\n")
   r[#r + 1] = fmt(s:receive())
   s:close()
   if os.getenv("V6") then
      s = core.tcp()
      r[#r + 1] = fmt(s:connect("[::1]:" .. P("ECHO6")))
      s:send("six\n")
      r[#r + 1] = fmt(s:receive())
      r[#r + 1] = fmt(s:getpeername())
      s:close()
      s = core.tcp()
      r[#r + 1] = fmt(s:connect("::1", P("ECHO6")))
      s:close()
   end
   -- IPv6 literals are parsed even where ::1 is not configured
   for _, a in ipairs({ { "[::1]:" .. P("ECHO6") }, { "::1", P("ECHO6") }, { "[::1]", P("ECHO6") } }) do
      s = core.tcp()
      local ok, e = s:connect(a[1], a[2])
      r[#r + 1] = fmt("v6 literal", ok == 1 or (e ~= "invalid address or port" and e ~= "no resolver"))
      s:close()
   end
   s = core.tcp()
   r[#r + 1] = fmt(s:connect("127.0.0.1", P("REFUSED")))
   r[#r + 1] = fmt(s:getpeername())
   r[#r + 1] = fmt(s:send("x"))
   s = core.tcp()
   r[#r + 1] = fmt(s:connect("127.0.0.1:notaport"))
   return table.concat(r, "\n")
end

function T.closing()
   local r = {}
   local s = core.tcp()
   s:settimeout(3)
   s:connect("127.0.0.1", P("MIDLINE"))
   r[#r + 1] = fmt(s:receive())
   r[#r + 1] = fmt(s:receive("*l", "pfx:"))
   r[#r + 1] = fmt(s:receive())
   s = core.tcp()
   s:settimeout(3)
   s:connect("127.0.0.1", P("MIDLINE"))
   r[#r + 1] = fmt((s:receive("*a", "all:")):gsub("\r", "<CR>"))
   r[#r + 1] = fmt(s:receive("*a"))
   s = core.tcp()
   s:settimeout(3)
   s:connect("127.0.0.1", P("MIDLINE"))
   r[#r + 1] = fmt((select(3, s:receive(100))):gsub("\r", "<CR>"))
   return table.concat(r, "\n")
end

function T.silent()
   local r = {}
   local s = core.tcp()
   s:settimeout(0.25)
   r[#r + 1] = fmt(s:connect("127.0.0.1", P("SILENT")))
   r[#r + 1] = fmt(s:receive())
   r[#r + 1] = fmt(s:receive("*a"))
   r[#r + 1] = fmt(s:receive(10, "p"))
   s:close()
   return table.concat(r, "\n")
end

local function bigrecv(port, pat, tmo)
   local s = core.tcp()
   s:settimeout(tmo)
   s:connect("127.0.0.1", port)
   local t0 = core.now()
   local d, e, part = s:receive(pat)
   local t1 = core.now()
   local ms = (t1.sec - t0.sec) * 1000 + (t1.usec - t0.usec) // 1000
   s:close()
   d = d or part
   return fmt(#d, e, d:sub(1, 4), d:sub(-4), ms < tmo * 1000 / 2)
end

function T.big()
   return table.concat({
      bigrecv(P("BIG1"), 1048576, 8),           -- a count of 1 MB, peer stays open
      bigrecv(P("BIG5"), "*a", 8),              -- 5 MB until the peer closes
      bigrecv(P("BIG1"), 100000, 8),            -- a count above a buffer
   }, "\n")
end

function T.noname()
   local r = {}
   local s = core.tcp()
   r[#r + 1] = fmt(s:connect("localhost.invalid", 80))
   s = core.tcp()
   -- a TLS handshake with an echo server fails (the wording is mbedTLS's)
   local ok, err = s:connect_ssl("127.0.0.1", P("ECHO"))
   r[#r + 1] = fmt(ok, err and err:match("^TLS: handshake failed") and "TLS: handshake failed" or err)
   return table.concat(r, "\n")
end

core.register_service("t", "tcp", function(applet)
   local name = applet:getline():gsub("[\r\n]", "")
   local ok, res = pcall(T[name])
   applet:send(tostring(ok) .. "\n" .. tostring(res) .. "\n")
end)

core.register_fetches("tcpf", function(txn)
   local ok, e = pcall(core.tcp)
   return tostring(ok) .. ":" .. tostring(e)
end)
