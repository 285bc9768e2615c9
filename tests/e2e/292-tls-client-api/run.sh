# tls.h as Lua's Socket:connect_ssl uses it, through tests/tls_client.c
# (a non-blocking socket, poll() on what each call wants) against openssl
# s_server -rev: a verified session exchanges a line; a wrong name, an
# unknown CA and an expired certificate are refused with the reason; no CA
# and verify 0 works; then a loop of handshakes gives the rate. The driver
# is built against the library of the default build.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tls_lib.sh"
is_haproxy && exit 0   # hlproxy's own API

make -s -C "$TOP" unit UNIT=tests/tls_client.c UNIT_BIN="$T/tls_client" >"$T/build.log" 2>&1 ||
	{ cat "$T/build.log"; fail "cannot build tests/tls_client.c"; }
tls_certs "$T/certs" || fail "cannot make certificates"
good=$(free_port) expired=$(free_port)
s_server "$good" good -rev
s_server "$expired" expired -rev
C=$T/certs

out=$("$T/tls_client" "$good" localhost "$C/ca.pem" 1 | head -1)
expect_eq "$out" "ok: olleh (pending 0)" "verified session"
# (a name that is an IP address matches an iPAddress SAN with mbedTLS 3.x only)
out=$("$T/tls_client" "$good" wrong.example "$C/ca.pem" 1 | head -1)
case "$out" in "error: TLS: server certificate verification failed: wrong name"*) ;; *) fail "wrong name: got '$out'" ;; esac
out=$("$T/tls_client" "$good" localhost "$C/other-ca.pem" 1 | head -1)
case "$out" in "error: TLS: server certificate verification failed: unknown CA"*) ;; *) fail "unknown CA: got '$out'" ;; esac
out=$("$T/tls_client" "$expired" localhost "$C/ca.pem" 1 | head -1)
case "$out" in "error: TLS: server certificate verification failed: certificate expired"*) ;; *) fail "expired: got '$out'" ;; esac
out=$("$T/tls_client" "$expired" - - 0 | head -1)
expect_eq "$out" "ok: olleh (pending 0)" "no verification"
out=$("$T/tls_client" "$good" localhost - 1 | head -1)
expect_eq "$out" "error: TLS: verification required but no CA file configured" "verify without a CA"
out=$("$T/tls_client" "$(free_port)" localhost "$C/ca.pem" 1 | head -1)
case "$out" in "error: connect"*) ;; *) fail "refused: got '$out'" ;; esac

"$T/tls_client" "$good" localhost "$C/ca.pem" 1 50 >"$T/rate.log" || { cat "$T/rate.log"; fail "handshake loop"; }
cat "$T/rate.log"
expect_grep "50 handshakes in" "$T/rate.log" "handshake loop"
