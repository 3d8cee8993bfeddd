#!/usr/bin/env bash
# Flame graph of `zigttp serve` under load: bench/profiles/<name>.svg (py-spy, wrk).
#   bash bench/profile.sh [ENDPOINT] [SECONDS]      e.g. bash bench/profile.sh /api/health 10
# Needs `pip install -e '.[profile]'` (py-spy) and wrk (bench/install-peers.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
endpoint=${1:-/api/health}
seconds=${2:-10}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
.venv/bin/zigttp serve -q -w 1 zigttp/bench/assets/handlers/bench.tsx -p "$port" &   # one process: py-spy follows one pid
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.05; done
wrk -t1 -c50 -d2s "http://127.0.0.1:$port$endpoint" >/dev/null   # warm-up: the inline lane's probation
name=$(echo "$endpoint" | tr -c 'a-zA-Z0-9\n' '-' | sed 's/^-*//;s/-*$//')
wrk -t1 -c50 -d"$((seconds + 2))s" "http://127.0.0.1:$port$endpoint" >/dev/null &
load=$!
.venv/bin/py-spy record -r 200 -d "$seconds" -o "bench/profiles/${name:-root}.svg" -p "$server"
wait "$load"   # (not the server: the trap stops it)
echo "wrote bench/profiles/${name:-root}.svg"
