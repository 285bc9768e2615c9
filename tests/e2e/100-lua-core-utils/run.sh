# The utility members of core: the four date parsers, tokenize,
# parse_addr/match_addr, Concat, now, get_info, core.proxies/frontends/
# backends with Proxy and Server objects, set_nice and the ACL/map calls.
# utils.lua answers one "name=value" line per check. The first block of
# expected lines is what HAProxy 2.6.12 answers to the same script and
# configuration (checked by hand, not run here); the second block covers
# methods 2.6 lacks (get_name, get_uuid, get_puid, get_cur_sess, from the
# current API) and what hlproxy does on purpose differently:
#   - dates after 2038 are not wrapped to 32 bits (2.6 returns an int32),
#   - parse_addr never resolves names nor reads inet_aton forms ("127.1",
#     octal "010", "/+8"): nil where 2.6 would resolve or guess,
#   - match_addr is false for a userdata that parse_addr did not make,
#   - set_nice raises an error outside -1024..1024 (2.6 clamps silently),
# and, kept in the second block for the order of the answers though 2.6
# says the same: add_acl/del_acl/set_map/del_map on a file no ACL or map
# loaded raise "unknown acl/map file" (test 261 covers them fully).
. "$TOP/tests/lib.sh"
cd "$T"

p_utils=$(free_port)
p_cur=$(free_port)
p_fe=$(free_port)
p_fwd=$(free_port)
p_echo=$(free_port)
p_dup=$(free_port)
p_dead=$(free_port)
cp "$CASE/utils.lua" .

cat >utils.cfg <<CONF
global
   maxconn 64
   lua-load utils.lua

defaults
   timeout client 5s
   timeout server 5s
   timeout connect 2s

listen utils
   bind 127.0.0.1:$p_utils
   tcp-request content lua.utils
   server s1 127.0.0.1:$p_dead

listen cursess
   bind 127.0.0.1:$p_cur
   tcp-request content lua.cursess

frontend fe
   bind 127.0.0.1:$p_fe
   default_backend be

backend be
   default-server weight 5 maxconn 9
   server b1 127.0.0.1:$p_dead weight 7 maxconn 33
   server b2 127.0.0.1:$p_dead

frontend fwdfe
   bind 127.0.0.1:$p_fwd
   default_backend fwd

backend fwd
   server echo 127.0.0.1:$p_echo

# the same name twice: core.proxies keeps the later one
backend dup
   server z 127.0.0.1:$p_dead

frontend dup
   bind 127.0.0.1:$p_dup
   default_backend dup
CONF

# what HAProxy 2.6.12 answered, line for line
cat >expected <<'EXPECTED'
http_date("Sun, 06 Nov 1994 08:49:37 GMT")=integer:784111777
http_date("Sunday, 06-Nov-94 08:49:37 GMT")=integer:784111777
http_date("Sun Nov  6 08:49:37 1994")=integer:784111777
http_date("Sun Nov 06 08:49:37 1994")=integer:784111777
http_date("Thu, 01 Jan 1970 00:00:00 GMT")=integer:0
http_date("Wed, 31 Dec 1969 23:59:59 GMT")=integer:-1
http_date("Tue, 29 Feb 2000 00:00:00 GMT")=integer:951782400
http_date("Tue, 19 Jan 2038 03:14:07 GMT")=integer:2147483647
http_date("Mon, 06 Nov 1994 08:49:37 GMT")=integer:784111777
http_date("Sun, 06 Nov 1994 24:00:00 GMT")=integer:784166400
http_date("Sun, 31 Feb 1994 08:49:37 GMT")=integer:762684577
http_date("Sun, 00 Nov 1994 99:99:99 GMT")=integer:783924039
http_date("Sun, 06 Nov 1994 08:49:37 GMT trailing")=integer:784111777
http_date("Sun, 06 Nov 1994 08:49:37 UTC")=nil:nil
http_date("Sun, 6 Nov 1994 08:49:37 GMT")=nil:nil
http_date("sun, 06 nov 1994 08:49:37 GMT")=nil:nil
http_date("Sun,  06 Nov 1994 08:49:37 GMT")=nil:nil
http_date(" Sun, 06 Nov 1994 08:49:37 GMT")=nil:nil
http_date("Sun, 06 Nov 94 08:49:37 GMT")=nil:nil
http_date("Sun, 06 Nov 1994 8:49:37 GMT")=nil:nil
http_date("Sun, 06 Nov 1994 08:49:37")=nil:nil
http_date("Sunday, 06-Nov-1994 08:49:37 GMT")=integer:784111777
http_date("Sunday, 06-Nov-00 08:49:37 GMT")=integer:973500577
http_date("Sunday, 06-Nov-37 08:49:37 GMT")=integer:2141110177
http_date("Sunday, 06-Nov-61 08:49:37 GMT")=integer:-257267423
http_date("Sunday, 06-Nov-69 08:49:37 GMT")=integer:-4806623
http_date("Sunday, 06-Nov-994 08:49:37 GMT")=nil:nil
http_date("Sun, 06-Nov-94 08:49:37 GMT")=nil:nil
http_date("Sundae, 06-Nov-94 08:49:37 GMT")=nil:nil
http_date("Sun Nov 6 08:49:37 1994")=nil:nil
http_date("Sun Nov  6 08:49:37 94")=nil:nil
http_date("Sun Nov  6 08:49:37 19945")=integer:784111777
http_date("Sun  Nov  6 08:49:37 1994")=nil:nil
http_date("")=nil:nil
http_date("garbage")=nil:nil
imf_date("Sun, 06 Nov 1994 08:49:37 GMT")=integer:784111777
imf_date("Sunday, 06-Nov-94 08:49:37 GMT")=nil:nil
imf_date("Sun Nov  6 08:49:37 1994")=nil:nil
imf_date("Sun Nov 06 08:49:37 1994")=nil:nil
imf_date("Thu, 01 Jan 1970 00:00:00 GMT")=integer:0
imf_date("Wed, 31 Dec 1969 23:59:59 GMT")=integer:-1
imf_date("Tue, 29 Feb 2000 00:00:00 GMT")=integer:951782400
imf_date("Tue, 19 Jan 2038 03:14:07 GMT")=integer:2147483647
imf_date("Mon, 06 Nov 1994 08:49:37 GMT")=integer:784111777
imf_date("Sun, 06 Nov 1994 24:00:00 GMT")=integer:784166400
imf_date("Sun, 31 Feb 1994 08:49:37 GMT")=integer:762684577
imf_date("Sun, 00 Nov 1994 99:99:99 GMT")=integer:783924039
imf_date("Sun, 06 Nov 1994 08:49:37 GMT trailing")=integer:784111777
imf_date("Sun, 06 Nov 1994 08:49:37 UTC")=nil:nil
imf_date("Sun, 6 Nov 1994 08:49:37 GMT")=nil:nil
imf_date("sun, 06 nov 1994 08:49:37 GMT")=nil:nil
imf_date("Sun,  06 Nov 1994 08:49:37 GMT")=nil:nil
imf_date(" Sun, 06 Nov 1994 08:49:37 GMT")=nil:nil
imf_date("Sun, 06 Nov 94 08:49:37 GMT")=nil:nil
imf_date("Sun, 06 Nov 1994 8:49:37 GMT")=nil:nil
imf_date("Sun, 06 Nov 1994 08:49:37")=nil:nil
imf_date("Sunday, 06-Nov-1994 08:49:37 GMT")=nil:nil
imf_date("Sunday, 06-Nov-00 08:49:37 GMT")=nil:nil
imf_date("Sunday, 06-Nov-37 08:49:37 GMT")=nil:nil
imf_date("Sunday, 06-Nov-61 08:49:37 GMT")=nil:nil
imf_date("Sunday, 06-Nov-69 08:49:37 GMT")=nil:nil
imf_date("Sunday, 06-Nov-994 08:49:37 GMT")=nil:nil
imf_date("Sun, 06-Nov-94 08:49:37 GMT")=nil:nil
imf_date("Sundae, 06-Nov-94 08:49:37 GMT")=nil:nil
imf_date("Sun Nov 6 08:49:37 1994")=nil:nil
imf_date("Sun Nov  6 08:49:37 94")=nil:nil
imf_date("Sun Nov  6 08:49:37 19945")=nil:nil
imf_date("Sun  Nov  6 08:49:37 1994")=nil:nil
imf_date("")=nil:nil
imf_date("garbage")=nil:nil
rfc850_date("Sun, 06 Nov 1994 08:49:37 GMT")=nil:nil
rfc850_date("Sunday, 06-Nov-94 08:49:37 GMT")=integer:784111777
rfc850_date("Sun Nov  6 08:49:37 1994")=nil:nil
rfc850_date("Sun Nov 06 08:49:37 1994")=nil:nil
rfc850_date("Thu, 01 Jan 1970 00:00:00 GMT")=nil:nil
rfc850_date("Wed, 31 Dec 1969 23:59:59 GMT")=nil:nil
rfc850_date("Tue, 29 Feb 2000 00:00:00 GMT")=nil:nil
rfc850_date("Tue, 19 Jan 2038 03:14:07 GMT")=nil:nil
rfc850_date("Mon, 06 Nov 1994 08:49:37 GMT")=nil:nil
rfc850_date("Sun, 06 Nov 1994 24:00:00 GMT")=nil:nil
rfc850_date("Sun, 31 Feb 1994 08:49:37 GMT")=nil:nil
rfc850_date("Sun, 00 Nov 1994 99:99:99 GMT")=nil:nil
rfc850_date("Sun, 06 Nov 1994 08:49:37 GMT trailing")=nil:nil
rfc850_date("Sun, 06 Nov 1994 08:49:37 UTC")=nil:nil
rfc850_date("Sun, 6 Nov 1994 08:49:37 GMT")=nil:nil
rfc850_date("sun, 06 nov 1994 08:49:37 GMT")=nil:nil
rfc850_date("Sun,  06 Nov 1994 08:49:37 GMT")=nil:nil
rfc850_date(" Sun, 06 Nov 1994 08:49:37 GMT")=nil:nil
rfc850_date("Sun, 06 Nov 94 08:49:37 GMT")=nil:nil
rfc850_date("Sun, 06 Nov 1994 8:49:37 GMT")=nil:nil
rfc850_date("Sun, 06 Nov 1994 08:49:37")=nil:nil
rfc850_date("Sunday, 06-Nov-1994 08:49:37 GMT")=integer:784111777
rfc850_date("Sunday, 06-Nov-00 08:49:37 GMT")=integer:973500577
rfc850_date("Sunday, 06-Nov-37 08:49:37 GMT")=integer:2141110177
rfc850_date("Sunday, 06-Nov-61 08:49:37 GMT")=integer:-257267423
rfc850_date("Sunday, 06-Nov-69 08:49:37 GMT")=integer:-4806623
rfc850_date("Sunday, 06-Nov-994 08:49:37 GMT")=nil:nil
rfc850_date("Sun, 06-Nov-94 08:49:37 GMT")=nil:nil
rfc850_date("Sundae, 06-Nov-94 08:49:37 GMT")=nil:nil
rfc850_date("Sun Nov 6 08:49:37 1994")=nil:nil
rfc850_date("Sun Nov  6 08:49:37 94")=nil:nil
rfc850_date("Sun Nov  6 08:49:37 19945")=nil:nil
rfc850_date("Sun  Nov  6 08:49:37 1994")=nil:nil
rfc850_date("")=nil:nil
rfc850_date("garbage")=nil:nil
asctime_date("Sun, 06 Nov 1994 08:49:37 GMT")=nil:nil
asctime_date("Sunday, 06-Nov-94 08:49:37 GMT")=nil:nil
asctime_date("Sun Nov  6 08:49:37 1994")=integer:784111777
asctime_date("Sun Nov 06 08:49:37 1994")=integer:784111777
asctime_date("Thu, 01 Jan 1970 00:00:00 GMT")=nil:nil
asctime_date("Wed, 31 Dec 1969 23:59:59 GMT")=nil:nil
asctime_date("Tue, 29 Feb 2000 00:00:00 GMT")=nil:nil
asctime_date("Tue, 19 Jan 2038 03:14:07 GMT")=nil:nil
asctime_date("Mon, 06 Nov 1994 08:49:37 GMT")=nil:nil
asctime_date("Sun, 06 Nov 1994 24:00:00 GMT")=nil:nil
asctime_date("Sun, 31 Feb 1994 08:49:37 GMT")=nil:nil
asctime_date("Sun, 00 Nov 1994 99:99:99 GMT")=nil:nil
asctime_date("Sun, 06 Nov 1994 08:49:37 GMT trailing")=nil:nil
asctime_date("Sun, 06 Nov 1994 08:49:37 UTC")=nil:nil
asctime_date("Sun, 6 Nov 1994 08:49:37 GMT")=nil:nil
asctime_date("sun, 06 nov 1994 08:49:37 GMT")=nil:nil
asctime_date("Sun,  06 Nov 1994 08:49:37 GMT")=nil:nil
asctime_date(" Sun, 06 Nov 1994 08:49:37 GMT")=nil:nil
asctime_date("Sun, 06 Nov 94 08:49:37 GMT")=nil:nil
asctime_date("Sun, 06 Nov 1994 8:49:37 GMT")=nil:nil
asctime_date("Sun, 06 Nov 1994 08:49:37")=nil:nil
asctime_date("Sunday, 06-Nov-1994 08:49:37 GMT")=nil:nil
asctime_date("Sunday, 06-Nov-00 08:49:37 GMT")=nil:nil
asctime_date("Sunday, 06-Nov-37 08:49:37 GMT")=nil:nil
asctime_date("Sunday, 06-Nov-61 08:49:37 GMT")=nil:nil
asctime_date("Sunday, 06-Nov-69 08:49:37 GMT")=nil:nil
asctime_date("Sunday, 06-Nov-994 08:49:37 GMT")=nil:nil
asctime_date("Sun, 06-Nov-94 08:49:37 GMT")=nil:nil
asctime_date("Sundae, 06-Nov-94 08:49:37 GMT")=nil:nil
asctime_date("Sun Nov 6 08:49:37 1994")=nil:nil
asctime_date("Sun Nov  6 08:49:37 94")=nil:nil
asctime_date("Sun Nov  6 08:49:37 19945")=integer:784111777
asctime_date("Sun  Nov  6 08:49:37 1994")=nil:nil
asctime_date("")=nil:nil
asctime_date("garbage")=nil:nil
http_date()=error: bad argument #1 to 'http_date' (string expected, got no value)
tokenize("a,b,c",",",nil)={"a","b","c"}
tokenize("a,,b",",",nil)={"a","","b"}
tokenize(",a,b,",",",nil)={"","a","b",""}
tokenize("",",",nil)={""}
tokenize(",,",",",nil)={"","",""}
tokenize("a b;c"," ;",nil)={"a","b","c"}
tokenize("abc","",nil)={"abc"}
tokenize("a\0b,c",",",nil)={"a"}
tokenize("a,,b",",",true)={"a","b"}
tokenize(",a,b,",",",true)={"a","b"}
tokenize("",",",true)={}
tokenize(" a  b "," ",true)={"a","b"}
tokenize(" a  b "," ",false)={"","a","","b",""}
tokenize("a,;b",",;",true)={"a","b"}
tokenize(4 args)={"","a",""}
tokenize(explicit nil)=error: bad argument #3 to 'tokenize' (boolean expected)
parse_addr("1.2.3.4")=userdata mt=nil
parse_addr("1.2.3.0/24")=userdata mt=nil
parse_addr("10.0.0.0/8")=userdata mt=nil
parse_addr("0.0.0.0/0")=userdata mt=nil
parse_addr("1.2.3.4/32")=userdata mt=nil
parse_addr("1.2.3.4/255.255.255.0")=userdata mt=nil
parse_addr("::1")=userdata mt=nil
parse_addr("2001:db8::/32")=userdata mt=nil
parse_addr("::ffff:1.2.3.4")=userdata mt=nil
parse_addr("1.2.3.4/33")=nil mt=nil
parse_addr("::1/129")=nil mt=nil
parse_addr("256.1.1.1")=nil mt=nil
parse_addr("1.2.3.4/")=nil mt=nil
parse_addr("1.2.3.4/8x")=nil mt=nil
parse_addr("1.2.3.4:80")=nil mt=nil
parse_addr("[::1]")=nil mt=nil
parse_addr("fe80::1%eth0")=nil mt=nil
parse_addr("garbage")=nil mt=nil
parse_addr("")=nil mt=nil
match_addr(1.2.3.4,1.2.3.4)=true
match_addr(1.2.3.4,1.2.3.5)=false
match_addr(1.2.3.0/24,1.2.3.4)=true
match_addr(1.2.3.4,1.2.3.0/24)=true
match_addr(1.2.3.0/24,1.2.4.1)=false
match_addr(10.0.0.0/8,10.1.0.0/16)=true
match_addr(10.1.2.3/16,10.1.9.9/24)=false
match_addr(10.1.2.3/16,10.1.9.9/17)=true
match_addr(1.2.3.4/24,1.2.3.4)=false
match_addr(0.0.0.0/0,9.9.9.9)=true
match_addr(1.2.3.4/255.255.0.0,1.2.0.0/16)=true
match_addr(2001:db8::/32,2001:db8::1)=true
match_addr(2001:db8::/32,2001:db9::1)=false
match_addr(2001:db8::1/126,2001:db8::2/126)=true
match_addr(2001:db8::1/127,2001:db8::2/127)=false
match_addr(::ffff:1.2.3.4,1.2.3.4)=false
match_addr(::/0,1.2.3.4)=false
match_addr(strings)=false
match_addr(one)=false
concat type=table tostring=true
concat empty=""
concat add=(nothing)
concat dump="ab12n\0ul"
concat add nil=error: bad argument #2 to 'add' (string expected, got nil)
concat big=25000 0001,0002,...4999,5000,
now types=integer integer
now sane=true
now monotonic=true
info Name type=string
info Version type=string
info Pid type=integer
info Uptime type=string
info Uptime_sec type=integer
info Maxconn type=integer
info CurrConns type=integer
info CumConns type=integer
info Nbthread type=integer
info Nbproc type=integer
info Process_num type=integer
info Hard_maxconn type=integer
info Start_time_sec type=integer
info PoolAlloc_MB type=integer
info PoolUsed_MB type=integer
info Memmax_MB type=integer
info Ulimit-n type=integer
info Listeners type=integer
info Stopping type=integer
info node type=string
info Maxconn=64
info CurrConns>=1 true
info CumConns>=CurrConns true
info Pid>1 true
info Uptime format true
info Uptime_sec sane true
info Start_time_sec sane true
info Process_num=1 Nbproc=1
proxies type=table same=true
proxies[be] type=table name="be" uuid="4" cap="backend" mode="tcp" tostring=HAProxy class Proxy servers={b1(name="b1" puid="1" weight=integer:7 maxconn=integer:33 tostring=HAProxy class Server) b2(name="b2" puid="2" weight=integer:5 maxconn=integer:9 tostring=HAProxy class Server)}
proxies[cursess] type=table name="cursess" uuid="2" cap="proxy" mode="tcp" tostring=HAProxy class Proxy servers={}
proxies[dup] type=table name="dup" uuid="8" cap="frontend" mode="tcp" tostring=HAProxy class Proxy servers={}
proxies[fe] type=table name="fe" uuid="3" cap="frontend" mode="tcp" tostring=HAProxy class Proxy servers={}
proxies[fwd] type=table name="fwd" uuid="6" cap="backend" mode="tcp" tostring=HAProxy class Proxy servers={echo(name="echo" puid="1" weight=integer:1 maxconn=integer:0 tostring=HAProxy class Server)}
proxies[fwdfe] type=table name="fwdfe" uuid="5" cap="frontend" mode="tcp" tostring=HAProxy class Proxy servers={}
proxies[utils] type=table name="utils" uuid="1" cap="proxy" mode="tcp" tostring=HAProxy class Proxy servers={s1(name="s1" puid="1" weight=integer:1 maxconn=integer:0 tostring=HAProxy class Server)}
frontends type=table same=true
frontends[cursess] type=table name="cursess" uuid="2" cap="proxy" mode="tcp" tostring=HAProxy class Proxy servers={}
frontends[dup] type=table name="dup" uuid="8" cap="frontend" mode="tcp" tostring=HAProxy class Proxy servers={}
frontends[fe] type=table name="fe" uuid="3" cap="frontend" mode="tcp" tostring=HAProxy class Proxy servers={}
frontends[fwdfe] type=table name="fwdfe" uuid="5" cap="frontend" mode="tcp" tostring=HAProxy class Proxy servers={}
frontends[utils] type=table name="utils" uuid="1" cap="proxy" mode="tcp" tostring=HAProxy class Proxy servers={s1(name="s1" puid="1" weight=integer:1 maxconn=integer:0 tostring=HAProxy class Server)}
backends type=table same=true
backends[be] type=table name="be" uuid="4" cap="backend" mode="tcp" tostring=HAProxy class Proxy servers={b1(name="b1" puid="1" weight=integer:7 maxconn=integer:33 tostring=HAProxy class Server) b2(name="b2" puid="2" weight=integer:5 maxconn=integer:9 tostring=HAProxy class Server)}
backends[cursess] type=table name="cursess" uuid="2" cap="proxy" mode="tcp" tostring=HAProxy class Proxy servers={}
backends[dup] type=table name="dup" uuid="7" cap="backend" mode="tcp" tostring=HAProxy class Proxy servers={z(name="z" puid="1" weight=integer:1 maxconn=integer:0 tostring=HAProxy class Server)}
backends[fwd] type=table name="fwd" uuid="6" cap="backend" mode="tcp" tostring=HAProxy class Proxy servers={echo(name="echo" puid="1" weight=integer:1 maxconn=integer:0 tostring=HAProxy class Server)}
backends[utils] type=table name="utils" uuid="1" cap="proxy" mode="tcp" tostring=HAProxy class Proxy servers={s1(name="s1" puid="1" weight=integer:1 maxconn=integer:0 tostring=HAProxy class Server)}
EXPECTED
# hlproxy only: methods of the current API, and the deliberate differences
cat >>expected <<'EXPECTED'
get_name="be" get_uuid="4"
srv get_name="b2" get_puid="2" get_cur_sess=integer:0
get_cap bad self=error: bad argument #1 to '?' (Proxy expected)
get_weight on a proxy=error: bad argument #1 to '?' (Server expected)
set_nice(-1025)=error: core.set_nice: the nice value must be between -1024 and 1024 (got -1025)
set_nice(-1024)=(nothing)
set_nice(0)=(nothing)
set_nice(1024)=(nothing)
set_nice(1025)=error: core.set_nice: the nice value must be between -1024 and 1024 (got 1025)
set_nice()=error: 'set_nice' needs 1 arguments
add_acl=error: 'add_acl': unknown acl file '/etc/x.acl'
del_acl=error: 'del_acl': unknown acl file '/etc/x.acl'
set_map=error: 'set_map': unknown map file '/etc/x.map'
del_map=error: 'del_map': unknown acl file '/etc/x.map'
imf_date(2040)=integer:2235772800
rfc850_date(-38)=integer:2172646177
parse_addr("localhost")=nil
parse_addr("127.1")=nil
parse_addr("10.0.0.010")=nil
parse_addr("1.2.3.4/+8")=nil
match_addr(foreign userdata)=false
concat bad self=error: bad argument #1 to '?' (Concat expected)
EXPECTED

start_hlp utils.cfg "$p_utils"
timeout 10 nc -w 5 127.0.0.1 "$p_utils" </dev/null >got
[ -s got ] || fail "no answer from the utils action"
if ! diff expected got >diff.out; then
	echo "--- differences (< expected, > got):" >&2
	head -n 60 diff.out >&2
	fail "$(grep -c '^[<>]' diff.out) line(s) differ from the expected values"
fi
note "$(wc -l <expected) values as expected"

# get_cur_sess and CurrConns while a client is forwarded to the server
# "echo", then after it left
echo_server "$p_echo"
ask_cur() { timeout 5 nc -w 3 127.0.0.1 "$p_cur" </dev/null; }
wait_cur() {
	local want=$1 i got=""
	for i in $(seq 1 50); do
		got=$(ask_cur)
		[ "$got" = "$want" ] && return 0
		sleep 0.1
	done
	fail "cursess: expected '$want', last answer '$got'"
}
wait_cur "cur_sess=0 CurrConns=1"
exec 3<>/dev/tcp/127.0.0.1/"$p_fwd"
echo ping >&3
read -r -t 5 line <&3 || fail "no echo through the 'fwd' backend"
expect_eq "$line" "ping" "echo through 'fwd'"
wait_cur "cur_sess=1 CurrConns=2"
exec 3>&-
wait_cur "cur_sess=0 CurrConns=1"
stop_hlp
note "core utilities ok"
