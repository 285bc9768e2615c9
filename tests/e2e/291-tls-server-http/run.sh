# "server ... ssl" in HTTP mode: openssl s_server -www behind a verified
# server line; a keep-alive TLS origin whose connection is parked and
# reused with its TLS session (both requests of one client connection come
# on one server connection); "sni str(example.test)" reaches the origin;
# "verify none" accepts an expired certificate; a wrong name gives a 503,
# SC in the log and an alert that says why.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tls_lib.sh"

tls_certs "$T/certs" || fail "cannot make certificates"
www=$(free_port) expired=$(free_port) wrong=$(free_port) ka=$(free_port)
p=$(free_port)
s_server "$www" good -www
s_server "$expired" expired -www
s_server "$wrong" wrong -www
tls_origin "$ka" good

cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0
    ca-base $T/certs

defaults
    mode http
    log global
    option httplog
    retries 0
    timeout connect 2s
    timeout client 5s
    timeout server 5s

frontend fe
    bind 127.0.0.1:$p
    use_backend www if { path_beg /www }
    use_backend none if { path_beg /none }
    use_backend name if { path_beg /name }
    use_backend sni if { path_beg /sni }
    default_backend ka

backend www
    server s1 127.0.0.1:$www ssl verify required ca-file ca.pem

backend none
    server s1 127.0.0.1:$expired ssl verify none

backend name
    server s1 127.0.0.1:$wrong ssl verify required ca-file ca.pem sni str(localhost)

backend sni
    server s1 127.0.0.1:$ka ssl verify none sni str(example.test)

backend ka
    server s1 127.0.0.1:$ka ssl ca-file ca.pem sni str(localhost)
CONF

start_hlp "$T/hlp.conf" "$p"

out=$(curl -s -m 10 "http://127.0.0.1:$p/www")
case "$out" in *"s_server -accept"*) ;; *) fail "s_server -www through TLS: got '$out'" ;; esac
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/none")
expect_eq "$code" 200 "verify none with an expired certificate"

# two requests on one client connection: one server connection, reused
out=$(curl -s -m 10 "http://127.0.0.1:$p/a" "http://127.0.0.1:$p/b")
expect_eq "$out" "conn=1 sni=localhost path=/a
conn=1 sni=localhost path=/b" "keep-alive reuse of a TLS server connection"

out=$(curl -s -m 10 "http://127.0.0.1:$p/sni")
expect_eq "$out" "conn=2 sni=example.test path=/sni" "sni str(example.test)"

code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/name")
expect_eq "$code" 503 "a certificate with a wrong name"
wait_grep 1 ' fe name/s1 .* 503 .* SC-- ' "$T/hlp.log" 5 || fail "no SC log line for the wrong name"
is_haproxy || expect_grep "Server name/s1: TLS: server certificate verification failed: wrong name" "$T/hlp.log" "wrong-name reason"

# still fine after the failure
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/www")
expect_eq "$code" 200 "after a failure"
is_haproxy || stop_hlp
