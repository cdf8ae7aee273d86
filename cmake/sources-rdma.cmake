# SPDX-License-Identifier: GPL-2.0-only
#
# Source lists of the NIC-level RDMA transport (model/rdma), shared by the standalone build,
# the in-tree build and waf (wscript reads every set() here). Paths are relative to the
# module root.

set(PMOE_RDMA_SOURCES
    model/rdma/rdma-header.cc
    model/rdma/rdma-dcqcn.cc
    model/rdma/rdma-queue-pair.cc
    model/rdma/rdma-nic.cc
    model/rdma/rdma-nic-datapath.cc
    model/moe/moe-rdma-transport.cc
)
set(PMOE_RDMA_HEADERS
    model/rdma/rdma-header.h
    model/rdma/rdma-dcqcn.h
    model/rdma/rdma-queue-pair.h
    model/rdma/rdma-nic.h
    model/moe/moe-rdma-transport.h
)

# ns-3 TestSuite sources of the RDMA transport (suite "photonic-moe-rdma").
set(PMOE_RDMA_TEST_SOURCES
    test/ns3/rdma-test-suite.cc
    test/ns3/rdma-header-test.cc
    test/ns3/rdma-transport-test.cc
    test/ns3/rdma-congestion-test.cc
    test/ns3/rdma-ocs-test.cc
    test/ns3/rdma-validation-test.cc
)
