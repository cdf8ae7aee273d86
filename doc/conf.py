# SPDX-License-Identifier: GPL-2.0-only
#
# Minimal Sphinx configuration for the photonic-moe module documentation.
# Build: scripts/check-docs.sh (sphinx-build -W -b html doc build/doc-html).
# Only what Debian's python3-sphinx ships: no extensions, the default theme, no network.

project = "photonic-moe"
author = "photonic-moe authors"
copyright = "2026, photonic-moe authors"

master_doc = "photonic-moe"
root_doc = "photonic-moe"
source_suffix = {".rst": "restructuredtext"}
exclude_patterns = ["_build"]

extensions = []
highlight_language = "none"
pygments_style = "sphinx"

html_theme = "alabaster"
html_title = "photonic-moe"
# The Markdown notes the manual summarises are copied next to the HTML so that its relative
# links (e.g. `ocs-device.md`) resolve in the built output as in the source tree.
html_extra_path = [
    "ocs-device.md",
    "moe-layer.md",
    "workload-and-compute.md",
    "benchmarks.md",
    "study.md",
    "reliability.md",
    "waf.md",
]
