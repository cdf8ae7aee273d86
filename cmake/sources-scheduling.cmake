# SPDX-License-Identifier: GPL-2.0-only
#
# Source lists of the scheduling core (model/scheduling), shared by the standalone build, the
# in-tree build and waf (wscript reads every set() here). Paths are relative to the module root.

# Scheduling core: plain C++17, no ns-3 headers.
set(PMOE_CORE_SOURCES
    model/scheduling/pmoe-units.cc
    model/scheduling/pmoe-demand-matrix.cc
    model/scheduling/pmoe-schedule.cc
    model/scheduling/pmoe-schedule-timeline.cc
    model/scheduling/pmoe-matching.cc
    model/scheduling/pmoe-decomposition.cc
    model/scheduling/pmoe-fluid-evaluator.cc
    model/scheduling/pmoe-matrix-io.cc
    model/scheduling/pmoe-schedule-json.cc
    model/scheduling/pmoe-moe-workload.cc
    model/scheduling/pmoe-compute-model.cc
)
set(PMOE_CORE_HEADERS
    model/scheduling/pmoe-units.h
    model/scheduling/pmoe-demand-matrix.h
    model/scheduling/pmoe-schedule.h
    model/scheduling/pmoe-schedule-timeline.h
    model/scheduling/pmoe-matching.h
    model/scheduling/pmoe-decomposition.h
    model/scheduling/pmoe-fluid-evaluator.h
    model/scheduling/pmoe-matrix-io.h
    model/scheduling/pmoe-schedule-json.h
    model/scheduling/pmoe-moe-workload.h
    model/scheduling/pmoe-compute-model.h
)
