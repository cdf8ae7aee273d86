/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Tests of the streaming overlap policy and of the layer-time lower bound at packet level
// (the strongest ideal baseline, issue 14 item 2), and of the compute-aware scheduler "auto"
// and the scheduler's predicted layer time.

#include "photonic-moe-test-util.h"

#include "ns3/moe-layer-scenario.h"
#include "ns3/moe-workload-data.h"
#include "ns3/nstime.h"
#include "ns3/pmoe-compute-model.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/test.h"

#include <algorithm>
#include <limits>
#include <map>
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
 * @ingroup photonic-moe
 * The streaming policy computes each GPU's arrivals in chunks while the dispatch is still
 * arriving, on the ideal fabric and on the OCS: several launches per GPU, each taking the
 * fixed cost plus the roofline time of its tokens (computed here with t_fix = 0 from the same
 * constants), never two at once on the single stream, the first chunk of remote tokens before
 * the GPU's last dispatch byte, every token computed once; and it beats "none" on the ideal
 * fabric when compute matters.
 */
class StreamingPolicyTestCase : public TestCase
{
  public:
    StreamingPolicyTestCase()
        : TestCase("MoE layer: streaming overlap computes in chunks, fixed cost per launch")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = SmallScenario(256);
        sc.moe.numExperts = 4; // one expert per GPU: a launch's time depends on its tokens only
        sc.transport = "udp";
        sc.fixedCost = MicroSeconds(20);
        sc.recordTimeline = true;
        ComputeParams noFix;
        noFix.fixedCostNs = 0;
        const ComputeModel roofline(noFix);
        const uint32_t n = sc.moe.numGpus;
        std::map<std::string, int64_t> layerTime;
        for (const char* fabric : {"ideal", "ocs"})
        {
            for (const char* policy : {"none", "streaming"})
            {
                RngSeedManager::SetSeed(1);
                RngSeedManager::SetRun(4);
                sc.fabric = fabric;
                sc.overlap = policy;
                const MoeLayerRunResult r = sc.Run();
                const std::string what = std::string(fabric) + "/" + policy;
                NS_TEST_ASSERT_MSG_EQ(r.conserved, true, what << ": conserves bytes");
                layerTime[what] = r.total.layerTimeNs;
                if (std::string(policy) != "streaming")
                {
                    continue;
                }
                std::vector<std::vector<MoeTimelineInterval>> launches(n);
                for (const auto& iv : r.timeline)
                {
                    if (iv.kind == "compute")
                    {
                        launches.at(iv.node).push_back(iv);
                    }
                }
                uint64_t tokens = 0;
                for (uint32_t g = 0; g < n; ++g)
                {
                    const auto& ls = launches[g];
                    NS_TEST_EXPECT_MSG_GT(ls.size(), 2u, what << ": GPU " << g << " in chunks");
                    NS_TEST_EXPECT_MSG_EQ(ls.size(),
                                          r.gpus[g].batches,
                                          what << ": one interval per batch");
                    int64_t busy = 0;
                    for (std::size_t i = 0; i < ls.size(); ++i)
                    {
                        tokens += ls[i].value;
                        const int64_t d = ls[i].endNs - ls[i].startNs;
                        busy += d;
                        NS_TEST_EXPECT_MSG_EQ(d - roofline.BatchTimeNs(ls[i].value),
                                              20000,
                                              what << ": GPU " << g << " launch " << i
                                                   << " pays t_fix once");
                        if (i > 0)
                        {
                            NS_TEST_EXPECT_MSG_GT_OR_EQ(ls[i].startNs,
                                                        ls[i - 1].endNs,
                                                        what << ": one launch at a time");
                        }
                    }
                    NS_TEST_EXPECT_MSG_EQ(busy, r.gpus[g].computeBusyNs, what << ": busy time");
                    // The second launch (the first with remote tokens) runs during the dispatch.
                    NS_TEST_EXPECT_MSG_LT(ls.at(1).startNs,
                                          r.gpus[g].dispatchDoneNs,
                                          what << ": GPU " << g << " computes while receiving");
                }
                NS_TEST_EXPECT_MSG_EQ(tokens, 4u * 256 * 2, what << ": every token once");
            }
        }
        NS_TEST_EXPECT_MSG_LT(layerTime["ideal/streaming"],
                              layerTime["ideal/none"],
                              "streaming overlaps compute with the ideal fabric's dispatch");
    }
};

/**
 * @ingroup photonic-moe
 * Every run, OCS or ideal, under every overlap policy, takes at least the layer-time lower
 * bound of its fabric; the bound of the OCS fabric counts the electrical port too, so it is
 * below the ideal fabric's when the ports decide; the bound is the core's
 * pmoe::LayerTimeLowerBound of the same workload, and the ideal fabric under its best policy
 * comes within 2x of it.
 */
class LowerBoundTestCase : public TestCase
{
  public:
    LowerBoundTestCase()
        : TestCase("MoE layer: OCS and ideal layer times >= the layer-time lower bound")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = SmallScenario(256);
        sc.transport = "udp";
        sc.moe.routing = RoutingKind::ZIPF;
        sc.delta = MicroSeconds(1);
        int64_t ocsBound = 0;
        int64_t idealBound = 0;
        int64_t idealBest = std::numeric_limits<int64_t>::max();
        for (const char* fabric : {"ocs", "ideal"})
        {
            for (const char* algorithm : {"greedy", "bvn"})
            {
                if (std::string(fabric) == "ideal" && std::string(algorithm) == "bvn")
                {
                    continue;
                }
                for (const char* policy : {"none", "per-matching", "threshold", "streaming"})
                {
                    RngSeedManager::SetSeed(1);
                    RngSeedManager::SetRun(2);
                    sc.fabric = fabric;
                    sc.algorithm = algorithm;
                    sc.overlap = policy;
                    const MoeLayerRunResult r = sc.Run();
                    const std::string what = std::string(fabric) + "/" + algorithm + "/" + policy;
                    NS_TEST_ASSERT_MSG_EQ(r.conserved, true, what << ": conserves bytes");
                    const int64_t bound = r.total.layerTimeLowerBoundNs;
                    NS_TEST_ASSERT_MSG_GT(bound, 0, what << ": bound filled in");
                    NS_TEST_EXPECT_MSG_EQ(r.layers[0].layerTimeLowerBoundNs,
                                          bound,
                                          what << ": one layer");
                    NS_TEST_EXPECT_MSG_GT_OR_EQ(r.total.layerTimeNs,
                                                bound,
                                                what << ": layer time >= lower bound");
                    if (std::string(fabric) == "ideal")
                    {
                        idealBest = std::min(idealBest, r.total.layerTimeNs);
                    }
                    (std::string(fabric) == "ocs" ? ocsBound : idealBound) = bound;
                }
            }
        }
        // Same workload: the OCS hosts have 400 + 100 Gb/s, the ideal fabric's 400 Gb/s.
        NS_TEST_EXPECT_MSG_LT(ocsBound, idealBound, "the EPS port adds capacity");
        // Not vacuous: the ideal fabric under its best policy is within 2x of its bound here
        // (small batches are memory-bound, 46.5 us per launch, so streaming pays for them).
        NS_TEST_EXPECT_MSG_LT(idealBest, 2 * idealBound, "ideal best within 2x of the bound");
    }
};

/**
 * @ingroup photonic-moe
 * The layer's "auto" with AutoComputeModel = false is the communication-only decomposer
 * "auto" of the core (the choice before the attribute existed): the simulated run uses exactly
 * the configurations that pmoe::Decompose(auto) gives for the layer's dispatch and combine
 * demand with the scheduler's parameters. With the compute model (default) and per-matching
 * overlap, a 20 us launch cost and delta = 1 us, auto uses fewer configurations and its layer
 * is faster than without (it no longer fragments the compute).
 */
class AutoComputeModelTestCase : public TestCase
{
  public:
    AutoComputeModelTestCase()
        : TestCase("MoE layer: auto without the compute model is the communication-only auto; "
                   "with it, per-matching overlap gets fewer, larger batches")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = SmallScenario(1024);
        sc.algorithm = "auto";
        sc.transport = "udp";
        sc.overlap = "per-matching";
        sc.fixedCost = MicroSeconds(20);
        sc.delta = MicroSeconds(1);
        sc.moe.routing = RoutingKind::ZIPF;
        sc.moe.zipfExponent = 0.6;

        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(3);
        const auto workload = MoeWorkloadData::Generate(sc.moe, 1, sc.workloadSeedStream);
        DecompositionParams p;
        p.algorithm = "auto";
        p.reconfigDelayNs = sc.delta.GetNanoSeconds();
        p.linkRateBps =
            static_cast<Bps>(static_cast<double>(sc.rate.GetBitRate()) * sc.planningEfficiency);
        p.epsRateBps = static_cast<Bps>(sc.epsRate.GetBitRate());
        p.durationPolicy = sc.durationPolicy;
        p.residualPolicy = sc.residualPolicy;
        const uint32_t expected =
            static_cast<uint32_t>(Decompose(workload->layers[0].dispatch, p).NumConfigurations() +
                                  Decompose(workload->layers[0].combine, p).NumConfigurations());

        sc.autoComputeModel = false;
        RngSeedManager::SetRun(3);
        const MoeLayerRunResult off = sc.Run();
        NS_TEST_EXPECT_MSG_EQ(off.layers.at(0).numMatchings,
                              expected,
                              "AutoComputeModel=false: the core's communication-only auto");

        sc.autoComputeModel = true;
        RngSeedManager::SetRun(3);
        const MoeLayerRunResult on = sc.Run();
        NS_TEST_EXPECT_MSG_LT(on.layers.at(0).numMatchings,
                              off.layers.at(0).numMatchings,
                              "the compute model cuts the configurations");
        NS_TEST_EXPECT_MSG_LT(on.total.layerTimeNs,
                              off.total.layerTimeNs,
                              "and the layer is faster");
    }
};

/**
 * @ingroup photonic-moe
 * The scheduler's prediction reaches the results: every OCS layer has a positive predicted
 * layer time and the run's is their sum; "auto" also reports the candidate it chose for each
 * schedule and the configurations of its dispatch choice (the K in the candidate's name), and
 * other algorithms report none. Two small layers, four GPUs.
 */
class PredictionFieldsTestCase : public TestCase
{
  public:
    PredictionFieldsTestCase()
        : TestCase("MoE layer: predicted layer time and auto's choice in the results")
    {
    }

  private:
    void DoRun() override
    {
        for (const char* algorithm : {"greedy", "auto"})
        {
            MoeLayerScenario sc = SmallScenario(64);
            sc.layers = 2;
            sc.transport = "udp";
            sc.algorithm = algorithm;
            sc.maxMatchings = 2;
            RngSeedManager::SetSeed(1);
            RngSeedManager::SetRun(1);
            const MoeLayerRunResult r = sc.Run();
            const bool isAuto = std::string(algorithm) == "auto";
            NS_TEST_ASSERT_MSG_EQ(r.layers.size(), 2u, algorithm);
            int64_t sum = 0;
            uint32_t configurations = 0;
            for (const MoeLayerMeasurement& m : r.layers)
            {
                NS_TEST_EXPECT_MSG_GT(m.predictedLayerTimeNs, 0, algorithm);
                NS_TEST_EXPECT_MSG_GT(m.predictedDispatchNs, 0, algorithm);
                NS_TEST_EXPECT_MSG_GT(m.predictedCombineNs, 0, algorithm);
                NS_TEST_EXPECT_MSG_GT(m.predictedLayerTimeNs,
                                      m.predictedCombineNs,
                                      algorithm << ": the layer includes the combine");
                sum += m.predictedLayerTimeNs;
                configurations += m.dispatchMatchings;
                NS_TEST_EXPECT_MSG_EQ(m.autoChoice.empty(), !isAuto, algorithm);
                NS_TEST_EXPECT_MSG_EQ(m.autoCombineChoice.empty(), !isAuto, algorithm);
                const uint32_t expected = isAuto ? m.dispatchMatchings : 0;
                NS_TEST_EXPECT_MSG_EQ(m.autoConfigurations, expected, algorithm);
                if (isAuto)
                {
                    const std::string k = " K=" + std::to_string(m.dispatchMatchings);
                    NS_TEST_EXPECT_MSG_NE(m.autoChoice.find(k),
                                          std::string::npos,
                                          m.autoChoice << " names its K" << k);
                }
            }
            NS_TEST_EXPECT_MSG_EQ(r.total.predictedLayerTimeNs, sum, algorithm);
            const uint32_t expected = isAuto ? configurations : 0;
            NS_TEST_EXPECT_MSG_EQ(r.total.autoConfigurations, expected, algorithm);
            NS_TEST_EXPECT_MSG_EQ(r.total.autoChoice.empty(), !isAuto, algorithm);
        }
    }
};

/**
 * @ingroup photonic-moe
 * Where the model holds (RDMA without congestion control, so that the transport keeps the
 * planned rate; eight GPUs, 256 tokens each) the scheduler's predicted layer time is within 5%
 * of the simulated one: auto's choices, greedy with partly served pairs whose residual enters
 * the electrical fabric after their last circuit (min-entry, K = 8), per-matching overlap with
 * many small batches, and BvN's 35 configurations per schedule (measured: 0.98-1.01).
 * Before the residual was modelled that way, auto's choices at N = 8, delta = 1 us were
 * simulated 1.27-1.53 x their prediction (they left partly served pairs to the fabric).
 * The last cell is the paper's regime over paced UDP (1024 tokens, t_fix 20 us), where auto
 * leaves 56 MB per schedule to the EPS: with one UDP sender for circuit and EPS streams it
 * was simulated 1.92 x its prediction (6918.0 us, greedy 4142.4 us); with the EPS sender
 * (MoeUdpTransport::SeparateEpsPacing) 0.997 x.
 */
class PredictionAccuracyTestCase : public TestCase
{
  public:
    PredictionAccuracyTestCase()
        : TestCase("MoE layer: predicted layer time within 5% of the simulated one")
    {
    }

  private:
    void DoRun() override
    {
        struct Cell
        {
            double zipf;
            Time delta;
            const char* overlap;
            const char* algorithm;
            DurationPolicy policy;
            uint32_t k;
            const char* transport = "rdma";
            uint32_t tokens = 256;
            Time fixedCost = MicroSeconds(10);
        };

        const Cell cells[] = {
            {1.2, MicroSeconds(1), "none", "auto", DurationPolicy::WHOLE_PAIR, 0},
            {1.2, MicroSeconds(1), "per-matching", "greedy", DurationPolicy::MIN_ENTRY, 8},
            {0.6, MicroSeconds(100), "per-matching", "auto", DurationPolicy::WHOLE_PAIR, 0},
            {0, MicroSeconds(1), "per-matching", "greedy", DurationPolicy::WHOLE_PAIR, 0},
            {1.2, MicroSeconds(1), "none", "bvn", DurationPolicy::WHOLE_PAIR, 0},
            {0.6,
             MicroSeconds(1),
             "per-matching",
             "auto",
             DurationPolicy::WHOLE_PAIR,
             0,
             "udp",
             1024,
             MicroSeconds(20)},
        };
        for (const Cell& c : cells)
        {
            MoeLayerScenario sc;
            sc.moe.numGpus = 8;
            sc.moe.numExperts = 32;
            sc.moe.tokensPerGpu = c.tokens;
            sc.fixedCost = c.fixedCost;
            if (c.zipf > 0)
            {
                sc.moe.routing = RoutingKind::ZIPF;
                sc.moe.zipfExponent = c.zipf;
            }
            sc.transport = c.transport;
            sc.rdmaCongestionControl = "none";
            sc.delta = c.delta;
            sc.overlap = c.overlap;
            sc.algorithm = c.algorithm;
            sc.durationPolicy = c.policy;
            sc.maxMatchings = c.k;
            RngSeedManager::SetSeed(1);
            RngSeedManager::SetRun(1);
            const MoeLayerRunResult r = sc.Run();
            std::ostringstream what;
            what << c.transport << " " << c.algorithm << " K=" << c.k << " zipf " << c.zipf
                 << " delta " << c.delta << " overlap " << c.overlap;
            NS_TEST_ASSERT_MSG_EQ(r.conserved, true, what.str());
            NS_TEST_ASSERT_MSG_GT(r.total.predictedLayerTimeNs, 0, what.str());
            const double ratio = static_cast<double>(r.total.layerTimeNs) /
                                 static_cast<double>(r.total.predictedLayerTimeNs);
            NS_TEST_EXPECT_MSG_EQ_TOL(ratio, 1.0, 0.05, what.str() << ": simulated / predicted");
        }
    }
};

} // namespace

void
AddIdealBaselineTestCases(PmoeTestSuite& suite)
{
    suite.AddQuick(new StreamingPolicyTestCase);
    suite.AddQuick(new LowerBoundTestCase);
    suite.AddExtensive(new AutoComputeModelTestCase);
    suite.AddQuick(new PredictionFieldsTestCase);
    suite.AddExtensive(new PredictionAccuracyTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
