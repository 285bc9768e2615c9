# Many HTTP clients at once: 40 clients in parallel, each with several
# kept-alive requests (small answers, 1 MB downloads with Content-Length
# and chunked, 1 MB chunked and Content-Length uploads), every body
# checked; then 60 clients that each leave a server connection idle, and
# a second wave that must still be served (idle connections beyond what
# the proxy keeps are closed, never lost); the proxy ends clean.
. "$TOP/tests/lib.sh"

fe=$(free_port)
og=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    maxconn 500

defaults
    mode http
    timeout connect 2s
    timeout client 20s
    timeout server 20s

listen fe
    bind 127.0.0.1:$fe
    http-reuse always
    server s1 127.0.0.1:$og
CONF

start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fe"
U=http://127.0.0.1:$fe

python3 "$TOP/tests/origin.py" --pattern 1000000 >"$T/m1"
want=$(sha256sum <"$T/m1" | cut -d' ' -f1)

client() {   # client N: one client's requests, prints one line per check
	local n=$1
	curl -s --max-time 30 "$U/a$n" "$U/size/1000000" "$U/b$n" "$U/chunked/1000000" -o "$T/c$n.1" -o "$T/c$n.2" -o "$T/c$n.3" -o "$T/c$n.4"
	echo "$(cat "$T/c$n.1") $(sha256sum <"$T/c$n.2" | cut -c1-64) $(cat "$T/c$n.3") $(sha256sum <"$T/c$n.4" | cut -c1-64)"
	curl -s --max-time 30 -T "$T/m1" "$U/sum"
	curl -s --max-time 30 -T - -H 'Transfer-Encoding: chunked' "$U/sum" <"$T/m1"
	rm -f "$T/c$n".*
}
jobs=""
for n in $(seq 1 40); do client "$n" >"$T/out.$n" 2>&1 & jobs="$jobs $!"; done
wait $jobs
bad=""
for n in $(seq 1 40); do
	expected="GET /a$n $want GET /b$n $want
1000000 $want
1000000 $want"
	[ "$(cat "$T/out.$n")" = "$expected" ] || bad="$bad $n"
done
[ -z "$bad" ] || fail "clients with wrong answers:$bad (first: $(cat "$T/out.${bad# }" | head -3))"
note "40 parallel clients: all bodies intact"

# 60 clients leave 60 idle server connections, then 60 more
for wave in 1 2; do
	jobs=""
	for n in $(seq 1 60); do curl -s --max-time 10 "$U/w$wave-$n" -o "$T/w.$wave.$n" & jobs="$jobs $!"; done
	wait $jobs
	for n in $(seq 1 60); do
		[ "$(cat "$T/w.$wave.$n")" = "GET /w$wave-$n" ] || fail "wave $wave, client $n: $(cat "$T/w.$wave.$n")"
	done
done
expect_eq "$(curl -s "$U/after")" "GET /after" "a request after the waves"

kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
