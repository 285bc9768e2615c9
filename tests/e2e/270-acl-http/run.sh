# ACLs and conditions in HTTP mode, every answer checked against what
# HAProxy 2.6.12 does with the same configuration (this case passes with
# HLP=/usr/sbin/haproxy too). Each rule adds an "x-hit" header when its
# condition holds; a return rule shows them, so one request checks many
# ACLs at once:
# - every match method (str beg end sub reg dir dom len int ip bin found
#   bool), -i, ranges and operators, -f files (one pattern per line, comments
#   and blank lines skipped), -M (a map's keys), --, several values, several
#   "acl" lines with one name (OR'ed);
# - derived keywords: path_*, url_*, base_*, hdr_* (every value of a
#   multi-valued header tried), hdr_cnt, hdr_val, hdr_ip, cook, cook_val,
#   urlp, method, req.ver, src, src_port, dst_port;
# - converters before matching, Lua fetches and converters giving booleans;
# - "!", implicit AND, "||" and "or", anonymous ACLs, unless, predefined
#   ACLs (TRUE FALSE LOCALHOST METH_* HTTP_1.0/1.1 HTTP_URL_* HTTP_CONTENT);
# - conditions on add-header, set-var, Lua actions (lua.x and the seed's
#   "lua fn"), deny, return, redirect (http-request and the standalone
#   keyword), use-service, http-response rules on the status and response
#   headers.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/acl.lua" .
p=$(free_port); og=$(free_port)
printf '# exact paths\n/f1\n\n   /f2\n' >paths.lst
printf '/pfx/a\n#/pfx/b\n/pfx/c\n' >pfx.lst
printf '/mk1   value one\n/mk2 two\n' >keys.map
luafn="    http-request lua old_tag if { path /luafn }"
is_haproxy && luafn="    http-request add-header x-hit luafn if { path /luafn }"
cat >hlp.conf <<CONF
global
    lua-load acl.lua

defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend fe
    bind 127.0.0.1:$p
    acl a_beg path_beg /api /v2
    acl a_end path_end .php .jpg
    acl a_sub path_sub admin
    acl a_reg path_reg ^/re[0-9]+\$
    acl a_dir path_dir img
    acl a_dom hdr_dom(host) -i example.com
    acl a_len path_len 5
    acl a_lenr path_len gt 20
    acl a_str path /exact
    acl a_icase path -i /ICASE
    acl a_cnt hdr_cnt(x-m) ge 2
    acl a_val hdr_val(x-n) lt 10
    acl a_hip hdr_ip(x-ip) 10.0.0.0/8 2001:db8::/32
    acl a_ua hdr_sub(user-agent) -i BOT
    acl a_mbeg hdr_beg(x-m) b
    acl a_cook cook(sess) -m found
    acl a_cookv cook_val(n) 5:9
    acl a_urlp urlp(id) 42
    acl a_meth method POST PUT
    acl a_v10 req.ver 1.0
    acl a_found req.hdr(x-f) -m found
    acl a_bool req.hdr(x-b) -m bool
    acl a_int req.hdr(x-i) -m int 3:5 eq 10 ge 100
    acl a_file path -f paths.lst
    acl a_fbeg path_beg -f pfx.lst
    acl a_map path -M -f keys.map
    acl a_src src 127.0.0.0/8
    acl a_src10 src 10.0.0.0/8
    acl a_sport src_port 1024:65535
    acl a_dport dst_port $p
    acl a_or path_beg /or
    acl a_or hdr(x-or) yes
    acl a_dash hdr(x-d) -- -dash
    acl a_lua lua.check -m bool
    acl a_luac req.hdr(x-l),lua.valid -m bool
    acl a_conv req.hdr(x-u),lower -m str abc
    acl a_sublen req.hdr(x-u) -m len 3
    acl a_base base_beg 127.0.0.1:$p/bas
    acl a_url url_sub ?q=
    acl a_reqm req.hdr(x-m) -m sub zz
    http-request add-header x-hit beg if a_beg
    http-request add-header x-hit end if a_end
    http-request add-header x-hit sub if a_sub
    http-request add-header x-hit reg if a_reg
    http-request add-header x-hit dir if a_dir
    http-request add-header x-hit dom if a_dom
    http-request add-header x-hit len if a_len
    http-request add-header x-hit lenr if a_lenr
    http-request add-header x-hit str if a_str
    http-request add-header x-hit icase if a_icase
    http-request add-header x-hit cnt if a_cnt
    http-request add-header x-hit val if a_val
    http-request add-header x-hit hip if a_hip
    http-request add-header x-hit ua if a_ua
    http-request add-header x-hit mbeg if a_mbeg
    http-request add-header x-hit cook if a_cook
    http-request add-header x-hit cookv if a_cookv
    http-request add-header x-hit urlp if a_urlp
    http-request add-header x-hit meth if a_meth
    http-request add-header x-hit v10 if a_v10
    http-request add-header x-hit found if a_found
    http-request add-header x-hit bool if a_bool
    http-request add-header x-hit int if a_int
    http-request add-header x-hit file if a_file
    http-request add-header x-hit fbeg if a_fbeg
    http-request add-header x-hit map if a_map
    http-request add-header x-hit src if a_src a_sport a_dport
    http-request add-header x-hit src10 if a_src10
    http-request add-header x-hit or if a_or
    http-request add-header x-hit dash if a_dash
    http-request add-header x-hit lua if a_lua
    http-request add-header x-hit luac if a_luac
    http-request add-header x-hit conv if a_conv
    http-request add-header x-hit sublen if a_sublen
    http-request add-header x-hit base if a_base
    http-request add-header x-hit url if a_url
    http-request add-header x-hit reqm if a_reqm
    http-request add-header x-hit not if !a_src10 { path /ops }
    http-request add-header x-hit notnot if !!a_src { path /ops }
    http-request add-header x-hit or1 if a_src10 || a_str
    http-request add-header x-hit or2 if a_src10 or { path /ops }
    http-request add-header x-hit and if a_src a_beg
    http-request add-header x-hit anon if { path_beg /anon } { method GET }
    http-request add-header x-hit unless unless a_beg || a_src10 || { path_beg /ops /x } || !{ path_beg / }
    http-request add-header x-hit TRUE if TRUE { path /pre }
    http-request add-header x-hit FALSE if FALSE
    http-request add-header x-hit LOCALHOST if LOCALHOST { path /pre }
    http-request add-header x-hit METH_GET if METH_GET { path /pre }
    http-request add-header x-hit METH_POST if METH_POST
    http-request add-header x-hit HTTP_1.1 if HTTP_1.1 { path /pre }
    http-request add-header x-hit HTTP_1.0 if HTTP_1.0
    http-request add-header x-hit SLASH if HTTP_URL_SLASH { path /pre }
    http-request add-header x-hit CONTENT if HTTP_CONTENT
    http-request set-var(txn.v) str(setvar) if { path /act }
    http-request add-header x-hit %[var(txn.v)] if { var(txn.v) -m found }
    http-request lua.tag luax if { path /act }
    http-request lua.tag never unless { path /act } || !{ path /act }
$luafn
    http-request deny deny_status 429 if { path /deny }
    http-request use-service lua.svc if { path_beg /svc }
    http-request redirect location /moved code 302 if { path /rdr }
    redirect prefix /pp code 301 if { path_beg /old }
    http-request return status 200 content-type text/plain lf-string "%[req.fhdr_cnt(x-hit)]:%[req.hdr(x-hit,1)],%[req.hdr(x-hit,2)],%[req.hdr(x-hit,3)],%[req.hdr(x-hit,4)],%[req.hdr(x-hit,5)],%[req.hdr(x-hit,6)]" if { path /luafn }
    http-request return status 200 content-type text/plain lf-string "%[req.hdrs]" unless { path_beg /res /old }
    default_backend b

backend b
    http-response set-header x-r404 yes if { status 404 }
    http-response set-header x-rhdr yes if { res.hdr(x-o) -m found }
    http-response set-header x-rm yes if METH_POST
    http-response set-header x-two yes if { res.hdr_cnt(x-o) gt 1 }
    server o 127.0.0.1:$og
CONF
# origin: /res/404 answers 404, /res/h with two x-o headers
cat >origin.conf <<CONF
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend o
    bind 127.0.0.1:$og
    http-request return status 404 if { path /res/404 }
    http-request return status 200 hdr x-o 1 hdr x-o 2 if { path /res/h }
    http-request return status 200
CONF
bg "$HLP" -f origin.conf
wait_port "$og" 10 || fail "origin did not start"
start_hlp hlp.conf "$p"

# hits URL [curl args...]: the x-hit values, sorted, space-separated
hits() {
	local u=$1
	shift
	curl -s "$@" "http://127.0.0.1:$p$u" | sed 's/%0D%0A/\n/g' | grep '^x-hit: ' | cut -d' ' -f2 | sort | tr '\n' ' ' | sed 's/ $//'
}
check() {
	local want got
	want=$(echo "$1" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
	shift
	got=$(hits "$@")
	[ "$got" = "$want" ] || { echo "$*: expected hits '$want', got '$got'"; bad=1; }
}
bad=0
check "and beg src" /api/x
check "and beg src" /v2
check "end src unless" /a.php
check "src sub" /x/admin/y
check "reg src unless" /re123
check "src unless" /re12a
check "dir src unless" /a/img/b.png
check "dom src unless" /z -H "Host: www.EXAMPLE.com"
check "src unless" /z -H "Host: notexample.com"
check "len src unless" /abcd
check "lenr src unless" /aaaaaaaaaaaaaaaaaaaaaaaaa
check "or1 src str unless" /exact
check "icase src unless" /icase
check "cnt mbeg src unless" /z -H "x-m: a" -H "x-m: b"
check "cnt mbeg reqm src unless" /z -H "x-m: a, bzz, c"
check "src unless" /z -H "x-m: a"
check "src unless val" /z -H "x-n: 9"
check "src unless" /z -H "x-n: 10"
check "hip src unless" /z -H "x-ip: 10.1.2.3"
check "hip src unless" /z -H "x-ip: 2001:db8::1"
check "src unless" /z -H "x-ip: 11.1.2.3"
check "src ua unless" /z -A "GoogleBot/2"
check "cook src unless" /z -H "Cookie: a=1; sess=x"
check "cookv src unless" /z -H "Cookie: n=7"
check "src unless" /z -H "Cookie: n=10"
check "src unless urlp" "/z?a=1&id=42"
check "meth src unless" /z -X PUT
check "HTTP_1.0 src unless v10" /z -0
check "found src unless" /z -H "x-f;"
check "bool src unless" /z -H "x-b: 5"
check "src unless" /z -H "x-b: 0"
check "int src unless" /z -H "x-i: 4"
check "int src unless" /z -H "x-i: 10"
check "int src unless" /z -H "x-i: 200"
check "src unless" /z -H "x-i: 6"
check "file src unless" /f2
check "file src unless" /f1
check "src unless" "/#"
check "fbeg src unless" /pfx/c/d
check "src unless" /pfx/b
check "map src unless" /mk1
check "len or src unless" /or/x
check "or src unless" /z -H "x-or: yes"
check "dash src unless" /z -H "x-d: -dash"
check "lua src unless" /z -H "x-lua: ok"
check "luac src unless" /z -H "x-l: good"
check "src unless" /z -H "x-l: bad"
check "conv src sublen unless" /z -H "x-u: ABC"
check "base src unless" /bas/x
check "src unless url" "/z?q=1"
check "not notnot or2 src" /ops
check "anon len src unless" /anon
check "len src unless" /anon -X DELETE
check "LOCALHOST METH_GET SLASH TRUE src unless HTTP_1.1" /pre
check "CONTENT METH_POST meth src unless" /z -X POST -d x
check "CONTENT METH_POST meth src unless" /z -X POST -d x -H "x-m: q"
check "luax setvar src unless" /act
[ $bad = 0 ] || fail "ACL hits differ"
got=$(curl -s "http://127.0.0.1:$p/luafn")
expect_eq "$got" "3:src,unless,luafn,,," "lua fn with a condition"
expect_eq "$(curl -s "http://127.0.0.1:$p/svc/a")" "service /svc/a" "use-service if"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/deny")
expect_eq "$code" "429" "deny if"
got=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$p/rdr")
expect_eq "$got" "302 http://127.0.0.1:$p/moved" "http-request redirect if"
got=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$p/old/x")
expect_eq "$got" "301 http://127.0.0.1:$p/pp/old/x" "redirect keyword if"
# http-response rules with conditions
got=$(curl -s -D - -o /dev/null "http://127.0.0.1:$p/res/404" | tr -d '\r' | grep -ci '^x-r404: yes')
expect_eq "$got" "1" "http-response if status"
got=$(curl -s -D - -o /dev/null "http://127.0.0.1:$p/res/h" | tr -d '\r' | grep -Ei "^(x-rhdr|x-two|HTTP/)" | tr '\n' ' ')
expect_eq "$got" "HTTP/1.1 200 OK x-rhdr: yes x-two: yes " "http-response if res.hdr"
got=$(curl -s -D - -o /dev/null -X POST -d a "http://127.0.0.1:$p/res/x" | tr -d '\r' | grep -ci '^x-rm: yes')
expect_eq "$got" "1" "http-response if METH_POST"
got=$(curl -s -D - -o /dev/null "http://127.0.0.1:$p/res/x" | tr -d '\r' | grep -ci '^x-r')
expect_eq "$got" "0" "http-response conditions false"
is_haproxy || stop_hlp
