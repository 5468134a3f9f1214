#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS]: build each libFuzzer driver in tests/fuzz
# with clang -fsanitize=fuzzer,address,undefined straight from the
# sources (no configure needed) and run it for SECONDS (default 5) on a
# copy of its seed corpus. Fails on any crash, leak, sanitizer report or
# broken assertion. Prints "fuzz: N passed, N failed".
# Needs clang and libclang-rt-14-dev (Debian); skips (77) without them.
# Environment: FUZZ_KEEP=DIR keeps the work directory there (corpora that
# grew, crash inputs); FUZZ_ONLY="html form" runs only those drivers.
set -uo pipefail

SECONDS_EACH=${1:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
CGI=$SRC/cgi
CC=${FUZZ_CC:-clang}

case $SECONDS_EACH in ''|*[!0-9]*) echo "usage: run.sh [SECONDS]" >&2; exit 2 ;; esac
[ "$SECONDS_EACH" -ge 1 ] && [ "$SECONDS_EACH" -le 86400 ] ||
	{ echo "run.sh: SECONDS must be 1..86400" >&2; exit 2; }

WORK=${FUZZ_KEEP:-$(mktemp -d /tmp/keyfield-fuzz.XXXXXX)}
mkdir -p "$WORK"
cleanup() { [ -n "${FUZZ_KEEP:-}" ] || rm -rf "$WORK"; }
trap cleanup EXIT

# Can this clang build a fuzzer at all?
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ return 0; }\n' >"$WORK/probe.c"
if ! "$CC" -fsanitize=fuzzer "$WORK/probe.c" -o "$WORK/probe" 2>/dev/null; then
	echo "fuzz: SKIP: $CC cannot build libFuzzer drivers (apt-get install clang libclang-rt-14-dev)"
	exit 77
fi

# A config.h for form.c, as configure would make it.
cat >"$WORK/config.h" <<'H'
#define PACKAGE_VERSION "fuzz"
#define PACKAGE_NAME "keyfield"
H

JANSSON=$(pkg-config --cflags --libs jansson 2>/dev/null || echo -ljansson)
FLAGS=(-g -O1 -std=c11 -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
	-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DHAVE_CONFIG_H
	-I"$WORK" -I"$CGI")
# The csv driver links every file of the layers below the programs
# (export.c needs the store, views, statistics, catalogues, ...), but
# not the files a build in the source tree generated there (LIBS gives
# them).
LIB_SOURCES=$(cd "$CGI" && ls base/*.c store/*.c app/*.c |
    grep -Ev '/(sql-migrations|i18n-catalogues)\.c$')
# driver: the sources it needs besides itself; libraries.
declare -A DEPS=(
	[urlencoded]="base/req.c base/buf.c base/log.c"
	[multipart]="base/req.c base/buf.c base/log.c"
	[cookies]="base/req.c base/buf.c base/log.c"
	[form]="base/form.c base/rating.c base/i18n.c base/buf.c base/log.c base/req.c"
	[html]="base/html.c base/buf.c"
	[i18n]="base/i18n.c base/buf.c base/log.c"
	[mail]="app/mail.c base/i18n.c base/buf.c base/req.c base/log.c"
	[csv]="$LIB_SOURCES"
)
XLSX=$(pkg-config --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter)
SQLITE=$(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
# The CSV driver calls only the cell writer, but export.c links with the
# store and the catalogues: give it the migrations and the catalogues as
# make would embed them.
declare -A LIBS=( [form]="$WORK/i18n-catalogues.c $JANSSON"
	[mail]="$WORK/i18n-catalogues.c -lsodium"
	[csv]="$WORK/sql-migrations.c $WORK/i18n-catalogues.c $XLSX $JANSSON
	    $SQLITE -lsodium -lfcgi" )
bash "$CGI/store/embed-sql.sh" "$SRC"/sql/[0-9][0-9][0-9]-*.sql >"$WORK/sql-migrations.c"
sh "$CGI/base/embed-po.sh" "$SRC"/po/*.po >"$WORK/i18n-catalogues.c"

names=()
for d in "$HERE"/fuzz_*.c; do
	n=${d##*/fuzz_}
	n=${n%.c}
	if [ -n "${FUZZ_ONLY:-}" ] && [[ " $FUZZ_ONLY " != *" $n "* ]]; then
		continue
	fi
	names+=("$n")
done

pass=0 fail=0
for n in "${names[@]}"; do
	srcs=()
	for s in ${DEPS[$n]:-}; do
		if [ ! -f "$CGI/$s" ]; then
			echo "FAIL fuzz_$n: cgi/$s is not there"
			fail=$((fail + 1))
			continue 2
		fi
		srcs+=("$CGI/$s")
	done
	bin=$WORK/fuzz_$n
	# shellcheck disable=SC2086
	if ! "$CC" "${FLAGS[@]}" "$HERE/fuzz_$n.c" "${srcs[@]}" \
	    -o "$bin" ${LIBS[$n]:-} >"$WORK/$n.build.log" 2>&1; then
		echo "FAIL fuzz_$n: does not build:"
		tail -n 20 "$WORK/$n.build.log"
		fail=$((fail + 1))
		continue
	fi
	corpus=$WORK/corpus-$n
	mkdir -p "$corpus" "$WORK/crash-$n"
	[ -d "$HERE/corpus/$n" ] && cp "$HERE/corpus/$n"/* "$corpus"/ 2>/dev/null
	dict=()
	[ -f "$HERE/$n.dict" ] && dict=(-dict="$HERE/$n.dict")
	# -max_total_time bounds the run; timeout(1) bounds a hang in the
	# harness itself.
	if ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    timeout $((SECONDS_EACH + 60)) "$bin" "${dict[@]}" \
	    -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix="$WORK/crash-$n/" "$corpus" \
	    >"$WORK/$n.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$n.log")
		echo "ok   fuzz_$n: ${runs:-?} runs in ${SECONDS_EACH}s, corpus $(ls "$corpus" | wc -l) inputs"
		pass=$((pass + 1))
	else
		echo "FAIL fuzz_$n:"
		grep -m 12 -E 'ERROR|SUMMARY|Assertion|runtime error|#[0-9]+ 0x' "$WORK/$n.log"
		for c in "$WORK/crash-$n"/*; do
			[ -f "$c" ] || continue
			mkdir -p "$HERE/crashes"
			cp "$c" "$HERE/crashes/$n-${c##*/}"
			echo "     input kept in tests/fuzz/crashes/$n-${c##*/}"
		done
		fail=$((fail + 1))
	fi
done
printf 'fuzz: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
