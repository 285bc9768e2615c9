-- Variables the converters read: integers, strings, and a base64 HMAC key.
core.register_action("setvars", {"tcp-req"}, function(txn)
   txn:set_var("txn.three", 3)
   txn:set_var("txn.zero", 0)
   txn:set_var("txn.s12", "12abc")
   txn:set_var("txn.str", "hello")
   txn:set_var("txn.key", "a2V5")
   txn:set_var("txn.big", 9223372036854775807)
end)
