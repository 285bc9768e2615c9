#!/bin/sh
# Fetch the pinned Lua source tarball, verify it, unpack it.
#
#   lua/fetch.sh [CACHE_DIR]
#
# CACHE_DIR defaults to build/src at the top of the checkout.
#
# The tarball comes from Debian's source package (its orig tarball is the
# upstream release, byte for byte), through a private deb-src list derived
# from this machine's apt sources. System apt state is never touched.
# A tarball already in CACHE_DIR with the right checksum is used offline.
# On success the unpacked source directory is printed on stdout.
#
# Environment: HLP_DEB_SUITE   Debian suite to ask (default bookworm)
#              HLP_DEBIAN_URI  archive URI(s) to use instead of the derived ones
set -eu

me=lua/fetch.sh
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-$(cd "$here/.." && pwd)/build/src}
ver=$(sed -n '1p' "$here/VERSION")
srcpkg=lua5.3
suite=${HLP_DEB_SUITE:-bookworm}
tarball=lua-$ver.tar.gz
srcdir=$cache/lua-$ver

die() { printf '%s: error: %s\n' "$me" "$*" >&2; exit 1; }
say() { printf '%s: %s\n' "$me" "$*" >&2; }

command -v sha256sum >/dev/null 2>&1 || die "sha256sum not found (coreutils)"
want=$(awk -v f="$tarball" '$2 == f || $2 == "*" f { print $1 }' "$here/SHA256SUMS")
[ -n "$want" ] || die "no checksum for $tarball in $here/SHA256SUMS"

# check, debian_uris, download
. "$here/../tools/debsrc.sh"

mkdir -p "$cache"
if [ -f "$cache/$tarball" ]; then
	check "$cache/$tarball" || die "$cache/$tarball exists but its checksum is not the pinned one; remove it"
	say "using cached $cache/$tarball"
else
	tmp=$(mktemp -d "$cache/.fetch-lua.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' INT TERM
	download "$tmp"
	set -- "$tmp/dl/${srcpkg}_$ver.orig.tar."*
	[ -f "$1" ] || die "Debian's $srcpkg in $suite has no ${srcpkg}_$ver orig tarball (got: $(cd "$tmp/dl" && echo *))"
	check "$1" || die "checksum mismatch for $1: want $want, got $(sha256sum "$1" | cut -d ' ' -f 1)"
	mv "$1" "$cache/$tarball"
	rm -rf "$tmp"
	trap - EXIT INT TERM
	say "verified $cache/$tarball"
fi

if [ "$(cat "$srcdir/.hlp-sha256" 2>/dev/null || :)" != "$want" ]; then
	rm -rf "$srcdir" "$srcdir.tmp"
	mkdir "$srcdir.tmp"
	gzip -dc "$cache/$tarball" | (cd "$srcdir.tmp" && tar -xof -) || die "cannot unpack $tarball"
	mv "$srcdir.tmp/lua-$ver" "$srcdir" || die "$tarball has no lua-$ver/ directory"
	rmdir "$srcdir.tmp"
	echo "$want" >"$srcdir/.hlp-sha256"
	say "unpacked into $srcdir"
fi
echo "$srcdir"
