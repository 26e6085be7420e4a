#!/usr/bin/env bash
# Service benchmark, all in one run on this machine so the ratios are fair:
#   (1) nginx `return 200` (the reference), (2) /v1/query exact hit,
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

for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || { echo "run-bench: $tool is missing (bash packaging/test.sh installs it)"; exit 1; }
done
cmake --build "$BUILD" --target querydeck bench_service bench_semantic >/dev/null

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- nginx reference -------------------------------------------------------
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / { default_type application/json; return 200 '{"status":"ok"}'; }
    }
}
NGINX
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
PIDS+=($!)

# --- the service, pre-filled -------------------------------------------------
QD_PORT=$(free_port)
"$BUILD/bin/bench_service" "$QD_PORT" "$PREFILL" "$WORK" > "$WORK/service.out" 2> "$WORK/service.err" &
PIDS+=($!)
echo "run-bench: pre-filling the cache with $PREFILL entries..."
for _ in $(seq 1 600); do
    grep -q '^ready' "$WORK/service.out" 2>/dev/null && break
    sleep 1
done
grep -q '^ready' "$WORK/service.out" || { echo "run-bench: service did not start"; cat "$WORK/service.err"; exit 1; }
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/" >/dev/null && break; sleep 0.1; done

cat > "$WORK/bodies.lua" <<'LUA'
-- POSTs the JSON bodies of a file in turn, one per line.
local bodies, n = {}, 0
function init(args)
    for line in io.lines(args[1]) do n = n + 1; bodies[n] = line end
end
local i = 0
function request()
    i = i % n + 1
    return wrk.format("POST", "/v1/query", {["Content-Type"] = "application/json"}, bodies[i])
end
LUA
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

lookups() { curl -s "http://127.0.0.1:$QD_PORT/metrics" | awk -v r="$1" '$1 ~ "querydeck_cache_lookups_total\\{result=\""r"\"\\}" {print $2}'; }

declare -A RPS P50 P99 NON2XX
run() { # name url [script [script arguments]]
    local name=$1 url=$2 script=${3:-}; shift 2; [ -n "$script" ] && shift
    local out="$WORK/$name.wrk"
    if [ -n "$script" ]; then
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "$url" -- "$@" > "$out"
    else
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" > "$out"
    fi
    RPS[$name]=$(awk '/^Requests\/sec/ {print $2}' "$out")
    P50[$name]=$(awk '$1=="50%" {print $2}' "$out")
    P99[$name]=$(awk '$1=="99%" {print $2}' "$out")
    NON2XX[$name]=$(awk '/Non-2xx/ {print $5}' "$out")
    NON2XX[$name]=${NON2XX[$name]:-0}
}

echo "run-bench: probing the three paths once..."
curl -s "http://127.0.0.1:$QD_PORT/v1/query" -H 'Content-Type: application/json' -d "$(head -1 "$WORK/exact.jsonl")" | grep -q '"cache":"exact"' || { echo "exact probe failed"; exit 1; }
curl -s "http://127.0.0.1:$QD_PORT/v1/query" -H 'Content-Type: application/json' -d "$(head -1 "$WORK/semantic.jsonl")" | grep -q '"cache":"semantic"' || { echo "semantic probe failed"; exit 1; }

run nginx "http://127.0.0.1:$NGINX_PORT/"
e0=$(lookups exact)
run exact "http://127.0.0.1:$QD_PORT" "$WORK/bodies.lua" "$WORK/exact.jsonl"
e1=$(lookups exact); s0=$(lookups semantic)
run semantic "http://127.0.0.1:$QD_PORT" "$WORK/bodies.lua" "$WORK/semantic.jsonl"
s1=$(lookups semantic); m0=$(lookups miss)
run miss "http://127.0.0.1:$QD_PORT" "$WORK/miss.lua"
m1=$(lookups miss)

printf '\nHTTP, wrk -t%s -c%s -d%s keep-alive, %s cached entries, one run on %s cores\n' \
    "$THREADS" "$CONNECTIONS" "$DURATION" "$PREFILL" "$(nproc)"
printf '%-10s %12s %10s %10s %10s %8s\n' path req/s p50 p99 vs-nginx non-2xx
for name in nginx exact semantic miss; do
    ratio=$(awk -v a="${RPS[$name]}" -v b="${RPS[nginx]}" 'BEGIN {printf "%.3f", a/b}')
    printf '%-10s %12s %10s %10s %10s %8s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "${ratio}x" "${NON2XX[$name]}"
done
printf 'cache lookups counted during the runs: exact %s, semantic %s, miss %s\n' \
    "$(awk -v a="$e1" -v b="$e0" 'BEGIN{print a-b}')" "$(awk -v a="$s1" -v b="$s0" 'BEGIN{print a-b}')" \
    "$(awk -v a="$m1" -v b="$m0" 'BEGIN{print a-b}')"

echo
"$BUILD/bin/bench_semantic" "$PREFILL" 2000
