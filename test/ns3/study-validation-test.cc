/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Validation of whole runs: the packet level against the fluid evaluator (doc/validation.rst,
// "Validation"), and determinism (identical seeds give identical runs, field by field; the
// CTest layer-cli-deterministic-output checks the program's output files byte for byte).

#include "photonic-moe-test-util.h"

#include "ns3/moe-layer-scenario.h"
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
 * @ingroup photonic-moe
 * Packet level against the fluid evaluator (doc/validation.rst): 4 GPUs, 16 experts,
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
        const MoeLayerRunResult r = sc.Run();
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
        const MoeLayerRunResult ideal = sc.Run();
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

/**
 * @ingroup photonic-moe
 * Determinism: the same seed gives the same run in every field (timeline included); another
 * RngRun another run.
 */
class DeterminismTestCase : public TestCase
{
  public:
    DeterminismTestCase()
        : TestCase("Determinism: same seed, identical run in every field; RngRun changes it")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = SmallScenario();
        sc.moe.routing = RoutingKind::ZIPF;
        sc.overlap = "per-matching";
        sc.recordTimeline = true;
        const MoeLayerRunResult a = RunSeeded(sc, 7);
        const MoeLayerRunResult b = RunSeeded(sc, 7);
        const MoeLayerRunResult c = RunSeeded(sc, 8);
        NS_TEST_ASSERT_MSG_EQ(a.conserved, true, "conserved");
        NS_TEST_EXPECT_MSG_GT(a.timeline.size(), 0u, "timeline recorded");
        NS_TEST_EXPECT_MSG_EQ(FirstDifference(a, b), "", "same seed, same run");
        NS_TEST_EXPECT_MSG_NE(FirstDifference(a, c), "", "another run, another result");
    }
};

/**
 * @ingroup photonic-moe
 * Determinism with every fault on: the same seed gives the same run in every field that
 * photonic-moe-layer writes (everything but the host's wall-clock and memory measurements);
 * another RngRun changes the routing (the per-GPU dispatch bytes).
 */
class FaultDeterminismTestCase : public TestCase
{
  public:
    FaultDeterminismTestCase()
        : TestCase("Determinism: same seed, identical run with faults; RngRun changes routing")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = SmallScenario();
        sc.moe.routing = RoutingKind::ZIPF;
        sc.reconfigJitter = MicroSeconds(10);
        sc.controlLossProbability = 0.2;
        sc.controlLateProbability = 0.2;
        sc.failPort = 2;
        const MoeLayerRunResult a = RunSeeded(sc, 11);
        const MoeLayerRunResult b = RunSeeded(sc, 11);
        const MoeLayerRunResult c = RunSeeded(sc, 12);
        NS_TEST_ASSERT_MSG_EQ(PairConservation(a), "", "conservation");
        NS_TEST_EXPECT_MSG_EQ(FirstDifference(a, b), "", "same seed, same run");
        NS_TEST_EXPECT_MSG_GT(a.faults.controlLost + a.faults.controlLate,
                              0u,
                              "control faults happened");
        NS_TEST_EXPECT_MSG_GT(a.faults.lateReconfigurations, 0u, "jitter happened");
        NS_TEST_EXPECT_MSG_EQ(a.faults.portFailures, 1u, "the port failed");
        // The routing: dispatch bytes sent by each GPU (the rows of the dispatch matrix).
        bool differs = false;
        NS_TEST_ASSERT_MSG_EQ(a.gpus.size(), c.gpus.size(), "same shape");
        for (std::size_t i = 0; i < a.gpus.size(); ++i)
        {
            differs = differs || a.gpus[i].dispatchBytesSent != c.gpus[i].dispatchBytesSent ||
                      a.gpus[i].dispatchBytesReceived != c.gpus[i].dispatchBytesReceived;
        }
        NS_TEST_EXPECT_MSG_EQ(differs, true, "another RngRun, another dispatch matrix");
    }
};

} // namespace

void
AddStudyValidationTestCases(PmoeTestSuite& suite)
{
    suite.AddExtensive(new PacketVsFluidTestCase);
    suite.AddExtensive(new DeterminismTestCase);
    suite.AddExtensive(new FaultDeterminismTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
