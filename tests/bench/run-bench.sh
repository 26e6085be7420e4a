#!/usr/bin/env bash
# Service benchmark, all in one run on this machine so the ratios are fair:
#   (1) nginx `return 200` (the reference), under wrk's plain GET and under the
#   exact run's own POST client, (2) /v1/query exact hit,
#   (3) /v1/query semantic hit with PREFILL cached entries, (4) /v1/query miss
#   (extractive generator over the bundled corpus); then the in-process
#   semantic-tier figures (bench_semantic).
# Usage: tests/bench/run-bench.sh [PREFILL=100000] [DURATION=10s] [CONNECTIONS=16]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${QD_BUILD_DIR:-$ROOT/build}"
PREFILL="${1:-100000}"
DURATION="${2:-10s}"
CONNECTIONS="${3:-16}"
THREADS=2

source "$ROOT/tests/bench/bench-lib.sh"
require_tools run-bench wrk nginx curl
cmake --build "$BUILD" --target querydeck bench_service bench_semantic >/dev/null

# --- nginx reference -------------------------------------------------------
NGINX_PORT=$(free_port)
start_nginx "$NGINX_PORT" "$WORK/nginx"

# --- the service, pre-filled -------------------------------------------------
QD_PORT=$(free_port)
echo "run-bench: pre-filling the cache with $PREFILL entries..."
start_bench_service run-bench "$QD_PORT" "$WORK"
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/" >/dev/null && break; sleep 0.1; done

cat > "$WORK/miss.lua" <<'LUA'
-- Random questions over an operations vocabulary: each one new to the cache.
local words = {"replica","redis","sentinel","failover","cache","latency","queue","drain","nginx",
  "upstream","alert","threshold","prometheus","metric","panel","dashboard","eviction","memory",
  "cpu","disk","scale","kubernetes","readiness","token","rate","retrieval","corpus","embedding",
  "generator","timeout","quorum","lag","histogram","incident","rollback","config","secret","webhook"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
function request()
    local q = {"why"}
    for k = 1, 9 do q[#q + 1] = words[math.random(#words)] end
    q[#q + 1] = tostring(math.random(1, 1000000000))
    local body = '{"query":"' .. table.concat(q, " ") .. '"}'
    return wrk.format("POST", "/v1/query", {["Content-Type"] = "application/json"}, body)
end
LUA

echo "run-bench: probing the three paths once..."
curl -s "http://127.0.0.1:$QD_PORT/v1/query" -H 'Content-Type: application/json' -d "$(head -1 "$WORK/exact.jsonl")" | grep -q '"cache":"exact"' || { echo "exact probe failed"; exit 1; }
curl -s "http://127.0.0.1:$QD_PORT/v1/query" -H 'Content-Type: application/json' -d "$(head -1 "$WORK/semantic.jsonl")" | grep -q '"cache":"semantic"' || { echo "semantic probe failed"; exit 1; }

run nginx "http://127.0.0.1:$NGINX_PORT/"
# The same client as the exact run (wrk's Lua request() building each POST
# with its body): wrk shares the 2 cores, and its Lua costs it as much CPU per
# request as nginx spends, so this is the reference for the server's own cost.
run nginx-post "http://127.0.0.1:$NGINX_PORT/" "$WORK/bodies.lua" "$WORK/exact.jsonl"
e0=$(lookups "$QD_PORT" exact)
run exact "http://127.0.0.1:$QD_PORT" "$WORK/bodies.lua" "$WORK/exact.jsonl"
e1=$(lookups "$QD_PORT" exact); s0=$(lookups "$QD_PORT" semantic)
run semantic "http://127.0.0.1:$QD_PORT" "$WORK/bodies.lua" "$WORK/semantic.jsonl"
s1=$(lookups "$QD_PORT" semantic); m0=$(lookups "$QD_PORT" miss)
run miss "http://127.0.0.1:$QD_PORT" "$WORK/miss.lua"
m1=$(lookups "$QD_PORT" miss)

printf '\nHTTP, wrk -t%s -c%s -d%s keep-alive, %s cached entries, one run on %s cores\n' \
    "$THREADS" "$CONNECTIONS" "$DURATION" "$PREFILL" "$(nproc)"
printf '%-10s %12s %10s %10s %10s %10s %8s\n' path req/s p50 p99 vs-nginx vs-post non-2xx
for name in nginx nginx-post exact semantic miss; do
    ratio=$(awk -v a="${RPS[$name]}" -v b="${RPS[nginx]}" 'BEGIN {printf "%.3f", a/b}')
    post=$(awk -v a="${RPS[$name]}" -v b="${RPS[nginx-post]}" 'BEGIN {printf "%.3f", a/b}')
    printf '%-10s %12s %10s %10s %10s %10s %8s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "${ratio}x" "${post}x" "${NON2XX[$name]}"
done
echo "vs-nginx: against nginx under wrk's plain GET; vs-post: against nginx under the same POST client"
printf 'cache lookups counted during the runs: exact %s, semantic %s, miss %s\n' \
    "$(awk -v a="$e1" -v b="$e0" 'BEGIN{print a-b}')" "$(awk -v a="$s1" -v b="$s0" 'BEGIN{print a-b}')" \
    "$(awk -v a="$m1" -v b="$m0" 'BEGIN{print a-b}')"

echo
"$BUILD/bin/bench_semantic" "$PREFILL" 2000
