# HAProxy's "${VAR[*]}" splits the value of VAR into several words (e.g. a
# list of bind options in one variable). hlproxy looks up a variable
# literally named "VAR[*]", finds nothing and silently uses an empty word.
. "$TOP/tests/lib.sh"
cd "$T"

p1=$(free_port)
cat >words.cfg <<'CONF'
defaults
   timeout client 5s
   timeout server 5s
   timeout connect 2s

listen app
   bind "${HLP_TEST_BIND[*]}"
CONF
export HLP_TEST_BIND="127.0.0.1:$p1 backlog 10"
"$HLP" -c -f words.cfg >c.out 2>c.err || fail "\"\${VAR[*]}\" was not split into words: $(cat c.err)"
start_hlp words.cfg "$p1"
stop_hlp
note "\${VAR[*]} word expansion ok"
