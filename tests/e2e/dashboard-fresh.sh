#!/usr/bin/env bash
# End to end, the dashboard's kept statistics (app/stats.c, migration
# 020's change counter) through real nginx + keyfield-admin workers: the
# dashboard viewed again and again (every worker has its statistics),
# then a card is submitted, then another, then that card is withdrawn
# from the command line: each view after a change shows it, whichever
# worker answers.
# Prints "dashboard-fresh: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

for t in sqlite3 curl; do
	command -v "$t" >/dev/null || { echo "dashboard-fresh: needs $t" >&2; exit 1; }
done
kf_start || exit 1
T=$KF_VAR/t
mkdir -p "$T"
printf 'ana password 1\n' | kf_cli coordinator add --admin ana >/dev/null
J=$T/ana
coordinator_signin ana "$J" >/dev/null
D=$KF_URL/admin/c/demo/dashboard

# views N TEXT: N dashboard views; prints how many answered 200 and
# held TEXT (the chart's text alternative for Freiburg).
views() {
	local n=0 i
	for i in $(seq "$1"); do
		[ "$(req "$J" "$D")" = 200 ] && grep -qF "$2" "$T/body" &&
			n=$((n + 1))
	done
	echo "$n"
}
# ratings R: the curl arguments rating every city R (and a text).
ratings() {
	local c args=()
	for c in Fr B C NY S T; do args+=(-d "rating.rating.$c=$1"); done
	args+=(-d description=x)
	printf '%s\n' "${args[@]}"
}

check "no card yet, ten views" 10 "$(views 10 'No submitted cards yet.')"
mapfile -t r < <(ratings 4)
check "the test expert submits" 303 "$(kf_submit "$KF_LINK" test.expert@example.org "$T/e0" SF41 "${r[@]}")"
check "... every view after it shows her card" 10 "$(views 10 'Fr: median 4, Q1 4, Q3 4, lowest 4, highest 4, 1 rating')"
link=$(kf_cli expert add demo --name "Second" --email second@example.org --fields SF41 | tail -n 1)
mapfile -t r < <(ratings 8)
check "a second expert submits" 303 "$(kf_submit "$link" second@example.org "$T/e1" SF41 "${r[@]}")"
check "... every view after it shows both cards" 10 "$(views 10 'Fr: median 6, Q1 5, Q3 7, lowest 4, highest 8, 2 ratings')"
check "her card withdrawn from the command line" 0 "$(kf_cli response withdraw demo second@example.org SF41 >/dev/null 2>&1; echo $?)"
check "... every view after it shows one card again" 10 "$(views 10 'Fr: median 4, Q1 4, Q3 4, lowest 4, highest 4, 1 rating')"
checks_done dashboard-fresh
