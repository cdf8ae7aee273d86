/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// ScheduleTimeline: hand-worked step times, kept circuits, teardowns and next-lit times in
// both reconfiguration modes, loops, a start from lit circuits, and its agreement with the
// fluid evaluator on random schedules.

#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-schedule-timeline.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <vector>

using namespace ns3::pmoe;

namespace
{

Configuration
Config(std::vector<Circuit> circuits, Ns duration)
{
    Configuration c;
    c.circuits = std::move(circuits);
    c.durationNs = duration;
    return c;
}

/// c0 {0->1, 1->2, 2->0} 100 ns; c1 {0->1, 1->0} 50 ns (keeps 0->1); c2 = c1 40 ns; c3 {1->2}
/// 30 ns.
Schedule
KeptSchedule()
{
    Schedule s(3, CircuitModel::UNIDIRECTIONAL);
    s.Append(Config({{0, 1}, {1, 2}, {2, 0}}, 100));
    s.Append(Config({{0, 1}, {1, 0}}, 50));
    s.Append(Config({{0, 1}, {1, 0}}, 40));
    s.Append(Config({{1, 2}}, 30));
    return s;
}

} // namespace

TEST(ScheduleTimeline, AllStopSpendsDeltaBeforeEveryStep)
{
    const ScheduleTimeline t(KeptSchedule(), 10, ReconfigMode::ALL_STOP, 1000);
    ASSERT_EQ(t.Steps(), 4u);
    const Ns start[] = {1000, 1110, 1170, 1220};
    for (std::size_t k = 0; k < 4; ++k)
    {
        EXPECT_EQ(t.Step(k).startNs, start[k]) << k;
        EXPECT_TRUE(t.Step(k).reconfigures) << k;
        EXPECT_EQ(t.Step(k).litStartNs, start[k] + 10) << k;
        EXPECT_FALSE(t.IsKept(k, 0)) << k;
    }
    EXPECT_EQ(t.EndNs(), 1260);
    EXPECT_EQ(t.Reconfigurations(), 4u);
    // Every circuit is torn down at the end of its step.
    EXPECT_EQ(t.TeardownNs(1, 0), 1170);
    EXPECT_EQ(t.CircuitLitFromNs(1, 0), 1120);
    // 0->1 lights again in step 1 and step 2.
    EXPECT_EQ(t.NextLitNs(0, 0, 1), 1120);
    EXPECT_EQ(t.NextLitNs(1, 0, 1), 1180);
    EXPECT_EQ(t.NextLitNs(2, 0, 1), kNeverNs);
    EXPECT_EQ(t.NextLitNs(0, 0, 1, 1110), kNeverNs); // step 1 begins at the limit
    EXPECT_EQ(t.FirstLitNs(1, 2), 1010);
}

TEST(ScheduleTimeline, ChangedOnlyKeepsCircuitsAndSkipsRepeats)
{
    const ScheduleTimeline t(KeptSchedule(), 10, ReconfigMode::CHANGED_ONLY, 0);
    // Step 1 changes (1->0 is new), step 2 repeats step 1 (no delta), step 3 changes.
    EXPECT_EQ(t.Step(0).startNs, 0);
    EXPECT_EQ(t.Step(0).litStartNs, 10);
    EXPECT_EQ(t.Step(1).startNs, 110);
    EXPECT_TRUE(t.Step(1).reconfigures);
    EXPECT_EQ(t.Step(1).litStartNs, 120);
    EXPECT_EQ(t.Step(2).startNs, 170);
    EXPECT_FALSE(t.Step(2).reconfigures);
    EXPECT_EQ(t.Step(2).litStartNs, 170);
    EXPECT_EQ(t.Step(2).endNs, 210);
    EXPECT_EQ(t.Step(3).startNs, 210);
    EXPECT_EQ(t.Step(3).litStartNs, 220);
    EXPECT_EQ(t.EndNs(), 250);
    EXPECT_EQ(t.Reconfigurations(), 3u);
    // 0->1 is kept through step 1's reconfiguration: it carries light from the step start.
    EXPECT_TRUE(t.IsKept(1, 0));
    EXPECT_EQ(t.CircuitLitFromNs(1, 0), 110);
    EXPECT_FALSE(t.IsKept(1, 1));
    EXPECT_EQ(t.CircuitLitFromNs(1, 1), 120);
    // ... and lasts until step 3 changes it; 1->0 lasts through the repeat.
    EXPECT_EQ(t.TeardownNs(0, 0), 210);
    EXPECT_EQ(t.TeardownNs(1, 1), 210);
    EXPECT_EQ(t.TeardownNs(0, 1), 110);
    // A kept circuit is not a new one: after step 0, 0->1 never lights anew.
    EXPECT_EQ(t.NextLitNs(0, 0, 1), kNeverNs);
    // 1->2 lights anew in step 3 (after 1->0).
    EXPECT_EQ(t.NextLitNs(0, 1, 2), 220);
    EXPECT_EQ(t.Peer(3, 1), 2);
    EXPECT_EQ(t.Peer(3, 0), -1);
}

TEST(ScheduleTimeline, StartFromLitCircuits)
{
    // The switch still holds {0->1, 1->2, 2->0} when the schedule starts: step 0 repeats it.
    const ScheduleTimeline t(KeptSchedule(), 10, ReconfigMode::CHANGED_ONLY, 0, false, {1, 2, 0});
    EXPECT_FALSE(t.Step(0).reconfigures);
    EXPECT_EQ(t.Step(0).litStartNs, 0);
    EXPECT_TRUE(t.IsKept(0, 2));
    EXPECT_EQ(t.FirstLitNs(2, 0), kNeverNs); // lit before the start, not anew
    EXPECT_THROW(ScheduleTimeline(KeptSchedule(), 10, ReconfigMode::CHANGED_ONLY, 0, false, {1}),
                 InputError);
}

TEST(ScheduleTimeline, LoopWrapsAroundWithSteadyCycles)
{
    // Rotor on 3 ports: c0 {0->1, 1->2, 2->0}, c1 {0->2, 1->0, 2->1}, 100 ns each, delta 10.
    Schedule s(3, CircuitModel::UNIDIRECTIONAL);
    s.Append(Config({{0, 1}, {1, 2}, {2, 0}}, 100));
    s.Append(Config({{0, 2}, {1, 0}, {2, 1}}, 100));
    const ScheduleTimeline t(s, 10, ReconfigMode::CHANGED_ONLY, 0, true);
    EXPECT_EQ(t.Steps(), std::numeric_limits<std::size_t>::max());
    EXPECT_EQ(t.EndNs(), kNeverNs);
    EXPECT_EQ(t.Step(2).config, 0u);
    EXPECT_EQ(t.Step(2).startNs, 220);
    EXPECT_EQ(t.Step(5).startNs, 550);
    EXPECT_EQ(t.NextLitNs(1, 0, 1), 230);
    EXPECT_EQ(t.NextLitNs(4, 0, 2), 560);
    // One configuration looped in changed-only mode: lit forever after the first delta.
    Schedule one(2, CircuitModel::UNIDIRECTIONAL);
    one.Append(Config({{0, 1}}, 100));
    const ScheduleTimeline held(one, 10, ReconfigMode::CHANGED_ONLY, 0, true);
    EXPECT_FALSE(held.Step(1).reconfigures);
    EXPECT_EQ(held.Step(1).startNs, 110);
    EXPECT_EQ(held.TeardownNs(0, 0), kNeverNs);
    // ... but a zero-length loop never advances.
    Schedule zero(2, CircuitModel::UNIDIRECTIONAL);
    zero.Append(Config({{0, 1}}, 0));
    EXPECT_THROW(ScheduleTimeline(zero, 0, ReconfigMode::ALL_STOP, 0, true), InputError);
}

TEST(ScheduleTimeline, DuplexCircuitsServeBothEnds)
{
    Schedule s(4, CircuitModel::DUPLEX);
    s.Append(Config({{0, 3}, {1, 2}}, 100));
    s.Append(Config({{0, 3}}, 50));
    const ScheduleTimeline t(s, 10, ReconfigMode::CHANGED_ONLY);
    EXPECT_EQ(t.Peer(0, 3), 0);
    EXPECT_EQ(t.Peer(0, 2), 1);
    EXPECT_TRUE(t.IsKept(1, 3));
    EXPECT_EQ(t.CircuitLitFromNs(1, 3), 110);
    EXPECT_EQ(t.TeardownNs(0, 2), 110);
    EXPECT_THROW(ScheduleTimeline(s, -1, ReconfigMode::ALL_STOP), InputError);
}

TEST(ScheduleTimeline, AgreesWithTheFluidEvaluatorOnRandomSchedules)
{
    // The evaluator's configuration times and kept-circuit capacities come from the
    // timeline; check them against an independent walk of the rule on random schedules.
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 200; ++trial)
    {
        const std::size_t n = 2 + rng() % 6;
        const Ns delta = static_cast<Ns>(rng() % 50);
        const ReconfigMode mode = rng() % 2 ? ReconfigMode::ALL_STOP : ReconfigMode::CHANGED_ONLY;
        Schedule s(n, CircuitModel::UNIDIRECTIONAL);
        std::vector<uint32_t> perm(n);
        for (uint32_t i = 0; i < n; ++i)
        {
            perm[i] = i;
        }
        const std::size_t configs = 1 + rng() % 6;
        for (std::size_t k = 0; k < configs; ++k)
        {
            if (rng() % 3 != 0) // sometimes repeat the previous permutation
            {
                std::shuffle(perm.begin(), perm.end(), rng);
            }
            std::vector<Circuit> c;
            for (uint32_t i = 0; i < n; ++i)
            {
                if (perm[i] != i && rng() % 4 != 0)
                {
                    c.push_back({i, perm[i]});
                }
            }
            s.Append(Config(c, static_cast<Ns>(1 + rng() % 100)));
        }
        const ScheduleTimeline t(s, delta, mode);
        // Independent walk.
        Ns clock = 0;
        const std::vector<Circuit>* prev = nullptr;
        for (std::size_t k = 0; k < configs; ++k)
        {
            const auto& c = s.Configurations()[k];
            const bool changed = mode == ReconfigMode::ALL_STOP ||
                                 (prev ? c.circuits != *prev : !c.circuits.empty());
            EXPECT_EQ(t.Step(k).startNs, clock);
            EXPECT_EQ(t.Step(k).reconfigures, changed);
            clock += (changed ? delta : 0) + c.durationNs;
            EXPECT_EQ(t.Step(k).endNs, clock);
            for (const Circuit& x : c.circuits)
            {
                const bool kept = mode == ReconfigMode::CHANGED_ONLY && prev &&
                                  std::binary_search(prev->begin(), prev->end(), x);
                EXPECT_EQ(t.IsKept(k, x.src), kept);
                EXPECT_EQ(t.CircuitLitFromNs(k, x.src),
                          kept ? t.Step(k).startNs : t.Step(k).litStartNs);
            }
            prev = &c.circuits;
        }
        EXPECT_EQ(t.EndNs(), clock);
        FluidParams fp;
        fp.reconfigDelayNs = delta;
        fp.linkRateBps = 8000000000;
        fp.mode = mode;
        const FluidResult f = EvaluateSchedule(DemandMatrix(n), s, fp);
        EXPECT_EQ(f.circuitMakespanNs, clock);
        EXPECT_EQ(f.reconfigurations, t.Reconfigurations());
    }
}
