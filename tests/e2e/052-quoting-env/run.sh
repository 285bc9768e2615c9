# The configuration tokenizer end to end: "${VAR}" expansion in bind and
# server addresses, ${VAR-default}, single quotes that do not expand,
# backslash-escaped blanks and '#', comments, and several -f files read in
# order (global and defaults in the first, proxies in the second).
. "$TOP/tests/lib.sh"
cd "$T"

pe=$(free_port)     # echo server
pa=$(free_port)     # bind from ${HLP_Q_LISTEN}
pb=$(free_port)     # bind from a variable set by "setenv" in the first file
pc=$(free_port)
pd=$(free_port)
pf=$(free_port)
pg=$(free_port)
echo_server "$pe"

# An action that answers its one argument, to see the words the parser made.
cat >echo.lua <<'LUA'
core.register_action("say", { "tcp-req" }, function(txn, word)
   txn.res:send("[" .. word .. "]\n")
   txn:done()
end, 1)
LUA

cat >first.cfg <<CONF
# first file: global settings and defaults only
global
   setenv HLP_Q_SETENV_PORT $pb   # set here, used in the second file
   lua-load echo.lua

defaults
   timeout client 1s   # short: the idle check below relies on it
   timeout server 1s
   timeout connect 2s
CONF

cat >second.cfg <<'CONF'
# second file: the proxies, which use what the first file set
listen env-addr
   bind "${HLP_Q_LISTEN}"
   server echo "${HLP_Q_SERVER}"

listen from-setenv
   bind "127.0.0.1:${HLP_Q_SETENV_PORT}"
   server echo "127.0.0.1:${HLP_Q_ECHO_PORT}"

listen single-quotes
   bind "127.0.0.1:${HLP_Q_PC}"
   tcp-request content lua.say '${HLP_Q_WORD}'

listen escapes
   bind "127.0.0.1:${HLP_Q_PD}"   # trailing comment "with quotes" and 'more'
   tcp-request content lua.say hello\ big\ \ world

#listen commented-out
#   bind 127.0.0.1:1

listen hashes
   bind "127.0.0.1:${HLP_Q_PF}"
	tcp-request content lua.say "a#b"\#c'#d' # not part of the word

listen mixed
   bind "127.0.0.1:${HLP_Q_PG}"
   tcp-request content lua.say x"${HLP_Q_WORD}"'${HLP_Q_WORD}'"${HLP_Q_UNSET-fall back}"y
CONF

export HLP_Q_LISTEN=127.0.0.1:$pa HLP_Q_SERVER=127.0.0.1:$pe HLP_Q_ECHO_PORT=$pe
export HLP_Q_PC=$pc HLP_Q_PD=$pd HLP_Q_PF=$pf HLP_Q_PG=$pg HLP_Q_WORD=expanded
unset HLP_Q_UNSET HLP_Q_SETENV_PORT

ask() { timeout 10 nc -w 5 127.0.0.1 "$1" </dev/null; }

"$HLP" -c -f first.cfg -f second.cfg >check.out 2>check.err || fail "-c: $(cat check.err)"
# the defaults of the first file apply to the second: no missing timeouts
[ -s check.err ] && fail "-c printed messages: $(cat check.err)"

start_hlp first.cfg "$pa" -f second.cfg
# ${VAR} in a bind and a server address
out=$(echo "through env" | timeout 10 nc -w 2 127.0.0.1 "$pa")
expect_eq "$out" "through env" "bind and server from environment variables"
# a variable set by "setenv" in the first file, used in the second
wait_port "$pb" || fail "no listener on the port set by setenv"
out=$(echo "via setenv" | timeout 10 nc -w 2 127.0.0.1 "$pb")
expect_eq "$out" "via setenv" "setenv in the first file"
# single quotes keep ${...} as it is
expect_eq "$(ask "$pc")" '[${HLP_Q_WORD}]' "single quotes"
# backslash-escaped spaces stay in the word (two of them too)
expect_eq "$(ask "$pd")" "[hello big  world]" "escaped spaces"
# '#' inside quotes or escaped is a character; a bare one starts a comment
expect_eq "$(ask "$pf")" "[a#b#c#d]" "hash signs"
# quoted parts glue into one word; ${VAR-default} for an unset variable
expect_eq "$(ask "$pg")" '[xexpanded${HLP_Q_WORD}fall backy]' "mixed quoting"
# the commented-out proxy does not exist: nothing else is listening
[ "$(grep -c . hlp.log 2>/dev/null)" = 0 ] || fail "unexpected messages: $(cat hlp.log)"

# the timeouts of the first file's defaults are applied: an idle client
# is closed by "timeout client 1s" (the guard only stops a hang)
exec 3<>/dev/tcp/127.0.0.1/"$pa"
timeout 10 cat <&3 >/dev/null
rc=$?
exec 3<&-
[ $rc -ne 124 ] || fail "an idle client was not closed: the defaults of the first file were not applied"
stop_hlp

# the files are read in order: the other way round, the action used by the
# second file is not registered yet and the defaults come too late
"$HLP" -c -f second.cfg -f first.cfg >rev.out 2>rev.err && fail "-c accepted the files in the wrong order"
grep -Fq "parsing [second.cfg:12] : 'tcp-request content lua.say': Lua action 'say' is not registered" rev.err ||
	fail "wrong order: no error for the unregistered action: $(cat rev.err)"
# HLP_Q_SETENV_PORT is not set yet when the second file is read
grep -Fq "parsing [second.cfg:7] : 'bind 127.0.0.1:' : invalid port '' in '127.0.0.1:'" rev.err ||
	fail "wrong order: no error for the unset variable: $(cat rev.err)"
note "quoting and environment ok"
