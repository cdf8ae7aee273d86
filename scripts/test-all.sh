#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Quick start, command 2: install what is missing, build everything, run every test.
# Stages: format check, docs (Sphinx, warnings are errors), a short libFuzzer run of the
# parsers, build (warnings are errors), CTest (GoogleTest + the ns-3 TestSuite) last, so that
# its summary closes the output. The sanitizer stage (scripts/sanitize.sh) is separate: it
# rebuilds everything with ASan/UBSan and takes about 20 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
build=${PMOE_BUILD_DIR:-$root/build}

echo "== format check (clang-format-14)"
"$root/scripts/check-format.sh"

echo "== docs (Sphinx, warnings are errors)"
"$root/scripts/check-docs.sh"

echo "== fuzz (libFuzzer, 20 s per target; clang-14 build in build-fuzz/)"
"$root/scripts/fuzz.sh" 20

echo "== build"
"$root/scripts/build.sh"

echo "== tests"
ctest --test-dir "$build" --output-on-failure -j "${PMOE_JOBS:-$(nproc)}"
