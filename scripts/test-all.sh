#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Quick start, command 2: install what is missing, build everything, run every test.
# Stages: format check, docs (Sphinx manual and Doxygen API check, warnings are errors), a short libFuzzer run of the
# parsers, the whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer
# (scripts/sanitize.sh, its own build in build-asan/), the normal build (warnings are
# errors), then CTest (GoogleTest + the ns-3 TestSuite) on the normal build last, so that its
# summary closes the output. PMOE_SKIP_SANITIZE=1 skips the sanitizer stage (local use only;
# CI runs every stage).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
build=${PMOE_BUILD_DIR:-$root/build}

echo "== format check (clang-format-14)"
"$root/scripts/check-format.sh"

echo "== docs (Sphinx and Doxygen, warnings are errors)"
"$root/scripts/check-docs.sh"
"$root/scripts/check-doxygen.sh"

echo "== fuzz (libFuzzer, 20 s per target; clang-14 build in build-fuzz/)"
"$root/scripts/fuzz.sh" 20

if [ "${PMOE_SKIP_SANITIZE:-0}" = "1" ]; then
    echo "== sanitizers: SKIPPED (PMOE_SKIP_SANITIZE=1)"
else
    echo "== sanitizers (ASan + UBSan, every CTest test; build in build-asan/)"
    "$root/scripts/sanitize.sh"
fi

echo "== build"
"$root/scripts/build.sh"

echo "== tests"
ctest --test-dir "$build" --output-on-failure -j "${PMOE_JOBS:-$(nproc)}"
