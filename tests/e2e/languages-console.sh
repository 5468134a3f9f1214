#!/usr/bin/env bash
# End to end: the console in the coordinator's language (issue 17),
# through real nginx + keyfield-admin + SQLite, driven with curl:
#   - a coordinator added with --lang de sees the dashboard and a card in
#     German (<html lang="de">, headings, labels, the form's labels from
#     its German texts, medians with a decimal comma), whatever her
#     browser asks for; the answers as they were written;
#   - an English coordinator right after, in the same worker, gets
#     English (and "2.5");
#   - the language switch (POST /admin/lang, CSRF) persists, goes back
#     to the page it was pressed on, refuses an unknown language (422)
#     and a missing token (403); keyfield coordinator lang sets it too;
#   - the sign-in page follows Accept-Language.
# Prints "languages-console: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# One worker: the English coordinator is served by the process that served
# the German one.
export KEYFIELD_WORKERS=1
kf_start || exit 1

T=$KF_VAR/t
mkdir -p "$T"
A=$KF_URL/admin
# location: the Location of the last answer.
location() { grep -i '^Location:' "$T/head" | tr -d '\r' | sed 's/^[^ ]* //'; }
# signin USER JAR: a session for USER (password "USER password 1").
signin() {
	local tok
	req "$2" -H 'Accept-Language: en' "$A/login" >/dev/null
	tok=$(csrf_of "$T/body")
	req "$2" -H "Origin: $KF_URL" -H 'Accept-Language: en' \
	    --data-urlencode "csrf=$tok" -d "username=$1" \
	    --data-urlencode "password=$1 password 1" "$A/login"
}

# Two cards of SF41: Freiburg rated 2 and 3 (median 2.5, IQR 0.5).
. "$(dirname "$0")/rounds.sh"
sign_in "$KF_LINK" "$T/jar0"
check "expert 0 submits" 303 "$(post "$T/jar0" "$(card_id test.expert@example.org SF41)" submit 2 7 5 6 1 8 high -d 'positive_impact=Mehr Wertschöpfung')"
link=$(kf_cli expert add demo --name "Expert 1" --email e1@example.org --fields SF41 | tail -n 1)
sign_in "$link" "$T/jar1"
check "expert 1 submits" 303 "$(post "$T/jar1" "$(card_id e1@example.org SF41)" submit 3 8 5 6 2 8 high)"
card=$(card_id test.expert@example.org SF41)
response=$(sql "SELECT id FROM responses WHERE assignment_id = $card")

printf 'greta password 1\n' | kf_cli coordinator add --admin --lang de greta >"$T/out" 2>&1
check "CLI: coordinator add --lang de" 0 $?
check "... stored" "de" "$(sql "SELECT lang FROM coordinators WHERE username = 'greta'")"
printf 'ana password 1\n' | kf_cli coordinator add --admin ana >/dev/null
check "... a coordinator without --lang has none (NULL)" "1" "$(sql "SELECT lang IS NULL FROM coordinators WHERE username = 'ana'")"
printf 'x password 1\n' | kf_cli coordinator add --lang xx xavier >"$T/out" 2>&1
check "CLI: --lang xx (no such catalogue): exit 1" 1 $?
contains "... says which it has" 'the console has no language "xx"' "$T/out"
check "... not added" "0" "$(sql "SELECT count(*) FROM coordinators WHERE username = 'xavier'")"

# ---- the German coordinator (her browser asks for English) ----
G=$T/greta
check "greta signs in" 303 "$(signin greta "$G")"
check "German dashboard" 200 "$(req "$G" -H 'Accept-Language: en' "$A/c/demo/dashboard")"
contains "... <html lang=de>" '<html lang="de">' "$T/body"
contains "... heading" '<h1>Dashboard: Test campaign</h1>' "$T/body"
contains "... the overview" '<h2 id="overview">Überblick</h2>' "$T/body"
contains "... Freiburg's median and IQR with a decimal comma" '<td class="num">2,5 (IQR 0,5) <span class="verdict' "$T/body"
contains "... the rows under the cards" '<th scope="row">Median</th><td class="num">2,5</td>' "$T/body"
contains "... quartiles" '<td class="num">2,25 – 2,75</td>' "$T/body"
contains "... progress" '<th scope="col" class="num">Abgegeben</th>' "$T/body"
contains "... the sector grid from the form's German texts" '<th scope="col">Mobilität</th>' "$T/body"
contains "... its levels too" '<td class="lvl-3">hoch (2)</td>' "$T/body"
contains "... the navigation" '<button type="submit">Abmelden</button>' "$T/body"
contains "... the switch offers English, named in English" '<button type="submit" name="lang" value="en" lang="en">English</button>' "$T/body"
lacks "... no English heading" '<h2 id="overview">Overview</h2>' "$T/body"

check "German campaign page" 200 "$(req "$G" "$A/c/demo")"
contains "... <html lang=de>" '<html lang="de">' "$T/body"
contains "... the cities" '<h2 id="cities">Städte</h2>' "$T/body"
contains "... the key fields' table" '<th scope="col">Kürzel</th><th scope="col">Titel</th>' "$T/body"
contains "... the experts" '<h2 id="experts">Expertinnen und Experten</h2>' "$T/body"
contains "... a button" '<button type="submit">Stadt hinzufügen</button>' "$T/body"
contains "... the state" '<strong>offen</strong>' "$T/body"
check "German campaign list" 200 "$(req "$G" "$A/")"
contains "... heading" '<h1>Kampagnen</h1>' "$T/body"

sf41=$(sql "SELECT id FROM fields WHERE code = 'SF41'")
check "German final card editor" 200 "$(req "$G" "$A/c/demo/final/$sf41")"
contains "... its ratings" '<h2>Bewertungen</h2>' "$T/body"
contains "... the panel's median with a decimal comma" '<td>2,5</td>' "$T/body"
contains "... the save button" '<button type="submit">Als Fassung 1 speichern</button>' "$T/body"
contains "... the seed card's section headings in German" '<h2 id="s2">2. Bezug zur Nachhaltigkeit:</h2>' "$T/body"
req "$G" "$A/" >/dev/null
gcsrf=$(csrf_of)
check "German: a campaign with a bad slug: 422" 422 "$(req "$G" -H "Origin: $KF_URL" --data-urlencode "csrf=$gcsrf" -d slug=-x -d title=X -d form=keyfield -d cities=A=B "$A/campaigns")"
contains "... says why in German" "Das Kürzel der Kampagne hat 1 bis 64 Buchstaben" "$T/body"
check "German: a campaign slug taken: 409" 409 "$(req "$G" -H "Origin: $KF_URL" --data-urlencode "csrf=$gcsrf" -d slug=demo -d title=X -d form=keyfield -d cities=A=B "$A/campaigns")"
contains "... says why in German" "Eine Kampagne mit diesem Kürzel gibt es schon" "$T/body"
check "German mail page" 200 "$(req "$G" "$A/c/demo/mail")"
contains "... the send log" '<caption>Versandprotokoll, das Neueste zuerst</caption>' "$T/body"
contains "... a state" '<td>gesendet</td>' "$T/body"
DE_TIME='<td>[0-9]{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) [0-9]{4}, [0-9]{2}:[0-9]{2} UTC</td>'
if grep -qE "$DE_TIME" "$T/body"; then ok "... its times in German"; else bad "... its times in German (no $DE_TIME)"; fi
gcsrf=$(csrf_of)
check "German: a mail text with an unknown placeholder: 422" 422 "$(req "$G" -H "Origin: $KF_URL" --data-urlencode "csrf=$gcsrf" -d action=preview -d subject=Hi --data-urlencode 'body=Dear {nmae}' "$A/c/demo/mail/template/thanks")"
contains "... says why in German" "unbekannter Platzhalter {nmae} (die Platzhalter sind" "$T/body"
check "German: a mail text without a subject: 422" 422 "$(req "$G" -H "Origin: $KF_URL" --data-urlencode "csrf=$gcsrf" -d action=preview -d subject= -d body=x "$A/c/demo/mail/template/thanks")"
contains "... says why in German" "der Betreff ist leer, länger als 200 Bytes" "$T/body"

check "German card view" 200 "$(req "$G" "$A/r/$response")"
contains "... <html lang=de>" '<html lang="de">' "$T/body"
contains "... its heading" '<h2 id="card">Der Steckbrief</h2>' "$T/body"
contains "... the status" '<strong>abgegeben</strong>' "$T/body"
contains "... a form section in German" '<h2>2. Bezug zur Nachhaltigkeit</h2>' "$T/body"
contains "... a grid's caption in German" '<caption>Bewertung je Stadt</caption>' "$T/body"
contains "... the Total" '<th scope="col">Summe</th>' "$T/body"
contains "... the answer as written" 'Mehr Wertschöpfung' "$T/body"
contains "... versions" '<h2 id="versions">Fassungen</h2>' "$T/body"

# ---- an English coordinator right after (one worker: the same process) ----
N=$T/ana
check "ana signs in" 303 "$(signin ana "$N")"
check "English dashboard right after" 200 "$(req "$N" -H 'Accept-Language: en' "$A/c/demo/dashboard")"
contains "... <html lang=en>" '<html lang="en">' "$T/body"
contains "... the overview" '<h2 id="overview">Overview</h2>' "$T/body"
contains "... a decimal point" '<td class="num">2.5 (IQR 0.5) <span class="verdict' "$T/body"
contains "... the form's English labels" '<th scope="col">Mobility</th>' "$T/body"
contains "... the switch offers Deutsch" '<button type="submit" name="lang" value="de" lang="de">Deutsch</button>' "$T/body"
lacks "... nothing German" 'Überblick' "$T/body"
check "English campaign page" 200 "$(req "$N" "$A/c/demo")"
contains "... the cities" '<h2 id="cities">Cities</h2>' "$T/body"
check "English card view" 200 "$(req "$N" "$A/r/$response")"
contains "... its heading" '<h2 id="card">The card</h2>' "$T/body"
contains "... the form's English section" '<h2>2. Reference to sustainability</h2>' "$T/body"
contains "... the answer as written" 'Mehr Wertschöpfung' "$T/body"

# ---- before she chooses, her browser's language ----
check "ana, Accept-Language de-CH: German" 200 "$(req "$N" -H 'Accept-Language: de-CH,en;q=0.5' "$A/c/demo/dashboard")"
contains "... <html lang=de>" '<html lang="de">' "$T/body"

# ---- the switch ----
req "$N" -H 'Accept-Language: en' "$A/c/demo/dashboard" >/dev/null
csrf=$(csrf_of "$T/body")
contains "the switch carries the page to come back to" '<input type="hidden" name="back" value="/admin/c/demo/dashboard">' "$T/body"
check "switch to German: 303" 303 "$(req "$N" -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" -d lang=de -d back=/admin/c/demo/dashboard "$A/lang")"
check "... back to the page" /admin/c/demo/dashboard "$(location)"
check "... stored" "de" "$(sql "SELECT lang FROM coordinators WHERE username = 'ana'")"
check "... audited" "coordinator.lang|coordinator:ana|de" "$(sql "SELECT action || '|' || object || '|' || detail FROM audit WHERE action = 'coordinator.lang'")"
check "... persists over her browser's English" 200 "$(req "$N" -H 'Accept-Language: en' "$A/c/demo/dashboard")"
contains "... German" '<h2 id="overview">Überblick</h2>' "$T/body"
check "... and over a new session" 303 "$(signin ana "$T/ana2")"
check "... its dashboard" 200 "$(req "$T/ana2" -H 'Accept-Language: en' "$A/c/demo/dashboard")"
contains "... German" '<html lang="de">' "$T/body"
check "a back to another site is not followed: 303" 303 "$(req "$N" -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" -d lang=en -d back=//evil.example/ "$A/lang")"
check "... to the campaigns" /admin/ "$(location)"
check "... English stored" "en" "$(sql "SELECT lang FROM coordinators WHERE username = 'ana'")"
check "a back with CR LF (a header injection): 303" 303 "$(req "$N" -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" -d lang=en --data-urlencode $'back=/admin/\r\nSet-Cookie: x=1' "$A/lang")"
check "... to the campaigns, no header added" "/admin/|0" "$(location)|$(grep -ci '^Set-Cookie: x=1' "$T/head")"
before=$(kf_db_digest)
check "an unknown language: 422" 422 "$(req "$N" -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" -d lang=xx "$A/lang")"
contains "... says so" 'The console cannot be shown in this language. Nothing was changed.' "$T/body"
check "no language: 422" 422 "$(req "$N" -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" "$A/lang")"
check "without the CSRF token: 403" 403 "$(req "$N" -H "Origin: $KF_URL" -d lang=de "$A/lang")"
check "without a session: 403" 403 "$(req "$T/none" -H "Origin: $KF_URL" -d lang=de "$A/lang")"
check "... nothing changed" "$before" "$(kf_db_digest)"
check "greta is still German" "de" "$(sql "SELECT lang FROM coordinators WHERE username = 'greta'")"

# ---- the CLI ----
kf_cli coordinator lang ana de >"$T/out" 2>&1
check "CLI: coordinator lang ana de" 0 $?
check "... stored" "de" "$(sql "SELECT lang FROM coordinators WHERE username = 'ana'")"
kf_cli coordinator lang ana auto >"$T/out" 2>&1
check "CLI: coordinator lang ana auto" 0 $?
check "... unset" "1" "$(sql "SELECT lang IS NULL FROM coordinators WHERE username = 'ana'")"
kf_cli coordinator lang ana xx >"$T/out" 2>&1
check "CLI: an unknown language: exit 1" 1 $?
kf_cli coordinator lang nobody de >"$T/out" 2>&1
check "CLI: an unknown coordinator: exit 1" 1 $?
contains "... says so" 'no coordinator "nobody"' "$T/out"

# ---- the notice of failed sign-ins, in her language ----
req "$T/g2" -H 'Accept-Language: en' "$A/login" >/dev/null
tok=$(csrf_of "$T/body")
check "a failed sign-in of greta" 403 "$(req "$T/g2" -H "Origin: $KF_URL" --data-urlencode "csrf=$tok" -d username=greta -d password=wrong "$A/login")"
check "greta signs in again" 303 "$(signin greta "$T/g3")"
check "... her next page" 200 "$(req "$T/g3" "$A/")"
contains "... tells her of it in German" 'Seit Ihrer letzten Anmeldung: 1 fehlgeschlagener Anmeldeversuch von 1 Adresse seit' "$T/body"

# ---- the sign-in page, before anyone is known ----
check "sign-in page, Accept-Language de-DE" 200 "$(req "$T/anon" -H 'Accept-Language: de-DE,de;q=0.9' "$A/login")"
contains "... <html lang=de>" '<html lang="de">' "$T/body"
contains "... German" '<h1>Bei der Konsole anmelden</h1>' "$T/body"
contains "... the button" '<button type="submit">Anmelden</button>' "$T/body"
check "sign-in page, Accept-Language xx, en;q=0.5" 200 "$(req "$T/anon" -H 'Accept-Language: xx, en;q=0.5' "$A/login")"
contains "... English" '<h1>Sign in to the console</h1>' "$T/body"
contains "... <html lang=en>" '<html lang="en">' "$T/body"

checks_done languages-console
