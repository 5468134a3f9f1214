#!/usr/bin/env bash
# End to end: experts submit cards full of hostile text through real
# nginx + FastCGI (curl), then "keyfield export" writes every format and
# independent readers take them back: Python's csv and json modules, and
# LibreOffice headless for the workbook (libreoffice-calc-nogui). Every
# value must come back exactly. Prints "export: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
READ=$top_srcdir/tests/e2e/export_read.py
for t in python3 sqlite3 soffice script; do
	command -v "$t" >/dev/null ||
		{ echo "export: needs $t (libreoffice-calc-nogui for" \
		    "soffice)" >&2; exit 1; }
done
kf_start || exit 1

T=$KF_VAR/t
O=$T/out
mkdir -p "$T" "$O"

# ---- experts submit through nginx ----

# open LINK JAR: an expert's session.
open_link() { curl -s -o /dev/null -c "$2" -d '' "$1"; }
# card_id EMAIL CODE
card_id() {
	sql "SELECT a.id FROM assignments a JOIN experts e ON e.id = a.expert_id
	    JOIN fields f ON f.id = a.field_id
	    WHERE e.email = '$1' AND f.code = '$2'"
}
# post JAR CARD ACTION DATA: answer with the test data DATA (see
# export_read.py), after reading the card's CSRF token and revision.
post() {
	local jar=$1 card=$2 action=$3 data=$4 page csrf rev args
	page=$(curl -s -b "$jar" -c "$jar" "$KF_URL/card/$card")
	csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | head -n 1 |
	    sed 's/.*value="//; s/"$//')
	rev=$(grep -o 'name="revision" value="[^"]*"' <<<"$page" |
	    head -n 1 | sed 's/.*value="//; s/"$//')
	mapfile -d '' -t args < <(python3 "$READ" args "$data")
	curl -s -o "$T/body" -w '%{http_code}' -b "$jar" -c "$jar" \
	    --data-urlencode "csrf=$csrf" -d "revision=$rev" \
	    -d "action=$action" "${args[@]}" "$KF_URL/card/$card"
}

E1_JAR=$T/e1 E2_JAR=$T/e2 E3_JAR=$T/e3
link2=$(kf_cli expert add demo --name '-Zoë "Z" Ñandú, 𝔘' \
    --email zoe@example.org --fields SF41 | tail -n 1)
link3=$(kf_cli expert add demo --name "Draft Only" \
    --email draft@example.org --fields SF41 | tail -n 1)
open_link "$KF_LINK" "$E1_JAR"
open_link "$link2" "$E2_JAR"
open_link "$link3" "$E3_JAR"
e1=$(card_id test.expert@example.org SF41)
e1b=$(card_id test.expert@example.org SF12)
e2=$(card_id zoe@example.org SF41)
e3=$(card_id draft@example.org SF41)

check "expert 1 submits SF41" 303 "$(post "$E1_JAR" "$e1" submit e1v1)"
check "expert 1 revises SF41 (version 2)" 303 \
    "$(post "$E1_JAR" "$e1" submit e1v2)"
check "expert 1 submits SF12" 303 "$(post "$E1_JAR" "$e1b" submit e1sf12)"
check "expert 2 submits SF41" 303 "$(post "$E2_JAR" "$e2" submit e2v1)"
check "expert 2 then keeps a draft" 303 "$(post "$E2_JAR" "$e2" save draft)"
check "expert 3 only keeps a draft" 303 "$(post "$E3_JAR" "$e3" save draft)"
check "the database holds the drafts" 2 \
    "$(sql "SELECT count(*) FROM answers WHERE version = 0
	AND question = 'description' AND value LIKE 'DRAFT-ONLY%'")"
check "four submissions" 4 "$(sql "SELECT count(*) FROM response_versions")"

# ---- every export ----

# ex NAME ARGS...: keyfield export demo ARGS into $O/NAME.
ex() {
	local name=$1
	shift
	if kf_cli export demo "$@" --output "$O/$name" 2>"$T/err"; then
		ok "export $* (exit 0)"
	else
		bad "export $* (exit $?: $(cat "$T/err"))"
	fi
}
ex demo.csv --format csv
ex demo-bom.csv --format csv --bom
ex demo-all.csv --format csv --all-versions
ex demo-sf12.csv --format csv --field SF12
ex demo-long.csv --format csv-long
ex demo-long-all.csv --format csv-long --all-versions
ex demo.json --format json
ex demo-all.json --format json --all-versions
ex demo.md --format md
ex demo.xlsx --format xlsx

# Standard output gives the same bytes as --output.
kf_cli export demo --format csv >"$T/stdout.csv"
if cmp -s "$T/stdout.csv" "$O/demo.csv"; then
	ok "csv on standard output"
else
	bad "csv on standard output"
fi
kf_cli export demo --format xlsx >"$T/stdout.xlsx"
check "xlsx through a pipe is a zip" "PK" "$(head -c 2 "$T/stdout.xlsx")"

# ---- the workbook through LibreOffice ----
mkdir -p "$T/home" "$O/lo"
if HOME=$T/home soffice --headless --norestore --convert-to \
    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$O/lo" "$O/demo.xlsx" >"$T/soffice.log" 2>&1 &&
    [ -f "$O/lo/demo-Responses.csv" ] && [ -f "$O/lo/demo-Values.csv" ]; then
	ok "LibreOffice reads the workbook, both sheets"
else
	bad "LibreOffice reads the workbook ($(ls "$O/lo"; cat "$T/soffice.log"))"
fi
# part FILE NAME: one part of a zip (the workbook's XML).
part() {
	python3 -c 'import sys, zipfile
sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$@"
}
part "$O/demo.xlsx" xl/worksheets/sheet1.xml >"$T/sheet1.xml"
part "$O/demo.xlsx" xl/styles.xml >"$T/styles.xml"
contains "xlsx: the header row is frozen" 'state="frozen"' "$T/sheet1.xml"
contains "xlsx: column widths are set" '<col ' "$T/sheet1.xml"
contains "xlsx: text wraps" 'wrapText="1"' "$T/styles.xml"
if grep -q '<f>' "$T/sheet1.xml"; then
	bad "xlsx: no formula cells"
else
	ok "xlsx: no formula cells"
fi

# ---- read every export back (Python csv/json, LibreOffice CSV) ----
python3 "$READ" check "$O" "$top_srcdir/forms/keyfield.json" "$KF_DB" \
    >"$T/read.log"
read_rc=$?
cat "$T/read.log"
r_pass=$(grep -c '^ok ' "$T/read.log")
r_fail=$(grep -c '^FAIL ' "$T/read.log")
pass=$((pass + r_pass)) fail=$((fail + r_fail))
if [ "$read_rc" -ne 0 ] && [ "$r_fail" -eq 0 ]; then bad "the reader failed"; fi

# ---- refusals ----
kf_cli export nosuch --format csv >"$T/o" 2>"$T/err"
check "unknown campaign: exit 1" 1 $?
contains "unknown campaign: says so" 'no campaign "nosuch"' "$T/err"
kf_cli export demo --format csv --field NOPE >"$T/o" 2>"$T/err"
check "unknown key field: exit 1" 1 $?
contains "unknown key field: says so" 'no key field "NOPE"' "$T/err"
kf_cli export demo --format pdf >"$T/o" 2>"$T/err"
check "unknown format: exit 1" 1 $?
contains "unknown format: lists the formats" \
    "csv, csv-long, json, xlsx or md" "$T/err"
kf_cli export nosuch --format csv --output "$O/none.csv" 2>"$T/err"
if [ -e "$O/none.csv" ] || ls "$O"/none.csv.* >/dev/null 2>&1; then
	bad "a failed export leaves no file"
else
	ok "a failed export leaves no file"
fi
# --output that is not a regular file (a FIFO here; /dev/null alike) is
# written in place, never replaced by a renamed temporary file.
mkfifo "$T/fifo"
timeout 20 cat "$T/fifo" >"$T/from-fifo" &
reader=$!
kf_cli export demo --format csv --output "$T/fifo" 2>"$T/err"
check "export into a FIFO: exit 0" 0 $?
wait "$reader"
if [ -p "$T/fifo" ]; then
	ok "the FIFO is still a FIFO"
else
	bad "the FIFO is still a FIFO"
fi
if cmp -s "$T/from-fifo" "$O/demo.csv"; then
	ok "the FIFO's reader got the export"
else
	bad "the FIFO's reader got the export"
fi
if ls "$T"/fifo.* >/dev/null 2>&1; then
	bad "no temporary file beside the FIFO"
else
	ok "no temporary file beside the FIFO"
fi
# A terminal on standard output: script(1) gives the command a pty.
script -qec "$KF_CLI --db $KF_DB export demo --format xlsx" /dev/null \
    >"$T/tty" 2>&1
check "xlsx to a terminal: exit 1" 1 $?
contains "xlsx to a terminal: says why" "XLSX workbook is binary" "$T/tty"
if grep -q 'PK' "$T/tty"; then
	bad "xlsx to a terminal: nothing binary"
else
	ok "xlsx to a terminal: nothing binary"
fi

checks_done export
