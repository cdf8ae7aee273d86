# SPDX-License-Identifier: GPL-2.0-only
#
# Source lists shared by the standalone build and the in-tree (ns-3) build.
# Paths are relative to the module root.

include(${CMAKE_CURRENT_LIST_DIR}/sources-scheduling.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/sources-rdma.cmake)

# Network and MoE models (ns-3).
set(PMOE_NS3_SOURCES
    model/ocs/optical-circuit-switch.cc
    model/ocs/ocs-port-table.cc
    model/ocs/ocs-net-device.cc
    model/ocs/ocs-net-device-datapath.cc
    model/ocs/ocs-eps-policy.cc
    model/ocs/electrical-packet-switch.cc
    helper/ocs-helper.cc
    model/moe/gpu-compute-model.cc
    model/moe/moe-workload-data.cc
    model/moe/moe-batch-policy.cc
    model/moe/moe-transport.cc
    model/moe/moe-tcp-transport.cc
    model/moe/moe-udp-transport.cc
    model/moe/moe-gpu-application.cc
    model/moe/circuit-scheduler-application.cc
    model/moe/circuit-scheduler-cluster.cc
    helper/moe-topology-helper.cc
    helper/moe-cluster-topology-helper.cc
    helper/moe-gpu-application-helper.cc
    helper/circuit-scheduler-helper.cc
    helper/moe-stats-collector.cc
    helper/moe-stats-collector-cluster.cc
    helper/rdma-nic-helper.cc
    helper/moe-layer-scenario.cc
)
set(PMOE_NS3_HEADERS
    model/ocs/ocs-packet-fifo.h
    model/ocs/photonic-moe-enum-value.h
    model/ocs/photonic-moe-type-names.h
    model/ocs/ocs-port-table.h
    model/ocs/optical-circuit-switch.h
    model/ocs/ocs-net-device.h
    model/ocs/ocs-eps-policy.h
    model/ocs/electrical-packet-switch.h
    helper/ocs-helper.h
    model/moe/gpu-compute-model.h
    model/moe/moe-workload-data.h
    model/moe/circuit-plan.h
    model/moe/moe-batch-policy.h
    model/moe/moe-transport.h
    model/moe/moe-tcp-transport.h
    model/moe/moe-udp-transport.h
    model/moe/moe-gpu-application.h
    model/moe/circuit-scheduler-application.h
    helper/moe-topology-helper.h
    helper/moe-cluster-topology-helper.h
    helper/moe-gpu-application-helper.h
    helper/circuit-scheduler-helper.h
    helper/moe-stats-collector.h
    helper/rdma-nic-helper.h
    helper/moe-layer-scenario.h
)

# ns-3 TestSuite sources (suites "photonic-moe", "photonic-moe-layer", "photonic-moe-faults",
# "photonic-moe-validation"), run by test.py in-tree and by photonic-moe-test-runner
# standalone.
set(PMOE_NS3_TEST_SOURCES
    test/ns3/photonic-moe-test-suite.cc
    test/ns3/photonic-moe-test-util.cc
    test/ns3/ocs-test.cc
    test/ns3/ocs-eps-policy-test.cc
    test/ns3/ocs-timeline-test.cc
    test/ns3/moe-layer-test.cc
    test/ns3/moe-helper-test.cc
    test/ns3/ideal-baseline-test.cc
    test/ns3/cluster-layer-test.cc
    test/ns3/fault-test.cc
    test/ns3/validation-test.cc
    test/ns3/study-validation-test.cc
)
