#!/bin/sh
# Fetch a pinned mbedTLS source tarball, verify it, unpack it.
#
#   mbedtls/fetch.sh [CACHE_DIR [VERSION]]
#
# CACHE_DIR defaults to build/src at the top of the checkout. VERSION is
# a pin from ./VERSIONS, exact (3.6.6) or by series (3.6, 2.28); default:
# the first pin listed there.
# The tarball is Debian's orig tarball of source package mbedtls, in the
# suite VERSIONS names, fetched through a private deb-src list derived from
# this machine's apt sources. System apt state is never touched.
# A tarball already in CACHE_DIR with the right checksum is used offline.
# On success the unpacked source directory is printed on stdout.
#
# Environment: HLP_DEBIAN_URI  archive URI(s) to use instead of the derived ones
set -eu

me=mbedtls/fetch.sh
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-$(cd "$here/.." && pwd)/build/src}
pick=${2:-}
die() { printf '%s: error: %s\n' "$me" "$*" >&2; exit 1; }
say() { printf '%s: %s\n' "$me" "$*" >&2; }

# VERSION SUITE of the requested pin (the first one by default).
pin=$(awk -v v="$pick" '/^[ \t]*#/ || NF < 2 { next }
	v == "" || $1 == v || index($1, v ".") == 1 { print $1, $2; exit }' "$here/VERSIONS")
[ -n "$pin" ] || die "no pin matches '$pick' in $here/VERSIONS"
ver=${pin% *}
suite=${pin#* }
srcpkg=mbedtls
srcdir=$cache/mbedtls-$ver

command -v sha256sum >/dev/null 2>&1 || die "sha256sum not found (coreutils)"
# shellcheck disable=SC2046 # two words wanted: checksum and file name
set -- $(awk -v p="${srcpkg}_$ver.orig.tar." '{ sub(/^\*/, "", $2) }
	index($2, p) == 1 { print $1, $2; exit }' "$here/SHA256SUMS")
[ $# -eq 2 ] || die "no checksum for ${srcpkg}_$ver.orig.tar.* in $here/SHA256SUMS"
want=$1
tarball=$2

# check FILE: succeed when FILE has the pinned checksum.
check() { [ "$(sha256sum "$1" | cut -d ' ' -f 1)" = "$want" ]; }

# URIs (and keyring, or "-") of this machine's Debian archive entries:
# entries of type deb with this machine's codename as a suite and "main".
debian_uris() {
	if [ -n "${HLP_DEBIAN_URI:-}" ]; then
		for u in $HLP_DEBIAN_URI; do echo "$u -"; done
		return
	fi
	# shellcheck disable=SC1091 # the machine's own file
	cn=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
	[ -n "$cn" ] || die "cannot tell this machine's Debian codename (/etc/os-release)"
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk -v cn="$cn" '
		/^[ \t]*#/ || NF < 4 || $1 != "deb" { next }
		{
			i = 2; sb = "-"
			if ($2 ~ /^\[/) {
				opts = ""
				while (i <= NF) { opts = opts " " $i; if ($(i++) ~ /\]$/) break }
				if (match(opts, /signed-by=[^] ]+/))
					sb = substr(opts, RSTART + 10, RLENGTH - 10)
			}
			if ($(i + 1) != cn) next
			for (j = i + 2; j <= NF; j++) if ($j == "main") { print $i, sb; break }
		}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk -v cn="$cn" '
		function has(list, w,   n, a, k) {
			n = split(list, a, " "); for (k = 1; k <= n; k++) if (a[k] == w) return 1
			return 0
		}
		function flush(   n, a, k) {
			if (has(ty, "deb") && has(co, "main") && has(su, cn) && en != "no") {
				n = split(ur, a, " "); for (k = 1; k <= n; k++) print a[k], (sb == "" ? "-" : sb)
			}
			ty = ur = su = co = sb = en = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^[ \t]/ { next }
		{
			key = tolower($1); val = $0
			sub(/^[^:]*:[ \t]*/, "", val); gsub(/[ \t]+/, " ", val)
			if (key == "types:") ty = val
			else if (key == "uris:") ur = val
			else if (key == "suites:") su = val
			else if (key == "components:") co = val
			else if (key == "enabled:") en = tolower(val)
			else if (key == "signed-by:" && val ~ /^\//) sb = val
		}
		END { flush() }' "$f"
	done
}

# download DIR: put the orig tarball of $srcpkg/$suite into DIR.
download() {
	command -v apt-get >/dev/null 2>&1 || die "apt-get not found; put $tarball into $cache by hand"
	apt=$1/apt dl=$1/dl
	mkdir -p "$apt/lists/partial" "$apt/parts" "$apt/cache" "$dl"
	debian_uris | sort -u | while read -r uri sb; do
		printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\n' "$uri" "$suite"
		[ "$sb" = - ] || printf 'Signed-By: %s\n' "$sb"
		echo
	done >"$apt/src.sources"
	[ -s "$apt/src.sources" ] || die "no Debian archive found in this machine's apt sources (set HLP_DEBIAN_URI)"
	set -- -q \
		-o "Dir::Etc::SourceList=$apt/src.sources" \
		-o "Dir::Etc::SourceParts=$apt/parts" \
		-o "Dir::State::Lists=$apt/lists" \
		-o "Dir::Cache=$apt/cache" \
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		-o Acquire::Languages=none \
		-o "APT::Sandbox::User=$(id -un)"
	say "apt-get update (private lists, suite $suite)"
	apt-get "$@" update >&2 || die "apt-get update failed"
	say "apt-get source --download-only $srcpkg/$suite"
	(cd "$dl" && apt-get "$@" source --download-only --only-source "$srcpkg/$suite") >&2 ||
		die "apt-get source $srcpkg/$suite failed"
}

mkdir -p "$cache"
if [ -f "$cache/$tarball" ]; then
	check "$cache/$tarball" || die "$cache/$tarball exists but its checksum is not the pinned one; remove it"
	say "using cached $cache/$tarball"
else
	tmp=$(mktemp -d "$cache/.fetch-mbedtls.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' INT TERM
	download "$tmp"
	[ -f "$tmp/dl/$tarball" ] || die "Debian's $srcpkg in $suite has no $tarball (got: $(cd "$tmp/dl" && echo *))"
	check "$tmp/dl/$tarball" ||
		die "checksum mismatch for $tarball: want $want, got $(sha256sum "$tmp/dl/$tarball" | cut -d ' ' -f 1)"
	mv "$tmp/dl/$tarball" "$cache/$tarball"
	rm -rf "$tmp"
	trap - EXIT INT TERM
	say "verified $cache/$tarball"
fi

if [ "$(cat "$srcdir/.hlp-sha256" 2>/dev/null || :)" != "$want" ]; then
	case $tarball in
	*.gz) z=gzip ;;
	*.bz2) z=bzip2 ;;
	*.xz) z=xz ;;
	*) die "unknown compression: $tarball" ;;
	esac
	command -v "$z" >/dev/null 2>&1 || die "$z not found, needed to unpack $tarball"
	rm -rf "$srcdir" "$srcdir.tmp"
	mkdir "$srcdir.tmp"
	$z -dc "$cache/$tarball" | (cd "$srcdir.tmp" && tar -xof -) || die "cannot unpack $tarball"
	# The top directory's name differs between tarballs; there is just one.
	set -- "$srcdir.tmp"/*
	if [ $# -ne 1 ] || [ ! -f "$1/include/mbedtls/ssl.h" ]; then
		die "$tarball does not hold one mbedTLS tree"
	fi
	mv "$1" "$srcdir"
	rmdir "$srcdir.tmp"
	echo "$want" >"$srcdir/.hlp-sha256"
	say "unpacked into $srcdir"
fi
echo "$srcdir"
