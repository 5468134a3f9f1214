# tests/bench/scale.sh: part 6 of the benchmarks, how the console and
# the expert's pages grow with a campaign. Sourced by run.sh after part
# 4, with its variables and helpers (T, KF_BIN, KF_CLI, ROUNDS, SECS, ONLY,
# wrk_run, cpu_ticks, per_req, stats, log, bench_db, ECACHE). For each size
# in BENCH_SCALE_SIZES ("2000 20000" submitted cards, 4 per expert: 500
# and 5 000 experts) a keyfield of its own serves a copy of a generated
# campaign (gen.sh) plus one expert assigned all 50 key fields, and each
# round measures, with BENCH_SCALE_CONNS (2) connections for SECS:
#   dashboard       /admin/c/big/dashboard
#   campaigns       /admin/ (every campaign's counts)
#   campaign page   /admin/c/big (its experts)
#   expert home     / of the expert with 50 key fields
# and runs keyfield stats and keyfield export --format csv (seconds, peak
# RSS). scale_rows prints one row each: the larger size against the
# smaller, the cost per card of both (worker CPU, or the command's
# seconds, over the cards), "flat" when the larger size's cost per card
# is at most SCALE_SLACK (1.1) times the smaller's.

SCALE_SIZES=${BENCH_SCALE_SIZES:-2000 20000}
SCALE_CONNS=${BENCH_SCALE_CONNS:-2}
SCALE_PER=4			# cards per expert
SCALE_FIELDS=50			# key fields of the campaign, and of one expert
SCALE_SLACK=1.1
SCALE_PAGES="dashboard campaigns campaign home"
SCALE_PID=

scale_stop() {
	if [ -n "$SCALE_PID" ]; then
		kill -TERM "$SCALE_PID" 2>/dev/null || true
		wait "$SCALE_PID" 2>/dev/null || true
		SCALE_PID=
	fi
}

# scale_serve DB VARDIR: a keyfield on DB (copied into VARDIR); sets
# SURL, ACOOKIE (the coordinator's) and ECOOKIE (the 50-field expert's).
scale_serve() {
	local db=$2/keyfield.db port jar tok link fields
	mkdir -p "$2" && chmod 755 "$2" && cp "$1" "$db" || return 1
	port=$(kf_free_port)
	SURL=http://127.0.0.1:$port
	printf 'correct horse battery\n' |
		"$KF_CLI" --db "$db" coordinator add --admin bench >/dev/null || return 1
	fields=SF41$(seq -f ',F%02g' 2 "$SCALE_FIELDS" | tr -d '\n')
	link=$(KEYFIELD_BASE_URL=$SURL "$KF_CLI" --db "$db" expert add big \
		--name "Fifty Fields" --email fifty@example.org \
		--fields "$fields" | tail -n 1) || return 1
	KEYFIELD_DB=$db KEYFIELD_BASE_URL=$SURL \
		"$top_srcdir/etc/serve" "$KF_BIN" "$2" "$port" &
	SCALE_PID=$!
	for _ in $(seq 100); do
		curl -fsS -o /dev/null "$SURL/static/keyfield.css" 2>/dev/null && break
		sleep 0.1
	done
	jar=$2/jar
	curl -s -o "$2/login" -c "$jar" "$SURL/admin/login" || return 1
	tok=$(grep -o 'name="csrf" value="[^"]*"' "$2/login" | head -n 1 |
		sed 's/.*value="//; s/"$//')
	curl -s -o /dev/null -b "$jar" -c "$jar" -H "Origin: $SURL" \
		--data-urlencode "csrf=$tok" -d username=bench \
		--data-urlencode 'password=correct horse battery' "$SURL/admin/login" ||
		return 1
	curl -s -o /dev/null -b "$jar" -c "$jar" -d '' "$link" || return 1
	ACOOKIE=kf_admin=$(awk '$6 == "kf_admin" { print $7 }' "$jar")
	ECOOKIE=kf_session=$(awk '$6 == "kf_session" { print $7 }' "$jar")
	[ "$ACOOKIE" != kf_admin= ] && [ "$ECOOKIE" != kf_session= ] ||
		{ log "part 6: no coordinator or expert session"; return 1; }
}

# scale_page NAME N: one wrk run of page NAME at size N, appended to
# $T/s-NAME-N as "RATE P50 P99 BAD CPU_US".
scale_page() {
	local url=$SURL/ cookie=$ECOOKIE comm=keyfield-survey t0 out
	case $1 in
	dashboard) url=$SURL/admin/c/big/dashboard ;;
	campaigns) url=$SURL/admin/ ;;
	campaign) url=$SURL/admin/c/big ;;
	esac
	[ "$1" = home ] || { cookie=$ACOOKIE; comm=keyfield-admin; }
	t0=$(cpu_ticks "$SCALE_PID" "$comm")
	out=$(WRK_CONNS=$SCALE_CONNS wrk_run "$url" "$cookie")
	per_req "$out" "$t0" "$(cpu_ticks "$SCALE_PID" "$comm")" >>"$T/s-$1-$2"
}

# scale_cli NAME N DB ARGS...: the command's "SECONDS PEAK_RSS_MB" appended
# to $T/s-NAME-N (seconds from the clock in ns: time -v says 0.01 s).
scale_cli() {
	local name=$1 n=$2 db=$3 t0 t1
	shift 3
	t0=$(now_ns)
	timeout 600 /usr/bin/time -v -o "$T/scale.time" \
		"$KF_CLI" --db "$db" "$@" >/dev/null 2>>"$T/scale.log" ||
		{ log "part 6: $name failed"; echo "0 0" >>"$T/s-$name-$n"; return; }
	t1=$(now_ns)
	awk -F': ' -v ns=$((t1 - t0)) '/Maximum resident set size/ { r = $2 / 1024 }
		END { printf "%.4f %.1f\n", ns / 1e9, r }' "$T/scale.time" >>"$T/s-$name-$n"
}

if [[ $ONLY == *" scale "* ]]; then
	for n in $SCALE_SIZES; do
		sdb=$(bench_db "$n" "$SCALE_PER" "$SCALE_FIELDS" "$ECACHE") || exit 1
		scale_serve "$sdb" "$T/scale-$n" || { log "part 6: keyfield on $n cards did not start"; exit 1; }
		for r in $(seq 1 "$ROUNDS"); do
			log "part 6: $n cards, round $r of $ROUNDS"
			for page in $SCALE_PAGES; do
				scale_page "$page" "$n"
			done
			scale_cli stats "$n" "$sdb" stats big
			scale_cli csv "$n" "$sdb" export big --format csv \
				--output "$T/scale.csv"
		done
		rm -f "$T/scale.csv"
		scale_stop
	done
fi

# scale_rows: part 6's rows, the last size of SCALE_SIZES against the first.
scale_rows() {
	local lo hi name what am bm ap50 ap99 bp50 bp99 acpu bcpu bad ac bc met
	read -r lo _ <<<"$SCALE_SIZES"
	hi=${SCALE_SIZES##* }
	[ -s "$T/s-home-$hi" ] || return 0
	for name in $SCALE_PAGES; do
		case $name in
		dashboard) what="6a. dashboard" ;;
		campaigns) what="6b. campaigns list (/admin/)" ;;
		campaign) what="6c. campaign page ($((hi / SCALE_PER)) vs $((lo / SCALE_PER)) experts)" ;;
		home) what="6d. expert home, $SCALE_FIELDS key fields" ;;
		esac
		read -r am _ _ < <(stats "$T/s-$name-$hi" 1)
		read -r bm _ _ < <(stats "$T/s-$name-$lo" 1)
		read -r ap50 _ _ < <(stats "$T/s-$name-$hi" 2)
		read -r ap99 _ _ < <(stats "$T/s-$name-$hi" 3)
		read -r bp50 _ _ < <(stats "$T/s-$name-$lo" 2)
		read -r bp99 _ _ < <(stats "$T/s-$name-$lo" 3)
		read -r acpu _ _ < <(stats "$T/s-$name-$hi" 5)
		read -r bcpu _ _ < <(stats "$T/s-$name-$lo" 5)
		bad=$(( $(sum "$T/s-$name-$hi" 4) + $(sum "$T/s-$name-$lo" 4) ))
		ac=$(awk -v c="$acpu" -v n="$hi" 'BEGIN { printf "%.2f", c / n }')
		bc=$(awk -v c="$bcpu" -v n="$lo" 'BEGIN { printf "%.2f", c / n }')
		met=$(awk -v p="$ap99" -v a="$ac" -v b="$bc" -v s="$SCALE_SLACK" -v bad="$bad" \
			'BEGIN { print ((p < 100 && a <= b * s && bad == 0) ? "yes" : "no") }')
		printf '| %s, %d vs %d cards | %.0f req/s | %.0f req/s | µs/card %s / %s | %.2f / %.2f | %.2f / %.2f | %s / %s | %s | p99 < 100 ms, µs/card flat (≤ %s×), 0 failed | %s |\n' \
			"$what" "$hi" "$lo" "$am" "$bm" "$ac" "$bc" "$ap50" "$ap99" \
			"$bp50" "$bp99" "$acpu" "$bcpu" "$bad" "$SCALE_SLACK" "$met"
	done
	for name in stats csv; do
		case $name in
		stats) what="6e. keyfield stats" ;;
		csv) what="6f. keyfield export --format csv" ;;
		esac
		read -r am _ ah < <(stats "$T/s-$name-$hi" 1)
		read -r bm _ _ < <(stats "$T/s-$name-$lo" 1)
		read -r ar _ arh < <(stats "$T/s-$name-$hi" 2)
		ac=$(awk -v s="$am" -v n="$hi" 'BEGIN { printf "%.1f", s * 1e6 / n }')
		bc=$(awk -v s="$bm" -v n="$lo" 'BEGIN { printf "%.1f", s * 1e6 / n }')
		met=$(awk -v a="$ac" -v b="$bc" -v s="$SCALE_SLACK" -v r="$arh" -v am="$am" \
			'BEGIN { print ((am > 0 && a <= b * s && r < 32) ? "yes" : "no") }')
		printf '| %s, %d vs %d cards | %.2f s (max %.2f), peak RSS %s MB (max %s) | %.2f s | µs/card %s / %s | – | – | – | – | µs/card flat (≤ %s×), peak RSS < 32 MB | %s |\n' \
			"$what" "$hi" "$lo" "$am" "$ah" "$ar" "$arh" "$bm" "$ac" "$bc" \
			"$SCALE_SLACK" "$met"
	done
}
