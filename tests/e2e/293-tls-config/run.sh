# TLS configuration: errors HAProxy 2.6 also refuses (verify required
# without a CA file, a CA file that does not load, a bad verify method,
# ca-base twice), and hlproxy's own choices: without any CA file a TLS
# server is not verified and a start-up warning says so; "verify none" or
# "ssl-server-verify none" silence it; ssl-default-server-ca-file gives a
# CA to every server; -vv tells what TLS costs.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tls_lib.sh"

tls_certs "$T/certs" || fail "cannot make certificates"
p=$(free_port)

# check CONF-BODY: writes $T/c.conf with a global section ($GLOBAL) and a
# listen section with the server line given; runs -c; output in $T/c.log
check() {
	cat >"$T/c.conf" <<CONF
global
    ca-base $T/certs
${GLOBAL:-}
defaults
    mode tcp
    timeout connect 1s
    timeout client 1s
    timeout server 1s
listen l
    bind 127.0.0.1:$p
    $1
CONF
	"$HLP" -c -f "$T/c.conf" >"$T/c.log" 2>&1
}

check "server s1 127.0.0.1:1 ssl verify required" && fail "verify required without a CA file was accepted"
check "server s1 127.0.0.1:1 ssl ca-file nothere.pem" && fail "a missing CA file was accepted"
check "server s1 127.0.0.1:1 ssl verify sometimes ca-file ca.pem" && fail "a bad verify method was accepted"
check "server s1 127.0.0.1:1 ssl verify required ca-file ca.pem" || { cat "$T/c.log"; fail "a valid server line was refused"; }
GLOBAL="    ssl-server-verify required" check "server s1 127.0.0.1:1 ssl" && fail "ssl-server-verify required without a CA file was accepted"
GLOBAL="    ca-base /tmp" check "server s1 127.0.0.1:1" && fail "ca-base twice was accepted"

is_haproxy && exit 0
# hlproxy's own: the messages, no CA file, the global CA file, -vv
check "server s1 127.0.0.1:1 ssl verify required"
expect_grep "verify is enabled but no CA file specified" "$T/c.log" "message"
check "server s1 127.0.0.1:1 ssl ca-file nothere.pem"
expect_grep "'ca-file' : unable to load $T/certs/nothere.pem" "$T/c.log" "message"
check "server s1 127.0.0.1:1 ssl verify sometimes"
expect_grep "unknown verify method 'sometimes', only 'none' and 'required' are supported" "$T/c.log" "message"
check "server s1 127.0.0.1:1 ssl" || fail "ssl without a CA file must start"
expect_grep "TLS without a CA file: the server's certificate is NOT verified" "$T/c.log" "no-CA warning"
check "server s1 127.0.0.1:1 ssl verify none" || fail "verify none"
grep -q "NOT verified" "$T/c.log" && fail "warning despite verify none"
GLOBAL="    ssl-server-verify none" check "server s1 127.0.0.1:1 ssl" || fail "ssl-server-verify none"
grep -q "NOT verified" "$T/c.log" && fail "warning despite ssl-server-verify none"
GLOBAL="    ssl-default-server-ca-file ca.pem" check "server s1 127.0.0.1:1 ssl verify required" ||
	{ cat "$T/c.log"; fail "ssl-default-server-ca-file"; }
check "default-server ssl" && fail "default-server ssl is not implemented yet"
expect_grep "'ssl' is not implemented yet" "$T/c.log" "default-server ssl"

# the global CA file verifies a real session; -vv reports TLS memory
good=$(free_port)
s_server "$good" good -rev
GLOBAL="    ssl-default-server-ca-file ca.pem" check "server s1 127.0.0.1:$good ssl sni str(localhost)"
"$HLP" -vv -f "$T/c.conf" >"$T/vv.log" 2>&1
expect_grep "^TLS (mbedTLS " "$T/vv.log" "-vv TLS section"
grep -q "allocations : counted" "$T/vv.log" && expect_grep "per connection : [0-9]* bytes" "$T/vv.log" "-vv per connection"
cat "$T/vv.log" | sed -n '/^TLS/,/^Available/p'
start_hlp "$T/c.conf" "$p"
out=$(printf 'hello\n' | timeout 10 nc -q 2 127.0.0.1 "$p")
expect_eq "$out" "olleh" "verified by the global CA file"
stop_hlp
