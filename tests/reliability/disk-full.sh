#!/usr/bin/env bash
# Disk full: the database on a small tmpfs (mount -t tmpfs; needs root:
# skipped, exit 77, when it cannot mount), filled up while an expert
# submits large cards. Every POST is answered 303 (and then stored) or
# 503 (a readable page; nothing half-stored), never 500 and never a 303
# for something not stored; nothing acknowledged is lost; once space
# returns the same worker accepts submissions again; integrity_check ok.
# Short: 20 submissions on the full disk; LONG=1: 200.
# Prints "disk-full: N passed, N failed".
set -uo pipefail
RL_NAME=disk-full
. "$(dirname "$0")/lib.sh"

TRIES=20 FS_SIZE=6m
[ -n "$LONG" ] && TRIES=200

# kf_start, with the database directory on its own tmpfs.
KF_VAR=$(mktemp -d /tmp/keyfield-test.XXXXXX)
chmod 755 "$KF_VAR"
FS=$KF_VAR/dbfs
mkdir -p "$FS"
umount_fs() { mountpoint -q "$FS" && umount "$FS"; }
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=$FS_SIZE,mode=0755 tmpfs "$FS" 2>"$KF_VAR/mount.err"; then
	echo "disk-full: SKIP: cannot mount a tmpfs here ($(cat "$KF_VAR/mount.err" 2>/dev/null || echo "not root"))"
	rm -rf "$KF_VAR"
	exit 77
fi
rl_on_exit umount_fs
trap rl_exit EXIT
trap 'exit 130' INT TERM
# The FastCGI workers run as root here but nginx's as nobody: fine, the
# database is only the workers'.
KF_DB=$FS/keyfield.db
KF_PORT=$(kf_free_port)
KF_URL=http://127.0.0.1:$KF_PORT
export KEYFIELD_DB=$KF_DB KEYFIELD_BASE_URL=$KF_URL
T=$KF_VAR/t
mkdir -p "$T"
kf_cli init >/dev/null
kf_cli campaign add demo --title "Disk full" --form keyfield \
	--cities "Fr=Freiburg,B=Berlin,C=Copenhagen,NY=New York City,S=Singapore,T=Tokyo" >/dev/null
kf_cli field add demo SF41 "Cluster Management" >/dev/null
rl_experts 1 df
read -r link card <"$T/df.experts"
KEYFIELD_WORKERS=1 "$top_srcdir/etc/serve" "$KF_BIN" "$KF_VAR" "$KF_PORT" &
KF_SERVER=$!
for _ in $(seq 100); do
	curl -fsS -o /dev/null "$KF_URL/static/keyfield.css" 2>/dev/null && break
	sleep 0.1
done
jar=$T/jar
check "invitation" 303 "$(rl_login "$link" "$jar")"
worker=$(rl_workers)

# A large card (about 150 KB of text) so each version needs new pages.
text=$(python3 -c "import urllib.parse; print(urllib.parse.quote(('Résumé of the cluster. ' * 800)[:18000]), end='')")
printf '%s' "$(rl_body)&social=$text&ecological=$text&resilience=$text&positive_impact=$text&negative_impact=$text&measures=$text&actors=$text" >"$T/body"
: >"$T/acked"
: >"$T/codes"
submit() {
	local m=$1 code
	rl_form "$card" "$jar" || { echo "nopage" >>"$T/codes"; return; }
	{ printf 'csrf=%s&revision=%s&action=submit&description=%s&' \
		"$RL_CSRF" "$RL_REV" "$m"; cat "$T/body"; } >"$T/post"
	code=$(curl -s -o "$T/page" -w '%{http_code}' -b "$jar" --max-time 60 \
		--data-binary "@$T/post" "$KF_URL/card/$card")
	echo "$code" >>"$T/codes"
	[ "$code" = 303 ] && echo "$m" >>"$T/acked"
	[ "$code" = 503 ] && cp "$T/page" "$T/page503"
	[ "$code" = 500 ] && cp "$T/page" "$T/page500"
}
for k in 1 2 3; do submit "before-$k"; done
check "submissions before the disk fills" "303 303 303" "$(tr '\n' ' ' <"$T/codes" | sed 's/ $//')"

# Fill the filesystem, leaving SQLite only what its files already hold.
dd if=/dev/zero of="$FS/filler" bs=64k 2>/dev/null
avail=$(df --output=avail -k "$FS" | tail -n 1 | tr -d ' ')
check "the tmpfs is full" 0 "$avail"
: >"$T/codes"
for k in $(seq "$TRIES"); do submit "full-$k"; done
echo "     on the full disk: $(sort "$T/codes" | uniq -c | awk '{printf "%s×%s ", $1, $2}')"
full503=$(grep -c '^503$' "$T/codes")
[ "$full503" -ge 1 ] && ok "the full disk was noticed (503 × $full503)" || bad "the full disk was noticed (no 503 in $TRIES submissions)"
check "only 303 or 503 on the full disk" 0 "$(grep -cvE '^(303|503)$' "$T/codes")"
[ -f "$T/page503" ] && grep -q '<h1>' "$T/page503" && ok "503 is a readable page" || bad "503 is a readable page"
[ -f "$T/page500" ] && echo "     a 500 page was: $(grep -o '<h1>[^<]*' "$T/page500" | head -n 1)"
check "the worker lived on" "$worker" "$(rl_workers)"

# Space returns.
rm -f "$FS/filler"
: >"$T/codes"
for k in 1 2 3; do submit "after-$k"; done
check "submissions once space returns" "303 303 303" "$(tr '\n' ' ' <"$T/codes" | sed 's/ $//')"
check "the same worker, no restart needed" "$worker" "$(rl_workers)"

KF_KEEP=1 kf_stop
sql "SELECT value FROM answers WHERE question = 'description' AND version > 0" | sort >"$T/stored"
check "every acknowledged submission stored" 0 "$(comm -23 <(sort "$T/acked") "$T/stored" | wc -l)"
check "nothing stored that was not acknowledged" 0 "$(comm -13 <(sort "$T/acked") "$T/stored" | wc -l)"
check "one event per version" "$(sql "SELECT count(*) FROM response_versions")" "$(sql "SELECT count(*) FROM events")"
check "integrity_check" ok "$(sql "PRAGMA integrity_check")"
check "foreign_key_check empty" "" "$(sql "PRAGMA foreign_key_check")"
echo "     $(wc -l <"$T/acked") acknowledged, $(wc -l <"$T/stored") stored"
grep -m 3 -iE 'full|disk|I/O' "$KF_VAR/log/survey.log" | sed 's/^/     log: /'
rl_done
