#!/bin/sh
# Build liblua.a from an unpacked Lua source tree, out of tree.
#
#   lua/build.sh SRC_DIR OUT_DIR
#
# SRC_DIR is what lua/fetch.sh printed. Results:
#   OUT_DIR/lib/liblua.a
#   OUT_DIR/include/{lua.h,luaconf.h,lualib.h,lauxlib.h,lua.hpp}
# Environment (cross builds set these):
#   CC (cc), AR (ar), RANLIB (ranlib), CFLAGS (-O2), JOBS (number of CPUs)
# Always added: -std=gnu99 -DLUA_COMPAT_5_2 -DLUA_USE_POSIX
# (POSIX, no dlopen, no readline: the interpreter programs are not built).
set -eu

me=lua/build.sh
die() { printf '%s: error: %s\n' "$me" "$*" >&2; exit 1; }

if [ $# -ne 2 ] || [ -z "$1" ] || [ -z "$2" ]; then
	die "usage: $me SRC_DIR OUT_DIR"
fi
src=$1/src
out=$2
[ -f "$src/lapi.c" ] || die "$1 is not an unpacked Lua source tree (run lua/fetch.sh)"

CC=${CC:-cc}
AR=${AR:-ar}
RANLIB=${RANLIB:-ranlib}
CFLAGS=${CFLAGS:--O2}
JOBS=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
flags="-std=gnu99 -DLUA_COMPAT_5_2 -DLUA_USE_POSIX"
command -v "${CC%% *}" >/dev/null 2>&1 || die "compiler '$CC' not found"

rm -rf "${out:?}/obj" "${out:?}/lib/liblua.a"
mkdir -p "$out/obj" "$out/lib" "$out/include"

# Compile every library file (all but the lua and luac programs),
# JOBS at a time; a failed compile leaves no .o and is caught below.
n=0
for c in "$src"/*.c; do
	b=$(basename "$c" .c)
	case $b in lua | luac) continue ;; esac
	# shellcheck disable=SC2086 # CC and CFLAGS are word lists
	$CC $CFLAGS $flags -c "$c" -o "$out/obj/$b.o" &
	n=$((n + 1))
	if [ "$n" -ge "$JOBS" ]; then wait; n=0; fi
done
wait
for c in "$src"/*.c; do
	b=$(basename "$c" .c)
	case $b in lua | luac) continue ;; esac
	[ -f "$out/obj/$b.o" ] || die "compiling $b.c failed"
done

$AR rc "$out/lib/liblua.a" "$out"/obj/*.o
$RANLIB "$out/lib/liblua.a"
for h in lua.h luaconf.h lualib.h lauxlib.h lua.hpp; do
	cp "$src/$h" "$out/include/"
done
printf '%s: built %s\n' "$me" "$out/lib/liblua.a" >&2
