# tests/bench/mail.sh: part 7 of the benchmarks, mail. Sourced by run.sh
# after part 6, with its variables and helpers (T, KF_BIN, KF_CLI, ROUNDS,
# ONLY, BB, bench_db, ECACHE, stats, log, now_ns). A campaign of
# BENCH_MAILS (2 000) experts gets its invitations queued (keyfield mail
# invite); each round, on a fresh copy, keyfield-notify --once composes
# and sends them all over SMTP to a local server (tests/e2e/smtpd.py,
# python3-aiosmtpd, no TLS), then the baseline smtp-loop sends the very
# messages that server received, one libcurl handle in a loop, to a new
# server of the same kind. mail_per_minute is at its maximum (6 000), so
# BENCH_MAILS up to 6 000 are not held back by it.

MAILN=${BENCH_MAILS:-2000}
MAIL_PIDS=()

mail_stop() {
	for p in "${MAIL_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	MAIL_PIDS=()
}

# mail_server DIR: a plain SMTP server writing into DIR; its port in MPORT.
mail_server() {
	mkdir -p "$1"
	MPORT=$(kf_free_port)
	/usr/bin/python3 "$top_srcdir/tests/e2e/smtpd.py" "$MPORT" "$1" \
		"$T/mail/cert.pem" "$T/mail/key.pem" "$T/mail/pw" --plain \
		2>>"$T/mail/smtpd.err" &
	MAIL_PIDS+=($!)
	for _ in $(seq 100); do
		[ -e "$1/ready" ] && return 0
		sleep 0.1
	done
	log "part 7: the SMTP server did not start"
	return 1
}

if [[ $ONLY == *" mail "* ]]; then
	/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null ||
		{ log "part 7 needs python3-aiosmtpd"; exit 1; }
	mkdir -p "$T/mail"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/mail/key.pem" \
		-out "$T/mail/cert.pem" -days 1 -subj /CN=localhost 2>/dev/null
	echo unused >"$T/mail/pw"
	mdb=$(bench_db "$MAILN" 1 1 "$ECACHE") || exit 1
	cp "$mdb" "$T/mail/queued.db" &&
		"$KF_CLI" --db "$T/mail/queued.db" mail invite big >/dev/null ||
		{ log "part 7: cannot queue the invitations"; exit 1; }
	for r in $(seq 1 "$ROUNDS"); do
		log "part 7: round $r of $ROUNDS"
		mail_server "$T/mail/k$r" || exit 1
		cat >"$T/mail/conf" <<EOT
smtp_url = smtp://127.0.0.1:$MPORT
smtp_plain = yes
mail_from = survey@example.org
mail_per_minute = 6000
EOT
		cp "$T/mail/queued.db" "$T/mail/run.db"
		t0=$(now_ns)
		KEYFIELD_CONFIG=$T/mail/conf KEYFIELD_BASE_URL=http://127.0.0.1 \
			timeout 600 "$KF_BIN/keyfield-notify" --db "$T/mail/run.db" \
			--once 2>>"$T/mail/notify.log"
		t1=$(now_ns)
		sent=$(sqlite3 "$T/mail/run.db" "SELECT count(*) FROM mails WHERE status = 'sent'")
		awk -v n="$sent" -v ns=$((t1 - t0)) \
			'BEGIN { printf "%.1f %d\n", n / (ns / 1e9), n }' >>"$T/m.a"
		mail_stop
		mail_server "$T/mail/b$r" || exit 1
		timeout 600 "$BB/smtp-loop" "smtp://127.0.0.1:$MPORT" "$T/mail/k1" \
			"$(ls "$T/mail/k1"/*.eml | wc -l)" >"$T/mail/loop.out"
		awk '{ print $8, $4 }' "$T/mail/loop.out" >>"$T/m.b"
		mail_stop
	done
	log "m.a: $(tr '\n' ';' <"$T/m.a") m.b: $(tr '\n' ';' <"$T/m.b")"
	rm -f "$T/mail/run.db"
fi

# mail_row: part 7's row.
mail_row() {
	local am al ah bm bl bh ratio sent
	[ -s "$T/m.a" ] || return 0
	read -r am al ah < <(stats "$T/m.a" 1)
	read -r bm bl bh < <(stats "$T/m.b" 1)
	read -r sent _ _ < <(stats "$T/m.a" 2)
	ratio=$(awk -v a="$am" -v b="$bm" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	printf '| 7. mail, keyfield-notify --once vs smtp-loop (%d invitations, %s sent) | %.0f messages/s (%.0f–%.0f) | %.0f messages/s (%.0f–%.0f) | %s | – | – | – | %d | ≥ 0.8 | %s |\n' \
		"$MAILN" "$sent" "$am" "$al" "$ah" "$bm" "$bl" "$bh" "$ratio" \
		"$((MAILN - ${sent%.*}))" \
		"$(awk -v r="$ratio" -v s="$sent" -v n="$MAILN" 'BEGIN { print ((r >= 0.8 && s == n) ? "yes" : "no") }')"
}
