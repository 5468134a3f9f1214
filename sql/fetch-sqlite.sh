#!/bin/sh
# fetch-sqlite.sh: put the SQLite amalgamation (sqlite3.c, sqlite3.h) into
# OUTDIR, taken from the npm registry's better-sqlite3 package tarball,
# pinned by package version and sha256. Never writes into the source tree
# unless told to; never builds anything. Run by make when configure chose
# the bundled SQLite (the system one is older than 3.51.3, which still has
# the WAL-reset corruption bug).
#   sql/fetch-sqlite.sh OUTDIR
# Environment:
#   KEYFIELD_SQLITE_TARBALL  use this local copy of the tarball (offline)
#   KEYFIELD_CACHE           keep the tarball here (default
#                            ${XDG_CACHE_HOME:-$HOME/.cache}/keyfield)
#   npm_config_registry      registry base URL (default registry.npmjs.org)
set -eu

PKG_VERSION=13.2.0
PKG_SHA256=40487589df3496f2ee0079d22b73c63fccebe7db0e8ee9a2c42421861e321e0b
SQLITE_VERSION=3.54.1		# what that tarball's sqlite3.h says
SQLITE_MIN=3051003		# 3.51.3: first release without the bug

die() { echo "fetch-sqlite: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: fetch-sqlite.sh OUTDIR"
out=$1
name=better-sqlite3-$PKG_VERSION.tgz
registry=${npm_config_registry:-https://registry.npmjs.org/}
registry=${registry%/}
cache=${KEYFIELD_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/keyfield}

sha256() { sha256sum "$1" | cut -d' ' -f1; }

mkdir -p "$out"
tmp=$(mktemp -d "$out/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# 1. The tarball: given, cached, downloaded with curl, or with npm pack.
tarball=
for cand in "${KEYFIELD_SQLITE_TARBALL:-}" "$cache/$name"; do
	if [ -n "$cand" ] && [ -f "$cand" ] &&
	    [ "$(sha256 "$cand")" = "$PKG_SHA256" ]; then
		tarball=$cand
		break
	fi
done
if [ -z "$tarball" ]; then
	url=$registry/better-sqlite3/-/$name
	echo "fetch-sqlite: downloading $url" >&2
	if command -v curl >/dev/null 2>&1 &&
	    curl -fsSL --retry 3 --max-time 300 -o "$tmp/$name" "$url"; then
		:
	elif command -v npm >/dev/null 2>&1 &&
	    (cd "$tmp" && npm pack --silent "better-sqlite3@$PKG_VERSION" \
	    >/dev/null 2>&1); then
		:
	else
		die "cannot download $name (set KEYFIELD_SQLITE_TARBALL to a copy)"
	fi
	tarball=$tmp/$name
fi
got=$(sha256 "$tarball")
[ "$got" = "$PKG_SHA256" ] ||
	die "$name has sha256 $got, expected $PKG_SHA256: refusing it"
if [ "$tarball" = "$tmp/$name" ] && mkdir -p "$cache" 2>/dev/null; then
	cp "$tarball" "$cache/$name.tmp" 2>/dev/null &&
		mv "$cache/$name.tmp" "$cache/$name" 2>/dev/null || true
fi

# 2. The two files, and the version they claim.
tar -xzf "$tarball" -C "$tmp" package/deps/sqlite3/sqlite3.c \
	package/deps/sqlite3/sqlite3.h ||
	die "$name holds no package/deps/sqlite3/sqlite3.[ch]"
src=$tmp/package/deps/sqlite3
ver=$(sed -n 's/^#define SQLITE_VERSION  *"\([0-9.]*\)".*/\1/p' "$src/sqlite3.h")
num=$(sed -n 's/^#define SQLITE_VERSION_NUMBER  *\([0-9]*\).*/\1/p' \
	"$src/sqlite3.h")
[ "$ver" = "$SQLITE_VERSION" ] ||
	die "$name ships SQLite '$ver', expected $SQLITE_VERSION"
[ -n "$num" ] && [ "$num" -ge "$SQLITE_MIN" ] ||
	die "SQLite $ver is older than 3.51.3"

# 3. Into place: make's target is sqlite3.h, written after sqlite3.c, so
# a half-done run is never taken as done; then sqlite3.c is made the newer.
mv "$src/sqlite3.c" "$out/sqlite3.c"
mv "$src/sqlite3.h" "$out/sqlite3.h"
touch "$out/sqlite3.h"
touch "$out/sqlite3.c"
echo "fetch-sqlite: SQLite $ver from better-sqlite3 $PKG_VERSION in $out" >&2
