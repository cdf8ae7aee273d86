/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The Sunflow-style baseline (hand-worked schedule, non-preemption, validity) and the
// compute-aware scheduler "auto" (its choice is the best of its candidates by its own
// prediction; never worse than Sunflow or fixed-K greedy), and the per-port lower bound.

#include "pmoe-test-util.h"

#include "ns3/pmoe-auto-scheduler.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-schedule-timeline.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace ns3::pmoe;

namespace
{

const Bps kBytePerNs = 8000000000; // one byte per ns

DecompositionParams
Params(const std::string& algo, CircuitModel model = CircuitModel::UNIDIRECTIONAL)
{
    DecompositionParams p;
    p.algorithm = algo;
    p.model = model;
    p.linkRateBps = kBytePerNs;
    p.reconfigDelayNs = 10;
    return p;
}

FluidParams
Fluid(const DecompositionParams& p, ReconfigMode mode, Bps eps = 0)
{
    FluidParams f;
    f.reconfigDelayNs = p.reconfigDelayNs;
    f.linkRateBps = p.linkRateBps;
    f.mode = mode;
    f.epsRateBps = eps;
    return f;
}

/// MoE-like demand: destination popularity Zipf(s) over a random permutation, 7 KiB tokens.
DemandMatrix
MoeDemand(std::mt19937_64& rng, std::size_t n, double s, int tokens)
{
    std::vector<std::size_t> rank(n);
    for (std::size_t j = 0; j < n; ++j)
    {
        rank[j] = j;
    }
    std::shuffle(rank.begin(), rank.end(), rng);
    std::uniform_real_distribution<double> u(0.5, 1.5);
    DemandMatrix d(n);
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            if (i != j)
            {
                double w = 1.0 / std::pow(static_cast<double>(rank[j] + 1), s);
                d.Set(i, j, static_cast<Bytes>(std::llround(w * u(rng) * tokens)) * 7168);
            }
        }
    }
    return d;
}

/**
 * Replay a changed-only schedule circuit by circuit with the timeline (independently of the
 * decomposer) and check Sunflow's rules: every configuration a matching, a circuit is never
 * torn down while its pair has demand left, a pair gets one circuit, and all is served.
 */
void
ExpectSunflowRules(const DemandMatrix& d, const Schedule& s, const DecompositionParams& p)
{
    ASSERT_NO_THROW(s.Validate());
    const bool duplex = p.model == CircuitModel::DUPLEX;
    const ScheduleTimeline t(s, p.reconfigDelayNs, ReconfigMode::CHANGED_ONLY);
    DemandMatrix rem = d;
    std::set<std::pair<uint32_t, uint32_t>> done; // circuits torn down
    const auto& configs = s.Configurations();
    for (std::size_t k = 0; k < configs.size(); ++k)
    {
        EXPECT_EQ(CheckMatching(configs[k].circuits, d.Size(), p.model), "");
        const StepTiming step = t.Step(k);
        for (const Circuit& c : configs[k].circuits)
        {
            EXPECT_EQ(done.count({c.src, c.dst}), 0u) << "circuit set up twice";
            const Bytes cap = BytesInNs(step.endNs - t.CircuitLitFromNs(k, c.src), p.linkRateBps);
            rem.Set(c.src, c.dst, rem.At(c.src, c.dst) - std::min(rem.At(c.src, c.dst), cap));
            if (duplex)
            {
                rem.Set(c.dst, c.src, rem.At(c.dst, c.src) - std::min(rem.At(c.dst, c.src), cap));
            }
        }
        if (k + 1 < configs.size())
        {
            const auto& next = configs[k + 1].circuits;
            for (const Circuit& c : configs[k].circuits)
            {
                if (std::find(next.begin(), next.end(), c) == next.end())
                {
                    // Torn down: its flow must be done (non-preemption).
                    EXPECT_EQ(rem.At(c.src, c.dst), 0) << c.src << "->" << c.dst << " at " << k;
                    if (duplex)
                    {
                        EXPECT_EQ(rem.At(c.dst, c.src), 0);
                    }
                    done.insert({c.src, c.dst});
                }
            }
        }
    }
    EXPECT_TRUE(rem.IsZero());
    EXPECT_TRUE(s.residual.IsZero());
}

} // namespace

TEST(Sunflow, HandWorkedThreePorts)
{
    // delta = 10 ns, 1 byte/ns. Step 0 at 0: greedy on all ports takes 0->1 (6), 1->2 (5),
    // 2->0 (4); they light at 10 and finish at 16, 15, 14. The first moment a new pair has
    // both ports free is 15 (1->0: port 1 sends from 15, port 0 receives from 14), so step 0
    // lasts 5 ns: 0->1 carries 5 (1 left), the others finish (14 bytes).
    // Step 1 at 15: 1->0 is set up (lights at 25); 0->1 is kept and finishes at 16, inside
    // the delta, so the step ends at 26 (duration 1): 2 bytes.
    // Step 2 at 26: 2->1 (3) and 0->2 (2) light at 36, the kept idle 1->0 stays; ends at 39.
    DemandMatrix d({{0, 6, 2}, {1, 0, 5}, {4, 3, 0}});
    DecompositionParams p = Params("sunflow");
    Schedule s = Decompose(d, p);
    ASSERT_EQ(s.NumConfigurations(), 3u);
    EXPECT_EQ(s.Configurations()[0].circuits, (std::vector<Circuit>{{0, 1}, {1, 2}, {2, 0}}));
    EXPECT_EQ(s.Configurations()[1].circuits, (std::vector<Circuit>{{0, 1}, {1, 0}}));
    EXPECT_EQ(s.Configurations()[2].circuits, (std::vector<Circuit>{{0, 2}, {1, 0}, {2, 1}}));
    EXPECT_EQ(s.Configurations()[0].durationNs, 5);
    EXPECT_EQ(s.Configurations()[1].durationNs, 1);
    EXPECT_EQ(s.Configurations()[2].durationNs, 3);
    EXPECT_EQ(s.Configurations()[0].plannedBytes, 14);
    EXPECT_EQ(s.Configurations()[1].plannedBytes, 2);
    EXPECT_EQ(s.Configurations()[2].plannedBytes, 5);
    FluidResult r = EvaluateSchedule(d, s, Fluid(p, ReconfigMode::CHANGED_ONLY));
    EXPECT_EQ(r.makespanNs, 39);
    EXPECT_EQ(r.residualBytes, 0);
    EXPECT_EQ(r.reconfigurations, 3u);
    ExpectSunflowRules(d, s, p);
    // The per-port bound: port 0 sends to 2 peers, 8 bytes: 2 x 10 + 8 = 28; port 2 too
    // (7 bytes: 27); columns: port 1 receives 9 from 2 peers: 29.
    EXPECT_EQ(PerPortLowerBoundNs(d, CircuitModel::UNIDIRECTIONAL, kBytePerNs, 10), 29);
    // Budget K = 2, EPS: the third step's demand is left.
    p.maxMatchings = 2;
    Schedule k2 = Decompose(d, p);
    EXPECT_EQ(k2.NumConfigurations(), 2u);
    EXPECT_EQ(k2.residual, DemandMatrix({{0, 0, 2}, {0, 0, 0}, {0, 3, 0}}));
    EXPECT_EQ(EvaluateSchedule(d, k2, Fluid(p, ReconfigMode::CHANGED_ONLY)).residual, k2.residual);
}

TEST(Sunflow, RulesHoldOnRandomMatrices)
{
    std::mt19937_64 rng(1402);
    for (int rep = 0; rep < 24; ++rep)
    {
        const std::size_t n = 3 + rng() % 14;
        const auto model = rep % 2 ? CircuitModel::DUPLEX : CircuitModel::UNIDIRECTIONAL;
        DemandMatrix d = MoeDemand(rng, n, 0.1 * (rep % 13), 64);
        if (rep % 3 == 0)
        {
            d.Set(0, 1, 0); // a hole
        }
        DecompositionParams p = Params("sunflow", model);
        p.linkRateBps = 400000000000;
        p.reconfigDelayNs = rep % 4 ? 10000 : 1000000;
        SCOPED_TRACE("rep " + std::to_string(rep));
        Schedule s = Decompose(d, p);
        ExpectSunflowRules(d, s, p);
        FluidResult r = EvaluateSchedule(d, s, Fluid(p, ReconfigMode::CHANGED_ONLY));
        EXPECT_EQ(r.residualBytes, 0);
        for (std::size_t k = 0; k < r.configs.size(); ++k)
        {
            EXPECT_EQ(r.configs[k].bytesServed, s.Configurations()[k].plannedBytes);
        }
        EXPECT_GE(r.makespanNs, PerPortLowerBoundNs(d, model, p.linkRateBps, p.reconfigDelayNs));
    }
}

TEST(AutoScheduler, ChoiceIsItsBestCandidateAndMatchesTheEvaluator)
{
    std::mt19937_64 rng(77);
    for (int rep = 0; rep < 12; ++rep)
    {
        const std::size_t n = 4 + rng() % 13;
        DemandMatrix d = MoeDemand(rng, n, 0.1 * (rep % 13), 128);
        DecompositionParams p = Params("auto");
        p.linkRateBps = 400000000000;
        p.reconfigDelayNs = rep % 2 ? 10000 : 1000000;
        p.reconfigMode = rep % 3 ? ReconfigMode::CHANGED_ONLY : ReconfigMode::ALL_STOP;
        p.epsRateBps = rep % 4 ? 0 : 100000000000;
        LayerTimeModel model;
        if (rep % 2)
        {
            // 1 us per launch plus 1 ns per 100 bytes; per-matching overlap.
            model.chunkComputeNs = [](uint32_t, Bytes b) { return b > 0 ? 1000 + b / 100 : 0; };
            model.perMatching = rep % 4 == 1;
        }
        SCOPED_TRACE("rep " + std::to_string(rep));
        AutoResult a = AutoSchedule(d, p, model);
        ASSERT_FALSE(a.candidates.empty());
        Ns best = kNeverNs;
        for (const AutoCandidate& c : a.candidates)
        {
            best = std::min(best, c.predictedNs);
        }
        EXPECT_EQ(a.prediction.layerTimeNs, best);
        EXPECT_EQ(a.k, a.schedule.NumConfigurations());
        FluidParams f = Fluid(p, p.reconfigMode, p.epsRateBps);
        EXPECT_EQ(PredictLayerTime(d, a.schedule, f, model).layerTimeNs, a.prediction.layerTimeNs);
        EXPECT_EQ(EvaluateSchedule(d, a.schedule, f).makespanNs, a.prediction.makespanNs);
        EXPECT_EQ(a.schedule.algorithm, "auto");
        if (!model.chunkComputeNs)
        {
            EXPECT_EQ(a.prediction.layerTimeNs, a.prediction.makespanNs);
        }
        else
        {
            EXPECT_GT(a.prediction.computeEndNs, 0);
        }
    }
}

TEST(AutoScheduler, NeverWorseThanSunflowOrFixedKGreedy)
{
    std::mt19937_64 rng(2016);
    for (int rep = 0; rep < 16; ++rep)
    {
        const std::size_t n = 4 + rng() % 21;
        DemandMatrix d = MoeDemand(rng, n, 0.15 * (rep % 9), 256);
        DecompositionParams p = Params("auto");
        p.linkRateBps = 400000000000;
        p.reconfigDelayNs = rep % 2 ? 10000 : 1000000;
        p.reconfigMode = ReconfigMode::CHANGED_ONLY;
        p.epsRateBps = rep % 4 < 2 ? 0 : 100000000000;
        const FluidParams f = Fluid(p, ReconfigMode::CHANGED_ONLY, p.epsRateBps);
        SCOPED_TRACE("rep " + std::to_string(rep));
        // Under auto's own model (the residual enters the electrical fabric after its pair's
        // last circuit).
        auto predict = [&d, &f](const Schedule& s) { return PredictLayerTime(d, s, f); };
        const Ns mine = predict(Decompose(d, p)).makespanNs;
        DecompositionParams q = p;
        q.algorithm = "sunflow";
        EXPECT_LE(mine, predict(Decompose(d, q)).makespanNs);
        q.algorithm = "greedy";
        for (auto policy :
             {DurationPolicy::WHOLE_PAIR, DurationPolicy::MIN_ENTRY, DurationPolicy::DELTA_AWARE})
        {
            q.durationPolicy = policy;
            for (std::size_t k : {0, 1, 2, 3, 5, 8, 13})
            {
                q.maxMatchings = k;
                const LayerPrediction g = predict(Decompose(d, q));
                if (!g.fluid.epsUnavailable)
                {
                    EXPECT_LE(mine, g.makespanNs) << ToString(policy) << " K=" << k;
                }
            }
        }
    }
}

TEST(AutoScheduler, CriticalPathOrderFeedsTheSlowestGpuFirst)
{
    // Port 0 sends 100 bytes to port 1 and 100 to port 2: two configurations of 10 + 100 ns
    // (1 byte/ns, delta 10), ending at 110 and 220. Port 2's batch takes 1000 ns, port 1's
    // 10 ns. Per-matching overlap: 0->2 first gives max(110 + 1000, 220 + 10) = 1110;
    // 0->1 first gives 220 + 1000 = 1220.
    DemandMatrix d({{0, 100, 100}, {0, 0, 0}, {0, 0, 0}});
    DecompositionParams p = Params("auto");
    LayerTimeModel model;
    model.perMatching = true;
    model.chunkComputeNs = [](uint32_t g, Bytes b) -> Ns {
        return b == 0 ? 0 : (g == 2 ? 1000 : 10);
    };
    const FluidParams f = Fluid(p, ReconfigMode::ALL_STOP);
    Schedule wrong(3, CircuitModel::UNIDIRECTIONAL);
    wrong.Append({{{0, 1}}, 100, 100});
    wrong.Append({{{0, 2}}, 100, 100});
    wrong.residual = DemandMatrix(3);
    EXPECT_EQ(PredictLayerTime(d, wrong, f, model).layerTimeNs, 1220);
    AutoResult a = AutoSchedule(d, p, model);
    EXPECT_EQ(a.prediction.makespanNs, 220);
    EXPECT_EQ(a.prediction.layerTimeNs, 1110);
    ASSERT_EQ(a.schedule.NumConfigurations(), 2u);
    EXPECT_EQ(a.schedule.Configurations()[0].circuits, (std::vector<Circuit>{{0, 2}}));
    // No overlap: port 2 computes once everything for it is there.
    model.perMatching = false;
    EXPECT_EQ(AutoSchedule(d, p, model).prediction.layerTimeNs, 1110);
    EXPECT_EQ(PredictLayerTime(d, wrong, f, model).layerTimeNs, 1220);
    // Without compute, the prediction is the makespan.
    EXPECT_EQ(AutoSchedule(d, p).prediction.layerTimeNs, 220);
}

TEST(AutoScheduler, ResidualEntersTheElectricalFabricAfterItsPairsLastCircuit)
{
    // 1 byte/ns circuits and electrical ports, delta 10. Pair 0->1 (1000 bytes) gets one
    // configuration of 400 ns (10..410): 600 bytes are left. Pair 0->2 (300 bytes) has no
    // circuit: it enters the fabric at 0. Port 0 sends 300 bytes from 0 and 600 from 410:
    // done at 410 + 600 = 1010 (the fluid evaluator, from 0: 900).
    DemandMatrix d({{0, 1000, 300}, {0, 0, 0}, {0, 0, 0}});
    const FluidParams f = Fluid(Params("auto"), ReconfigMode::ALL_STOP, kBytePerNs);
    Schedule s(3, CircuitModel::UNIDIRECTIONAL);
    s.Append({{{0, 1}}, 400, 400});
    s.residual = DemandMatrix({{0, 600, 300}, {0, 0, 0}, {0, 0, 0}});
    LayerTimeModel model;
    LayerPrediction p = PredictLayerTime(d, s, f, model);
    EXPECT_EQ(p.fluid.makespanNs, 900);
    EXPECT_EQ(p.makespanNs, 1010);
    EXPECT_EQ(p.layerTimeNs, 1010);
    EXPECT_EQ(p.firstByteNs, 0); // 0->2 leaves at once
    // GPU 1 computes its 1000 bytes once its residual is there (1 ns per byte).
    model.chunkComputeNs = [](uint32_t, Bytes b) -> Ns { return b; };
    EXPECT_EQ(PredictLayerTime(d, s, f, model).computeEndNs, 1010 + 1000);
    model.residualAfterLastCircuit = false;
    model.chunkComputeNs = nullptr;
    EXPECT_EQ(PredictLayerTime(d, s, f, model).makespanNs, 900);
    // Every pair with a circuit: the first byte leaves when the first circuit lights up.
    DemandMatrix one({{0, 1000, 0}, {0, 0, 0}, {0, 0, 0}});
    Schedule t(3, CircuitModel::UNIDIRECTIONAL);
    t.Append({{{0, 1}}, 400, 400});
    t.residual = DemandMatrix({{0, 600, 0}, {0, 0, 0}, {0, 0, 0}});
    EXPECT_EQ(PredictLayerTime(one, t, f).firstByteNs, 10);
    EXPECT_EQ(PredictLayerTime(one, t, f).makespanNs, 1010);
}

TEST(AutoScheduler, RejectsBadInput)
{
    DecompositionParams p = Params("auto");
    p.epsRateBps = -1;
    EXPECT_NE(tests::ErrorOf([&] {
                  AutoSchedule(DemandMatrix({{0, 1}, {1, 0}}), p);
              }).find("epsRateBps"),
              std::string::npos);
    EXPECT_NE(tests::ErrorOf([] {
                  PerPortLowerBoundNs(DemandMatrix(2), CircuitModel::DUPLEX, 0, 0);
              }).find("linkRateBps"),
              std::string::npos);
}
