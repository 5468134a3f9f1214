#!/usr/bin/env bash
# tests/bench/run.sh: keyfield's benchmarks (issue 5). Starts a real
# keyfield on loopback (tests/e2e/lib.sh), measures each figure against a
# baseline run in the same session, alternating A B A B ... for
# BENCH_ROUNDS rounds, and prints one Markdown table of medians (spread
# = min-max over the rounds). Never leaves loopback; every load is bounded
# in time (BENCH_SECONDS per run) and in count.
#   1  card page GET (filled SF 41 card) vs fcgi-bytes behind the same nginx
#   2  save draft / submit (post-load) vs sqlite-commit, same row size
#   3  keyfield-notify deliveries to http-204 vs curl-multi, the same
#      bodies, the same concurrency; then with a partner that never answers;
#      3e: the latency from an expert's Submit to the partner's receipt
#   4  exports (csv, csv-long, json, xlsx) of a generated campaign of
#      BENCH_EXPORT_RESPONSES submitted cards: seconds, MB/s, peak RSS
#   5  VmRSS of each keyfield-survey worker after >= 10 000 requests, and
#      keyfield-notify's peak RSS over 10 000 deliveries
#   6  scale: the console's pages, an expert's home page, keyfield stats
#      and the CSV export at two sizes of a generated campaign
#      (tests/bench/scale.sh), the cost per card of both
#   7  mail: keyfield-notify sending invitations to a local SMTP server vs
#      smtp-loop sending the same messages (tests/bench/mail.sh)
# Uses lib.sh's helpers. Needs top_srcdir and top_builddir (make bench sets them), wrk, and the
# programs of tests/bench built in $top_builddir/tests/bench.
# Environment: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_CONNS (32),
# BENCH_ONLY ("get save submit deliver latency export scale mail": a
# subset), BENCH_MAILS (2000 invitations for part 7),
# BENCH_LATENCY_EVENTS (100 submissions for part 3e),
# BENCH_DELIVERIES (20000 events per delivery run), BENCH_DELIVERY_SECONDS
# (10: a delivery run's bound), BENCH_DELIVERY_ROUNDS (12, or BENCH_ROUNDS
# when more: rounds of part 3), BENCH_EXPORT_RESPONSES (100000),
# BENCH_EXPORT_ROUNDS (BENCH_ROUNDS), BENCH_CACHE (the directory where the
# generated databases are kept between runs: $TMPDIR/keyfield-bench-cache),
# BENCH_SCALE_SIZES ("2000 20000" cards), BENCH_SCALE_CONNS (2),
# BENCH_KEEP=1 keeps the scratch directory (KF_KEEP).
set -uo pipefail

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir/var/build}"
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_SECONDS:-5}
CONNS=${BENCH_CONNS:-32}
ONLY=" ${BENCH_ONLY:-get save submit deliver latency export scale mail} "
BB=$top_builddir/tests/bench
COUNT_MAX=1000000		# requests per run, whatever the duration
MEM_REQUESTS=10000		# requests before reading worker RSS
[ -n "${BENCH_KEEP:-}" ] && export KF_KEEP=1

for p in fcgi-bytes sqlite-commit post-load http-204 curl-multi smtp-loop; do
	[ -x "$BB/$p" ] || { echo "bench: $BB/$p is not built (make bench)" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is not installed (apt-get install time)" >&2; exit 1; }
[ "$ROUNDS" -ge 3 ] 2>/dev/null || { echo "bench: BENCH_ROUNDS must be >= 3" >&2; exit 1; }

. "$top_srcdir/tests/e2e/lib.sh"
log() { printf 'bench: %s\n' "$*" >&2; }
BYTES_PID=
bench_stop() {
	if [ -n "$BYTES_PID" ]; then
		kill -TERM "$BYTES_PID" 2>/dev/null || true
		wait "$BYTES_PID" 2>/dev/null || true
		BYTES_PID=
	fi
	declare -F scale_stop >/dev/null && scale_stop
	declare -F mail_stop >/dev/null && mail_stop
	kf_stop
}
# kf_start from lib.sh, in a directory of our own: other test scripts may
# clean up /tmp/keyfield-test.* while a benchmark runs.
bench_start() {
	KF_VAR=$(mktemp -d "${TMPDIR:-/tmp}/keyfield-bench.XXXXXX") || return 1
	chmod 755 "$KF_VAR"
	KF_DB=$KF_VAR/keyfield.db
	KF_PORT=$(kf_free_port)
	KF_URL=http://127.0.0.1:$KF_PORT
	export KEYFIELD_DB=$KF_DB KEYFIELD_BASE_URL=$KF_URL
	trap bench_stop EXIT
	kf_cli init >/dev/null &&
	kf_cli campaign add demo --title "Benchmark campaign" --form keyfield \
		--cities "Fr=Freiburg,B=Berlin,C=Copenhagen,NY=New York City,S=Singapore,T=Tokyo" >/dev/null &&
	kf_cli field add demo SF41 "Cluster Management" >/dev/null || return 1
	"$top_srcdir/etc/serve" "$KF_BIN" "$KF_VAR" "$KF_PORT" &
	KF_SERVER=$!
	for _ in $(seq 100); do
		curl -fsS -o /dev/null "$KF_URL/static/keyfield.css" 2>/dev/null &&
			return 0
		sleep 0.1
	done
	log "keyfield did not start; logs:"
	tail -n 20 "$KF_VAR"/log/*.log >&2
	return 1
}
bench_start || exit 1
T=$KF_VAR/bench
mkdir -p "$T"
sql() { sqlite3 "$KF_DB" "$1"; }

# ---- the card's answers, urlencoded (tests/bench/card-SF41.txt) ----
python3 - "$top_srcdir/tests/bench/card-SF41.txt" >"$T/fields" <<'EOF' || exit 1
import sys, urllib.parse
fields, name, lines = [], None, []
for line in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    if line.startswith("@@ "):
        if name: fields.append((name, "\n".join(lines).strip("\n")))
        name, lines = line[3:].strip(), []
    elif name is not None:
        lines.append(line)
if name: fields.append((name, "\n".join(lines).strip("\n")))
sys.stdout.write(urllib.parse.urlencode(fields))
EOF

# ---- experts: one for the GET, CONNS for the POSTs, each its own card ----
# expert N: prints "CARD SESSION CSRF REVISION"
expert() {
	local n=$1 link jar card sid csrf rev
	link=$(kf_cli expert add demo --name "Bench Expert $n" \
		--email "bench-$n@example.org" --fields SF41 | tail -n 1)
	jar=$T/jar-$n
	curl -s -o /dev/null -c "$jar" -d '' "$link" || return 1
	sid=$(awk '$6 == "kf_session" { print $7 }' "$jar")
	card=$(sql "SELECT a.id FROM assignments a JOIN experts e ON e.id = a.expert_id WHERE e.email = 'bench-$n@example.org'")
	curl -s -o "$T/page-$n" -b "kf_session=$sid" "$KF_URL/card/$card" || return 1
	csrf=$(grep -o 'name="csrf" value="[^"]*"' "$T/page-$n" | head -n 1 | sed 's/.*value="//; s/"$//')
	rev=$(grep -o 'name="revision" value="[0-9]*"' "$T/page-$n" | head -n 1 | sed 's/.*value="//; s/"$//')
	[ -n "$sid" ] && [ -n "$card" ] && [ -n "$csrf" ] && [ -n "$rev" ] || return 1
	printf '%s %s %s %s\n' "$card" "$sid" "$csrf" "$rev"
}
log "creating $((CONNS + 1)) experts"
read -r GCARD GSID GCSRF GREV < <(expert 0) || { log "expert 0 failed"; exit 1; }
: >"$T/conns"
for i in $(seq 1 "$CONNS"); do
	expert "$i" >>"$T/conns" || { log "expert $i failed"; exit 1; }
done

# ---- the GET card: filled (saved, then submitted once) ----
one_post() {	# ACTION REVISION: HTTP status of one save/submit of card 0
	curl -s -o /dev/null -w '%{http_code}' -b "kf_session=$GSID" \
		-H 'Expect:' --data-binary \
		"csrf=$GCSRF&revision=$2&action=$1&$(cat "$T/fields")" \
		"$KF_URL/card/$GCARD"
}
[ "$(one_post save "$GREV")" = 303 ] || { log "saving the GET card failed"; exit 1; }
[ "$(one_post submit "$((GREV + 1))")" = 303 ] || { log "submitting the GET card failed"; exit 1; }
curl -s -o "$T/card.html" -w '%{http_code}' -b "kf_session=$GSID" \
	"$KF_URL/card/$GCARD" | grep -qx 200 || { log "GET card failed"; exit 1; }
PAGE_BYTES=$(wc -c <"$T/card.html")
log "card page: $PAGE_BYTES bytes"

# Bytes one transaction writes, for the baseline's row: a save writes the
# answers of version 0; a submit writes them again as the new version,
# plus the event's two payloads (the audit row and metadata are extra).
RID=$(sql "SELECT id FROM responses WHERE assignment_id = $GCARD")
SAVE_BYTES=$(sql "SELECT sum(length(question) + length(row) + length(value)) FROM answers WHERE response_id = $RID AND version = 0")
SUBMIT_BYTES=$(sql "SELECT 2 * $SAVE_BYTES + (SELECT sum(length(payload) + length(payload_full)) FROM events WHERE response_id = $RID)")
log "row bytes: save $SAVE_BYTES, submit $SUBMIT_BYTES"

# ---- the baseline FastCGI program behind the same nginx ----
rm -f "$KF_VAR/run/bytes.sock"
owner=()
[ "$(id -u)" = 0 ] && owner=(-U nobody -G nogroup)
spawn-fcgi -n -s "$KF_VAR/run/bytes.sock" -M 0600 "${owner[@]}" -- \
	/usr/bin/multiwatch -f "${KEYFIELD_WORKERS:-2}" -- \
	"$BB/fcgi-bytes" "$T/card.html" 2>>"$KF_VAR/log/bytes.log" &
BYTES_PID=$!
# A location for it, before "location / {", in the nginx.conf etc/serve
# made from etc/nginx.conf.in; then reload that nginx.
awk -v sock="$KF_VAR/run/bytes.sock" '
	/^\t\tlocation \/ \{/ && !done {
		print "\t\tlocation = /bench/bytes {"
		print "\t\t\tinclude /etc/nginx/fastcgi_params;"
		print "\t\t\tfastcgi_param KEYFIELD_ORIGIN $scheme://$http_host;"
		print "\t\t\tfastcgi_pass unix:" sock ";"
		print "\t\t}"
		done = 1
	}
	{ print }' "$KF_VAR/nginx.conf" >"$T/nginx.conf" &&
	cp "$T/nginx.conf" "$KF_VAR/nginx.conf" || exit 1
grep -q 'location = /bench/bytes' "$KF_VAR/nginx.conf" ||
	{ log "no 'location / {' in nginx.conf"; exit 1; }
nginx -p "$KF_VAR/nginx" -c "$KF_VAR/nginx.conf" -e "$KF_VAR/log/nginx-error.log" \
	-s reload || exit 1
for _ in $(seq 100); do
	[ "$(curl -s -o "$T/bytes.html" -w '%{http_code}' "$KF_URL/bench/bytes")" = 200 ] && break
	sleep 0.1
done
cmp -s "$T/bytes.html" "$T/card.html" || { log "fcgi-bytes does not answer the card's bytes"; exit 1; }
# Until the old worker has gone: one that has not yet seen the reload may
# accept a measuring connection and then close it, idle between two
# requests, as it shuts down (wrk counted that as a failed request).
for _ in $(seq 100); do
	[ "$(pgrep -c -P "$(cat "$KF_VAR/run/nginx.pid")")" = 1 ] && break
	sleep 0.1
done

# ---- measuring ----
descendants() {
	local c
	for c in $(ps -o pid= --ppid "$1"); do
		echo "$c"
		descendants "$c"
	done
}
# cpu_ticks ROOT_PID COMM: user + system clock ticks of ROOT's COMM children
cpu_ticks() {
	local p n=0
	for p in $(descendants "$1"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$2" ] || continue
		n=$((n + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$n"
}
# per_req LINE TICKS0 TICKS1: LINE + " CPU_US" (worker CPU per request)
HZ=$(getconf CLK_TCK)
per_req() {
	awk -v t="$(($3 - $2))" -v hz="$HZ" -v s="$SECS" '{
		n = $1 * s; printf "%s %.0f\n", $0, (n > 0 ? t * 1e6 / hz / n : 0) }' <<<"$1"
}
# wrk_run URL [COOKIE]: "RATE P50_MS P99_MS BAD" (BAD: non-2xx + errors);
# COOKIE is NAME=VALUE; WRK_CONNS connections (CONNS)
ms() {	# wrk's "1.23ms" / "456.00us" / "1.02s" in ms
	awk -v v="$1" 'BEGIN {
		if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
		else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
		else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
		else printf "nan" }'
}
wrk_run() {
	local out rate p50 p99 bad
	out=$(timeout $((SECS + 30)) wrk -t 2 -c "${WRK_CONNS:-$CONNS}" -d "${SECS}s" \
		--timeout 10s --latency ${2:+-H "Cookie: $2"} "$1") || return 1
	printf '%s\n' "$out" >>"$T/wrk.out"	# kept with BENCH_KEEP
	rate=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
	p50=$(ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
	p99=$(ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
	bad=$(awk '/Non-2xx or 3xx responses:/ { n += $NF }
		/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
		END { print n + 0 }' <<<"$out")
	echo "$rate $p50 $p99 $bad"
}
# post_run ACTION: "RATE P50 P99 FAILED"
post_run() {
	local out
	out=$(timeout $((SECS + 60)) "$BB/post-load" "$KF_URL" "$T/conns" \
		"$T/fields" "$1" "$SECS" "$COUNT_MAX")
	awk '{ print $6, $8, $10, $12 }' <<<"$out"
}
# commit_run BYTES: "RATE P50 P99 FAILED"
commit_run() {
	local out
	out=$(timeout $((SECS + 60)) "$BB/sqlite-commit" "$T/commit.db" "$1" \
		"$SECS" "$COUNT_MAX")
	awk '{ print $6, $8, $10, $12 }' <<<"$out"
}

# Each measurement appends "RATE P50 P99 BAD" lines to $T/NAME.
for r in $(seq 1 "$ROUNDS"); do
	log "round $r of $ROUNDS"
	if [[ $ONLY == *" get "* ]]; then
		t0=$(cpu_ticks "$KF_SERVER" keyfield-survey)
		out=$(wrk_run "$KF_URL/card/$GCARD" "kf_session=$GSID")
		per_req "$out" "$t0" "$(cpu_ticks "$KF_SERVER" keyfield-survey)" >>"$T/get.a"
		t0=$(cpu_ticks "$BYTES_PID" fcgi-bytes)
		out=$(wrk_run "$KF_URL/bench/bytes")
		per_req "$out" "$t0" "$(cpu_ticks "$BYTES_PID" fcgi-bytes)" >>"$T/get.b"
	fi
	for action in save submit; do
		[[ $ONLY == *" $action "* ]] || continue
		t0=$(cpu_ticks "$KF_SERVER" keyfield-survey)
		out=$(post_run "$action")
		per_req "$out" "$t0" "$(cpu_ticks "$KF_SERVER" keyfield-survey)" >>"$T/$action.a"
		if [ "$action" = save ]; then
			commit_run "$SAVE_BYTES" >>"$T/$action.b"
		else
			commit_run "$SUBMIT_BYTES" >>"$T/$action.b"
		fi
	done
done
for f in get.a get.b save.a save.b submit.a submit.b; do
	[ -s "$T/$f" ] && log "$f: $(tr '\n' ';' <"$T/$f")"
done

. "$top_srcdir/tests/bench/gen.sh"
. "$top_srcdir/tests/bench/deliver-export.sh"
. "$top_srcdir/tests/bench/latency.sh"
. "$top_srcdir/tests/bench/scale.sh"
. "$top_srcdir/tests/bench/mail.sh"

# ---- memory: every keyfield-survey worker after >= MEM_REQUESTS ----
served=$(grep -c ' keyfield-survey info: ' "$KF_VAR/log/survey.log" || true)
if [ "$served" -lt "$MEM_REQUESTS" ]; then
	wrk_run "$KF_URL/card/$GCARD" "kf_session=$GSID" >/dev/null
	served=$(grep -c ' keyfield-survey info: ' "$KF_VAR/log/survey.log" || true)
fi
rss=()
for p in $(descendants "$KF_SERVER"); do
	[ "$(cat "/proc/$p/comm" 2>/dev/null)" = keyfield-survey ] || continue
	rss+=("$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$p/status")")
done
log "served $served requests; worker RSS (MB): ${rss[*]}"

# ---- the table ----
# stats FILE COLUMN: "MEDIAN MIN MAX" of that column over the rounds
stats() {
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '
		{ v[NR] = $1 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "%s %s %s", m, v[1], v[NR] }'
}
sum() { awk -v c="$2" '{ n += $c } END { print n + 0 }' "$1"; }
# row NAME TARGET_RATIO TARGET_P99 A B UNIT
row() {
	local name=$1 tr=$2 tp=$3 a=$4 b=$5 unit=$6 am al ah bm bl bh ratio
	local ap50 ap99 bp50 bp99 bad met acpu bcpu
	read -r am al ah < <(stats "$T/$a" 1)
	read -r bm bl bh < <(stats "$T/$b" 1)
	read -r ap50 _ _ < <(stats "$T/$a" 2)
	read -r ap99 _ _ < <(stats "$T/$a" 3)
	read -r bp50 _ _ < <(stats "$T/$b" 2)
	read -r bp99 _ _ < <(stats "$T/$b" 3)
	bad=$(sum "$T/$a" 4)
	read -r acpu _ _ < <(stats "$T/$a" 5)
	bcpu=–
	[ "$(awk '{ print NF }' "$T/$b" | head -n 1)" -ge 5 ] &&
		read -r bcpu _ _ < <(stats "$T/$b" 5)
	ratio=$(awk -v a="$am" -v b="$bm" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	met=$(awk -v r="$ratio" -v tr="$tr" -v p="$ap99" -v tp="$tp" -v bad="$bad" \
		'BEGIN { print ((r >= tr && p < tp && bad == 0) ? "yes" : "no") }')
	printf '| %s | %.0f %s (%.0f–%.0f) | %.0f %s (%.0f–%.0f) | %s | %.2f / %.2f | %.2f / %.2f | %s / %s | %s | ≥ %s, p99 < %s ms, 0 failed | %s |\n' \
		"$name" "$am" "$unit" "$al" "$ah" "$bm" "$unit" "$bl" "$bh" \
		"$ratio" "$ap50" "$ap99" "$bp50" "$bp99" "$acpu" "$bcpu" "$bad" \
		"$tr" "$tp" "$met"
}
rss_max=$(printf '%s\n' "${rss[@]:-0}" | sort -g | tail -n 1)

{
echo
echo "keyfield benchmarks on $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) CPUs: $ROUNDS rounds of ${SECS} s, $CONNS connections; median (min–max)"
echo
echo '| measurement | keyfield | baseline | ratio | keyfield p50 / p99 ms | baseline p50 / p99 ms | worker CPU µs/request keyfield / baseline | failed | target | met? |'
echo '|---|---|---|---|---|---|---|---|---|---|'
[ -s "$T/get.a" ] && row "1. card page GET ($((PAGE_BYTES / 1024)) KB) vs fcgi-bytes" 0.85 15 get.a get.b req/s
[ -s "$T/save.a" ] && row "2a. save draft vs sqlite-commit (${SAVE_BYTES} B rows)" 1.0 50 save.a save.b req/s
[ -s "$T/submit.a" ] && row "2b. submit vs sqlite-commit (${SUBMIT_BYTES} B rows)" 0.8 50 submit.a submit.b req/s
de_rows
lat_row
scale_rows
mail_row
printf '| 5. RSS per keyfield-survey worker after %d requests | %s MB (%s) | – | – | – | – | – | – | < 10 MB | %s |\n' \
	"$served" "$rss_max" "$(IFS=,; echo "${rss[*]:-none}")" \
	"$(awk -v m="$rss_max" 'BEGIN { print ((m > 0 && m < 10) ? "yes" : "no") }')"
} | tee "$T/table.md"
# The exit status says whether every target was met.
! grep -q '| no |$' "$T/table.md"
