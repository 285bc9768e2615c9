# "-n <maxconn>" must not wrap around. hlproxy accepts any positive number
# and stores it in an unsigned int: "-n 4294967296" silently becomes
# maxconn 0 (-c calls the configuration valid, -vv prints "maxconn = 0", a
# start fails with "Not enough memory for 0 buffers of 16384 bytes and 0
# connections."), and with "-n 3000000000" the arena count wraps. A value
# out of range should be refused, as "maxconn" in the configuration is.
. "$TOP/tests/lib.sh"
cd "$T"

p1=$(free_port)
printf 'listen app\n   bind 127.0.0.1:%s\n' "$p1" >n.cfg

# refused, or kept as given: never turned into something else
"$HLP" -vv -n 4294967296 -f n.cfg >vv.out 2>vv.err
if [ $? -eq 0 ]; then
	grep -q "maxconn = 4294967296, bufsize = 16384, buffers = 8589934592 " vv.out ||
		fail "-n 4294967296 was accepted as: $(grep 'maxconn =' vv.out)"
fi
"$HLP" -vv -n 3000000000 -f n.cfg >vv2.out 2>vv2.err
if [ $? -eq 0 ]; then
	grep -q "maxconn = 3000000000, bufsize = 16384, buffers = 6000000000 " vv2.out ||
		fail "-n 3000000000 was accepted as: $(grep 'maxconn =' vv2.out)"
fi
# an ordinary value still works
"$HLP" -vv -n 500 -f n.cfg >vv3.out 2>&1 || fail "-n 500 refused: $(cat vv3.out)"
expect_grep "maxconn = 500, bufsize = 16384, buffers = 1000 " vv3.out "-n 500"
note "-n range checked"
