-- The seed's example: "http-request redirect location /%[lua.hello]".
core.register_fetches("hello", function(txn) return "hello" end)
