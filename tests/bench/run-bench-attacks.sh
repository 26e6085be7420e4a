#!/usr/bin/env bash
# The HTTP server under issue 12's attacks, all in one run on this machine:
#   (1) nginx `return 200` and /v1/query exact hits with no attack (the ratio
#       the exact-hit benchmark reports), then
#   (2) /health and exact-hit /v1/query p99 while each attack is in place
#       (tests/bench/bench_attack, connections from 127.1.x.y; the load from
#       127.0.0.1): (a) 1,000 connections stalled mid-header, (b) 1,000
#       stalled mid-body, (c) 10,000 idle keep-alive connections, (d) one
#       address opening connections as fast as it can;
#   (3) the exact-hit ratio against nginx again with the 10,000 idle open.
# The service runs with its defaults (deadlines 10 s, per-address limit 512),
# except a 120 s keep-alive timeout so the idle connections of (c) really stay
# open; stalled connections the deadlines close are reopened by the attacker.
# Usage: tests/bench/run-bench-attacks.sh [DURATION=10s] [CONNECTIONS=16]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${QD_BUILD_DIR:-$ROOT/build}"
DURATION="${1:-10s}"
CONNECTIONS="${2:-16}"
THREADS=2
PREFILL=2000

source "$ROOT/tests/bench/bench-lib.sh"
require_tools run-bench-attacks wrk nginx curl
cmake --build "$BUILD" --target querydeck bench_service bench_attack >/dev/null
ulimit -n "$(ulimit -Hn)"

NGINX_PORT=$(free_port)
start_nginx "$NGINX_PORT" "$WORK/nginx"

QD_PORT=$(free_port)
export QD_BENCH_KEEP_ALIVE_MS=120000
start_bench_service run-bench-attacks "$QD_PORT" "$WORK"
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/" >/dev/null && break; sleep 0.1; done
QD="http://127.0.0.1:$QD_PORT"

run nginx "http://127.0.0.1:$NGINX_PORT/"
run exact "$QD" "$WORK/bodies.lua" "$WORK/exact.jsonl"
run health "$QD/health"

# attack name, bench_attack arguments...
under_attack() {
    local name=$1; shift
    "$BUILD/bin/bench_attack" "$QD_PORT" "$@" > "$WORK/attack-$name.out" 2>&1 &
    local pid=$!
    for _ in $(seq 1 600); do
        grep -q '^ready' "$WORK/attack-$name.out" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || { echo "attack $name failed:"; cat "$WORK/attack-$name.out"; exit 1; }
        sleep 0.5
    done
    local open
    open=$(curl -s "$QD/metrics" | awk '$1=="querydeck_http_connections_open" {print $2}')
    echo "run-bench-attacks: $name in place, $open connections open"
    run "health-$name" "$QD/health"
    run "exact-$name" "$QD" "$WORK/bodies.lua" "$WORK/exact.jsonl"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}
under_attack header header 1000
under_attack body body 1000
under_attack idle idle 10000
under_attack flood flood

printf '\nwrk -t%s -c%s -d%s keep-alive from 127.0.0.1, one run on %s cores\n' \
    "$THREADS" "$CONNECTIONS" "$DURATION" "$(nproc)"
printf '%-14s %12s %10s %10s %10s %8s\n' run req/s p50 p99 vs-nginx non-2xx
for name in nginx exact health health-header exact-header health-body exact-body \
            health-idle exact-idle health-flood exact-flood; do
    ratio=$(awk -v a="${RPS[$name]}" -v b="${RPS[nginx]}" 'BEGIN {printf "%.3f", a/b}')
    printf '%-14s %12s %10s %10s %10s %8s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "${ratio}x" "${NON2XX[$name]}"
done
curl -s "$QD/metrics" | grep -E '^querydeck_http_connections_(refused|timed_out)_total'
