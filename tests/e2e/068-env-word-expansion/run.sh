# HAProxy's "${VAR[*]}" splits the value of VAR into several words (e.g. a
# list of bind options in one variable). hlproxy looks up a variable
# literally named "VAR[*]", finds nothing and silently uses an empty word.
# (Since a8b7bd0 the words are split, but blanks at the ends of the value
# still make an empty word.)
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
# blanks around and between the words make no empty word (as HAProxy:
# "'bind ...' : unknown keyword ''" would be wrong), at the end of the
# line or before another word
export HLP_TEST_BIND="  127.0.0.1:$p1   backlog 10 "
"$HLP" -c -f words.cfg >c2.out 2>c2.err || fail "blanks in \"\${VAR[*]}\" made an empty word: $(cat c2.err)"
sed -i 's/^   bind .*/   bind "${HLP_TEST_BIND[*]}" v4v6/' words.cfg
"$HLP" -c -f words.cfg >c3.out 2>c3.err || fail "blanks in \"\${VAR[*]}\" before another word made an empty word: $(cat c3.err)"
note "\${VAR[*]} word expansion ok"
