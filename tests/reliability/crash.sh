#!/usr/bin/env bash
# Crash: submissions from 16 concurrent clients (one expert each: saves
# of one card conflict by design) to the expert card endpoint while
# keyfield-survey workers are killed with SIGKILL and multiwatch restarts
# them. Every submission that got its 303 is stored exactly once, nothing
# is stored twice, one event per version, integrity_check ok,
# foreign_key_check empty. Short: 200 submissions, 10 kills; LONG=1:
# 2000 and 50. Prints "crash: N passed, N failed".
set -uo pipefail
RL_NAME=crash
. "$(dirname "$0")/lib.sh"

CLIENTS=16 TOTAL=200 KILLS=10 LIMIT=120
[ -n "$LONG" ] && TOTAL=2000 KILLS=50 LIMIT=600
# multiwatch gives up on a worker slot that dies 4 times within 10 s of
# being started (-r 3 -t 10000, not settable through etc/serve): kill a
# worker at most 3 times in a row young, else only once it is 10 s old.
export KEYFIELD_WORKERS=8
YOUNG_KILLS=3 OLD_AGE=11
rl_start

rl_experts "$CLIENTS" crash
body=$(rl_body)
per=$(( (TOTAL + CLIENTS - 1) / CLIENTS ))
deadline=$((SECONDS + LIMIT))

signed_in() { [ "$(rl_login "$1" "$2")" = 303 ]; }

# client I LINK CARD: $per submissions; "ack I K" for each 303 in
# $T/acked.I, every other status counted in $T/codes.I.
client() {
	local i=$1 link=$2 card=$3 jar=$T/jar.$1 k code rev csrf
	# The killer starts with the clients: a login or a card read may meet
	# a dying worker (502) and is simply tried again, for up to 5 s.
	wait_for 5 signed_in "$link" "$jar" ||
		{ echo "login failed" >"$T/err.$i"; return; }
	: >"$T/acked.$i"
	: >"$T/codes.$i"
	rev= csrf=
	for k in $(seq 1 "$per"); do
		[ $((i + (k - 1) * CLIENTS)) -le "$TOTAL" ] || break
		[ "$SECONDS" -lt "$deadline" ] || break
		if [ -z "$rev" ]; then
			wait_for 5 rl_form "$card" "$jar" ||
				{ echo "card page unreachable" >"$T/err.$i"; return; }
			rev=$RL_REV csrf=$RL_CSRF
		fi
		code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" \
			-H "Origin: $KF_URL" --max-time 30 --data-binary \
			"csrf=$csrf&revision=$rev&action=submit&$body&description=crash-c$i-k$k" \
			"$KF_URL/card/$card")
		echo "$code" >>"$T/codes.$i"
		if [ "$code" = 303 ]; then
			echo "crash-c$i-k$k" >>"$T/acked.$i"
			rev=$((rev + 1))
		else
			rev=	# unknown outcome: read the revision again
		fi
	done
}

# Kill workers with SIGKILL, KILLS times, spread over the run.
killer() {
	local n=0 pid age young
	declare -A youngs=()
	while [ "$n" -lt "$KILLS" ] && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.$((RANDOM % 3 + 1))
		for pid in $(rl_workers | shuf); do
			age=$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ')
			[ -n "$age" ] || continue
			young=${youngs[$pid]:-0}
			if [ "$age" -ge "$OLD_AGE" ]; then young=0
			elif [ "$young" -ge "$YOUNG_KILLS" ]; then continue; fi
			before=$(rl_workers | sort)
			kill -KILL "$pid" 2>/dev/null || continue
			n=$((n + 1))
			echo "$n" >"$T/kills"
			# The replacement inherits the count of young kills.
			for _ in $(seq 50); do
				new=$(comm -13 <(echo "$before") <(rl_workers | sort) | head -n 1)
				[ -n "$new" ] && break
				sleep 0.05
			done
			[ -n "$new" ] && youngs[$new]=$((young + 1))
			break
		done
	done
}

echo 0 >"$T/kills"
pids=()
i=0
while read -r link card; do
	i=$((i + 1))
	client "$i" "$link" "$card" &
	pids+=($!)
done <"$T/crash.experts"
killer &
killer_pid=$!
stop_children() { kill "${pids[@]}" "$killer_pid" 2>/dev/null; wait 2>/dev/null; }
rl_on_exit stop_children
wait "${pids[@]}"
# The clients may finish first: keep killing until done or out of time.
wait "$killer_pid"

cat "$T"/err.* 2>/dev/null | sort | uniq -c | sed 's/^/client error: /'
[ -z "$(cat "$T"/err.* 2>/dev/null)" ] && ok "every client ran" || bad "every client ran"
attempts=$(cat "$T"/codes.* | wc -l)
acked=$(cat "$T"/acked.* | wc -l)
check "submissions attempted" "$TOTAL" "$attempts"
check "workers killed with SIGKILL" "$KILLS" "$(cat "$T/kills")"
echo "     statuses: $(cat "$T"/codes.* | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')"
[ "$acked" -ge $((TOTAL / 2)) ] && ok "most submissions acknowledged ($acked)" ||
	bad "most submissions acknowledged ($acked of $TOTAL)"
bad5=$(cat "$T"/codes.* | grep -cvE '^(303|409|502)$')
check "only 303, 409 (stale after a lost answer) or 502 (worker killed)" 0 "$bad5"
[ -n "$(rl_workers)" ] && ok "workers still running after the kills" || bad "workers still running after the kills"

# Stop the server, then read the database alone.
KF_KEEP=1 kf_stop
sql "SELECT value FROM answers WHERE question = 'description' AND version > 0" | sort >"$T/stored"
cat "$T"/acked.* | sort >"$T/acked"
check "every acknowledged submission stored" 0 "$(comm -23 "$T/acked" <(sort -u "$T/stored") | wc -l)"
check "nothing stored twice" 0 "$(uniq -d "$T/stored" | wc -l)"
check "nothing stored that was never sent" 0 "$(grep -cv '^crash-c[0-9]*-k[0-9]*$' "$T/stored")"
check "one event per version" "$(sql "SELECT count(*) FROM response_versions")" "$(sql "SELECT count(*) FROM events")"
check "versions without gaps" 0 "$(sql "SELECT count(*) FROM responses r WHERE r.version != (SELECT count(*) FROM response_versions v WHERE v.response_id = r.id)")"
check "integrity_check" ok "$(sql "PRAGMA integrity_check")"
check "foreign_key_check empty" "" "$(sql "PRAGMA foreign_key_check")"
echo "     $acked acknowledged, $(wc -l <"$T/stored") stored, $(cat "$T/kills") kills, $(grep -c 'restart\|died' "$KF_VAR/log/survey.log" 2>/dev/null) multiwatch notes"
rl_done
