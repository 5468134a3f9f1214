#!/usr/bin/env bash
# tests/browser/run.sh: the browser test (make check runs it). Starts a
# real keyfield with a fresh database (tests/e2e/lib.sh), then drives the
# SF 41 card through headless Chromium (card.test.mjs); then the same
# again on a fresh database with JavaScript disabled (KF_JS=off): the
# card works exactly the same without keyfield.js; then both again for
# an expert whose language is German (KF_LANG=de: the campaign offers
# en,de, she was added with --lang de), by the German labels. Ends with
# "browser: N passed, M failed" for each run; exit status 0 only when
# all passed.
# Needs node, /usr/bin/chromium (or $CHROMIUM), java and tests/node_modules
# (./quickstart check installs them). The screenshot and the pages' HTML
# are kept in $KF_ARTIFACTS (default tests/artifacts, git-ignored).
set -uo pipefail

NAME=browser
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# one on|off [LANG]: card.test.mjs with JavaScript on or off, on a fresh
# server, for an expert of language LANG (default en)
one() {
	local lang=${2:-en}
	echo "# JavaScript $1, language $lang"
	kf_start || fail "keyfield did not start"
	if [ "$lang" != en ]; then
		kf_cli campaign languages demo "en,$lang" >/dev/null ||
			fail "campaign languages en,$lang"
		KF_LINK=$(kf_cli expert add demo --name "Test Expertin" \
		    --email "test.$lang@example.org" --fields "SF41,SF12" \
		    --lang "$lang" | tail -n 1)
	fi
	export KF_URL KF_LINK KF_JS=$1 KF_LANG=$lang
	node "$here/card.test.mjs" | tee "$KF_VAR/browser.out"
	rc=${PIPESTATUS[0]}
	case $rc in
	0) ;;
	3) # steps failed: the server's logs, then the summary again, last
		echo "browser: server logs:" >&2
		tail -n 20 "$KF_VAR"/log/*.log >&2
		grep '^browser: [0-9]* passed' "$KF_VAR/browser.out" | tail -n 1
		exit 1 ;;
	*) fail "card.test.mjs ended with status $rc before its summary" ;;
	esac
	kf_stop
}

one on
one off
one on de
one off de
