#!/usr/bin/env bash
# End to end: languages (issue 17), through real nginx + FastCGI + SQLite.
# Imports as German spreadsheets write them: an experts' list saved by a
# German Excel (";" between values, a UTF-8 BOM, CRLF) imported by the
# CLI and by the console's upload; one saved as Windows-1252 refused by
# both, naming the file; a key fields' list with ";" in the console.
# The import's messages in German: the CLI by LANG (LC_ALL first), the
# console by Accept-Language, a request after a German one in English;
# exports with --delimiter ';' and the console's German Excel download.
# Prints "languages: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
kf_start || exit 1

T=$KF_VAR/t
mkdir -p "$T"
A=$KF_URL/admin
experts() { sql "SELECT count(*) FROM experts"; }

printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
J=$T/jar
req "$J" "$A/login" >/dev/null
tok=$(csrf_of "$T/body")
req "$J" -H "Origin: $KF_URL" --data-urlencode "csrf=$tok" -d username=ana \
    --data-urlencode 'password=correct horse battery' "$A/login" >/dev/null
req "$J" "$A/c/demo" >/dev/null
csrf=$(csrf_of "$T/body")
upload() { local f=$1 form=$2; shift 2; req "$J" -H "Origin: $KF_URL" -F "csrf=$csrf" -F "file=@$f;type=text/csv" -F csv= "$@" "$A/c/demo/$form/import"; }

# ---- a German Excel's "CSV UTF-8 (durch Trennzeichen getrennt)" ----
printf '\xef\xbb\xbfname;email;fields\r\nJörg Müller;joerg@example.org;SF41\r\nÄnne Groß;aenne@example.org;"SF41, SF12"\r\n' >"$T/experten.csv"
n0=$(experts)
kf_cli expert import demo "$T/experten.csv" >"$T/out" 2>"$T/err"
check "CLI: a German Excel CSV (;, BOM, CRLF): exit 0" 0 $?
contains "... two imported" "2 experts imported into demo, 0 rows skipped" "$T/out"
check "... names as written, the BOM not in the first" "Jörg Müller|Änne Groß" \
    "$(sql "SELECT group_concat(name, '|') FROM (SELECT name FROM experts WHERE id > 1 ORDER BY id)")"
check "... the codes of a quoted value" "SF12,SF41" \
    "$(sql "SELECT group_concat(code) FROM (SELECT f.code FROM assignments a JOIN fields f ON f.id = a.field_id JOIN experts e ON e.id = a.expert_id WHERE e.email = 'aenne@example.org' ORDER BY f.code)")"

printf '\xef\xbb\xbfname;email;fields\r\nLea Schön;lea@example.org;SF12\r\n' >"$T/upload.csv"
check "console upload of a German Excel CSV: 200" 200 "$(upload "$T/upload.csv" experts)"
contains "... one imported (singular)" "<h1>1 expert imported</h1>" "$T/body"
check "... stored" "Lea Schön" "$(sql "SELECT name FROM experts WHERE email = 'lea@example.org'")"

printf 'code;title\r\nSF90;Straße & Plätze\r\nSF91;"Grün; blau"\r\n' >"$T/felder.csv"
check "console upload of key fields with ;: 303" 303 "$(upload "$T/felder.csv" fields)"
check "... both stored" "SF90=Straße & Plätze|SF91=Grün; blau" \
    "$(sql "SELECT group_concat(code || '=' || title, '|') FROM (SELECT code, title FROM fields WHERE code IN ('SF90', 'SF91') ORDER BY code)")"

# ---- saved as Windows-1252 ("CSV (Trennzeichen-getrennt)") ----
printf 'name;email;fields\r\nJ\xf6rg Wei\xdf;jw@example.org;SF41\r\n' >"$T/experts.csv"
n1=$(experts)
kf_cli expert import demo "$T/experts.csv" >"$T/out" 2>"$T/err"
check "CLI: a Windows-1252 CSV: exit 1" 1 $?
contains "... says so by name" "The file $T/experts.csv is not UTF-8: in Excel choose \"CSV UTF-8\" when you save it." "$T/err"
check "... nobody imported" "$n1" "$(experts)"
check "console upload of a Windows-1252 CSV: 422 (not 400)" 422 "$(upload "$T/experts.csv" experts)"
contains "... says so by name" "The file experts.csv is not UTF-8: in Excel choose &quot;CSV UTF-8&quot; when you save it." "$T/body"
check "... nobody imported" "$n1" "$(experts)"
check "key fields: a Windows-1252 CSV: 422" 422 "$(upload "$T/experts.csv" fields)"
contains "... says so by name" "The file experts.csv is not UTF-8" "$T/body"
cp "$T/experts.csv" "$T/x.csv"
check "an upload named <img src=x onerror=alert(1)>.csv, not UTF-8: 422" 422 "$(req "$J" -H "Origin: $KF_URL" -F "csrf=$csrf" -F "file=@$T/x.csv;filename=<img src=x onerror=alert(1)>.csv;type=text/csv" -F csv= "$A/c/demo/experts/import")"
contains "... its name shown escaped" "The file &lt;img src=x onerror=alert(1)&gt;.csv is not UTF-8" "$T/body"
lacks "... never as markup" "<img src" "$T/body"
check "an upload named C:\\Users\\ana\\Liste.csv: its last path element" 422 "$(req "$J" -H "Origin: $KF_URL" -F "csrf=$csrf" -F "file=@$T/x.csv;filename=C:\\Users\\ana\\Liste.csv;type=text/csv" -F csv= "$A/c/demo/experts/import")"
contains "... shown" "The file Liste.csv is not UTF-8" "$T/body"
check "a pasted text that is not UTF-8 is still a 400" 400 "$(req "$J" -H "Origin: $KF_URL" \
    --data-urlencode "csrf=$csrf" --data-binary $'csv=J\xf6rg' "$A/c/demo/experts/import")"
[ "$n0" -lt "$n1" ] && ok "... counts moved only for the good files" || bad "... counts"

# ---- the import's messages in German: the CLI by LANG, the console by
# Accept-Language (until a coordinator chooses her language) ----
LANG=de_DE.UTF-8 kf_cli expert import demo "$T/experts.csv" >"$T/out" 2>"$T/err"
check "CLI, LANG=de_DE.UTF-8, Windows-1252: exit 1" 1 $?
contains "... in German, naming the file" "Die Datei $T/experts.csv ist nicht UTF-8: Wählen Sie in Excel beim Speichern „CSV UTF-8 (durch Trennzeichen getrennt)“. Nichts wurde importiert." "$T/err"
printf 'name;email;fields\nA;a@example.org;SF99\nB;kein-at;SF41\n' >"$T/bad.csv"
LANG=de_DE.UTF-8 kf_cli expert import demo "$T/bad.csv" >"$T/out" 2>"$T/err"
contains "CLI in German: each line's problem" "Zeile 2: in dieser Kampagne gibt es kein Schlüsselfeld „SF99“. Zeile 3: das ist keine E-Mail-Adresse. Nichts wurde importiert." "$T/err"
LC_ALL=C LANG=de_DE.UTF-8 kf_cli expert import demo "$T/bad.csv" >"$T/out" 2>"$T/err"
contains "... LC_ALL=C wins: English" "Line 2: there is no key field \"SF99\" in this campaign." "$T/err"
printf 'name;email;fields\nMia Klein;mia@example.org;SF41\nMia Klein;MIA@example.org;SF41\n' >"$T/mia.csv"
LANG=de_DE.UTF-8 kf_cli expert import demo "$T/mia.csv" >"$T/out" 2>"$T/err"
contains "CLI in German: the count (plural forms)" "1 Expertin oder Experte in demo importiert, 1 Zeile übersprungen" "$T/out"
contains "... the skipped row" "Zeile 3: übersprungen: MIA@example.org steht schon in Zeile 2." "$T/err"
LANG=de_DE.UTF-8 kf_cli expert import demo "$T/mia.csv" >"$T/out" 2>"$T/err"
contains "... again: invited already, in German" "Zeile 2: übersprungen: mia@example.org ist schon zu dieser Kampagne eingeladen, als Mia Klein (Nr. " "$T/err"
check "console, Accept-Language: de-CH, Windows-1252: 422" 422 "$(upload "$T/experts.csv" experts -H 'Accept-Language: de-CH;q=0.9,en;q=0.8')"
contains "... in German" "Die Datei experts.csv ist nicht UTF-8: Wählen Sie in Excel beim Speichern „CSV UTF-8 (durch Trennzeichen getrennt)“." "$T/body"
check "console, Accept-Language: de, bad rows: 422" 422 "$(req "$J" -H 'Accept-Language: de' --data-urlencode "csrf=$csrf" --data-urlencode "csv@$T/bad.csv" "$A/c/demo/experts/import")"
contains "... each line in German" "Zeile 2: in dieser Kampagne gibt es kein Schlüsselfeld „SF99“." "$T/body"
check "console, Accept-Language: xx: English" 422 "$(req "$J" -H 'Accept-Language: xx' --data-urlencode "csrf=$csrf" --data-urlencode "csv@$T/bad.csv" "$A/c/demo/experts/import")"
contains "... in English" "Line 2: there is no key field &quot;SF99&quot; in this campaign." "$T/body"
check "console, Accept-Language malformed: English, no error" 422 "$(req "$J" -H 'Accept-Language: ;;q=x,,de;q=9' --data-urlencode "csrf=$csrf" --data-urlencode "csv@$T/bad.csv" "$A/c/demo/experts/import")"
contains "... in English" "Line 3: this is not an e-mail address." "$T/body"
printf 'name;email;fields\nNina Roth;nina@example.org;SF41\n' >"$T/nina.csv"
check "console, Accept-Language: de, good rows: 200" 200 "$(req "$J" -H 'Accept-Language: de' --data-urlencode "csrf=$csrf" --data-urlencode "csv@$T/nina.csv" "$A/c/demo/experts/import")"
contains "... the heading in German, singular" "<h1>1 Expertin oder Experte importiert</h1>" "$T/body"
check "right after, without Accept-Language: English" 422 "$(upload "$T/experts.csv" experts)"
contains "... in English" "The file experts.csv is not UTF-8" "$T/body"

# ---- form translations: check and import ----
kf_cli form check "$top_srcdir/forms/keyfield.json" >"$T/out" 2>"$T/err"
check "form check of the shipped form (English and German): exit 0" 0 $?
contains "... valid" "form keyfield version 2 is valid" "$T/out"
python3 - "$top_srcdir/forms/keyfield.json" "$T/partial.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1], encoding="utf-8"))
f["name"] = "partial"
f["sections"][2]["title"] = f["sections"][2]["title"]["en"]
del f["sections"][8]["questions"][0]["label"]["de"]
json.dump(f, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
kf_cli form check "$T/partial.json" >"$T/out" 2>"$T/err"
check "form check, two German texts missing: exit 1" 1 $?
contains "... the first by its JSON path" '$.sections[2].title: no "de" text' "$T/err"
contains "... the second" '$.sections[8].questions[0].label: no "de" text' "$T/err"
contains "... counted" "form partial version 2 lacks 2 translations" "$T/err"
kf_cli form import "$T/partial.json" >"$T/out" 2>"$T/err"
check "form import of it: exit 1" 1 $?
contains "... says how" "import it with --allow-incomplete" "$T/err"
check "... not imported" 0 "$(sql "SELECT count(*) FROM forms WHERE name = 'partial'")"
kf_cli form import "$T/partial.json" --allow-incomplete >"$T/out" 2>"$T/err"
check "form import --allow-incomplete: exit 0" 0 $?
contains "... still lists what is missing" '$.sections[2].title: no "de" text' "$T/err"
check "... imported" 1 "$(sql "SELECT count(*) FROM forms WHERE name = 'partial'")"
sed 's/"de": "Indikatoren"/"fr": "Indicateurs"/' "$top_srcdir/forms/keyfield.json" >"$T/fr.json"
kf_cli form check "$T/fr.json" >"$T/out" 2>"$T/err"
check "form check, a language the form does not list: exit 1" 1 $?
contains "... by path" '$.sections[9].questions[0].label.fr: "fr" is not one of the form'"'"'s "languages"' "$T/err"

# ---- a campaign's languages, an expert's (migration 016) ----
check "a campaign is English until told: en|en" "en|en" "$(sql "SELECT languages || '|' || default_language FROM campaigns WHERE slug = 'demo'")"
kf_cli expert add demo --name "Olga Frei" --email olga@example.org --fields SF41 --lang de --no-mail >"$T/out" 2>"$T/err"
check "expert add --lang de in an English campaign: exit 1" 1 $?
contains "... says which languages it has" "the language \"de\" is not one of this campaign's (en)" "$T/err"
check "... nobody added" 0 "$(sql "SELECT count(*) FROM experts WHERE email = 'olga@example.org'")"
kf_cli campaign languages demo 'de, xx' >"$T/out" 2>"$T/err"
check "campaign languages with xx (no catalogue): exit 1" 1 $?
contains "... says why" '"xx" is not a language keyfield speaks' "$T/err"
kf_cli campaign languages demo en,en >/dev/null 2>"$T/err"
contains "campaign languages en,en: refused" "en is listed twice" "$T/err"
kf_cli campaign languages demo en,de --default fr >/dev/null 2>"$T/err"
contains "... a default not listed: refused" 'the default language "fr" is not one of en,de' "$T/err"
kf_cli campaign languages demo 'en, de' --default de >"$T/out" 2>"$T/err"
check "campaign languages demo en,de --default de: exit 0" 0 $?
contains "... says so" "campaign demo: languages en,de, default de" "$T/out"
check "... stored" "en,de|de" "$(sql "SELECT languages || '|' || default_language FROM campaigns WHERE slug = 'demo'")"
kf_cli campaign languages demo >"$T/out"
contains "campaign languages demo (no list) shows them" "campaign demo: languages en,de, default de" "$T/out"
kf_cli campaign languages nosuch en >/dev/null 2>"$T/err"
check "campaign languages of no campaign: exit 1" 1 $?
kf_cli expert add demo --name "Olga Frei" --email olga@example.org --fields SF41 --lang de --no-mail >"$T/out" 2>"$T/err"
check "expert add --lang de: exit 0" 0 $?
check "... her language stored" "de" "$(sql "SELECT lang FROM experts WHERE email = 'olga@example.org'")"
kf_cli expert add demo --name "Pia" --email pia@example.org --fields SF41 --no-mail >/dev/null 2>&1
check "expert add without --lang: none (NULL) until chosen" "1" "$(sql "SELECT lang IS NULL FROM experts WHERE email = 'pia@example.org'")"
printf 'name;email;fields;lang\r\nQuirin;q@example.org;SF41;de\r\nRita;r@example.org;SF41;\r\nSam;s@example.org;SF41;en\r\n' >"$T/lang.csv"
kf_cli expert import demo "$T/lang.csv" >"$T/out" 2>"$T/err"
check "CSV import with a lang column: exit 0" 0 $?
check "... each row's language (empty: none)" "de|(none)|en" "$(sql "SELECT group_concat(coalesce(lang, '(none)'), '|') FROM (SELECT lang FROM experts WHERE email IN ('q@example.org', 'r@example.org', 's@example.org') ORDER BY email)")"
printf 'Uwe;u@example.org;SF41;fr\nVera;v@example.org;SF41;de;x\n' >"$T/badlang.csv"
check "console: a lang the campaign has not: 422" 422 "$(req "$J" --data-urlencode "csrf=$csrf" --data-urlencode "csv@$T/badlang.csv" "$A/c/demo/experts/import")"
contains "... says which" "Line 1: the language &quot;fr&quot; is not one of this campaign&#39;s (en,de)." "$T/body"
contains "... five values: said" "Line 2: write three values, name,email,fields, and a fourth, lang, if you like." "$T/body"
check "... nobody imported" 0 "$(sql "SELECT count(*) FROM experts WHERE email IN ('u@example.org', 'v@example.org')")"

# ---- exports for a German Excel: --delimiter ';' --bom, the console ----
kf_cli export demo --format csv --delimiter ';' --bom --output "$T/de.csv" 2>"$T/err"
check "CLI export --delimiter ';' --bom: exit 0" 0 $?
check "... a BOM, then ; between the header's values" "efbbbf" "$(head -c 3 "$T/de.csv" | od -An -tx1 | tr -d ' \n')"
kf_cli export demo --format csv --output "$T/en.csv"
check "... the same cells as the comma export" "$(python3 -c 'import csv,sys; print(list(csv.reader(open(sys.argv[1], encoding="utf-8"))))' "$T/en.csv")" \
    "$(python3 -c 'import csv,sys; print(list(csv.reader(open(sys.argv[1], encoding="utf-8-sig"), delimiter=";")))' "$T/de.csv")"
contains "... ; in the header" "campaign;" "$T/de.csv"
kf_cli export demo --format csv-long --delimiter ';' >"$T/long.csv" 2>"$T/err"
check "CLI export csv-long --delimiter ';': exit 0" 0 $?
kf_cli export demo --format json --delimiter ';' >/dev/null 2>"$T/err"
check "--delimiter with json: exit 1" 1 $?
contains "... says it is for CSV" "--delimiter is for csv and csv-long only" "$T/err"
kf_cli export demo --format csv --delimiter '|' >/dev/null 2>"$T/err"
check "--delimiter '|': exit 1" 1 $?
contains "... says which" "--delimiter \"|\": use ',' or ';'" "$T/err"
req "$J" "$A/c/demo" >/dev/null
contains "the campaign page links the German Excel CSV" "/export/csv?delimiter=semicolon&amp;bom=1" "$T/body"
check "console: that download: 200" 200 "$(req "$J" "$A/c/demo/export/csv?delimiter=semicolon&bom=1")"
check "... the same bytes as the CLI's" "$(md5sum <"$T/de.csv")" "$(md5sum <"$T/body")"
check "console: delimiter=tab: 400" 400 "$(req "$J" "$A/c/demo/export/csv?delimiter=tab")"
contains "... says which there are" "delimiter=semicolon" "$T/body"

checks_done languages
