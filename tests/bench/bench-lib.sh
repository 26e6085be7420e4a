# Shared set-up for the wrk-driven benchmark scripts (sourced, not run):
# a temp dir and child processes cleaned up on exit, free loopback ports, the
# bench_service start-and-wait, nginx (the reference), the POST-bodies wrk script and one wrk run
# recorded into RPS/P50/P99/NON2XX[name]. Expects BUILD, THREADS, CONNECTIONS
# and DURATION to be set by the caller.

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

require_tools() { # caller tool...
    local caller=$1; shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$caller: $tool is missing (bash packaging/test.sh installs it)"; exit 1; }
    done
}

# Starts bench_service pre-filled with PREFILL entries in DIR and waits for its
# "ready" line (pre-filling 100k entries takes minutes on 2 cores).
start_bench_service() { # caller port dir [redis-url]
    local caller=$1 port=$2 dir=$3 url=${4:-}
    mkdir -p "$dir"
    QD_BENCH_REDIS="$url" "$BUILD/bin/bench_service" "$port" "$PREFILL" "$dir" \
        > "$dir/service.out" 2> "$dir/service.err" &
    PIDS+=($!)
    for _ in $(seq 1 600); do
        grep -q '^ready' "$dir/service.out" 2>/dev/null && return 0
        sleep 1
    done
    echo "$caller: service in $dir did not start"; cat "$dir/service.err"; exit 1
}

# nginx `return 200 '{"status":"ok"}'` on a loopback port: the reference.
start_nginx() { # port dir
    local port=$1 dir=$2
    mkdir -p "$dir"
    cat > "$dir/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    server {
        listen 127.0.0.1:$port;
        location / { default_type application/json; return 200 '{"status":"ok"}'; }
    }
}
NGINX
    nginx -c "$dir/nginx.conf" -p "$dir" &
    PIDS+=($!)
}

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

# querydeck_cache_lookups_total{result=...} of the service on a port.
lookups() { # port result
    curl -s "http://127.0.0.1:$1/metrics" | awk -v r="$2" '$1 ~ "querydeck_cache_lookups_total\\{result=\""r"\"\\}" {print $2}'
}
