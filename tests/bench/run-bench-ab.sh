#!/usr/bin/env bash
# A/B exact-hit benchmark for HTTP server variants on a noisy machine: nginx
# `return 200` and one or more bench_service binaries run interleaved
# (nginx, A, B, nginx, A, B, ...) ROUNDS times, so that load from other
# processes hits every variant alike; each variant's median ratio to the
# nginx run just before it is reported. While each service run lasts, `perf
# stat` counts the service's user-space instructions (where the machine has
# the counter), and /proc its CPU time (user + kernel), each divided by the
# requests wrk completed: figures that move far less with the machine's load
# than requests per second do.
# With IDLE=N in the environment, bench_attack holds N idle keep-alive
# connections open on every service (not on nginx) during the runs, as
# run-bench-attacks.sh does for its last figure.
# Usage: tests/bench/run-bench-ab.sh ROUNDS DURATION BINARY... (e.g. a copy of
#        build/bin/bench_service saved before a change, then the new one)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${QD_BUILD_DIR:-$ROOT/build}"
ROUNDS="${1:?rounds}"
DURATION="${2:?duration}"
shift 2
BINARIES=("$@")
[ "${#BINARIES[@]}" -gt 0 ] || { echo "run-bench-ab: no bench_service binary given"; exit 2; }
CONNECTIONS="${CONNECTIONS:-16}"
THREADS=2
PREFILL=2000
IDLE="${IDLE:-0}"

source "$ROOT/tests/bench/bench-lib.sh"
require_tools run-bench-ab wrk nginx curl
ulimit -n "$(ulimit -Hn)"
PERF=0
# Virtual machines often lack the counter: perf then prints "<not supported>"
# (run-bench-instructions.sh counts with callgrind instead).
perf stat -x, -e instructions:u true 2>&1 | grep -q '^[0-9]' && PERF=1

NGINX_PORT=$(free_port)
start_nginx "$NGINX_PORT" "$WORK/nginx"

export QD_BENCH_KEEP_ALIVE_MS=120000
PORTS=() SERVICE_PIDS=()
for i in "${!BINARIES[@]}"; do
    PORTS[i]=$(free_port)
    mkdir -p "$WORK/s$i"
    QD_BENCH_KEEP_ALIVE_MS=120000 "${BINARIES[i]}" "${PORTS[i]}" "$PREFILL" "$WORK/s$i" \
        > "$WORK/s$i/service.out" 2> "$WORK/s$i/service.err" &
    SERVICE_PIDS[i]=$!
    PIDS+=($!)
done
for i in "${!BINARIES[@]}"; do
    for _ in $(seq 1 600); do grep -q '^ready' "$WORK/s$i/service.out" 2>/dev/null && break; sleep 1; done
    grep -q '^ready' "$WORK/s$i/service.out" || { echo "run-bench-ab: ${BINARIES[i]} did not start"; cat "$WORK/s$i/service.err"; exit 1; }
done
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/" >/dev/null && break; sleep 0.1; done

if [ "$IDLE" -gt 0 ]; then
    for port in "${PORTS[@]}"; do
        "$BUILD/bin/bench_attack" "$port" idle "$IDLE" > "$WORK/idle-$port.out" 2>&1 &
        PIDS+=($!)
        for _ in $(seq 1 600); do grep -q '^ready' "$WORK/idle-$port.out" 2>/dev/null && break; sleep 0.5; done
        grep -q '^ready' "$WORK/idle-$port.out" || { echo "run-bench-ab: idle connections to $port failed"; cat "$WORK/idle-$port.out"; exit 1; }
    done
fi

# utime + stime of a process, all threads, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

printf 'round %-10s %10s %9s %9s %8s %8s %12s %12s\n' run req/s p50 p99 ratio vs-post cpu-us/req instr/req
for round in $(seq 1 "$ROUNDS"); do
    run nginx "http://127.0.0.1:$NGINX_PORT/"
    printf '%5s %-10s %10s %9s %9s\n' "$round" nginx "${RPS[nginx]}" "${P50[nginx]}" "${P99[nginx]}"
    # nginx under the services' own client (wrk's Lua POSTs): see run-bench.sh.
    run nginx-post "http://127.0.0.1:$NGINX_PORT/" "$WORK/bodies.lua" "$WORK/s0/exact.jsonl"
    printf '%5s %-10s %10s %9s %9s\n' "$round" nginx-post "${RPS[nginx-post]}" "${P50[nginx-post]}" "${P99[nginx-post]}"
    for i in "${!BINARIES[@]}"; do
        perf_pid=""
        if [ "$PERF" = 1 ]; then
            perf stat -x, -e instructions:u -p "${SERVICE_PIDS[i]}" -o "$WORK/perf-$i" &
            perf_pid=$!
        fi
        cpu0=$(cpu_ticks "${SERVICE_PIDS[i]}")
        run "v$i" "http://127.0.0.1:${PORTS[i]}" "$WORK/bodies.lua" "$WORK/s$i/exact.jsonl"
        cpu1=$(cpu_ticks "${SERVICE_PIDS[i]}")
        requests=$(awk '/requests in/ {print $1}' "$WORK/v$i.wrk")
        cpu=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$requests" -v hz="$(getconf CLK_TCK)" \
            'BEGIN {printf "%.1f", (b - a) / hz * 1e6 / n}')
        instr=-
        if [ -n "$perf_pid" ]; then
            kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true
            instr=$(awk -F, -v n="$requests" '$3 ~ /instructions/ {printf "%.0f", $1 / n}' "$WORK/perf-$i")
        fi
        ratio=$(awk -v a="${RPS[v$i]}" -v b="${RPS[nginx]}" 'BEGIN {printf "%.3f", a/b}')
        post=$(awk -v a="${RPS[v$i]}" -v b="${RPS[nginx-post]}" 'BEGIN {printf "%.3f", a/b}')
        printf '%5s %-10s %10s %9s %9s %8s %8s %12s %12s\n' "$round" "v$i" "${RPS[v$i]}" "${P50[v$i]}" "${P99[v$i]}" "$ratio" "$post" "$cpu" "$instr"
        echo "$ratio" >> "$WORK/ratios-$i"
        echo "$post" >> "$WORK/post-$i"
        echo "$instr" >> "$WORK/instr-$i"
        echo "$cpu" >> "$WORK/cpu-$i"
        [ "${NON2XX[v$i]}" = 0 ] || echo "run-bench-ab: v$i had ${NON2XX[v$i]} non-2xx responses"
    done
done

median() { grep -q '^[0-9]' "$1" || { echo -; return; }; sort -g "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
printf '\nwrk -t%s -c%s -d%s, %s rounds, %s idle connections, %s cores; medians:\n' \
    "$THREADS" "$CONNECTIONS" "$DURATION" "$ROUNDS" "$IDLE" "$(nproc)"
for i in "${!BINARIES[@]}"; do
    printf 'v%s %s: ratio %s (vs nginx under the same POST client %s), CPU us/request %s, instructions/request %s\n' \
        "$i" "${BINARIES[i]}" "$(median "$WORK/ratios-$i")" "$(median "$WORK/post-$i")" \
        "$(median "$WORK/cpu-$i")" "$(median "$WORK/instr-$i")"
done
