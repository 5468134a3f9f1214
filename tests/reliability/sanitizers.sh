#!/usr/bin/env bash
# Sanitizers: a second build tree from the same sources, configured with
# --enable-sanitizers --enable-werror (ASan + UBSan), then the unit tests
# and the end-to-end tests (intake, autosave, admin, notify, export) run
# against it.
# The end-to-end scripts get a top_builddir of wrappers: the FastCGI
# programs and the notifier copy their stderr (where the sanitizers
# report; it is also the server's log) into this run's directory, which
# outlives the scripts' own. The test fails when a test fails or when a
# report ("ERROR: AddressSanitizer", "runtime error:", "LeakSanitizer")
# appears in the programs' stderr or in a script's output (the CLI).
# (log_path is not used: GCC's UBSan ignores it next to ASan.)
#   KEYFIELD_SAN_BUILD   the tree (default $top_builddir/asan; kept and
#                        reused: make rebuilds only what changed)
#   KEYFIELD_SAN_E2E     the end-to-end scripts (default: the five)
# Skipped (77) under make distcheck (KEYFIELD_SKIP_NODE_TESTS): the main
# make check has run it. Prints "sanitizers: N passed, N failed".
set -uo pipefail

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir/var/build}"
SAN=${KEYFIELD_SAN_BUILD:-$top_builddir/asan}
E2E=${KEYFIELD_SAN_E2E:-intake autosave admin notify export}

# Run from make check, MAKEFLAGS carries the harness's own variables
# (TEST_LOGS=... with this very test in it) into the make of the second
# tree, which then ran this script again, one tree deeper, for ever.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
case $top_builddir in
*/asan) echo "sanitizers: skipped: already the sanitizer tree"; exit 77 ;;
esac

if [ -n "${KEYFIELD_SKIP_NODE_TESTS:-}" ]; then
	echo "sanitizers: skipped: the main make check runs it"
	exit 77
fi

pass=0 fail=0
ok()  { pass=$((pass + 1)); printf 'ok   %s\n' "$1"; }
bad() { fail=$((fail + 1)); printf 'FAIL %s\n' "$1"; }
# true once no wrapper's tee into $LOGS/stderr runs (10 s at most)
tees_ended() {
	for _ in $(seq 100); do
		pgrep -f "tee -a $LOGS/stderr/" >/dev/null || return 0
		sleep 0.1
	done
	return 1
}
now() { date +%s; }
t_start=$(now)

# ---- build ----
mkdir -p "$SAN"
SAN=$(cd "$SAN" && pwd)
if [ ! -f "$SAN/Makefile" ] || [ "$top_srcdir/configure" -nt "$SAN/Makefile" ]
then
	echo "== configure $SAN --enable-sanitizers --enable-werror"
	if ! (cd "$SAN" && "$top_srcdir/configure" --enable-sanitizers \
	    --enable-werror >"$SAN/configure.out" 2>&1); then
		tail -n 30 "$SAN/configure.out"
		bad "configure --enable-sanitizers --enable-werror"
		echo "sanitizers: $pass passed, $fail failed"
		exit 1
	fi
fi
t0=$(now)
# "make check TESTS=" builds the programs and the unit tests, runs none.
if make -C "$SAN" -j"$(nproc)" all >"$SAN/make.out" 2>&1 &&
    make -C "$SAN" -j"$(nproc)" check TESTS= >>"$SAN/make.out" 2>&1; then
	ok "ASan + UBSan build with -Werror ($(( $(now) - t0 )) s)"
else
	tail -n 40 "$SAN/make.out"
	bad "ASan + UBSan build with -Werror"
	echo "sanitizers: $pass passed, $fail failed"
	exit 1
fi
grep -q -- '-fsanitize=address,undefined' "$SAN/Makefile" ||
	bad "the tree is built with -fsanitize (CFLAGS in $SAN/Makefile)"

# ---- run ----
LOGS=$(mktemp -d /tmp/keyfield-san.XXXXXX)
trap 'rm -rf "$LOGS"' EXIT
trap 'exit 130' INT TERM
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:disable_coredump=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export top_srcdir

# The wrappers: exec keeps the pid (tests kill the notifier by pid).
mkdir -p "$LOGS/tree/cgi" "$LOGS/stderr" "$LOGS/seen"
ln -s "$SAN/cgi/keyfield" "$LOGS/tree/cgi/keyfield"
for p in keyfield-survey keyfield-admin keyfield-notify; do
	printf '%s\n' '#!/usr/bin/env bash' \
	    "exec 2> >(exec tee -a \"$LOGS/stderr/$p.\$\$\" >&2)" \
	    "exec \"$SAN/cgi/$p\" \"\$@\"" >"$LOGS/tree/cgi/$p"
	chmod +x "$LOGS/tree/cgi/$p"
done
PATTERN='ERROR: AddressSanitizer|runtime error:|LeakSanitizer'

# reports NAME FILE...: fail if a report is in FILE or in the programs'
# stderr since the last call.
reports() {
	local name=$1
	shift
	if cat "$LOGS"/stderr/* "$@" 2>/dev/null | grep -qE "$PATTERN"; then
		bad "$name: sanitizer reports"
		cat "$LOGS"/stderr/* "$@" 2>/dev/null |
		    grep -E -A 3 "$PATTERN" | head -n 20
	else
		ok "$name: no sanitizer report"
	fi
	mv "$LOGS"/stderr/* "$LOGS/seen/" 2>/dev/null
}

for t in "$SAN"/tests/check_*; do
	case $t in *.*) continue ;; esac
	[ -x "$t" ] || continue
	name=unit/${t##*/}
	t0=$(now)
	if (cd "$SAN" && top_builddir=$SAN "$t") >"$LOGS/${t##*/}.out" 2>&1
	then
		ok "$name ($(( $(now) - t0 )) s)"
	else
		tail -n 20 "$LOGS/${t##*/}.out"
		bad "$name"
	fi
	reports "$name" "$LOGS/${t##*/}.out"
done

for e in $E2E; do
	t0=$(now)
	if top_builddir=$LOGS/tree bash "$top_srcdir/tests/e2e/$e.sh" \
	    >"$LOGS/$e.out" 2>&1; then
		ok "e2e/$e.sh: $(tail -n 1 "$LOGS/$e.out") ($(( $(now) - t0 )) s)"
	else
		grep -E '^FAIL' "$LOGS/$e.out" | head -n 10
		tail -n 3 "$LOGS/$e.out"
		bad "e2e/$e.sh"
	fi
	# The programs' stderr copies end after them: read their files only
	# once no tee is left writing (it was a fixed 0.5 s).
	tees_ended || bad "e2e/$e.sh: a stderr copy (tee) still runs after 10 s"
	reports "e2e/$e.sh" "$LOGS/$e.out"
done

echo "     total $(( $(now) - t_start )) s"
echo "sanitizers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
