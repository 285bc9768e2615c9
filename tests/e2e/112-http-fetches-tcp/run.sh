# HTTP sample fetches in mode tcp, on the request buffer (tcp-request
# content) and the response buffer (tcp-response content), plus their Lua
# forms. expected.tsv holds, for each request of reqs.txt and each fetch of
# fetches.txt / rfetches.txt, the value HAProxy 2.6.12 gave with the same
# configuration (each value is followed by the "<>" of concat, so that an
# empty string differs from a failed fetch, shown '-'), except where
# hlproxy differs on purpose:
# - HAProxy 2.6 has no HTTP fetch on the response in TCP mode ("no HTTP
#   fetch on the response in TCP mode" in http_fetch.c); hlproxy parses the
#   response buffer, so res.hdr, res.fhdr, res.hdr_cnt, res.fhdr_cnt,
#   res.ver and status (and their Lua forms) have values;
# - HAProxy's raw-mode conversion adds the :method and :path
#   pseudo-headers, which req.hdrs, req.hdr_names, and hdr_cnt/req.fhdr_cnt
#   without a name then show; hlproxy shows the real headers only (in the
#   form HAProxy rebuilds them: lower-case names, "name: value").
# Followed from HAProxy: names lower-cased in req.hdrs/req.hdr_names,
# hdr/req.fhdr without a name fail, base without Host is the path, an
# absolute-form URI whose authority differs from Host makes every request
# fetch fail, url_param with a delimiter starts after its first occurrence,
# blanks around a cookie's '=' are dropped. Not measured on HAProxy (its
# tcp-response rules ran after the log line there): res.len and str(ran),
# which only check that the tcp-response rules ran.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/hf.lua" "$CASE/resp.sh" .
p=$(free_port); s=$(free_port)
bg socat TCP-LISTEN:"$s",bind=127.0.0.1,reuseaddr,fork EXEC:"sh resp.sh"
wait_port "$s" 5 || fail "response server did not start"

{
	cat <<CONF
global
   log stderr format raw local0
   lua-load hf.lua

defaults
   mode tcp
   timeout connect 1s
   timeout client 5s
   timeout server 5s

listen h
   bind 127.0.0.1:$p
   log global
   tcp-request inspect-delay 2s
   tcp-request content lua.waithttp
CONF
	i=0; lf="Q"
	while IFS= read -r f; do
		i=$((i + 1))
		echo "   tcp-request content set-var(txn.q$i) $f"
		lf="$lf ~ %[var(txn.q$i),concat(<,,>)]"
	done <"$CASE/fetches.txt"
	echo "   tcp-response inspect-delay 2s"
	echo "   tcp-response content lua.waitres 45"
	i=0
	while IFS= read -r f; do
		i=$((i + 1))
		echo "   tcp-response content set-var(txn.r$i) $f"
		lf="$lf ~ %[var(txn.r$i),concat(<,,>)]"
	done <"$CASE/rfetches.txt"
	for v in lh ls lc lst lrh; do lf="$lf ~ %[var(txn.$v),concat(<,,>)]"; done
	echo "   log-format \"$lf\""
	echo "   server s 127.0.0.1:$s"
} >h.cfg

start_hlp h.cfg "$p"
# the probe connection of start_hlp logs a line once its Lua wait gives up
for _ in $(seq 200); do grep -q '^Q ' "$T/hlp.log" && break; sleep 0.025; done
names() {
	cat "$CASE/fetches.txt" "$CASE/rfetches.txt"
	printf 'lua f:hdr(host)\nlua sf:req_hdr(x-a,2)\nlua f:hdr_cnt(x-a)\nlua f:status()\nlua f:res_hdr(x-a,1)\n'
}
: >got.tsv
while IFS='	' read -r tag req; do
	n=$(grep -c '^Q ' "$T/hlp.log")
	printf "$req" | timeout 10 nc -q1 127.0.0.1 "$p" >resp.out
	for _ in $(seq 200); do [ "$(grep -c '^Q ' "$T/hlp.log")" -gt "$n" ] && break; sleep 0.025; done
	[ "$(grep -c '^Q ' "$T/hlp.log")" -gt "$n" ] || fail "$tag: no log line"
	grep '^Q ' "$T/hlp.log" | tail -n 1 | sed 's/^Q ~ //; s/ ~ /\n/g' >vals
	paste -d'\t' <(names) vals | sed "s/^/$tag\t/" >>got.tsv
done <"$CASE/reqs.txt"

bad=0
while IFS='	' read -r tag expr want; do
	got=$(awk -F'\t' -v t="$tag" -v e="$expr" '$1 == t && $2 == e { print $3; exit }' got.tsv)
	if [ "$got" != "$want" ]; then
		echo "MISMATCH $tag $expr: HAProxy '$want', hlproxy '$got'" >&2
		bad=$((bad + 1))
	fi
done <"$CASE/expected.tsv"
[ $bad -eq 0 ] || fail "$bad fetch values differ from HAProxy's"

kill -0 "$HLP_PID" || fail "the proxy died"
stop_hlp
exit 0
