#!/usr/bin/env bash
# End to end: the expert's pages in her language (issue 17), through real
# nginx + FastCGI + SQLite.
#   - an expert added with --lang de sees her invitation, home, card
#     (section titles and labels from the form's German), her 422 errors
#     and the confirmation page in German, <html lang="de">, German dates
#     and no English label of a list;
#   - the language switch (a POST with CSRF, no script) sets her language
#     for every device: a new session sees it; back to the page (303);
#   - a second expert (English), right after in the same worker, gets
#     English: nothing is left over from the request before;
#   - Accept-Language "de-CH;q=0.9,en;q=0.8" picks German for an expert
#     without a language, and her first save keeps it as hers; a
#     malformed header gets the campaign's default;
#   - before sign-in (/lost, an unknown link) Accept-Language among every
#     language the programs speak, English without one.
# Prints "languages-expert: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
kf_start || exit 1

T=$KF_VAR/t
mkdir -p "$T"
# get JAR URL [curl args...]: status; body in $T/body, headers in $T/head
get() { local jar=$1; shift; curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' -b "$jar" -c "$jar" "$@"; }
csrf_of() { grep -o 'name="csrf" value="[^"]*"' "$1" | head -n 1 | sed 's/.*value="//; s/"$//'; }
rev_of() { grep -o 'name="revision" value="[^"]*"' "$1" | head -n 1 | sed 's/.*value="//; s/"$//'; }
lang_of() { sql "SELECT coalesce(lang, '-') FROM experts WHERE email = '$1'"; }
card_of() { sql "SELECT a.id FROM assignments a JOIN experts e ON e.id = a.expert_id JOIN fields f ON f.id = a.field_id WHERE e.email = '$1' AND f.code = '$2'"; }
signin() { curl -s -o /dev/null -c "$1" -b "$1" -H "Origin: $KF_URL" -d '' "$2"; }
# English words of the card that must not show on a German page.
ENGLISH=('Save draft' '>Submit<' '(required)' 'Rating per city' 'Examples per city'
	'2. Reference to sustainability' '3. Relevance to industrial sectors'
	'>Economic<' 'Positive impact' '9. Indicators' 'not answered' 'One item per line'
	'Total:' 'Welcome,' 'status:' 'key-field assessment' 'Rating for Freiburg')
no_english() {
	local w found=
	for w in "${ENGLISH[@]}"; do
		grep -qF -- "$w" "$2" && found="$found [$w]"
	done
	check "$1: none of the English labels" "" "$found"
}

kf_cli campaign languages demo en,de >/dev/null
DE=$(kf_cli expert add demo --name "Jörg Müller" --email joerg@example.org \
	--fields SF41 --lang de | tail -n 1)
EN=$(kf_cli expert add demo --name "Emma Stone" --email emma@example.org \
	--fields SF41 --lang en | tail -n 1)
NOLANG=$(kf_cli expert add demo --name "Lea Schön" --email lea@example.org \
	--fields SF41 | tail -n 1)
JD=$T/jd JE=$T/je JL=$T/jl
CD=$(card_of joerg@example.org SF41)

# ---- German: her invitation, home and card ----
check "her invitation (GET): 200" 200 "$(get "$JD" "$DE")"
contains "... <html lang=\"de\">" '<html lang="de">' "$T/body"
contains "... in German" 'Die Einladung von Jörg Müller zu den Steckbriefen' "$T/body"
contains "... its button" '<button type="submit">Meine Schlüsselfelder öffnen</button>' "$T/body"
signin "$JD" "$DE"
check "home: 200" 200 "$(get "$JD" "$KF_URL/")"
contains "... <html lang=\"de\">" '<html lang="de">' "$T/body"
contains "... welcome" 'Willkommen, Jörg Müller.' "$T/body"
contains "... status" '<td>nicht begonnen</td>' "$T/body"
contains "... the language switch, a POST form" '<form method="post" action="/lang" class="lang-switch" aria-label="Sprache">' "$T/body"
contains "... names the languages in themselves" '<button type="submit" name="lang" value="de" lang="de" aria-pressed="true">Deutsch</button>' "$T/body"
contains "... English as English" '<button type="submit" name="lang" value="en" lang="en">English</button>' "$T/body"
no_english "home" "$T/body"

check "her card: 200" 200 "$(get "$JD" "$KF_URL/card/$CD")"
cp "$T/body" "$T/card-de.html"
contains "... <html lang=\"de\">" '<html lang="de">' "$T/body"
for s in '<h2>Bewertungen und Beispiele</h2>' '<h2>2. Bezug zur Nachhaltigkeit</h2>' \
    '<h2>3. Relevanz für Industriesektoren</h2>' '<h2>9. Indikatoren</h2>' \
    '<h2>10. Besonderheiten/Anmerkungen</h2>'; do
	contains "... section title $s" "$s" "$T/body"
done
for l in 'Bewertung je Stadt (Pflichtfeld)' '>Bewertung für Freiburg<' '>Beispiel für Tokyo<' \
    '>Ökonomisch<' '>Positive Wirkung<' '>Relevanz für Mobilität<' '>Indikatoren (Pflichtfeld)<' \
    '>keine Angabe<' '>hoch<' 'Ein Indikator je Zeile' 'Entwurf speichern</button>' 'Absenden</button>'; do
	contains "... label $l" "$l" "$T/body"
done
contains "... keyfield.js's words from the page" 'data-texts="{&quot;changed&quot;:&quot;Dieser Steckbrief wurde anderswo geändert' "$T/body"
no_english "card" "$T/body"

# ---- her errors (422) in German ----
csrf=$(csrf_of "$T/card-de.html")
rev=$(rev_of "$T/card-de.html")
check "submit with a rating of 11 and no indicators: 422" 422 "$(get "$JD" -H "Origin: $KF_URL" \
	--data-urlencode "csrf=$csrf" -d "revision=$rev" -d action=submit \
	-d rating.rating.Fr=11 "$KF_URL/card/$CD")"
contains "... <html lang=\"de\">" '<html lang="de">' "$T/body"
contains "... the problems counted (plural)" 'Bitte beheben Sie ' "$T/body"
contains "... the rating's message" 'Geben Sie eine ganze Zahl von 0 bis 10 ein.' "$T/body"
contains "... a required field's" 'Dieses Feld ist ein Pflichtfeld.' "$T/body"
contains "... named by its German label" 'Bewertung für Freiburg: Geben Sie' "$T/body"
lacks "... no English message" 'This field is required.' "$T/body"
lacks "... no English rule" 'Enter a whole number' "$T/body"
no_english "the 422 page" "$T/body"
check "a script's save (JSON) refused: its message in German" 422 "$(get "$JD" -H "Origin: $KF_URL" \
	-H 'Accept: application/json' --data-urlencode "csrf=$csrf" -d "revision=$rev" \
	-d action=save -d rating.rating.Fr=11 "$KF_URL/card/$CD")"
contains "... in German" 'Einige Antworten müssen korrigiert werden' "$T/body"

# ---- the confirmation in German ----
check "submit: 303" 303 "$(get "$JD" -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" \
	-d "revision=$rev" -d action=submit -d indicators=Anzahl -d rating.rating.Fr=7 \
	-d rating.rating.B=5 -d rating.rating.C=5 -d rating.rating.NY=5 \
	-d rating.rating.S=5 -d rating.rating.T=5 \
	-d sectors.relevance.mobility=high -d description=Beschreibung "$KF_URL/card/$CD")"
check "the confirmation: 200" 200 "$(get "$JD" "$KF_URL/card/$CD/submitted")"
contains "... <html lang=\"de\">" '<html lang="de">' "$T/body"
contains "... thanks" 'Vielen Dank: SF41 Cluster Management ist abgegeben' "$T/body"
months='Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember'
grep -Eq "Version 1 wurde am [0-9]{1,2}\. ($months) 20[0-9]{2}, [0-9]{2}:[0-9]{2} UTC gespeichert" "$T/body" &&
	ok "... a German date (6. Dezember 2026, 07:11 UTC)" || bad "... a German date: $(grep -o 'Version 1 wurde[^.]*' "$T/body")"
contains "... the card's sections in German" '<h2>9. Indikatoren</h2>' "$T/body"
contains "... the ratings' total" '<th scope="col">Summe</th>' "$T/body"
contains "... a choice by its German label (mobility: high)" '<p class="answer">hoch</p>' "$T/body"
no_english "the confirmation" "$T/body"

# ---- a second expert, English, right after in the same worker ----
signin "$JE" "$EN"
CE=$(card_of emma@example.org SF41)
check "the English expert's card right after: 200" 200 "$(get "$JE" "$KF_URL/card/$CE")"
contains "... <html lang=\"en\">" '<html lang="en">' "$T/body"
contains "... English sections" '<h2>2. Reference to sustainability</h2>' "$T/body"
contains "... English buttons" 'Save draft</button>' "$T/body"
lacks "... nothing German left over" 'Bezug zur Nachhaltigkeit' "$T/body"
lacks "... no German words" 'Pflichtfeld' "$T/body"
for i in 1 2 3; do
	get "$JD" "$KF_URL/card/$CD" >/dev/null
	get "$JE" "$KF_URL/card/$CE" >/dev/null
	grep -q 'Pflichtfeld\|<html lang="de"' "$T/body" && { bad "round $i: German on the English card"; break; }
done
[ "${i:-}" = 3 ] && ok "three turns of German and English: each card its own"

# ---- the switch: to English and back, for every device ----
get "$JD" "$KF_URL/card/$CD" >/dev/null
csrf=$(csrf_of "$T/body")
check "switch without a CSRF token: 403" 403 "$(get "$JD" -H "Origin: $KF_URL" -d lang=en -d "back=/card/$CD" "$KF_URL/lang")"
check "... her language unchanged" de "$(lang_of joerg@example.org)"
check "switch to a language the campaign lacks: 422" 422 "$(get "$JD" -H "Origin: $KF_URL" \
	--data-urlencode "csrf=$csrf" -d lang=fr -d "back=/card/$CD" "$KF_URL/lang")"
contains "... says so in German" 'Sprache nicht angeboten' "$T/body"
check "switch to English: 303" 303 "$(get "$JD" -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" \
	-d lang=en -d "back=/card/$CD" "$KF_URL/lang")"
contains "... back to the card" "Location: /card/$CD" "$T/head"
check "... stored" en "$(lang_of joerg@example.org)"
check "her card: English now" 200 "$(get "$JD" "$KF_URL/card/$CD")"
contains "... <html lang=\"en\">" '<html lang="en">' "$T/body"
contains "... English sections" '<h2>2. Reference to sustainability</h2>' "$T/body"
signin "$T/jd2" "$DE"
check "a new session (another device): 200" 200 "$(get "$T/jd2" "$KF_URL/card/$CD" -H 'Accept-Language: de')"
contains "... English, hers, over the browser's German" '<html lang="en">' "$T/body"
csrf=$(csrf_of "$T/body")
check "switch back to German: 303" 303 "$(get "$T/jd2" -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" \
	-d lang=de -d back=/ "$KF_URL/lang")"
contains "... back home" "Location: /" "$T/head"
check "the first device: German again" 200 "$(get "$JD" "$KF_URL/")"
contains "... <html lang=\"de\">" '<html lang="de">' "$T/body"
check "a back address elsewhere: 303 home, not away" 303 "$(get "$JD" -H "Origin: $KF_URL" \
	--data-urlencode "csrf=$(csrf_of "$T/body")" -d lang=de -d 'back=//evil.example/x' "$KF_URL/lang")"
grep -q $'^Location: /\r$' "$T/head" && ok "... Location: /" || bad "... Location: $(grep Location "$T/head")"

# ---- Accept-Language for an expert without a language ----
check "no language, Accept-Language de-CH;q=0.9,en;q=0.8: invitation" 200 \
	"$(get "$JL" -H 'Accept-Language: de-CH;q=0.9,en;q=0.8' "$NOLANG")"
contains "... German" '<html lang="de">' "$T/body"
signin "$JL" "$NOLANG"
CL=$(card_of lea@example.org SF41)
check "her card with that header" 200 "$(get "$JL" -H 'Accept-Language: de-CH;q=0.9,en;q=0.8' "$KF_URL/card/$CL")"
contains "... German" '<h2>2. Bezug zur Nachhaltigkeit</h2>' "$T/body"
check "... nothing stored yet" - "$(lang_of lea@example.org)"
check "a malformed header: the campaign's default" 200 "$(get "$JL" -H 'Accept-Language: ;;q=x,,=' "$KF_URL/card/$CL")"
contains "... English" '<html lang="en">' "$T/body"
check "no header: the campaign's default" 200 "$(get "$JL" "$KF_URL/card/$CL")"
contains "... English" '<html lang="en">' "$T/body"
get "$JL" -H 'Accept-Language: de-CH;q=0.9,en;q=0.8' "$KF_URL/card/$CL" >/dev/null
csrf=$(csrf_of "$T/body")
check "her first save, in German: 303" 303 "$(get "$JL" -H 'Accept-Language: de-CH;q=0.9,en;q=0.8' \
	-H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" -d "revision=$(rev_of "$T/body")" \
	-d action=save -d remarks=Gut "$KF_URL/card/$CL")"
check "... keeps German as hers" de "$(lang_of lea@example.org)"
check "... so a browser without the header gets German" 200 "$(get "$JL" "$KF_URL/card/$CL")"
contains "... German" '<html lang="de">' "$T/body"

# ---- before sign-in ----
check "/lost with Accept-Language de: 200" 200 "$(get "$T/none" -H 'Accept-Language: de' "$KF_URL/lost")"
contains "... German" '<h1>Link verloren?</h1>' "$T/body"
contains "... <html lang=\"de\">" '<html lang="de">' "$T/body"
check "/lost without: English" 200 "$(get "$T/none" "$KF_URL/lost")"
contains "... English" '<h1>Lost your link?</h1>' "$T/body"
check "an unknown link, German browser: 404" 404 "$(get "$T/none" -H 'Accept-Language: de-DE' \
	"$KF_URL/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")"
contains "... in German" 'Einladung nicht gefunden' "$T/body"
check "a page without a session, German browser: 403" 403 "$(get "$T/none" -H 'Accept-Language: de' "$KF_URL/card/$CD")"
contains "... in German" 'Bitte öffnen Sie Ihren Einladungslink' "$T/body"
check "an address without a page: 404 in German" 404 "$(get "$JD" "$KF_URL/nothing")"
contains "... hers (signed in)" 'Seite nicht gefunden' "$T/body"

# ---- round 2: the panel's figures in German, decimal commas ----
. "$(dirname "$0")/rounds.sh"
rounds_panel
kf_cli round start demo >/dev/null
check "round 2 started" 2 "$(sql "SELECT max(number) FROM rounds")"
check "Jörg's round-2 card: 200" 200 "$(get "$JD" "$KF_URL/card/$CD")"
cp "$T/body" "$T/r2-de.html"
contains "... the round's heading" '<h2>Runde 2</h2>' "$T/body"
contains "... his own rating of round 1" '<dt>Ihre Bewertung in Runde 1</dt><dd>7</dd>' "$T/body"
contains "... the panel's median, named in German" '<dt>Median des Panels</dt>' "$T/body"
# Freiburg in round 1: 2 2 3 7 8 9 (five of the panel and Jörg): Q1 2.25.
contains "... Q1 to Q3 with a decimal comma" '<dt>Q1 bis Q3</dt><dd>2,25 bis ' "$T/body"
delphi=$(grep -o '<div class="delphi".*' "$T/body" | grep -Eo '<dd>[^<]*</dd>' | grep -E '[0-9]\.[0-9]')
check "... no decimal point in the figures" "" "$delphi"
contains "... the reason's label" 'Begründung für Freiburg, nötig, wenn Ihre Bewertung außerhalb von 2,25 bis ' "$T/body"
check "the English expert's round-2 card" 200 "$(get "$T/jar0" "$KF_URL/card/$(card_id test.expert@example.org SF41)")"
contains "... a decimal point" '<dt>Q1 to Q3</dt><dd>2.25 to ' "$T/body"

# A form that cannot be read (a bad percent escape): the why in German too.
check "a malformed form, the browser asking for German: 400" 400 "$(curl -s -o "$T/body" -w '%{http_code}' -H 'Accept-Language: de' -d 'email=%zz' "$KF_URL/lost")"
contains "... says why in German" 'Das Formular enthielt eine ungültige Prozent-Kodierung.' "$T/body"

checks_done languages-expert
