/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Decompositions and the fluid evaluator inside the ns-3 suite (test.py in an ns-3 tree);
// standalone, the GoogleTest suite covers them in depth. Random matrices come from
// std::mt19937_64 with fixed seeds, independent of ns-3's RngSeedManager.

#include "pmoe-test-cases.h"

#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"

#include <random>
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
 * A random demand matrix with the given density.
 * @param seed seed
 * @param n ports
 * @param density probability that a pair has demand
 * @return the matrix
 */
DemandMatrix
SeededDemand(uint64_t seed, std::size_t n, double density)
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

/**
 * @ingroup photonic-moe
 * Every algorithm, circuit model and residual policy keeps the conservation invariant
 * (planned direct + relayed + residual == demand per pair), respects K, and the fluid
 * evaluator reproduces the plan (all-stop).
 */
class DecompositionConservationTestCase : public TestCase
{
  public:
    DecompositionConservationTestCase()
        : TestCase("Decompositions: conservation, budget K, evaluator agrees with the plan")
    {
    }

  private:
    void DoRun() override
    {
        for (uint64_t seed : {1, 2, 3})
        {
            DemandMatrix d = SeededDemand(seed, 6 + 3 * seed, 0.6);
            for (const std::string& algo : DecomposerNames())
            {
                for (auto model : {CircuitModel::UNIDIRECTIONAL, CircuitModel::DUPLEX})
                {
                    for (auto policy :
                         {ResidualPolicy::EPS, ResidualPolicy::APPEND, ResidualPolicy::RELAY})
                    {
                        DecompositionParams p;
                        p.algorithm = algo;
                        p.model = model;
                        p.residualPolicy = policy;
                        p.maxMatchings = 3;
                        Schedule s = Decompose(d, p);
                        std::string what = algo + "/" + ToString(model) + "/" + ToString(policy);
                        std::vector<DemandMatrix> planned = PlannedService(d, s, p.linkRateBps);
                        DemandMatrix total = s.residual;
                        for (const auto& m : planned)
                        {
                            for (std::size_t i = 0; i < d.Size(); ++i)
                            {
                                for (std::size_t j = 0; j < d.Size(); ++j)
                                {
                                    total.Add(i, j, m.At(i, j));
                                }
                            }
                        }
                        for (const RelayFlow& f : s.relays)
                        {
                            total.Add(f.src, f.dst, f.bytes);
                        }
                        NS_TEST_EXPECT_MSG_EQ((total == d), true, "conservation: " << what);
                        if (policy != ResidualPolicy::APPEND)
                        {
                            NS_TEST_EXPECT_MSG_LT_OR_EQ(s.NumConfigurations(),
                                                        3u,
                                                        "budget K: " << what);
                        }
                        else
                        {
                            NS_TEST_EXPECT_MSG_EQ(s.residual.IsZero(), true, "append: " << what);
                        }
                        FluidParams f;
                        f.linkRateBps = p.linkRateBps;
                        f.reconfigDelayNs = p.reconfigDelayNs;
                        FluidResult r = EvaluateSchedule(d, s, f);
                        NS_TEST_EXPECT_MSG_EQ(r.bytesServed + r.residualBytes,
                                              d.Total(),
                                              "evaluator conservation: " << what);
                        NS_TEST_EXPECT_MSG_EQ((r.residual == s.residual),
                                              true,
                                              "evaluator residual: " << what);
                    }
                }
            }
        }
    }
};

/**
 * @ingroup photonic-moe
 * The seed paper's contrast on one fixed matrix: greedy whole-pair serves each matched pair
 * in one matching and needs fewer matchings than BvN, whose stuffing leaves bubbles; a
 * doubly stochastic permutation sum is recovered exactly by BvN.
 */
class GreedyVersusBvnTestCase : public TestCase
{
  public:
    GreedyVersusBvnTestCase()
        : TestCase("Decompositions: greedy vs BvN on a fixed matrix; exact BvN recovery")
    {
    }

  private:
    void DoRun() override
    {
        DemandMatrix d = SeededDemand(42, 12, 1.0);
        DecompositionParams p;
        p.algorithm = "greedy";
        Schedule g = Decompose(d, p);
        p.algorithm = "bvn";
        Schedule b = Decompose(d, p);
        NS_TEST_EXPECT_MSG_GT(b.NumConfigurations(),
                              2 * g.NumConfigurations(),
                              "BvN needs many more matchings");
        NS_TEST_EXPECT_MSG_GT(b.stuffedBytes, 0, "BvN carries stuffed bytes");
        NS_TEST_EXPECT_MSG_EQ(g.stuffedBytes, 0, "greedy stuffs nothing");
        FluidParams f;
        FluidResult rg = EvaluateSchedule(d, g, f);
        FluidResult rb = EvaluateSchedule(d, b, f);
        NS_TEST_EXPECT_MSG_EQ(rg.residualBytes, 0, "greedy serves everything");
        NS_TEST_EXPECT_MSG_GT_OR_EQ(rg.makespanNs, rg.lowerBoundNs, "load bound");
        NS_TEST_EXPECT_MSG_LT(rg.makespanNs, rb.makespanNs, "greedy is faster at delta = 10 us");

        // 3000 P1 + 2000 P2 + 1000 P3 (disjoint shifts on 4 ports): exactly three matchings.
        DemandMatrix sum(4);
        for (std::size_t k = 1; k <= 3; ++k)
        {
            for (std::size_t i = 0; i < 4; ++i)
            {
                sum.Set(i, (i + k) % 4, static_cast<Bytes>(4 - k) * 1000);
            }
        }
        Schedule exact = Decompose(sum, p);
        NS_TEST_EXPECT_MSG_EQ(exact.NumConfigurations(), 3u, "three permutations");
        NS_TEST_EXPECT_MSG_EQ(exact.stuffedBytes, 0, "no stuffing needed");
        NS_TEST_EXPECT_MSG_EQ(exact.residual.IsZero(), true, "all served");
    }
};

void
AddDecompositionTestCases(const AddTestCaseFn& add)
{
    add(new DecompositionConservationTestCase);
    add(new GreedyVersusBvnTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
