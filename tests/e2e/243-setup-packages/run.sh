# The README's set-up command and .ci/run install the same Debian
# packages, and those include the ones providing the external tools the
# cases call (ss from iproute2 in 035, nm from binutils in 056, ...).
# Does not run the binary under test.
. "$TOP/tests/lib.sh"

readme=$(grep -o 'apt-get install -y [^&]*' "$TOP/README.md" | head -1 |
	sed 's/apt-get install -y //' | tr ' ' '\n' | grep -v '^$' | sort)
ci=$(sed -n '/apt-get install/,/>\/dev\/null/p' "$TOP/.ci/run" |
	sed 's/apt-get install -y -qq --no-install-recommends//; s/>\/dev\/null//; s/\\$//' |
	tr ' \t' '\n\n' | grep -v '^$' | sort)
[ -n "$readme" ] || fail "no apt-get install command in README.md"
[ -n "$ci" ] || fail "no apt-get install command in .ci/run"
expect_eq "$(echo "$readme" | tr '\n' ' ')" "$(echo "$ci" | tr '\n' ' ')" "packages of README.md vs .ci/run"

# tool called by the cases -> the package that provides it on Debian
for pair in ss:iproute2 nm:binutils socat:socat nc:netcat-openbsd curl:curl \
	python3:python3 valgrind:valgrind clang:clang ps:procps \
	redis-server:redis-server; do
	tool=${pair%%:*} pkg=${pair#*:}
	grep -qE "(^|[ |;(\`])$tool( |$)" "$TOP"/tests/e2e/*/run.sh "$TOP/tests/lib.sh" "$TOP/test.sh" || continue
	echo "$readme" | grep -qx "$pkg" || fail "the cases call $tool but $pkg is not installed by the set-up command"
done
exit 0
