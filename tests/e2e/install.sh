#!/usr/bin/env bash
# Install test: configure with --prefix, --sysconfdir and --localstatedir
# in a temporary folder, "make install DESTDIR=...", move the staged tree
# into place as a package would, then serve the INSTALLED programs with
# the INSTALLED nginx site over TLS (a self-signed certificate made here),
# the FastCGI programs under spawn-fcgi + multiwatch as etc/serve does,
# and check the site with curl --cacert. Nothing but the installed
# keyfield.conf tells the programs where the database is.
# Prints "install: N passed, N failed". KF_KEEP=1 keeps the folder.
set -uo pipefail

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
top_srcdir=$(cd "$top_srcdir" && pwd)

. "$(dirname "$0")/checks.sh"
# Header names are case-insensitive: contains ignores case here.
contains() { if grep -qiF -- "$2" "$3"; then ok "$1"; else bad "$1 (no '$2' in $3)"; fi; }
finish() {
	checks_done install
	exit $?
}

for tool in nginx spawn-fcgi multiwatch openssl curl sqlite3 python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "install: $tool is missing (see quickstart's packages)"
		exit 77
	fi
done
if [ -f "$top_srcdir/config.status" ]; then
	echo "install: $top_srcdir is configured in place; a second" \
	    "build needs a clean source tree"
	exit 77
fi

# Everything the KEYFIELD_* variables could say must come from the file.
unset KEYFIELD_CONFIG KEYFIELD_DB KEYFIELD_BASE_URL KEYFIELD_LOG_LEVEL \
	KEYFIELD_FORMS

T=$(mktemp -d /tmp/keyfield-install.XXXXXX)
chmod 755 "$T"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	if [ -z "${KF_KEEP:-}" ]; then rm -rf "$T"; else echo "kept $T"; fi
}
trap cleanup EXIT

PREFIX=$T/usr SYSCONF=$T/etc LOCALSTATE=$T/var DEST=$T/dest
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---- build and install into DESTDIR ----
mkdir -p "$T/build" "$T/log" "$T/run" "$T/tls" "$T/nginx"
if ! (cd "$T/build" && "$top_srcdir/configure" --prefix="$PREFIX" \
    --sysconfdir="$SYSCONF" --localstatedir="$LOCALSTATE" \
    >"$T/log/configure.log" 2>&1); then
	tail -n 20 "$T/log/configure.log"
	bad "configure with --prefix, --sysconfdir, --localstatedir"
	finish
fi
ok "configure with --prefix, --sysconfdir, --localstatedir"
if ! make -C "$T/build" -j2 install DESTDIR="$DEST" \
    >"$T/log/install.log" 2>&1; then
	tail -n 30 "$T/log/install.log"
	bad "make install DESTDIR"
	finish
fi
ok "make install DESTDIR"

missing=()
for f in usr/bin/keyfield usr/sbin/keyfield-survey \
    usr/share/keyfield/forms/keyfield.json \
    usr/share/keyfield/static/keyfield.css \
    usr/share/keyfield/static/keyfield.js \
    usr/share/keyfield/static/413.html \
    etc/keyfield/keyfield.conf \
    usr/share/doc/keyfield/examples/keyfield.conf \
    usr/share/doc/keyfield/examples/nginx-site.conf \
    usr/lib/systemd/system/keyfield-survey.socket \
    usr/lib/systemd/system/keyfield-survey.service \
    usr/lib/systemd/system/keyfield-admin.socket \
    usr/lib/systemd/system/keyfield-admin.service \
    usr/lib/systemd/system/keyfield-notify.service \
    usr/lib/sysusers.d/keyfield.conf usr/lib/tmpfiles.d/keyfield.conf \
    usr/share/man/man1/keyfield.1 usr/share/man/man5/keyfield.conf.5 \
    usr/share/man/man5/keyfield.json.5 \
    usr/share/man/man8/keyfield-survey.8 \
    usr/share/man/man8/keyfield-admin.8 \
    usr/share/man/man8/keyfield-notify.8; do
	[ -f "$DEST$T/$f" ] || missing+=("$f")
done
check "every file is installed under DESTDIR" "" "${missing[*]}"
stray=$(find "$DEST" -mindepth 1 -maxdepth 1 ! -path "$DEST/tmp" | head -n 3)
check "nothing is installed outside the prefix" "" "$stray"
leftover=$(grep -rl '@[a-z]*dir@' "$DEST$T/usr/lib" \
    "$DEST$T/usr/share/doc" "$DEST$T/etc" 2>/dev/null | head -n 3)
check "installed configs have every path filled in" "" "$leftover"

# A second install keeps an edited keyfield.conf.
echo "# edited" >>"$DEST$SYSCONF/keyfield/keyfield.conf"
make -C "$T/build" install DESTDIR="$DEST" >>"$T/log/install.log" 2>&1
contains "make install keeps an existing keyfield.conf" "# edited" \
	"$DEST$SYSCONF/keyfield/keyfield.conf"

# Move the staged tree into place, as unpacking a package would.
cp -a "$DEST$T/." "$T/"
BIN=$PREFIX/bin SBIN=$PREFIX/sbin
UNITS=$PREFIX/lib/systemd/system

if command -v systemd-analyze >/dev/null 2>&1; then
	units=("$UNITS"/keyfield-survey.socket "$UNITS"/keyfield-survey.service
		"$UNITS"/keyfield-admin.socket "$UNITS"/keyfield-notify.service)
	[ -x "$SBIN/keyfield-admin" ] && units+=("$UNITS"/keyfield-admin.service)
	out=$(systemd-analyze verify --man=no "${units[@]}" 2>&1)
	check "systemd-analyze verify: the units are clean" "" "$out"
fi

# ---- the database, made by the installed CLI from keyfield.conf ----
PORT=$(free_port) PORT80=$(free_port)
URL=https://localhost:$PORT
conf=$SYSCONF/keyfield/keyfield.conf
sed -i "s|^base_url = .*|base_url = $URL|" "$conf"
mkdir -p "$LOCALSTATE/lib/keyfield"	# what keyfield.tmpfiles makes
DB=$LOCALSTATE/lib/keyfield/keyfield.db
kf() { "$BIN/keyfield" "$@"; }
check "keyfield init reads the installed keyfield.conf" 0 \
	"$(kf init >"$T/log/init.log" 2>&1; echo $?)"
[ -s "$DB" ] && ok "the database is where keyfield.conf says" ||
	bad "no database at $DB"
contains "init imported the installed forms" "form keyfield version" \
	"$T/log/init.log"
kf campaign add demo --title "Install test" --form keyfield \
	--cities "Fr=Freiburg,B=Berlin,C=Zürich" >/dev/null
kf field add demo SF41 "Cluster Management" >/dev/null
LINK=$(kf expert add demo --name "Åsa O'Connor-Nguyễn" \
	--email asa@example.org --fields SF41 | tail -n 1)
check "the invitation link uses base_url" "$URL/i/" "${LINK%/i/*}/i/"
TOKEN=${LINK##*/}

# Configuration errors are refused with FILE:LINE.
printf 'log_level = info\ndatabse = /x\n' >"$T/bad.conf"
out=$(kf --config "$T/bad.conf" init 2>&1; echo "rc=$?")
contains "an unknown key is refused with FILE:LINE" \
	"$T/bad.conf:2: unknown key \"databse\"" <(echo "$out")
contains "a bad config file is exit status 1" "rc=1" <(echo "$out")
out=$(kf --config "$T/none.conf" init 2>&1; echo "rc=$?")
contains "a missing --config file is an error" "rc=1" <(echo "$out")

# ---- TLS, the installed nginx site, the installed programs ----
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-addext subjectAltName=DNS:localhost \
	-keyout "$T/tls/privkey.pem" -out "$T/tls/fullchain.pem" \
	>"$T/log/openssl.log" 2>&1
site=$T/nginx/site.conf
sed -e "s|@SERVER_NAME@|localhost|g" \
	-e "s|/etc/letsencrypt/live/localhost/|$T/tls/|g" \
	-e "s|/run/keyfield/|$T/run/|g" \
	-e "s|/var/log/nginx/|$T/log/|g" \
	-e "s|listen 443 ssl http2;|listen 127.0.0.1:$PORT ssl http2;|" \
	-e "s|listen 80;|listen 127.0.0.1:$PORT80;|" \
	-e '/listen \[::\]/d' \
	"$PREFIX/share/doc/keyfield/examples/nginx-site.conf" >"$site"
lacks "the site has no placeholder left" "@" "$site"
lacks "every system path of the site was relocated" "/run/keyfield" "$site"
cat >"$T/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $T/run/nginx.pid;
error_log $T/log/nginx-error.log warn;
events { worker_connections 64; }
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	client_body_temp_path $T/nginx/body;
	fastcgi_temp_path $T/nginx/fastcgi;
	proxy_temp_path $T/nginx/proxy;
	uwsgi_temp_path $T/nginx/uwsgi;
	scgi_temp_path $T/nginx/scgi;
	include $site;
}
EOF
if ! nginx -t -p "$T/nginx" -c "$T/nginx/nginx.conf" -e "$T/log/nginx-error.log" \
    >"$T/log/nginx-t.log" 2>&1; then
	cat "$T/log/nginx-t.log"
	bad "nginx -t accepts the installed site"
	finish
fi
ok "nginx -t accepts the installed site"

owner=()
[ "$(id -u)" = 0 ] && owner=(-U nobody -G nogroup)
spawn-fcgi -n -s "$T/run/survey.sock" -M 0600 "${owner[@]}" -- \
	/usr/bin/multiwatch -f 2 -- "$SBIN/keyfield-survey" \
	2>>"$T/log/survey.log" &
pids+=($!)
if [ -x "$SBIN/keyfield-admin" ]; then
	spawn-fcgi -n -s "$T/run/admin.sock" -M 0600 "${owner[@]}" -- \
		/usr/bin/multiwatch -f 1 -- "$SBIN/keyfield-admin" \
		2>>"$T/log/admin.log" &
	pids+=($!)
fi
if [ -x "$SBIN/keyfield-notify" ]; then
	"$SBIN/keyfield-notify" 2>>"$T/log/notify.log" &
	pids+=($!)
fi
nginx -p "$T/nginx" -c "$T/nginx/nginx.conf" -e "$T/log/nginx-error.log" \
	-g 'daemon off;' &
pids+=($!)

C=(curl -s --max-time 10 --cacert "$T/tls/fullchain.pem"
	--resolve "localhost:$PORT:127.0.0.1" --resolve "localhost:$PORT80:127.0.0.1")
JAR=$T/jar
req() { "${C[@]}" -o "$T/body" -D "$T/head" -w '%{http_code}' -b "$JAR" -c "$JAR" "$@"; }
up=no
for _ in $(seq 100); do
	if "${C[@]}" -fo /dev/null "$URL/static/keyfield.css"; then up=yes; break; fi
	sleep 0.1
done
check "the site answers over TLS with the test certificate" yes "$up"
if [ "$up" != yes ]; then
	tail -n 20 "$T"/log/*.log
	finish
fi

# ---- over HTTPS ----
check "static CSS from the installed pkgdatadir" 200 "$(req "$URL/static/keyfield.css")"
if cmp -s "$T/body" "$top_srcdir/etc/keyfield.css"; then
	ok "the CSS is the shipped file"
else
	bad "the CSS is the shipped file"
fi
check "the card's script from the installed pkgdatadir" 200 "$(req "$URL/static/keyfield.js")"
contains "the script is JavaScript" "Content-Type: application/javascript" "$T/head"
check "plain HTTP redirects" 301 "$("${C[@]}" -o /dev/null -D "$T/h80" -w '%{http_code}' "http://localhost:$PORT80/card/1")"
contains "the redirect goes to https" "Location: https://localhost/card/1" "$T/h80"

check "invitation page answers 200" 200 "$(req "$LINK")"
check "its button (a POST) answers 303" 303 "$(req -d '' "$LINK")"
contains "the session cookie has the __Host- prefix" "Set-Cookie: __Host-kf_session=" "$T/head"
contains "the session cookie is Secure" "; Secure" "$T/head"
contains "the session cookie is HttpOnly" "; HttpOnly" "$T/head"
contains "HSTS on the redirect" "Strict-Transport-Security: max-age=" "$T/head"

check "home page" 200 "$(req "$URL/")"
card=$(sqlite3 "$DB" "SELECT a.id FROM assignments a JOIN fields f ON f.id = a.field_id WHERE f.code = 'SF41'")
check "card page" 200 "$(req "$URL/card/$card")"
for h in "Strict-Transport-Security: max-age=63072000; includeSubDomains" \
    "Content-Security-Policy: default-src 'none'" \
    "X-Content-Type-Options: nosniff" "Referrer-Policy: same-origin" \
    "X-Frame-Options: DENY" "Cross-Origin-Opener-Policy: same-origin" \
    "Cache-Control: no-store"; do
	contains "card page: ${h%%:*}" "$h" "$T/head"
done
contains "card page is the key-field card" "Rating per city" "$T/body"
contains "card page shows a city from the database" "Zürich" "$T/body"

csrf=$(grep -o 'name="csrf" value="[^"]*"' "$T/body" | head -n 1 |
	sed 's/.*value="//; s/"$//')
check "draft save answers 303" 303 "$(req --data-urlencode "csrf=$csrf" \
	-d revision=0 -d action=save -d rating.rating.Fr=7 \
	--data-urlencode "description=Saved over TLS – installed" \
	"$URL/card/$card")"
check "the draft is in the configured database" 1 \
	"$(sqlite3 "$DB" "SELECT count(*) FROM answers WHERE value = 'Saved over TLS – installed'")"

check "unknown page is 404" 404 "$(req "$URL/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")"
contains "HSTS on an error page too (always)" "Strict-Transport-Security" "$T/head"
head -c 1200000 /dev/zero | tr '\0' a >"$T/big"
check "nginx refuses a body over client_max_body_size" 413 \
	"$(req --http1.1 --data-binary @"$T/big" "$URL/card/$card")"
contains "the 413 page is the installed one" "$(grep -o '<title>[^<]*' "$top_srcdir/etc/413.html" | head -n 1)" "$T/body"
contains "HSTS on the 413 page" "Strict-Transport-Security" "$T/head"
# Over HTTP/2 nginx answers with its built-in 413 page (error_page is not
# applied to a body refused mid-stream); the status and headers hold.
check "HTTP/2: a body over the limit is 413" 413 \
	"$(req --http2 --data-binary @"$T/big" "$URL/card/$card")"
contains "HTTP/2: HSTS on the 413" "Strict-Transport-Security" "$T/head"
check "the site speaks HTTP/2" 2 "$("${C[@]}" --http2 -o /dev/null -w '%{http_version}' "$URL/static/keyfield.css")"

if [ -x "$SBIN/keyfield-admin" ]; then
	check "the console's login page" 200 "$(req "$URL/admin/login")"
	contains "console: HSTS" "Strict-Transport-Security" "$T/head"
fi

# Logs: one line per request, no token. A worker writes its lines when it
# goes idle: wait for the line (it was a fixed 0.2 s) before looking for
# what must not be there.
wait_for 5 grep -qF "GET /card/$card 200" "$T/log/survey.log"
contains "the survey logs one line per request" "GET /card/$card 200" "$T/log/survey.log"
lacks "no invitation token in the program's log" "$TOKEN" "$T/log/survey.log"
lacks "no invitation token in nginx's log" "$TOKEN" "$T/log/keyfield-access.log"

# ---- uninstall leaves nothing but what the administrator edited ----
rm -f "$DEST$SYSCONF/keyfield/keyfield.conf"
make -C "$T/build" uninstall DESTDIR="$DEST" >>"$T/log/install.log" 2>&1
left=$(find "$DEST" -type f | head -n 3)
check "make uninstall removes every installed file" "" "$left"

finish
