# tools/debsrc.sh: shared by lua/fetch.sh and mbedtls/fetch.sh (sourced).
# Fetches an orig tarball from Debian's source packages through a private
# deb-src list derived from this machine's apt sources; the system's apt
# state is never touched. The caller sets: me, srcpkg, suite, want (the
# pinned sha256), cache, tarball; and defines die() and say().

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
