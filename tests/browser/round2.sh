#!/usr/bin/env bash
# tests/browser/round2.sh: the round-2 (Delphi) card in headless Chromium
# (round2.test.mjs). Starts a real keyfield with a fresh database
# (tests/e2e/lib.sh), five experts submit round 1 (tests/e2e/rounds.sh),
# round 2 starts, and the test expert reconsiders her card: with
# JavaScript on, then on a fresh server with keyfield.js served empty
# (KF_JS=off). Ends with "browser-round2: N passed, M failed" for each
# run; exit status 0 only when all passed. Needs what run.sh needs.
set -uo pipefail

NAME=browser-round2
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# one on|off: round2.test.mjs with JavaScript on or off, on a fresh server
one() {
	echo "# JavaScript $1"
	kf_start || fail "keyfield did not start"
	T=$KF_VAR/t
	mkdir -p "$T"
	# shellcheck source=../e2e/rounds.sh
	. "$top_srcdir/tests/e2e/rounds.sh"
	rounds_panel >"$T/panel.out"
	grep -q '^FAIL' "$T/panel.out" && fail "round 1: $(cat "$T/panel.out")"
	kf_cli round start demo >/dev/null || fail "round start failed"
	KF_CARD=$(card_id test.expert@example.org SF41)
	export KF_URL KF_LINK KF_CARD KF_JS=$1
	node "$here/round2.test.mjs" | tee "$KF_VAR/browser.out"
	rc=${PIPESTATUS[0]}
	case $rc in
	0) ;;
	3) echo "$NAME: server logs:" >&2
		tail -n 20 "$KF_VAR"/log/*.log >&2
		grep "^$NAME: [0-9]* passed" "$KF_VAR/browser.out" | tail -n 1
		exit 1 ;;
	*) fail "round2.test.mjs ended with status $rc before its summary" ;;
	esac
	kf_stop
}

one on
one off
