#!/usr/bin/env bash
# Notifier crash: keyfield-notify is killed with SIGKILL (and restarted)
# again and again while it delivers events to partners whose endpoint
# (tests/e2e/receiver.mjs on /flaky, verifying with the npm package
# standardwebhooks) answers 500 to about 30 % of requests. Events are
# written as the submit path writes them: rows in events, in transactions
# of several (the fan-out trigger makes the deliveries), while the kills
# go on; some transactions are rolled back and some writers are killed in
# the middle of theirs. Then:
#   - every committed event reached its partner with a verified 2xx;
#   - every request verifies, and its webhook-id is the event's own id
#     (so a duplicate, after a kill or a retry, carries the same id);
#   - no event of a rolled-back or killed transaction was ever sent;
#   - every delivery is "delivered"; integrity_check is ok.
# Short form: 5 kills, 300 events; LONG=1: 20 kills, 5000 events.
# Retries: the notifier's schedule starts at 5 s, then 5 min; to stay
# bounded the test moves next_at of waiting retries to now every 0.5 s
# (the schedule itself is tested by tests/e2e/notify.sh).
# NC_MUTATE=commit (the "rolled-back" transactions commit) or drop (the
# first batch loses its deliveries) must make this test fail.
# Prints "notify-crash: N passed, N failed".
set -uo pipefail

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir/var/build}"
NOTIFY=$top_builddir/cgi/keyfield-notify
CLI=$top_builddir/cgi/keyfield
export KEYFIELD_FORMS=$top_srcdir/forms
LONG=${LONG:-}
MUTATE=${NC_MUTATE:-}

if [ -n "$LONG" ]; then
	KILLS=20 EVENTS=5000 CAMPAIGNS=8 BATCH=25 TIMEOUT=600
else
	KILLS=5 EVENTS=300 CAMPAIGNS=4 BATCH=10 TIMEOUT=90
fi
FAIL_PCT=30

for t in "$NOTIFY" "$CLI"; do
	[ -x "$t" ] || { echo "notify-crash: $t is not built" >&2; exit 1; }
done
for t in node sqlite3 python3; do
	command -v "$t" >/dev/null ||
		{ echo "notify-crash: needs $t" >&2; exit 1; }
done
. "$top_srcdir/tests/e2e/checks.sh"
need_npm notify-crash standardwebhooks

T=$(mktemp -d /tmp/keyfield-ncrash.XXXXXX)
DB=$T/keyfield.db
RLOG=$T/receiver.jsonl
NLOG=$T/notify.log
SECRETS=$T/secrets.json
RECEIVER= DAEMON= PRODUCER= NUDGER=

cleanup() {
	local p
	for p in $PRODUCER $NUDGER $DAEMON $RECEIVER; do
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	if [ -z "${KF_KEEP:-}" ]; then rm -rf "$T"; else echo "kept $T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

KF_DB=$DB
. "$top_srcdir/tests/e2e/checks.sh"
. "$top_srcdir/tests/e2e/receiver.sh"
kf() { "$CLI" --db "$DB" "$@"; }
NOW_MS="CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
t_start=$(date +%s)

# ---- set up: campaigns, one partner each, the receiver ----
kf init >/dev/null || { echo "keyfield init failed" >&2; exit 1; }
receiver_secrets "$SECRETS"
receiver_start "$RLOG" "$SECRETS" "$T/port" --fail-pct "$FAIL_PCT" \
    --seed "$$" || exit 1
RECEIVER=$RECEIVER_PID PORT=$RECEIVER_PORT
for c in $(seq 1 "$CAMPAIGNS"); do
	kf campaign add "nc$c" --title "Notifier crash $c" --form keyfield \
	    --cities "Fr=Freiburg" >/dev/null ||
		{ echo "campaign add failed" >&2; exit 1; }
	s=$(kf partner add "nc$c" "p$c" "http://127.0.0.1:$PORT/flaky/nc$c" \
	    --allow-private | tail -n 1)
	case $s in whsec_*) ;; *) echo "partner add failed" >&2; exit 1 ;; esac
	SECRET_OF[/flaky/nc$c]=$s
done
receiver_secrets "$SECRETS"

# ---- the writer: batches of events in transactions ----
# values ID SLUG: the INSERT of one event, as the submit path writes it.
values() {
	printf "INSERT INTO events (event_id, type, campaign_id, payload,
	    payload_full, created_at) SELECT '%s', 'card.submitted', id,
	    '{\"type\":\"card.submitted\",\"id\":\"%s\",\"city\":\"Zürich\"}',
	    '{\"type\":\"card.submitted\",\"id\":\"%s\",\"full\":true}',
	    strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now') FROM campaigns
	    WHERE slug = '%s';\n" "$1" "$1" "$1" "$2"
}
# The writer paces itself to spread the events over the kills.
PACE=$(python3 -c "print(round(max(0.01, ($KILLS * 0.9) / ($EVENTS / $BATCH)), 3))")
producer() {
	local i=0 b=0 id end k sq
	while [ "$i" -lt "$EVENTS" ]; do
		b=$((b + 1))
		end=$((i + BATCH))
		[ "$end" -gt "$EVENTS" ] && end=$EVENTS
		{
			echo "BEGIN IMMEDIATE;"
			for k in $(seq $((i + 1)) "$end"); do
				values "$(printf 'msg_nc%06d' "$k")" \
				    "nc$(( (k % CAMPAIGNS) + 1 ))"
			done
			if [ "$MUTATE" = drop ] && [ "$b" = 1 ]; then
				echo "DELETE FROM deliveries;"
			fi
			echo "COMMIT;"
		} >"$T/batch.sql"
		# A failed batch is tried again (it committed nothing).
		for _ in 1 2 3 4 5; do
			sqlite3 -bail -cmd '.timeout 10000' "$DB" \
			    <"$T/batch.sql" >/dev/null 2>>"$T/producer.err" &&
				break
			sleep 0.2
		done
		for k in $(seq $((i + 1)) "$end"); do
			printf 'msg_nc%06d\n' "$k"
		done >>"$T/committed"
		i=$end
		# Every 4th batch: a transaction rolled back.
		if [ $((b % 4)) = 0 ]; then
			{
				echo "BEGIN IMMEDIATE;"
				values "msg_rb${b}a" "nc1"
				values "msg_rb${b}b" "nc$CAMPAIGNS"
				if [ "$MUTATE" = commit ]; then echo "COMMIT;"
				else echo "ROLLBACK;"; fi
			} | sqlite3 -cmd '.timeout 10000' "$DB" >/dev/null 2>&1
			printf 'msg_rb%da\nmsg_rb%db\n' "$b" "$b" >>"$T/rolledback"
		fi
		# Every 7th batch: a writer killed in the middle of its
		# transaction (it has inserted, not committed).
		if [ $((b % 7)) = 0 ]; then
			mkfifo "$T/fifo.$b"
			sqlite3 -cmd '.timeout 10000' "$DB" <"$T/fifo.$b" \
			    >/dev/null 2>&1 &
			sq=$!
			exec 9>"$T/fifo.$b"
			{
				echo "BEGIN IMMEDIATE;"
				values "msg_kw${b}" "nc2"
				echo "SELECT 'inserted';"
			} >&9
			sleep 0.3
			kill -KILL "$sq" 2>/dev/null
			wait "$sq" 2>/dev/null
			exec 9>&-
			rm -f "$T/fifo.$b"
			printf 'msg_kw%d\n' "$b" >>"$T/rolledback"
		fi
		sleep "$PACE"
	done
}

# Waiting retries are due now (see the header).
nudger() {
	for _ in $(seq $((TIMEOUT * 2 + 240))); do
		sql "UPDATE deliveries SET next_at = $NOW_MS WHERE state =
		    'pending' AND attempts > 0 AND next_at > $NOW_MS + 300" \
		    >/dev/null 2>>"$T/nudger.err"
		sleep 0.5
	done
}

start_daemon() {
	"$NOTIFY" --db "$DB" 2>>"$NLOG" &
	DAEMON=$!
}

: >"$T/committed"
: >"$T/rolledback"
start_daemon
nudger &
NUDGER=$!
producer &
PRODUCER=$!

# ---- the kills ----
kills=0 died=0
for k in $(seq 1 "$KILLS"); do
	sleep "$(python3 -c "import random; print(round(random.uniform(0.4, 1.4), 2))")"
	if ! kill -0 "$DAEMON" 2>/dev/null; then
		died=$((died + 1))
	fi
	kill -KILL "$DAEMON" 2>/dev/null && kills=$((kills + 1))
	wait "$DAEMON" 2>/dev/null
	start_daemon
done
check "the daemon was killed $KILLS times (and restarted)" "$KILLS" "$kills"
check "the daemon never died on its own" 0 "$died"

# ---- until the writer is done and every delivery delivered ----
deadline=$(( $(date +%s) + TIMEOUT ))
while kill -0 "$PRODUCER" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]
do
	sleep 0.2
done
wait "$PRODUCER" 2>/dev/null
PRODUCER=
check "the writer wrote $EVENTS events" "$EVENTS" "$(wc -l <"$T/committed")"
while [ "$(date +%s)" -lt "$deadline" ]; do
	[ "$(sql "SELECT count(*) FROM deliveries WHERE state <> 'delivered'")" = 0 ] &&
		break
	sleep 0.3
done
t_done=$(date +%s)
kill -TERM "$DAEMON" 2>/dev/null
wait "$DAEMON"
check "SIGTERM at the end: the daemon exits 0" 0 $?
DAEMON=
kill -KILL "$NUDGER" 2>/dev/null
wait "$NUDGER" 2>/dev/null
NUDGER=
sleep 0.3
kill -TERM "$RECEIVER" 2>/dev/null
wait "$RECEIVER" 2>/dev/null
RECEIVER=

check "every delivery delivered" "0" \
    "$(sql "SELECT count(*) FROM deliveries WHERE state <> 'delivered'")"
check "one delivery per event" \
    "$(sql "SELECT count(*) FROM events")" \
    "$(sql "SELECT count(*) FROM deliveries")"
sql "SELECT event_id FROM events ORDER BY event_id" >"$T/events"
sort -o "$T/committed" "$T/committed"
if cmp -s "$T/events" "$T/committed"; then
	ok "the database holds exactly the committed events ($(wc -l <"$T/events"))"
else
	bad "the database holds exactly the committed events: $(diff "$T/committed" "$T/events" | head -n 5 | tr '\n' ' ')"
fi
check "integrity_check" ok "$(sql "PRAGMA integrity_check")"

# ---- what the receiver saw ----
python3 - "$RLOG" "$T/committed" "$T/rolledback" "$CAMPAIGNS" \
    >"$T/verdict" <<'EOF'
import json, sys
reqs = [r for r in (json.loads(l) for l in open(sys.argv[1])
        if l.endswith("\n")) if r["kind"] == "request"]
def body_id(r):
    try:
        return json.loads(r["body"]).get("id")
    except ValueError:
        return None
committed = [l.strip() for l in open(sys.argv[2]) if l.strip()]
rolled = [l.strip() for l in open(sys.argv[3]) if l.strip()]
ncamp = int(sys.argv[4])
def path_of(i):
    return "/flaky/nc%d" % (int(i[len("msg_nc"):]) % ncamp + 1)
ok200 = {}
for r in reqs:
    if r["status"] == 200:
        ok200.setdefault((r["path"], r["id"]), []).append(r)
missing = [i for i in committed if not any(r["verified"] for r in
           ok200.get((path_of(i), i), []))]
unverified = [r for r in reqs if not r["verified"]]
mismatch = [r for r in reqs if body_id(r) != r["id"]]
known = set(committed)
invented = sorted({r["id"] for r in reqs} - known)
sent_rolled = sorted({r["id"] for r in reqs} & set(rolled))
dups = sum(1 for v in ok200.values() if len(v) > 1)
fails = sum(1 for r in reqs if r["status"] != 200)
def line(name, value, detail=""):
    print("%s\t%s\t%s" % (name, value, detail))
line("requests", len(reqs))
line("failed", fails)
line("pct", round(100.0 * fails / max(1, len(reqs)), 1))
line("missing", len(missing), " ".join(missing[:5]))
line("unverified", len(unverified), json.dumps(unverified[:2]))
line("mismatch", len(mismatch), json.dumps(mismatch[:2]))
line("invented", len(invented), " ".join(invented[:5]))
line("rolled", len(rolled))
line("sent_rolled", len(sent_rolled), " ".join(sent_rolled[:5]))
line("dups", dups)
EOF
v() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$T/verdict"; }
vd() { awk -F'\t' -v k="$1" '$1 == k { print $3 }' "$T/verdict"; }
nreq=$(v requests) pct=$(v pct)
echo "     $nreq requests, $(v failed) answered 500 ($pct %), $(v dups) events delivered twice or more"
check "every committed event arrived, verified (missing: $(vd missing))" 0 "$(v missing)"
check "every request verifies with standardwebhooks" 0 "$(v unverified)"
check "every webhook-id is its event's id, duplicates included" 0 "$(v mismatch)"
check "no request for an event that was never committed ($(vd invented))" 0 "$(v invented)"
[ "$(v rolled)" -gt 0 ] && ok "$(v rolled) events in rolled-back or killed transactions" ||
	bad "rolled-back transactions were made"
check "no event of a rolled-back transaction was sent ($(vd sent_rolled))" 0 "$(v sent_rolled)"
if python3 -c "import sys; sys.exit(not (15 <= $pct <= 45))"; then
	ok "the receiver failed about $FAIL_PCT % of requests ($pct %)"
else
	bad "the receiver failed about $FAIL_PCT % of requests ($pct %)"
fi
check "no 'finished but not in flight' in the daemon's log" 0 \
    "$(grep -c 'not in flight' "$NLOG")"

echo "     $EVENTS events, $kills kills: delivered in $((t_done - t_start)) s"
[ "$fail" = 0 ] || { echo "--- notify.log (tail)"; tail -n 20 "$NLOG"; }
checks_done notify-crash
