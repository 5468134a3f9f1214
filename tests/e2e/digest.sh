#!/usr/bin/env bash
# End to end, the test helper kf_db_digest (tests/e2e/lib.sh) that shows
# a refused request changed nothing: it must not depend on how quickly
# keyfield-notify runs. With the notifier stopped, an expert submits;
# her thank-you note is left for the notifier to compose and send. The
# notifier resumes a second later, while the digest is being taken: the
# digest must wait for it, and so equal one taken afterwards. (Under
# load, final.sh once failed "nothing changed" this way.)
# Prints "digest: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

for t in sqlite3 curl pgrep; do
	command -v "$t" >/dev/null || { echo "digest: needs $t" >&2; exit 1; }
done
kf_start || exit 1
T=$KF_VAR/t
mkdir -p "$T"

N=$(pgrep -P "$KF_SERVER" -x keyfield-notify)
check "the notifier runs" 1 "$(wc -w <<<"$N")"
kill -STOP "$N"
ratings=()
for c in Fr B C NY S T; do ratings+=(-d "rating.rating.$c=5"); done
check "a submission: 303" 303 "$(kf_submit "$KF_LINK" test.expert@example.org "$T/jar" SF41 "${ratings[@]}" -d description=x)"
check "... its thank-you note waits for the notifier" 1 "$(sql "SELECT count(*) FROM mails WHERE kind = 'thanks' AND status = 'compose'")"
(sleep 1; kill -CONT "$N") &
before=$(kf_db_digest)
check "... sent once the notifier resumed" "1" "$(sql "SELECT count(*) FROM mails WHERE kind = 'thanks' AND status = 'sent'")"
sleep 1
check "the digest then equals one taken later" "$before" "$(kf_db_digest)"
checks_done digest
