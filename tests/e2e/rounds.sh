# tests/e2e/rounds.sh: the round-1 panel of the Delphi tests (sourced by
# tests/e2e/round2.sh and tests/browser/round2.sh after tests/e2e/lib.sh
# and kf_start; needs T, a scratch folder).
#   sign_in LINK JAR    an expert's session from her invitation link
#   card_id EMAIL CODE  the card (assignment) id
#   post JAR CARD ACTION Fr B C NY S T LEVEL [curl args...]
#                       post these ratings (and the required texts) with
#                       ACTION after reading the card's CSRF token and
#                       revision; prints the status, the page in $T/body
#   RATINGS             the five experts' round-1 ratings
#   rounds_panel        the five experts (the first is the test expert,
#                       $KF_LINK) submit RATINGS for SF41, each with her
#                       session in $T/jarN; checked as "round 1: ..."

sign_in() { curl -s -o /dev/null -c "$2" -d '' "$1"; }
card_id() {
	sql "SELECT a.id FROM assignments a JOIN experts e ON e.id = a.expert_id
	    JOIN fields f ON f.id = a.field_id
	    WHERE e.email = '$1' AND f.code = '$2'"
}
post() {
	local jar=$1 card=$2 action=$3 page csrf rev args=() c
	shift 3
	page=$(curl -s -b "$jar" -c "$jar" "$KF_URL/card/$card")
	csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | head -n 1 |
	    sed 's/.*value="//; s/"$//')
	rev=$(grep -o 'name="revision" value="[^"]*"' <<<"$page" |
	    head -n 1 | sed 's/.*value="//; s/"$//')
	for c in Fr B C NY S T; do
		args+=(-d "rating.rating.$c=$1")
		shift
	done
	args+=(-d "sectors.relevance.mobility=$1")
	shift
	curl -s -o "$T/body" -w '%{http_code}' -b "$jar" -c "$jar" \
	    --data-urlencode "csrf=$csrf" -d "revision=$rev" \
	    -d "action=$action" -d "description=typed description" \
	    -d "indicators=i" "${args[@]}" "$@" "$KF_URL/card/$card"
}

# The ratings of round 1 (Fr B C NY S T, mobility), as in stats.sh.
RATINGS=(
	"2 7 5 6 1 8 high"
	"2 8 5 6 2 8 high"
	"3 8 5 6 3 8 medium"
	"8 9 5 7 4 9 low"
	"9 10 6 7 5 9 high"
)
rounds_panel() {
	local i email link
	for i in 0 1 2 3 4; do
		if [ "$i" -eq 0 ]; then
			link=$KF_LINK email=test.expert@example.org
		else
			email=e$i@example.org
			link=$(kf_cli expert add demo --name "Expert $i" --email "$email" \
			    --fields SF41 | tail -n 1)
		fi
		sign_in "$link" "$T/jar$i"
		# shellcheck disable=SC2086
		check "round 1: expert $i submits" 303 \
		    "$(post "$T/jar$i" "$(card_id "$email" SF41)" submit ${RATINGS[$i]})"
	done
}
