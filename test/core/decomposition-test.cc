/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Decompositions: hand-worked schedules, stuffing and Birkhoff checks, and seeded property
// tests over every algorithm x circuit model x residual policy.

#include "pmoe-test-util.h"

#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace ns3::pmoe;
using ns3::pmoe::tests::ErrorOf;

namespace
{

const Bps kBytePerNs = 8000000000; // 8 Gb/s: one byte per ns, for hand-worked numbers

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

std::vector<Circuit>
Circuits(std::initializer_list<std::pair<uint32_t, uint32_t>> l)
{
    std::vector<Circuit> c;
    for (auto [s, d] : l)
    {
        c.push_back({s, d});
    }
    std::sort(c.begin(), c.end());
    return c;
}

/// Random demand of several shapes (seeded).
DemandMatrix
RandomDemand(std::mt19937_64& rng, std::size_t n, int kind)
{
    DemandMatrix d(n);
    std::uniform_int_distribution<Bytes> big(1, 1000000);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> pop(n);
    std::vector<std::size_t> rank(n);
    for (std::size_t j = 0; j < n; ++j)
    {
        rank[j] = j;
    }
    std::shuffle(rank.begin(), rank.end(), rng);
    for (std::size_t j = 0; j < n; ++j)
    {
        pop[j] = 1.0 / std::pow(static_cast<double>(rank[j] + 1), 1.2);
    }
    std::size_t idle = n > 2 ? rng() % n : n;
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            if (i == j)
            {
                continue;
            }
            Bytes v = 0;
            switch (kind)
            {
            case 0: // dense
                v = big(rng);
                break;
            case 1: // sparse
                v = u(rng) < 0.25 ? big(rng) : 0;
                break;
            case 2: // skewed (Zipf popularity of destinations), MoE-like: tokens x 7 KiB
                v = static_cast<Bytes>(std::llround(pop[j] * (0.5 + u(rng)) * 512)) * 7168;
                break;
            case 3: // sparse with an idle port
                v = (i != idle && j != idle && u(rng) < 0.4) ? big(rng) : 0;
                break;
            default: // tiny integers, many ties
                v = static_cast<Bytes>(rng() % 4);
                break;
            }
            d.Set(i, j, v);
        }
    }
    return d;
}

/// Bytes relayed per pair.
DemandMatrix
RelayedPerPair(const Schedule& s)
{
    DemandMatrix r(s.Ports());
    for (const RelayFlow& f : s.relays)
    {
        r.Add(f.src, f.dst, f.bytes);
    }
    return r;
}

/**
 * The invariant every decomposition keeps: per pair, planned direct + relayed + residual ==
 * demand; per configuration, plannedBytes == direct + relay hops it carries; relay hops use
 * circuits that exist, in order, within capacity.
 */
void
ExpectConservation(const DemandMatrix& d, const Schedule& s, Bps rate)
{
    ASSERT_NO_THROW(s.Validate());
    ASSERT_EQ(s.Ports(), d.Size());
    ASSERT_EQ(s.residual.Size(), d.Size());
    std::vector<DemandMatrix> planned = PlannedService(d, s, rate);
    ASSERT_EQ(planned.size(), s.NumConfigurations());
    DemandMatrix relayed = RelayedPerPair(s);
    const std::size_t n = d.Size();
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            Bytes direct = 0;
            for (const auto& m : planned)
            {
                direct += m.At(i, j);
            }
            ASSERT_EQ(direct + relayed.At(i, j) + s.residual.At(i, j), d.At(i, j))
                << "pair (" << i << ", " << j << ") of " << s.algorithm;
        }
    }
    const auto& configs = s.Configurations();
    std::vector<Bytes> hops(configs.size(), 0);
    for (const RelayFlow& f : s.relays)
    {
        ASSERT_LT(f.firstConfig, f.secondConfig);
        ASSERT_LT(f.secondConfig, configs.size());
        ASSERT_GT(f.bytes, 0);
        hops[f.firstConfig] += f.bytes;
        hops[f.secondConfig] += f.bytes;
    }
    for (std::size_t k = 0; k < configs.size(); ++k)
    {
        Bytes direct = 0;
        for (Bytes b : planned[k].Data())
        {
            direct += b;
        }
        EXPECT_EQ(configs[k].plannedBytes, direct + hops[k]) << "configuration " << k;
        EXPECT_GT(configs[k].durationNs, 0);
        EXPECT_FALSE(configs[k].circuits.empty());
    }
}

/// Schedules are identical (configurations, bookkeeping).
void
ExpectSameSchedule(const Schedule& a, const Schedule& b)
{
    ASSERT_EQ(a.NumConfigurations(), b.NumConfigurations());
    for (std::size_t k = 0; k < a.NumConfigurations(); ++k)
    {
        EXPECT_EQ(a.Configurations()[k].circuits, b.Configurations()[k].circuits);
        EXPECT_EQ(a.Configurations()[k].durationNs, b.Configurations()[k].durationNs);
        EXPECT_EQ(a.Configurations()[k].plannedBytes, b.Configurations()[k].plannedBytes);
    }
    EXPECT_EQ(a.residual, b.residual);
    EXPECT_EQ(a.stuffedBytes, b.stuffedBytes);
    EXPECT_EQ(a.algorithm, b.algorithm);
    ASSERT_EQ(a.relays.size(), b.relays.size());
    for (std::size_t k = 0; k < a.relays.size(); ++k)
    {
        EXPECT_EQ(a.relays[k].bytes, b.relays[k].bytes);
        EXPECT_EQ(a.relays[k].via, b.relays[k].via);
    }
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Names and validation

TEST(Decomposition, NamesRoundTrip)
{
    for (auto p :
         {DurationPolicy::WHOLE_PAIR, DurationPolicy::MIN_ENTRY, DurationPolicy::DELTA_AWARE})
    {
        EXPECT_EQ(FromString<DurationPolicy>(ToString(p)), p);
    }
    for (auto p : {ResidualPolicy::EPS, ResidualPolicy::APPEND, ResidualPolicy::RELAY})
    {
        EXPECT_EQ(FromString<ResidualPolicy>(ToString(p)), p);
    }
    for (auto p : {StuffingMethod::SINKHORN, StuffingMethod::QUICK})
    {
        EXPECT_EQ(FromString<StuffingMethod>(ToString(p)), p);
    }
    EXPECT_EQ(ToString(DurationPolicy::WHOLE_PAIR), "whole-pair");
    EXPECT_EQ(ToString(DurationPolicy::DELTA_AWARE), "delta-aware");
    EXPECT_EQ(ToString(ResidualPolicy::RELAY), "relay");
    EXPECT_EQ(ToString(StuffingMethod::QUICK), "quick");
    EXPECT_THROW(FromString<DurationPolicy>("whole"), InputError);
    EXPECT_THROW(FromString<ResidualPolicy>("EPS"), InputError);
    EXPECT_THROW(FromString<StuffingMethod>(""), InputError);
    for (const std::string& name : DecomposerNames())
    {
        EXPECT_EQ(MakeDecomposer(name)->Name(), name);
    }
    EXPECT_THROW(MakeDecomposer("birkhoff"), InputError);
}

TEST(Decomposition, RejectsBadParameters)
{
    DemandMatrix d({{0, 1}, {1, 0}});
    auto expectError = [&](const DemandMatrix& m, DecompositionParams p, const std::string& what) {
        try
        {
            Decompose(m, p);
            ADD_FAILURE() << "no error for " << what;
        }
        catch (const InputError& e)
        {
            EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
        }
    };
    expectError(DemandMatrix(1), Params("greedy"), "N = 1");
    auto p = Params("greedy");
    p.linkRateBps = 0;
    expectError(d, p, "linkRateBps");
    p = Params("greedy");
    p.reconfigDelayNs = -1;
    expectError(d, p, "reconfigDelayNs");
    p = Params("bvn");
    p.bvnTolerance = 1.0;
    expectError(d, p, "bvnTolerance");
    p.bvnTolerance = 0.0;
    expectError(d, p, "bvnTolerance");
    p = Params("rotor");
    p.rotorSlotBytes = -5;
    expectError(d, p, "rotorSlotBytes");
    p = Params("nope");
    expectError(d, p, "nope");
    // A rotor slot so small that one cycle per byte would be needed.
    DemandMatrix big({{0, 100000000}, {5, 0}});
    p = Params("rotor");
    p.rotorSlotBytes = 1;
    expectError(big, p, "rotorSlotBytes");
    // Durations beyond the representable range.
    DemandMatrix huge({{0, int64_t{1} << 61}, {0, 0}});
    p = Params("greedy");
    p.linkRateBps = 1;
    expectError(huge, p, "linkRateBps");
}

TEST(Decomposition, ZeroDemandGivesEmptySchedule)
{
    for (const std::string& name : DecomposerNames())
    {
        for (auto model : {CircuitModel::UNIDIRECTIONAL, CircuitModel::DUPLEX})
        {
            Schedule s = Decompose(DemandMatrix(4), Params(name, model));
            EXPECT_EQ(s.NumConfigurations(), 0u) << name;
            EXPECT_TRUE(s.residual.IsZero());
            EXPECT_EQ(s.algorithm, name);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Greedy, hand-worked

TEST(Greedy, TwoPortsOneMatching)
{
    DemandMatrix d({{0, 100}, {50, 0}});
    Schedule s = Decompose(d, Params("greedy"));
    ASSERT_EQ(s.NumConfigurations(), 1u);
    EXPECT_EQ(s.Configurations()[0].circuits, Circuits({{0, 1}, {1, 0}}));
    EXPECT_EQ(s.Configurations()[0].durationNs, 100); // held until the 100-byte pair is served
    EXPECT_EQ(s.Configurations()[0].plannedBytes, 150);
    EXPECT_TRUE(s.residual.IsZero());
    EXPECT_EQ(s.algorithm, "greedy");

    Schedule dup = Decompose(d, Params("greedy", CircuitModel::DUPLEX));
    ASSERT_EQ(dup.NumConfigurations(), 1u);
    EXPECT_EQ(dup.Configurations()[0].circuits, Circuits({{0, 1}}));
    EXPECT_EQ(dup.Configurations()[0].durationNs, 100); // max(100, 50): both ways at once
    EXPECT_EQ(dup.Configurations()[0].plannedBytes, 150);
}

TEST(Greedy, ThreePortsWholePair)
{
    // Max-weight permutation: 0->1 (6), 1->2 (5), 2->0 (4) = 15 (the other derangement: 6).
    // Held 6 bytes: all three served. Left: 0->2 (2), 1->0 (1), 2->1 (3), held 3.
    DemandMatrix d({{0, 6, 2}, {1, 0, 5}, {4, 3, 0}});
    Schedule s = Decompose(d, Params("greedy"));
    ASSERT_EQ(s.NumConfigurations(), 2u);
    EXPECT_EQ(s.Configurations()[0].circuits, Circuits({{0, 1}, {1, 2}, {2, 0}}));
    EXPECT_EQ(s.Configurations()[0].durationNs, 6);
    EXPECT_EQ(s.Configurations()[0].plannedBytes, 15);
    EXPECT_EQ(s.Configurations()[1].circuits, Circuits({{0, 2}, {1, 0}, {2, 1}}));
    EXPECT_EQ(s.Configurations()[1].durationNs, 3);
    EXPECT_EQ(s.Configurations()[1].plannedBytes, 6);
    ExpectConservation(d, s, kBytePerNs);

    // K = 1: the second matching's demand is residual (EPS) ...
    auto p = Params("greedy");
    p.maxMatchings = 1;
    Schedule k1 = Decompose(d, p);
    ASSERT_EQ(k1.NumConfigurations(), 1u);
    EXPECT_EQ(k1.residual, DemandMatrix({{0, 0, 2}, {1, 0, 0}, {0, 3, 0}}));
    // ... or appended beyond K, which the algorithm name records.
    p.residualPolicy = ResidualPolicy::APPEND;
    Schedule app = Decompose(d, p);
    EXPECT_EQ(app.NumConfigurations(), 2u);
    EXPECT_TRUE(app.residual.IsZero());
    EXPECT_EQ(app.algorithm, "greedy+append");
}

TEST(Greedy, ThreePortsMinEntryAndDeltaAware)
{
    DemandMatrix d({{0, 6, 2}, {1, 0, 5}, {4, 3, 0}});
    auto p = Params("greedy");
    p.durationPolicy = DurationPolicy::MIN_ENTRY;
    Schedule s = Decompose(d, p);
    ASSERT_GE(s.NumConfigurations(), 1u);
    EXPECT_EQ(s.Configurations()[0].circuits, Circuits({{0, 1}, {1, 2}, {2, 0}}));
    EXPECT_EQ(s.Configurations()[0].durationNs, 4); // smallest matched entry
    EXPECT_EQ(s.Configurations()[0].plannedBytes, 12);
    ExpectConservation(d, s, kBytePerNs);
    EXPECT_TRUE(s.residual.IsZero());

    // Delta-aware on entries {6, 5, 4}: served(t)/(t + delta).
    // delta = 10: t=4: 12/14, t=5: 14/15, t=6: 15/16 -> 6.  delta = 0: 12/4 > 14/5 > 15/6 -> 4.
    p.durationPolicy = DurationPolicy::DELTA_AWARE;
    p.reconfigDelayNs = 10;
    EXPECT_EQ(Decompose(d, p).Configurations()[0].durationNs, 6);
    p.reconfigDelayNs = 0;
    EXPECT_EQ(Decompose(d, p).Configurations()[0].durationNs, 4);
    p.reconfigDelayNs = 3; // t=4: 12/7 = 1.714, t=5: 14/8 = 1.75, t=6: 15/9 = 1.667 -> 5
    EXPECT_EQ(Decompose(d, p).Configurations()[0].durationNs, 5);
}

TEST(Greedy, DuplexFourPorts)
{
    // Pair weights: {0,1} = 10+2, {2,3} = 5+3, {0,2} = 9, {1,3} = 4. Max matching {01, 23} (20),
    // held max(10, 2, 5, 3) = 10; then {02, 13} held 9.
    DemandMatrix d({{0, 10, 9, 0}, {2, 0, 0, 4}, {0, 0, 0, 5}, {0, 0, 3, 0}});
    Schedule s = Decompose(d, Params("greedy", CircuitModel::DUPLEX));
    ASSERT_EQ(s.NumConfigurations(), 2u);
    EXPECT_EQ(s.Configurations()[0].circuits, Circuits({{0, 1}, {2, 3}}));
    EXPECT_EQ(s.Configurations()[0].durationNs, 10);
    EXPECT_EQ(s.Configurations()[0].plannedBytes, 20);
    EXPECT_EQ(s.Configurations()[1].circuits, Circuits({{0, 2}, {1, 3}}));
    EXPECT_EQ(s.Configurations()[1].durationNs, 9);
    ExpectConservation(d, s, kBytePerNs);
}

TEST(Greedy, WholePairServesEveryMatchedPairInItsMatching)
{
    std::mt19937_64 rng(7);
    for (int rep = 0; rep < 20; ++rep)
    {
        std::size_t n = 2 + rng() % 15;
        DemandMatrix d = RandomDemand(rng, n, rep % 5);
        for (auto model : {CircuitModel::UNIDIRECTIONAL, CircuitModel::DUPLEX})
        {
            auto p = Params("greedy", model);
            p.linkRateBps = 400000000000;
            Schedule s = Decompose(d, p);
            std::vector<DemandMatrix> planned = PlannedService(d, s, p.linkRateBps);
            for (std::size_t k = 0; k < planned.size(); ++k)
            {
                for (const Circuit& c : s.Configurations()[k].circuits)
                {
                    // Every matched pair is served completely, here and nowhere else.
                    EXPECT_EQ(planned[k].At(c.src, c.dst), d.At(c.src, c.dst));
                    if (model == CircuitModel::DUPLEX)
                    {
                        EXPECT_EQ(planned[k].At(c.dst, c.src), d.At(c.dst, c.src));
                    }
                }
            }
            // At most one matching per nonzero pair.
            EXPECT_LE(s.NumConfigurations(), d.NonZeros());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Stuffing and Birkhoff

TEST(Stuffing, QuickStuffByHand)
{
    // Rows 4, 1, 2; columns 2, 4, 1; rho = 4. Nonzero entries first: (1,2) += 3, (2,0) += 2.
    DemandMatrix d({{0, 4, 0}, {0, 0, 1}, {2, 0, 0}});
    QuickStuffResult q = QuickStuff(d);
    EXPECT_EQ(q.lineSum, 4);
    EXPECT_EQ(q.matrix, (std::vector<Bytes>{0, 4, 0, 0, 0, 4, 4, 0, 0}));
    EXPECT_EQ(q.dummyBytes, 5);
    EXPECT_EQ(q.diagonalDummyBytes, 0);

    // Port 2 is idle and every other line is full: only its diagonal can take the dummy.
    DemandMatrix idle({{0, 5, 0}, {5, 0, 0}, {0, 0, 0}});
    QuickStuffResult qi = QuickStuff(idle);
    EXPECT_EQ(qi.matrix, (std::vector<Bytes>{0, 5, 0, 5, 0, 0, 0, 0, 5}));
    EXPECT_EQ(qi.dummyBytes, 0);
    EXPECT_EQ(qi.diagonalDummyBytes, 5);
}

TEST(Stuffing, QuickStuffEqualLineSumsOnRandomMatrices)
{
    std::mt19937_64 rng(11);
    for (int rep = 0; rep < 60; ++rep)
    {
        std::size_t n = 2 + rng() % 23;
        DemandMatrix d = RandomDemand(rng, n, rep % 5);
        QuickStuffResult q = QuickStuff(d);
        Bytes added = 0;
        for (std::size_t i = 0; i < n; ++i)
        {
            Bytes rs = 0;
            Bytes cs = 0;
            for (std::size_t j = 0; j < n; ++j)
            {
                ASSERT_GE(q.matrix[i * n + j], d.At(i, j));
                rs += q.matrix[i * n + j];
                cs += q.matrix[j * n + i];
                added += q.matrix[i * n + j] - d.At(i, j);
            }
            ASSERT_EQ(rs, q.lineSum);
            ASSERT_EQ(cs, q.lineSum);
        }
        EXPECT_EQ(added, q.dummyBytes + q.diagonalDummyBytes);
        EXPECT_EQ(added, static_cast<Bytes>(n) * q.lineSum - d.Total());
    }
}

TEST(Stuffing, SinkhornIsDoublyStochastic)
{
    std::mt19937_64 rng(12);
    for (int rep = 0; rep < 40; ++rep)
    {
        std::size_t n = 2 + rng() % 23;
        DemandMatrix d = RandomDemand(rng, n, rep % 5);
        SinkhornResult s = SinkhornStuff(d, 1e-6);
        ASSERT_EQ(s.matrix.size(), n * n);
        EXPECT_LE(s.maxLineError, 1e-6) << "n=" << n << " kind=" << rep % 5;
        for (std::size_t i = 0; i < n; ++i)
        {
            EXPECT_EQ(s.matrix[i * n + i], 0.0);
            for (std::size_t j = 0; j < n; ++j)
            {
                if (d.At(i, j) > 0)
                {
                    EXPECT_GT(s.matrix[i * n + j], 0.0);
                }
                if (!s.epsilonAdded && d.At(i, j) == 0)
                {
                    EXPECT_EQ(s.matrix[i * n + j], 0.0); // same support without epsilon
                }
            }
        }
    }
    // A positive matrix needs no epsilon; an idle port does.
    EXPECT_FALSE(SinkhornStuff(DemandMatrix({{0, 3, 1}, {2, 0, 2}, {1, 1, 0}}), 1e-6).epsilonAdded);
    EXPECT_TRUE(SinkhornStuff(DemandMatrix({{0, 5, 0}, {5, 0, 0}, {0, 0, 0}}), 1e-6).epsilonAdded);
    // Support without total support: 1->0 and 2->0 cannot both be in a perfect matching.
    EXPECT_TRUE(SinkhornStuff(DemandMatrix({{0, 1, 1}, {1, 0, 0}, {1, 0, 0}}), 1e-6).epsilonAdded);
}

TEST(Birkhoff, ReproducesTheStuffedMatrixWithinTolerance)
{
    std::mt19937_64 rng(13);
    for (int rep = 0; rep < 40; ++rep)
    {
        std::size_t n = 2 + rng() % 23;
        DemandMatrix d = RandomDemand(rng, n, rep % 5);
        const double tol = 1e-6;
        SinkhornResult s = SinkhornStuff(d, tol);
        auto terms = BirkhoffDecompose(s.matrix, n, tol);
        EXPECT_LE(terms.size(), n * n - 2 * n + 2);
        std::vector<double> sum(n * n, 0.0);
        double mass = 0;
        for (const auto& t : terms)
        {
            ASSERT_GT(t.coefficient, 0.0);
            std::vector<char> col(n, 0);
            for (std::size_t i = 0; i < n; ++i)
            {
                ASSERT_LT(t.perm[i], n);
                ASSERT_FALSE(col[t.perm[i]]) << "not a permutation";
                col[t.perm[i]] = 1;
                sum[i * n + t.perm[i]] += t.coefficient;
            }
            mass += t.coefficient * static_cast<double>(n);
        }
        double err = 0;
        for (std::size_t k = 0; k < n * n; ++k)
        {
            EXPECT_LE(sum[k], s.matrix[k] + 1e-9); // never more than the matrix
            err += std::fabs(sum[k] - s.matrix[k]);
        }
        // Undecomposed mass: below the tolerance (plus Sinkhorn's line error).
        EXPECT_LE(err, tol * static_cast<double>(n) + 2 * s.maxLineError * static_cast<double>(n))
            << "n=" << n;
        EXPECT_NEAR(mass, static_cast<double>(n), 1e-5 * static_cast<double>(n));
    }
}

TEST(Birkhoff, ExactIntegerDecomposition)
{
    std::mt19937_64 rng(14);
    for (int rep = 0; rep < 40; ++rep)
    {
        std::size_t n = 2 + rng() % 23;
        DemandMatrix d = RandomDemand(rng, n, rep % 5);
        QuickStuffResult q = QuickStuff(d);
        auto terms = BirkhoffDecompose(q.matrix, n);
        std::vector<Bytes> sum(n * n, 0);
        for (const auto& t : terms)
        {
            ASSERT_GT(t.coefficient, 0);
            for (std::size_t i = 0; i < n; ++i)
            {
                sum[i * n + t.perm[i]] += t.coefficient;
            }
        }
        EXPECT_EQ(sum, q.matrix);
    }
    EXPECT_THROW(BirkhoffDecompose(std::vector<Bytes>{0, 1, 2, 0}, 2), InputError);
    EXPECT_THROW(BirkhoffDecompose(std::vector<Bytes>{0, 1, 1}, 2), InputError);
}

TEST(Bvn, RecoversThePermutationsOfAPermutationSum)
{
    // D = 5000 P1 + 3000 P2 + 2000 P3 with disjoint shifts P_k: i -> i + k (mod 4).
    const std::size_t n = 4;
    DemandMatrix d(n);
    const Bytes coef[] = {5000, 3000, 2000};
    for (std::size_t k = 1; k <= 3; ++k)
    {
        for (std::size_t i = 0; i < n; ++i)
        {
            d.Set(i, (i + k) % n, coef[k - 1]);
        }
    }
    for (auto stuffing : {StuffingMethod::SINKHORN, StuffingMethod::QUICK})
    {
        auto p = Params("bvn");
        p.stuffing = stuffing;
        Schedule s = Decompose(d, p);
        ASSERT_EQ(s.NumConfigurations(), 3u) << ToString(stuffing);
        for (std::size_t k = 1; k <= 3; ++k)
        {
            std::vector<Circuit> shift;
            for (uint32_t i = 0; i < n; ++i)
            {
                shift.push_back({i, static_cast<uint32_t>((i + k) % n)});
            }
            std::sort(shift.begin(), shift.end());
            EXPECT_EQ(s.Configurations()[k - 1].circuits, shift);
            EXPECT_EQ(s.Configurations()[k - 1].durationNs, coef[k - 1]);
        }
        EXPECT_EQ(s.stuffedBytes, 0);
        EXPECT_TRUE(s.residual.IsZero());
        ExpectConservation(d, s, kBytePerNs);
    }
}

TEST(Bvn, DuplexRealisesPermutationsWithDuplexCircuits)
{
    // A 3-cycle 0 -> 1 -> 2 -> 0: three duplex configurations (odd cycle, three colours).
    DemandMatrix cycle({{0, 10, 0}, {0, 0, 10}, {10, 0, 0}});
    for (auto stuffing : {StuffingMethod::SINKHORN, StuffingMethod::QUICK})
    {
        auto p = Params("bvn", CircuitModel::DUPLEX);
        p.stuffing = stuffing;
        Schedule s = Decompose(cycle, p);
        ASSERT_EQ(s.NumConfigurations(), 3u) << ToString(stuffing);
        std::set<std::pair<uint32_t, uint32_t>> edges;
        for (const auto& c : s.Configurations())
        {
            ASSERT_EQ(c.circuits.size(), 1u);
            EXPECT_EQ(c.durationNs, 10);
            edges.insert({c.circuits[0].src, c.circuits[0].dst});
        }
        EXPECT_EQ(edges, (std::set<std::pair<uint32_t, uint32_t>>{{0, 1}, {1, 2}, {0, 2}}));
        EXPECT_EQ(s.stuffedBytes, 0);
        EXPECT_TRUE(s.residual.IsZero());
    }
    // Two 2-cycles, 1 -> 0 stuffed from 4 to 10: one configuration {0,1}, {2,3}; the slots of
    // the four arcs (40) minus the real bytes (34) are the 6 stuffed bytes.
    DemandMatrix pairs({{0, 10, 0, 0}, {4, 0, 0, 0}, {0, 0, 0, 10}, {0, 0, 10, 0}});
    auto p = Params("bvn", CircuitModel::DUPLEX);
    p.stuffing = StuffingMethod::QUICK;
    Schedule s = Decompose(pairs, p);
    ASSERT_EQ(s.NumConfigurations(), 1u);
    EXPECT_EQ(s.Configurations()[0].circuits, Circuits({{0, 1}, {2, 3}}));
    EXPECT_EQ(s.stuffedBytes, 6);
    EXPECT_EQ(s.Configurations()[0].plannedBytes, 34);
}

TEST(Bvn, StuffedBytesOfQuickStuffing)
{
    std::mt19937_64 rng(15);
    for (int rep = 0; rep < 30; ++rep)
    {
        std::size_t n = 2 + rng() % 15;
        DemandMatrix d = RandomDemand(rng, n, rep % 5);
        auto p = Params("bvn");
        p.stuffing = StuffingMethod::QUICK;
        p.linkRateBps = 400000000000;
        Schedule s = Decompose(d, p);
        QuickStuffResult q = QuickStuff(d);
        EXPECT_TRUE(s.residual.IsZero());
        // A complete exact decomposition carries all off-diagonal dummy bytes, unless the real
        // demand ran out before the last (pure-dummy) terms, which are not scheduled.
        EXPECT_LE(s.stuffedBytes, q.dummyBytes);
        Bytes slots = 0;
        for (const auto& c : s.Configurations())
        {
            slots += static_cast<Bytes>(c.circuits.size()) * BytesInNs(c.durationNs, p.linkRateBps);
        }
        EXPECT_GE(slots, d.Total() + s.stuffedBytes);
    }
}

TEST(Solstice, HandWorkedStuffedPermutation)
{
    DemandMatrix d({{0, 4, 0}, {0, 0, 1}, {2, 0, 0}});
    Schedule s = Decompose(d, Params("solstice"));
    ASSERT_EQ(s.NumConfigurations(), 1u);
    EXPECT_EQ(s.Configurations()[0].circuits, Circuits({{0, 1}, {1, 2}, {2, 0}}));
    EXPECT_EQ(s.Configurations()[0].durationNs, 4);
    EXPECT_EQ(s.stuffedBytes, 5); // 3 circuits x 4 bytes - 7 real bytes
    EXPECT_TRUE(s.residual.IsZero());
}

TEST(Solstice, SlicesAreAtLeastTheThreshold)
{
    // Entries: one big permutation (8) and a small one (1): r = 8 slices the big one first.
    DemandMatrix d({{0, 8, 1}, {1, 0, 8}, {8, 1, 0}});
    Schedule s = Decompose(d, Params("solstice"));
    ASSERT_EQ(s.NumConfigurations(), 2u);
    EXPECT_EQ(s.Configurations()[0].circuits, Circuits({{0, 1}, {1, 2}, {2, 0}}));
    EXPECT_EQ(s.Configurations()[0].durationNs, 8);
    EXPECT_EQ(s.Configurations()[1].durationNs, 1);
    EXPECT_EQ(s.stuffedBytes, 0);
}

TEST(Eclipse, HandWorkedChoices)
{
    // Candidates {10, 100}. delta = 10: t = 10 serves 20 / (10 + 10) = 1, t = 100 serves
    // 110 / 110 = 1: tie, the longer slot wins, one configuration. delta = 0: 20 / 10 beats
    // 110 / 100, so a 10-byte slot first, then the remaining 90 bytes.
    DemandMatrix d({{0, 100}, {10, 0}});
    auto p = Params("eclipse");
    Schedule s = Decompose(d, p);
    ASSERT_EQ(s.NumConfigurations(), 1u);
    EXPECT_EQ(s.Configurations()[0].durationNs, 100);
    p.reconfigDelayNs = 0;
    Schedule z = Decompose(d, p);
    ASSERT_EQ(z.NumConfigurations(), 2u);
    EXPECT_EQ(z.Configurations()[0].durationNs, 10);
    EXPECT_EQ(z.Configurations()[0].circuits, Circuits({{0, 1}, {1, 0}}));
    EXPECT_EQ(z.Configurations()[1].durationNs, 90);
    EXPECT_EQ(z.Configurations()[1].circuits, Circuits({{0, 1}}));
    ExpectConservation(d, z, kBytePerNs);

    // 3 ports, delta = 10: t = 6 gives 15/16 (best; t = 5: 14/15, t = 4: 12/14), then on
    // {0->2: 2, 1->0: 1, 2->1: 3}: t = 3 gives 6/13 (t = 2: 5/12, t = 1: 3/11).
    DemandMatrix d3({{0, 6, 2}, {1, 0, 5}, {4, 3, 0}});
    Schedule s3 = Decompose(d3, Params("eclipse"));
    ASSERT_EQ(s3.NumConfigurations(), 2u);
    EXPECT_EQ(s3.Configurations()[0].circuits, Circuits({{0, 1}, {1, 2}, {2, 0}}));
    EXPECT_EQ(s3.Configurations()[0].durationNs, 6);
    EXPECT_EQ(s3.Configurations()[1].durationNs, 3);
}

// ---------------------------------------------------------------------------------------------
// Rotor, static, relay

TEST(Rotor, CyclesUntilServed)
{
    DemandMatrix d({{0, 5, 9}, {3, 0, 0}, {0, 2, 0}});
    Schedule s = Decompose(d, Params("rotor"));
    // One cycle of N-1 = 2 shifts with slot = max entry (9) serves everything.
    ASSERT_EQ(s.NumConfigurations(), 2u);
    EXPECT_EQ(s.Configurations()[0].circuits, Circuits({{0, 1}, {1, 2}, {2, 0}}));
    EXPECT_EQ(s.Configurations()[1].circuits, Circuits({{0, 2}, {1, 0}, {2, 1}}));
    EXPECT_EQ(s.Configurations()[0].durationNs, 9);
    EXPECT_TRUE(s.residual.IsZero());

    auto p = Params("rotor");
    p.rotorSlotBytes = 4; // 9 bytes need 3 visits of 0->2: shifts 1,2,1,2,1,2
    Schedule small = Decompose(d, p);
    EXPECT_EQ(small.NumConfigurations(), 6u);
    EXPECT_TRUE(small.residual.IsZero());
    ExpectConservation(d, small, kBytePerNs);

    // Duplex, N = 5 (odd): 5 rounds of 2 circuits, every pair exactly once.
    DemandMatrix all(5);
    for (std::size_t i = 0; i < 5; ++i)
    {
        for (std::size_t j = 0; j < 5; ++j)
        {
            if (i != j)
            {
                all.Set(i, j, 10);
            }
        }
    }
    Schedule dup = Decompose(all, Params("rotor", CircuitModel::DUPLEX));
    ASSERT_EQ(dup.NumConfigurations(), 5u);
    std::set<std::pair<uint32_t, uint32_t>> pairs;
    for (const auto& c : dup.Configurations())
    {
        EXPECT_EQ(c.circuits.size(), 2u);
        for (const auto& x : c.circuits)
        {
            EXPECT_TRUE(pairs.insert({x.src, x.dst}).second) << "pair repeated";
        }
    }
    EXPECT_EQ(pairs.size(), 10u);
    EXPECT_TRUE(dup.residual.IsZero());
}

TEST(Relay, TwoHopsThroughSpareRotorCapacity)
{
    // Only 0->2 has demand (25). Rotor slot 10, K = 3: shift 1 (0->1, 1->2, 2->0), shift 2
    // (serves 10 of 0->2), shift 1 again. Relay 0 -> 1 (config 0) -> 2 (config 2): 10 bytes.
    DemandMatrix d({{0, 0, 25}, {0, 0, 0}, {0, 0, 0}});
    auto p = Params("rotor");
    p.rotorSlotBytes = 10;
    p.maxMatchings = 3;
    p.residualPolicy = ResidualPolicy::RELAY;
    Schedule s = Decompose(d, p);
    ASSERT_EQ(s.NumConfigurations(), 3u);
    ASSERT_EQ(s.relays.size(), 1u);
    EXPECT_EQ(s.relays[0].src, 0u);
    EXPECT_EQ(s.relays[0].via, 1u);
    EXPECT_EQ(s.relays[0].dst, 2u);
    EXPECT_EQ(s.relays[0].bytes, 10);
    EXPECT_EQ(s.relays[0].firstConfig, 0u);
    EXPECT_EQ(s.relays[0].secondConfig, 2u);
    EXPECT_EQ(s.residual.At(0, 2), 5);
    EXPECT_EQ(s.Configurations()[0].plannedBytes, 10);
    EXPECT_EQ(s.Configurations()[1].plannedBytes, 10);
    EXPECT_EQ(s.Configurations()[2].plannedBytes, 10);
    ExpectConservation(d, s, kBytePerNs);
}

TEST(Static, OneConfigurationRestResidual)
{
    DemandMatrix d({{0, 6, 2}, {1, 0, 5}, {4, 3, 0}});
    Schedule s = Decompose(d, Params("static"));
    ASSERT_EQ(s.NumConfigurations(), 1u);
    EXPECT_EQ(s.Configurations()[0].circuits, Circuits({{0, 1}, {1, 2}, {2, 0}}));
    EXPECT_EQ(s.Configurations()[0].durationNs, 6);
    EXPECT_EQ(s.residual, DemandMatrix({{0, 0, 2}, {1, 0, 0}, {0, 3, 0}}));
    auto p = Params("static");
    p.residualPolicy = ResidualPolicy::APPEND;
    p.maxMatchings = 1;
    Schedule app = Decompose(d, p);
    EXPECT_EQ(app.NumConfigurations(), 2u);
    EXPECT_TRUE(app.residual.IsZero());
    EXPECT_EQ(app.algorithm, "static+append");
}

// ---------------------------------------------------------------------------------------------
// Comparisons

TEST(Comparison, UniformAllToAllGreedyMatchesRotor)
{
    for (std::size_t n : {4, 6, 8})
    {
        DemandMatrix d(n);
        for (std::size_t i = 0; i < n; ++i)
        {
            for (std::size_t j = 0; j < n; ++j)
            {
                if (i != j)
                {
                    d.Set(i, j, 1000);
                }
            }
        }
        FluidParams fp;
        fp.linkRateBps = kBytePerNs;
        fp.reconfigDelayNs = 100;
        // Unidirectional: greedy takes N-1 perfect matchings of 1000 bytes, like the rotor.
        Schedule g = Decompose(d, Params("greedy"));
        Schedule r = Decompose(d, Params("rotor"));
        EXPECT_EQ(g.NumConfigurations(), n - 1);
        EXPECT_EQ(r.NumConfigurations(), n - 1);
        Ns mg = EvaluateSchedule(d, g, fp).makespanNs;
        Ns mr = EvaluateSchedule(d, r, fp).makespanNs;
        EXPECT_EQ(mg, mr);
        EXPECT_EQ(mg, static_cast<Ns>(n - 1) * (100 + 1000));
        // Duplex: the round-robin rotor is optimal (N-1 rounds for even N); greedy is close.
        Schedule gd = Decompose(d, Params("greedy", CircuitModel::DUPLEX));
        Schedule rd = Decompose(d, Params("rotor", CircuitModel::DUPLEX));
        EXPECT_EQ(rd.NumConfigurations(), n - 1);
        Ns mgd = EvaluateSchedule(d, gd, fp).makespanNs;
        Ns mrd = EvaluateSchedule(d, rd, fp).makespanNs;
        EXPECT_GE(mgd, mrd);
        EXPECT_LE(mgd, mrd + mrd / 2);
    }
}

TEST(Comparison, BvnNeedsManyMoreMatchingsThanGreedyOnSkewedDemand)
{
    // The seed paper's claim, as a property on skewed (Zipf-like) MoE demand.
    std::mt19937_64 rng(2605);
    for (int rep = 0; rep < 8; ++rep)
    {
        std::size_t n = 8 + 4 * (rep % 3);
        DemandMatrix d = RandomDemand(rng, n, 2);
        auto pg = Params("greedy");
        pg.linkRateBps = 400000000000;
        auto pb = Params("bvn");
        pb.linkRateBps = 400000000000;
        Schedule g = Decompose(d, pg);
        Schedule b = Decompose(d, pb);
        EXPECT_GE(b.NumConfigurations(), 3 * g.NumConfigurations())
            << "n=" << n << " bvn " << b.NumConfigurations() << " greedy " << g.NumConfigurations();
        EXPECT_GT(b.stuffedBytes, 0);
        FluidParams fp;
        fp.linkRateBps = pg.linkRateBps;
        fp.reconfigDelayNs = 10000;
        FluidResult rg = EvaluateSchedule(d, g, fp);
        FluidResult rb = EvaluateSchedule(d, b, fp);
        EXPECT_LT(rg.reconfigurations, rb.reconfigurations);
    }
}

// ---------------------------------------------------------------------------------------------
// Properties over every algorithm x model x residual policy

namespace
{

struct Combo
{
    std::string algo;
    DurationPolicy duration{DurationPolicy::WHOLE_PAIR};
    StuffingMethod stuffing{StuffingMethod::SINKHORN};
    MatchingAlgorithm matching{MatchingAlgorithm::EXACT};
    Bytes rotorSlot{0};
};

std::vector<Combo>
AllCombos()
{
    std::vector<Combo> c;
    for (auto dp :
         {DurationPolicy::WHOLE_PAIR, DurationPolicy::MIN_ENTRY, DurationPolicy::DELTA_AWARE})
    {
        for (auto m : {MatchingAlgorithm::EXACT, MatchingAlgorithm::GREEDY})
        {
            c.push_back({"greedy", dp, StuffingMethod::SINKHORN, m, 0});
        }
    }
    c.push_back({"bvn", DurationPolicy::WHOLE_PAIR, StuffingMethod::SINKHORN});
    c.push_back({"bvn", DurationPolicy::WHOLE_PAIR, StuffingMethod::QUICK});
    c.push_back({"solstice"});
    c.push_back({"eclipse"});
    c.push_back({"eclipse",
                 DurationPolicy::WHOLE_PAIR,
                 StuffingMethod::SINKHORN,
                 MatchingAlgorithm::GREEDY});
    c.push_back({"rotor"});
    c.push_back({"rotor",
                 DurationPolicy::WHOLE_PAIR,
                 StuffingMethod::SINKHORN,
                 MatchingAlgorithm::EXACT,
                 300000});
    c.push_back({"static"});
    c.push_back({"sunflow"});
    c.push_back({"auto"});
    return c;
}

} // namespace

TEST(DecompositionProperty, InvariantsHoldForEveryCombination)
{
    std::mt19937_64 rng(20260526);
    const std::vector<std::size_t> sizes = {2, 3, 4, 5, 7, 9, 12, 16, 24};
    std::size_t checked = 0;
    for (std::size_t rep = 0; rep < sizes.size() * 2; ++rep)
    {
        std::size_t n = sizes[rep % sizes.size()];
        int kind = static_cast<int>(rep % 5);
        DemandMatrix d = RandomDemand(rng, n, kind);
        for (const Combo& combo : AllCombos())
        {
            for (auto model : {CircuitModel::UNIDIRECTIONAL, CircuitModel::DUPLEX})
            {
                for (auto policy :
                     {ResidualPolicy::EPS, ResidualPolicy::APPEND, ResidualPolicy::RELAY})
                {
                    for (std::size_t k : {std::size_t{0}, std::size_t{2}})
                    {
                        SCOPED_TRACE(combo.algo + " " + ToString(combo.duration) + " " +
                                     ToString(combo.stuffing) + " " + ToString(model) + " " +
                                     ToString(policy) + " K=" + std::to_string(k) +
                                     " n=" + std::to_string(n) + " kind=" + std::to_string(kind));
                        DecompositionParams p;
                        p.algorithm = combo.algo;
                        p.model = model;
                        p.maxMatchings = k;
                        p.durationPolicy = combo.duration;
                        p.residualPolicy = policy;
                        p.matching = combo.matching;
                        p.stuffing = combo.stuffing;
                        p.rotorSlotBytes = combo.rotorSlot;
                        p.reconfigDelayNs = (rep % 3) * 5000;
                        p.linkRateBps = 400000000000;
                        Schedule s = Decompose(d, p);
                        // Sunflow plans for a changed-only switch: its plan is checked
                        // against the evaluator in that mode below.
                        const bool sunflow = combo.algo == "sunflow";
                        if (!sunflow)
                        {
                            ExpectConservation(d, s, p.linkRateBps);
                        }
                        ++checked;
                        // K respected unless APPEND says it went beyond.
                        if (k > 0 && policy != ResidualPolicy::APPEND)
                        {
                            EXPECT_LE(s.NumConfigurations(), k);
                        }
                        if (k > 0 && s.NumConfigurations() > k)
                        {
                            EXPECT_NE(s.algorithm.find("+append"), std::string::npos);
                        }
                        if (policy == ResidualPolicy::APPEND)
                        {
                            EXPECT_TRUE(s.residual.IsZero());
                        }
                        if (policy != ResidualPolicy::RELAY)
                        {
                            EXPECT_TRUE(s.relays.empty());
                        }
                        if (k == 0 && combo.algo != "static" && combo.algo != "bvn")
                        {
                            // Unbounded, everything rides circuits (BvN may leave the
                            // tolerance's crumbs).
                            EXPECT_TRUE(s.residual.IsZero());
                        }
                        if (combo.algo != "bvn" && combo.algo != "solstice" && combo.algo != "auto")
                        {
                            EXPECT_EQ(s.stuffedBytes, 0);
                        }
                        // The fluid evaluator agrees with the plan.
                        FluidParams fp;
                        fp.linkRateBps = p.linkRateBps;
                        fp.reconfigDelayNs = p.reconfigDelayNs;
                        if (sunflow)
                        {
                            fp.mode = ReconfigMode::CHANGED_ONLY;
                        }
                        FluidResult r = EvaluateSchedule(d, s, fp);
                        EXPECT_EQ(r.bytesServed + r.residualBytes, d.Total());
                        EXPECT_EQ(r.residual, s.residual);
                        ASSERT_EQ(r.configs.size(), s.NumConfigurations());
                        for (std::size_t c = 0; c < r.configs.size(); ++c)
                        {
                            EXPECT_EQ(r.configs[c].bytesServed, s.Configurations()[c].plannedBytes);
                        }
                        if (r.residualBytes == 0)
                        {
                            EXPECT_GE(r.makespanNs, r.lowerBoundNs);
                            if (s.relays.empty())
                            {
                                // Every circuit of a port is dark for delta first.
                                EXPECT_GE(r.makespanNs,
                                          PerPortLowerBoundNs(d,
                                                              model,
                                                              p.linkRateBps,
                                                              p.reconfigDelayNs));
                            }
                            if (s.relays.empty() && !sunflow)
                            {
                                // Every partner of a port needs its own configuration.
                                EXPECT_GE(r.makespanNs, r.lowerBoundReconfigNs);
                            }
                        }
                        // Determinism (relay exercises every stage).
                        if (policy == ResidualPolicy::RELAY)
                        {
                            Schedule again = Decompose(d, p);
                            ExpectSameSchedule(s, again);
                        }
                    }
                }
            }
        }
    }
    EXPECT_EQ(checked, sizes.size() * 2 * AllCombos().size() * 2 * 3 * 2);
}

TEST(DecompositionProperty, BvnResidualIsOnlyToleranceCrumbs)
{
    std::mt19937_64 rng(99);
    for (int rep = 0; rep < 30; ++rep)
    {
        std::size_t n = 2 + rng() % 23;
        DemandMatrix d = RandomDemand(rng, n, rep % 5);
        auto p = Params("bvn");
        p.linkRateBps = 400000000000;
        Schedule s = Decompose(d, p);
        // Uncovered demand is bounded by the undecomposed mass: tolerance x N slots of scale.
        EXPECT_LE(static_cast<double>(s.residual.Total()),
                  1e-5 * static_cast<double>(n) * static_cast<double>(d.Total()) + 1.0)
            << "n=" << n;
    }
}

// ---------------------------------------------------------------------------------------------
// The registry, and a decomposer written outside the core

namespace
{

/**
 * A user-written decomposer: the circuits i -> i + 1 (mod N) with a fixed slot, repeated
 * while demand is left and the budget allows, through the public ScheduleBuilder.
 */
class ShiftDecomposer : public Decomposer
{
  public:
    std::string Name() const override
    {
        return "shift";
    }

    Schedule Run(const DemandMatrix& demand, const DecompositionParams& params) override
    {
        ValidateDecompositionInputs(demand, params);
        ScheduleBuilder b(demand, params, Name());
        std::vector<Circuit> shift;
        for (uint32_t i = 0; i < demand.Size(); ++i)
        {
            shift.push_back({i, static_cast<uint32_t>((i + 1) % demand.Size())});
        }
        for (int round = 0; round < 3 && b.RemainingBytes() > 0 && b.HasRoomForConfiguration();
             ++round)
        {
            b.AddConfiguration(shift, 100);
        }
        return b.Finish();
    }
};

} // namespace

TEST(DecomposerRegistry, BuiltInsAndUnknownNames)
{
    EXPECT_EQ(DecomposerNames(),
              (std::vector<std::string>{"greedy",
                                        "bvn",
                                        "solstice",
                                        "eclipse",
                                        "rotor",
                                        "static",
                                        "sunflow",
                                        "auto"}));
    EXPECT_EQ(DecomposerRegistry().Names(), DecomposerNames());
    EXPECT_EQ(ErrorOf([] { MakeDecomposer("birkhoff"); }),
              "unknown decomposition algorithm 'birkhoff' (expected greedy, bvn, solstice, "
              "eclipse, rotor, static, sunflow or auto)");
    EXPECT_NE(ErrorOf([] {
                  DecompositionParams q;
                  q.algorithm = "quantum";
                  Decompose(DemandMatrix({{0, 1}, {1, 0}}), q);
              }).find("'quantum'"),
              std::string::npos);
    // Every registered algorithm is covered by the property test.
    for (const std::string& name : DecomposerNames())
    {
        const auto combos = AllCombos();
        EXPECT_TRUE(std::any_of(combos.begin(), combos.end(), [&](const Combo& c) {
            return c.algo == name;
        })) << name;
    }
}

TEST(DecomposerRegistry, AddRejectsEmptyAndTakenNames)
{
    DecomposerRegistry r;
    auto factory = [] { return std::make_unique<ShiftDecomposer>(); };
    EXPECT_EQ(ErrorOf([&] { r.Add("greedy", factory); }),
              "decomposition algorithm 'greedy' is already registered");
    EXPECT_EQ(ErrorOf([&] { r.Add("", factory); }), "a decomposition algorithm needs a name");
    EXPECT_EQ(ErrorOf([&] { r.Add("none", nullptr); }),
              "decomposition algorithm 'none' has no factory");
    EXPECT_EQ(r.Names().size(), 8u);
}

TEST(DecomposerRegistry, UserDecomposerThroughTheScheduleBuilder)
{
    DecomposerRegistry r;
    r.Add("shift", [] { return std::make_unique<ShiftDecomposer>(); });
    EXPECT_EQ(r.Names().back(), "shift");
    // The default registry is not touched.
    EXPECT_EQ(DecomposerNames().size(), 8u);

    DemandMatrix d({{0, 150, 0}, {0, 0, 250}, {40, 0, 0}});
    for (auto policy : {ResidualPolicy::EPS, ResidualPolicy::APPEND, ResidualPolicy::RELAY})
    {
        SCOPED_TRACE(ToString(policy));
        DecompositionParams p = Params("shift");
        p.residualPolicy = policy;
        p.maxMatchings = 2;
        Schedule s = r.Make("shift")->Run(d, p);
        ExpectConservation(d, s, p.linkRateBps);
        if (policy == ResidualPolicy::APPEND)
        {
            // APPEND ignores K: a third shift serves the last 50 bytes of 1 -> 2.
            EXPECT_EQ(s.NumConfigurations(), 3u);
            EXPECT_EQ(s.algorithm, "shift+append");
            EXPECT_TRUE(s.residual.IsZero());
        }
        else
        {
            ASSERT_EQ(s.NumConfigurations(), 2u);
            EXPECT_EQ(s.algorithm, "shift");
            EXPECT_EQ(s.residual.At(1, 2), 50);
            EXPECT_EQ(s.Configurations()[0].plannedBytes, 100 + 100 + 40);
            EXPECT_EQ(s.Configurations()[1].plannedBytes, 50 + 100);
        }
        EXPECT_EQ(s.stuffedBytes, 0);
    }
}

TEST(ScheduleBuilder, TracksRemainingBytesAndTheBudget)
{
    DemandMatrix d({{0, 300, 0}, {0, 0, 100}, {0, 0, 0}});
    DecompositionParams p = Params("greedy");
    p.maxMatchings = 2;
    ScheduleBuilder b(d, p, "hand");
    EXPECT_EQ(b.RemainingBytes(), 400);
    EXPECT_TRUE(b.HasRoomForConfiguration());
    EXPECT_EQ(b.AddConfiguration(Circuits({{0, 1}, {1, 2}}), 200), 300);
    EXPECT_EQ(b.RemainingBytes(), 100);
    EXPECT_EQ(b.Remaining().At(0, 1), 100);
    EXPECT_EQ(b.SlotBytesFor(Circuits({{0, 1}}), DurationPolicy::WHOLE_PAIR), 100);
    EXPECT_TRUE(b.AddMaxWeightMatching(DurationPolicy::WHOLE_PAIR));
    EXPECT_EQ(b.RemainingBytes(), 0);
    EXPECT_FALSE(b.HasRoomForConfiguration());
    EXPECT_FALSE(b.AddMaxWeightMatching(DurationPolicy::WHOLE_PAIR)); // nothing left to match
    Schedule s = b.Finish();
    EXPECT_EQ(s.algorithm, "hand");
    EXPECT_EQ(s.NumConfigurations(), 2u);
    EXPECT_TRUE(s.residual.IsZero());
}
