#!/usr/bin/env bash
# Builds the whole tree and its tests with AddressSanitizer and
# UndefinedBehaviorSanitizer (clang, -fno-sanitize-recover=undefined) in
# build-sanitize/ and runs ctest there. Extra arguments go to ctest, e.g.
# `packaging/sanitize.sh -R 'tst_redis|tst_config'`.
#
# Configured exactly like packaging/fuzz.sh (QUERYDECK_FUZZ=ON: the same
# compile flags), so the objects the two builds share come from ccache once
# either has been built. Suppressions (third-party code only) are in
# packaging/sanitizer/. Under ASan the suite runs 2-3x slower than usual.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

QD_SAN_BUILD="${QD_SANITIZE_BUILD_DIR:-$QD_ROOT/build-sanitize}"

qd_install_packages
if [ ! -f "$QD_SAN_BUILD/build.ninja" ]; then
    cmake -S "$QD_ROOT" -B "$QD_SAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld \
        -DQUERYDECK_FUZZ=ON
fi
nice cmake --build "$QD_SAN_BUILD" --parallel "$(nproc)"

export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$QD_ROOT/packaging/sanitizer/ubsan.supp"
# Child processes (the querydeck binary the CLI tests start) inherit these.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$QD_ROOT/packaging/sanitizer/lsan.supp:print_suppressions=0"
cd "$QD_SAN_BUILD"
exec nice ctest --output-on-failure --parallel "$(nproc)" "$@"
