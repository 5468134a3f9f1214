#!/usr/bin/env bash
# End to end: mails, exports and the CLI in a language (issue 17), with a
# real keyfield (nginx, the programs, keyfield-notify, the maildir): a
# German expert's invitation and reminder in German (subject RFC 2047,
# body, the deadline as "6. Dezember 2026"), an English one's in English
# in the same campaign; the language her card was written in recorded
# per version (csv-long's lang column, json's "lang"); export --lang de:
# German labels, the values and keys as with --lang en; an unknown
# --lang refused by the CLI (exit 1) and the console (400); the CLI's
# errors in German under LANG=de_DE.UTF-8.
# Prints "languages-mail: N passed, N failed".
set -uo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/e2e/lib.sh"
kf_start || exit 1
T=$KF_VAR/t
mkdir -p "$T"
MAILDIR=$KF_VAR/mail
READ=$top_srcdir/tests/e2e/mail_read.py
mails_to() { grep -l "^To: .*<\?$1>\?" "$MAILDIR"/new/* 2>/dev/null; }
has_mail() { [ -n "$(mails_to "$1")" ]; }
has_mails() { [ "$(mails_to "$1" | wc -l)" -ge "$2" ]; }
# The decoded body of message file $1.
body_of() { python3 -c 'import email, email.policy, sys
print(email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default).get_content())' "$1"; }

kf_cli campaign languages demo en,de >/dev/null
kf_cli campaign deadline demo 2026-12-31 >/dev/null
LINK_DE=$(kf_cli expert add demo --name "Jörg Müller" --email joerg@example.org \
	--fields SF41 --lang de | tail -n 1)

# ---- the invitation in her language ----
wait_for 10 has_mail joerg@example.org
f=$(mails_to joerg@example.org | head -n 1)
"$READ" "$f" >"$T/read" 2>&1
check "the German invitation parses, 7-bit, without defects" 0 $?
IFS=$'\t' read -r _ to name subject link _ <"$T/read"
check "... Subject in German" "Einladung: Test campaign" "$subject"
check "... her name decodes (RFC 2047)" "Jörg Müller" "$name"
check "... the link the CLI printed" "$LINK_DE" "$link"
body_of "$f" >"$T/body"
contains "... body in German" "Guten Tag Jörg Müller," "$T/body"
contains "... with her key field" "SF41 Cluster Management" "$T/body"
lacks "... no English" "Dear" "$T/body"
lacks "... no raw UTF-8 in the file" "Schlüssel" "$f"
# The English expert of kf_start: English.
body_of "$(mails_to test.expert@example.org | head -n 1)" >"$T/body_en"
contains "the default-language expert's invitation: English" "Dear Test Expert," "$T/body_en"

# ---- a reminder: the deadline written out in German ----
waited() { [ "$(sql "SELECT count(*) FROM mails WHERE status IN ('compose', 'pending')")" = 0 ]; }
wait_for 10 waited
# Their invitations went out 10 days ago.
sql "UPDATE mails SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-10 days')"
sql "UPDATE experts SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-10 days')"
kf_cli mail remind demo >"$T/out" 2>&1
check "mail remind: exit 0" 0 $?
wait_for 10 has_mails joerg@example.org 2
f=$(mails_to joerg@example.org | tail -n 1)
"$READ" "$f" >"$T/read" 2>&1
IFS=$'\t' read -r _ _ _ subject _ _ <"$T/read"
check "the reminder's Subject in German" "Erinnerung: Test campaign" "$subject"
body_of "$f" >"$T/body"
contains "... its deadline as a German date" "Frist: 31. Dezember 2026" "$T/body"
# Her opt-out page (the reminder's List-Unsubscribe) in her language,
# whatever her browser asks for.
u=$(grep -o "unsubscribe=<[^>]*>" "$T/read" | sed 's/unsubscribe=<//; s/>$//')
check "her opt-out page, the browser asking for English: 200" 200 "$(curl -s -o "$T/optout" -w '%{http_code}' -H 'Accept-Language: en' "$u")"
contains "... in German" '<html lang="de">' "$T/optout"
contains "... its button in German" '>Erinnerungen abbestellen</button>' "$T/optout"
wait_for 10 has_mails test.expert@example.org 2
body_of "$(mails_to test.expert@example.org | tail -n 1)" >"$T/body_en"
contains "... the English one's: an English date" "Deadline: 31 December 2026" "$T/body_en"

# ---- the language of the card, per version ----
RATE=(-d rating.rating.Fr=7 -d rating.rating.B=6 -d rating.rating.C=5 -d rating.rating.NY=4 -d rating.rating.S=3 -d rating.rating.T=2 --data-urlencode "description=Straße & Grün")
check "she submits her card: 303" 303 "$(kf_submit "$LINK_DE" joerg@example.org "$T/jar" SF41 "${RATE[@]}")"
wait_for 10 has_mails joerg@example.org 3
f=$(mails_to joerg@example.org | tail -n 1)
"$READ" "$f" >"$T/read" 2>&1
IFS=$'\t' read -r _ _ _ subject _ _ <"$T/read"
check "her thank-you note's Subject in German" "Vielen Dank: Test campaign" "$subject"
body_of "$f" >"$T/body"
contains "... its text" "vielen Dank: Ihr Steckbrief ist abgegeben." "$T/body"
contains "... her card, its version and day in German" "SF41 Cluster Management, Version 1, $(date -u +%-d). " "$T/body"
contains "... the deadline" "(Frist: 31. Dezember 2026)" "$T/body"
check "... her version records de" de "$(sql "SELECT v.lang FROM response_versions v JOIN responses r ON r.id = v.response_id JOIN assignments a ON a.id = r.assignment_id JOIN experts e ON e.id = a.expert_id WHERE e.email = 'joerg@example.org'")"
check "the English expert submits: 303" 303 "$(kf_submit "$KF_LINK" test.expert@example.org "$T/jar2" SF41 "${RATE[@]}")"
kf_cli export demo --format csv-long --output "$T/long.csv"
check "export csv-long: exit 0" 0 $?
python3 - "$T/long.csv" >"$T/langs" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
print(sorted({(r["expert"], r["lang"]) for r in rows}))
PY
check "csv-long: a lang column per version" "[('Jörg Müller', 'de'), ('Test Expert', 'en')]" "$(cat "$T/langs")"
kf_cli export demo --format json --output "$T/all.json"
check "json: a lang per version" "de en" "$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
print(" ".join(sorted(v["lang"] for c in j["rounds"][0]["cards"] for v in c["versions"])))' "$T/all.json")"

# ---- export --lang de: labels German, values and keys untouched ----
for fmt in csv csv-long json; do
	kf_cli export demo --format $fmt --lang en --output "$T/en.$fmt"
	kf_cli export demo --format $fmt --lang de --output "$T/de.$fmt"
done
cmp -s "$T/en.csv-long" "$T/de.csv-long" && ok "csv-long --lang de: identical (keys and values)" || bad "csv-long --lang de differs"
cmp -s "$T/en.json" "$T/de.json" && ok "json --lang de: identical" || bad "json --lang de differs"
head -n 1 "$T/de.csv" >"$T/de.head"
contains "csv --lang de: the slots' headings from the form's German" "Bewertung für Freiburg" "$T/de.head"
contains "... the fixed columns keep their keys" "campaign,key_field," "$T/de.head"
check "... the values identical below the heading" "$(tail -n +2 "$T/en.csv" | sha256sum)" "$(tail -n +2 "$T/de.csv" | sha256sum)"
kf_cli export demo --format md --lang de --output "$T/de.md"
contains "md --lang de: the rating table's heading" "| Expertin/Experte | Fr | B |" "$T/de.md"
contains "... the section titles from the form's German" "## 2. Bezug zur Nachhaltigkeit" "$T/de.md"
kf_cli export demo --format md --output "$T/dflt.md"
contains "md without --lang: the campaign's default (English)" "| Expert | Fr | B |" "$T/dflt.md"
kf_cli export demo --format xlsx --lang de --output "$T/de.xlsx"
check "xlsx --lang de: exit 0" 0 $?
python3 - "$T/de.xlsx" >"$T/xhead" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet1")]
names += [n for n in z.namelist() if n == "xl/sharedStrings.xml"]
texts = [t for n in names
         for t in re.findall(r"<t[^>]*>([^<]*)</t>", z.read(n).decode())]
print("|".join(texts[:4]))
PY
check "... its heading row in German" "Kampagne|Schlüsselfeld|Titel des Schlüsselfelds|Expertin/Experte" "$(cat "$T/xhead")"
kf_cli export demo --format csv --lang xx >"$T/out" 2>"$T/err"
check "export --lang xx: exit 1" 1 $?
contains "... says why" '--lang "xx": no such language' "$T/err"

# ---- the CLI in German ----
LANG=de_DE.UTF-8 kf_cli export nosuch --format csv >"$T/out" 2>"$T/err"
check "LANG=de_DE.UTF-8 export nosuch: exit 1" 1 $?
contains "... the error in German" "keine Kampagne „nosuch“" "$T/err"
LC_ALL=de_DE.UTF-8 kf_cli export demo --format csv --lang xx >"$T/out" 2>"$T/err"
contains "LC_ALL=de: --lang xx in German" '--lang „xx“: keine solche Sprache' "$T/err"
LANG=de_DE.UTF-8 kf_cli mail remind nosuch >"$T/out" 2>"$T/err"
check "LANG=de mail remind nosuch: exit 1" 1 $?
contains "... in German" "keine Kampagne „nosuch“" "$T/err"
LANG=de_DE.UTF-8 kf_cli mail invite demo --dry-run >"$T/out" 2>"$T/err"
contains "LANG=de mail invite --dry-run: the count in German" "Einladungen würden gesendet (--dry-run: keine eingereiht)" "$T/out"
printf 'Dear {nmae}\n' | LANG=de_DE.UTF-8 kf_cli mail template demo reminder --subject Hi >"$T/out" 2>"$T/err"
check "LANG=de mail template with an unknown placeholder: exit 1" 1 $?
contains "... why in German" "unbekannter Platzhalter {nmae} (die Platzhalter sind" "$T/err"
LANG=de_DE.UTF-8 kf_cli stats demo --round 3 >"$T/out" 2>"$T/err"
contains "LANG=de stats --round 3: singular" "--round 3: Kampagne demo hat bisher 1 Runde" "$T/err"
LANG=de_DE.UTF-8 kf_cli campaign deadline demo 2026-02-30 >"$T/out" 2>"$T/err"
contains "LANG=de campaign deadline, no such day" "„2026-02-30“ ist kein Tag wie 2026-12-31" "$T/err"
LANG=de_DE.UTF-8 kf_cli final list demo SF99 >"$T/out" 2>"$T/err"
contains "LANG=de final list of no key field" "Kampagne demo hat kein Schlüsselfeld „SF99“" "$T/err"
LANG=C kf_cli export nosuch --format csv >"$T/out" 2>"$T/err"
contains "LANG=C: English" 'no campaign "nosuch"' "$T/err"

# ---- the console: ?lang= ----
printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
J=$T/cjar
curl -s -o "$T/page" -c "$J" -b "$J" "$KF_URL/admin/login"
tok=$(grep -o 'name="csrf" value="[^"]*"' "$T/page" | head -n 1 | sed 's/.*value="//; s/"$//')
curl -s -o /dev/null -c "$J" -b "$J" -H "Origin: $KF_URL" --data-urlencode "csrf=$tok" \
	-d username=ana --data-urlencode 'password=correct horse battery' "$KF_URL/admin/login"
check "console: export md?lang=de: 200" 200 "$(curl -s -o "$T/c.md" -w '%{http_code}' -b "$J" "$KF_URL/admin/c/demo/export/md?lang=de")"
contains "... German labels" "| Expertin/Experte |" "$T/c.md"
check "console: export csv?lang=xx: 400" 400 "$(curl -s -o "$T/c.out" -w '%{http_code}' -b "$J" "$KF_URL/admin/c/demo/export/csv?lang=xx")"
curl -s -o "$T/manage" -b "$J" "$KF_URL/admin/c/demo"
contains "the campaign page links the German labels" "/admin/c/demo/export/xlsx?lang=de" "$T/manage"

# ---- a campaign whose default is German: its shipped texts in German ----
kf_cli campaign languages demo en,de --default de >/dev/null
kf_cli mail template demo invitation --show >"$T/out"
contains "mail template --show: the shipped text in the default language" "Subject: Einladung: {campaign}" "$T/out"
kf_cli export demo --format md --output "$T/dflt-de.md"
contains "md without --lang: now German, the campaign's default" "| Expertin/Experte |" "$T/dflt-de.md"

checks_done languages-mail
