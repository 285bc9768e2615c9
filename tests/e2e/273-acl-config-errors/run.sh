# ACL and condition mistakes in the configuration: each one stops the
# start-up with HAProxy 2.6.12's message naming file:line (warnings too,
# which do not stop it). The same messages come from HLP=/usr/sbin/haproxy.
. "$TOP/tests/lib.sh"
cd "$T"
p=$(free_port)
printf 'pattern\n' >ok.lst
n=0
# bad EXIT LINE MESSAGE <config lines...>: a frontend holding the lines,
# checked with -c; EXIT is "err" (must fail) or "warn" (must pass and warn)
bad() {
	local want=$1 line=$2 msg=$3 out rc
	shift 3
	n=$((n + 1))
	{
		printf 'defaults\n    mode http\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\n'
		printf 'frontend fe\n    bind 127.0.0.1:%s\n' "$p"
		for l in "$@"; do printf '    %s\n' "$l"; done
		printf 'backend b\n    server s 127.0.0.1:%s\n' "$p"
	} >bad$n.cfg
	out=$("$HLP" -c -f bad$n.cfg 2>&1)
	rc=$?
	if [ "$want" = err ]; then
		[ $rc -ne 0 ] || fail "case $n ($msg): accepted"
	else
		[ $rc -eq 0 ] || fail "case $n ($msg): refused: $out"
	fi
	case "$out" in
	*"$msg"*) ;;
	*) fail "case $n: expected '$msg', got: $out" ;;
	esac
	if [ "$line" != - ]; then
		case "$out" in
		*"parsing [bad$n.cfg:$line] : "* | *"parsing [bad$n.cfg:$line]: "*) ;;
		*) fail "case $n ($msg): no 'parsing [bad$n.cfg:$line]' in: $out" ;;
		esac
	fi
}
bad err 8 "error detected while parsing switching rule : no such ACL : 'nope'." "use_backend b if nope"
bad err 8 "error detected while parsing ACL 'x' : unknown fetch method 'nofetch' in ACL expression 'nofetch'." "acl x nofetch foo"
bad err 8 "matching method must be specified first (using '-m') when using a sample fetch of this type ('req.payload')" "acl x req.payload(0,4) abc"
bad err 8 "matching method 'ip' cannot be used with fetch keyword 'req.payload'" "acl x req.payload(0,4) -m ip 1.2.3.4"
bad err 8 "unknown matching method 'nope' when parsing ACL expression" "acl x path -m nope foo"
bad err 8 "'-q' is not a valid ACL option. Please use '--' before any pattern beginning with a '-'" "acl x path -q foo"
bad err 8 "failed to open pattern file <missing.lst>" "acl x path -f ok.lst -f missing.lst"
bad err 8 "'abc' is neither a number nor a supported operator" "acl x hdr_val(x) gt abc"
bad err 8 "missing closing '}' in condition" "http-request deny if { path /x"
bad err 8 "error detected while parsing an 'http-request deny' condition : no such ACL : 'nope'." "http-request deny if nope"
bad err 8 "'tcp-request content reject' : error detected in frontend 'fe' while parsing 'if' condition : no such ACL : 'nope'" "tcp-request content reject if nope"
bad err 8 "acl name 'or' will never match. 'or' is used to express a logical disjunction within a condition." "acl or path /"
bad err 8 "character '!' is not permitted in acl name 'a!b'." "acl a!b path /"
bad err - "unable to find required use_backend: 'nob'." "use_backend nob if TRUE"
bad err 8 "unexpected keyword 'when' after switching rule, only 'if' and 'unless' are allowed." "use_backend b when TRUE"
bad err 8 "'http-request deny' expects either 'if' or 'unless' followed by a condition but found 'when'." "http-request deny when TRUE"
bad warn 8 "anonymous acl will never match because it uses keyword 'res.hdr' which is incompatible with 'frontend http-request header rule'" "http-request deny if { res.hdr(x) -m found }"
bad warn 9 "acl 'r' will never match because it only involves keywords that are incompatible with 'frontend http-request header rule'" "acl r status 200" "http-request deny if r"
bad warn "$(is_haproxy && echo - || echo 8)" "no pattern to match against were provided, so this ACL will never match" "acl x path_beg"
