#!/usr/bin/env bash
# tests/browser/autosave.sh: keyfield.js in headless Chromium. Starts a
# real keyfield with a fresh database (tests/e2e/lib.sh) and runs
# autosave.test.mjs against it (the database is read back with sqlite3 to
# see what was stored). Ends with "autosave-browser: N passed, M failed".
set -uo pipefail

NAME=autosave-browser
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
kf_start || fail "keyfield did not start"
export KF_URL KF_LINK KF_DB

node "$here/autosave.test.mjs" | tee "$KF_VAR/autosave-browser.out"
rc=${PIPESTATUS[0]}
case $rc in
0) ;;
3) echo "autosave-browser: server logs:" >&2
	tail -n 20 "$KF_VAR"/log/survey.log >&2
	grep '^autosave-browser: [0-9]* passed' "$KF_VAR/autosave-browser.out" |
		tail -n 1
	exit 1 ;;
*) fail "autosave.test.mjs ended with status $rc before its summary" ;;
esac
