# SPDX-License-Identifier: GPL-2.0-only
#
# Sphinx configuration of the photonic-moe manual: photonic-moe.rst (the overview and the
# table of contents) and one page per topic in this folder.
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
