/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Fluid evaluator: hand-worked timelines (all-stop and changed-only), bubbles, the electrical
// fabric, relays, bounds, validation, and seeded properties.

#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"

#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

using namespace ns3::pmoe;

namespace
{

const Bps kBytePerNs = 8000000000; // one byte per ns

FluidParams
Fluid(Ns delta, ReconfigMode mode = ReconfigMode::ALL_STOP, Bps eps = 0)
{
    FluidParams f;
    f.reconfigDelayNs = delta;
    f.linkRateBps = kBytePerNs;
    f.mode = mode;
    f.epsRateBps = eps;
    return f;
}

Configuration
Config(std::vector<Circuit> circuits, Ns duration, Bytes planned = 0)
{
    Configuration c;
    c.circuits = std::move(circuits);
    c.durationNs = duration;
    c.plannedBytes = planned;
    return c;
}

/// Three configurations: {0->1} 100 ns, {0->1} 50 ns (unchanged), {0->1, 1->0} 50 ns.
Schedule
RepeatedSchedule()
{
    Schedule s(2, CircuitModel::UNIDIRECTIONAL);
    s.Append(Config({{0, 1}}, 100));
    s.Append(Config({{0, 1}}, 50));
    s.Append(Config({{0, 1}, {1, 0}}, 50));
    return s;
}

} // namespace

TEST(FluidEvaluator, ModeNames)
{
    EXPECT_EQ(ToString(ReconfigMode::ALL_STOP), "all-stop");
    EXPECT_EQ(ToString(ReconfigMode::CHANGED_ONLY), "changed-only");
    EXPECT_EQ(FromString<ReconfigMode>("changed-only"), ReconfigMode::CHANGED_ONLY);
    EXPECT_EQ(FromString<ReconfigMode>("all-stop"), ReconfigMode::ALL_STOP);
    EXPECT_THROW(FromString<ReconfigMode>("partial"), InputError);
}

TEST(FluidEvaluator, AllStopTimeline)
{
    // D: 0->1 150, 1->0 40; delta 10.
    // c0: 10..110 serves 100; c1: 120..170 serves 50; c2: 180..230, 0->1 idle (bubble 50),
    // 1->0 serves 40 (bubble 10).
    DemandMatrix d({{0, 150}, {40, 0}});
    FluidResult r = EvaluateSchedule(d, RepeatedSchedule(), Fluid(10));
    ASSERT_EQ(r.configs.size(), 3u);
    EXPECT_EQ(r.configs[0].startNs, 10);
    EXPECT_EQ(r.configs[0].endNs, 110);
    EXPECT_EQ(r.configs[1].startNs, 120);
    EXPECT_EQ(r.configs[1].endNs, 170);
    EXPECT_EQ(r.configs[2].startNs, 180);
    EXPECT_EQ(r.configs[2].endNs, 230);
    EXPECT_EQ(r.configs[0].bytesServed, 100);
    EXPECT_EQ(r.configs[1].bytesServed, 50);
    EXPECT_EQ(r.configs[2].bytesServed, 40);
    EXPECT_EQ(r.configs[2].capacityBytes, 100);
    EXPECT_EQ(r.configs[2].bubbleNs, 60);
    EXPECT_EQ(r.makespanNs, 230);
    EXPECT_EQ(r.circuitMakespanNs, 230);
    EXPECT_EQ(r.reconfigurations, 3u);
    EXPECT_EQ(r.reconfigTimeNs, 30);
    EXPECT_EQ(r.bubbleNs, 60);
    EXPECT_DOUBLE_EQ(r.bubbleFraction, 60.0 / 250.0); // lit: 100 + 50 + 2 x 50
    EXPECT_DOUBLE_EQ(r.utilisation, 190.0 / 250.0);
    EXPECT_EQ(r.bytesServed, 190);
    EXPECT_EQ(r.residualBytes, 0);
    EXPECT_FALSE(r.epsUnavailable);
    EXPECT_EQ(r.lastByteNs, 220); // 1->0's 40 bytes from 180
}

// Circuits carry bytes as soon as they are lit: when the demand is through before the schedule
// ends, the last byte comes before the makespan.
TEST(FluidEvaluator, LastByteBeforeIdleConfigurations)
{
    DemandMatrix d({{0, 100}, {0, 0}});
    FluidResult r = EvaluateSchedule(d, RepeatedSchedule(), Fluid(10));
    EXPECT_EQ(r.makespanNs, 230);
    EXPECT_EQ(r.lastByteNs, 110);
}

TEST(FluidEvaluator, ChangedOnlyTimeline)
{
    // c0: delta, 10..110. c1 unchanged: no delta, 110..160. c2 changed: delta (160..170);
    // 0->1 is kept and stays lit 160..220 (60 ns, nothing to send), 1->0 lights 170..220.
    DemandMatrix d({{0, 150}, {40, 0}});
    FluidResult r = EvaluateSchedule(d, RepeatedSchedule(), Fluid(10, ReconfigMode::CHANGED_ONLY));
    ASSERT_EQ(r.configs.size(), 3u);
    EXPECT_EQ(r.configs[1].startNs, 110);
    EXPECT_EQ(r.configs[1].endNs, 160);
    EXPECT_EQ(r.configs[2].startNs, 170);
    EXPECT_EQ(r.configs[2].endNs, 220);
    EXPECT_EQ(r.makespanNs, 220);
    EXPECT_EQ(r.reconfigurations, 2u);
    EXPECT_EQ(r.reconfigTimeNs, 20);
    EXPECT_EQ(r.configs[2].capacityBytes, 110);
    EXPECT_EQ(r.configs[2].bubbleNs, 70);
    EXPECT_EQ(r.bubbleNs, 70);
    EXPECT_EQ(r.bytesServed, 190);
}

TEST(FluidEvaluator, KeptCircuitCarriesTrafficThroughDelta)
{
    // 0->1 needs 120: 100 in c0, then c1 = {0->1, 1->0} (changed) keeps 0->1 lit through
    // delta = 10, so 0->1 gets 10 + 15 = 25 ns: enough for the last 20 bytes.
    DemandMatrix d({{0, 120}, {15, 0}});
    Schedule s(2, CircuitModel::UNIDIRECTIONAL);
    s.Append(Config({{0, 1}}, 100));
    s.Append(Config({{0, 1}, {1, 0}}, 15));
    FluidResult stop = EvaluateSchedule(d, s, Fluid(10));
    EXPECT_EQ(stop.residualBytes, 5);
    EXPECT_TRUE(stop.epsUnavailable);
    EXPECT_EQ(stop.makespanNs, stop.circuitMakespanNs); // documented: no EPS, circuits only
    FluidResult kept = EvaluateSchedule(d, s, Fluid(10, ReconfigMode::CHANGED_ONLY));
    EXPECT_EQ(kept.residualBytes, 0);
    EXPECT_EQ(kept.bytesServed, 135);
    EXPECT_FALSE(kept.epsUnavailable);
}

TEST(FluidEvaluator, GreedyThreePortsByHand)
{
    // Greedy (see decomposition-test): {0->1, 1->2, 2->0} for 6 ns, then {0->2, 1->0, 2->1}
    // for 3 ns. Makespan 10 + 6 + 10 + 3 = 29; bubbles (0+1+2) + (1+2+0) = 6.
    DemandMatrix d({{0, 6, 2}, {1, 0, 5}, {4, 3, 0}});
    DecompositionParams p;
    p.linkRateBps = kBytePerNs;
    Schedule s = Decompose(d, p);
    FluidResult r = EvaluateSchedule(d, s, Fluid(10));
    EXPECT_EQ(r.makespanNs, 29);
    EXPECT_EQ(r.bubbleNs, 6);
    EXPECT_DOUBLE_EQ(r.bubbleFraction, 6.0 / 27.0);
    EXPECT_DOUBLE_EQ(r.utilisation, 21.0 / 27.0);
    EXPECT_EQ(r.lowerBoundNs, 9);          // rho = column 1: 6 + 3
    EXPECT_EQ(r.lowerBoundReconfigNs, 29); // + Delta (2) x delta
    EXPECT_EQ(r.reconfigurations, 2u);
}

TEST(FluidEvaluator, DuplexCircuitServesBothDirections)
{
    DemandMatrix d({{0, 100}, {50, 0}});
    Schedule s(2, CircuitModel::DUPLEX);
    s.Append(Config({{0, 1}}, 100));
    FluidResult r = EvaluateSchedule(d, s, Fluid(10));
    EXPECT_EQ(r.bytesServed, 150);
    EXPECT_EQ(r.makespanNs, 110);
    EXPECT_EQ(r.configs[0].capacityBytes, 200); // both directions count
    EXPECT_EQ(r.bubbleNs, 0);                   // the busier direction fills the circuit
    EXPECT_DOUBLE_EQ(r.utilisation, 0.75);
    Schedule uni(2, CircuitModel::UNIDIRECTIONAL);
    uni.Append(Config({{0, 1}}, 100));
    FluidResult ru = EvaluateSchedule(d, uni, Fluid(10));
    EXPECT_EQ(ru.bytesServed, 100);
    EXPECT_EQ(ru.residual.At(1, 0), 50);
}

TEST(FluidEvaluator, ElectricalFabricRunsInParallel)
{
    // Residual: 1->0 40 bytes and 1->2 30: port 1 sends 70 over a 0.1 byte/ns fabric.
    DemandMatrix d({{0, 150, 0}, {40, 0, 30}, {0, 0, 0}});
    Schedule s(3, CircuitModel::UNIDIRECTIONAL);
    s.Append(Config({{0, 1}}, 150));
    FluidResult r = EvaluateSchedule(d, s, Fluid(10, ReconfigMode::ALL_STOP, 800000000));
    EXPECT_EQ(r.circuitMakespanNs, 160);
    EXPECT_EQ(r.residualBytes, 70);
    EXPECT_EQ(r.epsTimeNs, 700);
    EXPECT_EQ(r.makespanNs, 700);
    EXPECT_FALSE(r.epsUnavailable);
    FluidResult fast = EvaluateSchedule(d, s, Fluid(10, ReconfigMode::ALL_STOP, 80000000000));
    EXPECT_EQ(fast.epsTimeNs, 7);
    EXPECT_EQ(fast.makespanNs, 160);
}

TEST(FluidEvaluator, RelayHopsAndStrandedBytes)
{
    // 0->2 (25 bytes) relayed through 1: 0->1 in c0, 1->2 in c1.
    DemandMatrix d({{0, 0, 25}, {0, 0, 0}, {0, 0, 0}});
    Schedule s(3, CircuitModel::UNIDIRECTIONAL);
    s.Append(Config({{0, 1}}, 20));
    s.Append(Config({{1, 2}}, 10));
    s.relays.push_back({0, 1, 2, 20, 0, 1});
    FluidResult r = EvaluateSchedule(d, s, Fluid(10));
    // First hop carries 20, second hop only 10 (capacity): 10 delivered, 10 stranded at 1.
    EXPECT_EQ(r.relayedBytes, 10);
    EXPECT_EQ(r.bytesServed, 10);
    EXPECT_EQ(r.residualBytes, 15);
    EXPECT_EQ(r.residual.At(0, 2), 15);
    EXPECT_EQ(r.configs[0].bytesServed, 20);
    EXPECT_EQ(r.configs[1].bytesServed, 10);
    EXPECT_EQ(r.bytesServed + r.residualBytes, d.Total());

    Schedule bad = s;
    bad.relays[0].secondConfig = 0;
    EXPECT_THROW(EvaluateSchedule(d, bad, Fluid(10)), InputError);
    bad = s;
    bad.relays[0].via = 2;
    EXPECT_THROW(EvaluateSchedule(d, bad, Fluid(10)), InputError);
    bad = s;
    bad.relays[0].dst = 0; // 1->0 is not in c1
    bad.relays[0].src = 2;
    EXPECT_THROW(EvaluateSchedule(d, bad, Fluid(10)), InputError);
}

TEST(FluidEvaluator, RejectsBadInput)
{
    DemandMatrix d({{0, 1}, {1, 0}});
    Schedule s(3, CircuitModel::UNIDIRECTIONAL);
    EXPECT_THROW(EvaluateSchedule(d, s, Fluid(10)), InputError);
    Schedule ok(2, CircuitModel::UNIDIRECTIONAL);
    auto f = Fluid(10);
    f.linkRateBps = 0;
    EXPECT_THROW(EvaluateSchedule(d, ok, f), InputError);
    f = Fluid(-1);
    EXPECT_THROW(EvaluateSchedule(d, ok, f), InputError);
    f = Fluid(10);
    f.epsRateBps = -1;
    EXPECT_THROW(EvaluateSchedule(d, ok, f), InputError);
    ok.MutableConfigurations().push_back(Config({{0, 1}, {1, 1}}, 5)); // self loop
    EXPECT_THROW(EvaluateSchedule(d, ok, Fluid(10)), InputError);
    EXPECT_THROW(LoadLowerBoundNs(d, 0), InputError);
    EXPECT_EQ(LoadLowerBoundNs(d, kBytePerNs), 1);
}

TEST(FluidEvaluator, EmptyScheduleLeavesEverythingResidual)
{
    DemandMatrix d({{0, 7, 1}, {0, 0, 2}, {3, 0, 0}});
    FluidResult r = EvaluateSchedule(d, Schedule(3, CircuitModel::UNIDIRECTIONAL), Fluid(10));
    EXPECT_EQ(r.circuitMakespanNs, 0);
    EXPECT_EQ(r.residualBytes, 13);
    EXPECT_EQ(r.residual, d);
    EXPECT_TRUE(r.epsUnavailable);
    EXPECT_EQ(r.reconfigurations, 0u);
    EXPECT_DOUBLE_EQ(r.utilisation, 0.0);
}

TEST(FluidEvaluatorProperty, ConservationAndModes)
{
    std::mt19937_64 rng(424242);
    std::uniform_int_distribution<Bytes> bytes(1, 2000000);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const char* algos[] = {"greedy", "bvn", "solstice", "eclipse", "rotor", "static"};
    for (int rep = 0; rep < 60; ++rep)
    {
        std::size_t n = 2 + rng() % 23;
        double density = 0.2 + 0.8 * u(rng);
        DemandMatrix d(n);
        for (std::size_t i = 0; i < n; ++i)
        {
            for (std::size_t j = 0; j < n; ++j)
            {
                if (i != j && u(rng) < density)
                {
                    d.Set(i, j, bytes(rng));
                }
            }
        }
        DecompositionParams p;
        p.algorithm = algos[rep % 6];
        p.model = rep % 2 ? CircuitModel::DUPLEX : CircuitModel::UNIDIRECTIONAL;
        p.maxMatchings = rng() % 4;
        p.residualPolicy = static_cast<ResidualPolicy>(rng() % 3);
        p.reconfigDelayNs = static_cast<Ns>(rng() % 20000);
        SCOPED_TRACE(p.algorithm + " n=" + std::to_string(n) + " " + ToString(p.model) + " " +
                     ToString(p.residualPolicy) + " K=" + std::to_string(p.maxMatchings));
        Schedule s = Decompose(d, p);
        FluidParams f;
        f.linkRateBps = p.linkRateBps;
        f.reconfigDelayNs = p.reconfigDelayNs;
        f.epsRateBps = 100000000000;
        FluidResult stop = EvaluateSchedule(d, s, f);
        f.mode = ReconfigMode::CHANGED_ONLY;
        FluidResult kept = EvaluateSchedule(d, s, f);
        for (const FluidResult* r : {&stop, &kept})
        {
            EXPECT_EQ(r->bytesServed + r->residualBytes, d.Total());
            EXPECT_EQ(r->residual.Total(), r->residualBytes);
            EXPECT_GE(r->bubbleNs, 0);
            EXPECT_GE(r->bubbleFraction, 0.0);
            EXPECT_LE(r->bubbleFraction, 1.0);
            EXPECT_LE(r->utilisation, 1.0 + 1e-12);
            EXPECT_EQ(r->makespanNs, std::max(r->circuitMakespanNs, r->epsTimeNs));
            EXPECT_EQ(r->lowerBoundNs, LoadLowerBoundNs(d, p.linkRateBps));
            EXPECT_GE(r->lowerBoundReconfigNs, r->lowerBoundNs);
            for (const ConfigurationResult& c : r->configs)
            {
                EXPECT_LE(c.bytesServed, c.capacityBytes);
                EXPECT_LE(c.startNs, c.endNs);
            }
            // With no residual everything crossed the circuits: the load bound holds.
            if (r->residualBytes == 0)
            {
                EXPECT_GE(r->circuitMakespanNs, r->lowerBoundNs);
            }
            // Residual on the fabric in parallel: port load / (circuit + fabric rate).
            Ns combined = TransmissionTimeNs(d.MaxLineSum(), p.linkRateBps + f.epsRateBps);
            EXPECT_GE(r->makespanNs + 1, combined);
        }
        // All-stop reproduces the plan; changed-only never does worse.
        EXPECT_EQ(stop.residual, s.residual);
        EXPECT_EQ(stop.reconfigurations, s.NumConfigurations());
        EXPECT_EQ(stop.reconfigTimeNs, static_cast<Ns>(s.NumConfigurations()) * p.reconfigDelayNs);
        EXPECT_LE(kept.circuitMakespanNs, stop.circuitMakespanNs);
        EXPECT_LE(kept.reconfigurations, stop.reconfigurations);
        EXPECT_GE(kept.bytesServed, stop.bytesServed);
    }
}
