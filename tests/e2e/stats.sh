#!/usr/bin/env bash
# End to end: five experts submit known ratings through real nginx +
# FastCGI (curl); "keyfield stats" must give, in JSON, CSV and a table,
# what Python's statistics.quantiles(method="inclusive") computes from
# the same ratings here, independently; "keyfield consensus" changes the
# verdicts; bad arguments exit 1 with a message. Prints "stats: N passed,
# N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
kf_start || exit 1
T=$KF_VAR/t
mkdir -p "$T"

# sign_in, card_id, post, RATINGS and rounds_panel: the round-1 panel.
# shellcheck source=rounds.sh
. "$(dirname "$0")/rounds.sh"
# submit JAR CARD Fr B C NY S T LEVEL: submit these ratings (and the
# required texts); with REASONS set, a reason for each city (a round-2
# rating outside the panel's Q1-Q3 needs one).
submit() {
	local jar=$1 card=$2 c reasons=()
	shift 2
	if [ -n "${REASONS:-}" ]; then
		for c in Fr B C NY S T; do
			reasons+=(-d "rating_reason.$c=reconsidered")
		done
	fi
	post "$jar" "$card" submit "$@" "${reasons[@]}"
}

# The ratings (RATINGS): Fr spreads (no consensus), B agrees, NY has a
# tie.
rounds_panel
# A late draft never counts.
link=$(kf_cli expert add demo --name "Draft" --email d@example.org \
    --fields SF41 | tail -n 1)
sign_in "$link" "$T/jard"

# expect RULE_IQR RULE_MIN_N: the JSON keyfield stats must print, from
# the ratings above, computed by Python.
expect() {
	/usr/bin/python3 - "$1" "$2" "${RATINGS[@]}" <<'PY'
import json, statistics, sys
iqr_max, min_n = float(sys.argv[1]), int(sys.argv[2])
cards = [r.split() for r in sys.argv[3:]]
cities = [("Fr", "Freiburg"), ("B", "Berlin"), ("C", "Copenhagen"),
          ("NY", "New York City"), ("S", "Singapore"), ("T", "Tokyo")]
def num(x):
    return int(x) if float(x).is_integer() else x
def cell(v):
    q1, med, q3 = statistics.quantiles(v, n=4, method="inclusive")
    return {"n": len(v), "median": num(med), "q1": num(q1), "q3": num(q3),
            "iqr": num(q3 - q1), "min": min(v), "max": max(v)}
sf41 = []
for i, (code, name) in enumerate(cities):
    c = cell([int(r[i]) for r in cards])
    c["consensus"] = c["n"] >= min_n and c["iqr"] <= iqr_max
    sf41.append(dict(c, code=code, name=name))
total = cell([sum(int(x) for x in r[:6]) for r in cards])
total["consensus"] = all(c["consensus"] for c in sf41)
out = {"SF41": {"cities": sf41, "total": total}}
print(json.dumps(out, sort_keys=True))
PY
}
# got FILE: the same parts of keyfield's JSON, for comparing.
got() {
	/usr/bin/python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = {x["code"]: x for x in d["fields"]}
print(json.dumps({"SF41": {"cities": f["SF41"]["cities"],
                           "total": f["SF41"]["total"]}}, sort_keys=True))
PY
}

kf_cli stats demo --format json >"$T/stats.json"
check "stats --format json: exit 0" 0 $?
check "stats: the statistics Python computes" "$(expect 1 3)" \
    "$(got "$T/stats.json")"
check "stats: campaign, round and rule" \
    '"demo" 1 {"iqr": 1, "min_n": 3, "within_pct": 0}' \
    "$(/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps(d["campaign"]), d["round"], json.dumps(d["rule"], sort_keys=True))' "$T/stats.json")"
check "stats: a key field without cards has n 0 and nulls" \
    '0 None None' "$(/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
c = [f for f in d["fields"] if f["code"] == "SF12"][0]["cities"][0]
print(c["n"], c["median"], c["consensus"])' "$T/stats.json")"
check "stats: the sectors' levels (mobility)" \
    '{"high": 3, "low": 1, "medium": 1, "none": 0} high' \
    "$(/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
s = [f for f in d["fields"] if f["code"] == "SF41"][0]["sectors"][0]
print(json.dumps(s["counts"], sort_keys=True), s["median"])' "$T/stats.json")"

kf_cli stats demo --format csv >"$T/stats.csv"
check "stats --format csv: a header and 7 lines per key field" 15 \
    "$(/usr/bin/python3 -c 'import csv, sys
print(len(list(csv.reader(open(sys.argv[1], newline="")))))' "$T/stats.csv")"
contains "stats csv: Freiburg's line" \
    "SF41,Fr,5,3,2,8,6,2,9,no consensus" "$T/stats.csv"
kf_cli stats demo >"$T/stats.txt"
contains "stats table: the heading" \
    "key_field  city   n  median  q1  q3  iqr  min  max  consensus" \
    "$T/stats.txt"
contains "stats table: Berlin agrees" "consensus" "$T/stats.txt"

# ---- the console's dashboard ----
A=$KF_URL/admin
J=$T/coordinator
printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
# req [curl args...]: the status; the body in $T/body.
req() { curl -s -o "$T/body" -w '%{http_code}' -b "$J" -c "$J" "$@"; }
req "$A/login" >/dev/null
tok=$(grep -o 'name="csrf" value="[^"]*"' "$T/body" | head -n 1 |
    sed 's/.*value="//; s/"$//')
check "coordinator signs in" 303 "$(req -H "Origin: $KF_URL" \
    --data-urlencode "csrf=$tok" -d username=ana \
    --data-urlencode 'password=correct horse battery' "$A/login")"
check "dashboard" 200 "$(req "$A/c/demo/dashboard")"
contains "overview: Berlin 8, IQR 1, consensus" \
    '<td class="num">8 (IQR 1) <span class="verdict yes"' "$T/body"
contains "overview: Freiburg 3, IQR 6, no consensus" \
    '<td class="num">3 (IQR 6) <span class="verdict no"' "$T/body"
contains "ratings table: Freiburg's quartiles" \
    '<td class="num">2 – 8</td>' "$T/body"
contains "chart: a text alternative" \
    'Fr: median 3, Q1 2, Q3 8, lowest 2, highest 9, 5 ratings, no consensus.' \
    "$T/body"
# rows BODY: the key fields of the overview, in order.
rows() {
	sed -n '/<table class="data overview">/,/<\/table>/p' "$T/body" |
	    grep -o '<th scope="row"><a href="#f-[0-9]*">[^<]*</a>' |
	    sed 's/.*">//; s/<.*//' | tr '\n' ' '
}
check "overview by code" "SF12 SF41 " "$(rows)"
req "$A/c/demo/dashboard?order=total" >/dev/null
check "overview by total: the rated key field first" "SF41 SF12 " "$(rows)"
req "$A/c/demo/dashboard?order=agreement" >/dev/null
check "overview by agreement" "SF41 SF12 " "$(rows)"
check "an unknown order: 400" 400 "$(req "$A/c/demo/dashboard?order=x")"

# ---- the rule ----
check "consensus: the default" \
    "campaign demo: consensus when n >= 3 and IQR <= 1" \
    "$(kf_cli consensus demo)"
check "consensus: set" \
    "campaign demo: consensus when n >= 2 and IQR <= 6 and at least 60% within 1 of the median" \
    "$(kf_cli consensus demo --iqr 6 --min-n 2 --within 60)"
kf_cli stats demo --format json >"$T/stats2.json"
check "stats under the new rule: Freiburg now agrees (IQR 6)" "True" \
    "$(/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print([f for f in d["fields"] if f["code"] == "SF41"][0]["cities"][0]["consensus"])' \
    "$T/stats2.json")"
check "the rule change is audited" 1 \
    "$(sql "SELECT count(*) FROM audit WHERE action = 'campaign.consensus'")"

# refused ARGS...: exit 1 with a message on stderr, nothing on stdout.
refused() {
	local what=$1
	shift
	kf_cli "$@" >"$T/out" 2>"$T/err"
	check "$what: exit 1" 1 $?
	if [ -s "$T/err" ] && [ ! -s "$T/out" ]; then
		ok "$what: says why ($(head -c 80 "$T/err"))"
	else
		bad "$what: stderr '$(cat "$T/err")', stdout '$(cat "$T/out")'"
	fi
}
refused "stats of no campaign" stats nosuch
refused "stats --format xml" stats demo --format xml
refused "stats --round 2 before a second round" stats demo --round 2
refused "stats --round 0" stats demo --round 0
refused "stats without a slug" stats
refused "consensus --iqr 1.3" consensus demo --iqr 1.3
refused "consensus --iqr -1" consensus demo --iqr -1
refused "consensus --within 101" consensus demo --within 101
refused "consensus --min-n 0" consensus demo --min-n 0
refused "consensus of no campaign" consensus nosuch --iqr 1
check "a refused rule changes nothing" \
    "campaign demo: consensus when n >= 2 and IQR <= 6 and at least 60% within 1 of the median" \
    "$(kf_cli consensus demo)"

# ---- Delphi rounds ----
check "round start" \
    "campaign demo is in round 2: 5 submitted cards of round 1 are drafts of round 2 again, with their answers" \
    "$(kf_cli round start demo)"
check "round 2: the cards are drafts again" 5 \
    "$(sql "SELECT count(*) FROM responses WHERE status = 'draft' AND round = 2")"
kf_cli stats demo --round 1 --format json >"$T/r1.json"
# (stats2.json: round 1 under the rule set above, before the round started)
check "round 1's statistics are kept" "$(got "$T/stats2.json")" \
    "$(got "$T/r1.json")"
refused "round start again before anything is submitted in round 2" \
    round start demo
# Round 2: experts 0, 1 and 2 keep their ratings, expert 3 changes
# Freiburg 8 -> 4 and expert 4 Freiburg 9 -> 5; the draft expert, who
# never submitted in round 1, answers late (in round 2).
ROUND2=(
	"2 7 5 6 1 8 high"
	"2 8 5 6 2 8 high"
	"3 8 5 6 3 8 medium"
	"4 9 5 7 4 9 low"
	"5 10 6 7 5 9 high"
)
LATE="3 8 5 6 3 8 high"
REASONS=1
for i in 3 0 1 2 4; do
	if [ "$i" -eq 0 ]; then email=test.expert@example.org
	else email=e$i@example.org; fi
	# shellcheck disable=SC2086
	check "expert $i submits in round 2" 303 \
	    "$(submit "$T/jar$i" "$(card_id "$email" SF41)" ${ROUND2[$i]})"
	if [ "$i" -eq 3 ]; then
		kf_cli stats demo --round 1 --format json >"$T/r1b.json"
		check "round 1 unchanged by a round-2 answer" \
		    "$(got "$T/stats2.json")" "$(got "$T/r1b.json")"
	fi
done
# shellcheck disable=SC2086
check "a late answer (never submitted in round 1) goes to round 2" 303 \
    "$(submit "$T/jard" "$(card_id d@example.org SF41)" $LATE)"
kf_cli stats demo --round 1 --format json >"$T/r1c.json"
check "round 1 unchanged by the late answer" "$(got "$T/stats2.json")" \
    "$(got "$T/r1c.json")"
check "round list: each round and its submitted cards" "1 5 2 6 " \
    "$(kf_cli round list demo | awk 'NR > 1 { print $1, $NF }' | tr '\n' ' ')"

# ---- round 2's statistics and the stability, under the default rule ----
kf_cli consensus demo --iqr 1 --min-n 3 --within 0 >/dev/null
# expect_r2: round 2's cells and the stability of SF41, from the ratings
# above (experts by position; the late answer has no round 1), by Python.
expect_r2() {
	/usr/bin/python3 - "${RATINGS[*]}" "${ROUND2[*]}" "$LATE" <<'PY'
import json, statistics, sys
def cards(s):
    w = s.split()
    return [w[i:i + 7] for i in range(0, len(w), 7)]
r1, r2 = cards(sys.argv[1]), cards(sys.argv[2]) + cards(sys.argv[3])
cities = ["Fr", "B", "C", "NY", "S", "T"]
def num(x):
    return int(x) if float(x).is_integer() else x
def cell(v):
    q1, med, q3 = statistics.quantiles(v, n=4, method="inclusive")
    iqr = q3 - q1
    return {"n": len(v), "median": num(med), "q1": num(q1), "q3": num(q3),
            "iqr": num(iqr), "min": min(v), "max": max(v),
            "consensus": len(v) >= 3 and iqr <= 1}
def total(cs, rs):
    t = cell([sum(int(x) for x in r[:6]) for r in rs])
    t["consensus"] = all(c["consensus"] for c in cs)
    return t
out = {"cities": [], "stability": []}
for rnd in (r1, r2):
    cs = [cell([int(r[i]) for r in rnd]) for i in range(6)]
    out.setdefault("r", []).append((cs, total(cs, rnd)))
for i, code in enumerate(cities):
    both = [(a, b) for a, b in zip(r1, r2)]
    a, b = dict(out["r"][0][0][i], round=1), dict(out["r"][1][0][i], round=2)
    b["compared"] = len(both)
    b["changed"] = sum(x[i] != y[i] for x, y in both)
    out["stability"].append({"key_field": "SF41", "city": code,
                             "rounds": [a, b]})
out["stability"].append({"key_field": "SF41", "city": "Total", "rounds": [
    dict(out["r"][0][1], round=1), dict(out["r"][1][1], round=2)]})
print(json.dumps({"cities": [c for c in out["r"][1][0]],
                  "total": out["r"][1][1],
                  "stability": out["stability"]}, sort_keys=True))
PY
}
# got_r2 FILE: the same parts of keyfield's JSON (SF41's, without names).
got_r2() {
	/usr/bin/python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["fields"] if x["code"] == "SF41"][0]
cs = [{k: v for k, v in c.items() if k not in ("code", "name")}
      for c in f["cities"]]
print(json.dumps({"cities": cs, "total": f["total"],
                  "stability": [s for s in d["stability"]
                                if s["key_field"] == "SF41"]},
                 sort_keys=True))
PY
}
kf_cli stats demo --round 2 --format json >"$T/r2.json"
check "stats --round 2: exit 0" 0 $?
check "round 2: the statistics and the stability Python computes" \
    "$(expect_r2)" "$(got_r2 "$T/r2.json")"
check "round 2: Freiburg's stability (2 of 5 changed)" "3 6 3 1.5 5 2" \
    "$(/usr/bin/python3 -c 'import json, sys
s = [x for x in json.load(open(sys.argv[1]))["stability"]
     if x["key_field"] == "SF41" and x["city"] == "Fr"][0]["rounds"]
print(s[0]["median"], s[0]["iqr"], s[1]["median"], s[1]["iqr"],
      s[1]["compared"], s[1]["changed"])' "$T/r2.json")"
check "stats --round 1 has no stability member" "False" \
    "$(kf_cli stats demo --round 1 --format json | /usr/bin/python3 -c \
    'import json, sys; print("stability" in json.load(sys.stdin))')"
kf_cli stats demo --round 2 --format csv >"$T/r2.csv"
contains "stats --round 2 csv: the stability columns" \
    "key_field,city,n,median,q1,q3,iqr,min,max,consensus,prev_median,prev_iqr,prev_consensus,compared,changed" \
    "$T/r2.csv"
contains "stats --round 2 csv: Freiburg, round 1 beside round 2" \
    "SF41,Fr,6,3,2.25,3.75,1.5,2,5,no consensus,3,6,no consensus,5,2" \
    "$T/r2.csv"
contains "stats --round 2 table: changed" "changed" \
    <(kf_cli stats demo --round 2)

# ---- exports of both rounds ----
X=$T/x
mkdir -p "$X"
kf_cli export demo --format csv --round 1 --output "$X/r1.csv"
check "export csv --round 1: exit 0" 0 $?
kf_cli export demo --format csv --output "$X/r2.csv"
kf_cli export demo --format csv-long --output "$X/long.csv"
kf_cli export demo --format json --output "$X/all.json"
kf_cli export demo --format xlsx --round 1 --output "$X/r1.xlsx"
check "export xlsx --round 1: exit 0" 0 $?
kf_cli export demo --format md --output "$X/r2.md"
# csv_fr FILE: the SF41 rows' expert and Freiburg rating, sorted.
csv_fr() {
	/usr/bin/python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
print(" ".join(sorted(r["expert"] + "=" + r["Rating for Freiburg"]
                      for r in rows if r["key_field"] == "SF41")))
PY
}
check "csv --round 1: round 1's ratings" \
    "Expert 1=2 Expert 2=3 Expert 3=8 Expert 4=9 Test Expert=2" \
    "$(csv_fr "$X/r1.csv")"
check "csv (the latest round, 2): the changed ratings and the late card" \
    "Draft=3 Expert 1=2 Expert 2=3 Expert 3=4 Expert 4=5 Test Expert=2" \
    "$(csv_fr "$X/r2.csv")"
check "csv-long: a round column, both rounds (Expert 3's Freiburg)" \
    "1:8 2:4" "$(/usr/bin/python3 - "$X/long.csv" <<'PY'
import csv, sys
rows = csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))
print(" ".join(r["round"] + ":" + r["value"] for r in rows
               if r["expert"] == "Expert 3" and r["row"] == "Fr"
               and r["question"] == "rating.rating"))
PY
)"
check "json: cards nested by round" "1:5 2:6" \
    "$(/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join("%d:%d" % (r["round"], len([c for c in r["cards"]
    if c["key_field"] == "SF41"])) for r in d["rounds"]))' "$X/all.json")"
check "xlsx --round 1: a workbook of round 1 (the header and 5 rows)" 6 \
    "$(/usr/bin/python3 -c 'import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(len(re.findall(r"<row ", z.read("xl/worksheets/sheet1.xml").decode())))' \
    "$X/r1.xlsx")"
contains "md: the round it shows" "Round 2 of 2: " "$X/r2.md"
refused "export --round 3" export demo --format csv --round 3
refused "export --round x" export demo --format csv --round x

refused "stats --round 3" stats demo --round 3
refused "round start of no campaign" round start nosuch
kf_cli campaign close demo >/dev/null
refused "round start of a closed campaign" round start demo
kf_cli campaign open demo >/dev/null

# ---- the console's round button (an owner's; the box confirms it) ----
req "$A/c/demo/dashboard" >/dev/null
contains "dashboard: the round now" "The campaign is in round 2." "$T/body"
contains "dashboard: the button for round 3" "Start round 3" "$T/body"
contains "dashboard: the round selector" \
    '<a href="/admin/c/demo/dashboard?round=2" aria-current="page">2 (now)</a>' \
    "$T/body"
contains "dashboard: round 2's overview (Freiburg 3, IQR 1.5)" \
    '<td class="num">3 (IQR 1.5) <span class="verdict no"' "$T/body"
contains "dashboard: the stability table" \
    '<caption>Median (IQR) per round and changes between rounds</caption>' \
    "$T/body"
contains "dashboard: Freiburg, 2 of 5 changed" \
    '<th scope="row">SF41 Fr</th><td class="num">3 (IQR 6) <span class="verdict no" title="no consensus">✗ <span class="words">no consensus</span></span></td><td class="num">2 of 5</td><td class="num">3 (IQR 1.5)' \
    "$T/body"
check "dashboard of round 1" 200 "$(req "$A/c/demo/dashboard?round=1")"
contains "round 1's overview: Freiburg 3, IQR 6" \
    '<td class="num">3 (IQR 6) <span class="verdict no"' "$T/body"
contains "round 1's ratings: Expert 3's card as it was in round 1" \
    '>Expert 3</a></th><td class="num">8</td>' "$T/body"
contains "round 1: the sort links keep the round" \
    'dashboard?order=total&amp;round=1#overview' "$T/body"
check "dashboard of a round not reached: 404" 404 \
    "$(req "$A/c/demo/dashboard?round=3")"
check "dashboard ?round=x: 422" 422 "$(req "$A/c/demo/dashboard?round=x")"
check "dashboard ?round=0: 422" 422 "$(req "$A/c/demo/dashboard?round=0")"
req "$A/c/demo" >/dev/null
contains "campaign page: a download of each round" \
    '<a href="/admin/c/demo/export/csv?round=1" download>csv</a>' "$T/body"
check "console export csv of round 1" 200 \
    "$(req "$A/c/demo/export/csv?round=1")"
if cmp -s "$T/body" "$X/r1.csv"; then
	ok "... the same bytes as keyfield export --round 1"
else
	bad "... the same bytes as keyfield export --round 1"
fi
check "console export of a round not reached: 404" 404 \
    "$(req "$A/c/demo/export/xlsx?round=3")"
check "console export ?round=-1: 422" 422 \
    "$(req "$A/c/demo/export/csv?round=-1")"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$T/body" | head -n 1 |
    sed 's/.*value="//; s/"$//')
check "console round start without the box: 422" 422 \
    "$(req --data-urlencode "csrf=$csrf" "$A/c/demo/round")"
check "... with the box of round 1 (a stale page): 422" 422 \
    "$(req --data-urlencode "csrf=$csrf" -d sure=1 "$A/c/demo/round")"
check "... changed nothing" 2 "$(sql "SELECT max(number) FROM rounds")"
check "console round start: 303" 303 \
    "$(req --data-urlencode "csrf=$csrf" -d sure=2 "$A/c/demo/round")"
check "... round 3, by the coordinator" "3|coordinator:ana" \
    "$(sql "SELECT number, started_by FROM rounds ORDER BY number DESC LIMIT 1")"
check "console round start with nothing submitted in round 3: 409" 409 \
    "$(req --data-urlencode "csrf=$csrf" -d sure=3 "$A/c/demo/round")"

checks_done stats
