# tests/bench/deliver-export.sh: parts 3 (deliveries) and 4 (exports) of
# the benchmarks, and the daemon's memory of part 5. Sourced by run.sh
# after parts 1 and 2, with its variables and helpers (T, KF_DB, KF_BIN,
# KF_CLI, BB, RID, ROUNDS, ONLY, stats, sql, log); de_rows prints the table
# rows. Loopback only; every run is bounded in time and count.

NOTIFY=$KF_BIN/keyfield-notify
DN=${BENCH_DELIVERIES:-20000}
# 12 rounds: with 6 the median cost of the silent partner still moved
# by several % from run to run on a busy machine (RESULTS.md, session 5).
DROUNDS=${BENCH_DELIVERY_ROUNDS:-$((ROUNDS > 12 ? ROUNDS : 12))}
DSECS=${BENCH_DELIVERY_SECONDS:-10}
DCONC=2				# DELIVER_PARTNER_MAX in cgi/notify/deliver.h
DMEM=10000			# deliveries before reading the daemon's RSS
EN=${BENCH_EXPORT_RESPONSES:-100000}
EROUNDS=${BENCH_EXPORT_ROUNDS:-$ROUNDS}
ECACHE=${BENCH_CACHE:-${TMPDIR:-/tmp}/keyfield-bench-cache}
DE_PIDS=()
trap 'for p in "${DE_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; bench_stop' EXIT

now_ns() { date +%s%N; }
# de_wait PID DEADLINE_NS: wait for PID to exit, polling every 10 ms, at
# most until DEADLINE_NS; 0 if it exited.
de_wait() {
	while kill -0 "$1" 2>/dev/null; do
		[ "$(now_ns)" -lt "$2" ] || return 1
		sleep 0.01
	done
	return 0
}

# ---- part 3: deliveries ----
if [[ $ONLY == *" deliver "* ]]; then
	RPORT=$(kf_free_port)
	HPORT=$(kf_free_port)
	# The partner whose endpoint never answers: up for the whole part.
	"$BB/http-204" "$HPORT" 1 "$T/hang" --hang &
	DE_PIDS+=($!)
	# A real submitted card's event (the GET card of part 1).
	EVID=$(sql "SELECT id FROM events WHERE response_id = $RID ORDER BY id DESC LIMIT 1")
	[ -n "$EVID" ] || { log "no event for the submitted card"; exit 1; }
	# notify_db FILE EVENTS [hang]: a database with the campaign, its
	# partner(s), and EVENTS copies of that event, inserted in one
	# transaction after the partners (the trigger fans them out).
	notify_db() {
		"$KF_CLI" --db "$1" init >/dev/null &&
		"$KF_CLI" --db "$1" campaign add hook --title "Delivery bench" \
			--form keyfield --cities "Fr=Freiburg" >/dev/null &&
		"$KF_CLI" --db "$1" partner add hook fast \
			"http://127.0.0.1:$RPORT/hook" --allow-private >/dev/null || return 1
		if [ "${3:-}" = hang ]; then
			"$KF_CLI" --db "$1" partner add hook silent \
				"http://127.0.0.1:$HPORT/hang" --allow-private >/dev/null || return 1
		fi
		sqlite3 "$1" "ATTACH '$KF_DB' AS src; BEGIN;
			WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
			INSERT INTO events (event_id, type, campaign_id, payload, payload_full, created_at)
			SELECT 'msg_bench_' || n.i, e.type, c.id, e.payload, e.payload_full,
			    strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
			FROM n, campaigns c, src.events e WHERE c.slug = 'hook' AND e.id = $EVID;
			COMMIT; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
	}
	log "part 3: $DN events per run, $DCONC transfers per partner, runs of at most $DSECS s"
	notify_db "$T/n1.db" "$DN" && notify_db "$T/n2.db" "$DN" hang &&
		notify_db "$T/n10k.db" "$DMEM" || { log "cannot make the delivery databases"; exit 1; }
	sqlite3 "$T/n1.db" "SELECT payload FROM events ORDER BY id" >"$T/bodies"
	DBODY=$(head -n 1 "$T/bodies" | wc -c)
	[ "$(wc -l <"$T/bodies")" = "$DN" ] || { log "bodies: not $DN lines"; exit 1; }

	recv_start() {	# COUNT
		rm -f "$T/recv" "$T/recv.ready"
		"$BB/http-204" "$RPORT" "$1" "$T/recv" &
		RECV_PID=$!
		for _ in $(seq 200); do [ -e "$T/recv.ready" ] && return 0; sleep 0.01; done
		log "http-204 did not start"
		return 1
	}
	recv_count() {	# stop the receiver; print the requests it answered
		kill -TERM "$RECV_PID" 2>/dev/null
		wait "$RECV_PID" 2>/dev/null
		cat "$T/recv" 2>/dev/null || echo 0
	}
	# run_db TEMPLATE: a fresh copy of TEMPLATE as $T/run.db, with its
	# secret key beside it (the partners' secrets are sealed with it:
	# without it the notifier delivers nothing).
	run_db() {
		rm -f "$T/run.db" "$T/run.db-wal" "$T/run.db-shm" \
		    "$T/run.db.notify-lock" "$T/run.db.key"
		sqlite3 "$1" "VACUUM INTO '$T/run.db'" &&
		    cp -p "$1.key" "$T/run.db.key"
	}
	# notify_run TEMPLATE daemon|once: "RATE DELIVERED CPU_US RSS_MB"
	notify_run() {
		local t0 t1 pid n ticks rss opt=
		run_db "$1" || return 1
		[ "$2" = once ] && opt=--once
		recv_start "$DN" || return 1
		t0=$(now_ns)
		# Under /usr/bin/time, for its CPU time and peak RSS, also
		# when --once exits by itself.
		/usr/bin/time -f '%U %S %M' -o "$T/nt" \
			"$NOTIFY" --db "$T/run.db" $opt 2>>"$T/notify.log" &
		pid=$!
		DE_PIDS+=("$pid")
		de_wait "$RECV_PID" $((t0 + DSECS * 1000000000))
		t1=$(now_ns)
		for n in $(ps -o pid= --ppid "$pid"); do kill -KILL "$n" 2>/dev/null; done
		wait "$pid" 2>/dev/null
		n=$(recv_count)
		tail -n 1 "$T/nt" | awk -v n="$n" -v t0="$t0" -v t1="$t1" \
			'{ s = (t1 - t0) / 1e9; printf "%.1f %d %.0f %.1f\n", n / s, n, (n > 0 ? ($1 + $2) * 1e6 / n : 0), $3 / 1024 }'
	}
	# curl_run [hang]: "RATE DELIVERED"
	curl_run() {
		local t0 t1 n
		recv_start "$DN" || return 1
		t0=$(now_ns)
		if [ "${1:-}" = hang ]; then
			timeout $((DSECS + 10)) "$BB/curl-multi" "http://127.0.0.1:$RPORT/hook" \
				"$T/bodies" "$DCONC" "$DSECS" "http://127.0.0.1:$HPORT/hang" "$DCONC" >/dev/null
		else
			timeout $((DSECS + 10)) "$BB/curl-multi" "http://127.0.0.1:$RPORT/hook" \
				"$T/bodies" "$DCONC" "$DSECS" >/dev/null
		fi
		t1=$(now_ns)
		n=$(recv_count)
		awk -v n="$n" -v t0="$t0" -v t1="$t1" \
			'BEGIN { s = (t1 - t0) / 1e9; printf "%.1f %d\n", n / s, n }'
	}
	# The silent partner's cost is a small difference between two rates
	# that drift from run to run: each round measures with and without it
	# back to back (in turn first), and the cost is the median of the
	# rounds' own differences.
	for r in $(seq 1 "$DROUNDS"); do
		log "part 3: round $r of $DROUNDS"
		if [ $((r % 2)) = 1 ]; then
			notify_run "$T/n1.db" daemon >>"$T/d1.a"
			notify_run "$T/n2.db" daemon >>"$T/d2.a"
			notify_run "$T/n1.db" once >>"$T/o1.a"
			notify_run "$T/n2.db" once >>"$T/o2.a"
		else
			notify_run "$T/n2.db" daemon >>"$T/d2.a"
			notify_run "$T/n1.db" daemon >>"$T/d1.a"
			notify_run "$T/n2.db" once >>"$T/o2.a"
			notify_run "$T/n1.db" once >>"$T/o1.a"
		fi
		curl_run >>"$T/d1.b"
		curl_run hang >>"$T/d2.b"
	done
	for f in d1.a d1.b o1.a d2.a d2.b o2.a; do
		log "$f: $(tr '\n' ';' <"$T/$f")"
	done
	# Part 5, the daemon: peak RSS over DMEM deliveries (--once exits
	# when they are all done; /usr/bin/time gives its peak).
	run_db "$T/n10k.db"
	recv_start "$DMEM"
	timeout 600 /usr/bin/time -v -o "$T/notify.time" "$NOTIFY" --db "$T/run.db" --once \
		2>>"$T/notify.log"
	DMEM_N=$(recv_count)
	DMEM_RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$T/notify.time")
	DMEM_OK=$(sqlite3 "$T/run.db" "SELECT count(*) FROM deliveries WHERE state = 'delivered'")
	log "daemon: $DMEM_N requests answered, $DMEM_OK delivered, peak RSS $DMEM_RSS MB"
fi

# ---- part 4: exports ----
if [[ $ONLY == *" export "* ]]; then
	EDB=$(bench_db "$EN" 1 1 "$ECACHE") || exit 1
	EANS=$(sqlite3 "$EDB" "SELECT count(*) FROM answers WHERE response_id = 1 AND version = 1")
	# export_run FORMAT: "SECONDS MB/S PEAK_RSS_MB MB"
	export_run() {
		local out=$T/export.$1 secs rss bytes
		rm -f "$out"
		timeout 900 /usr/bin/time -v -o "$T/export.time" \
			"$KF_CLI" --db "$EDB" export big --format "$1" --output "$out" \
			>/dev/null 2>>"$T/export.log" || { log "export $1 failed"; echo "0 0 0 0"; return; }
		secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
			for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$T/export.time")
		rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$T/export.time")
		bytes=$(stat -c %s "$out")
		rm -f "$out"
		awk -v s="$secs" -v b="$bytes" -v r="$rss" \
			'BEGIN { printf "%.2f %.1f %s %.1f\n", s, (s > 0 ? b / 1048576 / s : 0), r, b / 1048576 }'
	}
	for r in $(seq 1 "$EROUNDS"); do
		log "part 4: round $r of $EROUNDS"
		for fmt in csv csv-long json xlsx; do
			export_run "$fmt" >>"$T/x-$fmt"
		done
	done
	for fmt in csv csv-long json xlsx; do
		log "x-$fmt: $(tr '\n' ';' <"$T/x-$fmt")"
	done
fi

# paired_cost WITHOUT WITH: the median and range over the rounds of how
# much slower each round's run WITH the silent partner was than the same
# round's run WITHOUT it, in % (line r of both files is round r).
paired_cost() {
	paste -d ' ' "$T/$1" "$T/$2" | awk '{ n = NF / 2
		printf "%.1f\n", ($1 > 0 ? (1 - $(n + 1) / $1) * 100 : 0) }' >"$T/$1.cost"
	stats "$T/$1.cost" 1
}

# de_rows: the table's rows of parts 3, 4 and 5 (daemon).
de_rows() {
	local am al ah bm bl bh ratio cost cl ch met cpu fmt s sl sh mbs rss rh mb
	local name target
	if [ -s "$T/d1.a" ]; then
		# drow NAME A B CPU_FILE COST_NOTE
		drow() {
			read -r am al ah < <(stats "$T/$2" 1)
			read -r bm bl bh < <(stats "$T/$3" 1)
			read -r cpu _ _ < <(stats "$T/$2" 3)
			ratio=$(awk -v a="$am" -v b="$bm" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
			met=$(awk -v r="$ratio" -v c="${5:-0}" 'BEGIN { print ((r >= 0.8 && c < 5) ? "yes" : "no") }')
			printf '| %s | %.0f deliveries/s (%.0f–%.0f) | %.0f deliveries/s (%.0f–%.0f) | %s | – | – | %s / – | – | ≥ 0.8%s | %s |\n' \
				"$1" "$am" "$al" "$ah" "$bm" "$bl" "$bh" "$ratio" "$cpu" \
				"${5:+, costs the others < 5 %}" "$met"
		}
		drow "3a. deliveries, keyfield-notify daemon vs curl-multi ($DN events, ${DBODY} B bodies, $DCONC in flight)" d1.a d1.b
		drow "3b. deliveries, keyfield-notify --once vs curl-multi" o1.a d1.b
		read -r cost cl ch < <(paired_cost d1.a d2.a)
		drow "3c. + a partner that never answers, daemon vs curl-multi + the same (costs the others $cost %, rounds $cl–$ch %)" d2.a d2.b "" "$cost"
		read -r cost cl ch < <(paired_cost o1.a o2.a)
		drow "3d. + a partner that never answers, --once vs curl-multi + the same (costs the others $cost %, rounds $cl–$ch %)" o2.a d2.b "" "$cost"
	fi
	if [ -s "$T/x-csv" ]; then
		for fmt in csv csv-long json xlsx; do
			read -r s sl sh < <(stats "$T/x-$fmt" 1)
			read -r mbs _ _ < <(stats "$T/x-$fmt" 2)
			read -r rss _ rh < <(stats "$T/x-$fmt" 3)
			read -r mb _ _ < <(stats "$T/x-$fmt" 4)
			name="$fmt ($(printf %.0f "$mb") MB)"
			case $fmt in
			csv)	name="$fmt, $EN responses × $EANS answers ($(printf %.0f "$mb") MB)"
				target="≥ 50 MB/s, peak RSS < 32 MB"
				met=$(awk -v m="$mbs" -v r="$rh" 'BEGIN { print ((m >= 50 && r < 32) ? "yes" : "no") }') ;;
			xlsx)	# 15 s per 100 000 cards, scaled to EN
				target="≤ 15 s per 100 000 cards, peak RSS < 32 MB"
				met=$(awk -v s="$s" -v n="$EN" -v r="$rh" 'BEGIN { print ((s <= 15 * n / 100000 && r < 32) ? "yes" : "no") }') ;;
			*)	target="peak RSS < 32 MB"
				met=$(awk -v r="$rh" 'BEGIN { print ((r < 32) ? "yes" : "no") }') ;;
			esac
			printf '| 4. export %s | %.2f s (%.2f–%.2f), %.1f MB/s, peak RSS %s MB (max %s) | – | – | – | – | – | – | %s | %s |\n' \
				"$name" "$s" "$sl" "$sh" "$mbs" "$rss" "$rh" "$target" "$met"
		done
	fi
	if [ -n "${DMEM_RSS:-}" ]; then
		read -r rss _ _ < <(stats "$T/d1.a" 4)
		printf '| 5. keyfield-notify peak RSS over %d deliveries (--once; %d delivered) | %s MB (daemon peak in a 3a run: %s MB) | – | – | – | – | – | – | < 20 MB | %s |\n' \
			"$DMEM_N" "$DMEM_OK" "$DMEM_RSS" "$rss" \
			"$(awk -v m="$DMEM_RSS" -v n="$DMEM_OK" -v w="$DMEM" 'BEGIN { print ((m > 0 && m < 20 && n >= w) ? "yes" : "no") }')"
	fi
}
