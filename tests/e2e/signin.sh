#!/usr/bin/env bash
# End to end: signing in with an invitation link, and nothing typed lost.
#   - GET /i/TOKEN (a mail scanner, a preview) shows a page and sets
#     nothing: no cookie, no session row; its button (a POST) signs in;
#   - login CSRF: a POST from another site (Origin, Sec-Fetch-Site) is
#     refused; unknown and revoked tokens: the same 404 as a GET;
#   - another expert signed in on the browser: the page says so and asks;
#     switching ends her session;
#   - the sweep of expired sessions at sign-in; at most 10 per expert;
#   - session lengths: 14 days idle, 90 days absolute;
#   - a card POST without a session (or with a stale CSRF token): 403
#     with every value posted; the invitation link (whole or bare) signs
#     her in and shows the card with those values, not saved; a wrong
#     link or another expert's: the same page again, values kept;
#     nothing written before she saves;
#   - the console: a form posted without a session gets the sign-in form
#     carrying what was typed (never a password), shown again after the
#     sign-in with a link back; a stale CSRF token: the values to copy.
# Prints "signin: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
kf_start || exit 1

T=$KF_VAR/t
mkdir -p "$T"
# code [curl args...]: status; body in $T/body, headers in $T/head
code() { curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' "$@"; }
cookie() { awk '$6 == "kf_session" { print $7 }' "$1" 2>/dev/null | tail -n 1; }
hashhex() { printf '%s' "$1" | sha256sum | cut -d' ' -f1 | tr a-f A-F; }
rows() { sql "SELECT count(*) FROM sessions WHERE hex(id_hash) = '$(hashhex "$1")'"; }
expert_rows() { sql "SELECT count(*) FROM sessions WHERE kind = 'expert'"; }

# ---- GET sets nothing ----
check "GET of the link: 200" 200 "$(code "$KF_LINK")"
lacks "... no cookie" "Set-Cookie" "$T/head"
contains "... names the campaign" "<h1>Test campaign</h1>" "$T/body"
contains "... one button" '<button type="submit">Open my key fields</button>' "$T/body"
contains "... not cached" "Cache-Control: no-store" "$T/head"
for _ in 1 2 3 4 5; do code "$KF_LINK" >/dev/null; code -I "$KF_LINK" >/dev/null; done
check "ten GETs and HEADs (a mail scanner): no session row" 0 "$(expert_rows)"

# ---- login CSRF: the POST must come from our own page ----
check "POST from another Origin: 403" 403 "$(code -H 'Origin: https://evil.example' -d '' "$KF_LINK")"
contains "... says why" "Sign-in refused" "$T/body"
check "POST with Origin null: 403" 403 "$(code -H 'Origin: null' -d '' "$KF_LINK")"
check "POST cross-site (Sec-Fetch-Site): 403" 403 "$(code -H 'Sec-Fetch-Site: cross-site' -H "Origin: $KF_URL" -d '' "$KF_LINK")"
check "POST same-site but another origin: 403" 403 "$(code -H 'Sec-Fetch-Site: same-site' -d '' "$KF_LINK")"
lacks "... no cookie" "Set-Cookie" "$T/head"
check "refused POSTs: no session row" 0 "$(expert_rows)"
check "unknown token, GET: 404" 404 "$(curl -s -o "$T/u1" -w '%{http_code}' "$KF_URL/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")"
check "unknown token, POST: 404" 404 "$(curl -s -o "$T/u2" -w '%{http_code}' -d '' "$KF_URL/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")"
cmp -s "$T/u1" "$T/u2" && ok "the same 404 page for GET and POST" || bad "the same 404 page for GET and POST"

J=$T/jar
check "POST from our page (Sec-Fetch-Site same-origin, Origin null): 303" 303 \
	"$(code -c "$J" -H 'Sec-Fetch-Site: same-origin' -H 'Origin: null' -d '' "$KF_LINK")"
check "POST with our Origin: 303" 303 "$(code -b "$J" -c "$J" -H "Origin: $KF_URL" -d '' "$KF_LINK")"
contains "... to the home page" "Location: /" "$T/head"
contains "... a cookie of 90 days" "Max-Age=7776000" "$T/head"
check "one session row (the first ended by the second)" 1 "$(expert_rows)"
check "home" 200 "$(code -b "$J" "$KF_URL/")"
contains "... hers" "Welcome, Test Expert" "$T/body"

# ---- switching asks, and ends the other session ----
linkB=$(kf_cli expert add demo --name "Bea O'Brien <b>" --email bea@example.org --fields SF12 | tail -n 1)
sA=$(cookie "$J")
check "GET of B's link while A is signed in: 200" 200 "$(code -b "$J" "$linkB")"
contains "... says who is signed in" "You are signed in on this browser as Test Expert (Test campaign)." "$T/body"
contains "... asks (name escaped)" "Continue as Bea O&#39;Brien &lt;b&gt;?" "$T/body"
contains "... its button" "Continue as Bea O&#39;Brien &lt;b&gt;</button>" "$T/body"
check "... A still signed in" 1 "$(rows "$sA")"
check "B's button: 303" 303 "$(code -b "$J" -c "$J" -d '' "$linkB")"
check "A's session on this browser ended" 0 "$(rows "$sA")"
check "home is B's" 200 "$(code -b "$J" "$KF_URL/")"
contains "... Welcome, Bea" "Welcome, Bea O&#39;Brien &lt;b&gt;" "$T/body"
check "GET of B's own link: already signed in" 200 "$(code -b "$J" "$linkB")"
contains "... says so" "You are already signed in on this browser" "$T/body"

# ---- sweep and cap ----
sql "INSERT INTO sessions VALUES (randomblob(32), 'expert', 1, 'x', unixepoch() - 100 * 86400, unixepoch() - 60),
	(randomblob(32), 'expert', 1, 'x', unixepoch() - 20 * 86400, unixepoch() - 15 * 86400),
	(randomblob(32), 'expert', 2, 'x', unixepoch() - 86400, unixepoch() - 3600)"
check "three more rows (two expired)" 4 "$(expert_rows)"
check "a sign-in" 303 "$(code -c "$T/jar-s" -d '' "$KF_LINK")"
check "the sweep deleted the two expired, kept the live ones" 3 "$(expert_rows)"
check "first of twelve devices" 303 "$(code -c "$T/jar-1" -d '' "$KF_LINK")"
first=$(cookie "$T/jar-1")
sql "UPDATE sessions SET created_at = created_at - 10 WHERE hex(id_hash) = '$(hashhex "$first")'"
for i in $(seq 2 12); do code -c "$T/jar-$i" -d '' "$KF_LINK" >/dev/null; done
a=$(sql "SELECT id FROM experts WHERE email = 'test.expert@example.org'")
check "an expert holds at most 10 sessions" 10 "$(sql "SELECT count(*) FROM sessions WHERE subject_id = $a")"
check "the oldest ended first" 0 "$(rows "$first")"
check "... its browser is refused" 403 "$(code -b "$T/jar-1" "$KF_URL/")"
check "the newest works" 200 "$(code -b "$T/jar-12" "$KF_URL/")"

# ---- lengths: 14 days idle, 90 days absolute ----
len() {	# NAME WANT SQL-SET: a fresh session, aged, then home
	code -c "$T/jar-len" -d '' "$KF_LINK" >/dev/null
	sql "UPDATE sessions SET $3 WHERE hex(id_hash) = '$(hashhex "$(cookie "$T/jar-len")")'"
	check "$1" "$2" "$(code -b "$T/jar-len" "$KF_URL/")"
}
len "idle 13 days: signed in" 200 "seen_at = unixepoch() - 13 * 86400"
len "idle 14 days and a minute: refused" 403 "seen_at = unixepoch() - 14 * 86400 - 60"
len "89 days old, seen today: signed in" 200 "created_at = unixepoch() - 89 * 86400"
len "90 days and a minute old: refused" 403 "created_at = unixepoch() - 90 * 86400 - 60"

# ---- nothing typed is lost ----
E=$T/jar-e
code -c "$E" -d '' "$KF_LINK" >/dev/null
card=$(sql "SELECT a.id FROM assignments a JOIN fields f ON f.id = a.field_id WHERE f.code = 'SF41' AND a.expert_id = $a")
check "the card" 200 "$(code -b "$E" "$KF_URL/card/$card")"
csrf=$(csrf_of "$T/body")
typed=(-d revision=0 -d action=save -d rating.rating.Fr=7 -d rating.rating.T=11
	--data-urlencode "examples.example.Fr=Green City Cluster – Zürich"
	--data-urlencode 'description=</textarea><script>alert(1)</script> & more'
	--data-urlencode "economic=Cluster management organises industries."
	-d sectors.relevance.mobility=high
	--data-urlencode $'indicators=number of groups\nnumber of businesses')
expect_values() {	# NAME: every typed value on the page in $T/body
	contains "$1: rating" 'id="rating.rating.Fr" name="rating.rating.Fr" value="7"' "$T/body"
	contains "$1: an out-of-range rating as typed" 'value="11"' "$T/body"
	contains "$1: short text" "Green City Cluster – Zürich" "$T/body"
	contains "$1: long text, escaped" "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" "$T/body"
	lacks "$1: ... inert" "<script>alert" "$T/body"
	contains "$1: another section" "Cluster management organises industries." "$T/body"
	contains "$1: a choice" 'value="high" checked' "$T/body"
	contains "$1: a list" $'number of groups\nnumber of businesses</textarea>' "$T/body"
	contains "$1: the card's own labels" '<label for="description">' "$T/body"
}
before=$(sql "SELECT count(*) FROM responses")
sessions_before=$(expert_rows)
check "save without a session: 403" 403 "$(code "${typed[@]}" "$KF_URL/card/$card")"
expect_values "403 page"
contains "403 page: the link's field" '<label for="link">Invitation link</label>' "$T/body"
contains "403 page: posts to resume" "action=\"/card/$card/resume\"" "$T/body"
contains "403 page: Continue" '<button type="submit">Continue</button>' "$T/body"
lacks "403 page: names no expert" "Test Expert" "$T/body"
lacks "403 page: names no card" "Cluster Management" "$T/body"
check "save with a stale CSRF token: 403, values kept" 403 "$(code -b "$E" --data-urlencode csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "${typed[@]}" "$KF_URL/card/$card")"
expect_values "stale CSRF"
check "an unknown card without a session: the plain 403" 403 "$(code "${typed[@]}" "$KF_URL/card/999999")"
contains "... its wording" "Please open your invitation link" "$T/body"

resume=(--data-urlencode "examples.example.Fr=Green City Cluster – Zürich"
	-d revision=0 -d rating.rating.Fr=7 -d rating.rating.T=11
	--data-urlencode 'description=</textarea><script>alert(1)</script> & more'
	--data-urlencode "economic=Cluster management organises industries."
	-d sectors.relevance.mobility=high
	--data-urlencode $'indicators=number of groups\nnumber of businesses')
check "a wrong link: 404" 404 "$(code -c "$T/jar-r" "${resume[@]}" -d link=nonsense "$KF_URL/card/$card/resume")"
expect_values "wrong link"
contains "... the 404 wording" "This invitation link is not valid." "$T/body"
lacks "... nobody signed in" "Set-Cookie" "$T/head"
check "another expert's link (not her card): 403" 403 "$(code -c "$T/jar-r" "${resume[@]}" --data-urlencode "link=$linkB" "$KF_URL/card/$card/resume")"
expect_values "another expert's link"
lacks "... nobody signed in" "Set-Cookie" "$T/head"
check "from another Origin: 403" 403 "$(code -c "$T/jar-r" -H 'Origin: https://evil.example' "${resume[@]}" --data-urlencode "link=$KF_LINK" "$KF_URL/card/$card/resume")"
expect_values "foreign Origin"
check "nothing written, no session made" "$before $sessions_before" "$(sql "SELECT count(*) FROM responses") $(expert_rows)"

check "her link, bare token with spaces: 200" 200 "$(code -c "$T/jar-r" "${resume[@]}" --data-urlencode "link=  ${KF_LINK##*/i/} " "$KF_URL/card/$card/resume")"
expect_values "resumed card"
contains "... signed in" "Set-Cookie: kf_session=" "$T/head"
contains "... the notice" "they are not saved yet" "$T/body"
contains "... Save draft" ">Save draft</button>" "$T/body"
check "... still nothing written" "$before" "$(sql "SELECT count(*) FROM responses")"
csrf=$(csrf_of "$T/body")
check "her whole link works too" 200 "$(code -c "$T/jar-r2" "${resume[@]}" --data-urlencode "link=$KF_LINK" "$KF_URL/card/$card/resume")"
check "... with a trailing slash or a query" "200 200" "$(code -c "$T/jar-r2" "${resume[@]}" --data-urlencode "link=$KF_LINK/" "$KF_URL/card/$card/resume") $(code -c "$T/jar-r2" "${resume[@]}" --data-urlencode "link=$KF_LINK?utm=x" "$KF_URL/card/$card/resume")"
check "... but not with more after it" 404 "$(code -c "$T/jar-r2" "${resume[@]}" --data-urlencode "link=${KF_LINK}x" "$KF_URL/card/$card/resume")"
check "she saves (the values corrected): 303" 303 "$(code -b "$T/jar-r" --data-urlencode "csrf=$csrf" -d action=save \
	"${resume[@]/rating.rating.T=11/rating.rating.T=9}" "$KF_URL/card/$card")"
check "stored" "Green City Cluster – Zürich|</textarea><script>alert(1)</script> & more|high" \
	"$(sql "SELECT (SELECT value FROM answers WHERE question = 'examples.example' AND row = 'Fr' AND version = 0) || '|' || (SELECT value FROM answers WHERE question = 'description' AND version = 0) || '|' || (SELECT value FROM answers WHERE question = 'sectors.relevance' AND row = 'mobility' AND version = 0)")"

# ---- the console: a form sent after the session ended keeps what was typed ----
A=$KF_URL/admin
printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
C=$T/jar-c
code -b "$C" -c "$C" "$A/login" >/dev/null
tok=$(csrf_of "$T/body")
check "coordinator signs in" 303 "$(code -b "$C" -c "$C" -H "Origin: $KF_URL" --data-urlencode "csrf=$tok" -d username=ana --data-urlencode 'password=correct horse battery' "$A/login")"
check "the campaign page" 200 "$(code -b "$C" "$A/c/demo")"
ccsrf=$(csrf_of "$T/body")
experts=$(sql "SELECT count(*) FROM experts")
kept=(--data-urlencode "name=Zoë <b>O'Hara</b>" -d email=zoe@example.org -d f.1=1
	--data-urlencode 'password=hunter2-secret' --data-urlencode $'note=line one\nline two')
check "a console form without a session: 403" 403 "$(code -c "$T/jar-c2" "${kept[@]}" "$A/c/demo/experts")"
contains "... says why" "Your session has ended, so this form was not accepted" "$T/body"
contains "... a sign-in form" '<input type="password" id="password"' "$T/body"
contains "... the name typed, escaped, carried on" 'name="keep:name">' "$T/body"
contains "... its value" "Zoë &lt;b&gt;O&#39;Hara&lt;/b&gt;" "$T/body"
contains "... the e-mail" "zoe@example.org" "$T/body"
contains "... a text of two lines" $'line one\nline two</textarea>' "$T/body"
lacks "... never a password" "hunter2-secret" "$T/body"
contains "... back to the campaign page" 'name="back" value="/admin/c/demo"' "$T/body"
check "... nothing written" "$experts" "$(sql "SELECT count(*) FROM experts")"
tok=$(csrf_of "$T/body")
carried=(--data-urlencode "keep:name=Zoë <b>O'Hara</b>" --data-urlencode keep:email=zoe@example.org
	--data-urlencode keep:f.1=1 --data-urlencode $'keep:note=line one\nline two' -d back=/admin/c/demo)
check "a wrong password: 403" 403 "$(code -b "$T/jar-c2" -c "$T/jar-c2" -H "Origin: $KF_URL" --data-urlencode "csrf=$tok" -d username=ana -d password=wrong "${carried[@]}" "$A/login")"
contains "... the values still there" "Zoë &lt;b&gt;O&#39;Hara&lt;/b&gt;" "$T/body"
lacks "... the wrong password not echoed" 'value="wrong"' "$T/body"
tok=$(csrf_of "$T/body")
check "sign-in with what was kept: 200" 200 "$(code -b "$T/jar-c2" -c "$T/jar-c2" -H "Origin: $KF_URL" --data-urlencode "csrf=$tok" -d username=ana --data-urlencode 'password=correct horse battery' "${carried[@]}" "$A/login")"
contains "... signed in" "Set-Cookie: kf_admin=" "$T/head"
contains "... says nothing was applied" "was not applied: nothing was changed" "$T/body"
contains "... every value to copy" "Zoë &lt;b&gt;O&#39;Hara&lt;/b&gt;" "$T/body"
contains "... the text" $'line one\nline two</textarea>' "$T/body"
contains "... a link back" '<a href="/admin/c/demo">Back to the page</a>' "$T/body"
check "... still nothing written" "$experts" "$(sql "SELECT count(*) FROM experts")"
check "a foreign back is not linked" 200 "$(code -b "$T/jar-c3" -c "$T/jar-c3" "$A/login")"
tok=$(csrf_of "$T/body")
code -b "$T/jar-c3" -c "$T/jar-c3" -H "Origin: $KF_URL" --data-urlencode "csrf=$tok" -d username=ana --data-urlencode 'password=correct horse battery' \
	-d keep:x=1 -d back=//evil.example/admin/ "$A/login" >/dev/null
lacks "... (//evil.example)" "evil.example" "$T/body"
check "a stale CSRF token while signed in: 403" 403 "$(code -b "$C" --data-urlencode csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "${kept[@]}" "$A/c/demo/experts")"
contains "... the values to copy" "Zoë &lt;b&gt;O&#39;Hara&lt;/b&gt;" "$T/body"
lacks "... never a password" "hunter2-secret" "$T/body"
check "... nothing written" "$experts" "$(sql "SELECT count(*) FROM experts")"
check "the right token still works" 200 "$(code -b "$C" --data-urlencode "csrf=$ccsrf" -d name=Zoë -d email=zoe@example.org "$A/c/demo/experts")"

checks_done signin
