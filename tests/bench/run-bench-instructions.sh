#!/usr/bin/env bash
# Instructions per exact-hit /v1/query, counted by callgrind: a figure that
# does not move with the machine's load (wall-clock throughput on a shared
# machine does), to compare HTTP server variants. bench_service runs under
# valgrind with instrumentation off until it is ready; then a small client
# sends WARMUP requests, instrumentation is switched on, REQUESTS more go
# (keep-alive, CONNECTIONS connections taking turns), and the count is dumped.
# The figure includes every thread of the service (I/O, handler, pipeline).
# Usage: tests/bench/run-bench-instructions.sh BINARY [REQUESTS=2000] [CONNECTIONS=4]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${QD_BUILD_DIR:-$ROOT/build}"
BINARY="${1:?bench_service binary}"
REQUESTS="${2:-2000}"
CONNECTIONS="${3:-4}"
THREADS=1 DURATION=1s PREFILL=200

source "$ROOT/tests/bench/bench-lib.sh"
require_tools run-bench-instructions valgrind callgrind_control callgrind_annotate python3

PORT=$(free_port)
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$WORK/callgrind.out" \
    "$BINARY" "$PORT" "$PREFILL" "$WORK" > "$WORK/service.out" 2> "$WORK/service.err" &
SERVICE=$!
PIDS+=($SERVICE)
for _ in $(seq 1 900); do grep -q '^ready' "$WORK/service.out" 2>/dev/null && break; sleep 1; done
grep -q '^ready' "$WORK/service.out" || { echo "run-bench-instructions: service did not start"; tail "$WORK/service.err"; exit 1; }

client() { # count
    python3 - "$PORT" "$WORK/exact.jsonl" "$1" "$CONNECTIONS" <<'PY'
import http.client, sys
port, bodies, count, conns = int(sys.argv[1]), open(sys.argv[2]).read().splitlines(), int(sys.argv[3]), int(sys.argv[4])
cs = [http.client.HTTPConnection("127.0.0.1", port) for _ in range(conns)]
for i in range(count):
    c = cs[i % conns]
    c.request("POST", "/v1/query", bodies[i % len(bodies)], {"Content-Type": "application/json"})
    r = c.getresponse(); body = r.read()
    if r.status != 200 or b'"cache":"exact"' not in body:
        sys.exit(f"request {i}: status {r.status}: {body[:200]!r}")
PY
}
client 200
callgrind_control -i on "$SERVICE" > /dev/null
client "$REQUESTS"
callgrind_control -d "$SERVICE" > /dev/null
callgrind_control -i off "$SERVICE" > /dev/null
total=$(cat "$WORK"/callgrind.out* | awk '/^summary:/ {s += $2} END {print s}')
printf 'instructions/request %.0f (%s exact hits over %s connections, %s)\n' \
    "$(awk -v t="$total" -v n="$REQUESTS" 'BEGIN {print t / n}')" "$REQUESTS" "$CONNECTIONS" "$BINARY"
if [ -n "${TOP:-}" ]; then
    callgrind_annotate --inclusive="${INCLUSIVE:-no}" $(ls "$WORK"/callgrind.out* | grep -v '\.out$' | head -1) 2>/dev/null | head -"$TOP"
fi
