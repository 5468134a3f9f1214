# tests/browser/lib.sh: what every browser test needs before it starts a
# server. Source it after setting NAME (the summary's prefix); it sets
# top_srcdir, here, CHROMIUM and KF_ARTIFACTS, defines fail, checks node,
# java, Chromium and tests/node_modules (skipping, 77, with the reason
# when an npm package is missing), then sources tests/e2e/lib.sh.

here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
export top_srcdir

fail() {
	echo "$NAME: $*" >&2
	echo "$NAME: 0 passed, 1 failed"
	exit 1
}

chromium=${CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null || fail "node is not installed"
command -v java >/dev/null || fail "java is not installed (vnu-jar needs it)"
[ -x "$chromium" ] || fail "no Chromium at $chromium"
# shellcheck source=../e2e/checks.sh
. "$top_srcdir/tests/e2e/checks.sh"
need_npm "$NAME" playwright-core axe-core vnu-jar

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
