# "unmatched quote at position N" must point at the quote that is not
# closed, as HAProxy ("position 9" for the line below, counted from 1).
# hlproxy reports the end of the line instead (position 22 here), which
# does not help finding the quote on a long line.
. "$TOP/tests/lib.sh"
cd "$T"

p1=$(free_port)
printf 'global\n    log "stderr local0\n\nlisten app\n   bind 127.0.0.1:%s\n' "$p1" >quote.cfg
"$HLP" -c -f quote.cfg >c.out 2>c.err && fail "-c accepted an unmatched quote"
grep -q "^\[ALERT\] ([0-9]*) : parsing \[quote.cfg:2\] : unmatched quote at position 9\b" c.err ||
	fail "the position does not point at the opening quote (9): $(cat c.err)"
note "quote position ok"
