-- Channel tests: every method under every name, in both directions.
-- Results are reported as "key=value" lines, strings quoted with %q
-- (newlines shown as \n), errors as "ERR:<message>".

local function q(v)
   if v == nil then return "nil" end
   if type(v) == "string" then return (string.format("%q", v):gsub("\\\n", "\\n")) end
   return tostring(v)
end

-- A recorder: t(key, obj, method, args...) calls obj:method(args...)
-- under pcall and records the first result or the error.
local function recorder()
   local r = {}
   local function t(k, o, m, ...)
      if o[m] == nil then r[#r + 1] = k .. "=NOMETHOD"; return end
      local ok, v = pcall(o[m], o, ...)
      if ok then r[#r + 1] = k .. "=" .. q(v)
      else r[#r + 1] = k .. "=ERR:" .. tostring(v):gsub("^.-ch%.lua:%d+: ", "") end
   end
   local function add(k, v) r[#r + 1] = k .. "=" .. q(v) end
   local function dump() return table.concat(r, "\n") .. "\n" end
   return t, add, dump
end

local function ms() local t = core.now(); return t.sec * 1000 + t.usec // 1000 end

local names = {
   "data", "dup", "get", "line", "getline", "get_line", "set", "append", "prepend",
   "insert", "remove", "forward", "send", "input", "get_in_len", "get_in_length",
   "output", "get_out_len", "get_out_length", "may_recv", "is_full", "is_resp"
}

-- The shared battery, on channel <c> (the direction the action inspects).
-- <first> is the scenario line, already consumed.
local function battery(txn, c, other, sc, t, add)
   if sc == "names" then
      local miss = {}
      for _, n in ipairs(names) do
         if type(c[n]) ~= "function" then miss[#miss + 1] = n end
      end
      add("missing", table.concat(miss, ","))
      add("same", c.get_in_len == c.input and c.get_in_length == c.input and c.get_out_len == c.output
                  and c.get_out_length == c.output and c.get_line == c.getline)
      t("resp", c, "is_resp"); t("other_resp", other, "is_resp")
   elseif sc == "read" then
      -- "hello\nworld\n" follows; data(0, 12) waits for all of it
      t("wait", c, "data", 0, 12)
      t("data", c, "data"); t("dup", c, "dup")
      t("data1", c, "data", 1); t("data03", c, "data", 0, 3); t("datam6", c, "data", -6); t("datam62", c, "data", -6, 2)
      t("datam100", c, "data", -100); t("data0m1", c, "data", 0, -1); t("data00", c, "data", 0, 0)
      t("line", c, "line"); t("line6", c, "line", 6); t("linem3", c, "line", -3); t("line02", c, "line", 0, 2)
      t("in", c, "input"); t("in_len", c, "get_in_len"); t("in_length", c, "get_in_length")
      t("out", c, "output"); t("out_len", c, "get_out_len"); t("out_length", c, "get_out_length")
      t("getline", c, "getline"); t("in2", c, "input")
      t("get_line", c, "get_line"); t("in3", c, "input")
      t("full", c, "is_full"); t("resp", c, "is_resp")
      -- the sender closed after these bytes: reading an empty channel gives nil
      t("getline_eof", c, "getline"); t("get_line_eof", c, "get_line"); t("line_eof", c, "line")
      t("data_eof", c, "data"); t("dup_eof", c, "dup"); t("get_eof", c, "get")
      t("data12_eof", c, "data", 12); t("data01_eof", c, "data", 0, 1)
      t("mayrecv", c, "may_recv")
   elseif sc == "mod" then
      -- "0123456789" follows, then the sender closes
      t("wait", c, "data", 0, 10)
      t("set", c, "set", "XY", 2, 3); t("d1", c, "data")
      t("append", c, "append", "<A>"); t("prepend", c, "prepend", "<P>"); t("d2", c, "data")
      t("insert", c, "insert", "!", 4); t("insertm", c, "insert", "?", -1); t("insert0", c, "insert", "^")
      t("insert_bad", c, "insert", "x", 100); t("d3", c, "data")
      t("remove", c, "remove", 0, 3); t("d4", c, "data"); t("removem", c, "remove", -3); t("d5", c, "data")
      t("remove_big", c, "remove", 100); t("remove1", c, "remove", 1, 1); t("d6", c, "data")
      t("setall", c, "set", "whole"); t("d7", c, "data")
      t("get", c, "get"); t("in", c, "input")
      t("set_empty", c, "set", "abc"); t("dup", c, "dup")
      t("remove_all", c, "remove"); t("in2", c, "input")
      -- what follows leaves for the peer: "body\n" forwarded, then "tail\n" as input
      t("append2", c, "append", "body\ntail\n"); t("fwd", c, "forward", 5); t("in3", c, "input"); t("out3", c, "output")
      t("data_after_fwd", c, "data")
      t("send", c, "send", "sent\n"); t("out4", c, "output"); t("in4", c, "input")
      t("fwd_neg", c, "forward", -1)
   elseif sc == "full" then
      -- 20000 bytes follow, more than a buffer (tune.bufsize 16384):
      -- data(0, -1) waits until the buffer is full
      local d = c:data(0, -1)
      add("len", d and #d)
      t("full", c, "is_full"); t("mayrecv", c, "may_recv")
      t("append", c, "append", "x"); t("prepend", c, "prepend", "x"); t("insert", c, "insert", "x", 1)
      t("set_big", c, "set", string.rep("y", 16385))
      t("remove", c, "remove", 0, 100); t("full2", c, "is_full"); t("mayrecv2", c, "may_recv")
      t("append2", c, "append", string.rep("y", 101)); t("append3", c, "append", string.rep("y", 100))
      t("set_all", c, "set", string.rep("y", 16384)); t("in", c, "input")
      t("set_one", c, "set", "1"); t("in2", c, "input")
   elseif sc == "opp" then
      -- the other direction's data is off limits, its send is allowed
      for _, m in ipairs({ "data", "dup", "get", "line", "getline", "get_line", "remove", "forward", "set", "append", "prepend", "insert" }) do
         local arg = (m == "forward") and 1 or ((m == "set" or m == "append" or m == "prepend" or m == "insert") and "z" or nil)
         t("opp_" .. m, other, m, arg)
      end
      t("opp_input", other, "input"); t("opp_output", other, "output"); t("opp_resp", other, "is_resp")
      t("opp_full", other, "is_full")
   end
end

-- Request direction: tcp-request content lua.rq. The first line names the
-- scenario; the report goes to the client with txn.res:send().
core.register_action("rq", { "tcp-req" }, function(txn)
   local t, add, dump = recorder()
   local c = txn.req
   local t0 = ms()
   local sc = c:getline()
   add("sc", sc)
   sc = sc and sc:gsub("\n$", "")
   if sc == "wait" then
      -- "ab" first; the client sends each next part only after "readyN"
      t("ab", c, "data", 0, 2)
      txn.res:send("ready1\n")
      t("line", c, "line")            -- waits for "cd\n"
      t("getline", c, "getline")
      t("in", c, "input")             -- "xy"
      txn.res:send("ready2\n")
      t("data24", c, "data", 2, 4)    -- waits for "12", then "34"
      txn.res:send("ready3\n")
      t("fwd", c, "forward", 8)       -- 6 there, waits for "56"
      t("out", c, "output")
      t("in2", c, "input")
      -- woken by the data, long before the 5 s inspect-delay
      add("fast", ms() - t0 < 2500)
      txn.res:send(dump())
      txn:done()
      return
   elseif sc == "opp" then
      battery(txn, c, txn.res, sc, t, add)
      t("opp_send", txn.res, "send", "")
   else
      battery(txn, c, txn.res, sc, t, add)
   end
   add("fast", ms() - t0 < 2500)
   txn.res:send(dump())
   if sc ~= "mod" then txn:done() end
end)

-- Response direction: tcp-response content lua.rs behind an echo server.
-- The echoed first line names the scenario; the report goes first.
core.register_action("rs", { "tcp-res" }, function(txn)
   local t, add, dump = recorder()
   local c = txn.res
   local t0 = ms()
   local sc = c:getline()
   add("sc", sc)
   sc = sc and sc:gsub("\n$", "")
   if sc == "ping" then
      -- a response action sends to the server: the echo comes back
      t("send_req", txn.req, "send", "pong\n")
      t("line", c, "line")
      t("getline", c, "getline")
   else
      battery(txn, c, txn.req, sc, t, add)
   end
   add("fast", ms() - t0 < 2500)
   txn.res:send(dump())
   if sc ~= "mod" then txn:done() end
end)

-- inspect-delay expiry: what there is, once the delay ran out
local function slow(txn, c)
   local t, add, dump = recorder()
   local t0 = ms()
   t("line", c, "line")                 -- no '\n' ever comes
   add("waited", ms() - t0 >= 350)
   t0 = ms()
   t("data_more", c, "data", 0, 100)    -- no more waiting
   t("line_more", c, "line")
   t("get", c, "get")
   t("data_empty", c, "data")
   t("line_empty", c, "line")
   t("mayrecv", c, "may_recv")
   add("no_more_wait", ms() - t0 < 300)
   txn.res:send(dump())
   txn:done()
end
core.register_action("slow", { "tcp-req" }, function(txn) slow(txn, txn.req) end)
core.register_action("slowres", { "tcp-res" }, function(txn) slow(txn, txn.res) end)

-- a line-based rewriter: each request line upper-cased, each response line prefixed
core.register_action("upper", { "tcp-req" }, function(txn)
   local n = 0
   while true do
      local l = txn.req:getline()
      if not l then break end
      n = n + 1
      txn.req:send(l:upper())
   end
   txn.req:send("LINES " .. n .. "\n")
end)

core.register_action("prefix", { "tcp-res" }, function(txn)
   local n = 0
   while true do
      local l = txn.res:getline()
      if not l then break end
      n = n + 1
      txn.res:send(string.format("%02d> %s", n, l))
   end
end)

-- binary data: reversed on the way in, reversed again on the way out
local BIN = 4096
core.register_action("binreq", { "tcp-req" }, function(txn)
   local c = txn.req
   local d = c:data(0, BIN)
   if not d then return end   -- wait_port's probe
   local l = c:line()
   txn:set_var("txn.first_line_len", #l)
   txn:set_var("txn.nuls", select(2, d:gsub("%z", "")))
   c:set(d:reverse())
end)

core.register_action("binres", { "tcp-res" }, function(txn)
   local c = txn.res
   local d = c:data(0, BIN)
   if not d then return end
   local ok = c:set(d:reverse())
   txn:set_var("txn.set_ret", ok)
end)
