# SPDX-License-Identifier: GPL-2.0-only
#
# Source lists shared by the standalone build and the in-tree (ns-3) build.
# Paths are relative to the module root.

# Scheduling core: plain C++17, no ns-3 headers.
set(PMOE_CORE_SOURCES
    model/pmoe-units.cc
    model/pmoe-demand-matrix.cc
    model/pmoe-schedule.cc
    model/pmoe-matching.cc
    model/pmoe-decomposition.cc
    model/pmoe-fluid-evaluator.cc
    model/pmoe-matrix-io.cc
    model/pmoe-schedule-json.cc
    model/pmoe-moe-workload.cc
    model/pmoe-compute-model.cc
)
set(PMOE_CORE_HEADERS
    model/pmoe-units.h
    model/pmoe-demand-matrix.h
    model/pmoe-schedule.h
    model/pmoe-matching.h
    model/pmoe-decomposition.h
    model/pmoe-fluid-evaluator.h
    model/pmoe-matrix-io.h
    model/pmoe-schedule-json.h
    model/pmoe-moe-workload.h
    model/pmoe-compute-model.h
)

# Network and MoE models (ns-3).
set(PMOE_NS3_SOURCES
    model/optical-circuit-switch.cc
    model/ocs-port-table.cc
    model/ocs-net-device.cc
    model/electrical-switch-channel.cc
    helper/ocs-helper.cc
    model/gpu-compute-model.cc
    model/moe-gpu-application.cc
    model/circuit-scheduler-application.cc
    helper/moe-layer-helper.cc
)
set(PMOE_NS3_HEADERS
    model/ocs-packet-fifo.h
    model/ocs-port-table.h
    model/optical-circuit-switch.h
    model/ocs-net-device.h
    model/electrical-switch-channel.h
    helper/ocs-helper.h
    model/gpu-compute-model.h
    model/moe-gpu-application.h
    model/circuit-scheduler-application.h
    helper/moe-layer-helper.h
)

# ns-3 TestSuite sources (suite "photonic-moe"), run by test.py in-tree and by
# photonic-moe-test-runner standalone.
set(PMOE_NS3_TEST_SOURCES
    test/ns3/photonic-moe-test-suite.cc
    test/ns3/pmoe-core-test.cc
    test/ns3/pmoe-matching-test.cc
    test/ns3/pmoe-decomposition-test.cc
    test/ns3/ocs-test.cc
    test/ns3/ocs-eps-policy-test.cc
    test/ns3/pmoe-moe-test.cc
    test/ns3/moe-layer-test.cc
    test/ns3/fault-test.cc
    test/ns3/validation-test.cc
    test/ns3/study-validation-test.cc
    test/ns3/moe-layer-shared-connection-test.cc
)
