#!/usr/bin/env bash
# tests/layers.sh: the house rules of cgi/ (cgi/README.md), checked on the
# sources: every #include of a file points down or sideways within its
# folder (base <- store <- app <- survey, admin, notify, cli; no program
# includes another's folder), only store/ includes sqlite3.h, only
# notify/ includes curl.h (deliver.c, smtp.c), and no page (admin/page-*.c,
# survey/page-*.c) calls a function another page defines.
set -uo pipefail

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/e2e/checks.sh"
cd "$top_srcdir/cgi" || exit 1

# May a file of folder $1 include a file of folder $2?
allowed() {
	case $1:$2 in
	base:base) return 0 ;;
	store:base | store:store) return 0 ;;
	app:base | app:store | app:app) return 0 ;;
	base:* | store:* | app:*) return 1 ;;
	*:base | *:store | *:app) return 0 ;;
	esac
	[ "$1" = "$2" ]
}

wrong=0
for f in */*.[ch]; do
	from=${f%%/*}
	while read -r inc; do
		to=${inc%%/*}
		if ! allowed "$from" "$to"; then
			bad "$f includes $inc: $from may not include $to/"
			wrong=1
		fi
	done < <(sed -n 's/^#include "\([a-z]*\/[^"]*\)".*/\1/p' "$f")
done
[ "$wrong" = 0 ] && ok "every include points down a layer or within a folder"

others=$(grep -l '#include <sqlite3.h>\|#include "sqlite3.h"' */*.[ch] |
    grep -v '^store/')
check "only store/ includes sqlite3.h" "" "$others"
others=$(grep -l '#include <curl/curl.h>' */*.[ch] | grep -v '^notify/')
check "only notify/ includes curl.h" "" "$others"
mains=$(grep -l '#include "[a-z]*/main\.h"' */*.[ch])
check "no file includes a program's main header" "" "$mains"

# A page's exported functions (name at column 0, followed by '(') must
# not be called from a sibling page.
calls=
for f in admin/page-*.c survey/page-*.c; do
	for fn in $(sed -n 's/^\([a-z][a-z0-9_]*\)(.*/\1/p' "$f"); do
		grep -q "^static[^;]*$" <(grep -B1 "^$fn(" "$f" | head -n 1) &&
			continue
		for g in admin/page-*.c survey/page-*.c; do
			[ "$g" = "$f" ] && continue
			grep -qw "$fn" "$g" && calls+="$g calls $fn of $f; "
		done
	done
done
check "no page calls a sibling page" "" "$calls"

checks_done layers
