# option dontlognull, as HAProxy does it: a session is not logged when the
# client sent nothing, whatever the server sent (HAProxy tests the request
# byte count only). So: a client that only reads a server's banner is not
# logged; a client that sends something to a server that never answers
# is logged (0 bytes); a session with data both ways is logged. Without
# the option, the banner-only session is logged. Haproxy 2.6 behaves so.
. "$TOP/tests/lib.sh"

ping=$(free_port)
banner=$(free_port)
chatty=$(free_port)
silent=$(free_port)
plain=$(free_port)
b=$(free_port)
b2=$(free_port)
z=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 10s
    timeout server 10s

listen ping
    bind 127.0.0.1:$ping
    server z 127.0.0.1:$z

listen banner
    bind 127.0.0.1:$banner
    option dontlognull
    server b 127.0.0.1:$b

listen chatty
    bind 127.0.0.1:$chatty
    option dontlognull
    server b2 127.0.0.1:$b2

listen silent
    bind 127.0.0.1:$silent
    option dontlognull
    server z 127.0.0.1:$z

listen plain
    bind 127.0.0.1:$plain
    server b 127.0.0.1:$b
CONF

# greets and closes
name_server "$b" hello
# greets, then reads until EOF (client data never meets a closed socket)
bg socat -t 10 TCP-LISTEN:"$b2",bind=127.0.0.1,reuseaddr,fork SYSTEM:"echo hello; cat >/dev/null"
wait_port "$b2" 5 || fail "second banner server did not start"
# never answers
bg socat -t 10 TCP-LISTEN:"$z",bind=127.0.0.1,reuseaddr,fork SYSTEM:"cat >/dev/null"
wait_port "$z" 5 || fail "silent server did not start"
start_hlp "$T/hlp.conf" "$ping"

# logged FE N [TRIES]: true once N sessions of FE are logged
logged() {
	local i
	for i in $(seq 1 "${3:-100}"); do
		[ "$(grep -c "] $1 $1/" "$T/hlp.log")" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# banner only, without dontlognull: logged. The client sends nothing and
# no FIN either (no -N); it ends at the server's close.
out=$(timeout 5 nc 127.0.0.1 "$plain" </dev/null)
expect_eq "$out" "hello" "banner through 'plain'"
logged plain 1 || fail "banner-only session without dontlognull not logged"

# data from the client, nothing back: logged despite dontlognull
printf 'ping\n' | timeout 5 nc -N 127.0.0.1 "$silent" >/dev/null
logged silent 1 || fail "a session where the client sent data was not logged"

# data both ways: logged
out=$(printf 'x\n' | timeout 5 nc -N 127.0.0.1 "$chatty")
expect_eq "$out" "hello" "banner with client data"
logged chatty 1 || fail "a session with data both ways was not logged"

# banner only, the client sent nothing: not logged with dontlognull
out=$(timeout 5 nc 127.0.0.1 "$banner" </dev/null)
expect_eq "$out" "hello" "banner through 'banner'"
if logged banner 1 20; then
	fail "the banner-only session (client sent nothing) was logged despite dontlognull: $(grep "] banner banner/" "$T/hlp.log")"
fi
note "banner-only session not logged; client data sessions logged"
stop_hlp
