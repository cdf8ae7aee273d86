#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Quick start, command 2: install what is missing, build everything, run every test.
# Stages: format check, docs (Sphinx, warnings are errors), build (warnings are errors),
# CTest (GoogleTest + the ns-3 TestSuite) last, so that its summary closes the output.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
build=${PMOE_BUILD_DIR:-$root/build}

echo "== format check (clang-format-14)"
"$root/scripts/check-format.sh"

echo "== docs (Sphinx, warnings are errors)"
"$root/scripts/check-docs.sh"

echo "== build"
"$root/scripts/build.sh"

echo "== tests"
ctest --test-dir "$build" --output-on-failure -j "${PMOE_JOBS:-$(nproc)}"
