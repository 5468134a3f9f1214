#!/usr/bin/env bash
# tests/bench/profile.sh: instruction counts of one keyfield-survey request
# kind under callgrind (stable on a shared machine, unlike rates). Runs on
# the scratch directory a benchmark kept (BENCH_KEEP=1 make bench): its
# database, experts and card answers.
#   profile.sh VARDIR get|save|submit [N]
#   profile.sh SCALEDIR dashboard [N]
# (SCALEDIR: a size's directory of part 6, VARDIR/bench/scale-2000: the
# dashboard of its campaign "big" through one keyfield-admin worker.)
# Starts one worker under valgrind --tool=callgrind on a socket of its own,
# sends it one request to warm up (statement cache, page buffers), zeroes
# the counters (callgrind_control), sends N (20) more with cgi-fcgi, stops
# it and prints instructions per request and the top functions
# (inclusive). The profile stays in VARDIR/bench.
set -uo pipefail

: "${top_builddir:?top_builddir must name the build tree}"
VAR=${1:?usage: profile.sh VARDIR get\|save\|submit\|dashboard [N]}
KIND=${2:?usage: profile.sh VARDIR get\|save\|submit\|dashboard [N]}
N=${3:-20}
T=$VAR/bench
PROG=keyfield-survey
[ "$KIND" = dashboard ] && T=$VAR PROG=keyfield-admin
for c in valgrind callgrind_annotate callgrind_control cgi-fcgi spawn-fcgi; do
	command -v "$c" >/dev/null || { echo "profile: $c is not installed" >&2; exit 1; }
done
if [ "$KIND" = dashboard ]; then
	ADMIN=$(awk '$6 == "kf_admin" { print $7 }' "$T/jar" 2>/dev/null)
	[ -n "$ADMIN" ] || { echo "profile: no coordinator session in $T/jar" >&2; exit 1; }
else
	[ -s "$T/conns" ] && [ -s "$T/fields" ] || { echo "profile: $T has no conns/fields" >&2; exit 1; }
fi

export KEYFIELD_DB=$VAR/keyfield.db
export KEYFIELD_BASE_URL=${KEYFIELD_BASE_URL:-http://127.0.0.1}
SOCK=$T/profile.sock
OUT=$T/callgrind.$KIND
rm -f "$SOCK" "$OUT"
spawn-fcgi -n -s "$SOCK" -- "$(command -v valgrind)" --tool=callgrind --callgrind-out-file="$OUT" \
	"$top_builddir/cgi/$PROG" 2>"$T/profile.log" &
PID=$!
for _ in $(seq 200); do [ -S "$SOCK" ] && break; sleep 0.1; done
sleep 2	# valgrind start-up before the first accept

# get: the card run.sh measures (expert 0's: saved, submitted once);
# save/submit: the last connection's card, not used by the GET measurement
# (after a benchmark it has hundreds of versions, each a link on its page).
[ "$KIND" = dashboard ] || read -r CARD SID CSRF REV < <(tail -n 1 "$T/conns")
if [ "$KIND" = get ]; then
	SID=$(awk '$6 == "kf_session" { print $7 }' "$T/jar-0")
	CARD=$(sqlite3 "$KEYFIELD_DB" "SELECT a.id FROM assignments a JOIN experts e ON e.id = a.expert_id WHERE e.email = 'bench-0@example.org'")
	[ -n "$SID" ] && [ -n "$CARD" ] || { echo "profile: no expert 0 in $T" >&2; exit 1; }
fi
[ "$KIND" = dashboard ] ||
	REV=$(sqlite3 "$KEYFIELD_DB" "SELECT coalesce(max(revision), 0) FROM responses WHERE assignment_id = $CARD")
ok=0
for i in $(seq 0 "$N"); do
	if [ "$KIND" = dashboard ]; then
		out=$(env -i REQUEST_METHOD=GET \
			DOCUMENT_URI=/admin/c/big/dashboard \
			REQUEST_URI=/admin/c/big/dashboard HTTP_HOST=127.0.0.1 \
			REMOTE_ADDR=127.0.0.1 HTTP_COOKIE="kf_admin=$ADMIN" \
			cgi-fcgi -bind -connect "$SOCK" </dev/null | head -n 1)
	elif [ "$KIND" = get ]; then
		out=$(env -i REQUEST_METHOD=GET DOCUMENT_URI="/card/$CARD" \
			REQUEST_URI="/card/$CARD" HTTP_HOST=127.0.0.1 \
			REMOTE_ADDR=127.0.0.1 HTTP_COOKIE="kf_session=$SID" \
			cgi-fcgi -bind -connect "$SOCK" </dev/null | head -n 1)
	else
		body="csrf=$CSRF&revision=$REV&action=$KIND&$(cat "$T/fields")+edit+$i"
		out=$(printf '%s' "$body" | env -i REQUEST_METHOD=POST \
			DOCUMENT_URI="/card/$CARD" REQUEST_URI="/card/$CARD" \
			HTTP_HOST=127.0.0.1 REMOTE_ADDR=127.0.0.1 \
			HTTP_COOKIE="kf_session=$SID" \
			CONTENT_TYPE=application/x-www-form-urlencoded \
			CONTENT_LENGTH=${#body} \
			cgi-fcgi -bind -connect "$SOCK" | head -n 1)
		REV=$((REV + 1))
	fi
	case $out in
	Status:\ 200*|Status:\ 303*) [ "$i" -gt 0 ] && ok=$((ok + 1)) ;;
	*) echo "profile: request $i: $out" >&2 ;;
	esac
	[ "$i" = 0 ] && callgrind_control -z "$PID" >/dev/null
done
kill -TERM "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
for _ in $(seq 100); do [ -s "$OUT" ] && break; sleep 0.1; done
# Worker processes: spawn-fcgi -n execs valgrind in place.
total=$(callgrind_annotate "$OUT" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(/,/, "", $1); print $1; exit }')
echo "profile: $KIND: $ok of $N requests answered 200/303; $((total / N)) instructions per request"
callgrind_annotate --inclusive=yes "$OUT" 2>/dev/null | sed -n '/^Ir/,$p' | head -n 45
