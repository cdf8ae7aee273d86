#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Sanitizer stage: build the tests with AddressSanitizer and UndefinedBehaviorSanitizer
# (-DPMOE_SANITIZE=ON, RelWithDebInfo: -O2 -g keeps the run short and the reports readable)
# into ${PMOE_ASAN_BUILD_DIR:-build-asan} and run every CTest test. Any sanitizer report
# fails the test that triggers it (UBSan does not recover; ASan aborts on the first error).
# Usage: scripts/sanitize.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PMOE_ASAN_BUILD_DIR:-$root/build-asan}
jobs=${PMOE_JOBS:-$(nproc)}
mkdir -p "$build"
if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPMOE_SANITIZE=ON \
        >"$build/configure.log" 2>&1 || {
        cat "$build/configure.log" >&2
        exit 1
    }
fi
# Only what CTest runs (target photonic-moe-ctest-deps, cmake/tests.cmake): no benchmarks.
ninja -C "$build" -j "$jobs" photonic-moe-ctest-deps
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build" --output-on-failure -j "$jobs"
