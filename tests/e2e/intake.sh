#!/usr/bin/env bash
# End to end: an expert's invitation, draft, submit, revise and every
# refusal (400, 403, 404, 409, 413, 422) through real nginx + FastCGI +
# SQLite, driven with curl. Prints "intake: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
kf_start || exit 1

T=$KF_VAR/t
mkdir -p "$T"
JAR=$T/jar
# req [curl args...]: status code; body in $T/body, headers in $T/head
req() { curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' -b "$JAR" -c "$JAR" "$@"; }

# ---- invitation ----
token=${KF_LINK##*/}
check "invitation page answers 200" 200 "$(req "$KF_LINK")"
lacks "... and sets no cookie" "Set-Cookie" "$T/head"
check "its button (a POST) answers 303" 303 "$(req -d '' "$KF_LINK")"
check "invitation redirects to a URL without the token" "/" \
	"$(sed -n 's/^Location: *\([^\r]*\).*/\1/Ip' "$T/head")"
contains "session cookie is HttpOnly" "HttpOnly" "$T/head"
check "home with the session" 200 "$(req "$KF_URL/")"
contains "home lists SF41" "SF41 Cluster Management" "$T/body"
contains "CSP without inline script" "Content-Security-Policy: default-src 'none'" "$T/head"
contains "nosniff" "X-Content-Type-Options: nosniff" "$T/head"
contains "no referrer to other sites" "Referrer-Policy: same-origin" "$T/head"
contains "personal pages are not cached" "Cache-Control: no-store" "$T/head"

# Unknown, malformed and revoked tokens: the same 404 page.
check "unknown token is 404" 404 "$(curl -s -o "$T/u1" -w '%{http_code}' "$KF_URL/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")"
check "malformed token is 404" 404 "$(curl -s -o "$T/u2" -w '%{http_code}' "$KF_URL/i/x'%3Cscript%3E")"
link2=$(kf_cli expert add demo --name "Revoked Expert" --email r@example.org --fields SF41 | tail -n 1)
sql "UPDATE experts SET revoked = 1 WHERE email = 'r@example.org'"
check "revoked token is 404" 404 "$(curl -s -o "$T/u3" -w '%{http_code}' "$link2")"
if cmp -s "$T/u1" "$T/u2" && cmp -s "$T/u1" "$T/u3"; then ok "the same 404 page whatever the reason"; else bad "404 pages differ"; fi
check "no session: 403" 403 "$(curl -s -o /dev/null -w '%{http_code}' "$KF_URL/")"

# ---- the card ----
card=$(sql "SELECT a.id FROM assignments a JOIN fields f ON f.id = a.field_id JOIN experts e ON e.id = a.expert_id WHERE f.code = 'SF41' AND e.email = 'test.expert@example.org'")
check "card page" 200 "$(req "$KF_URL/card/$card")"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$T/body" | head -n 1 | sed 's/.*value="//; s/"$//')
[ -n "$csrf" ] && ok "card has a CSRF token" || bad "card has a CSRF token"
labels=$(grep -o '<label' "$T/body" | wc -l)
[ "$labels" -ge 60 ] && ok "card labels every control ($labels labels)" || bad "card labels ($labels)"

xss='</textarea><script>alert(1)</script>"><svg onload=alert(2)>'
draft=(--data-urlencode "csrf=$csrf" -d revision=0 -d action=save
	-d rating.rating.Fr=7 -d rating.rating.B=8
	--data-urlencode "examples.example.Fr=Freiburg Green City Cluster – Zürich too"
	--data-urlencode "description=$xss"
	--data-urlencode $'indicators=number of cluster groups\n\n  number of participating businesses  \n')

before=$(sql "SELECT count(*) FROM responses")
check "POST without CSRF token: 403" 403 "$(req -d revision=0 -d action=save -d rating.rating.Fr=1 "$KF_URL/card/$card")"
check "POST with a wrong CSRF token: 403" 403 "$(req -d csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA -d revision=0 -d action=save "$KF_URL/card/$card")"
check "POST from a foreign Origin: 403" 403 "$(req -H 'Origin: https://evil.example' "${draft[@]}" "$KF_URL/card/$card")"
check "refused POSTs stored nothing" "$before" "$(sql "SELECT count(*) FROM responses")"

check "save draft: 303" 303 "$(req -H "Origin: $KF_URL" "${draft[@]}" "$KF_URL/card/$card")"
check "draft stored with revision 1" "draft|1|0" "$(sql "SELECT status, revision, version FROM responses")"
check "list items trimmed, blank lines dropped" "number of cluster groups|number of participating businesses" \
	"$(sql "SELECT group_concat(value, '|') FROM (SELECT value FROM answers WHERE question = 'indicators' AND version = 0 ORDER BY item)")"
check "draft is audited" 1 "$(sql "SELECT count(*) FROM audit WHERE action = 'card.save'")"
check "card after saving" 200 "$(req "$KF_URL/card/$card?saved=1")"
contains "saved notice" "Your draft is saved" "$T/body"
contains "hostile text is escaped" "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;svg onload=alert(2)&gt;" "$T/body"
if grep -q '<script>alert' "$T/body"; then bad "hostile text inert"; else ok "hostile text inert"; fi
contains "Unicode kept" "Zürich" "$T/body"

# Another device: a fresh cookie jar and the same link.
check "second device opens the link" 303 "$(curl -s -o /dev/null -w '%{http_code}' -c "$T/jar2" -d '' "$KF_LINK")"
check "second device sees the draft" 200 "$(curl -s -o "$T/dev2" -w '%{http_code}' -b "$T/jar2" "$KF_URL/card/$card")"
contains "second device has the values" "Freiburg Green City Cluster" "$T/dev2"

# ---- submit: 422 with every value kept, then success ----
# card ACTION REVISION [RATING_FOR_C]: the fields of a complete card.
card_args() {
	printf '%s\0' --data-urlencode "csrf=$csrf" -d "action=$1" -d "revision=$2" \
		-d rating.rating.Fr=7 -d rating.rating.B=8 -d "rating.rating.C=${3:-6}" \
		-d rating.rating.NY=6 -d rating.rating.S=1 -d rating.rating.T=8 \
		--data-urlencode "description=Networking, promotion and market access for SMEs." \
		--data-urlencode "economic=Cluster management organises industries." \
		-d sectors.relevance.mobility=high -d sectors.relevance.ict=medium \
		--data-urlencode $'indicators=number of cluster groups\nnumber of participating businesses'
}
mapfile -d '' -t bad_submit < <(card_args submit 1 11)
check "submit with a rating of 11: 422" 422 "$(req "${bad_submit[@]}" "$KF_URL/card/$card")"
contains "the field's own message" 'id="rating.rating.C-issue">Enter a whole number from 0 to 10.' "$T/body"
contains "the summary at the top" 'class="problems"' "$T/body"
contains "typed values shown again" 'value="11"' "$T/body"
contains "typed text shown again" "Cluster management organises industries." "$T/body"
check "422 stored nothing" "draft|1|0" "$(sql "SELECT status, revision, version FROM responses")"

mapfile -d '' -t good_submit < <(card_args submit 1)
check "submit: 303" 303 "$(req "${good_submit[@]}" "$KF_URL/card/$card")"
check "submit redirects to the confirmation" "/card/$card/submitted" \
	"$(sed -n 's/^Location: *\([^\r]*\).*/\1/Ip' "$T/head")"
check "confirmation page" 200 "$(req "$KF_URL/card/$card/submitted")"
contains "confirmation shows the total" "<td>36</td>" "$T/body"
check "version 1 stored" "submitted|2|1" "$(sql "SELECT status, revision, version FROM responses")"
check "version 1 answers kept" 12 "$(sql "SELECT count(*) FROM answers WHERE version = 1")"
check "one card.submitted event" "card.submitted" "$(sql "SELECT group_concat(type) FROM events")"
check "the event is a snapshot of what was submitted" "6|6|36|high" \
	"$(sql "SELECT json_extract(payload, '$.ratings.C'), json_extract(payload_full, '$.ratings.NY'), json_extract(payload, '$.total'), json_extract(payload, '$.sectors.mobility.relevance') FROM events")"

# ---- revise: version 2, version 1 kept ----
mapfile -d '' -t revise < <(card_args submit 2 5)
check "revised submit: 303" 303 "$(req "${revise[@]}" "$KF_URL/card/$card")"
check "version 2 stored" "submitted|3|2" "$(sql "SELECT status, revision, version FROM responses")"
check "version 1 unchanged" 6 "$(sql "SELECT value FROM answers WHERE version = 1 AND question = 'rating.rating' AND row = 'C'")"
check "version 2 has the change" 5 "$(sql "SELECT value FROM answers WHERE version = 2 AND question = 'rating.rating' AND row = 'C'")"
check "card.revised event" "card.submitted,card.revised" "$(sql "SELECT group_concat(type) FROM (SELECT type FROM events ORDER BY id)")"
check "version page" 200 "$(req "$KF_URL/card/$card/v/1")"
check "no version 3" 404 "$(req "$KF_URL/card/$card/v/3")"

# ---- a stale save from another tab: 409, both versions, nothing lost ----
mapfile -d '' -t stale < <(card_args save 2 9)
check "stale save: 409" 409 "$(req "${stale[@]}" "$KF_URL/card/$card")"
contains "409 shows both versions" "Your version (not saved)" "$T/body"
contains "409 keeps the typed value" 'value="9"' "$T/body"
contains "409 offers the current revision" 'name="revision" value="3"' "$T/body"
check "409 stored nothing" "submitted|3|2" "$(sql "SELECT status, revision, version FROM responses")"

# ---- bad bodies: 400, 413; never a 500, nothing stored ----
# bad_body NAME SENTENCE CURL_ARGS...: a save with CURL_ARGS is refused
# with a 400 page that names the problem and says what was wrong.
bad_body() {
	check "$1: 400" 400 "$(req --data-urlencode "csrf=$csrf" -d revision=3 -d action=save "${@:3}" "$KF_URL/card/$card")"
	contains "$1: 400 is a readable page" "<h1>The form could not be read</h1>" "$T/body"
	contains "$1: the 400 page says why" "<p>$2</p>" "$T/body"
}
bad_body "invalid UTF-8" "The form contained text that is not valid UTF-8." -d 'description=%C0%AF'
bad_body "NUL byte" "The form contained a null character." -d 'description=a%00b'
bad_body "bad percent escape" "The form contained an invalid percent escape." -d 'description=%zz'
bad_body "duplicate field" "The form contained the same field twice." -d description=a -d description=b
head -c 300000 /dev/zero | tr '\0' 'a' >"$T/big"
check "body over 256 KB: 413" 413 "$(req --data-urlencode "csrf=$csrf" -d revision=3 -d action=save --data-urlencode "description@$T/big" "$KF_URL/card/$card")"
contains "413 is a readable page" "Too much text" "$T/body"
head -c 1200000 /dev/zero | tr '\0' 'a' >"$T/huge"
check "body over 1 MB (nginx): 413" 413 "$(req --data-urlencode "description@$T/huge" "$KF_URL/card/$card")"
contains "nginx 413 is our page" "Too much text" "$T/body"
check "bad bodies stored nothing" "submitted|3|2" "$(sql "SELECT status, revision, version FROM responses")"

# ---- 404s ----
other=$(kf_cli expert add demo --name "Other Expert" --email o@example.org --fields SF12 | tail -n 1)
kf_cli expert add demo --name "No Field" --email nf@example.org --fields SF99 >/dev/null 2>"$T/err"
check "CLI: an unknown key field: exit 1" 1 $?
contains "CLI: ... names it" 'no key field "SF99" in this campaign' "$T/err"
long=$(printf 'X%.0s' $(seq 300))
kf_cli expert add demo --name "No Field" --email nf@example.org --fields "$long" >/dev/null 2>"$T/err"
check "CLI: a 300-byte code: exit 1" 1 $?
contains "CLI: ... states the rule, not the code" "a code is 1 to 16 characters: letters (of any script)" "$T/err"
if grep -q XXXXXXXXXXXXXXXXX "$T/err"; then bad "CLI: ... the long code is not echoed"; else ok "CLI: ... the long code is not echoed"; fi
other_card=$(sql "SELECT a.id FROM assignments a JOIN experts e ON e.id = a.expert_id WHERE e.email = 'o@example.org'")
check "another expert's card: 404" 404 "$(req "$KF_URL/card/$other_card")"
check "another expert's card, POST: 404" 404 "$(req "${stale[@]}" "$KF_URL/card/$other_card")"
check "no such card: 404" 404 "$(req "$KF_URL/card/999999")"
check "card id overflow: 404" 404 "$(req "$KF_URL/card/99999999999999999999999")"
check "unknown page: 404" 404 "$(req "$KF_URL/nope")"

# ---- a closed campaign refuses changes and says why ----
sql "UPDATE campaigns SET status = 'closed'"
mapfile -d '' -t closed < <(card_args save 3)
check "closed campaign: 409" 409 "$(req "${closed[@]}" "$KF_URL/card/$card")"
contains "closed campaign explains" "campaign has been closed" "$T/body"
sql "UPDATE campaigns SET status = 'open'"

# ---- logs hold no token or session id ----
# Both must be there to look for (a missing session id was looked for as
# "none", which no log holds: the check could not fail).
sid=$(awk '$6 == "kf_session" { print $7 }' "$JAR")
[[ $token =~ ^[A-Za-z0-9_-]{32,}$ ]] && ok "the invitation token to look for" || bad "the invitation token to look for ('$token')"
[[ $sid =~ ^[A-Za-z0-9_-]{32,}$ ]] && ok "the session id to look for" || bad "the session id to look for ('$sid')"
if grep -rqF -e "$token" -e "$sid" "$KF_VAR/log"; then bad "no token or session id in the logs"; else ok "no token or session id in the logs"; fi
if grep -rqE ' 50[0-9] ' "$KF_VAR/log/survey.log"; then bad "no 5xx in the log"; else ok "no 5xx in the log"; fi

checks_done intake
