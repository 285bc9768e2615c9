# "http-request capture <expr> len N" (a new request slot of the
# frontend, numbered after the ones declared before it), "http-request
# capture <expr> id N" and "http-response capture <expr> id N" (a declared
# slot), with conditions; what they capture shows in %hr/%hs, truncated to
# the slot's length; "tcp-request content capture <expr> len N" in TCP
# mode. A capture id no frontend slot has is refused once the
# configuration is read, "len" in http-response is refused; HAProxy 2.6's
# messages. The expected lines were written by haproxy 2.6.12.
. "$TOP/tests/lib.sh"
cd "$T"
p=$(free_port)
og=$(free_port)
cat >o.cfg <<CONF
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s
frontend o
    bind 127.0.0.1:$og
    http-request return status 200 content-type text/plain string ok hdr x-r "resp-value-long"
CONF
cat >h.cfg <<CONF
global
    log stderr format raw local0

defaults
    mode http
    log global
    timeout connect 2s
    timeout client 5s
    timeout server 5s

frontend fe
    bind 127.0.0.1:$p
    log-format "%hr|%hs"
    declare capture request len 8
    declare capture response len 8
    http-request capture req.hdr(x-a) len 6
    http-request capture path id 0
    http-request capture url_param(q) len 5 if { path_beg /c }
    http-response capture res.hdr(x-r) id 0 unless { status 500 }
    default_backend be

backend be
    server o 127.0.0.1:$og
CONF
bg "$HLP" -f o.cfg
wait_port "$og" 10 || fail "origin did not start"
start_hlp h.cfg "$p"
curl -s -o /dev/null -H "X-A: abcdefgh" "http://127.0.0.1:$p/cat?q=1234567" || fail "request 1"
curl -s -o /dev/null "http://127.0.0.1:$p/d?q=x" || fail "request 2"
wait_grep 2 '^{' "$T/hlp.log" || fail "no log lines: $(cat "$T/hlp.log")"
expect_eq "$(grep '^{' "$T/hlp.log" | sed -n 1p)" '{/cat|abcdef|12345}|{resp-val}' "captured by rules"
expect_eq "$(grep '^{' "$T/hlp.log" | sed -n 2p)" '{/d||}|{resp-val}' "a condition that does not hold"
is_haproxy || stop_hlp

# tcp-request content capture: a new request slot, shown by %hr in TCP mode too
pt=$(free_port); st=$(free_port)
cat >t.cfg <<CONF
global
    log stderr format raw local0
defaults
    mode tcp
    log global
    timeout connect 2s
    timeout client 5s
    timeout server 5s
listen ft
    bind 127.0.0.1:$pt
    log-format "tcp %hr|%hrl"
    option dontlognull
    tcp-request inspect-delay 1s
    tcp-request content capture req.payload(0,5) len 3 if { req.len gt 2 }
    tcp-request content capture src len 20
    tcp-request content accept if { req.len gt 2 }
    server s 127.0.0.1:$st
CONF
echo_server "$st"
: >"$T/hlp.log"
start_hlp t.cfg "$pt"
printf 'hello\n' | timeout 3 nc -q1 127.0.0.1 "$pt" >/dev/null
printf 'h' | timeout 3 nc -q1 127.0.0.1 "$pt" >/dev/null
# (the port probe of start_hlp may log a line too, without the payload)
wait_grep 1 '^tcp \{hel' "$T/hlp.log" || fail "no TCP log line: $(cat "$T/hlp.log")"
expect_eq "$(grep -c '^tcp {hel|127.0.0.1}|hel 127.0.0.1$' "$T/hlp.log")" 1 "tcp-request content capture"
wait_grep 1 '^tcp \{\|127\.0\.0\.1\}\|- 127\.0\.0\.1$' "$T/hlp.log" || fail "tcp-request content capture, a condition that does not hold: $(cat "$T/hlp.log")"
is_haproxy || stop_hlp

# mistakes
bad() {
	printf 'defaults\n    mode http\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\nfrontend fe\n    bind 127.0.0.1:%s\n    declare capture request len 4\n    %s\n    server s 127.0.0.1:%s\n' "$p" "$1" "$p" | sed 's/^frontend fe/listen fe/' >bad.cfg
	out=$("$HLP" -c -f bad.cfg 2>&1) && fail "accepted: $1"
	case "$out" in *"$2"*) ;; *) fail "'$1': expected '$2', got: $out" ;; esac
}
bad "http-request capture path id 1" "Proxy 'fe': unable to find capture id '1' referenced by http-request capture rule."
bad "http-response capture res.hdr(x) id 0" "Proxy 'fe': unable to find capture id '0' referenced by http-response capture rule."
bad "http-response capture res.hdr(x) len 3" "error detected in proxy 'fe' while parsing 'http-response capture' rule : expects 'id', found 'len'."
bad "http-request capture path len 0" "error detected in proxy 'fe' while parsing 'http-request capture' rule : length must be > 0."
bad "http-request capture path size 3" "error detected in proxy 'fe' while parsing 'http-request capture' rule : expects 'len' or 'id', found 'size'."
bad "http-request capture path id x" "error detected in proxy 'fe' while parsing 'http-request capture' rule : cannot parse id 'x'."
