#!/usr/bin/env bash
# End to end: one ./quickstart at a time. A quickstart serves from a copy
# of this tree (its build copied too, so the real script's build step is
# the no-op of an up-to-date tree); then a second one in the same folder
# (serving on another port, and in check mode) and one from another folder
# on the same port both exit 1 at once with their message and change
# nothing, and the first keeps answering every page (no 502). Prints
# "quickstart: N passed, N failed".
set -uo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir/var/build}"
. "$top_srcdir/tests/e2e/checks.sh"
for t in flock tar curl python3; do
	command -v "$t" >/dev/null ||
		{ echo "quickstart: needs $t" >&2; exit 1; }
done

T=$(mktemp -d /tmp/keyfield-quickstart.XXXXXX)
chmod 755 "$T"	# nginx workers run as nobody under root
A=$T/a B=$T/b QS=
cleanup() {
	if [ -n "$QS" ]; then
		kill -TERM "$QS" 2>/dev/null
		wait "$QS" 2>/dev/null
	fi
	chmod -R u+w "$T" 2>/dev/null
	if [ -z "${KF_KEEP:-}" ]; then rm -rf "$T"; else echo "kept $T"; fi
}
trap cleanup EXIT
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Two copies of the sources; the first gets the build (not its tests).
# copy FROM TO [EXCLUDE...]: a tree with its times (make compares them).
copy() {
	local from=$1 to=$2 ex=()
	shift 2
	for e in "$@"; do ex+=(--exclude="./$e"); done
	mkdir -p "$to"
	tar -C "$from" "${ex[@]}" -cf - . | tar -C "$to" -xf - &&
	    chmod -R u+w "$to"
}
for d in "$A" "$B"; do
	copy "$top_srcdir" "$d" var tests/node_modules tests/artifacts .git \
	    _build _inst	# the last two: make distcheck's trees
done
# Not its tests, the sanitizer tree or a distcheck's tree: not built by
# "make", and large.
copy "$top_builddir" "$A/var/build" tests asan 'keyfield-[0-9]*' '*.log' '*.trs'

PORT=$(free_port)
URL=http://127.0.0.1:$PORT
(cd "$A" && PORT=$PORT KEYFIELD_DB= KEYFIELD_BASE_URL= exec ./quickstart) \
    >"$T/a.out" 2>&1 &
QS=$!
if wait_for 120 grep -q 'keyfield is running' "$T/a.out"; then
	ok "the first quickstart serves on port $PORT"
else
	bad "the first quickstart serves ($(tail -n 20 "$T/a.out"))"
	exit 1
fi
if grep -q 'quickstart: make' "$T/a.out" &&
    [ "$(grep -c ' CC ' "$A/var/build.log")" -eq 0 ]; then
	ok "... its build was up to date (nothing compiled)"
else
	bad "... its build was up to date ($(grep -c ' CC ' "$A/var/build.log") compiled)"
fi
link=$(sed -n 's/^Demo expert link: *//p' "$T/a.out")
pages() {
	local jar=$T/jar codes=
	codes="$codes $(curl -s -o /dev/null -w '%{http_code}' "$URL/static/keyfield.css")"
	codes="$codes $(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -d '' "$link")"
	codes="$codes $(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$URL/")"
	codes="$codes $(curl -s -o /dev/null -w '%{http_code}' "$URL/admin/login")"
	echo "$codes"
}
check "every page answers" " 200 303 200 200" "$(pages)"
snapshot() { (cd "$A/var" && find . -path ./build -prune -o -type f -newer "$T/mark" -print | sort); }
touch "$T/mark"
sleep 1

# ---- a second one in the same folder ----
start=$(date +%s)
# (timeout: a broken lock would build, serve or test instead of stopping)
(cd "$A" && PORT=$(free_port) timeout -k 5 30 ./quickstart) >"$T/a2.out" 2>&1
check "a second quickstart in the same folder: exit 1" 1 $?
contains "... says who runs" \
    "keyfield is already running from this folder (pid $QS, port $PORT)" "$T/a2.out"
check "... at once (under 5 s)" 1 "$(( $(date +%s) - start < 5 ))"
lacks "... builds nothing" "quickstart: make" "$T/a2.out"
(cd "$A" && timeout -k 5 30 ./quickstart check) >"$T/a3.out" 2>&1
check "quickstart check in the same folder: exit 1" 1 $?
contains "... the same message" \
    "keyfield is already running from this folder (pid $QS, port $PORT)" "$T/a3.out"
check "... neither changed a file in var/" "" "$(snapshot | grep -v '^./log/')"

# ---- another folder, the same port ----
(cd "$B" && PORT=$PORT timeout -k 5 30 ./quickstart) >"$T/b.out" 2>&1
check "a quickstart from another folder on the busy port: exit 1" 1 $?
contains "... says so" "port $PORT is in use" "$T/b.out"
lacks "... before it builds" "quickstart: make" "$T/b.out"
if [ -e "$B/var/build/Makefile" ] || [ -e "$B/var/keyfield.db" ]; then
	bad "... starts nothing in its folder"
else
	ok "... starts nothing in its folder"
fi

# ---- the first one still answers ----
check "every page still answers (no 502)" " 200 303 200 200" "$(pages)"
kill -0 "$QS" 2>/dev/null && ok "the first quickstart still runs" ||
	bad "the first quickstart still runs"

# ---- the demo panel: five experts' round-1 cards (etc/demo/panel) ----
contains "the first run adds the demo panel" \
    "quickstart: adding the demo panel" "$T/a.out"
# panel_n: the SF41 Freiburg ratings "keyfield stats demo" counts.
panel_n() {
	"$A/var/build/cgi/keyfield" --db "$A/var/keyfield.db" stats demo \
	    --format json | python3 -c '
import json, sys
f = [f for f in json.load(sys.stdin)["fields"] if f["code"] == "SF41"][0]
print(f["cities"][0]["n"])'
}
check "... keyfield stats demo: n = 5 for SF41" 5 "$(panel_n)"
check "... the demo expert's own cards stay empty" 0 \
    "$(sqlite3 "$A/var/keyfield.db" "SELECT count(*) FROM responses r JOIN assignments a ON a.id = r.assignment_id JOIN experts e ON e.id = a.expert_id WHERE e.email = 'demo.expert@example.org'")"

kill -TERM "$QS"
wait "$QS" 2>/dev/null
QS=
check "stopped, the folder is free again: a new run takes the lock" 0 \
    "$(cd "$A" && flock -n var/quickstart.lock true; echo $?)"

# ---- a later run keeps the database: no second panel ----
PORT=$(free_port)
(cd "$A" && PORT=$PORT KEYFIELD_DB= KEYFIELD_BASE_URL= exec ./quickstart) \
    >"$T/a4.out" 2>&1 &
QS=$!
if wait_for 120 grep -q 'keyfield is running' "$T/a4.out"; then
	ok "a later quickstart serves again"
else
	bad "a later quickstart serves again ($(tail -n 20 "$T/a4.out"))"
fi
lacks "... adds no panel" "adding the demo panel" "$T/a4.out"
check "... still n = 5" 5 "$(panel_n)"
kill -TERM "$QS"
wait "$QS" 2>/dev/null
QS=

checks_done quickstart
