#!/usr/bin/env bash
# Makes the README's screenshots with the app itself: the console in local dev
# mode and the monitoring wall, each started as usual (embedded service,
# traffic generator), given time for the panels to fill, and saved offscreen.
# Usage: bash packaging/screenshots.sh [path/to/querydeck]
# Writes docs/screenshots/console.png and docs/screenshots/wall.png; both run
# at once, QD_SCREENSHOT_AFTER seconds (default 300: a third of the default
# 15-minute range holds data).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-${QD_BUILD_DIR:-$root/build}/bin/querydeck}"
out="$root/docs/screenshots"
after="${QD_SCREENSHOT_AFTER:-300}"

if [ ! -x "$bin" ]; then
    echo "screenshots.sh: $bin is not an executable; build it first:" >&2
    echo "  cmake --build build --target querydeck" >&2
    exit 1
fi
mkdir -p "$out"

# A scratch home so the developer's own config, cache and keychain stay out of it.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export QT_QPA_PLATFORM=offscreen
export XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache"
export XDG_DATA_HOME="$scratch/data" XDG_STATE_HOME="$scratch/state" XDG_RUNTIME_DIR="$scratch/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"
# The wall stays on its first dashboard (the overview) instead of rotating.
config="$scratch/screenshots.json"
echo '{"console": {"wall": {"rotate_seconds": 86400}}}' >"$config"

shoot() {
    local name="$1"
    shift
    # --port 0: a free port, so a querydeck already running on 8000 does not matter.
    "$bin" "$@" --config "$config" --port 0 --after "$after" --screenshot "$out/$name.png" \
        >"$scratch/$name.log" 2>&1 || {
        echo "screenshots.sh: $name failed:" >&2
        cat "$scratch/$name.log" >&2
        return 1
    }
}

echo "screenshots.sh: console.png and wall.png, $after s of live data each"
shoot console --size 1920x1200 &
console=$!
shoot wall --wall --size 1920x1080 &
wall=$!
status=0
wait "$console" || status=1
wait "$wall" || status=1
[ "$status" -eq 0 ] && ls -l "$out/console.png" "$out/wall.png"
exit "$status"
