#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fail if any C++ source differs from .clang-format's style (clang-format-14).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mapfile -t files < <(find model helper test examples utils bench fuzz \( -name '*.cc' -o -name '*.h' \) \
    -type f 2>/dev/null | sort)
bad=0
for f in "${files[@]}"; do
    if ! clang-format-14 --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f (run: clang-format-14 -i $f)" >&2
        bad=1
    fi
done
if [ $bad -ne 0 ]; then
    exit 1
fi
echo "${#files[@]} files formatted"
