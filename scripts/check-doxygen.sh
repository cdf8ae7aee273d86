#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Doxygen check of the public API (doc/Doxyfile: model/, helper/, utils/): any warning --
# an undocumented class, function, parameter or return value, or a malformed command -- fails.
# HTML goes to ${PMOE_BUILD_DIR:-build}/doxygen/html.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${PMOE_BUILD_DIR:-$root/build}/doxygen
mkdir -p "$out"
rm -f "$out/warnings.log"
cd "$root"
{
    cat doc/Doxyfile
    echo "OUTPUT_DIRECTORY = $out"
    echo "WARN_LOGFILE = $out/warnings.log"
} | doxygen - >"$out/doxygen.log" 2>&1 || {
    cat "$out/doxygen.log" >&2
    exit 1
}
if [ -s "$out/warnings.log" ]; then
    echo "Doxygen: $(wc -l <"$out/warnings.log") warning(s):" >&2
    cat "$out/warnings.log" >&2
    exit 1
fi
echo "Doxygen: no warnings (HTML in $out/html)"
