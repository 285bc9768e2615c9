# A server whose address is empty (typically an unset environment
# variable: server s1 "${UNSET}") must be refused, as HAProxy does
# ("'server' expects <name> and <addr>[:<port>] as arguments."). Accepted,
# it means 0.0.0.0 with the client's destination port: the proxy connects
# to itself, each client eating connection slots up to maxconn.
. "$TOP/tests/lib.sh"
cd "$T"

p1=$(free_port)
cat >srv.cfg <<CONF
global
   maxconn 20

defaults
   timeout client 2s
   timeout server 2s
   timeout connect 1s

listen app
   bind 127.0.0.1:$p1
   server s1 "\${HLP_TEST_SURELY_UNSET}"
CONF
unset HLP_TEST_SURELY_UNSET

"$HLP" -c -f srv.cfg >check.out 2>check.err
rc=$?
[ $rc -ne 0 ] || fail "an empty server address was accepted (-c said: $(cat check.out))"
grep -q "^\[ALERT\] ([0-9]*) : parsing \[srv.cfg:11\] : 'server" check.err ||
	fail "no error on srv.cfg:11 for the empty server address: $(cat check.err)"
note "empty server address refused"
