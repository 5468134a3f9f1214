#!/usr/bin/env bash
# End to end: the card's save as keyfield.js sends it (Accept:
# application/json) through real nginx + FastCGI + SQLite, driven with
# curl: the JSON answer with the new revision, a stale revision (409
# JSON, nothing overwritten), a bad CSRF token (403), bad input (400,
# 422 JSON), a closed campaign (409 JSON); the form's own POST still
# gets its 303; the script is served under a CSP that allows it.
# Prints "autosave: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
kf_start || exit 1

T=$KF_VAR/t
mkdir -p "$T"
JAR=$T/jar
# req [curl args...]: status code; body in $T/body, headers in $T/head
req() { curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' -b "$JAR" -c "$JAR" "$@"; }
# json KEY: the value of KEY in $T/body ("" when it is not JSON)
json() { python3 -c 'import json,sys
try: v = json.load(open(sys.argv[1]))[sys.argv[2]]
except Exception: v = ""
print(json.dumps(v) if isinstance(v, (list, dict)) else v)' "$T/body" "$1"; }
J=(-H 'Accept: application/json' -H "Origin: $KF_URL")

check "invitation (POST) answers 303" 303 "$(req -d "" "$KF_LINK")"
card=$(sql "SELECT a.id FROM assignments a JOIN fields f ON f.id = a.field_id WHERE f.code = 'SF41'")
check "card page" 200 "$(req "$KF_URL/card/$card")"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$T/body" | head -n 1 | sed 's/.*value="//; s/"$//')
contains "the card loads the script, its words beside it" '<script src="/static/keyfield.js" defer data-texts="{&quot;changed&quot;:' "$T/body"
contains "the card asks for autosave after 30 s" 'data-autosave="30000"' "$T/body"
contains "a long text carries its limit" 'data-maxlength="20000"' "$T/body"
contains "a rating carries its range" 'data-min="0" data-max="10"' "$T/body"
contains "CSP allows our own script" "script-src 'self'" "$T/head"
contains "CSP allows saving to our own origin" "connect-src 'self'" "$T/head"
lacks "CSP allows no inline script" "unsafe-inline" "$T/head"
if grep -qE '<script>|<script [^>]*>[^<]|\son[a-z]+=' "$T/body"; then
	bad "no inline script or event handler on the card"
else
	ok "no inline script or event handler on the card"
fi
check "the script is served" 200 "$(curl -s -o "$T/js" -D "$T/jshead" -w '%{http_code}' "$KF_URL/static/keyfield.js")"
contains "as JavaScript" "Content-Type: application/javascript" "$T/jshead"
if cmp -s "$T/js" "$top_srcdir/etc/keyfield.js"; then ok "the shipped file"; else bad "the shipped file"; fi
contains "in strict mode" "'use strict';" "$T/js"

# save REVISION [curl args]: a script's draft save of the card
save() {
	local rev=$1
	shift
	req "${J[@]}" --data-urlencode "csrf=$csrf" -d action=save -d "revision=$rev" "$@" "$KF_URL/card/$card"
}

# ---- success: JSON with the new revision, never a redirect ----
check "first save: 200" 200 "$(save 0 -d rating.rating.Fr=7 --data-urlencode 'description=Draft one – Zürich')"
contains "answered in JSON" "Content-Type: application/json" "$T/head"
lacks "no redirect for a script" "Location:" "$T/head"
check "the new revision" 1 "$(json revision)"
check "no version submitted yet" 0 "$(json version)"
[[ $(json saved_at) =~ ^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-9:.]+Z$ ]] && ok "saved_at is an ISO time" || bad "saved_at is an ISO time ('$(json saved_at)')"
check "saved_at is what is stored" "$(sql "SELECT updated_at FROM responses")" "$(json saved_at)"
check "stored as a draft, revision 1" "draft|1" "$(sql "SELECT status, revision FROM responses")"
check "the answer is stored" "Draft one – Zürich" "$(sql "SELECT value FROM answers WHERE question = 'description' AND version = 0")"
check "second save with the revision it got: 200" 200 "$(save 1 -d rating.rating.Fr=8 --data-urlencode 'description=Draft two')"
check "revision 2" 2 "$(json revision)"
check "audited as a save" 2 "$(sql "SELECT count(*) FROM audit WHERE action = 'card.save'")"

# ---- a stale revision: 409 JSON, nothing overwritten ----
check "save against revision 1 (now 2): 409" 409 "$(save 1 --data-urlencode 'description=Stale text')"
check "conflict in JSON" conflict "$(json error)"
contains "with a message" "another tab or device" "$T/body"
check "nothing overwritten" "Draft two|2" "$(sql "SELECT v.value, r.revision FROM answers v JOIN responses r ON r.id = v.response_id WHERE v.question = 'description' AND v.version = 0")"
# The form's own POST of the same stale revision shows the conflict page.
check "the form's POST of it: the conflict page" 409 "$(req -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" -d action=save -d revision=1 --data-urlencode 'description=Stale text' "$KF_URL/card/$card")"
contains "the conflict page's choice" "This card was changed elsewhere" "$T/body"
contains "as HTML" "Content-Type: text/html" "$T/head"
contains "the conflict page has no autosave" '<form method="post" action="/card/'"$card"'" class="card">' "$T/body"

# ---- refusals ----
before=$(sql "SELECT revision FROM responses")
check "bad CSRF token: 403" 403 "$(req "${J[@]}" -d csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA -d action=save -d revision=2 -d rating.rating.Fr=1 "$KF_URL/card/$card")"
check "no session: 403" 403 "$(curl -s -o /dev/null -w '%{http_code}' "${J[@]}" --data-urlencode "csrf=$csrf" -d action=save -d revision=2 "$KF_URL/card/$card")"
check "no revision: 400" 400 "$(req "${J[@]}" --data-urlencode "csrf=$csrf" -d action=save "$KF_URL/card/$card")"
check "400 in JSON" incomplete "$(json error)"
check "a rating of 11: 422" 422 "$(save 2 -d rating.rating.Fr=11)"
check "422 in JSON" invalid "$(json error)"
check "naming the field and the rule" '[{"name": "rating.rating.Fr", "message": "Enter a whole number from 0 to 10."}]' "$(json issues)"
check "another's card: 404" 404 "$(req "${J[@]}" --data-urlencode "csrf=$csrf" -d action=save -d revision=0 "$KF_URL/card/999999")"
check "refusals stored nothing" "$before" "$(sql "SELECT revision FROM responses")"

# ---- the form's own POST keeps its 303 ----
check "a form's save (no Accept): 303" 303 "$(req -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" -d action=save -d revision=2 -d rating.rating.Fr=9 "$KF_URL/card/$card")"
contains "to the card" "Location: /card/$card?saved=1" "$T/head"
check "Accept: text/html first: 303" 303 "$(req -H 'Accept: text/html, application/json' -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" -d action=save -d revision=3 "$KF_URL/card/$card")"

# ---- a closed campaign: 409 JSON ----
kf_cli campaign close demo >/dev/null
check "save in a closed campaign: 409" 409 "$(save 4 -d rating.rating.Fr=1)"
check "closed in JSON" closed "$(json error)"
check "the closed card has no script" 200 "$(req "$KF_URL/card/$card")"
lacks "no script" "keyfield.js" "$T/body"

if grep -rqE ' 50[0-9] ' "$KF_VAR/log/survey.log"; then bad "no 5xx in the log"; else ok "no 5xx in the log"; fi
checks_done autosave
