#!/usr/bin/env bash
# End to end: one invitation per e-mail address and campaign, and the CLI
# doing what the console does, through real nginx + FastCGI + SQLite:
# duplicates refused by the CLI (exit 1, naming the expert), the console
# (422, what was typed kept) and skipped by CSV imports in both (per
# line; importing a file twice changes nothing); a database from before
# migration 007 with duplicates gets them reported by name, not merged;
# keyfield campaign list, expert list/import/revoke/relink/assign,
# progress and response withdraw, each with bad arguments (exit 1, a
# message on stderr). Prints "experts: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
kf_start || exit 1

T=$KF_VAR/t
mkdir -p "$T"
A=$KF_URL/admin
experts() { sql "SELECT count(*) FROM experts WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = 'demo')"; }

# ---- the CLI refuses a second invitation ----
kf_cli expert add demo --name "Same Again" --email ' TEST.Expert@Example.org ' \
    --fields SF41 >"$T/out" 2>"$T/err"
check "CLI: the same e-mail (case, blanks): exit 1" 1 $?
contains "... naming the expert invited" \
    "test.expert@example.org is invited to this campaign already, as Test Expert (expert 1)" "$T/err"
lacks "... no link printed" "/i/" "$T/out"
check "... nothing added" 1 "$(experts)"

# ---- the console: 422, what was typed kept ----
printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
J=$T/jar
req "$J" "$A/login" >/dev/null
tok=$(csrf_of "$T/body")
req "$J" -H "Origin: $KF_URL" --data-urlencode "csrf=$tok" -d username=ana \
    --data-urlencode 'password=correct horse battery' "$A/login" >/dev/null
req "$J" "$A/c/demo" >/dev/null
csrf=$(csrf_of "$T/body")
check "console: the same e-mail: 422" 422 "$(req "$J" \
    --data-urlencode "csrf=$csrf" -d 'name=Typed Name' \
    -d email=TEST.EXPERT@example.org "$A/c/demo/experts")"
contains "... naming the expert invited" \
    "is invited to this campaign already, as Test Expert (expert 1)" "$T/body"
contains "... the typed name kept" 'value="Typed Name"' "$T/body"
check "... nothing added" 1 "$(experts)"

# ---- CSV imports skip what is there, twice changes nothing ----
printf '%s\n' 'name,email,fields' 'Bea Berg,bea@example.org,SF41' \
    'Test Again,Test.Expert@example.org,SF12' 'Bea Twice,BEA@example.org,' \
    'Cem Çelik,cem@example.org,"SF41, SF12"' >"$T/experts.csv"
check "console import: 200" 200 "$(req "$J" --data-urlencode "csrf=$csrf" \
    --data-urlencode "csv@$T/experts.csv" "$A/c/demo/experts/import")"
contains "... two imported" "<h1>2 experts imported</h1>" "$T/body"
contains "... line 3 skipped, naming the expert" \
    "Line 3: test.expert@example.org is invited to this campaign already" "$T/body"
contains "... line 4 skipped as a repeat" "Line 4: BEA@example.org is on line 2 already." "$T/body"
check "... three experts now" 3 "$(experts)"
check "console import again: 200" 200 "$(req "$J" --data-urlencode "csrf=$csrf" \
    --data-urlencode "csv@$T/experts.csv" "$A/c/demo/experts/import")"
contains "... none imported" "<h1>0 experts imported</h1>" "$T/body"
check "... changes nothing" 3 "$(experts)"
kf_cli expert import demo "$T/experts.csv" >"$T/out" 2>"$T/err"
check "CLI import of the same file: exit 0" 0 $?
contains "... reports each line" "line 2: skipped: bea@example.org is invited to this campaign already, as Bea Berg" "$T/err"
contains "... and the repeat" "line 4: skipped: BEA@example.org is on line 2 already." "$T/err"
contains "... none imported" "0 experts imported into demo, 4 rows skipped" "$T/out"
check "... changes nothing" 3 "$(experts)"
printf '%s\n' 'Dora,dora@example.org,SF 99' >"$T/bad.csv"
kf_cli expert import demo "$T/bad.csv" >"$T/out" 2>"$T/err"
check "CLI import with an unknown code: exit 1" 1 $?
contains "... says which line" 'Line 1: there is no key field "SF 99" in this campaign. Nothing was imported.' "$T/err"
printf '%s\n' 'Dora,dora@example.org,SF41' 'Eli,eli@example.org,SF12' >"$T/new.csv"
kf_cli expert import demo "$T/new.csv" >"$T/out" 2>"$T/err"
check "CLI import: exit 0" 0 $?
check "... two links" 2 "$(grep -c "^.* <.*> $KF_URL/i/" "$T/out")"
check "... same rules as the console: assignments" "SF41|SF12" \
    "$(sql "SELECT group_concat(f.code, '|') FROM assignments a JOIN experts e ON e.id = a.expert_id JOIN fields f ON f.id = a.field_id WHERE e.email IN ('dora@example.org', 'eli@example.org') ORDER BY e.id")"

# ---- listings ----
kf_cli campaign list >"$T/out"
check "campaign list: exit 0" 0 $?
contains "... a header" "slug  title" "$T/out"
contains "... the campaign" "demo  Test campaign" "$T/out"
check "campaign list --format json" "demo|5" "$(kf_cli campaign list --format json |
    python3 -c 'import json,sys; c=json.load(sys.stdin)[0]; print(c["slug"]+"|"+repr(c["experts"]))')"
check "expert list --format csv" "Cem Çelik|cem@example.org|SF12, SF41" \
    "$(kf_cli expert list demo --format csv | python3 -c 'import csv,sys
for r in csv.DictReader(sys.stdin):
    if r["name"].startswith("Cem"): print(r["name"]+"|"+r["email"]+"|"+r["key_fields"])')"
kf_cli expert list demo >"$T/out"
check "expert list: columns aligned by characters (Cem Çelik)" 1 "$(python3 -c 'import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
at = lines[0].index("status")
print(int(all(l[at:].startswith(("active", "revoked")) for l in lines[1:])))' "$T/out")"

# ---- relink, revoke, assign, withdraw ----
old=$(sql "SELECT hex(token_hash) FROM experts WHERE email = 'bea@example.org'")
kf_cli expert relink demo BEA@example.org >"$T/out" 2>"$T/err"
check "relink: exit 0" 0 $?
link=$(tail -n 1 "$T/out")
check "... the new link is printed last" "$KF_URL/i/" "${link%/*}/"
check "... the new link opens the cards" 303 "$(curl -s -o /dev/null -w '%{http_code}' -c "$T/bea" -d "" "$link")"
if [ "$old" != "$(sql "SELECT hex(token_hash) FROM experts WHERE email = 'bea@example.org'")" ]; then
	ok "... the old link's hash is gone"
else
	bad "... the old link's hash is gone"
fi
kf_cli expert assign demo cem@example.org --fields 'SF12' >"$T/out" 2>"$T/err"
check "assign: exit 0" 0 $?
check "... exactly the fields given" "SF12" "$(sql "SELECT group_concat(f.code) FROM assignments a JOIN experts e ON e.id = a.expert_id JOIN fields f ON f.id = a.field_id WHERE e.email = 'cem@example.org'")"
kf_cli expert assign demo cem@example.org --fields 'NOPE' >"$T/out" 2>"$T/err"
check "assign an unknown code: exit 1" 1 $?
contains "... says so" 'no key field "NOPE" in campaign demo' "$T/err"
kf_cli expert assign demo cem@example.org >"$T/out" 2>"$T/err"
check "assign without --fields: exit 1" 1 $?
contains "... usage" "usage: keyfield expert assign SLUG EMAIL --fields" "$T/err"

# Bea submits SF41 through the card, then the CLI withdraws it.
card=$(sql "SELECT a.id FROM assignments a JOIN experts e ON e.id = a.expert_id JOIN fields f ON f.id = a.field_id WHERE e.email = 'bea@example.org' AND f.code = 'SF41'")
req "$T/bea" "$KF_URL/card/$card" >/dev/null
ccsrf=$(csrf_of "$T/body")
check "Bea submits her card" 303 "$(req "$T/bea" --data-urlencode "csrf=$ccsrf" \
    -d action=submit -d revision=0 -d rating.rating.Fr=7 -d rating.rating.B=8 \
    -d rating.rating.C=6 -d rating.rating.NY=6 -d rating.rating.S=1 -d rating.rating.T=8 \
    --data-urlencode 'description=Networking for SMEs.' --data-urlencode 'economic=Clusters.' \
    -d sectors.relevance.mobility=high --data-urlencode 'indicators=groups' "$KF_URL/card/$card")"
kf_cli progress demo --format json >"$T/progress.json"
check "progress: per key field and per expert" "1|1" "$(python3 -c 'import json,sys
p = json.load(open(sys.argv[1]))
f = [r for r in p if r["by"] == "key_field" and r["key_field_or_expert"].startswith("SF41 ")][0]
e = [r for r in p if r["by"] == "expert" and "bea@example.org" in r["key_field_or_expert"]][0]
print(repr(f["submitted"]) + "|" + repr(e["submitted"]))' "$T/progress.json")"
check "... as on the dashboard" 200 "$(req "$J" "$A/c/demo/dashboard")"
contains "... which says the same of SF41" "1 of 3 submitted" "$T/body"
kf_cli progress demo >"$T/out"
contains "progress: a table by default" "key_field  SF41 Cluster Management" "$T/out"
kf_cli expert assign demo bea@example.org --fields 'SF12' >"$T/out" 2>"$T/err"
check "assign away a card with answers: exit 1" 1 $?
contains "... says why" "A key field with answers cannot be taken away" "$T/err"
kf_cli response withdraw demo bea@example.org SF41 >"$T/out" 2>"$T/err"
check "response withdraw: exit 0" 0 $?
check "... withdrawn, with its event and audit row" "withdrawn|1|1" "$(sql "SELECT r.status,
    (SELECT count(*) FROM events WHERE type = 'card.withdrawn'),
    (SELECT count(*) FROM audit WHERE action = 'card.withdraw' AND actor = 'cli')
    FROM responses r WHERE r.assignment_id = $card")"
kf_cli response withdraw demo bea@example.org SF41 >"$T/out" 2>"$T/err"
check "withdraw again: exit 1" 1 $?
contains "... not submitted" "is not submitted" "$T/err"
kf_cli response withdraw demo nobody@example.org SF41 >"$T/out" 2>"$T/err"
check "withdraw for no such expert: exit 1" 1 $?
contains "... says so" "no expert with the e-mail address nobody@example.org in campaign demo" "$T/err"
check "Bea's session works" 200 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/bea" "$KF_URL/card/$card")"
kf_cli expert revoke demo bea@example.org >"$T/out" 2>"$T/err"
check "revoke: exit 0" 0 $?
check "... her link stops" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$link")"
check "... her session ends" 403 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/bea" "$KF_URL/card/$card")"

# ---- bad arguments: exit 1, a message on stderr ----
bad_args() {
	local name=$1 msg=$2
	shift 2
	kf_cli "$@" >"$T/out" 2>"$T/err"
	check "$name: exit 1" 1 $?
	contains "... $msg" "$msg" "$T/err"
	if [ -s "$T/out" ]; then bad "... nothing on stdout"; else ok "... nothing on stdout"; fi
}
bad_args "campaign list --format xml" "write table, csv or json" campaign list --format xml
bad_args "campaign list EXTRA" "usage: keyfield campaign list" campaign list extra
bad_args "expert list without SLUG" "usage: keyfield expert list SLUG" expert list
bad_args "expert list nosuch" 'no campaign "nosuch"' expert list nosuch
bad_args "expert import without FILE" "usage: keyfield expert import SLUG FILE.csv" expert import demo
bad_args "expert import of no file" "$T/none.csv: No such file or directory" expert import demo "$T/none.csv"
bad_args "expert revoke of nobody" "no expert with the e-mail address x@y.org in campaign demo" expert revoke demo x@y.org
bad_args "expert relink without EMAIL" "usage: keyfield expert relink SLUG EMAIL" expert relink demo
bad_args "progress nosuch" 'no campaign "nosuch"' progress nosuch
bad_args "response withdraw of no key field" 'no key field "NOPE" in campaign demo' response withdraw demo cem@example.org NOPE
for c in "campaign list" "expert list" "expert import" "expert revoke" \
    "expert relink" "expert assign" "progress" "response withdraw"; do
	# shellcheck disable=SC2086
	kf_cli $c --help >"$T/out" 2>&1
	check "$c --help: exit 0" 0 $?
	contains "... usage" "keyfield [--db FILE] $c" "$T/out"
done

# ---- a database from before migration 007, with duplicates ----
OLD=$T/old.db
# The migrations before 007, in order (those after it assume it).
for f in "$top_srcdir"/sql/0*.sql; do
	case $f in *-expert-email-once.sql) break ;; esac
	sqlite3 "$OLD" <"$f"
	n=$((${n:-0} + 1))
done
sqlite3 "$OLD" "PRAGMA user_version = $n;
INSERT INTO forms VALUES (1, 'keyfield', 1, '{}', 'now');
INSERT INTO campaigns (id, slug, title, form_id, created_at) VALUES (1, 'old', 'Old', 1, 'now');
INSERT INTO experts (campaign_id, name, email, token_hash, created_at) VALUES
 (1, 'Ana', 'ana@example.org', x'01', 'now'), (1, 'Ana B', ' ANA@example.org', x'02', 'now'),
 (1, 'Bo', 'bo@example.org', x'03', 'now');"
"$KF_CLI" --db "$OLD" campaign list >"$T/out" 2>"$T/err"
check "migrating a database with duplicates: exit 0" 0 $?
contains "... reports them by name" "campaign old invites ana@example.org 2 times (experts 1, 2)" "$T/err"
check "... merges nothing" 3 "$(sqlite3 "$OLD" "SELECT count(*) FROM experts")"
"$KF_CLI" --db "$OLD" expert list old >"$T/out" 2>"$T/err"
contains "expert list warns of them" "ana@example.org is invited 2 times (experts 1, 2)" "$T/err"
"$KF_CLI" --db "$OLD" field add old F1 T >/dev/null 2>&1
"$KF_CLI" --db "$OLD" expert add old --name X --email ana@EXAMPLE.org \
    --fields F1 >/dev/null 2>"$T/err"
check "a third one is refused: exit 1" 1 $?
contains "... naming the first" "ana@example.org is invited to this campaign already, as Ana (expert 1)" "$T/err"
"$KF_CLI" --db "$OLD" expert revoke old ' ANA@example.org' >/dev/null 2>&1
"$KF_CLI" --db "$OLD" expert list old >"$T/out" 2>"$T/err"
lacks "revoking one ends the warning" "invited 2 times" "$T/err"
if sqlite3 "$OLD" "INSERT INTO experts (campaign_id, name, email, created_at) VALUES (1, 'Z', 'BO@example.org ', 'now')" 2>"$T/err"; then
	bad "the trigger refuses a duplicate written with sqlite3"
else
	ok "the trigger refuses a duplicate written with sqlite3"
fi

checks_done experts
