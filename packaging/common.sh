# Shared by setup.sh and test.sh: install missing Debian packages, configure
# and build. Sourced, not run. Quick when everything is already there.
set -euo pipefail

QD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QD_BUILD="${QD_BUILD_DIR:-$QD_ROOT/build}"

# ccache keys on paths relative to the checkout and ignores the build folder,
# so a fresh clone elsewhere (CI's, a second worktree) reuses the objects a
# first one compiled instead of starting cold.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$QD_ROOT}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

qd_as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

qd_install_packages() {
    local wanted missing=()
    wanted=$(grep -vE '^\s*(#|$)' "$QD_ROOT/packaging/debian-packages.txt")
    for pkg in $wanted; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "querydeck: all Debian packages present"
        return
    fi
    echo "querydeck: installing ${missing[*]}"
    qd_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    qd_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

qd_build() {
    if [ ! -f "$QD_BUILD/build.ninja" ]; then
        cmake -S "$QD_ROOT" -B "$QD_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    fi
    cmake --build "$QD_BUILD" --parallel "$(nproc)"
}
