/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-test-cases.h"

#include "ns3/moe-layer-helper.h"
#include "ns3/nstime.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/test.h"

#include <string>

namespace ns3
{
namespace pmoe
{
namespace tests
{
namespace
{

/**
 * @ingroup photonic-moe-tests
 * One TCP connection per ordered pair (MoeGpuApplication::SharedConnection): dispatch i -> j
 * and combine j -> i share the connection opened by i. Every byte of both kinds must arrive
 * on both fabrics over two layers (with residual over the EPS on the OCS), the run reports
 * its event count, and the OCS run reports the measured scheduler time.
 */
class SharedConnectionTestCase : public TestCase
{
  public:
    SharedConnectionTestCase()
        : TestCase("MoE layer: shared TCP connection per pair conserves dispatch and combine")
    {
    }

  private:
    void DoRun() override
    {
        for (const char* fabric : {"ocs", "ideal"})
        {
            MoeLayerScenario sc;
            sc.moe.numGpus = 4;
            sc.moe.numExperts = 16;
            sc.moe.topK = 2;
            sc.moe.tokensPerGpu = 256;
            sc.layers = 2;
            sc.nonMoeTime = MicroSeconds(20);
            sc.fabric = fabric;
            sc.algorithm = "bvn";
            sc.maxMatchings = 2;
            sc.tcpSharedConnection = true;
            RngSeedManager::SetSeed(1);
            RngSeedManager::SetRun(7);
            const MoeLayerRunResult r = MoeLayerHelper::Run(sc);
            const std::string f(fabric);
            NS_TEST_EXPECT_MSG_EQ(r.conserved, true, f << ": every byte delivered");
            NS_TEST_EXPECT_MSG_GT(r.total.combineBytesExpected, 0u, f << ": combine demand");
            NS_TEST_EXPECT_MSG_EQ(r.total.dispatchBytesDelivered,
                                  r.total.dispatchBytesExpected,
                                  f << ": dispatch delivered");
            NS_TEST_EXPECT_MSG_EQ(r.total.combineBytesDelivered,
                                  r.total.combineBytesExpected,
                                  f << ": combine delivered on the reverse direction");
            NS_TEST_EXPECT_MSG_EQ(r.layers.size(), 2u, f << ": two layers");
            NS_TEST_EXPECT_MSG_GT(r.layers[1].layerTimeNs, 0, f << ": second layer measured");
            NS_TEST_EXPECT_MSG_GT(r.events, 1000u, f << ": events counted");
            if (f == "ocs")
            {
                NS_TEST_EXPECT_MSG_GT(r.total.residualBytes, 0u, "K=2 leaves residual");
                NS_TEST_EXPECT_MSG_GT(r.total.schedulerWallNs, 0, "scheduler time measured");
            }
        }
    }
};

} // namespace

void
AddMoeLayerSharedConnectionTestCases(const AddTestCaseFn& add)
{
    add(new SharedConnectionTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
