#!/usr/bin/env bash
# Slowloris from one address (finding 3): one address (127.0.0.2)
# holding 1 100 idle connections, each with half a request header, does
# not stop another (127.0.0.1) from being served promptly (under 2 s):
# nginx has room for them (worker_connections, worker_rlimit_nofile),
# drops each after client_header_timeout (10 s), and limit_conn caps
# what one address may have in flight once its headers are read.
# Prints "slowloris: N passed, N failed".
set -uo pipefail
RL_NAME=slowloris
. "$(dirname "$0")/lib.sh"
rl_start

HERE=$(cd "$(dirname "$0")" && pwd)
N=${SLOWLORIS_N:-1100}
for url in "$KF_URL/static/keyfield.css" "$KF_URL/admin/login"; do
	out=$(python3 "$HERE/slowloris.py" 127.0.0.1 "$KF_PORT" 127.0.0.2 "$N" "$url")
	echo "  $url: $out"
	held=${out#held=}; held=${held%% *}
	st=${out#*served=}; st=${st%% *}
	ms=${out##*ms=}
	check "127.0.0.2 holds $N idle connections" "$N" "$held"
	check "127.0.0.1 is served meanwhile (${url#"$KF_URL"})" 200 "$st"
	if [ "$ms" -lt 2000 ] 2>/dev/null; then ok "promptly ($ms ms)"; else bad "promptly ($ms ms)"; fi
done
# the timeouts: a connection with half a header is closed within 10 s
python3 - "$KF_PORT" <<'PY' >"$T/closed"
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), source_address=("127.0.0.2", 0))
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
t0 = time.time()
s.settimeout(30)
try:
    s.recv(1)
except OSError:
    pass
print(int(time.time() - t0))
PY
secs=$(cat "$T/closed")
if [ "$secs" -le 12 ] 2>/dev/null; then ok "half a header is dropped after the 10 s timeout ($secs s)"; else bad "half a header is dropped after the 10 s timeout ($secs s)"; fi
grep -q 'limit_conn keyfield_conn' "$KF_VAR/nginx.conf" && ok "limit_conn per address in the config" || bad "limit_conn per address in the config"

rl_done
