#!/usr/bin/env bash
# tests/e2e/mail.sh: e-mail end to end with a real keyfield (nginx, the
# programs, keyfield-notify) and no smtp_url: the invitation mail of
# "keyfield expert add" lands in the maildir var/mail/new (tmp/, then
# new/), parses with Python's email package (tests/e2e/mail_read.py:
# RFC 2047 names and subjects, quoted-printable body, Message-ID, Date,
# no token in a header), its link signs the expert in; a test message;
# refusals (header injection, bad address); the send log; a relink ends
# the old link.
set -uo pipefail

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/e2e/lib.sh"
kf_start || exit 1
T=$KF_VAR/t
mkdir -p "$T"
MAILDIR=$KF_VAR/mail
READ=$top_srcdir/tests/e2e/mail_read.py

# The message files to addr in the maildir, oldest first.
mails_to() { grep -l "^To: .*<\?$1>\?" "$MAILDIR"/new/* 2>/dev/null; }
has_mail() { [ -n "$(mails_to "$1")" ]; }

wait_for 10 has_mail test.expert@example.org
f=$(mails_to test.expert@example.org | head -n 1)
check "the invitation is in the maildir's new/" 1 "$(mails_to test.expert@example.org | wc -l)"
check "nothing left in tmp/" "" "$(ls "$MAILDIR/tmp")"
"$READ" "$f" >"$T/read" 2>&1
check "it parses, 7-bit, without defects" 0 $?
IFS=$'\t' read -r _ to name subject link facts <"$T/read"
check "To: the expert's address" test.expert@example.org "$to"
check "To: her name" "Test Expert" "$name"
check "Subject" "Invitation: Test campaign" "$subject"
check "the body's link is the one the CLI printed" "$KF_LINK" "$link"
contains "text/plain; charset=UTF-8" "ctype=text/plain" "$T/read"
contains "... charset" "charset=utf-8" "$T/read"
contains "quoted-printable" "Content-Transfer-Encoding: quoted-printable" "$f"
code=$(curl -s -o /dev/null -w '%{http_code}' "$link")
if [ "$code" != 404 ] && [ "$code" != 000 ]; then ok "the mail's link is a live invitation ($code)"; else bad "the mail's link: $code"; fi

# Non-ASCII name and campaign: RFC 2047 in the headers, QP in the body.
kf_cli campaign add nordic --title "Smått & stort" --form keyfield \
	--cities "Fr=Freiburg" >/dev/null
kf_cli field add nordic SF41 "Cluster Management" >/dev/null
link2=$(kf_cli expert add nordic --name "Dr. Åsa O'Connor-Nguyễn" \
	--email asa@example.org --fields SF41 | tail -n 1)
wait_for 10 has_mail asa@example.org
f2=$(mails_to asa@example.org | head -n 1)
"$READ" "$f2" >"$T/read2" 2>&1
check "the second parses" 0 $?
IFS=$'\t' read -r _ to name subject link facts <"$T/read2"
check "RFC 2047 name decodes" "Dr. Åsa O'Connor-Nguyễn" "$name"
check "RFC 2047 subject decodes" "Invitation: Smått & stort" "$subject"
check "its link" "$link2" "$link"
contains "the name is an encoded-word" "To: =?UTF-8?B?" "$f2"
lacks "no raw UTF-8 in the file" "Åsa" "$f2"

# Refused: a line break in a name (header injection), a bad address.
kf_cli expert add nordic --name $'Eve\r\nBcc: x@evil.example' \
	--email eve@example.org --fields SF41 >"$T/out" 2>&1
check "a name with CR LF is refused" 1 $?
kf_cli mail test $'a@example.org\r\nBcc: x@evil.example' >"$T/out" 2>&1
check "a test address with CR LF is refused" 1 $?
contains "... saying why" "is not an address we can send to" "$T/out"
check "nothing of Eve queued" 0 "$(sql "SELECT count(*) FROM mails WHERE rcpt LIKE '%evil%' OR rcpt LIKE 'eve@%'")"

# A test message; --no-mail queues none.
kf_cli mail test ops@example.org >"$T/out" 2>&1
check "keyfield mail test" 0 $?
contains "... says where it goes" "into the maildir" "$T/out"
wait_for 10 has_mail ops@example.org
check "the test message arrives" 1 "$(mails_to ops@example.org | wc -l)"
kf_cli expert add nordic --name "Quiet" --email quiet@example.org \
	--fields SF41 --no-mail >/dev/null
check "--no-mail queues nothing" 0 "$(sql "SELECT count(*) FROM mails WHERE rcpt = 'quiet@example.org'")"

# keyfield expert import and expert relink mail too.
printf 'name,email,fields\nImp One,imp1@example.org,SF41\nImp Two,imp2@example.org,SF41\n' >"$T/imp.csv"
kf_cli expert import nordic "$T/imp.csv" >/dev/null
check "expert import: 0" 0 $?
wait_for 10 has_mail imp2@example.org
check "... each imported expert gets her invitation" "invitation|invitation" "$(sql "SELECT group_concat(kind, '|') FROM mails WHERE rcpt LIKE 'imp%'")"
kf_cli expert relink nordic imp1@example.org >"$T/out"
rl=$(tail -n 1 "$T/out")
two_imp() { [ "$(mails_to imp1@example.org | wc -l)" -ge 2 ]; }
wait_for 10 two_imp
check "expert relink: a new-link mail" newlink "$(sql "SELECT kind FROM mails WHERE rcpt = 'imp1@example.org' ORDER BY id DESC LIMIT 1")"
"$READ" $(mails_to imp1@example.org) >"$T/nl" 2>&1
contains "... with the link the CLI printed" "Your new link: Smått & stort	$rl" "$T/nl"

# The send log: sent, one attempt, the message's bytes dropped.
kf_cli mail log demo >"$T/log"
check "mail log: header and one row" 2 "$(wc -l <"$T/log")"
contains "... the invitation, sent" $'invitation\ttest.expert@example.org\tsent\t1' "$T/log"
kf_cli mail log --test >"$T/log"
contains "mail log --test" $'test\tops@example.org\tsent' "$T/log"
check "sent messages keep no bytes (no live links at rest)" 0 "$(sql "SELECT count(*) FROM mails WHERE status = 'sent' AND message IS NOT NULL")"
lacks "the log has no token" "${KF_LINK##*/}" "$KF_VAR/log/notify.log"
kf_cli mail log nope >"$T/out" 2>&1
check "mail log of an unknown campaign: 1" 1 $?

# A mail sign-in token (as a reminder carries) signs in and ends with a
# revocation; the invitation link still works beside it.
tok=$(python3 -c 'import secrets,base64; print(base64.urlsafe_b64encode(secrets.token_bytes(24)).decode().rstrip("="))')
hash=$(printf '%s' "$tok" | sha256sum | cut -d' ' -f1)
eid=$(sql "SELECT id FROM experts WHERE email = 'test.expert@example.org'")
sql "INSERT INTO mail_tokens VALUES (X'$hash', $eid, CAST(strftime('%s','now') AS INTEGER) + 86400)"
code=$(curl -s -o /dev/null -w '%{http_code}' "$KF_URL/i/$tok")
if [ "$code" != 404 ]; then ok "a mail sign-in token opens /i/ ($code)"; else bad "a mail sign-in token: 404"; fi
code=$(curl -s -o /dev/null -w '%{http_code}' "$KF_LINK")
if [ "$code" != 404 ]; then ok "... and the invitation link still works ($code)"; else bad "the invitation after a mail token: 404"; fi
sql "UPDATE mail_tokens SET expires_at = 0"
check "an expired mail token: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$KF_URL/i/$tok")"
sql "UPDATE mail_tokens SET expires_at = CAST(strftime('%s','now') AS INTEGER) + 86400"
check "(fresh again: not 404)" 1 "$([ "$(curl -s -o /dev/null -w '%{http_code}' "$KF_URL/i/$tok")" != 404 ] && echo 1)"

# The console: a new link mails the expert her new link and ends her
# mails' sign-in links; a revocation ends them too.
A=$KF_URL/admin
J=$T/jar
printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
req "$J" "$A/login" >/dev/null
req "$J" -H "Origin: $KF_URL" --data-urlencode "csrf=$(csrf_of "$T/body")" \
	-d username=ana --data-urlencode 'password=correct horse battery' \
	"$A/login" >/dev/null
req "$J" "$A/c/demo" >/dev/null
csrf=$(csrf_of "$T/body")
post() { req "$J" -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" "$@"; }
check "console: new link: 200" 200 "$(post "$A/c/demo/experts/$eid/link")"
newlink=$(grep -o 'id="invitation">[^<]*' "$T/body" | sed 's/.*>//')
two() { [ "$(mails_to test.expert@example.org | wc -l)" -ge 2 ]; }
wait_for 10 two
f3=$(ls -tr $(mails_to test.expert@example.org) | tail -n 1)
"$READ" "$f3" >"$T/read3" 2>&1
check "the new-link mail parses" 0 $?
IFS=$'\t' read -r _ to name subject link facts <"$T/read3"
check "... its subject" "Your new link: Test campaign" "$subject"
check "... its link is the new one" "$newlink" "$link"
check "... the old invitation link: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$KF_LINK")"
check "... her mail sign-in link ended with it: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$KF_URL/i/$tok")"
check "... no mail token of hers is left" 0 "$(sql "SELECT count(*) FROM mail_tokens WHERE expert_id = $eid")"
sql "INSERT INTO mail_tokens VALUES (X'$hash', $eid, CAST(strftime('%s','now') AS INTEGER) + 86400)"
check "(a mail token again: not 404)" 1 "$([ "$(curl -s -o /dev/null -w '%{http_code}' "$KF_URL/i/$tok")" != 404 ] && echo 1)"
check "console: revoke: 303" 303 "$(post "$A/c/demo/experts/$eid/revoke")"
check "a revocation ends her mail sign-in link: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$KF_URL/i/$tok")"
check "console: add an expert: 200" 200 "$(post -d name=Bo -d email=bo@example.org "$A/c/demo/experts")"
wait_for 10 has_mail bo@example.org
check "... her invitation is mailed" 1 "$(mails_to bo@example.org | wc -l)"

# ---- deadline, reminders (a table of states), opt-out, bounces ----
kf_cli campaign add rem --title "Reminded" --form keyfield --cities "Fr=Freiburg" >/dev/null
kf_cli field add rem SF41 "Cluster Management" >/dev/null
for who in open submitted revoked optout bounced; do
	kf_cli expert add rem --name "$who" --email "$who@example.org" --fields SF41 >/dev/null
done
inv_open=$(kf_cli expert add rem --name "open2" --email open2@example.org --fields SF41 | tail -n 1)
kf_cli campaign deadline rem 2026-02-30 >"$T/out" 2>&1
check "a deadline that is no day: refused" 1 $?
kf_cli campaign deadline rem 2026-12-31 >/dev/null
check "campaign deadline" 0 $?
waited() { [ "$(sql "SELECT count(*) FROM mails WHERE status = 'pending'")" = 0 ]; }
wait_for 10 waited
id_of() { sql "SELECT id FROM experts WHERE email = '$1@example.org'"; }
sql "INSERT INTO responses (assignment_id, form_id, status, version, updated_at) SELECT a.id, c.form_id, 'submitted', 1, 'x' FROM assignments a JOIN experts e ON e.id = a.expert_id JOIN campaigns c ON c.id = e.campaign_id WHERE e.email = 'submitted@example.org'"
sql "UPDATE experts SET revoked = 1 WHERE email = 'revoked@example.org'"
# Their invitations went out 10 days ago.
sql "UPDATE mails SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-10 days') WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = 'rem')"
sql "UPDATE experts SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-10 days')"
# A bounce of optout's invitation? No: bounced's, by DSN; a 4xx DSN first.
bverp=$(sql "SELECT verp FROM mails WHERE rcpt = 'bounced@example.org'")
printf 'From: MAILER-DAEMON@localhost\nTo: keyfield+%s@localhost\nContent-Type: multipart/report; report-type=delivery-status\n\nReporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; bounced@example.org\nAction: delayed\nStatus: 4.4.1\n' "$bverp" | kf_cli mail bounce >"$T/out" 2>&1
contains "a delayed DSN marks nothing" "not a permanent failure" "$T/out"
printf 'From: MAILER-DAEMON@localhost\nTo: keyfield+%s@localhost\nContent-Type: multipart/report; report-type=delivery-status\n\nReporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; bounced@example.org\nAction: failed\nStatus: 5.1.1\n' "$bverp" | kf_cli mail bounce >"$T/out" 2>&1
check "keyfield mail bounce: 0" 0 $?
contains "... the message is named" "message $bverp bounced" "$T/out"
check "... the address bounced" bounced "$(sql "SELECT reason FROM mail_suppress WHERE email = 'bounced@example.org'")"
printf 'Action: failed\nStatus: 5.1.1\nTo: keyfield+mAAAAAAAAAAAAAAAAAAAAAAAA@localhost\n' | kf_cli mail bounce >"$T/out" 2>&1
contains "a DSN of no message of ours" "no message of ours" "$T/out"
# optout opts out through a first reminder's link, below; now the table.
kf_cli mail remind rem --dry-run >"$T/dry"
check "dry run: 0" 0 $?
row() { grep "^$1@example.org" "$T/dry" | cut -f3; }
check "open: a reminder" reminder "$(row open)"
check "submitted: none" "no: every card is submitted" "$(row submitted)"
check "revoked: none" "no: her link is revoked" "$(row revoked)"
check "bounced: none" "no: her address bounced" "$(row bounced)"
check "optout (not yet): a reminder" reminder "$(row optout)"
contains "--dry-run queues nothing" "would be sent (--dry-run: none queued)" "$T/dry"
before=$(sql "SELECT count(*) FROM mails WHERE kind = 'reminder'")
check "... and nothing is queued" 0 "$before"
kf_cli mail remind rem >"$T/real"
check "mail remind: 0" 0 $?
check "the same set as the dry run" "$(cut -f1,3 "$T/dry" | head -n -1)" "$(cut -f1,3 "$T/real" | head -n -1)"
check "3 reminders queued (open, open2, optout)" 3 "$(sql "SELECT count(*) FROM mails WHERE kind = 'reminder'")"
kf_cli mail remind rem --dry-run >"$T/dry"
check "right after: open is not due again" "no: a mail to her waits to be sent" "$(row open)"
wait_for 10 waited
kf_cli mail remind rem --dry-run >"$T/dry"
case $(row open) in "no: last mail "*", next from "*) ok "... then not before every_days" ;; *) bad "after a reminder: $(row open)" ;; esac
rf=$(mails_to open2@example.org | xargs ls -tr | tail -n 1)
"$READ" "$rf" >"$T/readr" 2>&1
check "the reminder parses" 0 $?
IFS=$'\t' read -r _ to name subject rlink facts <"$T/readr"
check "... its subject" "Reminder: Reminded" "$subject"
contains "... List-Unsubscribe (an https URL of ours)" "unsubscribe=<$KF_URL/u/m" "$T/readr"
contains "... List-Unsubscribe-Post" "List-Unsubscribe-Post: List-Unsubscribe=One-Click" "$rf"
contains "... the deadline" "Deadline: 31 December 2026" "$rf"
if [ "$rlink" != "$inv_open" ] && [ "${rlink%/*}" = "$KF_URL/i" ]; then ok "... a fresh sign-in link, not the invitation"; else bad "reminder link $rlink"; fi
code=$(curl -s -o /dev/null -w '%{http_code}' "$rlink")
if [ "$code" != 404 ]; then ok "... it signs her in ($code)"; else bad "the reminder's link: 404"; fi
code=$(curl -s -o /dev/null -w '%{http_code}' "$inv_open")
if [ "$code" != 404 ]; then ok "the invitation still works after a reminder ($code)"; else bad "the invitation after a reminder: 404"; fi
of=$(mails_to optout@example.org | xargs ls -tr | tail -n 1)
"$READ" "$of" >"$T/reado" 2>&1
u=$(grep -o "unsubscribe=<[^>]*>" "$T/reado" | sed 's/unsubscribe=<//; s/>$//')
check "GET the opt-out page: 200" 200 "$(curl -s -o "$T/body" -w '%{http_code}' "$u")"
contains "... a one-click form" 'value="One-Click"' "$T/body"
check "... nothing stopped by a GET (a scanner)" 0 "$(sql "SELECT count(*) FROM mail_suppress WHERE email = 'optout@example.org'")"
check "a one-click POST as multipart/form-data (RFC 8058's example) is read: 200" 200 "$(curl -s -o /dev/null -w '%{http_code}' -F List-Unsubscribe=One-Click "$u")"
sql "DELETE FROM mail_suppress WHERE email = 'optout@example.org'"
check "one-click POST, no session, no CSRF token: 200" 200 "$(curl -s -o "$T/body" -w '%{http_code}' -d List-Unsubscribe=One-Click "$u")"
contains "... says so" "no more reminders" "$T/body"
check "... opted out" opted-out "$(sql "SELECT reason FROM mail_suppress WHERE email = 'optout@example.org'")"
check "an unknown opt-out id: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' -d x=1 "$KF_URL/u/mAAAAAAAAAAAAAAAAAAAAAAAA")"
check "a malformed one: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$KF_URL/u/%3Cscript%3E")"
sql "UPDATE mails SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-10 days')"
kf_cli mail remind rem --dry-run >"$T/dry"
check "optout: no more reminders" "no: she opted out" "$(row optout)"
check "open: due again after every_days" reminder "$(row open)"
code=$(curl -s -o /dev/null -w '%{http_code}' "$(grep -o "$KF_URL/i/[A-Za-z0-9_-]*" "$of" | head -n 1)")
if [ "$code" != 404 ]; then ok "an opted-out expert's link still works ($code)"; else bad "opted-out link: 404"; fi
# mail invite: those never invited by mail, or one again.
kf_cli expert add rem --name "Silent" --email silent@example.org --fields SF41 --no-mail >/dev/null
kf_cli mail invite rem --dry-run >"$T/dry"
check "invite --dry-run: the one not invited" "invitation" "$(row silent)"
case $(row open2) in "no: invited already"*) ok "... not those invited" ;; *) bad "invite open2: $(row open2)" ;; esac
check "... not a bounced address" "no: her address bounced" "$(row bounced)"
kf_cli mail invite rem >"$T/out"
check "mail invite: 0" 0 $?
contains "... 1 queued" "1 invitation queued" "$T/out"
wait_for 10 has_mail silent@example.org
sf=$(mails_to silent@example.org | head -n 1)
"$READ" "$sf" >"$T/reads" 2>&1
IFS=$'\t' read -r _ to name subject slink facts <"$T/reads"
check "... her invitation" "Invitation: Reminded" "$subject"
code=$(curl -s -o /dev/null -w '%{http_code}' "$slink")
if [ "$code" != 404 ]; then ok "... its sign-in link works ($code)"; else bad "mail invite link: 404"; fi
kf_cli mail invite rem --to OPEN2@example.org >"$T/out"
contains "--to sends again (any case)" "1 invitation queued" "$T/out"
kf_cli mail invite rem --to nobody@example.org >"$T/out" 2>&1
check "--to of no expert: 1" 1 $?
contains "... says so" "nobody@example.org is no expert of rem" "$T/out"
# The console's mail page: states, buttons, the send log.
req "$J" "$A/c/rem" >/dev/null
csrf=$(csrf_of "$T/body")
contains "the campaign page links to its mail" 'href="/admin/c/rem/mail"' "$T/body"
check "console: the mail page: 200" 200 "$(req "$J" "$A/c/rem/mail")"
contains "... optout's state" "<td>optout@example.org</td><td>opted out of reminders</td>" "$T/body"
contains "... bounced's state" "<td>bounced@example.org</td><td>bounced</td>" "$T/body"
contains "... open's: sent, reminded once" "<td>open@example.org</td><td>sent</td><td class=\"num\">1</td>" "$T/body"
contains "... the send log" "Reminder: Reminded" "$T/body"
lacks "... no link on it" "/i/" "$T/body"
kf_cli expert add rem --name "Late" --email late@example.org --fields SF41 --no-mail >/dev/null
req "$J" "$A/c/rem/mail" >/dev/null
contains "... late: not sent" "<td>late@example.org</td><td>not sent</td>" "$T/body"
check "invite without the CSRF token: 403" 403 "$(req "$J" -H "Origin: $KF_URL" -X POST "$A/c/rem/mail/invite")"
check "console: invite those not invited: 200" 200 "$(post "$A/c/rem/mail/invite")"
contains "... 1 queued" "1 invitation queued" "$T/body"
wait_for 10 has_mail late@example.org
check "... late's invitation arrives" 1 "$(mails_to late@example.org | wc -l)"
check "console: remind now: 200" 200 "$(post "$A/c/rem/mail/remind")"
contains "... says how many" "queued: they are sent within a minute" "$T/body"
check "an unknown verb: 404" 404 "$(post "$A/c/rem/mail/spam")"
wait_for 10 waited
check "the dashboard: 200" 200 "$(req "$J" "$A/c/rem/dashboard")"
contains "... says how many were reminded" "Reminded: $(sql "SELECT count(DISTINCT expert_id) FROM mails WHERE kind = 'reminder' AND status = 'sent' AND campaign_id = (SELECT id FROM campaigns WHERE slug = 'rem')") experts (" "$T/body"
contains "... and who opted out or bounced" "1 opted out of reminders, 1 addresses bounced." "$T/body"
# The texts on the mail page: preview, refusal, save.
req "$J" "$A/c/rem/mail" >/dev/null
contains "a form per kind of text" 'id="t-thanks"' "$T/body"
contains "... with the shipped text" "Thank you: {campaign}" "$T/body"
check "preview with an unknown placeholder: 422" 422 "$(post -d action=preview -d subject=Hi --data-urlencode 'body=Dear {nmae}' "$A/c/rem/mail/template/thanks")"
contains "... says which" "unknown placeholder {nmae}" "$T/body"
contains "... the typed text kept" "Dear {nmae}</textarea>" "$T/body"
check "a subject with a line break: 422" 422 "$(post -d action=save --data-urlencode $'subject=Hi\r\nBcc: x@evil.example' -d body=x "$A/c/rem/mail/template/thanks")"
check "preview: 200" 200 "$(post -d action=preview --data-urlencode 'subject=Thanks, {name}' --data-urlencode $'body=Dear {name},\r\nthanks for {key_fields}.\r\n' "$A/c/rem/mail/template/thanks")"
contains "... rendered with example values" "Subject: Thanks, Dr. Åsa O&#39;Connor-Nguyễn" "$T/body"
check "... nothing saved by a preview" 0 "$(sql "SELECT count(*) FROM mail_templates")"
check "save: 200" 200 "$(post -d action=save --data-urlencode 'subject=Thanks, {name}' --data-urlencode $'body=Dear {name},\r\nthanks for {key_fields}.\r\n' "$A/c/rem/mail/template/thanks")"
contains "... says so" "Saved: the next mails of this kind use it." "$T/body"
check "... saved with LF line ends" 1 "$(sql "SELECT body = 'Dear {name},' || char(10) || 'thanks for {key_fields}.' || char(10) FROM mail_templates WHERE kind = 'thanks'")"
check "a template of no kind: 404" 404 "$(post -d action=save -d subject=x -d body=x "$A/c/rem/mail/template/spam")"
kf_cli mail template rem thanks --default >/dev/null
# A submission through the expert's pages: a thank-you note, composed by
# the sender with a summary and a fresh link to revise.
tlink=$(kf_cli expert add demo --name "Thea" --email thea@example.org --fields SF41 --no-mail | tail -n 1)
TJ=$T/tjar
curl -s -o /dev/null -c "$TJ" -d "" "$tlink"
tcard=$(sql "SELECT a.id FROM assignments a JOIN experts e ON e.id = a.expert_id WHERE e.email = 'thea@example.org'")
curl -s -o "$T/card" -b "$TJ" -c "$TJ" "$KF_URL/card/$tcard"
tcsrf=$(csrf_of "$T/card")
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$TJ" -c "$TJ" --data-urlencode "csrf=$tcsrf" \
	-d action=submit -d revision=0 -d rating.rating.Fr=7 -d rating.rating.B=8 \
	-d rating.rating.C=6 -d rating.rating.NY=6 -d rating.rating.S=1 -d rating.rating.T=8 \
	--data-urlencode "description=Networking for SMEs." \
	--data-urlencode "economic=Cluster management." \
	-d sectors.relevance.mobility=high -d sectors.relevance.ict=medium \
	--data-urlencode $'indicators=number of cluster groups' "$KF_URL/card/$tcard")
check "Thea submits her card: 303" 303 "$code"
wait_for 10 has_mail thea@example.org
tf=$(mails_to thea@example.org | head -n 1)
"$READ" "$tf" >"$T/readt" 2>&1
check "the thank-you note parses" 0 $?
IFS=$'\t' read -r _ to name subject thlink facts <"$T/readt"
check "... its subject" "Thank you: Test campaign" "$subject"
python3 -c 'import email, email.policy, sys; print(email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default).get_content())' "$tf" >"$T/tbody"
contains "... what was submitted" "SF41 Cluster Management, version 1," "$T/tbody"
if [ "$thlink" != "$tlink" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "$thlink")" != 404 ]; then ok "... a fresh link that signs her in"; else bad "thanks link $thlink"; fi
check "... logged as sent" "thanks|sent" "$(sql "SELECT kind, status FROM mails WHERE rcpt = 'thea@example.org'")"
# The lost-link page: the same answer for known and unknown addresses,
# the mail only to the address on file, limits per address and client.
check "GET /lost: 200" 200 "$(curl -s -o "$T/body" -w '%{http_code}' "$KF_URL/lost")"
contains "... a form with a labelled address field" '<label for="email">' "$T/body"
lost() { curl -s -o "$T/lost" -w '%{http_code}' -H "Origin: $KF_URL" --data-urlencode "email=$1" "$KF_URL/lost"; }
check "a malformed address: 422" 422 "$(lost 'not an address')"
contains "... says why" "Enter an e-mail address" "$T/lost"
check "a foreign Origin: 403" 403 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Origin: https://evil.example' -d email=open2@example.org "$KF_URL/lost")"
check "a known address: 200" 200 "$(lost Open2@Example.org)"
cp "$T/lost" "$T/lost-known"
check "an unknown address: 200" 200 "$(lost nobody@example.org)"
check "... the very same page" "$(md5sum <"$T/lost-known" | cut -d' ' -f1)" "$(md5sum <"$T/lost" | cut -d' ' -f1)"
haslost() { [ "$(sql "SELECT count(*) FROM mails WHERE kind = 'lostlink' AND status = 'sent'")" -ge 1 ]; }
wait_for 10 haslost
check "one mail, to the address on file" "open2@example.org" "$(sql "SELECT group_concat(rcpt) FROM mails WHERE kind = 'lostlink'")"
lf=$(grep -l "^Subject: Your link: Reminded" "$MAILDIR"/new/* | head -n 1)
llink=$(grep -o "$KF_URL/i/[A-Za-z0-9_-]*" "$lf" | head -n 1)
code=$(curl -s -o /dev/null -w '%{http_code}' "$llink")
if [ "$code" != 404 ]; then ok "... its link signs her in ($code)"; else bad "lost link: 404"; fi
check "nobody's address is not kept in clear" 0 "$(sql "SELECT count(*) FROM mail_requests WHERE key LIKE '%nobody%'")"
for _ in 1 2 3; do lost open2@example.org >/dev/null; done
check "at most 3 mails an hour to one address" 3 "$(sql "SELECT count(*) FROM mails WHERE kind = 'lostlink'")"
codes=
for _ in 6 7 8 9 10 11; do codes="$codes $(lost x@example.org)"; done
check "requests 6-10 of a client in an hour: 200, the 11th: 429" " 200 200 200 200 200 429" "$codes"
contains "... with Retry-After" "Retry-After" <(curl -s -D - -o /dev/null -H "Origin: $KF_URL" -d email=y@example.org "$KF_URL/lost")
# A campaign's own text: placeholders checked on save, used when sent.
kf_cli mail template rem reminder --show >"$T/out"
contains "--show: the shipped text" "Subject: Reminder: {campaign}" "$T/out"
printf 'Dear {nmae}\n' | kf_cli mail template rem reminder --subject "Hi" >"$T/out" 2>&1
check "an unknown placeholder: refused" 1 $?
contains "... named" "unknown placeholder {nmae}" "$T/out"
printf 'x\n' | kf_cli mail template rem reminder --subject $'Hi\r\nBcc: x@evil.example' >"$T/out" 2>&1
check "CR LF in a subject: refused" 1 $?
printf 'x\r\nBcc: x@evil.example\n' | kf_cli mail template rem reminder --subject "Hi" >"$T/out" 2>&1
check "CR in a text: refused" 1 $?
kf_cli mail template rem spam --show >"$T/out" 2>&1
check "an unknown kind: refused" 1 $?
check "nothing saved" 0 "$(sql "SELECT count(*) FROM mail_templates")"
printf 'Hello {name},\nplease rate {key_fields}: {link}\nStop: {unsubscribe}\n' |
	kf_cli mail template rem reminder --subject "Please rate {campaign}" >"$T/out"
check "a good text: saved" 0 $?
contains "... with a preview" "Hello Dr. Åsa O'Connor-Nguyễn," "$T/out"
sql "UPDATE mails SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-10 days')"
kf_cli mail remind rem >/dev/null
wait_for 10 waited
cf=$(grep -l "^Subject: Please rate Reminded" "$MAILDIR"/new/* | head -n 1)
if [ -n "$cf" ]; then ok "the reminder uses the campaign's text"; else bad "no reminder with the campaign's subject"; fi
python3 -c 'import email, email.policy, sys; print(email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default).get_content())' "${cf:-/dev/null}" >"$T/cbody" 2>/dev/null
contains "... its body" "please rate SF41 Cluster Management: $KF_URL/i/" "$T/cbody"
kf_cli mail template rem reminder --default >/dev/null
check "--default: the shipped text again" 0 "$(sql "SELECT count(*) FROM mail_templates")"
# The deadline on the expert's home page.
RJ=$T/rjar
curl -s -o /dev/null -c "$RJ" -d "" "$inv_open"
curl -s -o "$T/home" -b "$RJ" "$KF_URL/"
contains "the deadline on her home page" "Please submit your cards by <strong>31 December 2026</strong>" "$T/home"
kf_cli campaign deadline rem none >/dev/null
curl -s -o "$T/home" -b "$RJ" "$KF_URL/"
lacks "... not without one" "Please submit your cards by" "$T/home"
check "deadline none" "" "$(sql "SELECT coalesce(deadline, '') FROM mail_policy")"
checks_done mail
