#!/usr/bin/env bash
# End to end: the console's partner pages through real nginx +
# keyfield-admin + keyfield-survey + keyfield-notify, with the local
# receiver tests/e2e/receiver.mjs verifying every webhook with the npm
# package standardwebhooks: adding partners (URL rules, bad input, the
# secret shown once), a card submitted by an expert arriving verified and
# showing in the delivery log, test events, redelivering one event and
# every failed one, rotating the secret, disabling, a 410 disabling a
# partner with a warning, card.withdrawn and campaign.closed events, and
# hostile partner names and response bodies escaped in the log page.
# Prints "admin-partners: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/receiver.sh"

for t in node sqlite3 python3 curl; do
	command -v "$t" >/dev/null ||
		{ echo "admin-partners: needs $t" >&2; exit 1; }
done
need_npm admin-partners standardwebhooks

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
J=$T/jar
header() { sed -n "s/^$1: *\([^\r]*\).*/\1/Ip" "$T/head" | head -n 1; }
secret_of() { grep -o 'id="secret">whsec_[^<]*' "$1" | sed 's/.*>//'; }

# rq EXPR: receiver_query over the receiver's records.
rq() { receiver_query "$RLOG" "$1"; }
is_true() { [ "$(rq "$1")" = True ]; }
sql_is() { [ "$(sql "$1")" = "$2" ]; }
sql_ge() { [ "$(sql "$1")" -ge "$2" ]; }

# The receiver and the secrets it checks, per path.
receiver_secrets "$SECRETS"
receiver_start "$RLOG" "$SECRETS" "$T/port" || exit 1
PIDS+=("$RECEIVER_PID")
RPORT=$RECEIVER_PORT
R=http://127.0.0.1:$RPORT

# A hostile endpoint: 500 with markup in the body, always.
HOSTILE='<script>alert("kf")</script></pre><img src=x onerror=alert(1)>'
python3 - "$T/hport" "$HOSTILE" >>"$T/hostile.out" 2>&1 <<'EOF' &
import http.server, sys
body = sys.argv[2].encode()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write("%d\n" % s.server_address[1])
s.serve_forever()
EOF
PIDS+=($!)
wait_for 10 test -s "$T/hport" || { echo "hostile endpoint did not start" >&2; exit 1; }
HPORT=$(cat "$T/hport")

# ---- sign in ----
printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
req "$J" "$A/login" >/dev/null
tok=$(csrf_of "$T/body")
check "sign in" 303 "$(req "$J" --data-urlencode "csrf=$tok" -H "Origin: $KF_URL" -d username=ana --data-urlencode 'password=correct horse battery' "$A/login")"
check "campaign page" 200 "$(req "$J" "$A/c/demo")"
contains "the campaign page links to its partners" 'href="/admin/c/demo/partners"' "$T/body"
csrf=$(csrf_of "$T/body")
post() { req "$J" -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" "$@"; }

# ---- the list and adding ----
P=$A/c/demo/partners
check "partners page" 200 "$(req "$J" "$P")"
contains "no partners yet" "No partners yet." "$T/body"
check "partners of no campaign: 404" 404 "$(req "$J" "$A/c/nope/partners")"
check "http:// without allow-private: 422" 422 "$(post -d name=p1 --data-urlencode "url=$R/ok/p1" -d detail=summary "$P")"
contains "... says why" "must start with https://" "$T/body"
contains "... keeps the typed URL" "value=\"$R/ok/p1\"" "$T/body"
check "https to a loopback literal without allow-private: 422" 422 "$(post -d name=p1 -d url=https://127.0.0.1/hook -d detail=summary "$P")"
grep -qi "private\|loopback\|refused" "$T/body" && ok "... says the address is refused" || bad "... says the address is refused"
check "a control character in the name: 422" 422 "$(post --data-urlencode $'name=a\x01b' -d url=https://example.org/hook -d detail=summary "$P")"
contains "... says what a name is" "A partner name is 1 to 100 bytes" "$T/body"
check "a bad detail level: 422" 422 "$(post -d name=p1 -d url=https://example.org/hook -d detail=everything "$P")"
check "nothing was added" 0 "$(sql "SELECT count(*) FROM partners")"
check "no CSRF token: 403" 403 "$(req "$J" -d name=p1 -d url=https://example.org/hook -d detail=summary "$P")"
check "no partner from the refused POST" 0 "$(sql "SELECT count(*) FROM partners")"

NAME1='P1 <script>alert("name")</script> & "co"'
check "add a partner: 200 with its secret" 200 "$(post --data-urlencode "name=$NAME1" --data-urlencode "url=$R/ok/p1" -d allow_private=1 -d detail=full "$P")"
S1=$(secret_of "$T/body")
case "$S1" in whsec_?*) ok "the secret is shown ($S1)";; *) bad "the secret is shown";; esac
contains "the name is escaped on the secret page" 'P1 &lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; &quot;co&quot;' "$T/body"
SEALED1=$(sql "SELECT secret FROM partners WHERE url = '$R/ok/p1'")
case "$SEALED1" in kfs1:?*) ok "the secret is stored sealed";; *) bad "the secret is stored sealed ($SEALED1)";; esac
check "... not in clear" 0 "$(sql "SELECT count(*) FROM partners WHERE instr(secret, '${S1#whsec_}') > 0")"
check "... with allow_private and full" "1|full" "$(sql "SELECT allow_private, detail FROM partners WHERE url = '$R/ok/p1'")"
check "partner.add audited" 1 "$(sql "SELECT count(*) FROM audit WHERE action = 'partner.add' AND actor = 'coordinator:ana'")"
p1=$(sql "SELECT id FROM partners WHERE url = '$R/ok/p1'")
SECRET_OF[/ok/p1]=$S1
receiver_secrets "$SECRETS"
check "the same name again: 409" 409 "$(post --data-urlencode "name=$NAME1" --data-urlencode "url=$R/ok/p1" -d allow_private=1 -d detail=full "$P")"
check "p2 (fails the first request of each event)" 200 "$(post -d name=p2 --data-urlencode "url=$R/fail/1/p2" -d allow_private=1 -d detail=summary "$P")"
SECRET_OF[/fail/1/p2]=$(secret_of "$T/body")
receiver_secrets "$SECRETS"
p2=$(sql "SELECT id FROM partners WHERE name = 'p2'")
check "hostile endpoint partner" 200 "$(post -d name=hostile --data-urlencode "url=http://127.0.0.1:$HPORT/x" -d allow_private=1 -d detail=summary "$P")"
ph=$(sql "SELECT id FROM partners WHERE name = 'hostile'")
check "a partner answering 410" 200 "$(post -d name=gone --data-urlencode "url=$R/gone/p3" -d allow_private=1 -d detail=summary "$P")"
pg=$(sql "SELECT id FROM partners WHERE name = 'gone'")

check "the list" 200 "$(req "$J" "$P")"
contains "the list escapes the name" 'P1 &lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; &quot;co&quot;' "$T/body"
lacks "no raw script from the name" '<script>alert("name")' "$T/body"
lacks "the list shows no secret" "$S1" "$T/body"
contains "the list links to a partner" "href=\"/admin/c/demo/partners/$p1\"" "$T/body"

# ---- a card submitted by an expert arrives, verified ----
submit() {	# LINK: submit SF41 of "demo"
	local link=$1 jar=$T/jar-$RANDOM card c rev
	curl -s -o /dev/null -c "$jar" -d '' "$link"
	card=$(curl -s -b "$jar" "$KF_URL/" | grep -o 'href="/card/[0-9]*">SF41' | sed 's|href="/card/\([0-9]*\).*|\1|')
	curl -s -b "$jar" "$KF_URL/card/$card" >"$T/card"
	c=$(csrf_of "$T/card")
	rev=$(grep -o 'name="revision" value="[0-9]*"' "$T/card" | grep -o '[0-9][0-9]*' | head -n 1)
	curl -s -o /dev/null -w '%{http_code}' -b "$jar" --data-urlencode "csrf=$c" -d action=submit -d "revision=${rev:-0}" \
		-d "rating.rating.Fr=7" -d "rating.rating.B=8" -d "rating.rating.C=6" \
		-d "rating.rating.NY=6" -d "rating.rating.S=1" -d "rating.rating.T=8" \
		-d "sectors.relevance.mobility=high" \
		--data-urlencode "description=Networking for SMEs." -d "indicators=number of clusters" "$KF_URL/card/$card"
}
check "the expert submits" 303 "$(submit "$KF_LINK")"
# p2 gets the card too and answers its first request 500; its retry is
# 4-6 s away. Running out of retries takes 80 hours: mark the delivery
# failed now, as keyfield-notify would then (redelivery is tested below).
wait_for 10 sql_ge "SELECT count(*) FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.partner_id = $p2" 1 &&
	ok "p2 got the card (and answered 500)" || bad "p2 got the card"
sql "UPDATE deliveries SET state = 'failed', next_at = 9000000000000000 WHERE partner_id = $p2 AND state = 'pending'"
wait_for 10 is_true "len(verified('/ok/p1', 'card.submitted')) == 1" &&
	ok "p1 receives a verified card.submitted" || bad "p1 receives a verified card.submitted ($(rq 'req("/ok/p1")'))"
ev1=$(rq "verified('/ok/p1', 'card.submitted')[0]['id']")
check "the webhook-id is the event id" "$ev1" "$(sql "SELECT event_id FROM events WHERE type = 'card.submitted'")"
check "full detail carries the expert" "Test Expert" "$(rq "json.loads(verified('/ok/p1', 'card.submitted')[0]['body'])['expert']['name']")"
rid=$(sql "SELECT response_id FROM events WHERE event_id = '$ev1'")
check "the card's console URL" "$KF_URL/admin/r/$rid" "$(rq "json.loads(verified('/ok/p1', 'card.submitted')[0]['body'])['url']")"
check "the verified card.submitted carries its round" 1 "$(rq "json.loads(verified('/ok/p1', 'card.submitted')[0]['body'])['round']")"
check "... which opens the card in the console" 200 "$(req "$J" "$KF_URL/admin/r/$rid")"

check "p1's page" 200 "$(req "$J" "$P/$p1")"
cp "$T/body" "$T/p1.html"
contains "the log shows the event" "$ev1" "$T/p1.html"
contains "... with its HTTP status" "HTTP 200" "$T/p1.html"
contains "... and the response body" "thanks" "$T/p1.html"
contains "... and the latency" " ms</td>" "$T/p1.html"
contains "the partner's name is escaped" 'Partner P1 &lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; &quot;co&quot;' "$T/p1.html"
lacks "no raw script on the partner's page" '<script>' "$T/p1.html"
lacks "the partner's page shows no secret" "$S1" "$T/p1.html"
check "an unknown partner: 404" 404 "$(req "$J" "$P/999999")"
check "a partner of another campaign: 404" 404 "$(kf_cli campaign add other --title Other --form keyfield --cities A=Aa >/dev/null; req "$J" "$A/c/other/partners/$p1")"
check "POST to an unknown partner: 404" 404 "$(post "$P/999999/test")"
check "an unknown verb: 404" 404 "$(post "$P/$p1/explode")"

# ---- test events ----
check "send a test event: 303" 303 "$(post "$P/$p1/test")"
case "$(header Location)" in "/admin/c/demo/partners/$p1?done=test"*) ok "... back to the partner";; *) bad "... back to the partner ($(header Location))";; esac
wait_for 10 is_true "len(verified('/ok/p1', 'partner.test')) == 1" &&
	ok "p1 receives a verified test event" || bad "p1 receives a verified test event"
check "no other partner gets it" 0 "$(rq "len(req('/fail/1/p2', type='partner.test'))")"
check "partner.test audited" 1 "$(sql "SELECT count(*) FROM audit WHERE action = 'partner.test' AND object = 'partner:$p1'")"
req "$J" "$P/$p1?done=test" >/dev/null
contains "the notice" "A test event is queued." "$T/body"

# ---- a hostile response body is escaped in the log ----
check "test event to the hostile endpoint" 303 "$(post "$P/$ph/test")"
wait_for 10 sql_ge "SELECT count(*) FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.partner_id = $ph" 1 &&
	ok "the hostile endpoint was tried" || bad "the hostile endpoint was tried"
check "hostile partner's page" 200 "$(req "$J" "$P/$ph")"
contains "HTTP 500 in the log" "HTTP 500" "$T/body"
contains "the body is escaped" '&lt;script&gt;alert(&quot;kf&quot;)&lt;/script&gt;&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;' "$T/body"
lacks "no raw script from the body" '<script>alert' "$T/body"
lacks "no raw img from the body" '<img src=x' "$T/body"

# ---- 410 disables, with a warning ----
check "test event to the 410 partner" 303 "$(post "$P/$pg/test")"
wait_for 10 sql_is "SELECT active FROM partners WHERE id = $pg" 0 &&
	ok "410 disables the partner" || bad "410 disables the partner"
check "the list" 200 "$(req "$J" "$P")"
contains "a warning names it" "Partner <a href=\"/admin/c/demo/partners/$pg\">gone</a> was disabled automatically:</strong> the endpoint answered 410 Gone" "$T/body"
contains "the warning is an alert" 'class="problems" role="alert"' "$T/body"
lacks "p1 has no warning" "partners/$p1\">P1" "$(grep 'was disabled automatically' "$T/body" >"$T/warn"; echo "$T/warn")"

# ---- a failing partner, redelivery of failed events ----
check "p2 has a failed delivery" 1 "$(sql "SELECT count(*) FROM deliveries WHERE partner_id = $p2 AND state = 'failed'")"
check "p2's page shows the 500" 200 "$(req "$J" "$P/$p2")"
contains "... in the log" "HTTP 500" "$T/body"
contains "... and the counts" "0 pending, 0 delivered, 1 failed</dd>" "$T/body"
check "failed since a bad time: 422" 422 "$(post -d since=yesterday "$P/$p2/redeliver-failed")"
contains "... says what to type" "Enter a time such as 2025-01-31" "$T/body"
contains "... keeps it" 'value="yesterday"' "$T/body"
check "failed since month 13: 422" 422 "$(post -d since=2025-13-01 "$P/$p2/redeliver-failed")"
check "nothing rescheduled" failed "$(sql "SELECT state FROM deliveries WHERE partner_id = $p2")"
check "a future time: nothing to send" 303 "$(post -d since=2999-01-01T00:00 "$P/$p2/redeliver-failed")"
case "$(header Location)" in *"done=failed&n=0"*) ok "... none";; *) bad "... none ($(header Location))";; esac
since=$(date -u -d '1 hour ago' +%Y-%m-%dT%H:%M)
check "redeliver failed since an hour ago (datetime-local): 303" 303 "$(post -d "since=$since" "$P/$p2/redeliver-failed")"
req "$J" "$KF_URL$(header Location)" >/dev/null
contains "... 1 event" "1 failed event will be sent again." "$T/body"
wait_for 10 is_true "len(verified('/fail/1/p2', 'card.submitted')) >= 1 and any(r['status'] == 200 for r in verified('/fail/1/p2', 'card.submitted'))" &&
	ok "p2 receives the card, verified, with 200" || bad "p2 receives the card"
check "... with the same webhook-id" "$ev1" "$(rq "verified('/fail/1/p2', 'card.submitted')[-1]['id']")"
wait_for 10 sql_is "SELECT state FROM deliveries WHERE partner_id = $p2" delivered &&
	ok "p2's delivery is delivered" || bad "p2's delivery is delivered"

# ---- redeliver one event ----
check "redeliver a bad id: 422" 422 "$(post -d 'event=<x>' "$P/$p1/redeliver")"
contains "... says what an id is" "An event id is" "$T/body"
check "redeliver an unknown id: 422" 422 "$(post -d event=msg_doesnotexist "$P/$p1/redeliver")"
contains "... says there is none" "This campaign has no event with this id." "$T/body"
check "redeliver the card to p1: 303" 303 "$(post -d "event=$ev1" "$P/$p1/redeliver")"
wait_for 10 is_true "len(verified('/ok/p1', 'card.submitted')) == 2" &&
	ok "p1 receives the card again, verified" || bad "p1 receives the card again"
check "... with the same webhook-id" "$ev1 $ev1" "$(rq "' '.join(r['id'] for r in verified('/ok/p1', 'card.submitted'))")"
check "... the same bytes" True "$(rq "len(set(r['body'] for r in verified('/ok/p1', 'card.submitted'))) == 1")"

# ---- rotate the secret ----
check "rotate: 200 with the new secret" 200 "$(post "$P/$p1/rotate")"
S1b=$(secret_of "$T/body")
case "$S1b" in whsec_?*) [ "$S1b" != "$S1" ] && ok "a new secret is shown" || bad "a new secret is shown";; *) bad "a new secret is shown";; esac
check "the old one signs too (as it was sealed)" "$SEALED1" "$(sql "SELECT previous_secret FROM partners WHERE id = $p1")"
SECRET_OF[/ok/p1]="$S1b $S1"
receiver_secrets "$SECRETS"
check "p1's page after rotation" 200 "$(req "$J" "$P/$p1")"
contains "it says the previous secret still signs" "also signs until" "$T/body"
lacks "no new secret on the page" "$S1b" "$T/body"
post "$P/$p1/test" >/dev/null
wait_for 10 is_true "len(verified('/ok/p1', 'partner.test')) == 2" &&
	ok "a test event after rotation arrives" || bad "a test event after rotation arrives"
check "... verified by the new and the old secret" "[0, 1]" "$(rq "verified('/ok/p1', 'partner.test')[-1]['verified']")"

# ---- disable and enable ----
check "disable: 303" 303 "$(post "$P/$p1/disable")"
check "disabled" "0|disabled by a coordinator" "$(sql "SELECT active, disabled_reason FROM partners WHERE id = $p1")"
req "$J" "$P" >/dev/null
contains "the list says so" "disabled: disabled by a coordinator" "$T/body"
lacks "no automatic-disable warning for it" "partners/$p1\">P1" "$(grep 'was disabled automatically' "$T/body" >"$T/warn"; echo "$T/warn")"
check "enable: 303" 303 "$(post "$P/$p1/enable")"
check "enabled" 1 "$(sql "SELECT active FROM partners WHERE id = $p1")"

# ---- card.withdrawn and campaign.closed ----
check "withdraw the card in the console" 303 "$(post "$A/r/$rid/withdraw")"
check "one card.withdrawn event" 1 "$(sql "SELECT count(*) FROM events WHERE type = 'card.withdrawn' AND response_id = $rid")"
wait_for 10 is_true "len(verified('/ok/p1', 'card.withdrawn')) == 1" &&
	ok "p1 receives a verified card.withdrawn" || bad "p1 receives a verified card.withdrawn"
wb() { rq "json.loads(verified('/ok/p1', 'card.withdrawn')[0]['body'])$1"; }
check "... key field" "SF41 Cluster Management" "$(wb "['key_field']['code'] + ' ' + json.loads(verified('/ok/p1', 'card.withdrawn')[0]['body'])['key_field']['title']")"
check "... campaign" "demo|Test campaign" "$(wb "['campaign']['slug'] + '|' + json.loads(verified('/ok/p1', 'card.withdrawn')[0]['body'])['campaign']['title']")"
check "... its round" 1 "$(wb "['round']")"
check "... version" 1 "$(wb "['version']")"
check "... console URL" "$KF_URL/admin/r/$rid" "$(wb "['url']")"
check "... the expert at detail full" "test.expert@example.org" "$(wb "['expert']['email']")"
check "... id is the webhook-id" True "$(rq "verified('/ok/p1', 'card.withdrawn')[0]['id'] == json.loads(verified('/ok/p1', 'card.withdrawn')[0]['body'])['id']")"
wait_for 10 is_true "len(verified('/fail/1/p2', 'card.withdrawn')) >= 1" &&
	ok "p2 (summary) receives it too" || bad "p2 (summary) receives it too"
check "... without the expert" False "$(rq "'expert' in json.loads(verified('/fail/1/p2', 'card.withdrawn')[0]['body'])")"

check "close the campaign in the console" 303 "$(post "$A/c/demo/close")"
check "one campaign.closed event" 1 "$(sql "SELECT count(*) FROM events e JOIN campaigns c ON c.id = e.campaign_id WHERE e.type = 'campaign.closed' AND c.slug = 'demo'")"
wait_for 10 is_true "len(verified('/ok/p1', 'campaign.closed')) == 1" &&
	ok "p1 receives a verified campaign.closed" || bad "p1 receives a verified campaign.closed"
check "... its campaign" "demo|Test campaign" "$(rq "(lambda b: b['campaign']['slug'] + '|' + b['campaign']['title'])(json.loads(verified('/ok/p1', 'campaign.closed')[0]['body']))")"
check "closing again writes no event" 303 "$(post "$A/c/demo/close")"
check "... still one" 1 "$(sql "SELECT count(*) FROM events WHERE type = 'campaign.closed'")"
post "$A/c/demo/open" >/dev/null
check "keyfield campaign close (CLI)" 0 "$(kf_cli campaign close demo >/dev/null; echo $?)"
wait_for 10 is_true "len(verified('/ok/p1', 'campaign.closed')) == 2" &&
	ok "p1 receives the CLI's campaign.closed, verified" || bad "p1 receives the CLI's campaign.closed"
check "two distinct events" 2 "$(rq "len(set(r['id'] for r in verified('/ok/p1', 'campaign.closed')))")"
check "the log page lists the new events" 200 "$(req "$J" "$P/$p1")"
contains "... campaign.closed" "campaign.closed" "$T/body"
contains "... card.withdrawn" "card.withdrawn" "$T/body"
check "no unverified request anywhere" 0 "$(rq "len([r for r in R if r['kind'] == 'request' and r['path'] != '/gone/p3' and not r['verified']])")"

checks_done admin-partners
