# The converter catalogue: every converter with good arguments, compared
# to exact values, then bad arguments refused at configuration time with
# file:line. Every value of the groups ENC to TIME was confirmed against
# HAProxy 2.6.12 running the same conv.cfg (haproxy -f conv.cfg -db, same
# TZ); the NUL group is ours (see conv.cfg). regsub's regexes are POSIX
# extended, with PCRE's \d \w \s shorthands translated (r10, r11).
. "$TOP/tests/lib.sh"
cd "$T"
export TZ=EST5
cp "$CASE/vars.lua" .
sed_args=()
for i in 1 2 3 4 5 6 7 8 9 10; do
	P[$i]=$(free_port)
	sed_args+=(-e "s/@P$i@/${P[$i]}/")
done
sed "${sed_args[@]}" "$CASE/conv.cfg" >conv.cfg
start_hlp conv.cfg "${P[1]}"
for i in 2 3 4 5 6 7 8 9 10; do wait_port "${P[$i]}" 5 || fail "listener $i"; done
for i in 1 2 3 4 5 6 7 8 9 10; do timeout 10 nc 127.0.0.1 "${P[$i]}" </dev/null; done

# line TAG: the log line that starts with TAG, waiting for it
line() {
	for _ in $(seq 100); do grep -q "^$1 " "$T/hlp.log" && break; sleep 0.05; done
	grep "^$1 " "$T/hlp.log" | head -1
}
expect_eq "$(line ENC)" 'ENC b64=YWJj b64i=AAAAAAAAAAE= dec=abc pad=aa pad3=| bad=- bad2=- hex=616263 h2i=6699 h2ibad=- h2ineg=-1 bin=006162 binrt=AGFi by=cdef by2=cde by3=| by4=| by5=bcdef by6=010203 ud=aA+b?c d ud1=612062 udnul=610062 udbad=- ue=a%20b%26c%3Dd%2F~-_. ue2=%C3%A9%FF src=7F000001' "base64, b64dec, hex, hex2i, bytes, url_dec, url_enc"
expect_eq "$(line STR)" 'STR f1=f5 f2=f2_f3__f5 f3=f2_f3_ f4=f1_f2_f3 f5=- f6=| f7=b w1=f5 w2=f2_f3__f5 w3=f3__f5 w4=f1_f2_f3 w5=f1_f2 w6=f1 w7=a_b__ w8=__a_b w9=| r1=aXc r2=XXX r3=XbX r4=-a-b-c- r5=/a/b/c/ r6=<12FOO> r7=Xbcabc r8=-a--c- r9=a[bA]c r10=a_b1foo r11=x-y e1=0 e2=- e3=x c1=abc<hello> c2=abc<3> c3=abc<> c4=abc> lo=mixed up=MIXED len=5' "field, word, regsub, concat, lower, upper, length"
expect_eq "$(line HASH)" 'HASH d=193485963 d1=2235766107 c=891568578 c1=930845320 s=807794786 s1=659243622 w=2269216868 w1=266135527 w0=4187620192 wl=955643270 cb=538674048 db=193380296' "djb2, crc32, sdbm, wt6"
expect_eq "$(line CRYPTO)" 'CRYPTO s1=A9993E364706816ABA3E25717850C26C9CD0D89D s2=BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD s224=Iwl9IjQF2CKGQqR3vaJVsyqtvOS9oLP342ydpw== s384=ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn s512=3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw== sb=3035052221020B96969503071BC9FEEF66CD45DE hm=9307B3B915EFB5171FF14D8CB55FBCC798C6C0EF1456D66DED1A6AA723A58B7B hv=9307B3B915EFB5171FF14D8CB55FBCC798C6C0EF1456D66DED1A6AA723A58B7B h5=04130747AFCA4D79E32E87CF2104F087 h1=s0zqxFFv8joUPmHXnQ+npPvl8mY= hn=- hs=-' "sha1, sha2, hmac"
expect_eq "$(line JSON)" 'JSON j=\u00c3\u00a9\"\\\/\b\f\n\r\t\u0001z ju=\u00e9\"\\\/\b\f\n\r\t\u0001z ja=\u00c3\u00a9\u007f\u0080 c1=- c2=ab o1=- o2=a\/b o3=ab r1=- r2=ab e1=- e2=ab eu=a\u20acb t1=ab t2=a' "json"
expect_eq "$(line LANG)" 'LANG l1=fr l2=en l3=- l4=nl l5=en l6=- l7=en l8=en l9=- l10=en-US l11=fr' "language"
expect_eq "$(line IP)" 'IP a=1.2.3.0 b=1.2.0.0 c=1.0.3.0 d=0.0.0.0 e=- f=2001:db8:: g=2001:d00:: h=1.2.0.0 i=127.0.0.0 j=C0A80000 k=1.2.3.0 l=-' "ipmask"
expect_eq "$(line ARITH)" 'ARITH add=8 addv=8 addnv=- adds=17 addsat=9223372036854775807 addbig=9223372036854775807 addp=8 sub=-9223372036854775808 submin=9223372036854775807 submin2=9223372036854775803 mul=-15 mulsat=9223372036854775807 mulsat2=-9223372036854775808 mulmin=9223372036854775807 div=-3 div0=9223372036854775807 divv0=9223372036854775807 divmin=9223372036854775807 mod=-1 mod0=0 modmin=0 neg=-5 negmin=9223372036854775807 and=8 or=15 xor=6 not=0 not0=1 bool=1 odd=1 even=0 cpl=-13' "arithmetic and bitwise"
expect_eq "$(line TIME)" 'TIME u=2017-07-14T02:40:00 uo=2017-07-14T03:40:00 un=2017-07-13T02:40:00 um=1141709097 up=% l=2017-07-13T21:40:00-0500 lo=21:41' "utime, ltime"
expect_eq "$(line NUL)" 'NUL len=3 ue=a%00b js=a\u0000b rs=6100580063 wd=0063 fd=0063 cc=61006278 up=410042 h2=410042 by=6162' "binary data"
kill -0 "$HLP_PID" || fail "the proxy died"
stop_hlp

# bad arguments: one error per line, naming the converter and the argument
sed "s/@P1@/${P[1]}/" "$CASE/bad.cfg" >bad.cfg
"$HLP" -c -f bad.cfg >bad.out 2>&1 && fail "bad converter arguments accepted"
n=6
for msg in \
	"converter 'sha2': argument 1: unsupported number of bits 100 (expects 224, 256, 384 or 512)" \
	"converter 'hmac': argument 1: unknown digest algorithm 'nope' (expects md5, sha1, sha224, sha256, sha384, sha512 or ripemd160)" \
	"converter 'hmac': argument 2: the key must be base64-encoded or a variable name, got '@@'" \
	"converter 'json': argument 1: unknown input encoding 'foo' (expects 'ascii', 'utf8', 'utf8s', 'utf8p' or 'utf8ps')" \
	"converter 'regsub': argument 1: invalid regex '(b': " \
	"converter 'regsub': argument 3: invalid regex flag 'x', only 'i' and 'g' are supported" \
	"converter 'ipmask': argument 1: invalid IPv4 mask '33' (expects a prefix length from 0 to 32 or a dotted mask)" \
	"converter 'ipmask': argument 2: invalid IPv6 mask '129' (expects a prefix length from 0 to 128 or an address form)" \
	"converter 'add': argument 1: expects an integer or a variable name, got 'abc'" \
	"converter 'div': argument 1: expects an integer or a variable name, got '1x'" \
	"converter 'field': argument 1: the index counts from 1 (or -1 from the end), 0 is invalid" \
	"converter 'word': argument 2: empty list of delimiters" \
	"converter 'bytes': argument 1: expects an integer, got 'x'" \
	"converter 'djb2': argument 1: expects an integer, got 'x'" \
	"converter 'url_enc': argument 1: unknown encoding type 'foo', only 'query' is supported" \
	"converter 'concat': argument 2: invalid variable name 'bad!': the scope must be" \
	"converter 'utime': argument 2: expects an integer, got 'x'" \
	"converter 'hmac' expects 2 argument(s), got 1" \
	"converter 'ipmask': argument 1: invalid IPv4 mask '255.0.255.x'" \
	"converter 'regsub': argument 2: incomplete escape sequence at the end of" \
	; do
	grep -Fq "parsing [bad.cfg:$n] : 'log-format': $msg" bad.out || fail "line $n: '$msg' not in: $(cat bad.out)"
	n=$((n + 1))
done
[ "$(grep -c 'parsing \[bad.cfg:' bad.out)" = $((n - 6)) ] || fail "one error per bad line expected: $(cat bad.out)"
exit 0
