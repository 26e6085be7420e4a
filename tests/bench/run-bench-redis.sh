#!/usr/bin/env bash
# Shared-cache benchmark, all in one run on this machine so the ratios are fair:
#   /v1/query exact and semantic hits with the cache in memory vs in Redis
#   (same prefill, same wrk settings), `redis-benchmark -t get` at the same
#   concurrency against the same redis-server (the reference for one GET round
#   trip), and the Redis commands each exact hit costs, from INFO commandstats.
# Usage: tests/bench/run-bench-redis.sh [PREFILL=20000] [DURATION=10s] [CONNECTIONS=16]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${QD_BUILD_DIR:-$ROOT/build}"
PREFILL="${1:-20000}"
DURATION="${2:-10s}"
CONNECTIONS="${3:-16}"
THREADS=2

source "$ROOT/tests/bench/bench-lib.sh"
require_tools run-bench-redis wrk curl redis-server redis-benchmark redis-cli
cmake --build "$BUILD" --target bench_service >/dev/null

REDIS_PORT=$(free_port)
mkdir -p "$WORK/redis"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --save "" \
    --appendonly yes --appendfsync everysec --maxmemory 1gb --maxmemory-policy allkeys-lru \
    --logfile "$WORK/redis/log" &
PIDS+=($!)
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

MEM_PORT=$(free_port)
RED_PORT=$(free_port)
echo "run-bench-redis: pre-filling $PREFILL entries in memory and in redis..."
start_bench_service run-bench-redis "$MEM_PORT" "$WORK/memory"
start_bench_service run-bench-redis "$RED_PORT" "$WORK/redis-service" "redis://127.0.0.1:$REDIS_PORT/0"

calls() { redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' | awk -F'[=:,]' -v c="cmdstat_$1" '$1==c {print $3}'; }
total_calls() { redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' | awk -F'[=:,]' '/^cmdstat_/ && $1!="cmdstat_info" {s+=$3} END {print s+0}'; }

for port in "$MEM_PORT" "$RED_PORT"; do
    probe=$(curl -s "http://127.0.0.1:$port/v1/query" -H 'Content-Type: application/json' -d "$(awk 'NR==1' "$WORK/memory/exact.jsonl")")
    [[ "$probe" == *'"cache":"exact"'* ]] || { echo "exact probe failed on $port: $probe"; exit 1; }
done

run mem-exact "http://127.0.0.1:$MEM_PORT" "$WORK/bodies.lua" "$WORK/memory/exact.jsonl"
run mem-semantic "http://127.0.0.1:$MEM_PORT" "$WORK/bodies.lua" "$WORK/memory/semantic.jsonl"
e0=$(lookups "$RED_PORT" exact); c0=$(total_calls); g0=$(calls get)
run redis-exact "http://127.0.0.1:$RED_PORT" "$WORK/bodies.lua" "$WORK/redis-service/exact.jsonl"
e1=$(lookups "$RED_PORT" exact); c1=$(total_calls); g1=$(calls get)
run redis-semantic "http://127.0.0.1:$RED_PORT" "$WORK/bodies.lua" "$WORK/redis-service/semantic.jsonl"

# The reference: raw GETs of a cached entry's size, same concurrency, same server.
FIRST_KEY=$(redis-cli -p "$REDIS_PORT" --scan --pattern 'querydeck:cache:*' | awk 'NR==1')
VALUE_BYTES=$(redis-cli -p "$REDIS_PORT" strlen "$FIRST_KEY")
redis-benchmark -p "$REDIS_PORT" -t get -c "$CONNECTIONS" -n 400000 -d "${VALUE_BYTES:-2000}" --threads "$THREADS" -q > "$WORK/rb.out" 2>&1
RB=$(tr '\r' '\n' < "$WORK/rb.out" | awk '/^GET:/ {print $2}' | tail -1)

printf '\nHTTP, wrk -t%s -c%s -d%s keep-alive, %s cached entries, one run on %s cores\n' \
    "$THREADS" "$CONNECTIONS" "$DURATION" "$PREFILL" "$(nproc)"
printf '%-15s %12s %10s %10s %8s\n' run req/s p50 p99 non-2xx
for name in mem-exact redis-exact mem-semantic redis-semantic; do
    printf '%-15s %12s %10s %10s %8s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "${NON2XX[$name]}"
done
printf 'redis-benchmark -t get -c %s -d %s: %s GET/s\n' "$CONNECTIONS" "${VALUE_BYTES:-2000}" "$RB"
awk -v r="${RPS[redis-exact]}" -v m="${RPS[mem-exact]}" -v b="$RB" -v rs="${RPS[redis-semantic]}" -v ms="${RPS[mem-semantic]}" 'BEGIN {
    printf "exact hits: redis/memory %.3fx, redis-over-HTTP/redis-benchmark GET %.3fx\n", r/m, r/b
    printf "semantic hits: redis/memory %.3fx\n", rs/ms }'
awk -v e="$e1" -v e0="$e0" -v c="$c1" -v c0="$c0" -v g="$g1" -v g0="$g0" 'BEGIN {
    printf "redis commands per exact hit (INFO commandstats, INFO excluded): %.3f (GET %.3f) over %d hits\n", (c-c0)/(e-e0), (g-g0)/(e-e0), e-e0 }'
