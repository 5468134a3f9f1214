#!/usr/bin/env bash
# Backup mode (finding 6): under umask 022, `keyfield backup FILE` and
# its temporary FILE.tmp are created 0600 (they hold every answer,
# address and partner secret), and so is an export written with
# --output. FILE.tmp is seen while the backup runs by a Python loop
# polling for it (20 MB of padding make the copy take 20 steps).
# Prints "backup-mode: N passed, N failed".
set -uo pipefail
RL_NAME=backup-mode
. "$(dirname "$0")/lib.sh"
rl_start

mode() { stat -c %a "$1" 2>/dev/null || echo none; }
umask 022

kf_cli backup "$T/b.db" >/dev/null
check "backup FILE is 0600 under umask 022" 600 "$(mode "$T/b.db")"
check "backup holds the database" 1 \
	"$(sqlite3 "$T/b.db" "SELECT count(*) FROM campaigns WHERE slug = 'demo'")"

# The temporary file, watched while the backup runs.
sql "CREATE TABLE pad (x); INSERT INTO pad SELECT randomblob(1048576) FROM generate_series(1, 20)" 2>/dev/null ||
	sql "CREATE TABLE pad (x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) INSERT INTO pad SELECT randomblob(1048576) FROM n"
python3 - "$T/c.db.tmp" >"$T/tmpmode" <<'PY' &
import os, stat, sys, time
end = time.time() + 10
open(sys.argv[1] + ".ready", "w").close()
while time.time() < end:
    try:
        print("%o" % stat.S_IMODE(os.stat(sys.argv[1]).st_mode))
        break
    except FileNotFoundError:
        pass
else:
    print("unseen")
PY
watcher=$!
wait_for 5 test -e "$T/c.db.tmp.ready"
kf_cli backup "$T/c.db" >/dev/null
wait "$watcher"
check "its temporary FILE.tmp is 0600 too" 600 "$(cat "$T/tmpmode" 2>/dev/null || echo unseen)"

kf_cli export demo --format csv --output "$T/e.csv" >/dev/null 2>&1
check "an export with --output is 0600 under umask 022" 600 "$(mode "$T/e.csv")"

rl_done
