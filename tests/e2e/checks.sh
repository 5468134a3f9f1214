# tests/e2e/checks.sh: the assertions of every test script (sourced by
# lib.sh, and by install.sh, which does not start a test server).
#   ok NAME, bad NAME           count a pass or a failure and print it
#   check NAME EXPECTED ACTUAL  the two strings are equal
#   contains NAME TEXT FILE     FILE holds TEXT (a fixed string)
#   lacks NAME TEXT FILE        FILE does not hold TEXT
#   sql QUERY                   sqlite3 on $KF_DB, waiting up to 10 s for
#                               a writer
#   wait_for SECONDS CMD...     run CMD every 0.1 s until it succeeds
#   need_npm NAME PKG...        exit 77 (SKIP) when an npm package of
#                               tests/node_modules is missing
#   checks_done NAME            print "NAME: N passed, N failed"; its
#                               status is 0 when nothing failed

# Sourced twice (a script may source lib.sh after it): counts are kept.
pass=${pass:-0} fail=${fail:-0}
ok()  { pass=$((pass + 1)); printf 'ok   %s\n' "$1"; }
bad() { fail=$((fail + 1)); printf 'FAIL %s\n' "$1"; }
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 (expected '$2', got '$3')"; fi
}
contains() {
	if grep -qF -- "$2" "$3"; then ok "$1"; else bad "$1 (no '$2' in $3)"; fi
}
lacks() {
	if grep -qF -- "$2" "$3"; then bad "$1 ('$2' in $3)"; else ok "$1"; fi
}
sql() { sqlite3 -cmd '.timeout 10000' "$KF_DB" "$1"; }
# wait_for SECONDS CMD...: run CMD every 0.1 s until it succeeds (status 0)
# or SECONDS have passed (status 1).
wait_for() {
	local n=$(($1 * 10))
	shift
	for _ in $(seq "$n"); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
# need_npm NAME PACKAGE...: SKIP (exit 77), saying why, when an npm
# package is missing from tests/node_modules: make distcheck's tarball
# has none, a fresh clone neither; ./quickstart check installs them all.
need_npm() {
	local name=$1 p
	shift
	for p in "$@"; do
		[ -d "${top_srcdir:-.}/tests/node_modules/$p" ] && continue
		echo "$name: SKIP: npm package $p is missing from" \
		    "tests/node_modules (./quickstart check installs it;" \
		    "or npm install --prefix tests)"
		exit 77
	done
}
checks_done() {
	printf '%s: %d passed, %d failed\n' "$1" "$pass" "$fail"
	[ "$fail" -eq 0 ]
}
