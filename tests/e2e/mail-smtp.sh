#!/usr/bin/env bash
# tests/e2e/mail-smtp.sh: keyfield-notify sending over SMTP (libcurl) to
# a real server, tests/e2e/smtpd.py (python3-aiosmtpd) with STARTTLS (a
# self-signed certificate made here, given as smtp_ca_file) and AUTH:
# delivered with a VERP envelope sender and one recipient; 450 tried
# again later and delivered; 550 failed and bounced; a dropped
# connection tried again; a server without STARTTLS refused with nothing
# sent in clear (unless smtp_plain = yes, loopback only); a wrong password failed with the server's text in the
# send log; a hung server holds up neither the other process nor a
# partner's webhook.
set -uo pipefail

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir/var/build}"
. "$top_srcdir/tests/e2e/checks.sh"
export KEYFIELD_FORMS=$top_srcdir/forms
BIN=$top_builddir/cgi
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null ||
	{ echo "mail-smtp: needs python3-aiosmtpd (apt-get install python3-aiosmtpd; ./quickstart check does)" >&2; exit 1; }
for t in openssl sqlite3; do
	command -v "$t" >/dev/null || { echo "mail-smtp: needs $t" >&2; exit 1; }
done
V=$(mktemp -d /tmp/keyfield-smtp.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	[ -z "${KF_KEEP:-}" ] && rm -rf "$V"
}
trap cleanup EXIT
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The certificate, the password, the server.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$V/key.pem" \
	-out "$V/cert.pem" -days 1 -subj /CN=localhost \
	-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
printf 'app password 1\n' >"$V/pw"
printf 'wrong password\n' >"$V/badpw"
# smtpd NAME [--plain]: start a server, its port in $port, files in $V/NAME
smtpd() {
	mkdir -p "$V/$1"
	: >"$V/$1/commands.log"
	port=$(free_port)
	/usr/bin/python3 "$top_srcdir/tests/e2e/smtpd.py" "$port" "$V/$1" \
		"$V/cert.pem" "$V/key.pem" "$V/pw" "${@:2}" 2>"$V/$1.err" &
	pids+=($!)
	wait_for 10 test -e "$V/$1/ready" || echo "smtpd $1 did not start" >&2
}
# conf NAME PORT PWFILE: a keyfield.conf for a server
conf() {
	cat >"$V/$1.conf" <<EOT
smtp_url = smtp://127.0.0.1:$2
smtp_user = kf
smtp_password_file = $3
smtp_ca_file = $V/cert.pem
mail_from = survey@example.org
EOT
}
# db NAME: a database with a campaign "demo" and one key field
db() {
	DB=$V/$1.db
	"$BIN/keyfield" --db "$DB" init >/dev/null
	"$BIN/keyfield" --db "$DB" campaign add demo --title "Demo" \
		--form keyfield --cities "Fr=Freiburg" >/dev/null
	"$BIN/keyfield" --db "$DB" field add demo SF41 "Cluster" >/dev/null
}
kf() { KEYFIELD_CONFIG=$V/$CONF.conf "$BIN/keyfield" --db "$DB" "$@"; }
invite() { kf expert add demo --name "$1" --email "$2" --fields SF41 | tail -n 1; }
notify_once() {
	KEYFIELD_CONFIG=$V/$CONF.conf timeout 60 "$BIN/keyfield-notify" \
		--db "$DB" --once 2>>"$V/notify.log"
}
sqlv() { sqlite3 -cmd '.timeout 10000' "$DB" "$1"; }

# ---- STARTTLS, AUTH, delivered ----
smtpd good
conf good "$port" "$V/pw"
CONF=good
db good
link=$(invite "Dr. Åsa O'Connor-Nguyễn" asa@example.org)
notify_once
check "--once sends over SMTP: exit 0" 0 $?
check "one message arrived" 1 "$(ls "$V/good"/*.eml 2>/dev/null | wc -l)"
"$top_srcdir/tests/e2e/mail_read.py" "$V/good/1.eml" >"$V/read" 2>&1
check "it parses" 0 $?
IFS=$'\t' read -r _ to name subject got _ <"$V/read"
check "... to her" asa@example.org "$to"
check "... her name" "Dr. Åsa O'Connor-Nguyễn" "$name"
check "... with her link" "$link" "$got"
verp=$(sqlv "SELECT verp FROM mails WHERE rcpt = 'asa@example.org'")
check "envelope sender: VERP with the opaque id" "survey+$verp@example.org" "$(sed -n 1p "$V/good/1.env")"
check "one recipient" asa@example.org "$(sed -n 2p "$V/good/1.env")"
lacks "no token in the envelope" "${link##*/}" "$V/good/1.env"
lacks "nothing before STARTTLS but the greeting" "plain MAIL" "$V/good/commands.log"
contains "AUTH after STARTTLS" "tls AUTH PLAIN ok" "$V/good/commands.log"
check "the send log: sent with the server's reply" "sent|250|250 2.0.0 Queued as 1" "$(sqlv "SELECT m.status, a.code, a.text FROM mails m JOIN mail_attempts a ON a.mail_id = m.id")"
lacks "no password in the notifier's log" "app password" "$V/notify.log"

# ---- 450: tried again later, then delivered; 550: failed, bounced ----
invite "Temp" tempfail@example.org >/dev/null
invite "Rej" reject@example.org >/dev/null
notify_once
check "450: pending, to be tried again" "pending|1" "$(sqlv "SELECT status, attempts FROM mails WHERE rcpt = 'tempfail@example.org'")"
check "... logged with its code" "450" "$(sqlv "SELECT a.code FROM mail_attempts a JOIN mails m ON m.id = a.mail_id WHERE m.rcpt = 'tempfail@example.org'")"
check "... not before a minute" 1 "$(sqlv "SELECT next_at > (strftime('%s','now') + 50) * 1000 FROM mails WHERE rcpt = 'tempfail@example.org'")"
check "550: failed at once" "failed|1" "$(sqlv "SELECT status, attempts FROM mails WHERE rcpt = 'reject@example.org'")"
contains_sql() { sqlv "$2" >"$V/q"; contains "$1" "$3" "$V/q"; }
contains_sql "... the server's text in the log" "SELECT a.code || ' ' || a.text FROM mail_attempts a JOIN mails m ON m.id = a.mail_id WHERE m.rcpt = 'reject@example.org'" "550 5.1.1 No such user here"
check "... its address bounced for the campaign" "bounced" "$(sqlv "SELECT reason FROM mail_suppress WHERE email = 'reject@example.org'")"
check "... and its bytes dropped" "" "$(sqlv "SELECT message FROM mails WHERE rcpt = 'reject@example.org'")"
sqlv "UPDATE mails SET next_at = 0 WHERE status = 'pending'"
notify_once
check "450 then: delivered on the next attempt" "sent|2" "$(sqlv "SELECT status, attempts FROM mails WHERE rcpt = 'tempfail@example.org'")"
check "... it arrived once" 1 "$(grep -l '^tempfail@example.org$' "$V/good"/*.env | wc -l)"
check "the bounced address gets no invitation again" 1 "$(kf mail invite demo --to reject@example.org | grep -c 'no: her address bounced')"

# ---- reminders on the schedule: keyfield-notify queues them itself ----
sqlv "UPDATE mails SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-8 days')"
sqlv "UPDATE experts SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-8 days')"
kf campaign reminders demo 0 >/dev/null
notify_once
check "reminders 0: none on the schedule" 0 "$(sqlv "SELECT count(*) FROM mails WHERE kind = 'reminder'")"
kf campaign reminders demo 2 7 >"$V/out"
contains "campaign reminders" "demo: at most 2 reminders, 7 days apart" "$V/out"
kf campaign reminders demo 101 >/dev/null 2>&1
check "... 101 refused" 1 $?
notify_once
check "a week on: reminded on the schedule (asa, tempfail)" "asa@example.org|tempfail@example.org" "$(sqlv "SELECT group_concat(rcpt, '|') FROM (SELECT rcpt FROM mails WHERE kind = 'reminder' ORDER BY rcpt)")"
check "... and sent" 2 "$(sqlv "SELECT count(*) FROM mails WHERE kind = 'reminder' AND status = 'sent'")"
check "... not the bounced address" 0 "$(sqlv "SELECT count(*) FROM mails WHERE kind = 'reminder' AND rcpt LIKE 'reject%'")"
notify_once
check "... and not again at the next run" 2 "$(sqlv "SELECT count(*) FROM mails WHERE kind = 'reminder'")"

# ---- a dropped connection: tried again ----
invite "Drop" drop@example.org >/dev/null
notify_once
check "dropped connection: pending again" "pending|1" "$(sqlv "SELECT status, attempts FROM mails WHERE rcpt = 'drop@example.org'")"
check "... code 0, libcurl's text" 1 "$(sqlv "SELECT a.code = 0 AND a.text != '' FROM mail_attempts a JOIN mails m ON m.id = a.mail_id WHERE m.rcpt = 'drop@example.org'")"

# ---- a server without STARTTLS: refused, nothing in clear ----
smtpd plain --plain
conf plain "$port" "$V/pw"
CONF=plain
db plain
invite "Plain" plain@example.org >/dev/null
notify_once
check "no STARTTLS: not sent" "pending|1" "$(sqlv "SELECT status, attempts FROM mails")"
lacks "... no MAIL FROM reached the server" "MAIL FROM" "$V/plain/commands.log"
check "... nothing arrived" 0 "$(ls "$V/plain"/*.eml 2>/dev/null | wc -l)"
contains_sql "... the log says why" "SELECT text FROM mail_attempts" "STARTTLS"
# smtp_plain = yes (loopback only): a local relay without TLS.
printf 'smtp_url = smtp://127.0.0.1:%s\nsmtp_plain = yes\nmail_from = survey@example.org\n' \
	"$(sed -n 's/^smtp_url = smtp:\/\/127.0.0.1://p' "$V/plain.conf")" >"$V/plain2.conf"
CONF=plain2
db plain2
invite "Local" local@example.org >/dev/null
notify_once
check "smtp_plain to a loopback relay: sent in clear" "sent" "$(sqlv "SELECT status FROM mails")"
check "... it arrived" 1 "$(ls "$V/plain"/*.eml 2>/dev/null | wc -l)"

# ---- a wrong password: failed, the server's text in the log ----
conf badpw "$(sed -n 's/^smtp_url = smtp:\/\/127.0.0.1://p' "$V/good.conf")" "$V/badpw"
CONF=badpw
db badpw
invite "Pw" pw@example.org >/dev/null
notify_once
check "wrong password: failed" "failed" "$(sqlv "SELECT status FROM mails")"
contains_sql "... with the server's reply" "SELECT code || ' ' || text FROM mail_attempts" "535"
check "... not marked bounced" 0 "$(sqlv "SELECT count(*) FROM mail_suppress")"

# ---- kill -9 while sending: every message at least once, logged once ----
smtpd many --slow
conf many "$port" "$V/pw"
printf 'mail_per_minute = 6000\n' >>"$V/many.conf"
CONF=many
db many
for i in $(seq 30); do
	kf expert add demo --name "E$i" --email "e$i@example.org" --fields SF41 >/dev/null
done
KEYFIELD_CONFIG=$V/many.conf "$BIN/keyfield-notify" --db "$DB" 2>>"$V/notify.log" &
kpid=$!
wait_for 20 sh -c "[ \$(ls $V/many/*.eml 2>/dev/null | wc -l) -ge 5 ]"
kill -KILL "$kpid"
wait "$kpid" 2>/dev/null
sent_before=$(sqlv "SELECT count(*) FROM mails WHERE status = 'sent'")
notify_once
check "after kill -9 and a restart: all 30 sent" 30 "$(sqlv "SELECT count(*) FROM mails WHERE status = 'sent'")"
check "... each logged sent once" 30 "$(sqlv "SELECT count(*) FROM mail_attempts WHERE code = 250")"
got=$(cat "$V/many"/*.env | grep -c '^e[0-9]*@example.org$')
got_distinct=$(cat "$V/many"/*.env | grep '^e[0-9]*@example.org$' | sort -u | wc -l)
check "... every address received it" 30 "$got_distinct"
if [ "$got" -ge 30 ] && [ "$got" -le 31 ]; then ok "... at most the one in flight twice ($got deliveries, $sent_before recorded before the kill)"; else bad "deliveries after kill -9: $got"; fi

# ---- a hung server: the webhooks go on, SIGTERM ends the attempt ----
smtpd hung
conf hung "$port" "$V/pw"
CONF=hung
db hung
hport=$(free_port)
/usr/bin/python3 - "$hport" "$V/hooks" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        open(sys.argv[2], 'a').write(self.path + '\n')
        self.send_response(204)
        self.end_headers()
    def log_message(self, *a):
        pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
pids+=($!)
kf partner add demo hook "http://127.0.0.1:$hport/hook" --allow-private >/dev/null
invite "Hang" hang@example.org >/dev/null
KEYFIELD_CONFIG=$V/hung.conf "$BIN/keyfield-notify" --db "$DB" 2>>"$V/notify.log" &
npid=$!
pids+=($npid)
wait_for 10 grep -q "RCPT TO:hang@" "$V/hung/commands.log"
check "the mail thread is held at RCPT" 0 $?
t0=$(date +%s%3N)
kf partner test demo hook >/dev/null
wait_for 5 test -s "$V/hooks"
check "a partner's webhook is delivered meanwhile (under 5 s)" 0 $?
echo "webhook after $(( $(date +%s%3N) - t0 )) ms" >&2
t0=$(date +%s)
kill -TERM "$npid"
wait_for 10 sh -c "! kill -0 $npid 2>/dev/null"
check "SIGTERM ends the hung attempt: the daemon stops within 10 s" 0 $?
wait "$npid" 2>/dev/null
check "... the message is still pending, to be tried again" "pending|1" "$(sqlv "SELECT status, attempts FROM mails")"
checks_done mail-smtp
