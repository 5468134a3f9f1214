#!/usr/bin/env bash
# The catalogues against the code (cgi/base/i18n.h): every string the
# code passes to tr() or trn() (xgettext --keyword=tr:2 --keyword=trn:2,3
# over cgi/) has a translation, not fuzzy, in every po/*.po; no catalogue
# keeps a string the code no longer uses; each passes msgfmt's checks
# (format directives, plural forms, header). Needs gettext's tools.
# Prints "i18n: N passed, N failed".
set -uo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/e2e/checks.sh"
for t in xgettext msgcmp msgmerge msgattrib msgfmt; do
	command -v "$t" >/dev/null 2>&1 ||
		{ echo "SKIP: $t missing (Debian package gettext)"; exit 77; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# The strings of the code, in a stable order (sorted sources).
(cd "$top_srcdir" && find cgi -name '*.c' | LC_ALL=C sort) >"$T/files"
(cd "$top_srcdir" && xgettext --from-code=UTF-8 --language=C \
    --keyword= --keyword=tr:2 --keyword=trn:2,3 --keyword=N_ --add-location=file \
    --files-from="$T/files" -o "$T/keyfield.pot") 2>"$T/err"
check "xgettext reads cgi/" 0 $?
[ -s "$T/keyfield.pot" ] && ok "the code has strings to translate" ||
	bad "no tr() or trn() found in cgi/"
# <inttypes.h> macros ("%" PRId64) in a message id: msgfmt maps them, our
# reader does not (the id at run time has "%ld" or "%lld"): format apart.
if grep -n '<PRI' "$T/keyfield.pot" >"$T/pri"; then
	bad "a message id holds an <inttypes.h> macro (format the number apart):"
	sed 's/^/    /' "$T/pri"
else
	ok "no message id holds an <inttypes.h> macro"
fi

for po in "$top_srcdir"/po/*.po; do
	name=po/$(basename "$po")
	msgfmt -c --check-format -o /dev/null "$po" 2>"$T/err"
	check "$name: msgfmt -c --check-format" "" "$(cat "$T/err")"
	# Missing (or untranslated, or fuzzy): msgcmp names each.
	if msgcmp "$po" "$T/keyfield.pot" 2>"$T/err"; then
		ok "$name: every string of the code is translated"
	else
		bad "$name: strings missing or untranslated:"
		grep -v '^msgcmp: found' "$T/err" | sed 's/^/    /'
	fi
	# Stale: what msgmerge would mark obsolete.
	msgmerge -q --no-fuzzy-matching "$po" "$T/keyfield.pot" -o "$T/merged.po" &&
	    msgattrib --only-obsolete --no-wrap "$T/merged.po" -o "$T/stale.po"
	if [ -s "$T/stale.po" ] && grep -q '^#~ msgid' "$T/stale.po"; then
		bad "$name: strings the code no longer uses:"
		grep '^#~ msgid' "$T/stale.po" | sed 's/^#~ /    /'
	else
		ok "$name: no string the code no longer uses"
	fi
done
checks_done i18n
