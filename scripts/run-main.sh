#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Quick start, command 1: install what is missing, build, and run the main scenario.
# Extra arguments are passed to the scenario.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
MAIN=photonic-moe-layer
"$root/scripts/build.sh" "$MAIN" >/dev/null
build=${PMOE_BUILD_DIR:-$root/build}
cd "$root"
exec "$build/examples/$MAIN" "$@"
