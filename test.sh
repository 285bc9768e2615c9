#!/usr/bin/env bash
# ./test.sh [PATTERN]: build what is needed and run every test: the
# amalgamation check, unit tests, then the end-to-end cases against the
# normal build and again against the ASan+UBSan build. Set WERROR=1 to
# make compiler warnings fatal (CI does). The TLS and socket cases (28x,
# 29x) run a third time against the pinned mbedTLS 3.6 (make
# hlproxy-mbedtls3, fetched from Debian's sources once); MBEDTLS3=1 runs
# every case there, MBEDTLS3=0 skips it. Ends with
# "N passed, M failed".
set -u
cd "$(dirname "$0")"
TOP=$(pwd)
PATTERN=${1:-}
WERROR=${WERROR:-0}
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/hlptest.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
passed=0
failed=0
failures=""

pass() { passed=$((passed + 1)); echo "ok      $1"; }
flunk() { failed=$((failed + 1)); failures="$failures $1"; echo "FAILED  $1"; }

# run NAME LOGFILE CMD...: one test; output goes to LOGFILE, shown on failure
run() {
	local name=$1 log=$2
	shift 2
	if "$@" >"$log" 2>&1; then
		pass "$name"
	else
		flunk "$name"
		sed 's/^/        /' "$log" | tail -n 40
	fi
}

echo "== build"
run amalgamation "$SCRATCH/amalg.log" make -s check-amalgamation
CC_SAN=${CC_SAN:-cc}
if ! make -s WERROR="$WERROR" hlproxy >"$SCRATCH/build.log" 2>&1; then
	flunk build; cat "$SCRATCH/build.log"
	echo "$passed passed, $((failed)) failed"; exit 1
fi
pass build
if make -s WERROR="$WERROR" CC=clang hlproxy-clang-check >"$SCRATCH/clang.log" 2>&1; then pass "build (clang)"; else flunk "build (clang)"; tail -n 20 "$SCRATCH/clang.log"; fi
ASAN_OK=1
if ! make -s WERROR="$WERROR" CC="$CC_SAN" hlproxy-asan >"$SCRATCH/asan.log" 2>&1; then
	flunk "build (asan)"; tail -n 20 "$SCRATCH/asan.log"; ASAN_OK=0
else
	pass "build (asan)"
fi

echo "== unit tests"
for u in tests/unit_*.c; do
	[ -f "$u" ] || continue
	name=$(basename "$u" .c)
	case "$name" in *$PATTERN*) ;; *) continue ;; esac
	bin="$SCRATCH/$name"
	if make -s WERROR="$WERROR" UNIT="$u" UNIT_BIN="$bin" unit >"$SCRATCH/$name.build" 2>&1; then
		run "$name" "$SCRATCH/$name.log" "$bin"
	else
		flunk "$name (build)"; tail -n 20 "$SCRATCH/$name.build"
	fi
	if [ $ASAN_OK = 1 ] && make -s WERROR="$WERROR" CC="$CC_SAN" SANITIZE=1 UNIT="$u" UNIT_BIN="$bin-asan" unit >"$SCRATCH/$name.abuild" 2>&1; then
		run "$name (asan)" "$SCRATCH/$name.alog" "$bin-asan"
	fi
done

# e2e BINARY TAG: every case against one build
e2e() {
	local bin=$1 tag=$2 dir name t rc
	for dir in tests/e2e/*/; do
		name=$(basename "$dir")
		case "$name" in *$PATTERN*) ;; *) continue ;; esac
		# shellcheck disable=SC2254 # E2E_ONLY is a case pattern
		case "$name" in ${E2E_ONLY:-*}) ;; *) continue ;; esac
		[ -f "$dir/run.sh" ] || continue
		t="$SCRATCH/$tag-$name"
		mkdir -p "$t"
		HLP="$TOP/$bin" T="$t" TOP="$TOP" CASE="$TOP/$dir" \
		ASAN_OPTIONS="detect_leaks=1:log_path=$t/asan:abort_on_error=0" \
		UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$t/ubsan" \
			timeout 300 bash "$dir/run.sh" >"$t/out.log" 2>&1
		rc=$?
		if [ $rc -eq 0 ] && ! ls "$t"/asan.* "$t"/ubsan.* >/dev/null 2>&1; then
			pass "$name${tag:+ ($tag)}"
		else
			flunk "$name${tag:+ ($tag)}"
			[ $rc -eq 124 ] && echo "        (timed out)"
			sed 's/^/        /' "$t/out.log" | tail -n 30
			for f in "$t"/asan.* "$t"/ubsan.*; do
				[ -f "$f" ] && sed 's/^/        /' "$f" | head -n 40
			done
		fi
	done
}

echo "== end-to-end (hlproxy)"
e2e hlproxy ""
if [ $ASAN_OK = 1 ] && [ "${NO_ASAN:-0}" != 1 ]; then
	echo "== end-to-end (hlproxy-asan: AddressSanitizer + UndefinedBehaviorSanitizer)"
	e2e hlproxy-asan asan
fi
if [ "${MBEDTLS3:-}" != 0 ]; then
	# the TLS and socket cases again against the pinned mbedTLS 3.6
	# (fetched and built once into build/); MBEDTLS3=1: every case
	echo "== end-to-end (hlproxy-mbedtls3: pinned mbedTLS 3.6)"
	if make -s WERROR="$WERROR" hlproxy-mbedtls3 >"$SCRATCH/mbedtls3.log" 2>&1; then
		pass "build (mbedtls3)"
		if [ "${MBEDTLS3:-}" = 1 ]; then
			e2e hlproxy-mbedtls3 mbedtls3
		else
			E2E_ONLY='2[89]*' e2e hlproxy-mbedtls3 mbedtls3
		fi
	else
		flunk "build (mbedtls3)"; tail -n 20 "$SCRATCH/mbedtls3.log"
	fi
fi

echo
[ $failed -eq 0 ] || echo "failed:$failures"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
