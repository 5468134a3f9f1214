#!/usr/bin/env bash
# tests/browser/run.sh: the browser test (make check runs it). Starts a
# real keyfield with a fresh database (tests/e2e/lib.sh), then drives the
# SF 41 card through headless Chromium (card.test.mjs). Ends with
# "browser: N passed, M failed"; exit status 0 only when all passed.
# Needs node, /usr/bin/chromium (or $CHROMIUM), java and tests/node_modules
# (./quickstart check installs them). The screenshot and the pages' HTML
# are kept in $KF_ARTIFACTS (default tests/artifacts, git-ignored).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
export top_srcdir

fail() {
	echo "browser: $*" >&2
	echo "browser: 0 passed, 1 failed"
	exit 1
}

chromium=${CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null || fail "node is not installed"
command -v java >/dev/null || fail "java is not installed (vnu-jar needs it)"
[ -x "$chromium" ] || fail "no Chromium at $chromium"
# make distcheck unpacks a tarball without tests/node_modules; these tests
# ran in the main make check already, so they skip there when asked to.
if [ ! -d "$top_srcdir/tests/node_modules" ] &&
    [ -n "${KEYFIELD_SKIP_NODE_TESTS:-}" ]; then
	echo "browser: skipped: no tests/node_modules in this tree"
	exit 77
fi
for m in playwright-core axe-core vnu-jar; do
	[ -d "$top_srcdir/tests/node_modules/$m" ] ||
		fail "tests/node_modules/$m is missing: run ./quickstart check"
done

# The artifacts go to the source tree when it is writable (distcheck's
# is not), else to the build tree.
if [ -z "${KF_ARTIFACTS:-}" ]; then
	KF_ARTIFACTS=$top_srcdir/tests/artifacts
	mkdir -p "$KF_ARTIFACTS" 2>/dev/null && [ -w "$KF_ARTIFACTS" ] ||
		KF_ARTIFACTS=${top_builddir:-.}/tests/artifacts
fi
mkdir -p "$KF_ARTIFACTS" || fail "cannot create $KF_ARTIFACTS"
export KF_ARTIFACTS CHROMIUM=$chromium

# shellcheck source=../e2e/lib.sh
. "$top_srcdir/tests/e2e/lib.sh"
kf_start || fail "keyfield did not start"
export KF_URL KF_LINK

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
