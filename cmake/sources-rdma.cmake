# SPDX-License-Identifier: GPL-2.0-only
#
# Source lists of the NIC-level RDMA transport (model/rdma), shared by the standalone build,
# the in-tree build and waf (wscript reads every set() here). Paths are relative to the
# module root.

set(PMOE_RDMA_SOURCES
)
set(PMOE_RDMA_HEADERS
)

# ns-3 TestSuite sources of the RDMA transport (suite "photonic-moe-rdma").
set(PMOE_RDMA_TEST_SOURCES
)
