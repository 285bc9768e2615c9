#!/bin/sh
# Build the three mbedTLS static libraries with our configuration.
#
#   mbedtls/build.sh SRC_DIR OUT_DIR
#
# SRC_DIR is what mbedtls/fetch.sh printed. Upstream's library Makefile is
# used on a private copy of the sources under OUT_DIR, so one unpacked tree
# serves any number of targets. Results:
#   OUT_DIR/lib/libmbedtls.a libmbedx509.a libmbedcrypto.a
#   OUT_DIR/include/   upstream headers plus hlp_config.h
# Compile users with: -IOUT_DIR/include -DMBEDTLS_CONFIG_FILE='"hlp_config.h"'
# Link order: -lmbedtls -lmbedx509 -lmbedcrypto
# Environment (cross builds set these):
#   CC (cc), AR (ar), CFLAGS (-O2), JOBS (number of CPUs), MAKE (make),
#   HLP_MBEDTLS_CONFIG (hlp_config.h beside this script)
set -eu

me=mbedtls/build.sh
here=$(cd "$(dirname "$0")" && pwd)
die() { printf '%s: error: %s\n' "$me" "$*" >&2; exit 1; }

if [ $# -ne 2 ] || [ -z "$1" ] || [ -z "$2" ]; then
	die "usage: $me SRC_DIR OUT_DIR"
fi
src=$1
out=$2
if [ ! -f "$src/include/mbedtls/ssl.h" ] || [ ! -f "$src/library/Makefile" ]; then
	die "$src is not an unpacked mbedTLS source tree (run mbedtls/fetch.sh)"
fi

CC=${CC:-cc}
AR=${AR:-ar}
CFLAGS=${CFLAGS:--O2}
MAKE=${MAKE:-make}
JOBS=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
config=${HLP_MBEDTLS_CONFIG:-$here/hlp_config.h}
[ -f "$config" ] || die "config header $config not found"
command -v "${CC%% *}" >/dev/null 2>&1 || die "compiler '$CC' not found"
command -v "$MAKE" >/dev/null 2>&1 || die "'$MAKE' not found (GNU make is needed)"

rm -rf "${out:?}/tree" "${out:?}/include" "${out:?}/lib"
mkdir -p "$out/tree" "$out/lib"
# Object files land in library/ and 3rdparty/, so those are copied; the
# generator scripts are only looked at (make wants them to exist).
for d in include library 3rdparty; do
	cp -R "$src/$d" "$out/tree/$d"
done
for d in scripts framework; do
	[ ! -d "$src/$d" ] || ln -s "$(cd "$src/$d" && pwd)" "$out/tree/$d"
done
cp "$config" "$out/tree/include/hlp_config.h"
rm -f "$out"/tree/library/*.o "$out"/tree/library/*.a

# The config is named relative to the include path so the quoting stays
# simple; make hands the backslashes to its shell, which removes them.
# The three archives are named rather than "static": 2.28's "static" also
# writes into ../tests, which the copy does not have.
"$MAKE" -C "$out/tree/library" -j"$JOBS" libmbedcrypto.a libmbedx509.a libmbedtls.a \
	CC="$CC" AR="$AR" \
	CFLAGS="$CFLAGS -DMBEDTLS_CONFIG_FILE=\\\"hlp_config.h\\\"" >&2 ||
	die "library build failed"

for l in libmbedtls.a libmbedx509.a libmbedcrypto.a; do
	cp "$out/tree/library/$l" "$out/lib/$l"
done
cp -R "$out/tree/include" "$out/include"
printf '%s: built %s/lib/{libmbedtls,libmbedx509,libmbedcrypto}.a\n' "$me" "$out" >&2
