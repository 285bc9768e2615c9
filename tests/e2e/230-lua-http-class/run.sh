#!/usr/bin/env bash
# The HTTP class (txn.http) in http-request and http-response Lua
# actions, every method under its HAProxy 1.6 name and its current one
# (req_get_header/req_get_headers, req_replace_header/req_rep_header,
# req_replace_value/req_rep_value and the res_ ones; the request header
# X-Names picks the set): the headers table (lower-cased names, values
# from [0] in order), add/set/del, the regex rewrites with \1 references,
# method/path/query/URI, res_set_status with and without a reason. The
# rewrites are checked at the origin (its log of received heads) and in
# the response. Errors: a response method in a request action and the
# reverse, an invalid regex, a CR/LF in a value, a bad header name, a
# method or path that would break the request line; a header too big for
# the buffer is refused (false) and the request goes on. txn.http is nil
# in TCP mode.
#
# Compared with HAProxy 2.6.12 (haproxy -db, same configuration and Lua):
# the same headers tables before and after, the same rewrites seen by the
# origin (PUT /new/path?q=1&r=2, one X-Set, no X-Del, "X-Rep: b-aa",
# "X-Val: ya,yb,c", the set-uri target), the same response (202 Accepted
# or 299 Fine, x-res-added, x-req replaced, no x-conn, content-type
# application/plain, "x-list: b1,b2"), the same "invalid regex" argument
# error. Differences kept on purpose:
# - a method of the other direction raises "HTTP.<method>: no response
#   to work on here..." (2.6 raises a meaningless error object);
# - a CR/LF in a value, a bad header name, a space in the method or
#   path raise a Lua error (2.6 sends them: header injection, a broken
#   request line);
# - the methods return true/false (2.6 returns nothing from the header
#   methods); a header that does not fit gives false;
# - header names keep the case they were written with (2.6 lower-cases
#   every header it forwards).
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/http.lua" .
p_fe=$(free_port); p_or=$(free_port); p_tcp=$(free_port)

cat >h.cfg <<CONF
global
   lua-load http.lua

defaults
   timeout client 10s
   timeout server 10s
   timeout connect 5s

frontend fe
   mode http
   bind 127.0.0.1:$p_fe
   http-request lua.keep
   http-request lua.req
   http-response lua.res
   default_backend be

backend be
   mode http
   server o 127.0.0.1:$p_or

listen tcp
   mode tcp
   bind 127.0.0.1:$p_tcp
   tcp-request inspect-delay 1s
   tcp-request content lua.tcpcheck
   server o 127.0.0.1:$p_or
CONF

start_origin "$p_or" "$T/origin.log"
start_hlp h.cfg "$p_fe"

# one request; the response head in $T/h.<tag>, the body in $T/b.<tag>
req() {
	local tag=$1
	shift
	curl -sS -m 10 -D "$T/h.$tag" -o "$T/b.$tag" -H 'User-Agent:' -H 'Accept:' "$@" \
		|| fail "$tag: curl failed"
	tr -d '\r' <"$T/h.$tag" >"$T/h.$tag.txt"
}
# the value of response header $2 of request $1
rhdr() { grep -i "^$2: " "$T/h.$1.txt" | head -1 | sed 's/^[^:]*: //'; }
# note $2 (request side X-Notes, or X-Res-Notes with $3=res) of request $1
notev() {
	local h=X-Notes
	[ "${3:-}" = res ] && h=X-Res-Notes
	rhdr "$1" "$h" | sed 's/ \^\^ /\n/g' | sed 's/^ *//; s/ *$//' | grep "^$2=" | head -1 | sed "s/^$2=//"
}
# REF=1: the binary is HAProxy 2.6 (HLP=/usr/sbin/haproxy), to compare
# with: the checks of the differences kept on purpose are skipped.
REF=${REF:-0}
# the header lines the origin got for the request whose line is $1 (nth: $2)
origin_head() {
	awk -v want="$1" -v nth="${2:-1}" '
		/^REQ / { cur = ($3 " " $4 == want); if (cur) seen++; next }
		/^CONN / { cur = 0; next }
		cur && seen == nth { sub(/^  /, ""); print }' "$T/origin.log"
}

# HAProxy 2.6 lost the 1.6 names: only the current ones there
sets="new old"
[ "$REF" = 1 ] && sets=new
for names in $sets; do
	note "names: $names"
	req rw-$names -H "X-Names: $names" -H 'X-Set: a' -H 'X-Set: b' -H 'X-Del: 1' -H 'x-del: 2' \
		-H 'X-Rep: aab' -H 'X-Rep: zz' -H 'X-Val: xa, xb,c' "http://127.0.0.1:$p_fe/rw?old=1"
	expect_eq "$(notev rw-$names before)" \
		"host=127.0.0.1:$p_fe;x-del=1|2;x-names=$names;x-rep=aab|zz;x-set=a|b;x-val=xa, xb,c" "$names: headers table"
	for k in add set del rep repv method path query; do
		expect_eq "$(notev rw-$names $k)" ok "$names: $k"
	done
	expect_eq "$(notev rw-$names after)" \
		"host=127.0.0.1:$p_fe;x-added=v1;x-names=$names;x-rep=b-aa|zz;x-set=one;x-val=ya,yb,c" "$names: headers after"
	expect_eq "$(cat "$T/b.rw-$names")" "PUT /new/path?q=1&r=2" "$names: the origin's answer"
	origin_head "PUT /new/path?q=1&r=2" "$([ $names = new ] && echo 1 || echo 2)" | tr 'A-Z' 'a-z' | sort >"$T/oh.$names"
	expect_eq "$(tr '\n' ';' <"$T/oh.$names")" \
		"host: 127.0.0.1:$p_fe;x-added: v1;x-names: $names;x-rep: b-aa;x-rep: zz;x-set: one;x-val: ya,yb,c;" \
		"$names: the head the origin got"

	req uri-$names -H "X-Names: $names" "http://127.0.0.1:$p_fe/uri"
	expect_eq "$(notev uri-$names uri)" ok "$names: req_set_uri"
	grep -q "^REQ [0-9]* GET /echo/set-by-lua?z=9 HTTP/1.1" "$T/origin.log" || fail "$names: the origin did not get the new URI"

	req bad-$names -H "X-Names: $names" -H 'X-Rep: q' "http://127.0.0.1:$p_fe/bad"
	case "$(notev bad-$names badre)" in *"invalid regex"*) ;; *) fail "$names: invalid regex: $(notev bad-$names badre)" ;; esac
	if [ "$REF" != 1 ]; then
	case "$(notev bad-$names crlf)" in "error: "*"CR, LF or NUL"*) ;; *) fail "$names: CRLF value: $(notev bad-$names crlf)" ;; esac
	case "$(notev bad-$names badname)" in "error: "*"invalid header name"*) ;; *) fail "$names: bad name: $(notev bad-$names badname)" ;; esac
	case "$(notev bad-$names badmeth)" in "error: "*"invalid method"*) ;; *) fail "$names: bad method" ;; esac
	case "$(notev bad-$names badpath)" in "error: "*"invalid path"*) ;; *) fail "$names: bad path" ;; esac
	for k in res_in_req resadd_in_req status_in_req; do
		case "$(notev bad-$names $k)" in "error: "*"no response to work on here"*) ;; *) fail "$names: $k: $(notev bad-$names $k)" ;; esac
	done
	expect_eq "$(notev bad-$names toobig)" false "$names: a header too big"
	expect_eq "$(notev bad-$names after)" "host=127.0.0.1:$p_fe;x-names=$names;x-rep=q" "$names: nothing changed by the failures"
	expect_eq "$(cat "$T/b.bad-$names")" "GET /bad" "$names: the request went on"
	fi

	req hdr-$names -H "X-Names: $names" "http://127.0.0.1:$p_fe/hdr?x-list=a1,%20a2"
	case "$(notev hdr-$names before res)" in
	"content-length="*";content-type=text/plain;x-conn="*";x-list=a1, a2;x-req=1") ;;
	*) fail "$names: response headers table: $(notev hdr-$names before res)" ;;
	esac
	for k in add set del rep repv status; do
		expect_eq "$(notev hdr-$names $k res)" ok "$names: response $k"
	done
	for k in req_in_res reqadd_in_res; do
		case "$(notev hdr-$names $k res)" in
		"error: "*"no request to work on here"*) ;;
		"error: "*) [ "$REF" = 1 ] || fail "$names: $k: $(notev hdr-$names $k res)" ;;
		*) fail "$names: $k: $(notev hdr-$names $k res)" ;;
		esac
	done
	if [ $names = new ]; then
		expect_eq "$(head -1 "$T/h.hdr-$names.txt")" "HTTP/1.1 202 Accepted" "$names: res_set_status(202)"
	else
		expect_eq "$(head -1 "$T/h.hdr-$names.txt")" "HTTP/1.1 299 Fine" "$names: res_set_status(299, 'Fine')"
	fi
	expect_eq "$(rhdr hdr-$names x-res-added)" r1 "$names: res_add_header"
	expect_eq "$(rhdr hdr-$names x-req)" replaced "$names: res_set_header"
	expect_eq "$(rhdr hdr-$names x-conn)" "" "$names: res_del_header"
	expect_eq "$(rhdr hdr-$names content-type)" application/plain "$names: res_rep_header"
	expect_eq "$(rhdr hdr-$names x-list)" "b1,b2" "$names: res_rep_value"
	case "$(notev hdr-$names after res)" in
	"content-length="*";content-type=application/plain;x-list=b1,b2;x-req=replaced;x-res-added=r1") ;;
	*) fail "$names: response headers after: $(notev hdr-$names after res)" ;;
	esac
done

# TCP mode: no HTTP object
exec 3<>/dev/tcp/127.0.0.1/$p_tcp || fail "tcp: cannot connect"
printf 'x\n' >&3
read -r -t 5 line <&3 || fail "tcp: no answer"
exec 3>&-
expect_eq "$line" "http=nil" "txn.http in TCP mode"

[ "$REF" = 1 ] || stop_hlp
echo "ok"
