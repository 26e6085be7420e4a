#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/, clang with
# -fsanitize=fuzzer,address,undefined, in build-fuzz/) and runs each one: first
# over its seeds (tests/fuzz/corpus/<target>/, the recorded inputs in
# tests/data and resources/, and tests/fuzz/regressions/<target>/), then
# SECONDS of fuzzing (default 60). Fails if any target crashes, leaks, hits
# UB or a timeout; prints each target's executions and time.
#
#   packaging/fuzz.sh [SECONDS]
#   QD_FUZZ_TARGETS="fuzz_promql fuzz_exposition" packaging/fuzz.sh 600
#
# Inputs found to crash are kept in build-fuzz/fuzz-artifacts/<target>/; the
# corpus grown by fuzzing in build-fuzz/fuzz-corpus/<target>/ (kept between
# runs, so a later run starts from it). Runs are nice'd, one target at a time.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SECONDS_PER_TARGET="${1:-60}"
QD_FUZZ_BUILD="${QD_FUZZ_BUILD_DIR:-$QD_ROOT/build-fuzz}"

# Seeds beyond tests/fuzz/corpus/<target>/ and the regressions: recorded inputs.
qd_fuzz_seeds() {
    case "$1" in
    fuzz_config_json) echo "$QD_ROOT/tests/data/config" ;;
    fuzz_dashboard_json) echo "$QD_ROOT/resources/dashboards" ;;
    fuzz_alert_rules_json) echo "$QD_ROOT/resources/alerts" ;;
    fuzz_prometheus_rules) echo "$QD_ROOT/tests/data/promtool" ;;
    fuzz_exposition) echo "$QD_ROOT/tests/data/exposition" ;;
    fuzz_redis_info) echo "$QD_ROOT/tests/data/redis-info" ;;
    fuzz_cluster_nodes) echo "$QD_ROOT/tests/data/cluster-nodes" ;;
    fuzz_corpus_text) echo "$QD_ROOT/tests/data/corpus-small" ;;
    fuzz_html_text) echo "$QD_ROOT/tests/data/corpus-small" ;;
    esac
}

# Longest input: enough for the seeds' structure, short enough to stay fast.
qd_fuzz_max_len() {
    case "$1" in
    fuzz_query_request | fuzz_promql | fuzz_client_address) echo 4096 ;;
    fuzz_exposition | fuzz_redis_info | fuzz_cluster_nodes | fuzz_corpus_text | fuzz_html_text)
        echo 65536 ;;
    *) echo 16384 ;;
    esac
}

qd_install_packages
if [ ! -f "$QD_FUZZ_BUILD/build.ninja" ]; then
    # lld links the 14 instrumented executables much faster than ld.bfd.
    cmake -S "$QD_ROOT" -B "$QD_FUZZ_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld \
        -DQUERYDECK_FUZZ=ON -DBUILD_TESTING=OFF
fi
build_start=$(date +%s)
nice cmake --build "$QD_FUZZ_BUILD" --target fuzz_all --parallel "$(nproc)"
echo "fuzz: build took $(($(date +%s) - build_start)) s"

targets="${QD_FUZZ_TARGETS:-$(cd "$QD_FUZZ_BUILD/fuzz" && ls fuzz_* | sort)}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$QD_ROOT/packaging/sanitizer/ubsan.supp"
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$QD_ROOT/packaging/sanitizer/lsan.supp:print_suppressions=0"

passed=0
failed=0
summary=()
for target in $targets; do
    work="$QD_FUZZ_BUILD/fuzz-corpus/$target"
    artifacts="$QD_FUZZ_BUILD/fuzz-artifacts/$target/"
    log="$QD_FUZZ_BUILD/fuzz-logs/$target.log"
    mkdir -p "$work" "$artifacts" "$(dirname "$log")"
    dirs=("$work" "$QD_ROOT/tests/fuzz/corpus/$target")
    [ -d "$QD_ROOT/tests/fuzz/regressions/$target" ] && dirs+=("$QD_ROOT/tests/fuzz/regressions/$target")
    for seeds in $(qd_fuzz_seeds "$target"); do dirs+=("$seeds"); done
    echo "fuzz: $target for ${SECONDS_PER_TARGET} s over ${dirs[*]#$QD_ROOT/}"
    start=$(date +%s)
    status=0
    nice -n 10 "$QD_FUZZ_BUILD/fuzz/$target" -max_total_time="$SECONDS_PER_TARGET" \
        -max_len="$(qd_fuzz_max_len "$target")" -rss_limit_mb=2048 -malloc_limit_mb=1024 \
        -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts" "${dirs[@]}" \
        >"$log" 2>&1 || status=$?
    took=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    units=$(sed -n 's/.*DONE *cov: [0-9]* ft: [0-9]* corp: \([0-9]*\)\/.*/\1/p' "$log" | tail -1)
    if [ "$status" -eq 0 ]; then
        passed=$((passed + 1))
        result=ok
    else
        failed=$((failed + 1))
        result="FAILED (exit $status, log $log)"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' "$log" | head -20
    fi
    summary+=("$(printf '%-24s %12s execs %6s s  corpus %6s  %s' "$target" "${execs:-?}" "$took" "${units:-?}" "$result")")
done

echo
echo "fuzz: per target (${SECONDS_PER_TARGET} s of fuzzing after the seeds)"
printf '  %s\n' "${summary[@]}"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
