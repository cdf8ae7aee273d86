/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-test-cases.h"

#include "ns3/moe-layer-helper.h"
#include "ns3/nstime.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/test.h"

#include <cmath>
#include <cstdint>
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
 * Packet level against the fluid evaluator (doc/study.md, "Validation"): 4 GPUs, 16 experts,
 * top-2, 512 tokens per GPU, Zipf 0.6, app-paced UDP, greedy, delta = 1 us. For the dispatch
 * and for the combine schedule the packet-level communication makespan (schedule start ->
 * last byte received) must lie between
 *  - the fluid time of the last planned byte at the full rate (lit start + bytes / r): packets
 *    carry the same bytes plus headers over the same circuits, so they cannot finish earlier;
 *  - the fluid makespan of the same schedule + 1 us: the schedule is planned at 0.97 r while a
 *    UDP datagram carries 8972 payload bytes per 9014-byte frame (0.9953 r), so every planned
 *    byte fits inside its lit window; what remains is the last frame's serialisation (180 ns)
 *    and the propagation delay (100 ns);
 * and within 5% of the fluid makespan (the study's target). A run with no residual and no
 * frame moved to the EPS, with every byte delivered.
 */
class PacketVsFluidTestCase : public TestCase
{
  public:
    PacketVsFluidTestCase()
        : TestCase("study validation: packet-level makespan agrees with the fluid evaluator (UDP)")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc;
        sc.moe.numGpus = 4;
        sc.moe.numExperts = 16;
        sc.moe.topK = 2;
        sc.moe.tokensPerGpu = 512;
        sc.moe.routing = RoutingKind::ZIPF;
        sc.moe.zipfExponent = 0.6;
        sc.transport = "udp";
        sc.fabric = "ocs";
        sc.algorithm = "greedy";
        sc.delta = MicroSeconds(1);
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        const MoeLayerRunResult r = MoeLayerHelper::Run(sc);
        NS_TEST_ASSERT_MSG_EQ(r.conserved, true, "every byte delivered");
        NS_TEST_ASSERT_MSG_EQ(r.layers.size(), 1, "one layer");
        const MoeLayerMeasurement& m = r.layers[0];
        NS_TEST_EXPECT_MSG_EQ(m.residualBytes, 0, "no residual");
        NS_TEST_EXPECT_MSG_EQ(r.voqToEpsPackets, 0, "nothing moved to the EPS");
        const int64_t slackNs = 1000;

        const struct
        {
            const char* phase;
            int64_t packet;
            int64_t fluid;
            int64_t lastByte;
        } phases[] = {{"dispatch", m.dispatchCommNs, m.dispatchFluidNs, m.dispatchFluidLastByteNs},
                      {"combine", m.combineCommNs, m.combineFluidNs, m.combineFluidLastByteNs}};

        for (const auto& p : phases)
        {
            NS_TEST_ASSERT_MSG_GT(p.fluid, 0, p.phase << ": fluid makespan computed");
            NS_TEST_EXPECT_MSG_GT_OR_EQ(p.packet,
                                        p.lastByte,
                                        p.phase << ": not earlier than the fluid last byte");
            NS_TEST_EXPECT_MSG_LT_OR_EQ(p.packet,
                                        p.fluid + slackNs,
                                        p.phase << ": within the fluid makespan + 1 us");
            const double gap =
                std::abs(static_cast<double>(p.packet - p.fluid)) / static_cast<double>(p.fluid);
            NS_TEST_EXPECT_MSG_LT(gap, 0.05, p.phase << ": within 5% of the fluid makespan");
        }
        // The ideal fabric with UDP against rho / r: above the bound by the frame overhead
        // (9014 / 8972) at least, and within 5%.
        sc.fabric = "ideal";
        RngSeedManager::SetRun(1);
        const MoeLayerRunResult ideal = MoeLayerHelper::Run(sc);
        NS_TEST_ASSERT_MSG_EQ(ideal.conserved, true, "ideal: every byte delivered");
        const MoeLayerMeasurement& im = ideal.layers[0];
        NS_TEST_EXPECT_MSG_EQ(im.loadBoundNs, m.loadBoundNs, "same workload on both fabrics");
        NS_TEST_EXPECT_MSG_GT_OR_EQ(static_cast<double>(im.dispatchCommNs),
                                    static_cast<double>(im.loadBoundNs) * 9014.0 / 8972.0,
                                    "ideal: not faster than rho/r with frame overhead");
        NS_TEST_EXPECT_MSG_LT(static_cast<double>(im.dispatchCommNs),
                              1.05 * static_cast<double>(im.loadBoundNs),
                              "ideal: within 5% of rho/r");
    }
};

} // namespace

void
AddStudyValidationTestCases(const AddTestCaseFn& add)
{
    add(new PacketVsFluidTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
