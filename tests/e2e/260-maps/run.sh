# Map converters (map, map_<str|beg|sub|dir|dom|end|reg|regm|int|ip> and
# their _int/_ip outputs), checked against what HAProxy 2.6.12 answers for
# the same configuration (run with HLP=/usr/sbin/haproxy to see it pass):
# - every method and output type, defaults typed as the output;
# - map files as HAProxy reads them: comments, blanks, a value with inner
#   spaces, duplicate keys (the first line wins), longest prefix and
#   longest network, IPv4 samples against v4-mapped IPv6 networks;
# - a generated 100,000-line map, a few lookups;
# - configuration errors (missing file, bad int value, bad address, bad
#   default) with their "parsing [file:line]" messages.
. "$TOP/tests/lib.sh"
cd "$T"
p=$(free_port); q=$(free_port)

cat >str.map <<'MAP'
# a comment
foo   v-foo
	bar v-bar
foo v-foo-dup
spaced   value with  spaces   
#foo hidden
MAP
cat >beg.map <<'MAP'
/api v-api
/api/v2 v-api2
/ v-root
/api/v2 v-api2-dup
MAP
cat >sub.map <<'MAP'
cat v-cat
dog v-dog
MAP
cat >dir.map <<'MAP'
img v-img
/static/ v-static
MAP
cat >dom.map <<'MAP'
example.com v-example
org v-org
MAP
cat >end.map <<'MAP'
.jpg v-jpg
.png v-png
g v-g
MAP
cat >reg.map <<'MAP'
^/u/([0-9]+)/(.*)$ user=\1,rest=\2
^/x v-x
MAP
cat >int.map <<'MAP'
10 ten
20:29 twenties
100: big
MAP
cat >ip.map <<'MAP'
10.0.0.0/8 net8
10.1.0.0/16 net16
10.1.2.3 host
10.0.0.0/8 net8-dup
::ffff:172.16.0.0/108 mapped
2001:db8::/32 v6net
192.168.0.0/255.255.0.0 dotted
MAP
printf 'foo 42\nbar -7\n' >num.map
printf '10 1000\n' >numn.map
printf '10.1.2.3 7\n' >numip.map
printf 'foo 192.0.2.1\nbar 2001:db8::5\n' >addr.map
printf '10 198.51.100.1\n' >addrn.map
printf '10.1.2.3 203.0.113.9\n' >addrip.map
seq 1 100000 | awk '{ printf "key%d val%d\n", $1, $1 * 3 }' >big.map

cat >hlp.conf <<CONF
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend f
    bind 127.0.0.1:$p
    http-request return status 200 content-type text/plain lf-string "map=%[req.hdr(x-k),map(str.map)] str=%[req.hdr(x-k),map_str(str.map,none)] beg=%[req.hdr(x-k),map_beg(beg.map,none)] sub=%[req.hdr(x-k),map_sub(sub.map,none)] dir=%[req.hdr(x-k),map_dir(dir.map,none)] dom=%[req.hdr(x-k),map_dom(dom.map,none)] end=%[req.hdr(x-k),map_end(end.map,none)] reg=%[req.hdr(x-k),map_reg(reg.map,none)] regm=%[req.hdr(x-k),map_regm(reg.map,none)] int=%[req.hdr(x-n),map_int(int.map,none)] ip=%[req.hdr(x-ip),map_ip(ip.map,none)] big=%[req.hdr(x-k),map_str(big.map,none)]\n"

frontend g
    bind 127.0.0.1:$q
    http-request return status 200 content-type text/plain lf-string "si=%[req.hdr(x-k),map_str_int(num.map,-1)] bi=%[req.hdr(x-k),map_beg_int(num.map,-2)] ni=%[req.hdr(x-n),map_int_int(numn.map,-3)] ii=%[req.hdr(x-ip),map_ip_int(numip.map,-4)] sa=%[req.hdr(x-k),map_str_ip(addr.map,127.0.0.1)] ea=%[req.hdr(x-k),map_end_ip(addr.map,::1)] na=%[req.hdr(x-n),map_int_ip(addrn.map,0.0.0.0)] ia=%[req.hdr(x-ip),map_ip_ip(addrip.map,0.0.0.0)] subi=%[req.hdr(x-k),map_sub_int(num.map,0)] regi=%[req.hdr(x-k),map_reg_ip(addr.map,0.0.0.0)] diri=%[req.hdr(x-k),map_dir_int(num.map,0)] domi=%[req.hdr(x-k),map_dom_ip(addr.map,0.0.0.0)]\n"
CONF

start_hlp hlp.conf "$p"
wait_port "$q" || fail "no listener on $q"

ask() { # PORT KEY NUM IP: the answer
	curl -s -H "x-k: $2" -H "x-n: $3" -H "x-ip: $4" "http://127.0.0.1:$1/" || fail "request failed"
}
check() { # WHAT GOT WANT
	expect_eq "$2" "$3" "$1"
}

check "foo" "$(ask $p foo 10 10.1.2.3)" \
	"map=v-foo str=v-foo beg=none sub=none dir=none dom=none end=none reg=none regm=none int=ten ip=host big=none"
check "spaced" "$(ask $p spaced 25 10.1.9.9)" \
	"map=value with  spaces str=value with  spaces beg=none sub=none dir=none dom=none end=none reg=none regm=none int=twenties ip=net16 big=none"
check "paths" "$(ask $p /api/v2/img/cat.jpg 5000 10.9.9.9)" \
	"map= str=none beg=v-api2 sub=v-cat dir=v-img dom=none end=v-jpg reg=none regm=none int=big ip=net8 big=none"
check "regm" "$(ask $p /u/42/profile.png 11 ::ffff:10.1.2.3)" \
	"map= str=none beg=v-root sub=none dir=none dom=none end=v-png reg=user=\\1,rest=\\2 regm=user=42,rest=profile.png int=none ip=host big=none"
check "dom" "$(ask $p www.example.com:8080 -5 172.16.3.4)" \
	"map= str=none beg=none sub=none dir=none dom=v-example end=none reg=none regm=none int=none ip=mapped big=none"
check "v6" "$(ask $p /x/dog 100 2001:db8:1::1)" \
	"map= str=none beg=v-root sub=v-dog dir=none dom=none end=v-g reg=v-x regm=v-x int=big ip=v6net big=none"
check "dotted" "$(ask $p key77777 20 192.168.4.4)" \
	"map= str=none beg=none sub=none dir=none dom=none end=none reg=none regm=none int=twenties ip=dotted big=val233331"
check "big" "$(ask $p key1 0 1.2.3.4)" \
	"map= str=none beg=none sub=none dir=none dom=none end=none reg=none regm=none int=none ip=none big=val3"
check "big last" "$(ask $p key100000 0 1.2.3.4 | sed 's/.*big=//')" "val300000"
check "big miss" "$(ask $p key100001 0 1.2.3.4 | sed 's/.*big=//')" "none"

check "int outputs" "$(ask $q foo 10 10.1.2.3)" \
	"si=42 bi=42 ni=1000 ii=7 sa=192.0.2.1 ea=192.0.2.1 na=198.51.100.1 ia=203.0.113.9 subi=42 regi=192.0.2.1 diri=42 domi=192.0.2.1"
check "defaults" "$(ask $q nothing 11 10.9.9.9)" \
	"si=-1 bi=-2 ni=-3 ii=-4 sa=127.0.0.1 ea=::1 na=0.0.0.0 ia=0.0.0.0 subi=0 regi=0.0.0.0 diri=0 domi=0.0.0.0"
check "v6 output" "$(ask $q bar 0 0.0.0.0)" \
	"si=-7 bi=-7 ni=-3 ii=-4 sa=2001:db8::5 ea=2001:db8::5 na=0.0.0.0 ia=0.0.0.0 subi=-7 regi=2001:db8::5 diri=-7 domi=2001:db8::5"

# configuration errors: "parsing [bad.cfg:9] : ..." with the map's file and line
printf 'a 12\nb notint\n' >bad-int.map
printf 'a 1.2.3.4\n\nb nope\n' >bad-ip.map
printf '10.0.0.0/8 a\nbad!ip b\n' >bad-net.map
bad_conf() { # CONVERTER WANT...: "-c" must fail and print each WANT
	# the defaults and the bind of hlp.conf, then the rule on line 9
	{ head -n 8 hlp.conf; echo "    http-request set-header x %[str(k),$1]"; } >bad.cfg
	shift
	"$HLP" -c -f bad.cfg >bad.out 2>&1 && fail "bad.cfg was accepted: $(cat bad.out)"
	grep -q "parsing \[bad.cfg:9\] : " bad.out || fail "no 'parsing [bad.cfg:9]' in: $(cat bad.out)"
	for w in "$@"; do
		grep -qF -- "$w" bad.out || fail "no '$w' in: $(cat bad.out)"
	done
}
bad_conf "map_str(missing.map)" "failed to open pattern file <missing.map>"
bad_conf "map_str_int(bad-int.map)" "unable to parse 'notint' at line 2 of file 'bad-int.map'"
bad_conf "map_beg_ip(bad-ip.map)" "unable to parse 'nope' at line 3 of file 'bad-ip.map'"
bad_conf "map_ip(bad-net.map)" "'bad!ip' is not a valid IPv4 or IPv6 address at line 2 of file 'bad-net.map'"
bad_conf "map_str_ip(addr.map,nope)" "map: cannot parse default ip <nope>"
bad_conf "map_str_int(num.map,xx)" "'xx'"
echo "ok"
