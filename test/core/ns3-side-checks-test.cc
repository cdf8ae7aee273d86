/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Checks of the scheduling core that the ns-3 TestSuite used to make in its own copies of the
// core oracles (test/ns3/pmoe-*-test.cc, removed) and that no other GoogleTest makes in this
// form: the bytes in a microsecond at 400 Gb/s, MaxWeightMatching's greedy mode within a
// factor 2 of the optimum, a Hall violation on 4 ports, and greedy against BvN on a fixed
// dense matrix.

#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-matching.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <numeric>
#include <random>
#include <vector>

using namespace ns3::pmoe;

namespace
{

/**
 * @param n ports
 * @param range entries in [0, range)
 * @param zeroPct about this percentage of off-diagonal zeros
 * @param rng generator
 * @return a random demand matrix
 */
DemandMatrix
SeededDemand(std::size_t n, uint64_t range, unsigned zeroPct, std::mt19937& rng)
{
    DemandMatrix d(n);
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            if (i != j && rng() % 100 >= zeroPct)
            {
                d.Set(i, j, static_cast<Bytes>(rng() % range));
            }
        }
    }
    return d;
}

/**
 * @param seed seed
 * @param n ports
 * @param density probability that a pair has demand
 * @return a random demand matrix, entries in [1, 1e6]
 */
DemandMatrix
DenseDemand(uint64_t seed, std::size_t n, double density)
{
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<Bytes> bytes(1, 1000000);
    std::uniform_real_distribution<double> u(0.0, 1.0);
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
    return d;
}

} // namespace

TEST(Ns3SideChecks, BytesInOneMicrosecondAt400G)
{
    EXPECT_EQ(BytesInNs(1000, 400000000000), 50000);
}

// MaxWeightMatching (the entry point the decompositions call) in GREEDY mode, n = 1..6
// including n = 1, both circuit models, ties and zeros: valid and within a factor 2 of the
// EXACT mode's weight (EXACT is checked against enumeration in matching-test.cc).
TEST(Ns3SideChecks, MaxWeightMatchingGreedyWithinAFactorTwo)
{
    std::mt19937 rng(12345);
    for (std::size_t n = 1; n <= 6; ++n)
    {
        for (int rep = 0; rep < 40; ++rep)
        {
            const uint64_t range = (rep % 2 == 0) ? 3 : 1000;
            const DemandMatrix d = SeededDemand(n, range, rep % 3 == 0 ? 60 : 10, rng);
            for (auto model : {CircuitModel::UNIDIRECTIONAL, CircuitModel::DUPLEX})
            {
                SCOPED_TRACE("n=" + std::to_string(n) + " rep " + std::to_string(rep) + " " +
                             ToString(model));
                const auto exact = MaxWeightMatching(d, model, MatchingAlgorithm::EXACT);
                const auto greedy = MaxWeightMatching(d, model, MatchingAlgorithm::GREEDY);
                EXPECT_EQ(CheckMatching(exact, n, model), "");
                EXPECT_EQ(CheckMatching(greedy, n, model), "");
                const Bytes best = MatchingWeight(d, exact, model);
                const Bytes g = MatchingWeight(d, greedy, model);
                EXPECT_GE(2 * g, best);
                EXPECT_LE(g, best);
                if (n == 1)
                {
                    EXPECT_TRUE(exact.empty());
                }
            }
        }
    }
}

TEST(Ns3SideChecks, PerfectMatchingHallViolationOnFourPorts)
{
    // Rows 0 and 1 both need column 2 only.
    const DemandMatrix bad({{0, 0, 1, 0}, {0, 0, 1, 0}, {1, 1, 0, 1}, {1, 1, 1, 0}});
    EXPECT_TRUE(PerfectMatchingOnSupport(bad).empty());
}

// The seed paper's contrast on one fixed dense (uniform random) matrix, at the evaluator's
// defaults: greedy serves everything with few matchings and no stuffing, BvN needs more than
// twice as many and stuffs, and greedy finishes first.
TEST(Ns3SideChecks, GreedyAgainstBvnOnAFixedDenseMatrix)
{
    const DemandMatrix d = DenseDemand(42, 12, 1.0);
    DecompositionParams p;
    p.algorithm = "greedy";
    const Schedule g = Decompose(d, p);
    p.algorithm = "bvn";
    const Schedule b = Decompose(d, p);
    EXPECT_GT(b.NumConfigurations(), 2 * g.NumConfigurations());
    EXPECT_GT(b.stuffedBytes, 0);
    EXPECT_EQ(g.stuffedBytes, 0);
    const FluidParams f;
    const FluidResult rg = EvaluateSchedule(d, g, f);
    const FluidResult rb = EvaluateSchedule(d, b, f);
    EXPECT_EQ(rg.residualBytes, 0);
    EXPECT_GE(rg.makespanNs, rg.lowerBoundNs);
    EXPECT_LT(rg.makespanNs, rb.makespanNs);
}
