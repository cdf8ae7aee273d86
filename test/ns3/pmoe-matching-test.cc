/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Matching checks inside the ns-3 suite: exact matchers against exhaustive enumeration on
// small seeded random matrices, greedy within a factor 2, perfect matchings on a support.

#include "pmoe-test-cases.h"

#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-matching.h"
#include "ns3/pmoe-schedule.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

namespace ns3
{
namespace pmoe
{
namespace tests
{

namespace
{

/// Random demand, entries in [0, range), with about @p zeroPct percent zeros.
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

/// Best permutation weight by enumeration.
Bytes
BestAssignment(const DemandMatrix& w)
{
    std::vector<std::size_t> perm(w.Size());
    std::iota(perm.begin(), perm.end(), 0);
    Bytes best = 0;
    do
    {
        Bytes sum = 0;
        for (std::size_t i = 0; i < perm.size(); ++i)
        {
            sum += w.At(i, perm[i]);
        }
        best = std::max(best, sum);
    } while (std::next_permutation(perm.begin(), perm.end()));
    return best;
}

/// Best general matching weight by enumeration (symmetric w).
Bytes
BestGeneral(const DemandMatrix& w, std::vector<char>& used, std::size_t from)
{
    while (from < w.Size() && used[from])
    {
        ++from;
    }
    if (from >= w.Size())
    {
        return 0;
    }
    used[from] = 1;
    Bytes best = BestGeneral(w, used, from + 1);
    for (std::size_t j = from + 1; j < w.Size(); ++j)
    {
        if (!used[j])
        {
            used[j] = 1;
            best = std::max(best, w.At(from, j) + BestGeneral(w, used, from + 1));
            used[j] = 0;
        }
    }
    used[from] = 0;
    return best;
}

} // namespace

/**
 * @ingroup photonic-moe
 * Exact matchings equal the exhaustive optimum (n <= 6, both circuit models, ties and zeros);
 * greedy matchings are valid and at least half the optimum.
 */
class MatchingBruteForceTestCase : public TestCase
{
  public:
    MatchingBruteForceTestCase()
        : TestCase("Matching: exact = exhaustive optimum, greedy >= half of it, n <= 6")
    {
    }

  private:
    void DoRun() override
    {
        std::mt19937 rng(12345);
        for (std::size_t n = 1; n <= 6; ++n)
        {
            for (int rep = 0; rep < 40; ++rep)
            {
                const uint64_t range = (rep % 2 == 0) ? 3 : 1000;
                const DemandMatrix d = SeededDemand(n, range, rep % 3 == 0 ? 60 : 10, rng);
                const DemandMatrix pairs = d.PairSums();
                std::vector<char> used(n, 0);
                const Bytes bestUni = BestAssignment(d);
                const Bytes bestDup = BestGeneral(pairs, used, 0);
                for (auto model : {CircuitModel::UNIDIRECTIONAL, CircuitModel::DUPLEX})
                {
                    const Bytes best = model == CircuitModel::DUPLEX ? bestDup : bestUni;
                    const auto exact = MaxWeightMatching(d, model, MatchingAlgorithm::EXACT);
                    const auto greedy = MaxWeightMatching(d, model, MatchingAlgorithm::GREEDY);
                    NS_TEST_EXPECT_MSG_EQ(CheckMatching(exact, n, model), "", "valid matching");
                    NS_TEST_EXPECT_MSG_EQ(CheckMatching(greedy, n, model), "", "valid matching");
                    NS_TEST_EXPECT_MSG_EQ(MatchingWeight(d, exact, model),
                                          best,
                                          "exact matching is optimal (n=" << n << ")");
                    const Bytes g = MatchingWeight(d, greedy, model);
                    NS_TEST_EXPECT_MSG_EQ((2 * g >= best && g <= best),
                                          true,
                                          "greedy within a factor 2 of the optimum");
                }
            }
        }
    }
};

/**
 * @ingroup photonic-moe
 * PerfectMatchingOnSupport finds an embedded derangement and rejects a Hall violation.
 */
class PerfectMatchingTestCase : public TestCase
{
  public:
    PerfectMatchingTestCase()
        : TestCase("Matching: perfect matching on a support (Hopcroft-Karp)")
    {
    }

  private:
    void DoRun() override
    {
        std::mt19937 rng(777);
        for (std::size_t n = 2; n <= 24; ++n)
        {
            // cyclic shift by a random offset: a permutation without fixed points
            const std::size_t shift = 1 + rng() % (n - 1);
            DemandMatrix w(n);
            for (std::size_t i = 0; i < n; ++i)
            {
                w.Set(i, (i + shift) % n, 1 + static_cast<Bytes>(rng() % 9));
                const std::size_t j = rng() % n;
                if (j != i)
                {
                    w.Set(i, j, 1);
                }
            }
            const std::vector<int32_t> mate = PerfectMatchingOnSupport(w);
            NS_TEST_ASSERT_MSG_EQ(mate.size(), n, "perfect matching found");
            std::vector<char> taken(n, 0);
            for (std::size_t i = 0; i < n; ++i)
            {
                const auto j = static_cast<std::size_t>(mate[i]);
                NS_TEST_EXPECT_MSG_GT(w.At(i, j), 0, "uses the support only");
                NS_TEST_EXPECT_MSG_EQ(taken[j], 0, "each column once");
                taken[j] = 1;
            }
        }
        // Rows 0 and 1 both need column 2 only.
        DemandMatrix bad({{0, 0, 1, 0}, {0, 0, 1, 0}, {1, 1, 0, 1}, {1, 1, 1, 0}});
        NS_TEST_EXPECT_MSG_EQ(PerfectMatchingOnSupport(bad).empty(), true, "Hall violation");
    }
};

void
AddMatchingTestCases(const AddTestCaseFn& add)
{
    add(new MatchingBruteForceTestCase);
    add(new PerfectMatchingTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
