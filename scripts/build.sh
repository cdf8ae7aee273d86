#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Configure and build the standalone module into ${PMOE_BUILD_DIR:-build}.
# Usage: scripts/build.sh [ninja targets...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PMOE_BUILD_DIR:-$root/build}
jobs=${PMOE_JOBS:-$(nproc)}
mkdir -p "$build"
if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${PMOE_BUILD_TYPE:-RelWithDebInfo} \
        ${PMOE_CMAKE_ARGS:-} >"$build/configure.log" 2>&1 || {
        cat "$build/configure.log" >&2
        exit 1
    }
fi
ninja -C "$build" -j "$jobs" "$@"
