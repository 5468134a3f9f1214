#!/usr/bin/env bash
# tests/browser/admin.sh: the console's browser test. Starts a real
# keyfield (tests/e2e/lib.sh), adds a coordinator, submits one SF 41 card
# through the expert pages with curl, then runs admin.test.mjs in
# headless Chromium. Screenshots and pages go to $KF_ARTIFACTS (default
# tests/artifacts). Ends with "admin-browser: N passed, M failed".
set -uo pipefail

NAME=admin-browser
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
kf_start || fail "keyfield did not start"
export KF_URL KF_ADMIN_PASSWORD='correct horse battery'
printf '%s\n' "$KF_ADMIN_PASSWORD" | kf_cli coordinator add ana >/dev/null ||
	fail "coordinator add failed"

# One submitted SF 41 card, through the expert pages.
jar=$KF_VAR/expert-jar
curl -s -o /dev/null -c "$jar" -d '' "$KF_LINK"
card=$(curl -s -b "$jar" "$KF_URL/" | grep -o 'href="/card/[0-9]*">SF41' |
	sed 's|href="/card/\([0-9]*\).*|\1|')
csrf=$(curl -s -b "$jar" "$KF_URL/card/$card" |
	grep -o 'name="csrf" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" \
	--data-urlencode "csrf=$csrf" -d action=submit -d revision=0 \
	-d rating.rating.Fr=7 -d rating.rating.B=8 -d rating.rating.C=6 \
	-d rating.rating.NY=6 -d rating.rating.S=1 -d rating.rating.T=8 \
	-d sectors.relevance.mobility=high -d sectors.relevance.ict=medium \
	--data-urlencode "description=Support of specialized and small businesses through networking." \
	--data-urlencode $'indicators=number of cluster groups\nnumber of participating businesses' \
	"$KF_URL/card/$card")
[ "$code" = 303 ] || fail "the seed card was not submitted ($code)"

node "$here/admin.test.mjs" | tee "$KF_VAR/admin-browser.out"
rc=${PIPESTATUS[0]}
case $rc in
0) ;;
3) echo "admin-browser: server logs:" >&2
	tail -n 20 "$KF_VAR"/log/admin.log >&2
	grep '^admin-browser: [0-9]* passed' "$KF_VAR/admin-browser.out" | tail -n 1
	exit 1 ;;
*) fail "admin.test.mjs ended with status $rc before its summary" ;;
esac
