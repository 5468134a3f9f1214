#!/usr/bin/env bash
# Double submit: the same submit form posted 20 times at once (curl
# --parallel) stores one version and one event; the other 19 get 409, the
# designed answer for a stale revision. Short: 3 rounds; LONG=1: 20.
# Prints "double-submit: N passed, N failed".
set -uo pipefail
RL_NAME=double-submit
. "$(dirname "$0")/lib.sh"
rl_start

ROUNDS=3 AT_ONCE=20
[ -n "$LONG" ] && ROUNDS=20
rl_experts 1 ds
read -r link card <"$T/ds.experts"
jar=$T/jar
check "invitation" 303 "$(rl_login "$link" "$jar")"
resp=0
for round in $(seq 1 "$ROUNDS"); do
	rl_form "$card" "$jar" || { bad "round $round: card page"; continue; }
	versions=$(sql "SELECT count(*) FROM response_versions")
	events=$(sql "SELECT count(*) FROM events")
	body="csrf=$RL_CSRF&revision=$RL_REV&action=submit&$(rl_body)&description=round+$round"
	urls=()
	for _ in $(seq "$AT_ONCE"); do urls+=("$KF_URL/card/$card"); done
	codes=$(curl -s -Z --parallel-immediate --parallel-max "$AT_ONCE" \
		-b "$jar" -H "Origin: $KF_URL" --data-binary "$body" \
		-w '\nCODE=%{http_code}\n' "${urls[@]}" 2>/dev/null |
		sed -n 's/^CODE=//p' | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
	check "round $round: one 303, the rest 409" "1×303 $((AT_ONCE - 1))×409 " "$codes"
	check "round $round: one version stored" $((versions + 1)) "$(sql "SELECT count(*) FROM response_versions")"
	check "round $round: one event" $((events + 1)) "$(sql "SELECT count(*) FROM events")"
	resp=$((resp + 1))
done
check "versions are 1..$ROUNDS" "$(seq -s, 1 "$ROUNDS")" \
	"$(sql "SELECT group_concat(version) FROM (SELECT version FROM response_versions ORDER BY version)")"
check "each submission's text stored once" "$ROUNDS" \
	"$(sql "SELECT count(DISTINCT value) FROM answers WHERE question = 'description' AND version > 0")"
check "no 5xx in the access log" 0 "$(awk '$5 ~ /^5/' "$KF_VAR/log/nginx-access.log" | wc -l)"
rl_done
