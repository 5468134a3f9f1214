#!/usr/bin/env bash
# Origin against base_url, and login CSRF (finding 8):
#   - with base_url set (KEYFIELD_BASE_URL, as tests/e2e/lib.sh does), a
#     POST whose Origin matches a forged Host but not base_url is refused,
#     though nginx's KEYFIELD_ORIGIN ($scheme://$http_host) matches it;
#   - the sign-in POST needs an Origin equal to base_url: without one
#     (what a page elsewhere can make a browser send only as "null", and
#     a script as nothing) or with another, 403 and no session;
#   - with the right Origin it signs in (303), and a console POST with
#     base_url's Origin works.
# Prints "origin-base-url: N passed, N failed".
set -uo pipefail
RL_NAME=origin-base-url
. "$(dirname "$0")/lib.sh"
rl_start

A=$KF_URL/admin
EVIL=http://evil.example
J=$T/jar
printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
req() { curl -s -o "$T/body" -w '%{http_code}' -b "$J" -c "$J" "$@"; }
# forged ARGS: as req, Host and Origin evil.example, the jar's cookies
# sent by hand (curl would match them against the forged Host).
forged() {
	curl -s -o "$T/body" -w '%{http_code}' -H 'Host: evil.example' \
		-H "Origin: $EVIL" -H "Cookie: $(awk '$6 ~ /^kf_/ { printf "%s=%s; ", $6, $7 }' "$J")" "$@"
}
sessions() { sql "SELECT count(*) FROM sessions WHERE kind = 'coordinator'"; }
login() { # login [curl args]: a fresh sign-in form, then the POST
	req "$A/login" >/dev/null
	req --data-urlencode "csrf=$(csrf_of)" -d username=ana \
		--data-urlencode 'password=correct horse battery' "$@" "$A/login"
}

check "sign-in without Origin: 403 (login CSRF)" 403 "$(login)"
check "sign-in with Origin null: 403" 403 "$(login -H 'Origin: null')"
check "sign-in with a foreign Origin: 403" 403 "$(login -H "Origin: $EVIL")"
req "$A/login" >/dev/null
check "sign-in with a forged Host and its Origin: 403" 403 \
	"$(forged --data-urlencode "csrf=$(csrf_of)" -d username=ana --data-urlencode 'password=correct horse battery' "$A/login")"
check "no session made by the refused sign-ins" 0 "$(sessions)"
check "sign-in with base_url's Origin: 303" 303 "$(login -H "Origin: $KF_URL")"
check "one session" 1 "$(sessions)"

req "$A/" >/dev/null
csrf=$(csrf_of)
check "console POST, forged Host and its Origin: 403" 403 \
	"$(forged --data-urlencode "csrf=$csrf" "$A/logout")"
check "still signed in" 1 "$(sessions)"
check "console POST with base_url's Origin: 303" 303 \
	"$(req -H "Origin: $KF_URL" --data-urlencode "csrf=$csrf" "$A/logout")"
check "signed out" 0 "$(sessions)"

rl_done
