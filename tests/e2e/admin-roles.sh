#!/usr/bin/env bash
# End to end, the console's access rules (issue 15, findings 2, 4 and 7)
# through real nginx + keyfield-admin + SQLite, driven with curl:
#   - roles per campaign: an administrator sees and changes all; an owner
#     all of her campaigns; a viewer reads and changes nothing (403); a
#     campaign without a role is 404 and not listed; "allow private
#     addresses" and the delivery log's response excerpt are the
#     administrator's only;
#   - cross-campaign ids: every console POST route (and every GET with an
#     id) given an id of another campaign, or an unknown one, answers 404
#     and leaves the database as it was;
#   - a large campaign (10 000 experts, 1 000 key fields) renders, a page
#     at a time.
# Prints "admin-roles: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
kf_start || exit 1

T=$KF_VAR/t
mkdir -p "$T"
A=$KF_URL/admin
# The database without sessions (whose seen_at a request may touch).

# ---- a second campaign, with an expert, a partner and a submitted card ----
kf_cli campaign add other --title "Other campaign" --form keyfield --cities "Fr=Freiburg,B=Berlin" >/dev/null
kf_cli field add other OT1 "Other field" >/dev/null
kf_cli expert add other --name "Other Expert" --email other@example.org --fields OT1 >/dev/null
kf_cli partner add other otherhook https://example.org/hook >/dev/null
kf_cli partner disable other otherhook >/dev/null
kf_cli partner add demo demohook http://127.0.0.1:9/hook --allow-private >/dev/null
kf_cli partner disable demo demohook >/dev/null
sql "INSERT INTO responses (assignment_id, form_id, status, version, updated_at) SELECT a.id, c.form_id, 'submitted', 1, '2026-01-01T00:00:00Z' FROM assignments a JOIN experts e ON e.id = a.expert_id JOIN campaigns c ON c.id = e.campaign_id WHERE c.slug = 'other'"
sql "INSERT INTO response_versions (response_id, version, form_id, submitted_at) SELECT id, 1, form_id, updated_at FROM responses"
sql "INSERT INTO events (event_id, type, campaign_id, payload, payload_full, created_at) SELECT 'msg_t1', 'card.submitted', id, '{}', '{}', '2026-01-01T00:00:00Z' FROM campaigns WHERE slug = 'demo'"
sql "INSERT INTO attempts (delivery_id, at, status, error, latency_ms, body) SELECT id, '2026-01-01T00:00:01Z', 500, '', 3, 'internal-excerpt-4711' FROM deliveries"
OC=$(sql "SELECT id FROM cities WHERE code = 'Fr' AND campaign_id = (SELECT id FROM campaigns WHERE slug = 'other')")
OF=$(sql "SELECT id FROM fields WHERE code = 'OT1'")
OE=$(sql "SELECT id FROM experts WHERE email = 'other@example.org'")
OP=$(sql "SELECT id FROM partners WHERE name = 'otherhook'")
OR=$(sql "SELECT id FROM responses")
DF=$(sql "SELECT id FROM fields WHERE code = 'SF41'")
DE=$(sql "SELECT id FROM experts WHERE email = 'test.expert@example.org'")
DP=$(sql "SELECT id FROM partners WHERE name = 'demohook'")

# ---- coordinators and their roles (finding 7) ----
for u in ana olga vera nina; do
	admin=; [ "$u" = ana ] && admin=--admin
	printf '%s password 1\n' "$u" | kf_cli coordinator add $admin "$u" >/dev/null
done
check "finding 7: coordinator grant owner" 0 "$(kf_cli coordinator grant olga demo owner >/dev/null; echo $?)"
check "finding 7: coordinator grant viewer" 0 "$(kf_cli coordinator grant vera demo viewer >/dev/null; echo $?)"
check "finding 7: grant of an unknown role refused" 1 "$(kf_cli coordinator grant vera demo boss >/dev/null 2>&1; echo $?)"
check "finding 7: grant in an unknown campaign refused" 1 "$(kf_cli coordinator grant vera nosuch viewer >/dev/null 2>&1; echo $?)"
kf_cli coordinator grant nina other owner >/dev/null
check "finding 7: coordinator revoke" 0 "$(kf_cli coordinator revoke nina other >/dev/null; echo $?)"
printf 'pat password 1\n' | kf_cli coordinator add --admin pat >/dev/null
check "finding 7: coordinator admin off" 0 "$(kf_cli coordinator admin pat off >/dev/null; echo $?)"
check "finding 7: coordinator admin of an unknown user refused" 1 "$(kf_cli coordinator admin nobody off >/dev/null 2>&1; echo $?)"
kf_cli coordinator list >"$T/list"
contains "finding 7: coordinator list shows the administrator" "ana administrator" "$T/list"
contains "finding 7: coordinator list shows a role" "olga demo owner" "$T/list"
lacks "finding 7: a revoked role is gone" "nina other" "$T/list"
contains "finding 7: no longer an administrator" "pat (no campaign)" "$T/list"

# Migration 009 makes the coordinators of before administrators: a
# database made by the migrations before it, with a coordinator, opened.
OLD=$T/old.db n=0
for f in "$top_srcdir"/sql/0*.sql; do
	case ${f##*/} in 009-*) break ;; esac
	sqlite3 "$OLD" <"$f" && n=$((n + 1))
done
sqlite3 "$OLD" "PRAGMA user_version = $n; INSERT INTO coordinators (username, password_hash, created_at) VALUES ('early', 'x', '2026-01-01')"
check "finding 7: migration 009 makes existing coordinators administrators" "early administrator" "$("$KF_CLI" --db "$OLD" coordinator list 2>&1)"

JA=$T/jar-ana JO=$T/jar-olga JV=$T/jar-vera JN=$T/jar-nina
CA=$(coordinator_signin ana "$JA") CO=$(coordinator_signin olga "$JO") CV=$(coordinator_signin vera "$JV") CN=$(coordinator_signin nina "$JN")

req "$JO" "$A/" >/dev/null
contains "finding 7: an owner's list shows her campaign" 'href="/admin/c/demo"' "$T/body"
lacks "finding 7: an owner's list hides other campaigns" 'href="/admin/c/other"' "$T/body"
lacks "finding 7: only an administrator sees the create form" 'action="/admin/campaigns"' "$T/body"
req "$JA" "$A/" >/dev/null
contains "finding 7: an administrator's list shows every campaign" 'href="/admin/c/other"' "$T/body"
contains "finding 7: an administrator sees the create form" 'action="/admin/campaigns"' "$T/body"
req "$JN" "$A/" >/dev/null
lacks "finding 7: no role, no campaign listed" 'href="/admin/c/' "$T/body"

check "finding 7: a foreign campaign's 404" 404 "$(req "$JO" "$A/c/other")"
check "finding 7: a foreign campaign's dashboard 404" 404 "$(req "$JO" "$A/c/other/dashboard")"
check "finding 7: a foreign campaign's export 404" 404 "$(req "$JO" "$A/c/other/export/csv")"
check "finding 7: a foreign campaign's card 404" 404 "$(req "$JO" "$A/r/$OR")"
check "finding 7: an administrator reads any card" 200 "$(req "$JA" "$A/r/$OR")"
check "finding 7: an owner may not create a campaign" 403 "$(req "$JO" -d "csrf=$CO" -d slug=olgas -d title=T -d form=keyfield -d cities=A=B "$A/campaigns")"
check "... nothing created" 0 "$(sql "SELECT count(*) FROM campaigns WHERE slug = 'olgas'")"

check "finding 7: a viewer reads the campaign" 200 "$(req "$JV" "$A/c/demo")"
lacks "finding 7: a viewer sees no forms that change" 'action="/admin/c/demo/close"' "$T/body"
lacks "... no add forms" 'action="/admin/c/demo/experts"' "$T/body"
check "finding 7: a viewer reads the dashboard" 200 "$(req "$JV" "$A/c/demo/dashboard")"
check "finding 7: a viewer downloads an export" 200 "$(req "$JV" "$A/c/demo/export/csv")"
before=$(kf_db_digest)
check "finding 7: a viewer's POST: 403" 403 "$(req "$JV" -d "csrf=$CV" "$A/c/demo/close")"
check "finding 7: a viewer's POST to a partner: 403" 403 "$(req "$JV" -d "csrf=$CV" "$A/c/demo/partners/$DP/enable")"
check "finding 7: a viewer's assign: 403" 403 "$(req "$JV" -d "csrf=$CV" -d "f.$DF=1" "$A/c/demo/experts/$DE/assign")"
check "finding 7: a viewer's round start: 403" 403 "$(req "$JV" -d "csrf=$CV" -d sure=1 "$A/c/demo/round")"
check "... a viewer's POSTs change nothing" "$before" "$(kf_db_digest)"
# The console's language is her own, not a campaign's: a viewer sets it.
check "a viewer's POST /admin/lang (her own setting): 303" 303 "$(req "$JV" -d "csrf=$CV" -d lang=de "$A/lang")"
check "... only her row changed" "vera=de" "$(sql "SELECT group_concat(username || '=' || lang) FROM coordinators WHERE lang IS NOT NULL")"
check "... an unknown language: 422" 422 "$(req "$JV" -d "csrf=$CV" -d lang=nosuch "$A/lang")"
kf_cli coordinator lang vera auto >/dev/null
check "finding 7: an owner's POST" 303 "$(req "$JO" -d "csrf=$CO" -d code=Ro -d name=Rome "$A/c/demo/cities")"
req "$JO" "$A/c/demo" >/dev/null
contains "finding 7: an owner sees the forms" 'action="/admin/c/demo/close"' "$T/body"

# Private addresses and response excerpts: the administrator's only.
check "finding 7: an owner's partner with allow_private: 403" 403 "$(req "$JO" -d "csrf=$CO" -d name=internal -d url=http://10.0.0.1/ -d allow_private=1 "$A/c/demo/partners")"
check "... not added" 0 "$(sql "SELECT count(*) FROM partners WHERE name = 'internal'")"
req "$JO" "$A/c/demo/partners" >/dev/null
lacks "finding 7: an owner is not offered allow_private" 'name="allow_private"' "$T/body"
req "$JO" "$A/c/demo/partners/$DP" >/dev/null
lacks "finding 7: an owner does not see the response excerpt" "internal-excerpt-4711" "$T/body"
req "$JA" "$A/c/demo/partners/$DP" >/dev/null
contains "finding 7: an administrator sees the response excerpt" "internal-excerpt-4711" "$T/body"
req "$JA" "$A/c/demo/partners" >/dev/null
contains "finding 7: an administrator is offered allow_private" 'name="allow_private"' "$T/body"

# ---- cross-campaign ids (finding 2): every POST route, every GET with an id ----
VERBS="disable enable rotate test redeliver redeliver-failed"
# posts SLUG CITY FIELD EXPERT PARTNER RESPONSE: "PATH|DATA" of every
# console POST (but sign-in, sign-out and creating a campaign).
posts() {
	local s=$1
	echo "$s/close|"; echo "$s/open|"; echo "$s/round|sure=1"
	echo "$s/mail/invite|"; echo "$s/mail/remind|"
	echo "$s/mail/template/reminder|subject=Zed&body=Zed {link}"
	echo "$s/cities|code=Zz&name=Zed"; echo "$s/fields|code=ZZ1&title=Zed"
	echo "$s/experts|name=Zed&email=zed@example.org"
	echo "$s/fields/import|csv=ZZ2,Zed"; echo "$s/experts/import|csv=Zed,zed2@example.org,SF41"
	echo "$s/partners|name=zed&url=https://example.org/zed"
	echo "demo/cities/$2|name=Zed"; echo "demo/fields/$3|title=Zed"
	echo "demo/final/$3|version=0&rating.Fr=1"; echo "demo/final/$3/publish|version=1&sure=1"
	for v in assign link revoke; do echo "demo/experts/$4/$v|f.$DF=1"; done
	for v in $VERBS; do echo "demo/partners/$5/$v|event=msg_t1&since=2026-01-01"; done
	echo "r:$6/withdraw|"
}
# gets SLUG EXPERT PARTNER RESPONSE FIELD: every console GET with an id.
gets() {
	echo "$1"; echo "$1/dashboard"; echo "$1/export/csv"; echo "$1/partners"
	echo "demo/partners/$3"; echo "demo/experts/$2"
	echo "demo/final/$5"; echo "demo/final/$5/print"
	echo "r:$4"; echo "r:$4/print"
}
url() { case $1 in r:*) echo "$A/r/${1#r:}";; *) echo "$A/c/$1";; esac; }
# table NAME JAR CSRF ONLY: every route (for foreign ids, those matching
# the grep pattern ONLY) with foreign ids, then unknown ones: 404 each.
table() {
	local name=$1 jar=$2 csrf=$3 only=$4 p d codes want got before
	for kind in foreign unknown; do
		if [ $kind = foreign ]; then
			set -- other "$OC" "$OF" "$OE" "$OP" "$OR"
		else
			set -- nosuch 999999 999999 999999 999999 999999 && only=.
		fi
		before=$(kf_db_digest) got= want=
		while IFS='|' read -r p d; do
			codes=$(req "$jar" -d "csrf=$csrf" -d "$d" "$(url "$p")")
			want="$want $p:404" got="$got $p:$codes"
		done < <(posts "$1" "$2" "$3" "$4" "$5" "$6" | grep -e "$only")
		check "finding 2: cross-campaign ids, $kind, POST as $name: 404" "$want" "$got"
		check "finding 2: ... $kind ids as $name change nothing" "$before" "$(kf_db_digest)"
		got= want=
		while read -r p; do
			codes=$(req "$jar" "$(url "$p")")
			want="$want $p:404" got="$got $p:$codes"
		done < <(gets "$1" "$4" "$5" "$6" "$3" | grep -e "$only")
		check "finding 2: cross-campaign ids, $kind, GET as $name: 404" "$want" "$got"
	done
}
table owner "$JO" "$CO" .
# An administrator may see the other campaign: her foreign ids are those
# of another campaign given under demo's address.
table administrator "$JA" "$CA" "^demo/"
grep -c 'FOREIGN KEY' "$KF_VAR"/log/*.log >"$T/fk" 2>/dev/null
check "finding 2: no FOREIGN KEY failure logged" 0 "$(awk -F: '{ n += $NF } END { print n + 0 }' "$T/fk")"

# ---- a large campaign (finding 4): 10 000 experts, 1 000 key fields ----
sql "INSERT INTO campaigns (slug, title, form_id, created_at) SELECT 'big', 'Big campaign', form_id, created_at FROM campaigns WHERE slug = 'demo';
INSERT INTO cities (campaign_id, code, name, position) SELECT (SELECT id FROM campaigns WHERE slug = 'big'), code, name, position FROM cities WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = 'demo');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO fields (campaign_id, code, title) SELECT (SELECT id FROM campaigns WHERE slug = 'big'), 'K' || i, 'Key field number ' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO experts (campaign_id, name, email, created_at) SELECT (SELECT id FROM campaigns WHERE slug = 'big'), printf('Expert %05d', i), 'x' || i || '@example.org', '2026-01-01T00:00:00Z' FROM n;
INSERT INTO assignments (expert_id, field_id) SELECT e.id, f.id FROM experts e JOIN fields f ON f.campaign_id = e.campaign_id WHERE e.campaign_id = (SELECT id FROM campaigns WHERE slug = 'big') AND (f.id + e.id) % 400 = 0;"
: >"$T/log-before"; cat "$KF_VAR"/log/*.log >"$T/log-before" 2>/dev/null
check "finding 4: a 10 000-expert campaign page: 200" 200 "$(req "$JA" "$A/c/big")"
size=$(stat -c %s "$T/body")
if [ "$size" -lt 1048576 ]; then ok "finding 4: ... well under the page cap ($size bytes)"; else bad "finding 4: ... $size bytes"; fi
contains "finding 4: ... counts its experts" "10000 experts" "$T/body"
contains "finding 4: ... links the next page" 'href="/admin/c/big?page=2#experts"' "$T/body"
contains "finding 4: ... shows an expert's key fields" "Expert 00001" "$T/body"
check "finding 4: the last page of experts" 200 "$(req "$JA" "$A/c/big?page=100")"
contains "finding 4: ... holds the last expert" "Expert 10000" "$T/body"
check "finding 4: the 10 000-expert dashboard within 20 s: 200" 200 "$(req "$JA" --max-time 20 "$A/c/big/dashboard")"
size=$(stat -c %s "$T/body")
if [ "$size" -lt 4194304 ]; then ok "finding 4: ... under the page cap ($size bytes)"; else bad "finding 4: ... $size bytes"; fi
contains "finding 4: ... pages its experts' progress" 'href="/admin/c/big/dashboard?page=2#progress-experts"' "$T/body"
check "finding 4: the dashboard's last page of experts" 200 "$(req "$JA" --max-time 20 "$A/c/big/dashboard?page=100")"
contains "finding 4: ... holds the last expert" "Expert 10000" "$T/body"
check "dashboard pager: a page of round 1 by total: 200" 200 \
    "$(req "$JA" --max-time 20 "$A/c/big/dashboard?round=1&order=total&page=2")"
contains "dashboard pager: ... next keeps the round and the order" \
    'href="/admin/c/big/dashboard?round=1&amp;order=total&amp;page=3#progress-experts"' "$T/body"
contains "dashboard pager: ... previous too" \
    'href="/admin/c/big/dashboard?round=1&amp;order=total&amp;page=1#progress-experts"' "$T/body"
check "finding 4: a page past the last: 404" 404 "$(req "$JA" "$A/c/big?page=101")"
check "finding 4: a bad page number: 400" 400 "$(req "$JA" "$A/c/big?page=x")"
BE=$(sql "SELECT id FROM experts WHERE email = 'x1@example.org'")
check "finding 4: one expert's assignment page" 200 "$(req "$JA" "$A/c/big/experts/$BE")"
contains "finding 4: ... a checkbox per key field" 'name="f.' "$T/body"

# ---- every card's ratings of a large key field: capped on the dashboard ----
# Every expert of one key field of "big" (25 of them) submits a rating
# for each city: the dashboard shows 20 of its cards and links the key
# field's own page, which shows all 25.
BF=$(sql "SELECT f.id FROM fields f JOIN assignments a ON a.field_id = f.id JOIN campaigns c ON c.id = f.campaign_id WHERE c.slug = 'big' GROUP BY f.id ORDER BY f.id LIMIT 1")
sql "INSERT INTO responses (assignment_id, form_id, status, version, updated_at) SELECT a.id, c.form_id, 'submitted', 1, '2026-01-02T00:00:00Z' FROM assignments a JOIN fields f ON f.id = a.field_id JOIN campaigns c ON c.id = f.campaign_id WHERE f.id = $BF;
INSERT INTO response_versions (response_id, version, form_id, submitted_at) SELECT r.id, 1, r.form_id, r.updated_at FROM responses r JOIN assignments a ON a.id = r.assignment_id WHERE a.field_id = $BF;
INSERT INTO answers (response_id, version, question, row, value) SELECT r.id, 1, 'rating.rating', ci.code, '5' FROM responses r JOIN assignments a ON a.id = r.assignment_id JOIN fields f ON f.id = a.field_id JOIN cities ci ON ci.campaign_id = f.campaign_id WHERE a.field_id = $BF;"
NB=$(sql "SELECT count(*) FROM responses r JOIN assignments a ON a.id = r.assignment_id WHERE a.field_id = $BF")
check "a key field of big has 25 submitted cards" 25 "$NB"
rated_rows() { grep -c '<tr><th scope="row"><a href="/admin/r/' "$T/body"; }
check "the dashboard with them: 200" 200 "$(req "$JA" --max-time 20 "$A/c/big/dashboard")"
check "... 20 of the key field's cards" 20 "$(rated_rows)"
contains "... says how many it shows" "20 of 25 cards shown." "$T/body"
contains "... links the key field's page" "href=\"/admin/c/big/dashboard?field=$BF&amp;round=1\"" "$T/body"
check "the key field's page: 200" 200 "$(req "$JA" "$A/c/big/dashboard?field=$BF&round=1")"
check "... all 25 cards" 25 "$(rated_rows)"
lacks "... no overview" 'class="data overview"' "$T/body"
contains "... the key field's statistics (median 5)" '<tr class="median"><th scope="row">Median</th><td class="num">5</td>' "$T/body"
check "a key field of another campaign: 404" 404 "$(req "$JA" "$A/c/demo/dashboard?field=$BF")"
check "no such key field: 404" 404 "$(req "$JA" "$A/c/big/dashboard?field=999999999")"
check "a key field that is no number: 404" 404 "$(req "$JA" "$A/c/big/dashboard?field=x")"


# ---- a page over its cap (finding 4): one log line, a readable 503 ----
# 3 000 key fields whose codes and titles are all quotes (each escaped to
# six bytes) make the set-up page and the expert's list of cards larger
# than the 4 MB a page may be.
sql "INSERT INTO campaigns (slug, title, form_id, created_at) SELECT 'wide', 'Wide campaign', form_id, created_at FROM campaigns WHERE slug = 'demo';
INSERT INTO cities (campaign_id, code, name, position) SELECT (SELECT id FROM campaigns WHERE slug = 'wide'), code, name, position FROM cities WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = 'demo');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO fields (campaign_id, code, title) SELECT (SELECT id FROM campaigns WHERE slug = 'wide'), replace(printf('%.70c', '.'), '.', '\"') || i, replace(printf('%.250c', '.'), '.', '\"') FROM n;
INSERT INTO experts (campaign_id, name, email, created_at) SELECT id, 'Wide Expert', 'wide@example.org', created_at FROM campaigns WHERE slug = 'wide';
INSERT INTO assignments (expert_id, field_id) SELECT e.id, f.id FROM experts e JOIN fields f ON f.campaign_id = e.campaign_id WHERE e.email = 'wide@example.org';"
check "finding 4: a page over its cap: 503" 503 "$(req "$JA" "$A/c/wide")"
contains "finding 4: ... a readable page" "This page is too large to show" "$T/body"
check "finding 4: ... one log line naming the page and the cap" 1 "$(cat "$KF_VAR"/log/*.log | grep -c 'keyfield-admin: the page /admin/c/wide hit its cap of 4194304 bytes')"
t=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
h=$(printf '%s' "$t" | sha256sum | cut -d ' ' -f 1)
sql "INSERT INTO sessions (id_hash, kind, subject_id, csrf, created_at, seen_at) SELECT X'$h', 'expert', id, 'x', unixepoch(), unixepoch() FROM experts WHERE email = 'wide@example.org'"
check "finding 4: an expert's page over its cap: 503" 503 "$(curl -s -o "$T/body" -w '%{http_code}' -b "kf_session=$t" "$KF_URL/")"
contains "finding 4: ... a readable page" "This page is too large to show" "$T/body"
check "finding 4: ... one log line naming the page and the cap" 1 "$(cat "$KF_VAR"/log/*.log | grep -c 'keyfield-survey: the page / hit its cap of 4194304 bytes')"

checks_done admin-roles
