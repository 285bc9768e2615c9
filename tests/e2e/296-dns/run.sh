# The runtime resolver (src/dns.c) against a tiny DNS server (dnsd.py) on
# 127.0.0.1, driven by tests/unit_dns.c built as a program: A, AAAA,
# AF_UNSPEC, CNAME chains, NXDOMAIN, timeouts, TC, query ids, the cache
# and TTL expiry, the hosts file, shared and cancelled queries. Then the
# configuration: a resolvers section, its mistakes at file:line, and
# server lines naming hosts (resolved at start-up by libc, as HAProxy).
. "$TOP/tests/lib.sh"
cd "$T"
san=
case "$HLP" in *-asan) san=1 ;; esac
make -s -C "$TOP" SANITIZE=$san UNIT=tests/unit_dns.c UNIT_BIN="$T/dnsdrv" unit >build.log 2>&1 ||
	{ cat build.log; fail "cannot build the driver"; }

bg python3 "$CASE/dnsd.py" "$T/dnsport" "$T/queries.log"
for _ in $(seq 50); do [ -s dnsport ] && break; sleep 0.1; done
[ -s dnsport ] || fail "dnsd.py did not start"
dport=$(cat dnsport)
cat >res.cfg <<CFG
resolvers test
    nameserver local 127.0.0.1:$dport
    resolve_retries 2
    timeout retry 200ms
    timeout resolve 300ms
    hold nx 10s
CFG
printf '# no nameserver here\n' >resolv.conf
printf '192.0.2.1 nx.test hosts-only.test\n' >hosts
export HLP_RESOLV_CONF="$T/resolv.conf" HLP_HOSTS_FILE="$T/empty-hosts"

# expect LINE-PATTERN: the driver printed a line matching it
expect() { grep -Eq -- "$1" out.txt || { cat out.txt; fail "no line matching '$1'"; }; }
# queries NAME TYPE N: the server saw N queries for NAME/TYPE
queries() {
	local c
	c=$(grep -c "^$1 $2\$" queries.log)
	[ "$c" = "$3" ] || { cat queries.log; fail "$1 type $2: $c queries, expected $3"; }
}

"$T/dnsdrv" drive res.cfg A:a.test A:a.test sent AAAA:v6.test ANY:v6.test ANY:both.test AAAA:both.test \
	A:alias.test ANY:nx.test ANY:nx.test A:silent.test A:tc.test A:spoof.test \
	A:ttl1.test A:ttl1.test sleep:1300 A:ttl1.test twice:slow.test cancel:silent.test \
	A:127.0.0.1 AAAA:::1 A:bad..name sent >out.txt 2>&1 || { cat out.txt; fail "driver failed"; }
cat out.txt
expect '^A:a.test 10.0.0.1 queried '
expect '^A:a.test 10.0.0.1 at-once '
expect '^sent 1$'
expect '^AAAA:v6.test 2001:db8::6 queried'
expect '^ANY:v6.test 2001:db8::6 queried'
expect '^ANY:both.test 10.0.0.2 queried'
expect '^AAAA:both.test 2001:db8::2 queried'
expect '^A:alias.test 10.0.0.3 queried'
expect '^ANY:nx.test ERR NXDOMAIN queried'
expect '^ANY:nx.test ERR NXDOMAIN refused'
expect '^A:silent.test ERR timeout queried [0-9]+ms'
expect '^A:tc.test ERR truncated answer'
expect '^A:spoof.test 10.0.0.7 queried'
expect '^twice slow.test 10.0.0.5 10.0.0.5 \(0 0, callbacks 1 1\)'
expect '^cancel silent.test rc 0 callbacks 0'
expect '^A:127.0.0.1 127.0.0.1 at-once'
expect '^AAAA:::1 ::1 at-once'
expect "^A:bad..name ERR 'bad..name' is not a host name refused"
! grep -q CALLED-TWICE out.txt || fail "a callback ran twice"
# the timeout comes after 2 tries 200 ms apart
ms=$(sed -n 's/^A:silent.test ERR timeout queried \([0-9]*\)ms$/\1/p' out.txt)
[ "$ms" -ge 380 ] && [ "$ms" -le 1500 ] || fail "timeout after $ms ms, expected ~400"
queries silent.test 1 4        # 2 tries, then 2 more for the cancelled lookup
queries a.test 1 1             # the second lookup came from the cache
queries v6.test 28 2           # AAAA, then ANY: A (empty) then AAAA
queries v6.test 1 1
queries nx.test 1 1            # NXDOMAIN held by 'hold nx'
queries ttl1.test 1 2          # cached for its TTL of 1 s, asked again after
queries slow.test 1 1          # two callers, one query
# the first ttl1 answer came from the server, the second from the cache
[ "$(grep -c '^A:ttl1.test 10.0.0.4 queried' out.txt)" = 2 ] || fail "ttl1.test not asked again after its TTL"
[ "$(grep -c '^A:ttl1.test 10.0.0.4 at-once' out.txt)" = 1 ] || fail "ttl1.test not cached"

# 'hold valid' replaces the TTL, as HAProxy (which ignores TTLs); after a
# timeout, the expired address is used for 'hold timeout'
printf '    hold valid 100ms\n    hold timeout 10s\n' >>res.cfg
"$T/dnsdrv" drive res.cfg A:a.test A:a.test sleep:300 A:a.test sent A:flaky.test sleep:300 A:flaky.test >out.txt 2>&1 ||
	{ cat out.txt; fail "driver failed"; }
cat out.txt
expect '^A:a.test 10.0.0.1 at-once'
expect '^sent 2$'
[ "$(grep -c '^A:flaky.test 10.0.0.8 queried' out.txt)" = 2 ] || fail "no stale address after a timeout"
queries flaky.test 1 3

# the hosts file comes before DNS: no query
HLP_HOSTS_FILE="$T/hosts" "$T/dnsdrv" drive res.cfg ANY:nx.test A:HOSTS-ONLY.test sent >out.txt 2>&1 || { cat out.txt; fail "driver failed"; }
expect '^ANY:nx.test 192.0.2.1 at-once'
expect '^A:HOSTS-ONLY.test 192.0.2.1 at-once'
expect '^sent 0$'
queries nx.test 1 1

# configuration: a resolvers section and server lines with host names
p=$(free_port)
cat >ok.cfg <<CFG
resolvers dns
    nameserver ns1 127.0.0.1:$dport
    nameserver ns2 [::1]:53
    parse-resolv-conf
    resolve_retries 3
    timeout resolve 1s
    timeout retry 1s
    hold valid 10s
    hold nx 30s
    hold timeout 30s
    accepted_payload_size 1232
frontend fe
    bind 127.0.0.1:$p
    default_backend b
backend b
    server s1 localhost:$p
CFG
"$HLP" -c -f ok.cfg >ok.out 2>&1 || { cat ok.out; fail "a valid resolvers section was refused"; }

cat >bad.cfg <<CFG
resolvers dns
    nameserver ns1 dns.example.com:53
    nameserver ns2
    hold sometimes 1s
    timeout never 1s
    accepted_payload_size 70000
    resolve_retries
    frobnicate
frontend fe
    bind 127.0.0.1:$p
    default_backend b
backend b
    server s1 localhost:$p
    server s2 nosuchhost.invalid:80
CFG
"$HLP" -c -f bad.cfg >bad.out 2>&1 && { cat bad.out; fail "a bad configuration was accepted"; }
cat bad.out
for m in "parsing \[bad.cfg:2\] : 'nameserver ns1' : invalid address" \
	"parsing \[bad.cfg:3\] : 'nameserver' expects <name> and <addr>\[:<port>\] as arguments." \
	"parsing \[bad.cfg:4\] : 'hold' unknown <event>: 'sometimes'" \
	"parsing \[bad.cfg:5\] : 'timeout' expects 'retry' or 'resolve' and <time> as arguments got 'never'." \
	"parsing \[bad.cfg:6\] : 'accepted_payload_size' must be between 12 and 65535 inclusive \(was 70000\)." \
	"parsing \[bad.cfg:7\] : 'resolve_retries' expects <nb> as argument." \
	"parsing \[bad.cfg:8\] : unknown keyword 'frobnicate' in 'resolvers' section" \
	"parsing \[bad.cfg:14\] : 'server b/s2' : could not resolve address 'nosuchhost.invalid'."; do
	grep -Eq -- "$m" bad.out || fail "no message '$m'"
done
grep -q "bad.cfg:13" bad.out && fail "localhost was not resolved"
note "resolver and configuration checked"
exit 0
