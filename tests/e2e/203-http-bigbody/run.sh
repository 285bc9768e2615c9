# 100 MB through the proxy in each direction, with Content-Length and
# with chunked framing, checked with sha256 at the other end: downloads of
# /size/N and /chunked/N, uploads to /sum (curl -T FILE sends a
# Content-Length, curl -T - from a pipe sends chunked). Each transfer is
# timed (printed, and must end within 60 s). Then clients abort in the
# middle of transfers.
. "$TOP/tests/lib.sh"

N=${BIG_MB:-100}000000
fe=$(free_port)
og=$(free_port)
cat >"$T/hlp.conf" <<CONF
global
    log stderr format raw local0

defaults
    mode http
    log global
    timeout connect 2s
    timeout client 30s
    timeout server 30s

frontend fe
    bind 127.0.0.1:$fe
    default_backend be

backend be
    server s1 127.0.0.1:$og
CONF

start_origin "$og" "$T/origin.log"
start_hlp "$T/hlp.conf" "$fe"
U=http://127.0.0.1:$fe

python3 "$TOP/tests/origin.py" --pattern "$N" >"$T/big"
trap 'rm -f "$T/big"; cleanup' EXIT
want=$(sha256sum <"$T/big" | cut -d' ' -f1)

ms() { echo $(( $(date +%s%N) / 1000000 )); }

t0=$(ms)
got=$(curl -sS --max-time 60 -D "$T/h1" "$U/size/$N" | sha256sum | cut -d' ' -f1)
note "download, Content-Length: $(( $(ms) - t0 )) ms"
expect_eq "$got" "$want" "download with Content-Length: sha256"
grep -qi "^content-length: $N" "$T/h1" || fail "download: no content-length $N in the answer"

t0=$(ms)
got=$(curl -sS --max-time 60 -D "$T/h2" "$U/chunked/$N" | sha256sum | cut -d' ' -f1)
note "download, chunked: $(( $(ms) - t0 )) ms"
expect_eq "$got" "$want" "download chunked: sha256"
grep -qi '^transfer-encoding: chunked' "$T/h2" || fail "download chunked: the answer is not chunked any more"

t0=$(ms)
got=$(curl -sS --max-time 60 -T "$T/big" "$U/sum")
note "upload, Content-Length: $(( $(ms) - t0 )) ms"
expect_eq "$got" "$N $want" "upload with Content-Length: length and sha256 at the origin"

t0=$(ms)
got=$(cat "$T/big" | curl -sS --max-time 60 -T - -H 'Transfer-Encoding: chunked' "$U/sum")
note "upload, chunked: $(( $(ms) - t0 )) ms"
expect_eq "$got" "$N $want" "upload chunked: length and sha256 at the origin"
awk '/^REQ [0-9]+ PUT \/sum /{n++} n == 2 && /^  /' "$T/origin.log" | grep -qi '^  transfer-encoding: chunked' ||
	fail "upload chunked: the origin did not get a chunked request"

# both at once, twice in parallel (the ring buffers of two sessions)
t0=$(ms)
curl -sS --max-time 60 "$U/chunked/$N" | sha256sum | cut -d' ' -f1 >"$T/p1" &
p1=$!
curl -sS --max-time 60 -T "$T/big" "$U/sum" >"$T/p2" &
p2=$!
wait $p1 $p2
note "parallel download + upload: $(( $(ms) - t0 )) ms"
expect_eq "$(cat "$T/p1")" "$want" "parallel download"
expect_eq "$(cat "$T/p2")" "$N $want" "parallel upload"

# clients giving up in the middle, both ways; a 413 to a 100 MB upload:
# the proxy carries on
timeout 0.3 curl -s "$U/size/$N" >/dev/null
timeout 0.3 curl -s "$U/chunked/$N" >/dev/null
timeout 0.3 curl -s -T "$T/big" "$U/sum" >/dev/null
timeout 0.3 curl -s -T - -H 'Transfer-Encoding: chunked' "$U/sum" <"$T/big" >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -T "$T/big" "$U/status/413")
expect_eq "$code" 413 "a 413 to a 100 MB upload"
expect_eq "$(curl -s --max-time 5 "$U/after")" "GET /after" "a request after the aborted transfers"

kill -0 "$HLP_PID" 2>/dev/null || fail "the proxy is gone"
exit 0
