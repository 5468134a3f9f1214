#!/usr/bin/env bash
# Sessions and tokens, across both programs, after a whole run:
#   - an expert's session id changes at every opening of her invitation
#     (and the one it replaces in that browser ends),
#     a coordinator's at every sign-in (the old console session ends);
#   - logout ends the session on the server (the old cookie is refused
#     and its row is gone), for experts and coordinators; idle and old
#     sessions are refused (the timeouts themselves: hostile.sh, admin.sh);
#   - no invitation token, session id or CSRF token appears in any log
#     (nginx access and error logs, survey, admin, notify), after the
#     requests most likely to log a URL: queries, trailing paths, methods,
#     a body nginx refuses (413), refused CSRF tokens;
#   - the database (.dump, and its file and WAL bytes) holds no token or
#     session id, only their SHA-256 (which is found: the check can fail).
# Prints "sessions: N passed, N failed".
set -uo pipefail
RL_NAME=sessions
. "$(dirname "$0")/lib.sh"
rl_start

A=$KF_URL/admin
SECRETS=$T/secrets		# every token, session id, CSRF token seen
: >"$SECRETS"
keep() { [ -n "$2" ] && printf '%s\t%s\n' "$1" "$2" >>"$SECRETS"; }
cookie() { awk -v n="$2" '$6 == n { print $7 }' "$1" 2>/dev/null | tail -n 1; }
code() { curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' "$@"; }
hashhex() { printf '%s' "$1" | sha256sum | cut -d' ' -f1 | tr a-f A-F; }
rows() { sql "SELECT count(*) FROM sessions WHERE hex(id_hash) = '$(hashhex "$1")'"; }

# ---- experts: a new session id at every opening of the link ----
rl_experts 2 s
{ read -r link1 card1; read -r link2 card2; } <"$T/s.experts"
tok1=${link1##*/i/} tok2=${link2##*/i/}
keep token "$tok1"; keep token "$tok2"; keep token "${KF_LINK##*/i/}"
J=$T/jar
check "expert opens her link (its button)" 303 "$(code -b "$J" -c "$J" -d '' "$link1")"
e1=$(cookie "$J" kf_session); keep session "$e1"
check "a session row for it (its hash)" 1 "$(rows "$e1")"
check "she opens it again (same browser)" 303 "$(code -b "$J" -c "$J" -d '' "$link1")"
e2=$(cookie "$J" kf_session); keep session "$e2"
if [ -n "$e1" ] && [ -n "$e2" ] && [ "$e1" != "$e2" ]; then
	ok "the session id changes at every opening"
else
	bad "the session id changes at every opening ('$e1' / '$e2')"
fi
check "a third opening, a third id" 3 "$(code -b "$J" -c "$J" -d '' "$link1" >/dev/null
	e3=$(cookie "$J" kf_session); keep session "$e3"
	printf '%s\n' "$e1" "$e2" "$e3" | sort -u | grep -c .)"
# The id a new opening replaced in this browser is ended at once.
check "the id replaced in this browser is ended" 403 "$(code -H "Cookie: kf_session=$e1" "$KF_URL/")"
check "... its row is gone" 0 "$(rows "$e1")"

# ---- expert logout ends the session on the server ----
cp "$J" "$T/jar-before"
check "home with the session" 200 "$(code -b "$J" "$KF_URL/")"
c=$(csrf_of "$T/body"); keep csrf "$c"
e3=$(cookie "$J" kf_session)
check "its row exists" 1 "$(rows "$e3")"
check "logout without the CSRF token: 403" 403 "$(code -b "$J" -c "$J" -X POST "$KF_URL/logout")"
check "logout with a wrong CSRF token: 403" 403 "$(code -b "$J" -c "$J" -d csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "$KF_URL/logout")"
check "logout: 200" 200 "$(code -b "$J" -c "$J" --data-urlencode "csrf=$c" "$KF_URL/logout")"
grep -qi '^Set-Cookie: kf_session=;.*Max-Age=0' "$T/head" &&
	ok "logout clears the cookie" || bad "logout clears the cookie"
check "the row is deleted" 0 "$(rows "$e3")"
check "the old cookie is refused (home)" 403 "$(code -b "$T/jar-before" "$KF_URL/")"
check "the old cookie is refused (card)" "403" "$(code -b "$T/jar-before" "$KF_URL/card/$card1")"
check "the old cookie with its CSRF token cannot write" 403 "$(code -b "$T/jar-before" --data-urlencode "csrf=$c" -d revision=0 -d action=save -d description=x "$KF_URL/card/$card1")"
check "nothing was written" 0 "$(sql "SELECT count(*) FROM responses WHERE assignment_id = $card1")"

# ---- idle and old expert sessions, on the server ----
check "expert 2 opens her link" 303 "$(code -c "$T/jar2" -d '' "$link2")"
s2=$(cookie "$T/jar2" kf_session); keep session "$s2"
sql "UPDATE sessions SET seen_at = seen_at - 14 * 86400 - 60 WHERE hex(id_hash) = '$(hashhex "$s2")'"
check "idle over 14 days: refused" 403 "$(code -b "$T/jar2" "$KF_URL/")"
check "... and deleted" 0 "$(rows "$s2")"

# ---- coordinators: a new id at every sign-in; logout ----
printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
signin() {	# JAR: 303 expected
	code -b "$1" -c "$1" "$A/login" >/dev/null
	local t
	t=$(csrf_of "$T/body"); keep csrf "$t"
	code -b "$1" -c "$1" --data-urlencode "csrf=$t" -H "Origin: $KF_URL" -d username=ana \
	    --data-urlencode 'password=correct horse battery' "$A/login"
}
C=$T/jar-admin
check "sign-in: 303" 303 "$(signin "$C")"
a1=$(cookie "$C" kf_admin); keep session "$a1"
cp "$C" "$T/jar-admin-1"
check "console: 200" 200 "$(code -b "$C" "$A/")"
keep csrf "$(csrf_of "$T/body")"
check "sign-in again: 303" 303 "$(signin "$C")"
a2=$(cookie "$C" kf_admin); keep session "$a2"
if [ -n "$a1" ] && [ -n "$a2" ] && [ "$a1" != "$a2" ]; then
	ok "the console session id changes at sign-in"
else
	bad "the console session id changes at sign-in ('$a1' / '$a2')"
fi
check "the first session is ended on the server" 0 "$(rows "$a1")"
check "... its cookie goes to sign-in" 303 "$(code -b "$T/jar-admin-1" "$A/")"
check "console with the new one: 200" 200 "$(code -b "$C" "$A/c/demo")"
ac=$(csrf_of "$T/body"); keep csrf "$ac"
cp "$C" "$T/jar-admin-2"
check "console logout: 303" 303 "$(code -b "$C" -c "$C" --data-urlencode "csrf=$ac" "$A/logout")"
check "the row is deleted" 0 "$(rows "$a2")"
check "the old cookie goes to sign-in" 303 "$(code -b "$T/jar-admin-2" "$A/")"
check "the old cookie and its CSRF token cannot write" 403 "$(code -b "$T/jar-admin-2" --data-urlencode "csrf=$ac" -d slug=x1 -d title=X -d form=keyfield -d cities=A=B "$A/campaigns")"
check "no campaign was made" 0 "$(sql "SELECT count(*) FROM campaigns WHERE slug = 'x1'")"

# ---- the requests most likely to put a secret in a log ----
J3=$T/jar3
code -c "$J3" -d '' "$link2" >/dev/null; keep session "$(cookie "$J3" kf_session)"
code -b "$J3" "$KF_URL/card/$card2" >/dev/null; c3=$(csrf_of "$T/body"); keep csrf "$c3"
big=$T/big; head -c 1100000 /dev/zero | tr '\0' a >"$big"
declare -a probes=(
	"link with a query|$link2?utm=1&t=$tok2"
	"link with a trailing path|$link2/x"
	"link with a trailing slash|$link2/"
	"link, HEAD|-I $link2"
	"link, POST|-d x=1 $link2"
	"link, PUT|-X PUT $link2"
	"link, body over 1 MB (nginx 413)|--data-binary @$big $link2"
	"link, %-encoded|$KF_URL/i/%$(printf '%s' "${tok2:0:1}" | od -An -tx1 | tr -d ' \n')${tok2:1}"
	"token as a query on /|$KF_URL/?token=$tok2"
	"session id in a query|$KF_URL/?s=$(cookie "$J3" kf_session)"
	"a refused CSRF token (403)|-b $J3 -d csrf=${c3:0:20}x -d revision=0 -d action=save $KF_URL/card/$card2"
	"a CSRF token in a query|-b $J3 $KF_URL/card/$card2?csrf=$c3"
	"a bad escape with the cookie (400)|-b $J3 -d csrf=$c3&x=%zz $KF_URL/card/$card2"
	"a session cookie on a 404|-b $J3 $KF_URL/nope"
	"a session cookie to the console|-b $J3 $A/"
	"an admin cookie with the session id|-H Cookie:kf_admin=$(cookie "$J3" kf_session) $A/"
)
for p in "${probes[@]}"; do
	name=${p%%|*} args=${p#*|}
	# shellcheck disable=SC2086
	st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 $args)
	if [ "$st" -ge 500 ] 2>/dev/null; then bad "$name: $st"
	else ok "$name: $st"; fi
done
rm -f "$big"
# The workers restarting: the survey socket is briefly gone (nginx 502).
mv "$KF_VAR/run/survey.sock" "$KF_VAR/run/survey.sock.away"
st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$link2")
mv "$KF_VAR/run/survey.sock.away" "$KF_VAR/run/survey.sock"
check "link while the survey socket is gone: 502" 502 "$st"
kill -HUP "$(cat "$KF_VAR/run/nginx.pid" 2>/dev/null)" 2>/dev/null
# A last request, once in nginx's and the survey's logs, shows that every
# request before it was logged: the logs are searched after it.
last_logged() {
	curl -s -o /dev/null --max-time 5 "$KF_URL/logs-written" &&
		grep -qF "/logs-written" "$KF_VAR/log/nginx-access.log" &&
		grep -qF "/logs-written" "$KF_VAR/log/survey.log"
}
wait_for 10 last_logged && ok "a last request is in nginx's and the survey's logs" ||
	bad "a last request is in nginx's and the survey's logs"

# ---- the logs ----
ls "$KF_VAR"/log/*.log >"$T/logs"
n=$(wc -l <"$T/logs")
[ "$n" -ge 4 ] && ok "$n logs to read ($(xargs -n 1 basename <"$T/logs" | tr '\n' ' '))" ||
	bad "logs to read: $(cat "$T/logs")"
grep -q '/i/\[token\]' "$KF_VAR/log/nginx-access.log" &&
	ok "nginx's access log has the invitation requests (as /i/[token])" ||
	bad "nginx's access log has the invitation requests"
sort -u -o "$SECRETS" "$SECRETS"
for kind in token session csrf; do
	n=$(grep -c "^$kind	" "$SECRETS")
	leaks=$(awk -F'\t' -v k="$kind" '$1 == k { print $2 }' "$SECRETS" |
		while read -r s; do
			grep -lF -- "$s" $(cat "$T/logs") 2>/dev/null |
				xargs -r -n 1 basename
		done | sort | uniq -c | tr -s ' ' | tr '\n' ';')
	if [ "$n" -lt 2 ]; then bad "${kind}s collected ($n)"
	elif [ -z "$leaks" ]; then ok "no $kind in any log ($n checked)"
	else
		bad "no $kind in any log ($n checked; found in:$leaks)"
		awk -F'\t' -v k="$kind" '$1 == k { print $2 }' "$SECRETS" |
			while read -r s; do grep -hF -- "$s" $(cat "$T/logs"); done |
			head -n 3 | cut -c 1-240 | sed 's/^/     /'
	fi
done

# ---- the database: hashes only ----
# A mail with an invitation link holds it until it is sent (SECURITY.md,
# Mail); then its bytes are zeroed and the WAL truncated: look once the
# outbox is empty, for up to 10 s.
unsent() { [ "$(sql "SELECT count(*) FROM mails WHERE status IN ('compose', 'pending')")" = 0 ]; }
wait_for 10 unsent || bad "the outbox did not empty"
scan() {
	sqlite3 -cmd '.timeout 10000' "$KF_DB" .dump >"$T/dump"
	found=0
	while IFS=$'\t' read -r kind s; do
		[ "$kind" = csrf ] && continue
		if grep -qF -- "$s" "$T/dump" "$KF_DB" "$KF_DB-wal" 2>/dev/null; then
			found=$((found + 1))
			[ -n "${1:-}" ] && echo "     $kind ${s:0:6}... in the database"
		fi
	done <"$SECRETS"
	[ "$found" = 0 ]
}
wait_for 10 scan || scan show
check "no invitation token or session id in the database (dump, file, WAL)" 0 "$found"
check "the invitation token's SHA-256 is (the check can find a string)" 1 \
    "$(grep -ci "X'$(hashhex "$tok2")'" "$T/dump")"
check "the live session's SHA-256 is" 1 \
    "$(grep -ci "X'$(hashhex "$(cookie "$J3" kf_session)")'" "$T/dump")"
# CSRF tokens are stored as they are, next to the session's hash: worth
# knowing, not a leak (a CSRF token alone opens nothing).
printf 'note CSRF tokens found in the dump: %s of %s\n' \
    "$(awk -F'\t' '$1 == "csrf" { print $2 }' "$SECRETS" |
	while read -r s; do grep -qF -- "$s" "$T/dump" && echo x; done | wc -l)" \
    "$(grep -c '^csrf	' "$SECRETS")"

rl_done
