#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the libFuzzer targets with clang-14 (-DPMOE_FUZZ=ON, cmake/fuzz.cmake) into
# ${PMOE_FUZZ_BUILD_DIR:-build-fuzz} and run each on a copy of its seed corpus
# (fuzz/corpus/<target>). Fails if any target finds a crash, an escaped exception, a
# sanitizer report, a leak or a timeout; the reproducer is left in
# build-fuzz/fuzz-run/<target>/ and its log is printed.
# Usage: scripts/fuzz.sh [seconds-per-target]   (default 60)
# Environment: PMOE_FUZZ_JOBS targets run at the same time (default: number of cores),
#              PMOE_FUZZ_TARGETS to run a subset (space-separated names).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
build=${PMOE_FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${PMOE_FUZZ_JOBS:-$(nproc)}
targets=${PMOE_FUZZ_TARGETS:-matrix-parser trace-parser trace-import schedule-json cli-options}

if ! command -v clang++-14 >/dev/null; then
    echo "fuzz: clang++-14 not found (Debian: apt-get install clang-14 libclang-rt-14-dev)" >&2
    exit 1
fi
mkdir -p "$build"
if [ ! -f "$build/build.ninja" ]; then
    CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DPMOE_FUZZ=ON \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 || {
        cat "$build/configure.log" >&2
        exit 1
    }
fi
# shellcheck disable=SC2086
ninja -C "$build" -j "${PMOE_JOBS:-$(nproc)}" $(printf 'fuzz-%s ' $targets)

run_one() {
    local t=$1 work=$build/fuzz-run/$1
    rm -rf "$work"
    mkdir -p "$work"
    cp -r "$root/fuzz/corpus/$t" "$work/corpus"
    "$build/fuzz-$t" "$work/corpus" -max_total_time="$seconds" -max_len=8192 \
        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$work/" \
        >"$work/log" 2>&1
}

status=0
pids=()
names=()
finish() {
    local i=$1 t=${names[$1]} log=$build/fuzz-run/${names[$1]}/log
    if wait "${pids[$i]}"; then
        echo "fuzz: $t: ok, $(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" |
            awk '{print $2}') runs in ${seconds} s"
    else
        echo "fuzz: $t: FAILED (reproducer and log in $build/fuzz-run/$t/)" >&2
        tail -n 60 "$log" >&2
        status=1
    fi
}
for t in $targets; do
    run_one "$t" &
    pids+=($!)
    names+=("$t")
    if [ $((${#pids[@]} % jobs)) -eq 0 ]; then
        for ((i = ${#pids[@]} - jobs; i < ${#pids[@]}; i++)); do finish "$i"; done
    fi
done
rest=$((${#pids[@]} % jobs))
for ((i = ${#pids[@]} - rest; i < ${#pids[@]}; i++)); do finish "$i"; done
exit "$status"
