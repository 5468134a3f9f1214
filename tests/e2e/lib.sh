# tests/e2e/lib.sh: start a real keyfield (nginx + FastCGI programs +
# notifier, through etc/serve) on a free loopback port with a fresh
# database, for one test script. Source it, then call kf_start.
#   kf_start            sets KF_URL, KF_DB, KF_VAR, KF_BIN, KF_CLI and
#                       KF_LINK (an invitation to SF41 and SF12 of "demo")
#   kf_cli ARGS...      the keyfield CLI on the test database
#   kf_stop             stops everything (also run on exit)
#   kf_settle           waits until the notifier has no mail due
#   kf_submit, kf_db_digest, csrf_of, req, coordinator_signin: below
# Needs top_srcdir and top_builddir (set by make check; defaults: this
# checkout and var/build).

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir/var/build}"
. "$top_srcdir/tests/e2e/checks.sh"
KF_BIN=$top_builddir/cgi
KF_CLI=$KF_BIN/keyfield
export KEYFIELD_FORMS=$top_srcdir/forms

kf_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

kf_cli() {
	"$KF_CLI" --db "$KF_DB" "$@"
}

kf_stop() {
	if [ -n "${KF_SERVER:-}" ]; then
		kill -TERM "$KF_SERVER" 2>/dev/null || true
		wait "$KF_SERVER" 2>/dev/null || true
		KF_SERVER=
	fi
	if [ -n "${KF_VAR:-}" ] && [ -z "${KF_KEEP:-}" ]; then
		rm -rf "$KF_VAR"
	fi
}

# kf_settle [SECONDS]: wait (default 10 s) until keyfield-notify has no
# mail due: none to compose, none pending whose time has come. Then the
# database changes only when the test acts (a submission's thank-you note
# is composed and sent by the notifier in its own time). Deliveries are
# not waited for: a test's partner may never answer (kf_db_digest leaves
# their rows out).
KF_DUE_NOW="CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
kf_settle() {
	local _
	for _ in $(seq $((${1:-10} * 10))); do
		[ "$(sqlite3 -cmd '.timeout 10000' "$KF_DB" "SELECT count(*)
		    FROM mails WHERE status = 'compose' OR
		    (status = 'pending' AND next_at <= $KF_DUE_NOW)" \
		    2>/dev/null)" = 0 ] && return 0
		sleep 0.1
	done
	echo "kf_settle: keyfield-notify still has mail due" >&2
	return 1
}

kf_start() {
	KF_VAR=$(mktemp -d /tmp/keyfield-test.XXXXXX)
	chmod 755 "$KF_VAR"
	KF_DB=$KF_VAR/keyfield.db
	KF_PORT=$(kf_free_port)
	KF_URL=http://127.0.0.1:$KF_PORT
	export KEYFIELD_DB=$KF_DB KEYFIELD_BASE_URL=$KF_URL
	trap kf_stop EXIT
	kf_cli init >/dev/null
	kf_cli campaign add demo --title "Test campaign" --form keyfield \
		--cities "Fr=Freiburg,B=Berlin,C=Copenhagen,NY=New York City,S=Singapore,T=Tokyo" >/dev/null
	kf_cli field add demo SF41 "Cluster Management" >/dev/null
	kf_cli field add demo SF12 "Open Data Platforms" >/dev/null
	KF_LINK=$(kf_cli expert add demo --name "Test Expert" \
		--email test.expert@example.org --fields "SF41,SF12" | tail -n 1)
	"$top_srcdir/etc/serve" "$KF_BIN" "$KF_VAR" "$KF_PORT" &
	KF_SERVER=$!
	for _ in $(seq 100); do
		if curl -fsS -o /dev/null "$KF_URL/static/keyfield.css" \
		    2>/dev/null; then
			kf_settle
			return 0
		fi
		sleep 0.1
	done
	echo "keyfield did not start; logs:" >&2
	tail -n 20 "$KF_VAR"/log/*.log >&2
	return 1
}

# kf_submit LINK EMAIL JAR CODE [curl -d ARGS...]: sign the expert of LINK
# (whose address is EMAIL) in, cookies in JAR, and submit her card of key
# field CODE with the required texts and the fields given; prints the
# HTTP status.
kf_submit() {
	local link=$1 email=$2 jar=$3 code=$4 card page csrf rev
	shift 4
	curl -s -o /dev/null -c "$jar" -d '' "$link"
	card=$(sqlite3 -cmd '.timeout 10000' "$KF_DB" "SELECT a.id FROM
	    assignments a JOIN experts e ON e.id = a.expert_id JOIN fields f
	    ON f.id = a.field_id WHERE e.email = '$email' AND f.code = '$code'")
	page=$(curl -s -b "$jar" -c "$jar" "$KF_URL/card/$card")
	csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | head -n 1 |
	    sed 's/.*value="//; s/"$//')
	rev=$(grep -o 'name="revision" value="[^"]*"' <<<"$page" |
	    head -n 1 | sed 's/.*value="//; s/"$//')
	curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
	    --data-urlencode "csrf=$csrf" -d "revision=$rev" -d action=submit \
	    -d indicators=i "$@" "$KF_URL/card/$card"
}

# kf_db_digest: a digest of the database's contents, to show that a
# refused request changed nothing. It first waits for the notifier to
# settle (kf_settle). Left out: sessions (a request touches its own) and
# the notifier's bookkeeping (deliveries and their attempts), which it
# writes in its own time after a delivery.
kf_db_digest() {
	kf_settle
	sqlite3 -cmd '.timeout 10000' "$KF_DB" .dump |
	    grep -Ev '^INSERT INTO "?(sessions|deliveries|attempts)"? ' |
	    sha256sum
}

# csrf_of [FILE]: the first CSRF token of a page (FILE, else $T/body).
csrf_of() {
	grep -o 'name="csrf" value="[^"]*"' "${1:-$T/body}" | head -n 1 |
	    sed 's/.*value="//; s/"$//'
}

# req JAR [curl args...]: a request with the cookies of JAR; the page in
# $T/body, its head in $T/head; prints the HTTP status.
req() {
	local jar=$1
	shift
	curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' -b "$jar" \
	    -c "$jar" "$@"
}

# coordinator_signin USER JAR: a console session for USER (whose
# password is "USER password 1") in JAR; prints the console's CSRF token.
coordinator_signin() {
	local tok
	req "$2" "$KF_URL/admin/login" >/dev/null
	tok=$(csrf_of)
	req "$2" -H "Origin: $KF_URL" --data-urlencode "csrf=$tok" \
	    -d "username=$1" --data-urlencode "password=$1 password 1" \
	    "$KF_URL/admin/login" >/dev/null
	req "$2" "$KF_URL/admin/" >/dev/null
	csrf_of
}
