#!/usr/bin/env bash
# Lock-out from a second address (finding 1): a stranger who knows a
# coordinator's username cannot keep her out. Through real nginx (which
# passes the client's address as REMOTE_ADDR):
#   - 12 wrong passwords for "ana" from 127.0.0.2 (curl --interface): the
#     first 5 are 403, then 429 with a Retry-After that grows;
#   - the right password from 127.0.0.1, at once: 303, signed in; the
#     console tells her "12 failed sign-in attempts from 1 address ...";
#   - 127.0.0.2 is still held back, even with the right password;
#   - the held-back attempts and the lifting are logged.
# Prints "lockout-second-address: N passed, N failed".
set -uo pipefail
RL_NAME=lockout-second-address
. "$(dirname "$0")/lib.sh"
rl_start

A=$KF_URL/admin
printf 'correct horse battery\n' | kf_cli coordinator add --admin ana >/dev/null
# try IFACE JAR PASSWORD: the POST from IFACE, with the form of the last
# answer in JAR's folder (a GET of the form first when there is none):
# nginx's own limit on /admin/login (10 a minute, bursts of 20, per
# address) must not be what answers 429 here.
try() {
	local body=$2.html
	[ -s "$body" ] && grep -q 'name="csrf"' "$body" ||
		curl -s -o "$body" --interface "$1" -b "$2" -c "$2" "$A/login"
	cp "$body" "$T/body"
	curl -s -o "$body" -D "$T/head" -w '%{http_code}' --interface "$1" \
		-b "$2" -c "$2" -H "Origin: $KF_URL" --data-urlencode "csrf=$(csrf_of)" \
		-d username=ana --data-urlencode "password=$3" "$A/login"
	cp "$body" "$T/body"
}
retry_after() { sed -n 's/^Retry-After: *\([0-9]*\).*/\1/Ip' "$T/head"; }

if ! curl -s -o /dev/null --interface 127.0.0.2 "$KF_URL/static/keyfield.css"; then
	bad "127.0.0.2 is usable as a source address"
	rl_done; exit
fi

codes="" waits=""
for i in $(seq 12); do
	codes="$codes $(try 127.0.0.2 "$T/evil" "wrong $i")"
	waits="$waits $(retry_after)"
	# the stranger waits out each delay, up to 2 s, to make failures count
	w=$(retry_after); [ -n "$w" ] && [ "$w" -le 2 ] && sleep "$w"
done
echo "  stranger: codes$codes; Retry-After$waits"
check "first 5 wrong passwords: 403" " 403 403 403 403 403" "$(echo "$codes" | cut -d' ' -f1-6)"
case "$codes" in *429*) ok "then 429 (held back)";; *) bad "then 429 (held back): $codes";; esac
contains "... by keyfield, not by nginx's rate limit" "Too many failed sign-ins from your address" "$T/body"
last=$(echo "$waits" | awk '{ print $NF }')
if [ -n "$last" ] && [ "$last" -ge 2 ]; then ok "Retry-After grows ($waits)"; else bad "Retry-After grows ($waits)"; fi
n=$(sql "SELECT count(*) FROM login_failures WHERE username = 'ana' AND addr = '127.0.0.2'")
echo "  failures stored for 127.0.0.2: $n"

check "the owner, right password from 127.0.0.1 at once: 303" 303 "$(try 127.0.0.1 "$T/ana" 'correct horse battery')"
check "she is signed in" 200 "$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/ana" "$A/")"
contains "the console tells her of the failures" "failed sign-in attempts from 1 address since" "$T/body"
check "the stranger's address is still held back, right password or not" 429 "$(try 127.0.0.2 "$T/evil" 'correct horse battery')"
contains "held-back attempts are logged" "sign-in of ana from 127.0.0.2 held back" "$KF_VAR/log/admin.log"
# the delay passes: the failures move back in time
sql "UPDATE login_failures SET at = at - 3600"
check "after the window 127.0.0.2 may try again" 303 "$(try 127.0.0.2 "$T/evil2" 'correct horse battery')"

rl_done
