#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the Debian 12 packages photonic-moe needs, skipping those already installed.
# Runs as root (or through sudo when available).
set -euo pipefail

PACKAGES=(
    g++ cmake ninja-build pkg-config
    libns3-dev ns3 libgsl-dev                   # ns-3 3.37 (find_package needs all three)
    libxml2-dev libsqlite3-dev libpython3-dev   # paths named by Debian's ns3Targets.cmake
    libboost-dev libboost-program-options-dev   # option parsing for the CLI
    nlohmann-json3-dev                          # JSON output
    libgtest-dev libbenchmark-dev               # tests, benchmarks
    liblemon-dev                                # independent oracle in the matching tests
    clang-format-14                             # the format check
    clang-14 libclang-rt-14-dev                 # libFuzzer + sanitizers (scripts/fuzz.sh)
    python3-sphinx                              # the documentation build (doc/)
    doxygen                                     # the API documentation check
)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        SUDO="sudo"
    else
        echo "install-deps: need root to install: ${missing[*]}" >&2
        exit 1
    fi
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
