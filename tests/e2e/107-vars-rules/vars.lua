-- Variables, rules and the TXN methods around them. Results of API probes
-- go to the client as "key=value" lines (strings quoted with %q, errors
-- as "ERR:<message>" without the "vars.lua:N: " prefix).

local function q(v)
   if type(v) == "string" then return (string.format("%q", v):gsub("\\\n", "\\n")) end
   return tostring(v)
end

local function recorder()
   local r = {}
   local function t(k, f, ...)
      local ok, v = pcall(f, ...)
      if ok then r[#r + 1] = k .. "=" .. q(v)
      else r[#r + 1] = k .. "=ERR:" .. tostring(v):gsub("^.-vars%.lua:%d+: ", "") end
   end
   local function dump() return table.concat(r, "\n") .. "\n" end
   return t, dump
end

-- every scope as seen now, as one string ("-" for unset)
local function seen(txn)
   local out = {}
   for _, n in ipairs({ "proc.n", "sess.s", "txn.t", "req.q", "res.r" }) do
      local v = txn:get_var(n)
      out[#out + 1] = n:match("^(%a+)") .. ":" .. (v == nil and "-" or tostring(v))
   end
   return table.concat(out, ",")
end

-- scopes: what the request rules see first, then (in the response) what
-- the response rules see
core.register_action("before", { "tcp-req" }, function(txn)
   txn:set_var("txn.before", seen(txn))
end)
core.register_action("inres", { "tcp-res" }, function(txn)
   txn:set_var("res.inres", seen(txn))
end)

-- the req/res lifetimes seen from both directions (see "reqres" in run.sh)
core.register_action("rqvars", { "tcp-req" }, function(txn)
   local t, dump = recorder()
   t("set_req", txn.set_var, txn, "req.x", "Q")
   t("get_req", txn.get_var, txn, "req.x")
   t("set_res", txn.set_var, txn, "res.x", "R")
   t("get_res", txn.get_var, txn, "res.x")
   t("get_res_rule", txn.get_var, txn, "res.early")
   t("unset_res", txn.unset_var, txn, "res.x")
   txn:set_var("txn.rq", (dump():gsub("\n$", ""):gsub("\n", ",")))
end)
core.register_action("rsvars", { "tcp-res" }, function(txn)
   local t, dump = recorder()
   t("get_req", txn.get_var, txn, "req.x")
   t("set_req", txn.set_var, txn, "req.late", "L")
   t("get_req_late", txn.get_var, txn, "req.late")
   t("set_res", txn.set_var, txn, "res.y", "Y")
   t("get_res", txn.get_var, txn, "res.y")
   t("unset_req", txn.unset_var, txn, "req.x")
   txn:set_var("txn.rs", (dump():gsub("\n$", ""):gsub("\n", ",")))
end)

-- set_var/get_var/unset_var with every kind of value
core.register_action("api", { "tcp-req" }, function(txn)
   local t, dump = recorder()
   t("set_int", txn.set_var, txn, "txn.i", 42)
   t("get_int", txn.get_var, txn, "txn.i")
   t("type_int", function() return math.type(txn:get_var("txn.i")) end)
   t("set_neg", function() txn:set_var("txn.neg", -7); return txn:get_var("txn.neg") end)
   t("set_float", function() txn:set_var("txn.fl", 2.0); return txn:get_var("txn.fl") end)
   t("set_true", function() txn:set_var("txn.b", true); return txn:get_var("txn.b") end)
   t("set_false", function() txn:set_var("txn.bf", false); return txn:get_var("txn.bf") end)
   t("set_str", function() txn:set_var("txn.s", "hello"); return txn:get_var("txn.s") end)
   t("set_empty", function() txn:set_var("txn.e", ""); return txn:get_var("txn.e") end)
   t("set_nul", function() txn:set_var("txn.nul", "a\0b\0"); return txn:get_var("txn.nul") end)
   t("len_nul", function() return #txn:get_var("txn.nul") end)
   t("set_table", function() txn:set_var("txn.tb", { 1 }); return txn:get_var("txn.tb") end)
   t("set_nil", function() txn:set_var("txn.ni", nil); return txn:get_var("txn.ni") end)
   t("set_func", function() txn:set_var("txn.fn", print); return txn:get_var("txn.fn") end)
   t("set_noval", function() return txn:set_var("txn.nv") end)
   t("replace", function() txn:set_var("txn.s", 7); return txn:get_var("txn.s") end)
   t("unset", txn.unset_var, txn, "txn.s")
   t("get_unset", txn.get_var, txn, "txn.s")
   t("unset_missing", txn.unset_var, txn, "txn.never")
   t("get_missing", txn.get_var, txn, "txn.never")
   -- the same name in different scopes: different variables
   t("scopes", function()
      txn:set_var("sess.x", "S"); txn:set_var("txn.x", "T"); txn:set_var("req.x", "Q")
      return txn:get_var("sess.x") .. txn:get_var("txn.x") .. txn:get_var("req.x")
   end)
   -- a res variable cannot be set while the request is processed
   t("res_in_req", txn.set_var, txn, "res.x", "R")
   t("res_in_req_get", txn.get_var, txn, "res.x")
   -- set by rules before this action: typed values come back typed
   t("rule_int", txn.get_var, txn, "txn.r_int")
   t("rule_bool", txn.get_var, txn, "txn.r_bool")
   t("rule_ip", txn.get_var, txn, "txn.r_ip")
   t("rule_str", txn.get_var, txn, "txn.r_str")
   t("rule_bin", function() return #txn:get_var("txn.r_bin") end)
   -- names made of letters, digits, '.' and '_' (HAProxy refuses '-')
   t("dotted", function() txn:set_var("txn.a.b_C9", 1); return txn:get_var("txn.a.b_C9") end)
   -- bad names: Lua errors that say what is wrong
   t("bad_scope", txn.set_var, txn, "foo.x", 1)
   t("bad_get", txn.get_var, txn, "foo.x")
   t("bad_unset", txn.unset_var, txn, "foo.x")
   t("no_scope", txn.set_var, txn, "x", 1)
   t("empty_name", txn.set_var, txn, "txn.", 1)
   t("bad_char", txn.set_var, txn, "txn.a b", 1)
   t("bad_dash", txn.set_var, txn, "txn.a-b", 1)
   t("name_type", function() return txn:set_var({}, 1) end)
   txn.res:send(dump())
   txn:done()
end)

-- set_var(..., ifexist): the probes of HAProxy's reg-tests/lua/set_var.vtc
core.register_action("ifexist", { "tcp-req" }, function(txn)
   local t, dump = recorder()
   -- txn and sess variables are set whether or not anything names them
   t("txn_new", txn.set_var, txn, "txn.ie_new", "v", true)
   t("txn_new_get", txn.get_var, txn, "txn.ie_new")
   t("sess_new", txn.set_var, txn, "sess.ie_new", "v", true)
   t("sess_new_get", txn.get_var, txn, "sess.ie_new")
   -- a proc variable the configuration names (var(proc.ie_named) in the log-format)
   t("proc_named", txn.set_var, txn, "proc.ie_named", "v", true)
   t("proc_named_get", txn.get_var, txn, "proc.ie_named")
   -- a proc variable nothing names: never created
   t("proc_new", txn.set_var, txn, "proc.ie_new", "v", true)
   t("proc_new_get", txn.get_var, txn, "proc.ie_new")
   -- an existing one is updated; ifexist false is a plain set
   t("proc_set", txn.set_var, txn, "proc.ie_plain", "a")
   t("proc_upd", txn.set_var, txn, "proc.ie_plain", "b", true)
   t("proc_upd_get", txn.get_var, txn, "proc.ie_plain")
   t("proc_false", txn.set_var, txn, "proc.ie_false", "c", false)
   t("proc_false_get", txn.get_var, txn, "proc.ie_false")
   t("unset_ret", txn.unset_var, txn, "proc.ie_plain")
   t("bad_scope_ifexist", txn.set_var, txn, "invalid.var", "v", true)
   txn.res:send(dump())
   txn:done()
end)

-- txn.f / txn.sf / txn.c / txn.sc
core.register_action("smp", { "tcp-req" }, function(txn)
   local t, dump = recorder()
   txn.req:data(0, 5)   -- "hello" is there
   t("f_req_len", txn.f.req_len, txn.f)
   t("f_type", function() return math.type(txn.f:req_len()) end)
   t("sf_req_len", txn.sf.req_len, txn.sf)
   t("f_fe_name", txn.f.fe_name, txn.f)
   t("f_src", txn.f.src, txn.f)
   t("f_true", txn.f.always_true, txn.f)
   t("f_false", txn.f.always_false, txn.f)
   t("sf_true", txn.sf.always_true, txn.sf)
   t("f_str", txn.f.str, txn.f, "abc")
   t("f_int", txn.f.int, txn.f, "12")
   t("f_payload", txn.f.req_payload, txn.f, 1, 3)
   -- a sample that fails: nil from f, "" from sf
   t("f_fail", txn.f.srv_name, txn.f)
   t("sf_fail", txn.sf.srv_name, txn.sf)
   t("f_var_missing", txn.f.var, txn.f, "txn.nothing")
   t("sf_var_missing", txn.sf.var, txn.sf, "txn.nothing")
   t("f_var", function() txn:set_var("txn.v", 5); return txn.f:var("txn.v") end)
   -- a backend argument
   t("f_nbsrv", txn.f.nbsrv, txn.f, "bk")
   t("f_nbsrv_bad", txn.f.nbsrv, txn.f, "nosuch")
   t("f_be_conn", txn.f.be_conn, txn.f, "bk")
   t("f_srv_is_up", txn.f.srv_is_up, txn.f, "bk/s1")
   -- bad arguments: errors naming the keyword
   t("f_badarg", txn.f.req_payload, txn.f, "x", 1)
   t("f_toomany", txn.f.fe_name, txn.f, "a", "b")
   t("f_var_bad", txn.f.var, txn.f, "nope")
   -- converters: the first argument is the input
   t("c_upper", txn.c.upper, txn.c, "abc")
   t("c_add", txn.c.add, txn.c, 40, 2)
   t("c_add_type", function() return math.type(txn.c:add(40, 2)) end)
   t("sc_add", txn.sc.add, txn.sc, 40, 2)
   t("c_strint", txn.c.add, txn.c, "40", 2)
   t("c_bool", txn.c.bool, txn.c, 3)
   t("sc_bool", txn.sc.bool, txn.sc, 0)
   t("c_field", txn.c.field, txn.c, "a,b,c", 2, ",")
   t("c_hex", txn.c.hex, txn.c, "\0\1")
   t("c_fail", txn.c.b64dec, txn.c, "!!!")
   t("sc_fail", txn.sc.b64dec, txn.sc, "!!!")
   t("c_badarg", txn.c.add, txn.c, 1, "x y")
   t("c_missing", txn.c.field, txn.c, "a,b")
   t("c_noinput", function() return txn.c:upper() end)
   t("unknown", function() return txn.f:no_such_fetch() end)
   txn.res:send(dump())
   txn:done()
end)

-- with tune.lua.bool-sample-conversion pre-3.1-bug: booleans as integers
core.register_action("smpbool", { "tcp-req" }, function(txn)
   local t, dump = recorder()
   t("f_true", txn.f.always_true, txn.f)
   t("f_false", txn.f.always_false, txn.f)
   t("c_bool", txn.c.bool, txn.c, 3)
   t("get_bool", function() txn:set_var("txn.b", true); return txn:get_var("txn.b") end)
   txn.res:send(dump())
   txn:done()
end)

-- tune.vars limits (see run.sh for the sizes)
core.register_action("limits", { "tcp-req" }, function(txn)
   local t, dump = recorder()
   local g = function(n) return function() return txn:get_var(n) end end
   -- txn: 10 bytes
   -- set_var returns false when the value is not stored
   t("txn_fit", function() return tostring(txn:set_var("txn.a", "1234567890")) .. "/" .. txn:get_var("txn.a") end)
   t("txn_over", function() return tostring(txn:set_var("txn.b", "x")) .. "/" .. tostring(txn:get_var("txn.b")) end)
   t("txn_int", function() txn:set_var("txn.c", 123456789); return txn:get_var("txn.c") end)
   t("txn_replace_smaller", function() txn:set_var("txn.a", "12345"); return txn:get_var("txn.a") end)
   t("txn_room", function() txn:set_var("txn.b", "abcde"); return txn:get_var("txn.b") end)
   t("txn_replace_bigger", function() txn:set_var("txn.a", "123456"); return txn:get_var("txn.a") end)
   t("txn_unset", function() txn:unset_var("txn.a"); txn:set_var("txn.d", "vwxyz"); return txn:get_var("txn.d") end)
   t("txn_too_big", function() txn:set_var("txn.big", "12345678901"); return txn:get_var("txn.big") end)
   -- sess: 4 bytes
   t("sess_fit", function() txn:set_var("sess.a", "abcd"); return txn:get_var("sess.a") end)
   t("sess_over", function() txn:set_var("sess.b", "e"); return txn:get_var("sess.b") end)
   -- req and res: 3 bytes each (tune.vars.reqres-max-size)
   t("req_fit", function() txn:set_var("req.a", "abc"); return txn:get_var("req.a") end)
   t("req_over", function() txn:set_var("req.b", "d"); return txn:get_var("req.b") end)
   -- proc: 6 bytes over the whole process
   t("proc", function()
      local before = txn:get_var("proc.p1")
      txn:set_var("proc.p" .. (before and 2 or 1), "abcd")
      return tostring(before) .. "/" .. tostring(txn:get_var("proc.p2"))
   end)
   txn.res:send(dump())
   txn:done()
end)

-- the same limit on res variables, in the response (the server's echo
-- is dropped: the client gets the report only)
core.register_action("limitsres", { "tcp-res" }, function(txn)
   local t, dump = recorder()
   t("res_fit", function() return tostring(txn:set_var("res.a", "abc")) .. "/" .. txn:get_var("res.a") end)
   t("res_over", function() return tostring(txn:set_var("res.b", "d")) .. "/" .. tostring(txn:get_var("res.b")) end)
   txn.res:send(dump())
   txn:done()
end)

-- the global limit (30 bytes in all): what sessions hold counts
core.register_action("hold", { "tcp-req" }, function(txn)
   txn:set_var("txn.hold", string.rep("h", 20))
   txn.res:send("held=" .. tostring(txn:get_var("txn.hold") ~= nil) .. "\n")
   txn.req:line()   -- wait for a line (or the close) before ending
   txn:done()
end)
core.register_action("global", { "tcp-req" }, function(txn)
   txn:set_var("txn.g", string.rep("g", 15))
   txn.res:send("global=" .. q(txn:get_var("txn.g")) .. "\n")
   txn:done()
end)

-- backend rules after the frontend's: each appends its word
core.register_action("order", { "tcp-req" }, function(txn, word)
   txn:set_var("txn.order", (txn:get_var("txn.order") or "") .. word)
end, 1)

-- set_loglevel and the log methods
core.register_action("loglevel", { "tcp-req" }, function(txn)
   local lvl = txn.req:getline():gsub("\n$", "")
   txn:set_var("txn.lvl", lvl)
   if lvl == "bad" then
      local ok, err = pcall(function() txn:set_loglevel(8) end)
      txn:set_var("txn.err", (tostring(err):gsub("^.-vars%.lua:%d+: ", "")))
      txn:set_loglevel(-1)   -- uncaught: the action fails, the level stays
   else
      txn:set_loglevel(tonumber(lvl))
   end
   txn:done()
end)
core.register_action("logs", { "tcp-req" }, function(txn)
   txn:log(2, "lg-crit")
   txn:deflog("lg-deflog")
   txn:Debug("lg-debug")
   txn:Info("lg-info")
   txn:Warning("lg-warning")
   txn:Alert("lg-alert")
   local ok, err = pcall(function() txn:log(8, "x") end)
   txn:Info("lg-bad " .. tostring(err):gsub("^.-vars%.lua:%d+: ", ""))
end)

-- the HAProxy 1.6 forms: "tcp-request content lua <fn>" and
-- "tcp-response content lua <fn>" call global functions with the TXN
function old_req(txn)
   local l = txn.req:get_line()
   txn:set_var("txn.old", "req:" .. l:gsub("\n", ""))
   txn.req:send(l)
end
function old_res(txn)
   local l = txn.res:get_line()
   txn.res:send("old:" .. l)
   txn:set_var("txn.old2", (txn:get_var("txn.old") or "") .. "+res")
end

-- txn:done() and txn:close() in request and response actions
core.register_action("reqdone", { "tcp-req" }, function(txn, how)
   txn:set_var("txn.d1", "yes")
   txn.res:send("bye-" .. how .. "\n")
   if how == "done" then
      txn:done()
      txn:set_var("txn.d2", "after-done")   -- never runs
   else
      txn:close()
      txn:set_var("txn.d2", "after-close")  -- runs: close() does not end the action
   end
end, 1)
core.register_action("resdone", { "tcp-res" }, function(txn, how)
   local l = txn.res:getline()   -- the server's first line
   txn:set_var("txn.d1", l and l:gsub("\n", "") or "nil")
   txn.res:send("bye-" .. how .. "\n")
   if how == "done" then
      txn:done()
      txn:set_var("txn.d2", "after-done")
   else
      txn:close()
      txn:set_var("txn.d2", "after-close")
   end
end, 1)
