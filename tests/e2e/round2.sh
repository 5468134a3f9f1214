#!/usr/bin/env bash
# End to end: the round-2 (Delphi) card through real nginx + FastCGI
# (curl). Five experts submit known ratings, "keyfield round start" opens
# round 2, and an expert's round-2 card must show, beside each city's
# rating, her round-1 rating and the panel's median, Q1 to Q3 and n as
# Python's statistics.quantiles(method="inclusive") computes them here;
# under a higher min_n they are hidden. Submitting a rating outside
# [Q1, Q3] without a reason answers 422 with the message beside it and
# every typed value kept; Save draft never asks; with reasons, 303; the
# reasons are in the console's card view and in the exports. Prints
# "round2: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
kf_start || exit 1
T=$KF_VAR/t
mkdir -p "$T"

. "$(dirname "$0")/rounds.sh"
rounds_panel
CARD=$(card_id test.expert@example.org SF41)
J0=$T/jar0

# ---- round 1: nothing of the kind ----
curl -s -b "$J0" "$KF_URL/card/$CARD" >"$T/r1.html"
lacks "round 1: no panel figures" 'class="delphi' "$T/r1.html"
lacks "round 1: no reason field" 'rating_reason' "$T/r1.html"

kf_cli round start demo >/dev/null
check "round start: round 2" 2 "$(sql "SELECT max(number) FROM rounds")"

# figures CITY: "own median q1 q3 n" of the panel for CITY, by Python.
figures() {
	/usr/bin/python3 - "$1" "${RATINGS[@]}" <<'PY'
import statistics, sys
cities = ["Fr", "B", "C", "NY", "S", "T"]
i = cities.index(sys.argv[1])
v = [int(r.split()[i]) for r in sys.argv[2:]]
q1, med, q3 = statistics.quantiles(v, n=4, method="inclusive")
num = lambda x: str(int(x)) if float(x).is_integer() else str(x)
print(v[0], num(med), num(q1), num(q3), len(v))
PY
}
# shown CITY FILE: the same five numbers as the card's HTML shows them.
shown() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import re, sys
html = open(sys.argv[2], encoding="utf-8").read()
m = re.search(r'<div class="delphi" data-for="rating\.rating\.%s"[^>]*>'
              r'(.*?)</div>' % re.escape(sys.argv[1]), html, re.S)
if not m:
    print("no block"); sys.exit()
dd = re.findall(r"<dd>(.*?)</dd>", m.group(1))
if len(dd) != 4:
    print("dd: %r" % dd); sys.exit()
q1, q3 = dd[2].split(" to ")
print(dd[0], dd[1], q1, q3, dd[3])
PY
}

check "round 2: her card" 200 \
    "$(curl -s -o "$T/r2.html" -w '%{http_code}' -b "$J0" "$KF_URL/card/$CARD")"
contains "round 2: the intro says what it shows" "<h2>Round 2</h2>" \
    "$T/r2.html"
for c in Fr B C NY S T; do
	check "round 2, $c: her rating, median, Q1, Q3, n" \
	    "$(figures $c)" "$(shown $c "$T/r2.html")"
done
contains "round 2: Freiburg's median as markup" \
    "<dt>Panel's median</dt><dd>3</dd>" "$T/r2.html"
contains "round 2: Freiburg's quartiles for the script" \
    '<div class="delphi" data-for="rating.rating.Fr" data-q1x4="8" data-q3x4="32">' \
    "$T/r2.html"
contains "round 2: a reason field beside Freiburg" \
    '<label for="rating_reason.Fr">Reason for Freiburg, needed if your rating is outside 2 to 8</label>' \
    "$T/r2.html"
contains "round 2: the sector's levels" \
    'The panel in round 1 (n = 5): none 0, low 1, medium 1, high 3; median level: high.' \
    "$T/r2.html"
contains "round 2: the draft holds her round-1 rating" \
    'name="rating.rating.Fr" value="2"' "$T/r2.html"

# ---- fewer answers than min_n: hidden ----
kf_cli consensus demo --min-n 6 >/dev/null
curl -s -b "$J0" "$KF_URL/card/$CARD" >"$T/few.html"
contains "min_n 6: the note" \
    '<dt>Panel</dt><dd>fewer than 6 answers: not shown</dd>' "$T/few.html"
lacks "min_n 6: no median" "Panel's median" "$T/few.html"
lacks "min_n 6: no quartiles for the script" 'data-q1x4' "$T/few.html"
lacks "min_n 6: no reason field" 'rating_reason' "$T/few.html"
contains "min_n 6: the sector's note" \
    'The panel in round 1: fewer than 6 answers, not shown.' "$T/few.html"
contains "min_n 6: her own rating still shown" \
    '<dt>Your round 1 rating</dt><dd>2</dd>' "$T/few.html"
check "min_n 6: submitting needs no reason" 303 \
    "$(post "$T/jar1" "$(card_id e1@example.org SF41)" submit 2 8 5 6 2 8 high)"
kf_cli consensus demo --min-n 3 >/dev/null

# ---- the reason rule ----
# Expert 0's round-1 ratings: B 7 and S 1 lie below Q1; Fr 10 above Q3.
check "outside Q1-Q3 without reasons: 422" 422 \
    "$(post "$J0" "$CARD" submit 10 7 5 6 1 8 high)"
cp "$T/body" "$T/422.html"
contains "422: the message beside Freiburg's rating" \
    '<p class="issue" id="rating.rating.Fr-issue">This rating is outside the panel&#39;s Q1 to Q3 (2 to 8): give a short reason beside it, or change it.</p>' \
    "$T/422.html"
contains "422: ... and beside Berlin's" 'id="rating.rating.B-issue"' \
    "$T/422.html"
contains "422: ... and beside Singapore's" 'id="rating.rating.S-issue"' \
    "$T/422.html"
lacks "422: not beside Copenhagen's (inside)" 'id="rating.rating.C-issue"' \
    "$T/422.html"
contains "422: the typed rating kept" 'name="rating.rating.Fr" value="10"' \
    "$T/422.html"
contains "422: the typed text kept" 'typed description' "$T/422.html"
contains "422: the reason field is marked" \
    'name="rating_reason.Fr" maxlength="500" value="" aria-invalid="true"' \
    "$T/422.html"
check "422: nothing stored" 1 \
    "$(sql "SELECT max(v.version) FROM response_versions v JOIN responses r ON r.id = v.response_id WHERE r.assignment_id = $CARD")"
check "one reason of two: 422" 422 \
    "$(post "$J0" "$CARD" submit 10 7 5 6 1 8 high \
    -d 'rating_reason.B=Berlin lost its cluster office')"
contains "... the typed reason kept" \
    'value="Berlin lost its cluster office"' "$T/body"
lacks "... Berlin's message gone" 'id="rating.rating.B-issue"' "$T/body"
long=$(printf 'x%.0s' $(seq 501))
check "a reason of 501 characters: 422" 422 \
    "$(post "$J0" "$CARD" save 10 7 5 6 1 8 high -d "rating_reason.Fr=$long")"
contains "... says the limit" \
    'The reason may be at most 500 characters long; it has 501.' "$T/body"
check "Save draft without reasons: 303" 303 \
    "$(post "$J0" "$CARD" save 10 7 5 6 1 8 high)"
# The session lost while typing: the 403 page and the resumed card keep
# the reasons typed (as every other value).
check "session lost: the 403 page" 403 "$(curl -s -o "$T/keep.html" \
    -w '%{http_code}' -d revision=0 -d action=save -d rating.rating.Fr=10 \
    --data-urlencode 'rating_reason.Fr=kept <reason>' "$KF_URL/card/$CARD")"
contains "... keeps the typed reason, escaped" \
    '<input type="text" id="rating_reason.Fr" name="rating_reason.Fr" value="kept &lt;reason&gt;">' \
    "$T/keep.html"
contains "... labelled with its city" \
    '<label for="rating_reason.Fr">Reason for the rating of Freiburg</label>' \
    "$T/keep.html"
check "... resumed with her link" 200 "$(curl -s -o "$T/resume.html" \
    -w '%{http_code}' -c "$T/jar-r" -H "Origin: $KF_URL" -d revision=0 \
    -d rating.rating.Fr=10 --data-urlencode 'rating_reason.Fr=kept <reason>' \
    --data-urlencode "link=$KF_LINK" "$KF_URL/card/$CARD/resume")"
contains "... the card, the reason in its field beside the figures" \
    'name="rating_reason.Fr" maxlength="500" value="kept &lt;reason&gt;"' \
    "$T/resume.html"
check "with every reason: 303" 303 \
    "$(post "$J0" "$CARD" submit 10 7 5 6 1 8 high \
    -d 'rating_reason.Fr=Freiburg <b>opened</b> a cluster agency' \
    -d 'rating_reason.B=Berlin lost its cluster office' \
    -d 'rating_reason.S=Singapore has none yet')"
check "the reasons are answers of version 2" \
    "B|Berlin lost its cluster office
Fr|Freiburg <b>opened</b> a cluster agency
S|Singapore has none yet" \
    "$(sql "SELECT a.row, a.value FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.assignment_id = $CARD AND a.version = 2 AND a.question = 'rating_reason' ORDER BY a.row")"
check "version 2 is of round 2" 2 \
    "$(sql "SELECT v.round FROM response_versions v JOIN responses r ON r.id = v.response_id WHERE r.assignment_id = $CARD AND v.version = 2")"
curl -s -b "$J0" "$KF_URL/card/$CARD" >"$T/after.html"
contains "the card shows the reason again, escaped" \
    'value="Freiburg &lt;b&gt;opened&lt;/b&gt; a cluster agency"' \
    "$T/after.html"

# ---- the console's card view and the exports ----
A=$KF_URL/admin
J=$T/coordinator
printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
req() { curl -s -o "$T/body" -w '%{http_code}' -b "$J" -c "$J" "$@"; }
req "$A/login" >/dev/null
tok=$(grep -o 'name="csrf" value="[^"]*"' "$T/body" | head -n 1 |
    sed 's/.*value="//; s/"$//')
check "coordinator signs in" 303 "$(req -H "Origin: $KF_URL" \
    --data-urlencode "csrf=$tok" -d username=ana \
    --data-urlencode 'password=correct horse battery' "$A/login")"
RID=$(sql "SELECT id FROM responses WHERE assignment_id = $CARD")
check "console: the card" 200 "$(req "$A/r/$RID")"
contains "console: Freiburg's reason, escaped" \
    '<dt>Reason for the rating of Freiburg</dt><dd>Freiburg &lt;b&gt;opened&lt;/b&gt; a cluster agency</dd>' \
    "$T/body"
check "console: the diff of versions 1 and 2" 200 \
    "$(req "$A/r/$RID?from=1&to=2")"
contains "console: the diff lists Freiburg's new reason, escaped" \
    '<tr><th scope="row">Reason for Freiburg</th><td></td><td><ins>Freiburg &lt;b&gt;opened&lt;/b&gt; a cluster agency</ins></td></tr>' \
    "$T/body"
contains "console: ... and Singapore's" \
    '<tr><th scope="row">Reason for Singapore</th><td></td><td><ins>Singapore has none yet</ins></td></tr>' \
    "$T/body"
check "console: the diff of version 2 with itself" 200 \
    "$(req "$A/r/$RID?from=2&to=2")"
contains "console: ... no differences" 'No differences.' "$T/body"
kf_cli export demo --format csv-long --output "$T/long.csv" 2>"$T/err"
check "export csv-long: exit 0" 0 $?
check "csv-long: the reason is a value of version 2" \
    "Freiburg <b>opened</b> a cluster agency" \
    "$(/usr/bin/python3 - "$T/long.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
print(*[r["value"] for r in rows if r.get("question") == "rating_reason"
        and "Fr" in r.values()], sep="|")
PY
)"
kf_cli export demo --format json --output "$T/all.json" 2>"$T/err"
check "export json: exit 0" 0 $?
contains "json: the reason" 'Singapore has none yet' "$T/all.json"

# A reason saved while the panel's figures were shown is the expert's
# text: kept when min_n hides the figures, in its field with a note,
# and through the next save.
kf_cli consensus demo --min-n 6 >/dev/null
curl -s -b "$J0" "$KF_URL/card/$CARD" >"$T/hidden.html"
contains "min_n 6: her saved reason still in its field" \
    'name="rating_reason.Fr" maxlength="500" value="Freiburg &lt;b&gt;opened&lt;/b&gt; a cluster agency"' \
    "$T/hidden.html"
contains "min_n 6: ... labelled, saying none is needed now" \
    "<label for=\"rating_reason.Fr\">Your reason for Freiburg (kept; none is needed while the panel's figures are not shown)</label>" \
    "$T/hidden.html"
lacks "min_n 6: still no figures" "Panel's median" "$T/hidden.html"
check "min_n 6: Save draft with the page's reasons: 303" 303 \
    "$(post "$J0" "$CARD" save 10 7 5 6 1 8 high \
    -d 'rating_reason.Fr=Freiburg <b>opened</b> a cluster agency' \
    -d 'rating_reason.B=Berlin lost its cluster office' \
    -d 'rating_reason.S=Singapore has none yet')"
check "min_n 6: the draft keeps every reason" \
    "B|Berlin lost its cluster office
Fr|Freiburg <b>opened</b> a cluster agency
S|Singapore has none yet" \
    "$(sql "SELECT a.row, a.value FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.assignment_id = $CARD AND a.version = 0 AND a.question = 'rating_reason' ORDER BY a.row")"
check "min_n 6: a hidden city's reason is still capped: 422" 422 \
    "$(post "$J0" "$CARD" save 10 7 5 6 1 8 high -d "rating_reason.B=$long")"
kf_cli consensus demo --min-n 3 >/dev/null

# A closed campaign: the card is read-only, its reason fields too.
kf_cli campaign close demo >/dev/null
curl -s -b "$J0" "$KF_URL/card/$CARD" >"$T/closed.html"
contains "closed: the reason field is disabled" \
    'name="rating_reason.Fr" maxlength="500" value="Freiburg &lt;b&gt;opened&lt;/b&gt; a cluster agency" disabled>' \
    "$T/closed.html"

checks_done round2
