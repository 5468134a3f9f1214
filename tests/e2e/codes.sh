#!/usr/bin/env bash
# End to end: codes as people write them. A key field "SF 41" (inner
# space) and a city "Zü" (a letter outside ASCII) go through the CLI, the
# console, an expert's card, the dashboard, every export (csv, csv-long,
# json, md, xlsx) and the webhook payload, and come back exactly; codes
# that break the rule are refused with the rule. Prints "codes: N passed,
# N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
kf_start || exit 1

T=$KF_VAR/t
O=$T/out
mkdir -p "$T" "$O"
A=$KF_URL/admin

# ---- set-up through the CLI ----
check "campaign with city Zü" 0 "$(kf_cli campaign add uni --title Uni \
    --form keyfield --cities 'Zü=Zürich,Fr=Freiburg' >/dev/null; echo $?)"
check "key field SF 41" 0 "$(kf_cli field add uni 'SF 41' 'Cluster' >/dev/null; echo $?)"
link=$(kf_cli expert add uni --name Uta --email uta@example.org \
    --fields 'SF 41' | tail -n 1)
check "expert invited to SF 41" 1 "$(sql "SELECT count(*) FROM assignments a
    JOIN fields f ON f.id = a.field_id WHERE f.code = 'SF 41'")"
kf_cli field add uni 'SF  41' x >/dev/null 2>"$T/err"
check "double space refused: exit 1" 1 $?
contains "... with the rule" "single spaces between them, such as SF 41" "$T/err"
kf_cli campaign add bad --title Bad --cities 'Z ü=Z' >/dev/null 2>"$T/err"
check "city code with a space refused: exit 1" 1 $?
contains "... with the rule" "letters (of any script) or digits" "$T/err"
lacks "... not the old rule" "letters or digits," "$T/err"

# ---- the console takes them too ----
printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
J=$T/jar
req "$J" "$A/login" >/dev/null
tok=$(csrf_of "$T/body")
req "$J" -H "Origin: $KF_URL" --data-urlencode "csrf=$tok" -d username=ana \
    --data-urlencode 'password=correct horse battery' "$A/login" >/dev/null
check "campaign page" 200 "$(req "$J" "$A/c/uni")"
csrf=$(csrf_of "$T/body")
check "console adds city Öl" 303 "$(req "$J" --data-urlencode "csrf=$csrf" \
    --data-urlencode 'code=Öl' -d name=Oel "$A/c/uni/cities")"
check "console adds key field 'SF 12.b'" 303 "$(req "$J" \
    --data-urlencode "csrf=$csrf" --data-urlencode 'code=SF 12.b' \
    -d title=Other "$A/c/uni/fields")"
check "console refuses 'SF  41'" 422 "$(req "$J" --data-urlencode "csrf=$csrf" \
    --data-urlencode 'code=SF  41' -d title=Other "$A/c/uni/fields")"
contains "... stating the rule" "single spaces between them" "$T/body"
check "console refuses city 'Z-1'" 422 "$(req "$J" \
    --data-urlencode "csrf=$csrf" --data-urlencode 'code=Z-1' -d name=Z \
    "$A/c/uni/cities")"
contains "... stating the rule" "letters (of any script) or digits" "$T/body"
kf_cli field add uni 'SF 99' 'Gone' >/dev/null

# ---- the expert's card ----
curl -s -o /dev/null -c "$T/e" -d "" "$link"
card=$(sql "SELECT a.id FROM assignments a JOIN fields f ON f.id = a.field_id
    WHERE f.code = 'SF 41'")
check "card page" 200 "$(req "$T/e" "$KF_URL/card/$card")"
contains "the card names SF 41" "SF 41" "$T/body"
contains "the card has a rating for Zü" 'name="rating.rating.Zü"' "$T/body"
csrf=$(csrf_of "$T/body")
check "submit with Zü rated: 303" 303 "$(req "$T/e" \
    --data-urlencode "csrf=$csrf" -d action=submit -d revision=0 \
    --data-urlencode 'rating.rating.Zü=7' -d rating.rating.Fr=8 \
    --data-urlencode 'rating.rating.Öl=2' \
    --data-urlencode 'description=Networking for SMEs.' \
    --data-urlencode 'economic=Cluster management.' \
    -d sectors.relevance.mobility=high \
    --data-urlencode 'indicators=number of cluster groups' \
    "$KF_URL/card/$card")"
check "the rating of Zü is stored" 7 "$(sql "SELECT value FROM answers
    WHERE version = 1 AND question = 'rating.rating' AND row = 'Zü'")"

# ---- the webhook payload ----
check "the event names SF 41 and rates Zü" "SF 41|7|17" \
    "$(sql "SELECT json_extract(payload, '$.key_field.code'),
	json_extract(payload, '$.ratings.Zü'), json_extract(payload, '$.total')
	FROM events WHERE type = 'card.submitted'")"

# ---- the dashboard ----
check "dashboard" 200 "$(req "$J" "$A/c/uni/dashboard")"
contains "dashboard names SF 41" "SF 41" "$T/body"
contains "dashboard names Zü" "Zü" "$T/body"

# ---- the expert's own page: her key fields ticked ("SF 41" is one code) ----
uta=$(sql "SELECT id FROM experts WHERE email = 'uta@example.org'")
sf41=$(sql "SELECT id FROM fields WHERE code = 'SF 41'")
check "Uta's page" 200 "$(req "$J" "$A/c/uni/experts/$uta")"
if grep -q "name=\"f\.$sf41\" value=\"1\" checked" "$T/body"; then
	ok "... SF 41 is ticked"
else
	bad "... SF 41 is ticked ($(grep -o "name=\"f\.$sf41\"[^>]*>" "$T/body"))"
fi
check "the campaign page lists her key fields" 1 \
    "$(req "$J" "$A/c/uni" >/dev/null; grep -c '<td>SF 41 <a href' "$T/body")"

# ---- every export ----
for f in csv csv-long json md xlsx; do
	kf_cli export uni --format "$f" --output "$O/uni.$f" 2>"$T/err"
	check "export $f: exit 0" 0 $?
done
kf_cli export uni --format csv --field 'SF 41' --output "$O/sf41.csv" \
    2>"$T/err"
check "export --field 'SF 41': exit 0" 0 $?
python3 - "$O" >"$T/read.log" 2>&1 <<'EOF'
import csv, json, sys, zipfile
o = sys.argv[1]
def say(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
def rows(name):
    with open(f"{o}/{name}", newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))
wide = rows("uni.csv")
say(any(r.get("key_field") == "SF 41" for r in wide), "csv: key_field SF 41")
say(any(r.get("rating.rating.Zü") == "7" for r in wide) or
    any(v == "7" and "Zü" in k for r in wide for k, v in r.items()),
    "csv: a column for Zü holds 7")
say(len(rows("sf41.csv")) == 1, "csv --field 'SF 41': one row")
long = rows("uni.csv-long")
say(any(r.get("key_field") == "SF 41" and "Zü" in r.values() and
        "7" in r.values() for r in long), "csv-long: SF 41, Zü, 7")
j = json.load(open(f"{o}/uni.json", encoding="utf-8"))
s = json.dumps(j, ensure_ascii=False)
say("SF 41" in s and '"Zü"' in s, "json: SF 41 and Zü")
say(any(c.get("code") == "Zü" for c in j.get("cities", [])), "json: city Zü")
md = open(f"{o}/uni.md", encoding="utf-8").read()
say("SF 41" in md and "Zü" in md, "md: SF 41 and Zü")
z = zipfile.ZipFile(f"{o}/uni.xlsx")
x = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
say("SF 41" in x and "Zü" in x, "xlsx: SF 41 and Zü")
EOF
cat "$T/read.log"
pass=$((pass + $(grep -c '^ok ' "$T/read.log")))
fail=$((fail + $(grep -c '^FAIL ' "$T/read.log")))
grep -q '^ok ' "$T/read.log" || bad "the export reader ran"

checks_done codes
