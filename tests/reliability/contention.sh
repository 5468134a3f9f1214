#!/usr/bin/env bash
# Contention: 32 concurrent writers (curl loops submitting different
# cards), the notifier daemon and a backup loop (keyfield backup) for
# 15 s (LONG=1: 120 s). No 5xx; no SQLITE_BUSY reaching anyone (retries
# are logged and allowed, a transaction that runs out of retries or a
# "database is locked" error is not); every backup passes its integrity
# check and holds every submission acknowledged before it began;
# keyfield-survey committed submissions that came together at once
# (group commit: its debug log); the database passes integrity_check
# afterwards.
# Prints "contention: N passed, N failed".
set -uo pipefail
RL_NAME=contention
. "$(dirname "$0")/lib.sh"

WRITERS=32 DURATION=15
[ -n "$LONG" ] && DURATION=120
# Debug lines: keyfield-survey logs each batch it commits at once.
export KEYFIELD_LOG_LEVEL=debug
rl_start
rl_experts "$WRITERS" cont
body=$(rl_body)
end=$((SECONDS + DURATION))

writer() {
	local i=$1 link=$2 card=$3 jar=$T/jar.$1 k=0 code
	[ "$(rl_login "$link" "$jar")" = 303 ] || { echo "login" >"$T/err.$i"; return; }
	rl_form "$card" "$jar" || { echo "card page" >"$T/err.$i"; return; }
	local rev=$RL_REV csrf=$RL_CSRF
	: >"$T/acked.$i"
	while [ "$SECONDS" -lt "$end" ]; do
		k=$((k + 1))
		code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" \
			-H "Origin: $KF_URL" --max-time 30 --data-binary \
			"csrf=$csrf&revision=$rev&action=submit&$body&description=cont-w$i-k$k" \
			"$KF_URL/card/$card")
		echo "$code" >>"$T/codes.$i"
		if [ "$code" = 303 ]; then
			echo "cont-w$i-k$k" >>"$T/acked.$i"
			rev=$((rev + 1))
		else
			rl_form "$card" "$jar" && rev=$RL_REV
		fi
	done
}

# Back up in a loop; before each, note what had been acknowledged.
backups() {
	local n=0
	while [ "$SECONDS" -lt "$end" ]; do
		n=$((n + 1))
		cat "$T"/acked.* 2>/dev/null | sort >"$T/before.$n"
		if kf_cli backup "$T/backup.$n.db" >"$T/backup.$n.out" 2>&1; then
			sqlite3 "$T/backup.$n.db" "SELECT value FROM answers WHERE question = 'description' AND version > 0" |
				sort -u >"$T/in.$n"
			missing=$(comm -23 "$T/before.$n" "$T/in.$n" | wc -l)
			echo "$n ok $missing $(sed -n 's/.*integrity_check: //p' "$T/backup.$n.out")" >>"$T/backups"
			rm -f "$T/backup.$n.db" "$T/in.$n"
		else
			echo "$n failed" >>"$T/backups"
			sed 's/^/     backup: /' "$T/backup.$n.out"
		fi
		rm -f "$T/before.$n"
		sleep 0.2
	done
}

: >"$T/backups"
pids=()
i=0
while read -r link card; do
	i=$((i + 1))
	writer "$i" "$link" "$card" &
	pids+=($!)
done <"$T/cont.experts"
backups &
pids+=($!)
stop_children() { kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; }
rl_on_exit stop_children
wait "${pids[@]}"

[ -z "$(cat "$T"/err.* 2>/dev/null)" ] && ok "every writer ran" || bad "every writer ran ($(cat "$T"/err.* | sort | uniq -c | tr '\n' ' '))"
total=$(cat "$T"/codes.* | wc -l)
acked=$(cat "$T"/acked.* | wc -l)
echo "     statuses: $(cat "$T"/codes.* | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')"
[ "$acked" -ge "$WRITERS" ] && ok "writes went through ($acked in ${DURATION}s)" || bad "writes went through ($acked)"
check "no 5xx answered" 0 "$(cat "$T"/codes.* | grep -c '^5')"
check "no 5xx in nginx's log" 0 "$(awk '$5 ~ /^5/' "$KF_VAR/log/nginx-access.log" | wc -l)"
check "only 303 (each writer owns its card)" "$total" "$(cat "$T"/codes.* | grep -c '^303$')"
nb=$(wc -l <"$T/backups")
[ "$nb" -ge 3 ] && ok "backups taken ($nb)" || bad "backups taken ($nb)"
check "every backup succeeded with integrity_check ok" "$nb" "$(awk '$2 == "ok" && $4 == "ok"' "$T/backups" | wc -l)"
check "every backup holds what was acknowledged before it" 0 "$(awk '$2 == "ok" { s += $3 } END { print s + 0 }' "$T/backups")"
retries=$(cat "$KF_VAR"/log/*.log | grep -c 'retrying the transaction')
echo "     $retries transaction retries logged (allowed)"
check "no transaction ran out of retries" 0 "$(cat "$KF_VAR"/log/*.log | grep -c 'still busy')"
check "no busy/locked error logged" 0 "$(cat "$KF_VAR"/log/*.log | grep -ciE 'database is locked|database table is locked|SQLITE_BUSY|\(5\)$|\(6\)$|\(517\)|\(261\)')"
check "no 500 logged by a worker" 0 "$(grep -c ' 50[0-9] [0-9]*ms' "$KF_VAR/log/survey.log")"
KF_KEEP=1 kf_stop
# Submissions that came together were committed together (group commit).
most=$(sed -n 's/.*batch: \([0-9]*\) requests, one commit$/\1/p' \
	"$KF_VAR/log/survey.log" | sort -n | tail -n 1)
[ "${most:-0}" -gt 1 ] && ok "submissions committed together (up to $most at once)" ||
	bad "submissions committed together (no batch in survey.log)"
check "integrity_check" ok "$(sql "PRAGMA integrity_check")"
check "foreign_key_check empty" "" "$(sql "PRAGMA foreign_key_check")"
check "every acknowledged submission stored" 0 \
	"$(comm -23 <(cat "$T"/acked.* | sort) <(sql "SELECT value FROM answers WHERE question = 'description' AND version > 0" | sort -u) | wc -l)"
echo "     $acked submissions, $nb backups, $retries retries in ${DURATION}s"
rl_done
