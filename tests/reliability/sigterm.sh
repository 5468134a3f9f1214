#!/usr/bin/env bash
# SIGTERM (finding 8): every FastCGI worker ends within 2 s of SIGTERM,
# and a request in its hands is finished first. 20 rounds for each
# program (keyfield-admin, keyfield-survey), each round a worker started
# under spawn-fcgi -n (the process is the worker) on its own socket:
#   idle      a whole request, then SIGTERM at once (the worker is on its
#             way back to accept or epoll_wait, where it used to stay);
#   inflight  SIGTERM while the worker waits for a request's body; the
#             body then comes, and the answer must be the same as
#             without the signal (a 403 sign-in page: no login cookie).
# The address is /admin/login for both (the survey refuses it: 403).
# fcgi_request.py speaks FastCGI to the socket and times the end.
# Prints "sigterm: N passed, N failed".
set -uo pipefail
RL_NAME=sigterm
. "$(dirname "$0")/lib.sh"
rl_start

ROUNDS=${ROUNDS:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
WORKER=

stop_worker() { [ -n "$WORKER" ] && kill -KILL "$WORKER" 2>/dev/null; WORKER=; true; }
rl_on_exit stop_worker

# round PROGRAM MODE: start a worker, run fcgi_request.py, reap it.
round() {
	local sock=$T/$1.sock out
	rm -f "$sock"
	spawn-fcgi -n -s "$sock" -M 0600 -- "$KF_BIN/$1" 2>>"$T/$1.log" &
	WORKER=$!
	wait_for 5 test -S "$sock" || { echo "no socket"; return; }
	out=$(timeout 10 python3 "$HERE/fcgi_request.py" "$sock" "$WORKER" "$2")
	kill -KILL "$WORKER" 2>/dev/null	# a survivor: counted, then ended
	wait "$WORKER" 2>/dev/null
	WORKER=
	echo "$out"
}

for prog in keyfield-admin keyfield-survey; do
	for mode in idle inflight; do
		want=200
		[ "$mode" = inflight ] && want=403
		[ "$prog" = keyfield-survey ] && want=403	# not its address
		bad_rounds=0 slowest=0
		for i in $(seq "$ROUNDS"); do
			out=$(round "$prog" "$mode")
			[ -n "$out" ] || out="status=none gone_ms=-1"
			st=${out#status=}; st=${st%% *}
			ms=${out##*gone_ms=}
			if [ "$st" != "$want" ] || [ "$ms" = -1 ]; then
				bad_rounds=$((bad_rounds + 1))
				echo "  round $i: $out (want status=$want, gone within 2 s)"
			fi
			[ "${ms:--1}" -gt "$slowest" ] 2>/dev/null && slowest=$ms
		done
		check "$prog $mode: $ROUNDS rounds, each answered $want and gone within 2 s (slowest ${slowest} ms)" 0 "$bad_rounds"
	done
done

rl_done
