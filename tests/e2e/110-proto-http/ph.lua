-- Wait until req.proto_http can decide (nil while the head is incomplete
-- and more may come), then answer with its value.
core.register_action("probe", { "tcp-req" }, function(txn)
   local r = txn.f:req_proto_http()
   while r == nil do
      core.msleep(10)
      r = txn.f:req_proto_http()
   end
   txn.res:send(tostring(r) .. " " .. txn.sf:req_proto_http() .. "\n")
   txn:done()
end)
