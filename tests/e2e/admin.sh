#!/usr/bin/env bash
# End to end: the coordinator console through real nginx + keyfield-admin
# + keyfield-survey + SQLite, driven with curl: sign-in (a wrong password
# is 403 with the form again; after 5 failures of a name from an address,
# 429 with a growing Retry-After there, even for the right password), sessions (new id at sign-in,
# logout ends it on the server, idle and absolute timeouts), CSRF and
# Origin, campaign set-up and CSV imports, invitation links, dashboard
# numbers from cards submitted through the expert pages, withdrawing,
# closing. Prints "admin: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
kf_start || exit 1

T=$KF_VAR/t
mkdir -p "$T"
A=$KF_URL/admin
# req JAR [curl args...]: status code; body in $T/body, headers in $T/head
header() { sed -n "s/^$1: *\([^\r]*\).*/\1/Ip" "$T/head" | head -n 1; }
cookie() { awk -v n="$2" '$6 == n { print $7 }' "$1"; }

# ---- accounts ----
printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
printf 'bob password 123\n' | kf_cli coordinator add --admin bob >/dev/null
check "short password refused" 1 "$(printf 'short\n' | kf_cli coordinator add carl >/dev/null 2>"$T/err"; echo $?)"
contains "short password message" "too short" "$T/err"
check "empty password refused" 1 "$(printf '\n' | kf_cli coordinator add carl >/dev/null 2>&1; echo $?)"
check "password stored as argon2id" 1 "$(sql "SELECT count(*) FROM coordinators WHERE username = 'ana' AND password_hash LIKE '\$argon2id\$%'")"

# ---- sign-in ----
J=$T/jar
check "console without a session redirects to sign-in" 303 "$(req "$J" "$A/")"
check "... to /admin/login" "/admin/login" "$(header Location)"
check "sign-in page" 200 "$(req "$J" "$A/login")"
contains "sign-in page labels the username" '<label for="username">' "$T/body"
tok=$(csrf_of "$T/body")
check "sign-in without the form token: 403" 403 "$(req "$J" -H "Origin: $KF_URL" -d username=ana --data-urlencode 'password=correct horse battery' "$A/login")"
tok=$(csrf_of "$T/body")
check "wrong password: 403" 403 "$(req "$J" --data-urlencode "csrf=$tok" -H "Origin: $KF_URL" -d username=ana -d password=wrong-password "$A/login")"
contains "wrong password: the form again with a message" "The username or password is not right." "$T/body"
contains "wrong password: the typed username kept" 'value="ana"' "$T/body"
tok=$(csrf_of "$T/body")
check "right password: 303" 303 "$(req "$J" --data-urlencode "csrf=$tok" -H "Origin: $KF_URL" -d username=ana --data-urlencode 'password=correct horse battery' "$A/login")"
check "... to the console" "/admin/" "$(header Location)"
contains "session cookie HttpOnly" "HttpOnly" "$T/head"
contains "session cookie SameSite=Strict" "SameSite=Strict" "$T/head"
contains "session cookie scoped to /admin/" "Path=/admin/" "$T/head"
sid1=$(cookie "$J" kf_admin)
check "console with the session" 200 "$(req "$J" "$A/")"
contains "console names the coordinator" "Signed in as ana" "$T/body"
contains "console pages are not cached" "Cache-Control: no-store" "$T/head"
csrf=$(csrf_of "$T/body")
check "failures cleared by a good sign-in" 0 "$(sql "SELECT count(*) FROM login_failures WHERE username = 'ana'")"

# Signing in again gives a new session id; the old one is ended.
cp "$J" "$T/jar-old"
req "$J" "$A/login" >/dev/null
tok=$(csrf_of "$T/body")
req "$J" --data-urlencode "csrf=$tok" -H "Origin: $KF_URL" -d username=ana --data-urlencode 'password=correct horse battery' "$A/login" >/dev/null
sid2=$(cookie "$J" kf_admin)
if [ -n "$sid1" ] && [ -n "$sid2" ] && [ "$sid1" != "$sid2" ]; then ok "session id changes at sign-in"; else bad "session id changes at sign-in ($sid1 / $sid2)"; fi
check "the old session id no longer works" 303 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar-old" "$A/")"
check "one coordinator session stored" 1 "$(sql "SELECT count(*) FROM sessions WHERE kind = 'coordinator'")"
req "$J" "$A/" >/dev/null
csrf=$(csrf_of "$T/body")

# ---- throttling: per name and address (lockout-second-address.sh: a
# stranger's failures do not hold the owner back) ----
L=$T/jar-lock
req "$L" "$A/login" >/dev/null
tok=$(csrf_of "$T/body")
check "a wrong password: 403" 403 "$(req "$L" --data-urlencode "csrf=$tok" -H "Origin: $KF_URL" -d username=bob -d password=wrong "$A/login")"
check "the failure is stored with the address" 1 "$(sql "SELECT count(*) FROM login_failures WHERE username = 'bob' AND addr = '127.0.0.1'")"
# 7 more, just now: 8 in all, 3 over the 5 free ones, so 2^3 = 8 s to wait
sql "INSERT INTO login_failures (username, addr, at) SELECT 'bob', '127.0.0.1', unixepoch() FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7)"
tok=$(csrf_of "$T/body")
check "after 8 failures: 429" 429 "$(req "$L" --data-urlencode "csrf=$tok" -H "Origin: $KF_URL" -d username=bob -d password=wrong "$A/login")"
ra=$(header Retry-After)
if [[ "$ra" =~ ^[0-9]+$ ]] && [ "$ra" -ge 6 ] && [ "$ra" -le 8 ]; then ok "Retry-After in seconds, 2^(8-5) ($ra)"; else bad "Retry-After ($ra)"; fi
contains "429 page explains" "Too many failed sign-ins" "$T/body"
tok=$(csrf_of "$T/body")
check "right password while held back: 429" 429 "$(req "$L" --data-urlencode "csrf=$tok" -H "Origin: $KF_URL" -d username=bob --data-urlencode 'password=bob password 123' "$A/login")"
check "held-back attempts are not counted again" 8 "$(sql "SELECT count(*) FROM login_failures WHERE username = 'bob'")"
check "no session for the held-back account" 1 "$(sql "SELECT count(*) FROM sessions WHERE kind = 'coordinator'")"
check "another account is not held back" 200 "$(req "$J" "$A/")"
# The window passes: failures older than 15 minutes do not count.
sql "UPDATE login_failures SET at = at - 901 WHERE username = 'bob'"
req "$L" "$A/login" >/dev/null
tok=$(csrf_of "$T/body")
check "after the window the right password works" 303 "$(req "$L" --data-urlencode "csrf=$tok" -H "Origin: $KF_URL" -d username=bob --data-urlencode 'password=bob password 123' "$A/login")"

# ---- timeouts, checked on the server: a session made in the database ----
# session NAME: a cookie jar with a fresh session for ana in $T/jar-NAME.
session() {
	local t h
	t=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
	h=$(printf '%s' "$t" | sha256sum | cut -d ' ' -f 1)
	sql "INSERT INTO sessions (id_hash, kind, subject_id, csrf, created_at, seen_at) VALUES (X'$h', 'coordinator', (SELECT id FROM coordinators WHERE username = 'ana'), 'x', unixepoch(), unixepoch())"
	printf '127.0.0.1\tFALSE\t/admin/\tFALSE\t0\tkf_admin\t%s\n' "$t" >"$T/jar-$1"
	echo "$h"
}
h=$(session idle)
check "a fresh session works" 200 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar-idle" "$A/")"
sql "UPDATE sessions SET seen_at = unixepoch() - 31 * 60 WHERE id_hash = X'$h'"
check "idle 31 minutes: sign in again" 303 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar-idle" "$A/")"
check "the idle session is deleted" 0 "$(sql "SELECT count(*) FROM sessions WHERE id_hash = X'$h'")"
h=$(session old)
sql "UPDATE sessions SET seen_at = unixepoch() - 29 * 60 WHERE id_hash = X'$h'"
check "idle 29 minutes: still signed in" 200 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar-old" "$A/")"
sql "UPDATE sessions SET created_at = unixepoch() - 12 * 3600 - 60 WHERE id_hash = X'$h'"
check "older than 12 hours: sign in again" 303 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar-old" "$A/")"
h=$(session expert)
sql "UPDATE sessions SET kind = 'expert' WHERE id_hash = X'$h'"
check "an expert session is not a console session" 303 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar-expert" "$A/")"

# ---- CSRF and Origin ----
before=$(sql "SELECT count(*) FROM campaigns")
check "POST without CSRF token: 403" 403 "$(req "$J" -d slug=x1 -d title=X -d form=keyfield -d cities=A=B "$A/campaigns")"
check "POST with a wrong CSRF token: 403" 403 "$(req "$J" -d csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA -d slug=x1 -d title=X -d form=keyfield -d cities=A=B "$A/campaigns")"
check "POST from a foreign Origin: 403" 403 "$(req "$J" -H 'Origin: https://evil.example' --data-urlencode "csrf=$csrf" -d slug=x1 -d title=X -d form=keyfield -d cities=A=B "$A/campaigns")"
check "POST without a session: 403" 403 "$(curl -s -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$csrf" -d slug=x1 "$A/campaigns")"
check "refused POSTs stored nothing" "$before" "$(sql "SELECT count(*) FROM campaigns")"

# ---- campaigns ----
post() { req "$J" -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" "$@"; }
check "create with a bad slug: 422" 422 "$(post -d 'slug=bad slug' -d title=T -d form=keyfield -d cities=A=B "$A/campaigns")"
contains "bad slug message" "The slug is 1 to 64 letters" "$T/body"
contains "typed title kept" 'value="T"' "$T/body"
check "create with bad cities: 422" 422 "$(post -d slug=eu -d title=T -d form=keyfield --data-urlencode 'cities=Fr Freiburg' "$A/campaigns")"
check "create a campaign: 303" 303 "$(post -d slug=eu --data-urlencode 'title=Europe <2025> & co' -d form=keyfield --data-urlencode $'cities=Fr=Freiburg\nZ=Zürich\n' "$A/campaigns")"
check "... to its page" "/admin/c/eu" "$(header Location)"
check "cities stored in order" "Fr|Freiburg|0,Z|Zürich|1" "$(sql "SELECT group_concat(code || '|' || name || '|' || position) FROM (SELECT * FROM cities WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = 'eu') ORDER BY position)")"
check "creation audited" 1 "$(sql "SELECT count(*) FROM audit WHERE action = 'campaign.add' AND actor = 'coordinator:ana' AND object = 'campaign:eu'")"
check "the same slug again: 409" 409 "$(post -d slug=eu -d title=T -d form=keyfield -d cities=A=B "$A/campaigns")"
check "campaign list" 200 "$(req "$J" "$A/")"
contains "title escaped in the list" "Europe &lt;2025&gt; &amp; co" "$T/body"
check "campaign page" 200 "$(req "$J" "$A/c/eu")"
contains "campaign page lists Zürich" 'value="Zürich"' "$T/body"
check "add a city: 303" 303 "$(post -d code=NY --data-urlencode 'name=New York City' "$A/c/eu/cities")"
check "a duplicate city code: 409" 409 "$(post -d code=NY -d name=Other "$A/c/eu/cities")"
contains "duplicate city explained" "city with this code already" "$T/body"
check "a bad city code: 422" 422 "$(post -d 'code=N Y' -d name=Other "$A/c/eu/cities")"
ny=$(sql "SELECT id FROM cities WHERE code = 'NY' AND campaign_id = (SELECT id FROM campaigns WHERE slug = 'eu')")
check "rename a city: 303" 303 "$(post --data-urlencode 'name=New York' "$A/c/eu/cities/$ny")"
check "city renamed" "New York" "$(sql "SELECT name FROM cities WHERE id = $ny")"
check "rename a city of no campaign: 404" 404 "$(post -d name=X "$A/c/eu/cities/999999")"
check "add a key field: 303" 303 "$(post -d code=SF41 --data-urlencode 'title=Cluster Management' "$A/c/eu/fields")"
check "a bad key field code: 422" 422 "$(post -d 'code=SF  42' -d title=Other "$A/c/eu/fields")"
contains "bad key field code explained" "A key field code is 1 to 16 characters: letters (of any script), digits" "$T/body"
contains "... the typed title kept" 'value="Other"' "$T/body"
check "the CLI refuses the same code" 1 "$(kf_cli field add eu 'SF  42' Other >/dev/null 2>"$T/err"; echo $?)"
contains "... with the same rule" "1 to 16 characters: letters (of any script), digits, '-', '_', '.' and single spaces between them" "$T/err"
f41=$(sql "SELECT id FROM fields WHERE code = 'SF41' AND campaign_id = (SELECT id FROM campaigns WHERE slug = 'eu')")
check "retitle a key field: 303" 303 "$(post --data-urlencode 'title=Cluster management & networks' "$A/c/eu/fields/$f41")"
check "key field retitled" "Cluster management & networks" "$(sql "SELECT title FROM fields WHERE id = $f41")"
check "an empty title: 422" 422 "$(post -d 'title=' "$A/c/eu/fields/$f41")"
contains "... the title rule explained" "A title is 1 to 200 bytes of text." "$T/body"
long=$(printf 'x%.0s' $(seq 201))
check "a 201-byte key field title: 422" 422 "$(post -d code=SF43 -d "title=$long" "$A/c/eu/fields")"
contains "... the same rule" "A title is 1 to 200 bytes of text." "$T/body"
contains "... the typed code kept" 'value="SF43"' "$T/body"
check "... and the CLI refuses it with the same rule" 1 "$(kf_cli field add eu SF43 "$long" >/dev/null 2>"$T/err"; echo $?)"
contains "... CLI message" "title: 1 to 200 bytes of text" "$T/err"
check "a 200-byte title is taken" 303 "$(post -d code=SF43 -d "title=${long:1}" "$A/c/eu/fields")"

# CSV import of key fields: quotes, commas, line breaks in quotes, Unicode.
printf '%s\r\n' 'code,title' 'SF50,"Water, energy and ""smart"" grids"' 'SF51,Zürich – Åsa O'"'"'Connor-Nguyễn 😀' >"$T/fields.csv"
check "import key fields (pasted): 303" 303 "$(post --data-urlencode "csv@$T/fields.csv" "$A/c/eu/fields/import")"
check "quoted title with comma and quotes" 'Water, energy and "smart" grids' "$(sql "SELECT title FROM fields WHERE code = 'SF50'")"
check "Unicode title" "Zürich – Åsa O'Connor-Nguyễn 😀" "$(sql "SELECT title FROM fields WHERE code = 'SF51'")"
before=$(sql "SELECT count(*) FROM fields")
printf 'SF60,Good\nSF50,Duplicate\n' >"$T/dup.csv"
check "import with a code that exists: 422" 422 "$(post --data-urlencode "csv@$T/dup.csv" "$A/c/eu/fields/import")"
contains "the line is named" "Line 2: the campaign has a key field with this code already." "$T/body"
contains "the pasted CSV is shown again" "SF60,Good" "$T/body"
check "... and nothing is imported" "$before" "$(sql "SELECT count(*) FROM fields")"
check "unclosed quote: 422" 422 "$(post --data-urlencode $'csv=SF61,"open\nSF62,x' "$A/c/eu/fields/import")"
contains "unclosed quote explained" "Line 1: a quoted value is not closed." "$T/body"
check "one column only: 422" 422 "$(post --data-urlencode 'csv=SF61' "$A/c/eu/fields/import")"
check "nothing to import: 422" 422 "$(post --data-urlencode 'csv=' "$A/c/eu/fields/import")"
printf 'code,title\nSF70,"From a file, uploaded"\n' >"$T/upload.csv"
check "import key fields from a file upload: 303" 303 "$(req "$J" -F "csrf=$csrf" -F "file=@$T/upload.csv;type=text/csv" -F csv= "$A/c/eu/fields/import")"
check "uploaded title" "From a file, uploaded" "$(sql "SELECT title FROM fields WHERE code = 'SF70'")"
check "an upload without the CSRF token: 403" 403 "$(req "$J" -F "file=@$T/upload.csv" "$A/c/eu/fields/import")"

# Experts: add one, import more.
check "add an expert: 200 with the link" 200 "$(post --data-urlencode "name=Åsa O'Connor-Nguyễn" -d email=asa@example.org -d "f.$f41=1" "$A/c/eu/experts")"
link=$(grep -o 'id="invitation">[^<]*' "$T/body" | sed 's/.*>//')
case "$link" in "$KF_URL/i/"*) ok "the link is shown once ($link)";; *) bad "the link is shown ($link)";; esac
check "only the hash is stored" 0 "$(sql "SELECT count(*) FROM experts WHERE instr(CAST(token_hash AS TEXT), '${link##*/}') > 0")"
check "the expert has SF41" "SF41" "$(sql "SELECT group_concat(f.code) FROM assignments a JOIN fields f ON f.id = a.field_id JOIN experts e ON e.id = a.expert_id WHERE e.email = 'asa@example.org'")"
check "the link shows its page" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$link")"
check "its button signs in" 303 "$(curl -s -o /dev/null -w '%{http_code}' -d '' "$link")"
check "the link is not on the campaign page" 200 "$(req "$J" "$A/c/eu")"
lacks "... no token there" "${link##*/}" "$T/body"
check "a bad e-mail: 422" 422 "$(post -d name=X -d email=not-an-address "$A/c/eu/experts")"
printf '%s\n' 'name,email,fields' '"Nguyễn, Văn ""Ba""",ba@example.org,"SF50 SF51"' 'Chloé Dubois,chloe@example.org,SF41;SF70' >"$T/experts.csv"
check "import experts: 200 with the links" 200 "$(post --data-urlencode "csv@$T/experts.csv" "$A/c/eu/experts/import")"
check "two links shown" 2 "$(grep -o "$KF_URL/i/[A-Za-z0-9_-]*" "$T/body" | sort -u | wc -l)"
check "quoted name with comma and quotes" 'Nguyễn, Văn "Ba"' "$(sql "SELECT name FROM experts WHERE email = 'ba@example.org'")"
check "imported assignments" "SF50,SF51|SF41,SF70" "$(sql "SELECT (SELECT group_concat(code) FROM (SELECT f.code FROM assignments a JOIN fields f ON f.id = a.field_id JOIN experts e ON e.id = a.expert_id WHERE e.email = 'ba@example.org' ORDER BY f.code)) || '|' || (SELECT group_concat(code) FROM (SELECT f.code FROM assignments a JOIN fields f ON f.id = a.field_id JOIN experts e ON e.id = a.expert_id WHERE e.email = 'chloe@example.org' ORDER BY f.code))")"
before=$(sql "SELECT count(*) FROM experts")
check "import with an unknown key field: 422" 422 "$(post --data-urlencode $'csv=A,a@example.org,SF41\nB,b@example.org,SF99' "$A/c/eu/experts/import")"
contains "the unknown code is named" 'Line 2: there is no key field &quot;SF99&quot; in this campaign.' "$T/body"
check "... and nobody is imported" "$before" "$(sql "SELECT count(*) FROM experts")"
check "experts: nothing pasted: 422" 422 "$(post --data-urlencode 'csv=' "$A/c/eu/experts/import")"
contains "... says so" "paste the CSV text" "$T/body"
check "experts: a header row only: 422" 422 "$(post --data-urlencode 'csv=name,email,fields' "$A/c/eu/experts/import")"
contains "... says so" "there are no rows to import." "$T/body"
check "experts: a 201-byte name: 422" 422 "$(post --data-urlencode "csv=$long,long@example.org,SF41" "$A/c/eu/experts/import")"
contains "... the name rule on its line" "Line 1: a name is 1 to 200 bytes of text on one line." "$T/body"
check "experts: unclosed quote: 422" 422 "$(post --data-urlencode $'csv=A,"a@example.org\nB,b@example.org,SF41' "$A/c/eu/experts/import")"
check "... and still nobody is imported" "$before" "$(sql "SELECT count(*) FROM experts")"

# Assign, regenerate, revoke.
asa=$(sql "SELECT id FROM experts WHERE email = 'asa@example.org'")
f50=$(sql "SELECT id FROM fields WHERE code = 'SF50'")
check "assign key fields: 303" 303 "$(post -d "f.$f41=1" -d "f.$f50=1" "$A/c/eu/experts/$asa/assign")"
check "assigned" "SF41,SF50" "$(sql "SELECT group_concat(code) FROM (SELECT f.code FROM assignments a JOIN fields f ON f.id = a.field_id WHERE a.expert_id = $asa ORDER BY f.code)")"
check "new link: 200" 200 "$(post "$A/c/eu/experts/$asa/link")"
link2=$(grep -o 'id="invitation">[^<]*' "$T/body" | sed 's/.*>//')
check "the old link stops working: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$link")"
check "the old link cannot sign in: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' -d '' "$link")"
check "the new link works" 303 "$(curl -s -o /dev/null -w '%{http_code}' -c "$T/jar-asa" -d '' "$link2")"
check "... her session opens her home" 200 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar-asa" "$KF_URL/")"
check "new link audited" 1 "$(sql "SELECT count(*) FROM audit WHERE action = 'expert.link' AND object = 'expert:$asa'")"
check "revoke: 303" 303 "$(post "$A/c/eu/experts/$asa/revoke")"
check "a revoked link: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$link2")"
check "revoking ends her open session at once" 403 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar-asa" "$KF_URL/")"
check "... its row is gone" 0 "$(sql "SELECT count(*) FROM sessions WHERE kind = 'expert' AND subject_id = $asa")"
check "revoke an expert of no campaign: 404" 404 "$(post "$A/c/eu/experts/999999/revoke")"
check "an expert of another campaign: 404" 404 "$(post "$A/c/demo/experts/$asa/revoke")"

# ---- dashboard numbers from cards submitted by experts ----
# submit LINK C-RATING...: an expert opens her link and submits SF41 of
# "demo" with ratings Fr B C NY S T and a mobility relevance.
submit() {
	local link=$1 jar=$T/jar-$RANDOM card c
	shift
	curl -s -o /dev/null -c "$jar" -d '' "$link"
	card=$(curl -s -b "$jar" "$KF_URL/" | grep -o 'href="/card/[0-9]*">SF41' | sed 's|href="/card/\([0-9]*\).*|\1|')
	curl -s -b "$jar" "$KF_URL/card/$card" >"$T/card"
	c=$(csrf_of "$T/card")
	rev=$(grep -o 'name="revision" value="[0-9]*"' "$T/card" | grep -o '[0-9][0-9]*' | head -n 1)
	curl -s -o /dev/null -w '%{http_code}' -b "$jar" --data-urlencode "csrf=$c" -d action=submit -d "revision=${rev:-0}" \
		-d "rating.rating.Fr=$1" -d "rating.rating.B=$2" -d "rating.rating.C=$3" \
		-d "rating.rating.NY=$4" -d "rating.rating.S=$5" -d "rating.rating.T=$6" \
		-d "sectors.relevance.mobility=$7" \
		--data-urlencode "description=Networking for SMEs." -d "indicators=number of clusters" "$KF_URL/card/$card"
}
l2=$(kf_cli expert add demo --name "Zoë Two" --email two@example.org --fields SF41 | tail -n 1)
l3=$(kf_cli expert add demo --name "Ben Three" --email three@example.org --fields SF41 | tail -n 1)
kf_cli expert add demo --name "Dee Draft" --email draft@example.org --fields SF41 >/dev/null
check "expert 1 submits" 303 "$(submit "$KF_LINK" 7 8 6 6 1 8 high)"
check "expert 2 submits version 1" 303 "$(submit "$l2" 5 6 9 4 2 7 low)"
check "expert 2 submits version 2" 303 "$(submit "$l2" 5 6 6 4 2 7 low)"
check "expert 3 submits" 303 "$(submit "$l3" 9 9 3 8 1 6 high)"
check "dashboard" 200 "$(req "$J" "$A/c/demo/dashboard")"
cp "$T/body" "$T/dashboard.html"
# median FIELD: the cells of the median row of a key field's table.
median() { python3 - "$T/dashboard.html" "$1" <<'EOF'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
sec = html[html.index('<h3>%s ' % sys.argv[2]):]
sec = sec[:sec.index("</section>")]
row = re.search(r'<tr class="median">(.*?)</tr>', sec).group(1)
print(" ".join(re.findall(r'<td class="num">([^<]*)</td>', row)))
EOF
}
# Under Total the median of the cards' totals (36, 30, 36), not the sum
# of the cities' medians (35): the statistics of the total, as keyfield
# stats gives them.
check "medians Fr B C NY S T and the total" "7 8 6 6 1 7 36" "$(median SF41)"
contains "the seed's header order" '<abbr title="Freiburg">Fr</abbr></th><th scope="col" class="num"><abbr title="Berlin">B</abbr>' "$T/dashboard.html"
contains "expert 1's row with her total" '<td class="num">7</td><td class="num">8</td><td class="num">6</td><td class="num">6</td><td class="num">1</td><td class="num">8</td><td class="num">36</td>' "$T/dashboard.html"
contains "expert 2's latest version counts" '<td class="num">5</td><td class="num">6</td><td class="num">6</td><td class="num">4</td><td class="num">2</td><td class="num">7</td><td class="num">30</td>' "$T/dashboard.html"
contains "no submissions for SF12 yet" "No submitted cards yet." "$T/dashboard.html"
contains "progress per key field" '<progress id="pf-' "$T/dashboard.html"
contains "SF41: 4 assigned, 3 submitted" 'max="4" value="3" aria-label="SF41 Cluster Management: submitted">3 of 4</progress> 3 of 4 submitted' "$T/dashboard.html"
contains "an SVG chart of the medians" '<svg class="chart" role="img"' "$T/dashboard.html"
lacks "no inline script" "<script" "$T/dashboard.html"
lacks "no style attributes" ' style="' "$T/dashboard.html"
contains "heatmap: mobility high (median of high, low, high)" '<td class="lvl-3">high (3)</td>' "$T/dashboard.html"

# ---- the card view, versions, diff, audit, withdraw ----
r2=$(sql "SELECT r.id FROM responses r JOIN assignments a ON a.id = r.assignment_id JOIN experts e ON e.id = a.expert_id WHERE e.email = 'two@example.org'")
check "card view" 200 "$(req "$J" "$A/r/$r2")"
contains "card in the seed layout" '<table class="ratings">' "$T/body"
contains "version history" 'Version 2</a>' "$T/body"
contains "audit log of the card" "card.submit" "$T/body"
check "diff of versions 1 and 2" 200 "$(req "$J" "$A/r/$r2?from=1&to=2")"
contains "the changed rating" '<del>9</del></td><td><ins>6</ins>' "$T/body"
check "a version that does not exist: 404" 404 "$(req "$J" "$A/r/$r2?v=7")"
check "a bad version number: 404" 404 "$(req "$J" "$A/r/$r2?from=x&to=1")"
check "printable card" 200 "$(req "$J" "$A/r/$r2/print")"
contains "printable card has section 1" "1. Differentiated description of the key field" "$T/body"
check "printable card of version 1" 200 "$(req "$J" "$A/r/$r2/print?v=1")"
check "printable card of a version that does not exist: 404" 404 "$(req "$J" "$A/r/$r2/print?v=7")"
contains "the 404 says so" "This card has no such version." "$T/body"
r3=$(sql "SELECT r.id FROM responses r JOIN assignments a ON a.id = r.assignment_id JOIN experts e ON e.id = a.expert_id WHERE e.email = 'three@example.org'")
check "withdraw a card: 303" 303 "$(post "$A/r/$r3/withdraw")"
check "withdrawn" withdrawn "$(sql "SELECT status FROM responses WHERE id = $r3")"
check "withdrawal audited" 1 "$(sql "SELECT count(*) FROM audit WHERE action = 'card.withdraw' AND object = 'response:$r3' AND actor = 'coordinator:ana'")"
check "withdraw again: 409" 409 "$(post "$A/r/$r3/withdraw")"
check "withdraw without the token: 403" 403 "$(req "$J" "$A/r/$r2/withdraw" -d x=1)"
req "$J" "$A/c/demo/dashboard" >/dev/null
cp "$T/body" "$T/dashboard.html"
check "medians without the withdrawn card (halves shown)" "6 7 6 5 1.5 7.5 33" "$(median SF41)"
check "no such card: 404" 404 "$(req "$J" "$A/r/999999")"

# ---- downloads ----
for fmt in csv csv-long json xlsx md; do
	code=$(req "$J" "$A/c/demo/export/$fmt")
	check "download $fmt: 200" 200 "$code"
	contains "download $fmt is an attachment" "Content-Disposition: attachment; filename=\"demo" "$T/head"
done
check "an unknown format: 404" 404 "$(req "$J" "$A/c/demo/export/exe")"
check "a download of no campaign: 404" 404 "$(req "$J" "$A/c/nope/export/csv")"

# ---- close: experts can no longer submit ----
check "close the campaign: 303" 303 "$(post "$A/c/demo/close")"
check "closed" closed "$(sql "SELECT status FROM campaigns WHERE slug = 'demo'")"
check "closing audited" 1 "$(sql "SELECT count(*) FROM audit WHERE action = 'campaign.close' AND object = 'campaign:demo'")"
check "an expert's POST to a closed campaign: 409" 409 "$(submit "$l2" 1 1 1 1 1 1 none)"
check "reopen: 303" 303 "$(post "$A/c/demo/open")"
check "an expert can submit again" 303 "$(submit "$l2" 1 1 1 1 1 1 none)"
check "campaign close via the CLI" "campaign demo is closed" "$(kf_cli campaign close demo)"
kf_cli campaign open demo >/dev/null

# ---- bad requests: never a 500 ----
check "no such campaign: 404" 404 "$(req "$J" "$A/c/nope")"
check "a hostile slug: 404" 404 "$(req "$J" "$A/c/%3Cscript%3E")"
check "an id overflow: 404" 404 "$(req "$J" "$A/r/99999999999999999999999")"
check "unknown page: 404" 404 "$(req "$J" "$A/nope")"
check "invalid UTF-8: 400" 400 "$(post -d 'title=%C0%AF' "$A/c/eu/fields/$f41")"
head -c 300000 /dev/zero | tr '\0' 'a' >"$T/big"
check "a body over 256 KB: 413" 413 "$(post --data-urlencode "csv@$T/big" "$A/c/eu/fields/import")"
head -c 70000 /dev/zero | tr '\0' 'a' >"$T/70k"
check "a CSV over 64 KB: 413" 413 "$(post --data-urlencode "csv@$T/70k" "$A/c/eu/fields/import")"
check "a broken multipart body: 400" 400 "$(req "$J" -H 'Content-Type: multipart/form-data; boundary=xyz' --data-binary 'garbage' "$A/c/eu/fields/import")"
check "a CSS for the console" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$A/admin.css")"
check "... served as text/css" "text/css; charset=utf-8" "$(curl -s -o /dev/null -w '%{content_type}' "$A/admin.css")"

# ---- logout ends the session on the server ----
cp "$J" "$T/jar-before-logout"
check "logout: 303" 303 "$(post "$A/logout")"
check "the session is deleted" 0 "$(sql "SELECT count(*) FROM sessions WHERE kind = 'coordinator' AND subject_id = (SELECT id FROM coordinators WHERE username = 'ana')")"
check "the old cookie goes to sign-in" 303 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar-before-logout" "$A/")"

# ---- logs ----
if grep -rqF -e "${sid1:-none}" -e "${sid2:-none}" -e "${link##*/}" -e "correct horse" "$KF_VAR/log"; then bad "no session id, token or password in the logs"; else ok "no session id, token or password in the logs"; fi
if grep -q ' 500 ' "$KF_VAR/log/admin.log"; then bad "no 500 in the console log"; else ok "no 500 in the console log"; fi

checks_done admin
