#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the whole module manual with Sphinx: doc/photonic-moe.rst (overview and table of
# contents) and every page it lists (doc/*.rst). Any warning fails the build (-W; a page
# missing from the table of contents, a broken reference or image, bad markup), and
# --keep-going reports them all; -E rebuilds every page, so nothing stale hides a warning.
# Uses Debian's python3-sphinx through /usr/bin/python3 explicitly, because `python3` on PATH
# may be another interpreter (e.g. a pyenv shim) without Debian's packages.
# Output: $PMOE_DOC_OUT (default build/doc-html under the repository).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${PMOE_DOC_OUT:-$root/build/doc-html}
if ! /usr/bin/python3 -c 'import sphinx' 2>/dev/null; then
    echo "check-docs: /usr/bin/python3 has no sphinx; install python3-sphinx" >&2
    exit 1
fi
cd "$root"
exec /usr/bin/python3 -m sphinx -W --keep-going -E -q -b html doc "$out"
