#!/usr/bin/env bash
# make bench's harness at toy size, in make check: every part of
# tests/bench/run.sh runs against the programs built here and prints its
# row, and no request of parts 1, 2 and 3e fails. The figures mean
# nothing at this size (make bench measures them); a missed target is not
# a failure here. Prints "bench-smoke: N passed, N failed".
set -uo pipefail
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir/var/build}"
. "$top_srcdir/tests/e2e/checks.sh"
command -v wrk >/dev/null ||
	{ echo "bench-smoke: wrk is not installed (quickstart installs it)" >&2; exit 1; }

T=$(mktemp -d /tmp/keyfield-bsmoke.XXXXXX)
chmod 755 "$T"	# nginx workers (nobody) go through it
trap 'rm -rf "$T"' EXIT
BENCH_KEEP=1 BENCH_SECONDS=1 BENCH_DELIVERIES=200 BENCH_LATENCY_EVENTS=5 \
BENCH_EXPORT_RESPONSES=100 BENCH_SCALE_SIZES="8 40" BENCH_MAILS=20 BENCH_CACHE=$T/cache TMPDIR=$T \
	top_srcdir=$top_srcdir top_builddir=$top_builddir \
	bash "$top_srcdir/tests/bench/run.sh" >"$T/table" 2>"$T/log"
rc=$?
# run.sh's status is 1 when a target is missed, and also when it fails:
# the rows below tell the two apart.
case $rc in
0|1) ok "run.sh finished (status $rc)" ;;
*) bad "run.sh finished (status $rc)" ;;
esac
for row in "1. card page GET" "2a. save draft" "2b. submit" \
    "3a. deliveries" "3b. deliveries" "3c. + a partner" "3d. + a partner" \
    "3e. Submit to the partner" "4. export csv," "4. export csv-long" \
    "4. export json" "4. export xlsx" "5. keyfield-notify peak RSS" \
    "5. RSS per keyfield-survey worker" "6a. dashboard" "6b. campaigns list" \
    "6c. campaign page" "6d. expert home" "6e. keyfield stats" \
    "6f. keyfield export" "7. mail"; do
	if grep -qF -- "| $row" "$T/table"; then ok "row: $row"
	else bad "row: $row"; fi
done
# The "failed" column (the 9th cell) of the rows that count requests.
for row in "1. card page GET" "2a. save draft" "2b. submit" "3e. Submit" \
    "6a. dashboard" "6b. campaigns list" "6c. campaign page" "6d. expert home" \
    "7. mail"; do
	check "no failed request: $row" 0 \
	    "$(awk -F' \\| ' -v r="| $row" 'index($0, r) == 1 { print $8 }' "$T/table")"
done
# Part 3: the silent partner's cost comes from 12 rounds, each measuring
# with and without it; the cost printed lies within the rounds' range.
for v in "$T"/keyfield-bench.*; do
	for f in d1.a d2.a o1.a o2.a; do
		check "part 3: 12 rounds in $f" 12 "$(wc -l <"$v/bench/$f")"
	done
done
# Every delivery run delivered every event (they once delivered none:
# the copies of the database lacked the key that opens the partners'
# secrets), and the memory run as many as the receiver answered.
for v in "$T"/keyfield-bench.*; do
	check "part 3: every run delivered all 200 events" "" \
	    "$(cat "$v"/bench/{d1,d2,o1,o2}.a | awk '$2 != 200')"
done
[[ $(grep -F '| 5. keyfield-notify peak RSS' "$T/table") =~ over\ ([0-9]+)\ deliveries\ \(--once\;\ ([0-9]+)\ delivered ]]
check "part 5: the notifier delivered what the receiver answered (> 0)" 1 \
    "$(awk -v a="${BASH_REMATCH[1]:-0}" -v d="${BASH_REMATCH[2]:--1}" 'BEGIN { print (a > 0 && a == d) ? 1 : 0 }')"
re='costs the others (-?[0-9.]+) %, rounds (-?[0-9.]+)–(-?[0-9.]+) %'
[[ $(grep -F '| 3c.' "$T/table") =~ $re ]]
check "3c's cost within its rounds' range" 1 "$(awk -v c="${BASH_REMATCH[1]:-x}" \
    -v lo="${BASH_REMATCH[2]:-1}" -v hi="${BASH_REMATCH[3]:-0}" \
    'BEGIN { print (c != "x" && lo + 0 <= c + 0 && c + 0 <= hi + 0) ? 1 : 0 }')"
if [ "$fail" -ne 0 ]; then
	echo "--- run.sh's log (tail)"; tail -n 30 "$T/log"; cat "$T/table"
	# What failed, from the kept scratch directory: wrk's error counts,
	# every answer that was not 200/303 (or wrk closing: 499), warnings.
	for v in "$T"/keyfield-bench.*; do
		grep -h -B1 -A1 'Socket errors\|Non-2xx' "$v/bench/wrk.out"
		awk '$5 !~ /^(200|303|499)$/' "$v/log/nginx-access.log" | head -n 20
		grep -h -v ' info: ' "$v"/log/*.log | head -n 20
	done
fi
checks_done bench-smoke
