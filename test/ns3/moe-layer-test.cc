/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Tests of the packet-level MoE layer: the GPU compute model, the workload seeded from ns-3
// streams, and whole layers on both fabrics.

#include "photonic-moe-test-util.h"

#include "ns3/callback.h"
#include "ns3/gpu-compute-model.h"
#include "ns3/moe-layer-scenario.h"
#include "ns3/moe-workload-data.h"
#include "ns3/nstime.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-units.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{
namespace tests
{
namespace
{

/**
 * Two small layers 20 us apart, scheduled by BvN with at most 2 matchings, so that residual
 * demand crosses the electrical fabric.
 * @return the scenario
 */
MoeLayerScenario
ResidualScenario()
{
    MoeLayerScenario sc = SmallScenario();
    sc.layers = 2;
    sc.nonMoeTime = MicroSeconds(20);
    sc.algorithm = "bvn";
    sc.maxMatchings = 2;
    return sc;
}

/**
 * @ingroup photonic-moe
 * The ns-3 compute model wrapper gives the values worked by hand from the manual's parameters page
 * (doc/parameters.rst).
 */
class GpuComputeModelValuesTestCase : public TestCase
{
  public:
    GpuComputeModelValuesTestCase()
        : TestCase("GpuComputeModel: batch times worked by hand; presets; streams")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<GpuComputeModel> gpu = CreateObject<GpuComputeModel>();
        // DeepSeek-V3 expert, H100 BF16, t_fix 10 us, b = 128:
        //   C = 6 * 7168 * 2048 * 128 / (0.62 * 989e12)             = 18.387 us
        //   M = (3 * 7168 * 2048 * 2 + 128 * (2 * 7168 + 4 * 2048) * 2)
        //       / (0.72 * 3.35e12) = 93,847,552 B / 2.412e12 B/s   = 38.909 us (38908.6 ns)
        //   t = 10,000 + ceil(38,908.6)                              = 48,909 ns
        NS_TEST_EXPECT_MSG_EQ(gpu->BatchTime({128}).GetNanoSeconds(), 48909, "t(128)");
        // Two local experts of 128 tokens, one grouped launch: 10,000 + ceil(2 * 38,908.6)
        NS_TEST_EXPECT_MSG_EQ(gpu->BatchTime({128, 128}).GetNanoSeconds(), 87818, "grouped");
        NS_TEST_EXPECT_MSG_EQ(gpu->BatchTime({0, 0}).GetNanoSeconds(), 0, "no tokens: no launch");
        gpu->SetAttribute("LaunchMode", StringValue("per-expert"));
        NS_TEST_EXPECT_MSG_EQ(gpu->BatchTime({128, 128}).GetNanoSeconds(),
                              2 * 48909,
                              "per-expert: two launches");
        gpu->SetAttribute("FixedCost", TimeValue(Time(0)));
        NS_TEST_EXPECT_MSG_EQ(gpu->BatchTime({128}).GetNanoSeconds(), 38909, "no fixed cost");
        // Mixtral 8x7B (h 4096, I 14336), b = 128: the manual's parameters page quotes about 163
        // us.
        Ptr<GpuComputeModel> mixtral = CreateObject<GpuComputeModel>();
        mixtral->SetAttribute("Preset", StringValue("mixtral-8x7b"));
        NS_TEST_EXPECT_MSG_EQ(mixtral->BatchTime({128}).GetNanoSeconds(), 163027, "Mixtral");
        NS_TEST_EXPECT_MSG_EQ(mixtral->SetAttributeFailSafe("LaunchMode", StringValue("sideways")),
                              false,
                              "an unknown launch mode is rejected");
        NS_TEST_EXPECT_MSG_EQ(ToString(mixtral->GetLaunchMode()),
                              "grouped",
                              "a rejected launch mode leaves the old one");

        // Streams: two batches run one after another on one stream, together on two.
        for (uint32_t streams : {1u, 2u})
        {
            Ptr<GpuComputeModel> g = CreateObject<GpuComputeModel>();
            g->SetAttribute("Streams", UintegerValue(streams));
            std::vector<Time> ends;

            struct Recorder
            {
                std::vector<Time>* ends;

                void Done()
                {
                    ends->push_back(Simulator::Now());
                }
            } rec{&ends};

            g->Submit({128}, MakeCallback(&Recorder::Done, &rec));
            g->Submit({128}, MakeCallback(&Recorder::Done, &rec));
            Simulator::Run();
            NS_TEST_ASSERT_MSG_EQ(ends.size(), 2u, "both batches done");
            NS_TEST_EXPECT_MSG_EQ(ends[1].GetNanoSeconds(),
                                  (streams == 1 ? 2 : 1) * 48909,
                                  "second batch end with " << streams << " streams");
            NS_TEST_EXPECT_MSG_EQ(g->GetBusyTime().GetNanoSeconds(), 2 * 48909, "busy time");
            NS_TEST_EXPECT_MSG_EQ(g->GetBatches(), 2u, "batches");
            NS_TEST_EXPECT_MSG_EQ(g->GetTokens(), 256u, "tokens");
            Simulator::Destroy();
        }
    }
};

/**
 * @ingroup photonic-moe
 * Two GPUs: on the ideal fabric the layer takes dispatch rho/r + compute + combine rho/r
 * within 5%; on the OCS one matching serves each direction and every byte arrives.
 */
class TwoGpuAnalyticTestCase : public TestCase
{
  public:
    TwoGpuAnalyticTestCase()
        : TestCase("MoE layer: 2 GPUs, ideal fabric within 5% of rho over r plus compute; OCS 1 "
                   "matching")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        MoeLayerScenario sc;
        sc.transport = "tcp"; // the TCP path (the layer's default transport is RDMA)
        sc.moe.numGpus = 2;
        sc.moe.numExperts = 2;
        sc.moe.topK = 1;
        sc.moe.tokensPerGpu = 2048;
        sc.moe.routing = RoutingKind::TRACE;
        sc.moe.trace = UniformTrace(2, 1024); // 1024 copies each way: 14.7 MB
        sc.fabric = "ideal";
        MoeLayerRunResult ideal = sc.Run();
        NS_TEST_ASSERT_MSG_EQ(ideal.conserved, true, "ideal run conserves bytes");
        const MoeLayerMeasurement& m = ideal.layers.at(0);
        // Each GPU computes its 2048 tokens (1024 local + 1024 remote) in one batch.
        Ptr<GpuComputeModel> gpu = CreateObject<GpuComputeModel>();
        const double compute = static_cast<double>(gpu->BatchTime({2048}).GetNanoSeconds());
        const double bytes = 1024.0 * 7168 * 2;
        const double wire = bytes * 8 / 400e9 * 1e9; // ns, dispatch and combine alike
        const double expected = wire + compute + wire;
        NS_TEST_EXPECT_MSG_EQ_TOL(static_cast<double>(m.layerTimeNs),
                                  expected,
                                  0.05 * expected,
                                  "ideal layer time vs rho/r + compute + rho/r");
        NS_TEST_EXPECT_MSG_EQ(m.batches, 2u, "one batch per GPU (overlap none)");
        NS_TEST_EXPECT_MSG_EQ_TOL(m.computeEfficiency, 1.0, 1e-9, "one batch is ideal");

        sc.fabric = "ocs";
        sc.algorithm = "greedy";
        MoeLayerRunResult ocs = sc.Run();
        NS_TEST_ASSERT_MSG_EQ(ocs.conserved, true, "OCS run conserves bytes");
        NS_TEST_EXPECT_MSG_EQ(ocs.layers.at(0).numMatchings, 2u, "one dispatch + one combine");
        NS_TEST_EXPECT_MSG_EQ(ocs.layers.at(0).residualBytes, 0u, "no residual");
        // The OCS adds delta twice (and the planning margin) to the same work.
        NS_TEST_EXPECT_MSG_GT(ocs.layers.at(0).layerTimeNs,
                              static_cast<int64_t>(expected),
                              "OCS is not faster than the work itself");
        NS_TEST_EXPECT_MSG_LT(static_cast<double>(ocs.layers.at(0).layerTimeNs),
                              expected * 1.15,
                              "OCS within 15% of the ideal work");
    }
};

/**
 * @ingroup photonic-moe
 * Exactly uniform demand: greedy (whole-pair) and rotor build the same N-1 matchings of
 * equal length, so their layers take the same time.
 */
class UniformGreedyRotorTestCase : public TestCase
{
  public:
    UniformGreedyRotorTestCase()
        : TestCase("MoE layer: uniform demand, greedy equals rotor")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        MoeLayerScenario sc;
        sc.transport = "tcp"; // the TCP path (the layer's default transport is RDMA)
        sc.moe.numGpus = 4;
        sc.moe.numExperts = 4;
        sc.moe.topK = 1;
        sc.moe.routing = RoutingKind::TRACE;
        sc.moe.trace = UniformTrace(4, 128);
        sc.algorithm = "greedy";
        MoeLayerRunResult greedy = sc.Run();
        sc.algorithm = "rotor";
        MoeLayerRunResult rotor = sc.Run();
        NS_TEST_ASSERT_MSG_EQ(greedy.conserved && rotor.conserved, true, "conserved");
        NS_TEST_EXPECT_MSG_EQ(greedy.layers[0].numMatchings, 6u, "greedy: 3 + 3 matchings");
        NS_TEST_EXPECT_MSG_EQ(rotor.layers[0].numMatchings, 6u, "rotor: 3 + 3 matchings");
        NS_TEST_EXPECT_MSG_EQ_TOL(static_cast<double>(greedy.layers[0].layerTimeNs),
                                  static_cast<double>(rotor.layers[0].layerTimeNs),
                                  0.01 * static_cast<double>(rotor.layers[0].layerTimeNs),
                                  "same layer time");
        NS_TEST_EXPECT_MSG_EQ_TOL(greedy.layers[0].bubbleFraction,
                                  rotor.layers[0].bubbleFraction,
                                  1e-9,
                                  "same bubble fraction");
    }
};

/**
 * @ingroup photonic-moe
 * Overlap policies: "none" computes one batch per GPU; "per-matching" more and smaller
 * batches (one per circuit phase plus the local tokens); "threshold" batches of at least
 * the threshold except the last; every policy computes every token exactly once.
 */
class OverlapPolicyTestCase : public TestCase
{
  public:
    OverlapPolicyTestCase()
        : TestCase("MoE layer: overlap policies none, per-matching, threshold")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = SmallScenario();
        std::vector<MoeLayerRunResult> r;
        for (const char* policy : {"none", "per-matching", "threshold"})
        {
            RngSeedManager::SetSeed(1);
            RngSeedManager::SetRun(3);
            sc.overlap = policy;
            sc.thresholdCopies = 64;
            sc.thresholdTimeout = MicroSeconds(20);
            r.push_back(sc.Run());
            NS_TEST_ASSERT_MSG_EQ(r.back().conserved, true, policy << " conserves bytes");
        }
        const uint32_t n = sc.moe.numGpus;
        NS_TEST_EXPECT_MSG_EQ(r[0].layers[0].batches, n, "none: one batch per GPU");
        NS_TEST_EXPECT_MSG_GT(r[1].layers[0].batches,
                              r[0].layers[0].batches,
                              "per-matching: more batches");
        NS_TEST_EXPECT_MSG_LT(r[1].layers[0].meanBatchTokens,
                              r[0].layers[0].meanBatchTokens,
                              "per-matching: smaller batches");
        NS_TEST_EXPECT_MSG_LT(r[1].layers[0].computeEfficiency,
                              r[0].layers[0].computeEfficiency,
                              "per-matching: lower compute efficiency");
        NS_TEST_EXPECT_MSG_GT(r[2].layers[0].batches,
                              r[0].layers[0].batches,
                              "threshold: more batches");
        // Every token is computed once whatever the policy.
        uint64_t tokens[3] = {0, 0, 0};
        for (int p = 0; p < 3; ++p)
        {
            for (const auto& g : r[p].gpus)
            {
                tokens[p] += g.tokens;
            }
        }
        NS_TEST_EXPECT_MSG_EQ(tokens[1], tokens[0], "per-matching computes every token");
        NS_TEST_EXPECT_MSG_EQ(tokens[2], tokens[0], "threshold computes every token");
        NS_TEST_EXPECT_MSG_EQ(tokens[0], 4u * 256 * 2, "N x T x k expert tokens");
        NS_TEST_EXPECT_MSG_EQ_TOL(r[0].layers[0].computeEfficiency,
                                  1.0,
                                  1e-9,
                                  "none: compute efficiency 1");
    }
};

/**
 * @ingroup photonic-moe
 * Conservation: with a bounded K the residual crosses the electrical fabric and still every
 * byte arrives, over TCP and UDP, over several layers; a run cut short reports the violation.
 */
class ConservationTestCase : public TestCase
{
  public:
    ConservationTestCase()
        : TestCase("MoE layer: conservation with residual over the EPS, TCP and UDP, 2 layers")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = ResidualScenario();
        for (const char* transport : {"tcp", "udp"})
        {
            RngSeedManager::SetSeed(1);
            RngSeedManager::SetRun(5);
            sc.transport = transport;
            MoeLayerRunResult r = sc.Run();
            // Per layer: dispatch and combine sent and delivered = demand; every GPU done.
            NS_TEST_EXPECT_MSG_EQ(PairConservation(r), "", transport << ": every byte delivered");
            NS_TEST_EXPECT_MSG_GT(r.total.residualBytes, 0u, transport << ": K=2 leaves residual");
            NS_TEST_EXPECT_MSG_EQ(r.layers.size(), 2u, "two layers");
            NS_TEST_EXPECT_MSG_GT(r.layers[1].layerTimeNs, 0, "second layer measured");
        }
        // A run stopped before the end is a violation, not a silent success.
        RngSeedManager::SetRun(5);
        sc.transport = "tcp";
        sc.stopTime = MicroSeconds(150);
        MoeLayerRunResult cut = sc.Run();
        NS_TEST_EXPECT_MSG_EQ(cut.conserved, false, "cut-short run is flagged");
        NS_TEST_EXPECT_MSG_GT(cut.conservationErrors.size(), 0u, "with a reason");
    }
};

/**
 * @ingroup photonic-moe
 * The paper's regime: small delta (1 us), Zipf-skewed routing, a fixed cost that matters
 * (20 us), per-matching overlap. Asserts what held on every seed we measured (see
 * doc/validation.rst): BvN uses several times more matchings, has lower compute efficiency and
 * smaller batches than greedy, and greedy is closer to the ideal fabric.
 */
class PaperRegimeTestCase : public TestCase
{
  public:
    PaperRegimeTestCase()
        : TestCase("MoE layer: paper regime, greedy vs BvN vs ideal")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc;
        sc.transport = "tcp"; // the TCP path (the layer's default transport is RDMA)
        sc.moe.numGpus = 8;
        sc.moe.numExperts = 32;
        sc.moe.tokensPerGpu = 256;
        sc.moe.routing = RoutingKind::ZIPF;
        sc.moe.zipfExponent = 0.6;
        sc.delta = MicroSeconds(1);
        sc.fixedCost = MicroSeconds(20);
        sc.overlap = "per-matching";
        std::vector<MoeLayerRunResult> r;
        for (const char* fabricAlg : {"greedy", "bvn", "ideal"})
        {
            RngSeedManager::SetSeed(1);
            RngSeedManager::SetRun(1);
            sc.fabric = std::string(fabricAlg) == "ideal" ? "ideal" : "ocs";
            sc.algorithm = std::string(fabricAlg) == "ideal" ? "greedy" : fabricAlg;
            r.push_back(sc.Run());
            NS_TEST_ASSERT_MSG_EQ(r.back().conserved, true, fabricAlg << " conserves bytes");
        }
        const MoeLayerMeasurement& g = r[0].layers[0];
        const MoeLayerMeasurement& b = r[1].layers[0];
        const MoeLayerMeasurement& i = r[2].layers[0];
        NS_TEST_EXPECT_MSG_GT(b.numMatchings, 3 * g.numMatchings, "BvN: many more matchings");
        NS_TEST_EXPECT_MSG_LT(b.computeEfficiency,
                              g.computeEfficiency,
                              "BvN: lower compute efficiency");
        NS_TEST_EXPECT_MSG_LT(b.meanBatchTokens, g.meanBatchTokens, "BvN: smaller batches");
        NS_TEST_EXPECT_MSG_LT(std::abs(g.layerTimeNs - i.layerTimeNs),
                              std::abs(b.layerTimeNs - i.layerTimeNs),
                              "greedy closer to ideal");
    }
};

/**
 * @ingroup photonic-moe
 * One TCP connection per ordered pair (MoeSharedTcpTransport): dispatch i -> j and combine
 * j -> i share the connection opened by i. Every byte of both kinds must arrive on both
 * fabrics over two layers (with residual over the EPS on the OCS), the run reports its event
 * count, and the OCS run reports the measured scheduler time.
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
            MoeLayerScenario sc = ResidualScenario();
            sc.fabric = fabric;
            sc.tcpSharedConnection = true;
            const MoeLayerRunResult r = RunSeeded(sc, 7);
            const std::string f(fabric);
            // Per layer: dispatch and combine (on the reverse direction) sent and delivered.
            NS_TEST_EXPECT_MSG_EQ(PairConservation(r), "", f << ": every byte delivered");
            NS_TEST_EXPECT_MSG_GT(r.total.combineBytesExpected, 0u, f << ": combine demand");
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

/**
 * @ingroup photonic-moe
 * MoeWorkloadData::Generate seeds the routing from an ns-3 stream: the same stream (and run)
 * gives identical matrices in every layer, another stream or another RngRun other ones; the
 * data is consistent (Check) and sizes a token copy as hidden size x element bytes.
 */
class WorkloadSeedingTestCase : public TestCase
{
  public:
    WorkloadSeedingTestCase()
        : TestCase("MoE workload data: routing seeded from ns-3 streams and RngRun")
    {
    }

  private:
    /**
     * @param a a workload
     * @param b another
     * @return true if every layer's token, dispatch and combine matrices are equal
     */
    static bool SameRouting(const MoeWorkloadData& a, const MoeWorkloadData& b)
    {
        if (a.layers.size() != b.layers.size())
        {
            return false;
        }
        for (std::size_t l = 0; l < a.layers.size(); ++l)
        {
            if (!(a.layers[l].tokens == b.layers[l].tokens) ||
                !(a.layers[l].dispatch == b.layers[l].dispatch) ||
                !(a.layers[l].combine == b.layers[l].combine))
            {
                return false;
            }
        }
        return true;
    }

    void DoRun() override
    {
        MoeConfig c = SmallScenario(64).moe; // 4 GPUs, 16 experts, top-2
        c.hiddenSize = 64;
        c.routing = RoutingKind::ZIPF;
        c.zipfExponent = 1.2;
        c.redrawPeriod = 2;
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        const auto a = MoeWorkloadData::Generate(c, 3, 10);
        const auto again = MoeWorkloadData::Generate(c, 3, 10);
        const auto other = MoeWorkloadData::Generate(c, 3, 11);
        RngSeedManager::SetRun(2);
        const auto otherRun = MoeWorkloadData::Generate(c, 3, 10);
        RngSeedManager::SetRun(1);
        NS_TEST_ASSERT_MSG_EQ(a->layers.size(), 3u, "three layers");
        NS_TEST_EXPECT_MSG_EQ(ErrorOf([&a]() { a->Check("test"); }), "", "consistent");
        NS_TEST_EXPECT_MSG_EQ(SameRouting(*a, *again), true, "same stream, same routing");
        NS_TEST_EXPECT_MSG_EQ(SameRouting(*a, *other), false, "another stream, another routing");
        NS_TEST_EXPECT_MSG_EQ(SameRouting(*a, *otherRun), false, "another run, another routing");
        NS_TEST_EXPECT_MSG_EQ((a->layers[0].tokens == a->layers[1].tokens),
                              false,
                              "each layer routed anew");
        NS_TEST_EXPECT_MSG_EQ(a->numGpus, 4u, "GPUs");
        NS_TEST_EXPECT_MSG_EQ(a->localExperts.size(), 4u, "experts per GPU listed");
        NS_TEST_EXPECT_MSG_EQ(a->localExperts[1].size(), 4u, "16 experts on 4 GPUs");
        NS_TEST_EXPECT_MSG_EQ(a->dispatchBytesPerCopy, 64u * 2, "h x BF16");
        NS_TEST_EXPECT_MSG_EQ(a->combineBytesPerCopy, 64u * 2, "h x BF16");
        NS_TEST_EXPECT_MSG_EQ(a->layers[2].tokens.Total(), 4u * 64 * 2, "N T k copies");
        NS_TEST_EXPECT_MSG_NE(ErrorOf([&c]() { MoeWorkloadData::Generate(c, 0, 10); }),
                              "",
                              "zero layers rejected");
    }
};

/**
 * @ingroup photonic-moe
 * Progress on stderr does not change what a run reports, its event count included (ns-3's
 * ShowProgress, used before, adapted its step to the wall clock and added a machine-dependent
 * number of events to Simulator::GetEventCount()).
 */
class ProgressDeterminismTestCase : public TestCase
{
  public:
    ProgressDeterminismTestCase()
        : TestCase("progress lines leave every result, the event count included, unchanged")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = SmallScenario();
        sc.showProgress = false;
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        const MoeLayerRunResult quiet = sc.Run();
        sc.showProgress = true;
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        const MoeLayerRunResult shown = sc.Run();
        NS_TEST_ASSERT_MSG_EQ(quiet.conserved, true, "every byte delivered");
        NS_TEST_EXPECT_MSG_GT(quiet.simulatedNs, 300000, "long enough for progress wake-ups");
        NS_TEST_EXPECT_MSG_GT(quiet.events, 0u, "events counted");
        NS_TEST_EXPECT_MSG_EQ(shown.events, quiet.events, "same event count");
        NS_TEST_EXPECT_MSG_EQ(FirstDifference(quiet, shown), "", "same results");
    }
};

} // namespace

void
AddMoeLayerTestCases(PmoeTestSuite& suite)
{
    suite.AddQuick(new GpuComputeModelValuesTestCase);
    suite.AddQuick(new WorkloadSeedingTestCase);
    suite.AddExtensive(new TwoGpuAnalyticTestCase);
    suite.AddExtensive(new UniformGreedyRotorTestCase);
    suite.AddExtensive(new OverlapPolicyTestCase);
    suite.AddExtensive(new ConservationTestCase);
    suite.AddExtensive(new PaperRegimeTestCase);
    suite.AddExtensive(new SharedConnectionTestCase);
    suite.AddExtensive(new ProgressDeterminismTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
