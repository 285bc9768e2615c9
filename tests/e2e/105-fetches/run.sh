# The sample fetch catalogue: constants, env(), date(), rand(), the
# process, proxy and server counters (checked with held connections and a
# queue), names and ids, the connection's addresses, and the channel
# fetches (req.len, req.payload, req.payload_lv and their response
# twins) in tcp-request/tcp-response set-var rules. Bad arguments are
# configuration errors at their line.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/wait.lua" .
g=$(free_port)   # greeting servers
e=$(free_port)   # echo server
pk=$(free_port); pv=$(free_port); pf=$(free_port); pa=$(free_port); pp=$(free_port); pb=$(free_port)
greet_server "$g" hello
echo_server "$e"

cat >fetch.cfg <<CONF
global
   log stderr format raw local0
   lua-load wait.lua

defaults
   mode tcp
   timeout connect 1s
   timeout client 5s
   timeout server 5s

backend bx
   server a 127.0.0.1:$g
   server b 127.0.0.1:$g weight 0
   server c 127.0.0.1:$g backup
   server d 127.0.0.1:$g backup

backend ball
   option allbackups
   server z 127.0.0.1:$g disabled
   server y 127.0.0.1:$g backup
   server x 127.0.0.1:$g backup

backend bnone
   server w 127.0.0.1:$g disabled

listen k
   bind 127.0.0.1:$pk
   log global
   log-format "K A=%[always_true] B=%[always_false] I=%[int(-12)] S=%[str(a b)] E=%[str(),length] BO=%[bool(TRUE)]%[bool(0)]%[bool(False)]%[bool(1)] IP=%[ipv4(10.0.0.1)] I6=%[ipv6(::ffff:1.2.3.4)] EV=%[env(HLP_T_ENV)] EN=%[env(HLP_T_NOPE)] R1=%[rand(1)] RM=%[rand(-1)] FE=%[fe_name]/%[fe_id] BE=%[be_name]/%[be_id] SV=%[srv_name]/%[srv_id] N=%[nbsrv(bx)],%[nbsrv(ball)],%[nbsrv(bnone)],%[nbsrv] CS=%[connslots(bx)],%[connslots(bnone)] UP=%[srv_is_up(bx/b)]%[srv_is_up(bnone/w)] L=%[src_is_local]%[dst_is_local] DST=%[dst]:%[dst_port] SRC=%[src]"
   server s1 127.0.0.1:$g

listen v
   bind 127.0.0.1:$pv
   log global
   log-format "V pid=%[pid] host=%[hostname] up=%[uptime] d=%[date] dms=%[date(0,ms)] dus=%[date(0,us)] doff=%[date(3600,s)] r=%[rand] r10=%[rand(10)] sp=%[src_port]"

frontend fe
   bind 127.0.0.1:$pf
   log global
   log-format "F fe=%[fe_name]/%[fe_id] be=%[be_name]/%[be_id] srv=%[srv_name]/%[srv_id] fc=%[fe_conn] n=%[nbsrv(bk)]"
   default_backend bk

backend bk
   server s9 127.0.0.1:$g
   server s8 127.0.0.1:$g

listen a
   bind 127.0.0.1:$pa
   log global
   log-format "A srv=%[srv_name]/%[srv_id]"
   server s0 127.0.0.1:$g maxconn 1 disabled
   server s1 127.0.0.1:$g maxconn 2
   server s2 127.0.0.1:$g maxconn 3

listen p
   bind 127.0.0.1:$pp
   log global
   log-format "P bc=%[be_conn(a)] fc=%[fe_conn(a)] sc=%[srv_conn(a/s1)],%[srv_conn(a/s2)] cs=%[connslots(a)] q=%[queue(a)] aq=%[avg_queue(a)] n=%[nbsrv(a)] up=%[srv_is_up(a/s0)]%[srv_is_up(a/s1)] own=%[be_conn],%[fe_conn]"

listen buf
   bind 127.0.0.1:$pb
   log global
   tcp-request inspect-delay 3s
   tcp-request content lua.waitreq 12
   tcp-request content set-var(txn.a) req.payload_lv(0,1)
   tcp-request content set-var(txn.b) req.payload_lv(0,1,4)
   tcp-request content set-var(txn.c) req.payload_lv(0,1,+2)
   tcp-request content set-var(txn.d) req.payload_lv(7,2)
   tcp-request content set-var(txn.e) req.payload_lv(7,2,+1)
   tcp-request content set-var(txn.f) req.payload_lv(7,2,-4)
   tcp-request content set-var(txn.g) req.payload_lv(7,2,11)
   tcp-request content set-var(txn.h) req.payload_lv(7,1,0)
   tcp-request content set-var(txn.i) req.payload_lv(1,2)
   tcp-request content set-var(txn.j) req.payload(3,0),length
   tcp-request content set-var(txn.k) req.payload(1,6)
   tcp-request content set-var(txn.l) req.payload(12,0),length
   tcp-request content set-var(txn.m) req.payload(13,0)
   tcp-request content set-var(txn.n) req.payload(10,3)
   tcp-request content set-var(txn.o) req.len
   tcp-request content set-var(txn.p) req_len
   tcp-request content set-var(txn.q) res.len
   tcp-response inspect-delay 3s
   tcp-response content lua.waitres 12
   tcp-response content set-var(txn.r1) res.payload(1,3)
   tcp-response content set-var(txn.r2) res.payload_lv(0,1,+1)
   tcp-response content set-var(txn.r3) res.len
   tcp-response content set-var(txn.r4) res.payload(11,2)
   log-format "B a=%[var(txn.a)] b=%[var(txn.b)] c=%[var(txn.c)] d=%[var(txn.d)] e=%[var(txn.e)] f=%[var(txn.f)] g=%[var(txn.g)] h=%[var(txn.h)] i=%[var(txn.i)] j=%[var(txn.j)] k=%[var(txn.k)] l=%[var(txn.l)] m=%[var(txn.m)] n=%[var(txn.n)] o=%[var(txn.o)] p=%[var(txn.p)] q=%[var(txn.q)] r=%[var(txn.r1)],%[var(txn.r2)],%[var(txn.r3)],%[var(txn.r4)] lua=%[var(txn.lua)]"
   server e 127.0.0.1:$e
CONF

export HLP_T_ENV=hello
unset HLP_T_NOPE
# wait on k only: a probe connection elsewhere would count in what is checked
start_hlp fetch.cfg "$pk"
: >"$T/hlp.log"

# hit PORT: connect, read one line (a server's greeting, or EOF), close
hit() {
	timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$1"' || exit 1; read -r -t 5 l <&3; exit 0' ||
		fail "cannot connect to $1"
}
# wait_log PATTERN: until a log line matches, then print the last match
wait_log() {
	local i
	for i in $(seq 200); do
		grep -q -- "$1" "$T/hlp.log" && break
		sleep 0.025
	done
	grep -- "$1" "$T/hlp.log" | tail -n 1
}

# constants, names, counters of idle backends, addresses
hit "$pk"
line=$(wait_log "^K ")
expect_eq "$line" "K A=1 B=0 I=-12 S=a b E=0 BO=1001 IP=10.0.0.1 I6=::ffff:1.2.3.4 EV=hello EN=- R1=0 RM=4294967295 FE=k/4 BE=k/4 SV=s1/1 N=1,2,0,1 CS=-1,0 UP=10 L=11 DST=127.0.0.1:$pk SRC=127.0.0.1" "constant and proxy fetches"

# values that change: pid, hostname, dates, rand, uptime, source port
hit "$pv"
line=$(wait_log "^V ")
now=$(date +%s)
[[ $line =~ ^V\ pid=([0-9]+)\ host=(.*)\ up=([0-9]+)\ d=([0-9]+)\ dms=([0-9]+)\ dus=([0-9]+)\ doff=([0-9]+)\ r=([0-9]+)\ r10=([0-9])\ sp=([0-9]+)$ ]] ||
	fail "dynamic fetches: unexpected line '$line'"
pid=${BASH_REMATCH[1]} host=${BASH_REMATCH[2]} up=${BASH_REMATCH[3]} d=${BASH_REMATCH[4]}
dms=${BASH_REMATCH[5]} dus=${BASH_REMATCH[6]} doff=${BASH_REMATCH[7]} r=${BASH_REMATCH[8]} sp=${BASH_REMATCH[10]}
expect_eq "$pid" "$HLP_PID" "pid"
expect_eq "$host" "$(hostname)" "hostname"
[ "$up" -le 5 ] || fail "uptime $up right after the start"
[ $((now - d)) -ge 0 ] && [ $((now - d)) -le 3 ] || fail "date $d, now $now"
[ $((dms / 1000 - d)) -ge 0 ] && [ $((dms / 1000 - d)) -le 1 ] || fail "date(0,ms) $dms vs $d"
[ $((dus / 1000 - dms)) -ge 0 ] && [ $((dus / 1000 - dms)) -le 50 ] || fail "date(0,us) $dus vs $dms"
[ $((doff - d)) -ge 3600 ] && [ $((doff - d)) -le 3601 ] || fail "date(3600,s) $doff vs $d"
[ "$r" -le 4294967295 ] || fail "rand $r"
[ "$sp" -gt 0 ] && [ "$sp" -le 65535 ] || fail "src_port $sp"
# rand covers its range, uptime grows
sleep 1.1
: >"$T/hlp.log"
for _ in 1 2 3 4 5 6; do hit "$pv"; done
for _ in $(seq 100); do [ "$(grep -c '^V ' "$T/hlp.log")" -ge 6 ] && break; sleep 0.05; done
[ "$(grep -c '^V ' "$T/hlp.log")" -eq 6 ] || fail "six V lines"
[ "$(grep -o ' r=[0-9]*' "$T/hlp.log" | sort -u | wc -l)" -ge 5 ] || fail "rand repeats: $(grep -o ' r=[0-9]*' "$T/hlp.log" | tr '\n' ' ')"
grep -q ' up=0 ' "$T/hlp.log" && fail "uptime did not grow"

# a frontend and its default backend
hit "$pf"
line=$(wait_log "^F ")
expect_eq "$line" "F fe=fe/6 be=bk/7 srv=s9/1 fc=1 n=2" "frontend and backend names"

# counters: 5 sessions served (s1 maxconn 2, s2 maxconn 3), 2 queued
: >"$T/hlp.log"
for i in 1 2 3 4 5; do open_conn c$i "$pa"; done
exec {q1}<>/dev/tcp/127.0.0.1/"$pa" || fail "queued 1"
exec {q2}<>/dev/tcp/127.0.0.1/"$pa" || fail "queued 2"
probe() {
	local want=$1 i line
	for i in $(seq 40); do
		hit "$pp"
		line=$(wait_log "^P ")
		[ "$line" = "$want" ] && return 0
		sleep 0.05
	done
	fail "counters: expected '$want', last '$line'"
}
probe "P bc=7 fc=7 sc=2,3 cs=-1 q=2 aq=1 n=2 up=01 own=0,1"
close_conn c1
probe "P bc=6 fc=6 sc=2,3 cs=-1 q=1 aq=1 n=2 up=01 own=0,1"
for i in 2 3 4 5; do close_conn c$i; done
exec {q1}>&- {q2}>&-
probe "P bc=0 fc=0 sc=0,0 cs=-1 q=0 aq=0 n=2 up=01 own=0,1"
expect_grep "^A srv=s1/2$" "$T/hlp.log" "srv_name/srv_id of s1"
expect_grep "^A srv=s2/3$" "$T/hlp.log" "srv_name/srv_id of s2"

# buffer fetches: 12 bytes through an echo server
exec {b}<>/dev/tcp/127.0.0.1/"$pb" || fail "buf: cannot connect"
printf '\003abcdef\000\002XYZ' >&$b
got=$(timeout 5 head -c 12 <&$b | od -An -tx1 | tr -d ' \n')
exec {b}>&-
expect_eq "$got" "03616263646566000258595a" "echoed bytes"
line=$(wait_log "^B ")
expect_eq "$line" "B a=abc b=def c=cde d=XY e=YZ f=ef g=- h=- i=- j=9 k=abcdef l=0 m=- n=- o=12 p=12 q=0 r=abc,bcd,12,- lua=YZ" "buffer fetches"

kill -0 "$HLP_PID" || fail "the proxy died"
stop_hlp

# bad arguments are configuration errors at their line
cat >bad.cfg <<CONF
global
   log stderr format raw local0
listen x
   bind 127.0.0.1:$pk
   log-format "%[ipv4(notanip)]"
   log-format "%[ipv6(1.2.3.4)]"
   log-format "%[int(abc)]"
   log-format "%[bool(yes)]"
   log-format "%[date(0,days)]"
   log-format "%[rand(x)]"
   log-format "%[req.payload_lv(0,0)]"
   log-format "%[req.payload_lv(-1,1)]"
   log-format "%[req.payload_lv(0,1,x)]"
   log-format "%[req.payload_lv(0,1,-2)]"
   log-format "%[req.payload(0,-1)]"
   log-format "%[always_true(1)]"
   log-format "%[srv_conn]"
   log-format "%[int]"
   server s 127.0.0.1:9
frontend f
   bind 127.0.0.1:$pv
   log-format "%[be_conn]"
   default_backend x
backend b2
   log-format "%[fe_conn]"
CONF
"$HLP" -c -f bad.cfg >bad.out 2>&1 && fail "bad arguments accepted"
chk() { expect_grep "parsing \[bad.cfg:$1\] : $2" bad.out "line $1"; }
chk 5 "'log-format': fetch method 'ipv4': 'notanip' is not an IPv4 address"
chk 6 "'log-format': fetch method 'ipv6': '1.2.3.4' is not an IPv6 address"
chk 7 "'log-format': fetch method 'int': argument 1: expects an integer, got 'abc'"
chk 8 "'log-format': fetch method 'bool': expects 'true', 'false', '0' or '1', got 'yes'"
chk 9 "'log-format': fetch method 'date': expects 's', 'ms' or 'us', got 'days'"
chk 10 "'log-format': fetch method 'rand': argument 1: expects an integer, got 'x'"
chk 11 "'log-format': fetch method 'req.payload_lv': payload length must be > 0"
chk 12 "'log-format': fetch method 'req.payload_lv': payload offset1 must be positive"
chk 13 "'log-format': fetch method 'req.payload_lv': payload offset2 is not a number"
chk 14 "'log-format': fetch method 'req.payload_lv': payload offset2 too negative"
chk 15 "'log-format': fetch method 'req.payload': offset and length must not be negative"
chk 16 "'log-format': fetch method 'always_true' expects 0 argument(s), got 1"
chk 17 "'log-format': fetch method 'srv_conn' expects 1 argument(s), got 0"
chk 18 "'log-format': fetch method 'int' expects 1 argument(s), got 0"
chk 22 "'log-format': fetch method 'be_conn': no backend named, and frontend 'f' has no backend capability"
chk 25 "'log-format': fetch method 'fe_conn': no frontend named, and backend 'b2' has no frontend capability"

# proxy and server names are checked once every section is known
cat >bad2.cfg <<CONF
listen x
   bind 127.0.0.1:$pk
   log-format "%[nbsrv(nope)]"
   server s 127.0.0.1:9
backend b1
   log-format "%[srv_conn(x/nope)]"
backend b2
   log-format "%[srv_is_up(nope/s)]"
backend b3
   log-format "%[fe_conn(nope)] %[be_conn(later)] %[srv_conn(later/t)]"
backend later
   log-format "%[be_conn(later)] %[srv_conn(later/t)] %[fe_conn(x)]"
   server t 127.0.0.1:9
CONF
"$HLP" -c -f bad2.cfg >bad.out 2>&1 && fail "unknown proxies and servers accepted"
chk() { expect_grep "parsing \[bad2.cfg:$1\] : $2" bad.out "line $1"; }
chk 3 "fetch method 'nbsrv': argument 1: no such backend 'nope'"
chk 6 "fetch method 'srv_conn': argument 1: no such server 'nope' in backend 'x'"
chk 8 "fetch method 'srv_is_up': argument 1: no such backend 'nope'"
chk 10 "fetch method 'fe_conn': argument 1: no such frontend 'nope'"
[ "$(grep -c 'parsing \[' bad.out)" -eq 4 ] || fail "names declared later must resolve: $(cat bad.out)"
exit 0
