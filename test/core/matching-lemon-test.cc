/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The general-graph matcher against LEMON's MaxWeightedMatching, an independent exact
// implementation (liblemon-dev). LEMON is an oracle for this test only, not a dependency of
// the module: without it (or when built as C++20 or later, which LEMON 1.3.1 does not
// support) the test is skipped.

#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-matching.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <random>
#include <vector>

#if defined(PMOE_HAVE_LEMON) && __cplusplus < 202002L
#define PMOE_USE_LEMON 1
#include <lemon/list_graph.h>
#include <lemon/matching.h>
#endif

using namespace ns3::pmoe;

#ifdef PMOE_USE_LEMON
namespace
{

/// Maximum matching weight by LEMON.
int64_t
LemonWeight(const DemandMatrix& w)
{
    lemon::ListGraph g;
    std::vector<lemon::ListGraph::Node> nodes;
    for (std::size_t i = 0; i < w.Size(); ++i)
    {
        nodes.push_back(g.addNode());
    }
    lemon::ListGraph::EdgeMap<long long> weight(g);
    for (std::size_t i = 0; i < w.Size(); ++i)
    {
        for (std::size_t j = i + 1; j < w.Size(); ++j)
        {
            if (w.At(i, j) > 0)
            {
                weight[g.addEdge(nodes[i], nodes[j])] = w.At(i, j);
            }
        }
    }
    lemon::MaxWeightedMatching<lemon::ListGraph, lemon::ListGraph::EdgeMap<long long>> mwm(g,
                                                                                           weight);
    mwm.run();
    return mwm.matchingWeight();
}

/// Weight of a symmetric mate vector, after checking it is a valid matching.
int64_t
MateWeight(const DemandMatrix& w, const std::vector<int32_t>& mate)
{
    int64_t sum = 0;
    for (std::size_t i = 0; i < mate.size(); ++i)
    {
        if (mate[i] < 0)
        {
            continue;
        }
        const auto j = static_cast<std::size_t>(mate[i]);
        EXPECT_NE(i, j);
        EXPECT_EQ(mate[j], static_cast<int32_t>(i));
        EXPECT_GT(w.At(i, j), 0);
        if (i < j)
        {
            sum += w.At(i, j);
        }
    }
    return sum;
}

} // namespace

TEST(MatchingLemon, GeneralMatcherAgreesWithLemon)
{
    std::mt19937_64 rng(424242);
    GeneralMatcher matcher;
    int graphs = 0;
    for (int rep = 0; rep < 600; ++rep)
    {
        const std::size_t n = 2 + rng() % 59; // 2..60
        // Density from very sparse to complete. Weights: {1,2} (many ties), [1,100],
        // [1,10^9], a structured (i+j) mod 7 pattern, and near-equal values 1000..1002
        // (the last two grow many nested blossoms).
        const unsigned densityPct = 5 + static_cast<unsigned>(rng() % 96);
        const int kind = rep % 5;
        DemandMatrix w(n);
        for (std::size_t i = 0; i < n; ++i)
        {
            for (std::size_t j = i + 1; j < n; ++j)
            {
                if (rng() % 100 < densityPct)
                {
                    Bytes v = 0;
                    switch (kind)
                    {
                    case 0:
                        v = static_cast<Bytes>(1 + rng() % 2);
                        break;
                    case 1:
                        v = static_cast<Bytes>(1 + rng() % 100);
                        break;
                    case 2:
                        v = static_cast<Bytes>(1 + rng() % 1000000000);
                        break;
                    case 3:
                        v = static_cast<Bytes>((i + j) % 7 + 1);
                        break;
                    default:
                        v = static_cast<Bytes>(1000 + rng() % 3);
                        break;
                    }
                    w.Set(i, j, v);
                    w.Set(j, i, v);
                }
            }
        }
        ASSERT_EQ(MateWeight(w, matcher.Solve(w)), LemonWeight(w))
            << "graph " << rep << " n=" << n << " density " << densityPct << "% kind " << kind;
        ++graphs;
    }
    EXPECT_EQ(graphs, 600);
}

TEST(MatchingLemon, DuplexPairSumsAgreeWithLemon)
{
    // The duplex use: weights D(i,j) + D(j,i) of skewed MoE-like demand, larger n.
    std::mt19937_64 rng(777);
    for (std::size_t n : {64, 100, 128})
    {
        for (int rep = 0; rep < 3; ++rep)
        {
            DemandMatrix d(n);
            for (std::size_t i = 0; i < n; ++i)
            {
                for (std::size_t j = 0; j < n; ++j)
                {
                    if (i != j)
                    {
                        // heavy-tailed: most entries small, a few hot destinations
                        const Bytes base = static_cast<Bytes>(rng() % 1000);
                        d.Set(i, j, (j % 7 == 0) ? base * 50 : base);
                    }
                }
            }
            const DemandMatrix w = d.PairSums();
            GeneralMatcher matcher;
            EXPECT_EQ(MateWeight(w, matcher.Solve(w)), LemonWeight(w)) << "n=" << n;
        }
    }
}

#else

TEST(MatchingLemon, GeneralMatcherAgreesWithLemon)
{
    GTEST_SKIP() << "LEMON (liblemon-dev) not found or not usable with this C++ standard: "
                    "oracle test skipped";
}

#endif
