default = "usa"

-- Create and load map
geo = Map.new("geo.map", Map.ip);

-- Create new fetch that returns the user country
core.register_fetches("country", function(txn)
	local src;
	local loc;

	src = txn.f:fhdr("x-forwarded-for");
	if (src == nil) then
		src = txn.f:src()
		if (src == nil) then
			return default;
		end
	end

	-- Perform lookup
	loc = geo:lookup(src);

	if (loc == nil) then
		return default;
	end

	return loc;
end);
