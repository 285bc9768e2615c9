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

# check, debian_uris, download
. "$here/../tools/debsrc.sh"

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
