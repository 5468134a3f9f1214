# tests/reliability/lib.sh: what the reliability tests share, on top of
# tests/e2e/lib.sh (a real nginx + FastCGI + SQLite on a free loopback
# port). Source it, set RL_NAME, then call rl_start.
#   rl_start               kf_start, plus $T (scratch) and the exit trap
#   rl_on_exit CMD         run CMD (a function name) before kf_stop
#   rl_experts N PREFIX    invite N experts to SF41: lines "LINK CARD" in
#                          $T/PREFIX.experts
#   rl_login LINK JAR      open the invitation into the cookie jar JAR
#   rl_form CARD JAR       GET the card: sets RL_CSRF and RL_REV (0 if new)
#   rl_body                a complete card, urlencoded, without csrf,
#                          revision, action and description
#   rl_workers             pids of the keyfield-survey workers of this run
#   rl_done                print "NAME: N passed, N failed"; the exit status
# LONG=1 selects the long forms (make check-long).
: "${RL_NAME:?set RL_NAME}"
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

LONG=${LONG:-}

RL_EXIT=()
rl_on_exit() { RL_EXIT+=("$1"); }
rl_exit() {
	local f
	for f in "${RL_EXIT[@]}"; do "$f" || true; done
	kf_stop
}

rl_start() {
	kf_start || { echo "$RL_NAME: 0 passed, 1 failed (server did not start)"; exit 1; }
	trap rl_exit EXIT
	trap 'exit 130' INT TERM
	T=$KF_VAR/t
	mkdir -p "$T"
}

rl_experts() {
	local n=$1 prefix=$2 i link card
	: >"$T/$prefix.experts"
	for i in $(seq 1 "$n"); do
		link=$(kf_cli expert add demo --name "$prefix expert $i" \
			--email "$prefix.$i@example.org" --fields SF41 | tail -n 1)
		card=$(sql "SELECT a.id FROM assignments a JOIN experts e ON e.id = a.expert_id WHERE e.email = '$prefix.$i@example.org'")
		echo "$link $card" >>"$T/$prefix.experts"
	done
}

rl_login() {	# the invitation's button: a POST to the link
	curl -s -o /dev/null -w '%{http_code}' -c "$2" -b "$2" -d '' "$1"
}

rl_form() {
	local page
	page=$(curl -s -b "$2" -c "$2" "$KF_URL/card/$1")
	RL_CSRF=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | head -n 1 |
		sed 's/.*value="//; s/"$//')
	RL_REV=$(grep -o 'name="revision" value="[0-9]*"' <<<"$page" | head -n 1 |
		sed 's/.*value="//; s/"$//')
	[ -n "$RL_CSRF" ] && [ -n "$RL_REV" ]
}

rl_body() {
	printf '%s' 'rating.rating.Fr=7&rating.rating.B=8&rating.rating.C=6' \
		'&rating.rating.NY=6&rating.rating.S=1&rating.rating.T=8' \
		'&economic=Cluster+management+organises+industries.' \
		'&sectors.relevance.mobility=high&sectors.relevance.ict=medium' \
		'&indicators=number+of+cluster+groups%0Anumber+of+businesses'
}

# The survey workers: children of the multiwatch that etc/serve started.
rl_workers() {
	local mw
	for mw in $(pgrep -P "$KF_SERVER" -x multiwatch); do
		pgrep -P "$mw" -x keyfield-survey
	done
}

rl_done() {
	checks_done "$RL_NAME"
}
