#!/usr/bin/env bash
# Secrets at rest (finding 8): partner secrets are sealed with a key kept
# outside the database, so a copy of the database alone cannot sign a
# webhook (tests/e2e/notify.sh checks that signatures still verify):
#   - keyfield init made the key beside the database, 0600 under umask 022;
#   - a partner's secret, as printed once, is nowhere in the database
#     file, its WAL or a backup; the column holds "kfs1:...";
#   - a clear secret of before (written by sqlite3, secret_sealed 0) is
#     sealed the next time a program opens the database with the key;
#   - keyfield secrets rotate NEWKEY makes NEWKEY 0600 and seals every
#     secret anew; the old key no longer opens them (check_store_notify:
#     secrets_need_the_key).
# Prints "secrets-at-rest: N passed, N failed".
set -uo pipefail
RL_NAME=secrets-at-rest
. "$(dirname "$0")/lib.sh"
umask 022
rl_start

mode() { stat -c %a "$1" 2>/dev/null || echo none; }
check "keyfield init made the key, 0600" 600 "$(mode "$KF_DB.key")"
secret=$(kf_cli partner add demo p1 https://example.org/hook | tail -n 1)
case "$secret" in whsec_?*) ok "the secret is printed once";; *) bad "the secret is printed once ($secret)";; esac
raw=${secret#whsec_}
sealed=$(sql "SELECT secret FROM partners WHERE name = 'p1'")
case "$sealed" in kfs1:?*) ok "the column holds it sealed";; *) bad "the column holds it sealed ($sealed)";; esac
check "secret_sealed is 1" 1 "$(sql "SELECT secret_sealed FROM partners WHERE name = 'p1'")"
kf_cli backup "$T/copy.db" >/dev/null
for f in "$KF_DB" "$KF_DB-wal" "$T/copy.db"; do
	if [ -e "$f" ] && grep -qaF -- "$raw" "$f"; then bad "not in $(basename "$f")"; else ok "not in $(basename "$f")"; fi
done
check "the copy has no key beside it" none "$(mode "$T/copy.db.key")"

# a clear secret of before: sealed at the next open with the key
sql "INSERT INTO partners (campaign_id, name, url, secret, created_at) SELECT id, 'old', 'https://example.org/old', 'whsec_T2xkU2VjcmV0T2xkU2VjcmV0', 'x' FROM campaigns WHERE slug = 'demo'"
check "a clear secret of before" 0 "$(sql "SELECT secret_sealed FROM partners WHERE name = 'old'")"
kf_cli partner list demo >/dev/null 2>&1
check "sealed at the next open with the key" 1 "$(sql "SELECT secret_sealed FROM partners WHERE name = 'old'")"
check "... not in clear any more" 0 "$(sql "SELECT count(*) FROM partners WHERE secret LIKE 'whsec_%'")"

# rotation
kf_cli secrets rotate "$KF_VAR/new.key" >"$T/rotate" 2>&1
check "secrets rotate: the new key is 0600" 600 "$(mode "$KF_VAR/new.key")"
after=$(sql "SELECT secret FROM partners WHERE name = 'p1'")
if [ -n "$after" ] && [ "$after" != "$sealed" ]; then ok "sealed anew"; else bad "sealed anew"; fi
check "the old key cannot rotate them again" 1 "$(kf_cli secrets rotate "$KF_VAR/new2.key" >/dev/null 2>&1; echo $?)"
check "the new key can" 0 "$(KEYFIELD_SECRET_KEY_FILE=$KF_VAR/new.key kf_cli secrets rotate "$KF_VAR/new3.key" >/dev/null 2>&1; echo $?)"

rl_done
