# tests/e2e/receiver.sh: the partner side of the notification tests
# (notify.sh, admin-partners.sh, reliability/notify-crash.sh), sourced
# after checks.sh. One receiver program, tests/e2e/receiver.mjs; these
# helpers start it, tell it the secrets to verify with and read what it
# recorded.
#   SECRET_OF[PATH]="S1 S2"               the secrets a path's partner
#                                        may sign with
#   receiver_secrets FILE                write them to the secrets file
#                                        the receiver reads (at once)
#   receiver_start LOG SECRETS PORTFILE [receiver.mjs options]
#                                        start one in the background;
#                                        RECEIVER_PID and RECEIVER_PORT
#                                        are set; status 1 if it did not
#                                        start within 10 s
#   receiver_query LOG EXPR              print a Python expression over
#                                        LOG's records (below)
# In EXPR: R is every record (dicts, in order); body(r) the request's JSON
# body ({} if it is not JSON); req(path=None, id=None, type=None) the
# requests that match (each given argument must); verified(path, type)
# those of them some secret verifies.

declare -A SECRET_OF
receiver_secrets() {
	local args=() p
	for p in "${!SECRET_OF[@]}"; do args+=("$p=${SECRET_OF[$p]}"); done
	python3 - "$1" "${args[@]}" <<'PY'
import json, os, sys
d = {}
for a in sys.argv[2:]:
    path, _, secrets = a.partition("=")
    d[path] = secrets.split()
with open(sys.argv[1] + ".tmp", "w") as f:
    json.dump(d, f)
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
PY
}

receiver_start() {
	local log=$1 secrets=$2 portfile=$3
	shift 3
	rm -f "$portfile"
	node "$top_srcdir/tests/e2e/receiver.mjs" --log "$log" \
	    --secrets "$secrets" --port-file "$portfile" "$@" \
	    >>"$log.out" 2>&1 &
	RECEIVER_PID=$!
	wait_for 10 test -s "$portfile" ||
		{ echo "receiver did not start: $(cat "$log.out")" >&2; return 1; }
	RECEIVER_PORT=$(cat "$portfile")
}

receiver_query() {
	python3 - "$1" "$2" <<'PY'
import json, sys
R = []
try:
    with open(sys.argv[1]) as f:
        for line in f:
            if line.endswith("\n"):
                R.append(json.loads(line))
except FileNotFoundError:
    pass
def body(r):
    try:
        return json.loads(r["body"])
    except ValueError:
        return {}
def req(path=None, id=None, type=None):
    return [r for r in R if r["kind"] == "request"
            and (path is None or r["path"] == path)
            and (id is None or r["id"] == id)
            and (type is None or body(r).get("type") == type)]
def verified(path, type):
    return [r for r in req(path, type=type) if r["verified"]]
print(eval(sys.argv[2]))
PY
}
