#!/usr/bin/env bash
# End to end, the final key-field card (issue 18) through real nginx +
# keyfield-admin + keyfield-notify + SQLite, driven with curl: three
# experts submit known ratings; the editor is prefilled with their
# medians and shows their texts (escaped); a save is version 1, a save
# based on an old version 409 keeping the typed text, a bad rating 422
# keeping the typed value; a viewer reads and may not write (403);
# versions diff; publishing (confirmed) delivers a card.final.published
# event that the receiver (tests/e2e/receiver.mjs) verifies; the printable
# card and `keyfield export --format md --final` show the published card;
# another campaign's or an unknown key field is 404 and changes nothing.
# Prints "final: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/receiver.sh"

for t in node sqlite3 python3 curl; do
	command -v "$t" >/dev/null || { echo "final: needs $t" >&2; exit 1; }
done
need_npm final standardwebhooks

kf_start || exit 1
T=$KF_VAR/t
mkdir -p "$T"
RLOG=$T/receiver.jsonl
SECRETS=$T/secrets.json
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	kf_stop
}
trap cleanup EXIT

A=$KF_URL/admin
rq() { receiver_query "$RLOG" "$1"; }
is_true() { [ "$(rq "$1")" = True ]; }

# ---- the partner, a second campaign, coordinators ----
receiver_secrets "$SECRETS"
receiver_start "$RLOG" "$SECRETS" "$T/port" || exit 1
PIDS+=("$RECEIVER_PID")
SECRET_OF[/ok/final]=$(kf_cli partner add demo finals "http://127.0.0.1:$RECEIVER_PORT/ok/final" --allow-private | tail -n 1)
receiver_secrets "$SECRETS"
kf_cli campaign add other --title "Other" --form keyfield --cities "Fr=Freiburg" >/dev/null
kf_cli field add other OT1 "Other field" >/dev/null
for u in ana vera; do
	printf '%s password 1\n' "$u" | kf_cli coordinator add "$u" >/dev/null
done
kf_cli coordinator grant ana demo owner >/dev/null
kf_cli coordinator grant vera demo viewer >/dev/null
JO=$T/jo JV=$T/jv
CO=$(coordinator_signin ana "$JO")
CV=$(coordinator_signin vera "$JV")
DF=$(sql "SELECT id FROM fields WHERE code = 'SF41'")
OF=$(sql "SELECT id FROM fields WHERE code = 'OT1'")
F=$A/c/demo/final/$DF

# ---- three experts submit: medians Fr 7, B 3, C 7, NY 6, S 1, T 8 ----
RATINGS=("5 2 7 6 1 8" "8 3 7 6 2 8" "7 3 6 5 1 9")
for i in 0 1 2; do
	if [ "$i" -eq 0 ]; then
		link=$KF_LINK email=test.expert@example.org
	else
		email=e$i@example.org
		link=$(kf_cli expert add demo --name "Expert $i" --email "$email" --fields SF41 | tail -n 1)
	fi
	args=() j=0
	for r in ${RATINGS[$i]}; do
		c=(Fr B C NY S T)
		args+=(-d "rating.rating.${c[$j]}=$r")
		j=$((j + 1))
	done
	check "expert $i submits" 303 "$(kf_submit "$link" "$email" "$T/e$i" SF41 "${args[@]}" --data-urlencode "description=Text of expert $i <b>")"
done

# ---- the editor ----
check "the dashboard: 200" 200 "$(req "$JO" "$A/c/demo/dashboard")"
contains "... links each key field's final card" "<a href=\"/admin/c/demo/final/$DF\">Final card of SF41</a>" "$T/body"
check "the editor: 200" 200 "$(req "$JO" "$F")"
for cv in Fr=7 B=3 C=7 NY=6 S=1 T=8; do
	contains "prefilled with the median: $cv" "name=\"rating.${cv%=*}\" size=\"3\" inputmode=\"numeric\" value=\"${cv#*=}\"" "$T/body"
done
contains "the prefilled total" "<td>32</td></tr></tfoot>" "$T/body"
contains "the panel's text beside section 1, escaped" "<dd>Text of expert 1 &lt;b&gt;</dd>" "$T/body"
check "no version yet" 0 "$(sql "SELECT count(*) FROM final_cards")"
check "export --final before anything is published: exit 1" 1 "$(kf_cli export demo --format md --final >/dev/null 2>"$T/err"; echo $?)"
contains "... saying so" "has no published final card" "$T/err"

# save JAR CSRF VERSION "Fr B C NY S T" [-d args]: the card as the
# editor posts it, with these ratings.
save() {
	local jar=$1 csrf=$2 v=$3 r=($4) c=(Fr B C NY S T) args=() i
	shift 4
	for i in 0 1 2 3 4 5; do args+=(-d "rating.${c[$i]}=${r[$i]}"); done
	req "$jar" -d "csrf=$csrf" -d "version=$v" "${args[@]}" \
	    --data-urlencode "example.Fr=Green City Cluster" "$@" "$F"
}
M="7 3 7 6 1 8"
check "a save for a version that is not there: 409" 409 "$(save "$JO" "$CO" 5 "$M" --data-urlencode 'section.3=Typed for 6')"
contains "... keeps the typed text" "Typed for 6</textarea>" "$T/body"
check "... nothing saved" 0 "$(sql "SELECT count(*) FROM final_cards")"
check "save version 1 (blanks around a rating): 303" 303 "$(save "$JO" "$CO" 0 "7 3 7 6 1 %208%20" --data-urlencode $'section.1=The final text\r\nof section 1 <script>x</script>')"
check "... stored as version 1 by ana" "1|coordinator:ana" "$(sql "SELECT version, author FROM final_cards")"
check "a stale save (based on none): 409" 409 "$(save "$JO" "$CO" 0 "$M" --data-urlencode 'section.2=Stale typed text')"
contains "... keeps the typed text" "Stale typed text</textarea>" "$T/body"
contains "... says who saved first" "Version 1 was saved by coordinator:ana" "$T/body"
contains "... and may be saved again as version 2" 'name="version" value="1"' "$T/body"
check "... nothing saved" 1 "$(sql "SELECT count(*) FROM final_cards")"
check "a rating of 11: 422" 422 "$(save "$JO" "$CO" 1 "11 3 7 6 1 8")"
contains "... keeps the typed value" 'name="rating.Fr" size="3" inputmode="numeric" value="11" aria-invalid="true"' "$T/body"
contains "... with the rule" "a whole number from 0 to 10, or empty" "$T/body"
check "a rating of 'x': 422" 422 "$(save "$JO" "$CO" 1 "x 3 7 6 1 8")"
check "... nothing saved" 1 "$(sql "SELECT count(*) FROM final_cards")"
check "no CSRF token: 403" 403 "$(save "$JO" "" 1 "$M")"
check "a viewer's save: 403" 403 "$(save "$JV" "$CV" 1 "$M")"
check "a viewer reads the editor" 200 "$(req "$JV" "$F")"
contains "... without a way to save" "<fieldset disabled>" "$T/body"
check "save version 2: 303" 303 "$(save "$JO" "$CO" 1 "7 3 7 6 2 8" --data-urlencode 'section.1=The final text, changed')"
check "the changes from 1 to 2" 200 "$(req "$JO" "$F?a=1&b=2")"
contains "... the rating line removed" "<del>7	3	7	6	1	8	32</del>" "$T/body"
contains "... and added" "<ins>7	3	7	6	2	8	33</ins>" "$T/body"
contains "... escaped" "<del>of section 1 &lt;script&gt;x&lt;/script&gt;</del>" "$T/body"
check "versions given badly: 400" 400 "$(req "$JO" "$F?a=0&b=x")"
check "a version that is not there: 404" 404 "$(req "$JO" "$F?a=1&b=9")"

# ---- publish ----
check "publish unconfirmed: 422" 422 "$(req "$JO" -d "csrf=$CO" -d version=1 "$F/publish")"
check "a viewer's publish: 403" 403 "$(req "$JV" -d "csrf=$CV" -d version=1 -d sure=1 "$F/publish")"
check "no event yet" 0 "$(sql "SELECT count(*) FROM events WHERE type = 'card.final.published'")"
check "publish version 2: 303" 303 "$(req "$JO" -d "csrf=$CO" -d version=2 -d sure=2 "$F/publish")"
check "... stamped" "2" "$(sql "SELECT version FROM final_cards WHERE published_at IS NOT NULL")"
check "... one event" 1 "$(sql "SELECT count(*) FROM events WHERE type = 'card.final.published'")"
check "... audited" 1 "$(sql "SELECT count(*) FROM audit WHERE action = 'final.publish' AND actor = 'coordinator:ana'")"
check "publish it again: 409" 409 "$(req "$JO" -d "csrf=$CO" -d version=2 -d sure=2 "$F/publish")"
check "publish a version that is not there: 409" 409 "$(req "$JO" -d "csrf=$CO" -d version=7 -d sure=7 "$F/publish")"
if wait_for 15 is_true "len(verified('/ok/final', 'card.final.published')) == 1"; then
	ok "the partner got a verified card.final.published"
else
	bad "the partner got a verified card.final.published ($(rq 'R[-3:]'))"
fi
ev="body(verified('/ok/final', 'card.final.published')[0])"
check "... with the card" "33|2|2|1|SF41|demo|The final text, changed" "$(rq "'|'.join(str(x) for x in [$ev['final']['total'], $ev['final']['ratings']['S'], $ev['version'], $ev['round'], $ev['key_field']['code'], $ev['campaign']['slug'], $ev['final']['sections'][0]])")"

# ---- the printable card and the Markdown ----
check "the printable card: 200" 200 "$(req "$JO" "$F/print")"
contains "... the published version" "Version 2, published." "$T/body"
contains "... its title" "<h1>SF41: Cluster Management</h1>" "$T/body"
contains "... the ratings and total" "<td>7</td><td>3</td><td>7</td><td>6</td><td>2</td><td>8</td><td>33</td>" "$T/body"
check "version 1 printed" 200 "$(req "$JO" "$F/print?version=1")"
contains "... escaped" "of section 1 &lt;script&gt;x&lt;/script&gt;" "$T/body"
check "a version not there: 404" 404 "$(req "$JO" "$F/print?version=5")"
kf_cli export demo --format md --final >"$T/final.md"
check "export --final: the title line" "# SF41: Cluster Management" "$(sed -n 1p "$T/final.md")"
check "... the city table" "Fr	B	C	NY	S	T	Total|7	3	7	6	2	8	33" "$(sed -n '3p;4p' "$T/final.md" | paste -sd '|')"
contains "... the example" "**Freiburg:** Green City Cluster" "$T/final.md"
contains "... section 1" "The final text, changed" "$T/final.md"
check "export --final of a format but md: exit 1" 1 "$(kf_cli export demo --format csv --final >/dev/null 2>&1; echo $?)"
check "export --final with --round: exit 1" 1 "$(kf_cli export demo --format md --final --round 1 >/dev/null 2>&1; echo $?)"
check "final list: version 2 published" "2" "$(kf_cli final list demo SF41 | awk 'NR > 1 && $NF != "-" { print $1 }')"
check "final show: version 1's title line" "# SF41: Cluster Management" "$(kf_cli final show demo SF41 1 | head -n 1)"
contains "final show: the latest by default" "The final text, changed" <(kf_cli final show demo SF41)
check "final show of a version not there: exit 1" 1 "$(kf_cli final show demo SF41 9 >/dev/null 2>&1; echo $?)"
check "final publish of version 1 from the command line" 0 "$(kf_cli final publish demo SF41 1 >/dev/null; echo $?)"
check "... again: exit 1" 1 "$(kf_cli final publish demo SF41 1 >/dev/null 2>&1; echo $?)"
check "... a key field not there: exit 1" 1 "$(kf_cli final publish demo SF99 1 >/dev/null 2>&1; echo $?)"
check "... two events now" 2 "$(sql "SELECT count(*) FROM events WHERE type = 'card.final.published'")"
all_delivered() { [ "$(sql "SELECT count(*) FROM deliveries WHERE state <> 'delivered'")" = 0 ]; }
if wait_for 15 all_delivered && is_true "len(verified('/ok/final', 'card.final.published')) == 2"; then
	ok "... delivered and verified too"
else
	bad "... delivered and verified too"
fi
check "... audited as the command line" 1 "$(sql "SELECT count(*) FROM audit WHERE action = 'final.publish' AND actor = 'cli'")"
check "the export still shows the latest published version (2)" "7	3	7	6	2	8	33" "$(kf_cli export demo --format md --final --field SF41 | sed -n 4p)"

# ---- another campaign's key field, an unknown one ----
before=$(kf_db_digest)
for id in "$OF" 999999; do
	check "GET the editor of key field $id under demo: 404" 404 "$(req "$JO" "$A/c/demo/final/$id")"
	check "GET its print: 404" 404 "$(req "$JO" "$A/c/demo/final/$id/print")"
	check "POST a save: 404" 404 "$(req "$JO" -d "csrf=$CO" -d version=0 -d rating.Fr=1 "$A/c/demo/final/$id")"
	check "POST publish: 404" 404 "$(req "$JO" -d "csrf=$CO" -d version=1 -d sure=1 "$A/c/demo/final/$id/publish")"
done
check "... nothing changed" "$before" "$(kf_db_digest)"
check "a campaign that is not hers: 404" 404 "$(req "$JO" "$A/c/other/final/$OF")"

checks_done final
