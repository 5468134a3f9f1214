# tests/bench/latency.sh: part 3e of the benchmarks, the time from an
# expert's Submit to the partner's receipt of the event (issue 4: "a new
# event is attempted within 1 s of the commit"). Sourced by run.sh after
# part 3, with its variables and helpers (T, BB, KF_URL, ONLY, expert,
# kf_cli, log). One expert submits BENCH_LATENCY_EVENTS (100) times, one
# at a time, 0-300 ms apart so the daemon is caught idle and busy; for
# each, the latency is http-204's answer time minus the time just before
# the POST (so it includes the POST itself). lat_row prints the row.

LN=${BENCH_LATENCY_EVENTS:-100}

if [[ $ONLY == *" latency "* ]]; then
	LPORT=$(kf_free_port)
	: >"$T/lat.stamps"
	"$BB/http-204" "$LPORT" "$LN" "$T/lat.result" --stamps "$T/lat.stamps" &
	DE_PIDS+=($!)
	for _ in $(seq 100); do [ -e "$T/lat.result.ready" ] && break; sleep 0.05; done
	kf_cli partner add demo latency "http://127.0.0.1:$LPORT/lat" \
		--allow-private >/dev/null || { log "partner add failed"; exit 1; }
	read -r LCARD LSID LCSRF LREV < <(expert latency) ||
		{ log "the latency expert failed"; exit 1; }
	log "part 3e: $LN submissions, one at a time"
	: >"$T/lat.ms"
	lat_failed=0
	for i in $(seq 1 "$LN"); do
		sleep "0.$(printf '%03d' $((RANDOM % 300)))"
		t0=$(date +%s%3N)
		code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Expect:' \
			-b "kf_session=$LSID" --data-binary \
			"csrf=$LCSRF&revision=$LREV&action=submit&$(cat "$T/fields")" \
			"$KF_URL/card/$LCARD")
		[ "$code" = 303 ] || { lat_failed=$((lat_failed + 1)); continue; }
		LREV=$((LREV + 1))
		# Wait for the answer (at most 10 s: a miss counts as failed).
		for _ in $(seq 1000); do
			[ "$(wc -l <"$T/lat.stamps")" -ge $((i - lat_failed)) ] && break
			sleep 0.01
		done
		t1=$(sed -n "$((i - lat_failed))p" "$T/lat.stamps")
		if [ -n "$t1" ]; then echo $((t1 - t0)) >>"$T/lat.ms"
		else lat_failed=$((lat_failed + 1)); fi
	done
fi

# lat_row: the table's row of part 3e.
lat_row() {
	local n p50 p99 max met
	[ -s "$T/lat.ms" ] || return 0
	n=$(wc -l <"$T/lat.ms")
	read -r p50 p99 max < <(sort -n "$T/lat.ms" | awk '{ v[NR] = $1 }
		END { i = int(NR * 0.99 + 0.999); if (i > NR) i = NR
		      print v[int((NR + 1) / 2)], v[i], v[NR] }')
	met=$(awk -v m="$max" -v f="$lat_failed" 'BEGIN { print ((m < 1000 && f == 0) ? "yes" : "no") }')
	printf '| 3e. Submit to the partner'"'"'s receipt (%d submissions, one at a time, through nginx + keyfield-survey + keyfield-notify) | p50 %s ms, p99 %s ms, max %s ms | – | – | %s / %s | – | – | %d | every one < 1 s, 0 failed | %s |\n' \
		"$n" "$p50" "$p99" "$max" "$p50" "$p99" "$lat_failed" "$met"
}
