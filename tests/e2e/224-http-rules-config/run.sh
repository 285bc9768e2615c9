# http-request/http-response lines that must be refused, each with its
# exact message "parsing [FILE:LINE] : ..." (HAProxy 2.6's wording where it
# has one: "error detected in frontend 'f' while parsing 'http-request
# set-header' rule : expects exactly 2 arguments."), and a few accepted
# with HAProxy's warnings. hlproxy only: HAProxy prints the same texts
# with another prefix.
. "$TOP/tests/lib.sh"
cd "$T"
cp "$CASE/svc.lua" .
if is_haproxy; then
	note "hlproxy's messages only"
	exit 0
fi
printf 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok' >good.http
printf 'not a response\n' >bad.http
NBAD=0
bad() { echo "FAIL: $*" >&2; NBAD=$((NBAD + 1)); }

# conf FE_LINE [BE_LINE]: a configuration with FE_LINE at line 10 (in
# frontend 'f') and BE_LINE at line 13 (in backend 'b')
conf() {
	printf 'global\n    lua-load svc.lua\ndefaults\n    mode http\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\nfrontend f\n    bind 127.0.0.1:1\n    %s\n    default_backend b\nbackend b\n    %s\n    server s 127.0.0.1:2\n' "$1" "${2:-}" >c.cfg
}
# refused 'FE_LINE' 'BE_LINE' 'MESSAGE': -c fails with that ALERT line
refused() {
	conf "$1" "${2:-}"
	timeout 20 "$HLP" -c -f c.cfg >out 2>err
	rc=$?
	[ $rc -ge 1 ] && [ $rc -le 123 ] || bad "'$1${2:-}': -c exited with status $rc"
	sed -n 's/^\[ALERT\] ([0-9]*) : //p' err | grep -Fxq -- "$3" || bad "'$1${2:-}':
    wanted: $3
    got:    $(cat err)"
}
# accepted 'FE_LINE' 'BE_LINE' ['WARNING']: -c passes, with that warning when given
accepted() {
	conf "$1" "${2:-}"
	timeout 20 "$HLP" -c -f c.cfg >out 2>err || bad "'$1${2:-}' refused: $(cat err)"
	[ -z "${3:-}" ] || sed -n 's/^\[WARNING\] ([0-9]*) : //p' err | grep -Fxq -- "$3" || bad "'$1${2:-}': no warning
    wanted: $3
    got:    $(cat err)"
}
F="parsing [c.cfg:10] :"
B="parsing [c.cfg:13] :"
E="$F error detected in frontend 'f' while parsing"
EB="$B error detected in backend 'b' while parsing"

refused 'http-request' '' "$F 'http-request' expects 'add-header', 'allow', 'del-header', 'deny', 'redirect', 'reject', 'replace-header', 'replace-value', 'return', 'set-header', 'set-log-level', 'set-method', 'set-path', 'set-query', 'set-uri', 'set-var(<name>)', 'set-var-fmt(<name>)', 'unset-var(<name>)', 'use-service lua.<name>', 'lua.<action>' or 'lua <function>', but got '' (missing argument)."
refused 'http-request foo' '' "$F 'http-request' expects 'add-header', 'allow', 'del-header', 'deny', 'redirect', 'reject', 'replace-header', 'replace-value', 'return', 'set-header', 'set-log-level', 'set-method', 'set-path', 'set-query', 'set-uri', 'set-var(<name>)', 'set-var-fmt(<name>)', 'unset-var(<name>)', 'use-service lua.<name>', 'lua.<action>' or 'lua <function>', but got 'foo'."
refused 'http-request set-status 200' '' "$F 'http-request' expects 'add-header', 'allow', 'del-header', 'deny', 'redirect', 'reject', 'replace-header', 'replace-value', 'return', 'set-header', 'set-log-level', 'set-method', 'set-path', 'set-query', 'set-uri', 'set-var(<name>)', 'set-var-fmt(<name>)', 'unset-var(<name>)', 'use-service lua.<name>', 'lua.<action>' or 'lua <function>', but got 'set-status'."
refused '' 'http-response set-path /x' "$B 'http-response' expects 'add-header', 'allow', 'del-header', 'deny', 'redirect', 'reject', 'replace-header', 'replace-value', 'return', 'set-header', 'set-log-level', 'set-status', 'set-var(<name>)', 'set-var-fmt(<name>)', 'unset-var(<name>)', 'lua.<action>' or 'lua <function>', but got 'set-path'."
refused '' 'http-response use-service lua.hs' "$B 'http-response' expects 'add-header', 'allow', 'del-header', 'deny', 'redirect', 'reject', 'replace-header', 'replace-value', 'return', 'set-header', 'set-log-level', 'set-status', 'set-var(<name>)', 'set-var-fmt(<name>)', 'unset-var(<name>)', 'lua.<action>' or 'lua <function>', but got 'use-service'."
refused 'http-request tarpit' '' "$F 'http-request tarpit' is not implemented yet in hlproxy."
refused 'http-request track-sc0 src' '' "$F 'http-request track-sc0' is not implemented yet in hlproxy."
refused 'http-request add-acl(f) x' '' "$F 'http-request add-acl(f)' is not implemented yet in hlproxy."
refused 'http-request set-header X y if nope' '' "$F error detected while parsing an 'http-request set-header' condition : no such ACL : 'nope'."
refused 'http-request deny unless { nofetch }' '' "$F error detected while parsing an 'http-request deny' condition : unknown fetch method 'nofetch' in ACL expression 'nofetch'."
refused 'http-request set-header X' '' "$E 'http-request set-header' rule : expects exactly 2 arguments."
refused 'http-request add-header X' '' "$E 'http-request add-header' rule : expects exactly 2 arguments."
refused 'http-request set-header X a b' '' "$F 'http-request set-header' expects either 'if' or 'unless' followed by a condition but found 'b'."
refused 'http-request set-header X %[' '' "$E 'http-request set-header' rule : missing fetch method name."
refused 'http-request set-header X %[foo]' '' "$E 'http-request set-header' rule : unknown fetch method 'foo'."
refused 'http-request del-header' '' "$E 'http-request del-header' rule : expects at least 1 argument."
refused 'http-request del-header X -m foo' '' "$E 'http-request del-header' rule : -m with unsupported matching method 'foo'."
refused 'http-request del-header X y' '' "$F 'http-request del-header' expects either 'if' or 'unless' followed by a condition but found 'y'."
refused 'http-request replace-header X' '' "$E 'http-request replace-header' rule : expects exactly 3 arguments."
refused 'http-request replace-value X a' '' "$E 'http-request replace-value' rule : expects exactly 3 arguments."
refused 'http-request set-path' '' "$E 'http-request set-path' rule : expects exactly 1 argument <format>."
refused 'http-request set-uri a b' '' "$E 'http-request set-uri' rule : expects exactly 1 argument <format>."
refused 'http-request set-var(txn.x)' '' "$F 'http-request set-var(txn.x)' expects a sample expression."
refused 'http-request unset-var(txn.x) foo' '' "$F 'http-request unset-var(txn.x)' expects either 'if' or 'unless' followed by a condition but found 'foo'."
refused 'http-request set-var-fmt(txn.a)' '' "$E 'http-request set-var-fmt(txn.a)' rule : expects a log-format string."
refused 'http-request redirect' '' "$E 'http-request redirect' rule : redirection type expected ('prefix', 'location', or 'scheme')."
refused 'http-request redirect foo /x' '' "$E 'http-request redirect' rule : expects 'code', 'prefix', 'location', 'scheme', 'set-cookie', 'clear-cookie', 'drop-query', 'ignore-empty' or 'append-slash' (was 'foo')."
refused 'http-request redirect location' '' "$E 'http-request redirect' rule : missing argument for 'location'."
refused 'http-request redirect location /x code 305' '' "$E 'http-request redirect' rule : 'code': unsupported HTTP code '305' (must be one of 301, 302, 303, 307 or 308)."
refused '' 'http-response redirect prefix /x' "$EB 'http-response redirect' rule : response only supports redirect type 'location'."
refused 'http-request deny deny_status 999' '' "$E 'http-request deny' rule : Unexpected status code '999'."
refused 'http-request deny deny_status' '' "$E 'http-request deny' rule : 'status' expects <status_code> as argument."
refused 'http-request deny deny_status 299' '' "$E 'http-request deny' rule : status code '299' not handled by default with 'default-errorfiles' argument."
refused 'http-request deny foo' '' "$F 'http-request deny' expects either 'if' or 'unless' followed by a condition but found 'foo'."
refused 'http-request return status 99' '' "$E 'http-request return' rule : Unexpected status code '99'."
refused 'http-request return string x' '' "$E 'http-request return' rule : a content type must be defined when non-empty payload is configured."
refused 'http-request return lf-string x' '' "$E 'http-request return' rule : a content type must be defined with a log-format payload."
refused 'http-request return content-type t string' '' "$E 'http-request return' rule : 'string' expects <str> as argument."
refused 'http-request return content-type t string a file b' '' "$E 'http-request return' rule : unexpected 'file' argument, 'string' already defined."
refused 'http-request return hdr X' '' "$E 'http-request return' rule : 'hdr' expects <name> and <value> as arguments."
refused 'http-request return status 204 content-type t string x' '' "$E 'http-request return' rule : No body expected for 204 responses."
refused 'http-request return errorfile bad.http' '' "$E 'http-request return' rule : file 'bad.http' is not a valid HTTP response (invalid HTTP version)."
refused 'http-request use-service' '' "$E 'http-request use-service' rule : 'use-service' expects a service name."
refused 'http-request use-service lua.nope' '' "$E 'http-request use-service' rule : 'lua.nope' unknown service name."
refused 'http-request use-service lua.ts' '' "$E 'http-request use-service' rule : Lua TCP services cannot be used on HTTP proxies."
refused 'http-request set-log-level foo' '' "$E 'http-request set-log-level' rule : expects exactly 1 argument (log level name or 'silent')."
refused '' 'http-response set-status' "$EB 'http-response set-status' rule : expects 1 argument: <status>; or 3 arguments: <status> reason <fmt>."
refused '' 'http-response set-status 99' "$EB 'http-response set-status' rule : expects an integer status code between 100 and 999."
refused 'http-request lua.nope' '' "$F 'http-request lua.nope': Lua action 'nope' is not registered (use core.register_action() in a lua-load file)"
refused 'http-request lua.tact' '' "$F 'http-request lua.tact': Lua action 'tact' is not registered for this rule set"
refused 'http-request lua.act1' '' "$F 'http-request lua.act1': Lua action 'act1' expects 1 argument(s), got 0"
refused 'http-request lua' '' "$F 'http-request lua' expects a Lua function name."

accepted 'http-request use-service lua.hs'
accepted 'http-request lua.act1 x' 'http-response lua.act'
accepted 'http-response deny deny_status 200'
accepted 'http-request return status 200 errorfile good.http'
accepted 'http-request return hdr content-length 3 content-type t string x' '' "parsing [c.cfg:10] : header 'content-length' always ignored by the http reply."
accepted 'http-request return content-type t file /dev/null' '' "parsing [c.cfg:10] : content-type 't' ignored by the http reply when used with an empty payload."
accepted 'http-request return content-type t' '' "parsing [c.cfg:10] : content-type 't' ignored by the http reply because neither errorfile nor payload defined."
accepted 'http-request deny
    http-request set-header a b' '' "parsing [c.cfg:11] : previous 'http-request' action is final and has no condition attached, further entries are NOOP."

[ $NBAD -eq 0 ] || fail "$NBAD configuration checks failed"
exit 0
