#!/usr/bin/env bash
# End to end: "keyfield response submit" enters an expert's card from a
# JSON file as her own Submit does (version, round, card.submitted and
# card.revised events, an audit row by "cli", counted by "keyfield
# stats"); bad answers, names, experts, key fields, a closed campaign and
# round 2's reason rule exit 1 with their message and store nothing. Then
# the demo panel of ./quickstart (etc/demo/panel, the repo's
# etc/demo/*.json) on a fresh database: n = 5, the consensus designed,
# no invitation mail, "keyfield round start" works and the test expert's
# round-2 card (real nginx + keyfield-survey) shows the panel's figures.
# Prints "response-submit: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
kf_start || exit 1
T=$KF_VAR/t
mkdir -p "$T"

# run NAME ARGS...: the CLI's status; its output in $T/out, $T/err.
run() { kf_cli "$@" >"$T/out" 2>"$T/err"; echo $?; }
# stored EMAIL CODE: the card's status, version (submitted) and revision.
stored() {
	sql "SELECT r.status || ' ' || coalesce((SELECT max(version) FROM
	    response_versions WHERE response_id = r.id), 0) || ' ' ||
	    r.revision FROM responses r JOIN assignments a ON a.id =
	    r.assignment_id JOIN experts e ON e.id = a.expert_id JOIN fields f
	    ON f.id = a.field_id WHERE e.email = '$1' AND f.code = '$2'"
}
# card_json FR [EXTRA JSON MEMBERS]: a whole card, Fr rated FR.
card_json() {
	printf '{"rating.rating.Fr": %s, "rating.rating.B": "8",
	  "rating.rating.C": 6, "rating.rating.NY": 6, "rating.rating.S": 1,
	  "rating.rating.T": 8, "description": "Networks of <b>firms</b> & co",
	  "indicators": ["Members", "Joint projects"],
	  "sectors.relevance.ict": "high"%s}\n' "$1" "${2:-}"
}

# ---- a campaign of its own: one expert, SF41 and SF12 ----
kf_cli campaign add t2 --title "Transcribed" --form keyfield \
    --cities "Fr=Freiburg,B=Berlin,C=Copenhagen,NY=New York City,S=Singapore,T=Tokyo" >/dev/null
kf_cli field add t2 SF41 "Cluster Management" >/dev/null
kf_cli field add t2 SF12 "Open Data Platforms" >/dev/null
kf_cli field add t2 SF73 "Start-up Support" >/dev/null
kf_cli expert add t2 --no-mail --name "Paper Expert" \
    --email paper@example.org --fields "SF41,SF12" >/dev/null
E=paper@example.org

card_json 7 >"$T/card.json"
check "submit from a file: exit 0" 0 "$(run response submit t2 $E SF41 "$T/card.json")"
contains "... says so, with the version" \
    "the card of $E for SF41 is submitted: version 1" "$T/out"
check "... stored: submitted, version 1, revision 1" "submitted 1 1" \
    "$(stored $E SF41)"
RID=$(sql "SELECT r.id FROM responses r JOIN assignments a ON a.id =
    r.assignment_id JOIN fields f ON f.id = a.field_id JOIN campaigns c ON
    c.id = f.campaign_id WHERE c.slug = 't2' AND f.code = 'SF41'")
check "... version 1 of round 1" "1|1" \
    "$(sql "SELECT version, round FROM response_versions WHERE response_id = $RID")"
check "... the answers as typed (a number, a text, a list one a line)" \
    "|0|Networks of <b>firms</b> & co |0|Members |1|Joint projects B|0|8 Fr|0|7" \
    "$(sql "SELECT group_concat(row || '|' || item || '|' || value, ' ') FROM (SELECT * FROM answers WHERE response_id = $RID AND version = 1 AND (question IN ('description', 'indicators') OR row IN ('Fr', 'B')) ORDER BY question, row, item)")"
check "... one card.submitted event" "card.submitted" \
    "$(sql "SELECT group_concat(type) FROM events WHERE response_id = $RID")"
check "... whose payload is the card's" "7|SF41" \
    "$(sql "SELECT json_extract(payload_full, '$.ratings.Fr') || '|' || json_extract(payload, '$.key_field.code') FROM events WHERE response_id = $RID")"
check "... audited by cli" "cli|card.submit" \
    "$(sql "SELECT actor || '|' || action FROM audit WHERE object = 'response:$RID'")"
check "... her thank-you note queued, as after her own Submit" 1 \
    "$(sql "SELECT count(*) FROM mails WHERE kind = 'thanks' AND rcpt = '$E'")"
kf_cli stats t2 --format json >"$T/stats.json"
check "keyfield stats counts it" "1 7" "$(python3 -c '
import json, sys
f = [f for f in json.load(open(sys.argv[1]))["fields"] if f["code"] == "SF41"][0]
c = f["cities"][0]
print(c["n"], c["median"])' "$T/stats.json")"

# ---- bad input: exit 1, the message, nothing stored ----
check "a rating of 11: exit 1" 1 \
    "$(card_json 11 | run response submit t2 $E SF41 -)"
contains "... the card's message, with the input's name" \
    "rating.rating.Fr: Enter a whole number from 0 to 10." "$T/err"
contains "... nothing stored" "1 answer to correct: nothing was stored" \
    "$T/err"
check "... the card unchanged" "submitted 1 1" "$(stored $E SF41)"
printf '{"description": "d"}' >"$T/short.json"
check "required answers missing: exit 1" 1 \
    "$(run response submit t2 $E SF12 "$T/short.json")"
contains "... each named" "rating.rating.T: This field is required." "$T/err"
contains "... the list too" "indicators: This field is required." "$T/err"
check "... no card made" "" "$(stored $E SF12)"
check "a name the card does not ask: exit 1" 1 \
    "$(card_json 7 ', "rating.rating.Zz": 3' | run response submit t2 $E SF41 -)"
contains "... named" "rating.rating.Zz: not an answer of this card" "$T/err"
check "a value that is not text, number or list: exit 1" 1 \
    "$(card_json 7.5 | run response submit t2 $E SF41 -)"
contains "... says what a value is" \
    "rating.rating.Fr: a value is a string, a whole number or a list" "$T/err"
check "not JSON: exit 1" 1 "$(echo '{"a":' | run response submit t2 $E SF41 -)"
contains "... where" "-: line 2:" "$T/err"
check "a JSON array: exit 1" 1 "$(echo '[]' | run response submit t2 $E SF41 -)"
contains "... says what is expected" "not a JSON object of the card's answers" \
    "$T/err"
check "unknown expert: exit 1" 1 \
    "$(run response submit t2 nobody@example.org SF41 "$T/card.json")"
contains "... says so" "no expert with the e-mail address nobody@example.org in campaign t2" "$T/err"
check "a key field not assigned to her: exit 1" 1 \
    "$(run response submit t2 $E SF73 "$T/card.json")"
contains "... says so" "$E is not assigned key field SF73" "$T/err"
check "an unknown key field: exit 1" 1 \
    "$(run response submit t2 $E SF99 "$T/card.json")"
contains "... says so" 'no key field "SF99" in campaign t2' "$T/err"
check "an unknown campaign: exit 1" 1 \
    "$(run response submit nope $E SF41 "$T/card.json")"
contains "... says so" 'no campaign "nope"' "$T/err"
check "a missing file: exit 1" 1 \
    "$(run response submit t2 $E SF41 "$T/none.json")"
check "nothing stored by any of them" "submitted 1 1|1" \
    "$(stored $E SF41)|$(sql "SELECT count(*) FROM events WHERE response_id = $RID")"

check "without FILE: exit 1" 1 "$(run response submit t2 $E SF41)"
contains "... with the usage" \
    "usage: keyfield response submit SLUG EMAIL CODE FILE.json|-" "$T/err"
check "--help: exit 0" 0 "$(run response submit --help)"
contains "... the usage" \
    "keyfield [--db FILE] response submit SLUG EMAIL CODE FILE.json|-" "$T/out"

# ---- a second submit: version 2, card.revised ----
check "a second submit: exit 0" 0 \
    "$(card_json 9 | run response submit t2 $E SF41 -)"
contains "... version 2" "submitted: version 2" "$T/out"
check "... stored: version 2" "submitted 2 2" "$(stored $E SF41)"
check "... a card.revised event" "card.submitted,card.revised" \
    "$(sql "SELECT group_concat(type) FROM (SELECT type FROM events WHERE response_id = $RID ORDER BY id)")"

# ---- a closed campaign ----
kf_cli campaign close t2 >/dev/null
check "a closed campaign: exit 1" 1 \
    "$(run response submit t2 $E SF41 "$T/card.json")"
contains "... says so" "campaign t2 is closed" "$T/err"
check "... nothing stored" "submitted 2 2" "$(stored $E SF41)"

# ---- the demo panel, as ./quickstart adds it ----
if "$top_srcdir/etc/demo/panel" "$KF_CLI" demo >"$T/panel.out" 2>&1; then
	ok "etc/demo/panel on a fresh campaign"
else
	bad "etc/demo/panel on a fresh campaign ($(cat "$T/panel.out"))"
fi
check "... five experts, ten submitted cards" "5 10" \
    "$(sql "SELECT count(DISTINCT e.id) || ' ' || count(*) FROM responses r JOIN assignments a ON a.id = r.assignment_id JOIN experts e ON e.id = a.expert_id WHERE e.email LIKE 'panel%@example.org' AND r.status = 'submitted'")"
check "... no invitation mail to them; a thank-you note per card" "0 10" \
    "$(sql "SELECT count(*) FILTER (WHERE kind = 'invitation') || ' ' || count(*) FILTER (WHERE kind = 'thanks') FROM mails WHERE rcpt LIKE 'panel%'")"
kf_cli stats demo --format json >"$T/demo.json"
check "stats: n = 5 for SF41 in every city, the consensus as designed" \
    "Fr 5 7 True B 5 8 True C 5 6 False NY 5 6 True S 5 2 False T 5 8 True" \
    "$(python3 -c '
import json, sys
f = [f for f in json.load(open(sys.argv[1]))["fields"] if f["code"] == "SF41"][0]
print(" ".join("%s %d %g %s" % (c["code"], c["n"], c["median"], c["consensus"])
    for c in f["cities"]))' "$T/demo.json")"
check "round start demo: exit 0" 0 "$(run round start demo)"
contains "... round 2" "campaign demo is in round 2" "$T/out"

# The test expert submitted nothing: her round-2 card shows the panel's.
curl -s -o /dev/null -c "$T/jar" -d '' "$KF_LINK"
CARD=$(sql "SELECT a.id FROM assignments a JOIN experts e ON e.id =
    a.expert_id JOIN fields f ON f.id = a.field_id JOIN campaigns c ON c.id
    = f.campaign_id WHERE c.slug = 'demo' AND e.email =
    'test.expert@example.org' AND f.code = 'SF41'")
curl -s -b "$T/jar" -o "$T/r2.html" "$KF_URL/card/$CARD"
contains "her round-2 card: Freiburg's Q1 to Q3 (7 to 7)" \
    '<div class="delphi" data-for="rating.rating.Fr" data-q1x4="28" data-q3x4="28">' \
    "$T/r2.html"
contains "... Copenhagen's (5 to 8)" \
    '<div class="delphi" data-for="rating.rating.C" data-q1x4="20" data-q3x4="32">' \
    "$T/r2.html"

# ---- round 2's reason rule, from the CLI ----
P3=panel3@example.org
check "round 2: a rating outside Q1-Q3 without a reason: exit 1" 1 \
    "$(run response submit demo $P3 SF41 "$top_srcdir/etc/demo/panel-3-SF41.json")"
contains "... the card's message" \
    "rating.rating.S: This rating is outside the panel's Q1 to Q3 (1 to 4): give a short reason beside it, or change it." \
    "$T/err"
check "... still a draft of round 2" "draft 1" \
    "$(stored $P3 SF41 | cut -d' ' -f1,2)"
python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
o["rating_reason.S"] = "No cluster office at all"
o["rating_reason.Fr"] = "FWTM does more than most"
o["rating_reason.T"] = "Ota is one district of many"
print(json.dumps(o))' "$top_srcdir/etc/demo/panel-3-SF41.json" >"$T/p3.json"
check "... with a reason: exit 0" 0 \
    "$(run response submit demo $P3 SF41 "$T/p3.json")"
check "... version 2 of round 2, the reason kept" "2|2|No cluster office at all" \
    "$(sql "SELECT v.version, v.round, a.value FROM response_versions v JOIN answers a ON a.response_id = v.response_id AND a.version = v.version JOIN responses r ON r.id = v.response_id JOIN assignments s ON s.id = r.assignment_id JOIN experts e ON e.id = s.expert_id JOIN fields f ON f.id = s.field_id WHERE e.email = '$P3' AND f.code = 'SF41' AND v.version = 2 AND a.question = 'rating_reason' AND a.row = 'S'")"

checks_done response-submit
