/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Matching algorithms against independent oracles: exhaustive enumeration (n <= 8), a subset
// dynamic program for general graphs (n <= 16), and a textbook O(n^3) Hungarian method written
// here separately (n <= 100).

#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-matching.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"

#include <algorithm>
#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

using namespace ns3::pmoe;

namespace
{

/// Kinds of random weight matrices.
enum class Shape
{
    DENSE,  //!< uniform in [0, 10^6)
    TIES,   //!< uniform in [0, 4): many equal weights and zeros
    SPARSE, //!< 25% nonzero, uniform in [1, 100]
    BINARY, //!< 0 or 1
    HUGE,   //!< large byte counts, uniform in [0, 10^12)
    NEAR    //!< near-equal values 1000..1002: many nested blossoms, many ties
};

const Shape kShapes[] =
    {Shape::DENSE, Shape::TIES, Shape::SPARSE, Shape::BINARY, Shape::HUGE, Shape::NEAR};

DemandMatrix
RandomMatrix(std::size_t n, Shape shape, std::mt19937_64& rng, bool symmetric)
{
    DemandMatrix d(n);
    auto draw = [&]() -> Bytes {
        switch (shape)
        {
        case Shape::DENSE:
            return static_cast<Bytes>(rng() % 1000000);
        case Shape::TIES:
            return static_cast<Bytes>(rng() % 4);
        case Shape::SPARSE:
            return (rng() % 4 == 0) ? static_cast<Bytes>(1 + rng() % 100) : 0;
        case Shape::BINARY:
            return static_cast<Bytes>(rng() % 2);
        case Shape::HUGE:
            return static_cast<Bytes>(rng() % 1000000000000ULL);
        case Shape::NEAR:
            return static_cast<Bytes>(1000 + rng() % 3);
        }
        return 0;
    };
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = symmetric ? i + 1 : 0; j < n; ++j)
        {
            if (i == j)
            {
                continue;
            }
            const Bytes v = draw();
            d.Set(i, j, v);
            if (symmetric)
            {
                d.Set(j, i, v);
            }
        }
    }
    return d;
}

/// Best assignment weight by enumerating all permutations (n <= 8).
Bytes
BruteForceBipartite(const DemandMatrix& w)
{
    const std::size_t n = w.Size();
    std::vector<std::size_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    Bytes best = 0;
    do
    {
        Bytes sum = 0;
        for (std::size_t i = 0; i < n; ++i)
        {
            sum += w.At(i, perm[i]);
        }
        best = std::max(best, sum);
    } while (std::next_permutation(perm.begin(), perm.end()));
    return best;
}

/// Best general-graph matching weight by enumerating all matchings recursively (n <= 8).
Bytes
EnumerateMatchings(const DemandMatrix& w, std::vector<char>& used, std::size_t from)
{
    const std::size_t n = w.Size();
    while (from < n && used[from])
    {
        ++from;
    }
    if (from >= n)
    {
        return 0;
    }
    used[from] = 1;
    Bytes best = EnumerateMatchings(w, used, from + 1); // leave `from` unmatched
    for (std::size_t j = from + 1; j < n; ++j)
    {
        if (!used[j])
        {
            used[j] = 1;
            best = std::max(best, w.At(from, j) + EnumerateMatchings(w, used, from + 1));
            used[j] = 0;
        }
    }
    used[from] = 0;
    return best;
}

Bytes
BruteForceGeneral(const DemandMatrix& w)
{
    std::vector<char> used(w.Size(), 0);
    return EnumerateMatchings(w, used, 0);
}

/// Best general-graph matching weight by a dynamic program over vertex subsets (n <= 18).
Bytes
SubsetDpGeneral(const DemandMatrix& w)
{
    const std::size_t n = w.Size();
    const std::size_t full = std::size_t{1} << n;
    std::vector<Bytes> best(full, 0);
    for (std::size_t s = 1; s < full; ++s)
    {
        std::size_t i = 0;
        while (!((s >> i) & 1U))
        {
            ++i;
        }
        const std::size_t rest = s & ~(std::size_t{1} << i);
        Bytes b = best[rest];
        for (std::size_t j = i + 1; j < n; ++j)
        {
            if ((rest >> j) & 1U)
            {
                b = std::max(b, w.At(i, j) + best[rest & ~(std::size_t{1} << j)]);
            }
        }
        best[s] = b;
    }
    return best[full - 1];
}

/// Textbook Hungarian method (shortest augmenting paths with potentials), O(n^3), minimising
/// -w; written independently of the module's Jonker-Volgenant solver.
Bytes
TextbookHungarian(const DemandMatrix& w)
{
    const std::size_t n = w.Size();
    const int64_t inf = std::numeric_limits<int64_t>::max() / 4;
    std::vector<int64_t> u(n + 1, 0);
    std::vector<int64_t> v(n + 1, 0);
    std::vector<std::size_t> p(n + 1, 0);
    std::vector<std::size_t> way(n + 1, 0);
    for (std::size_t i = 1; i <= n; ++i)
    {
        p[0] = i;
        std::size_t j0 = 0;
        std::vector<int64_t> minv(n + 1, inf);
        std::vector<char> used(n + 1, 0);
        do
        {
            used[j0] = 1;
            const std::size_t i0 = p[j0];
            int64_t delta = inf;
            std::size_t j1 = 0;
            for (std::size_t j = 1; j <= n; ++j)
            {
                if (!used[j])
                {
                    const int64_t cur = -w.At(i0 - 1, j - 1) - u[i0] - v[j];
                    if (cur < minv[j])
                    {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if (minv[j] < delta)
                    {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for (std::size_t j = 0; j <= n; ++j)
            {
                if (used[j])
                {
                    u[p[j]] += delta;
                    v[j] -= delta;
                }
                else
                {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (p[j0] != 0);
        do
        {
            const std::size_t j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0 != 0);
    }
    Bytes sum = 0;
    for (std::size_t j = 1; j <= n; ++j)
    {
        sum += w.At(p[j] - 1, j - 1);
    }
    return sum;
}

/// Checks a bipartite mate vector and returns its weight.
Bytes
CheckBipartiteMate(const DemandMatrix& w, const std::vector<int32_t>& mate)
{
    const std::size_t n = w.Size();
    EXPECT_EQ(mate.size(), n);
    std::vector<char> taken(n, 0);
    Bytes sum = 0;
    for (std::size_t i = 0; i < mate.size(); ++i)
    {
        if (mate[i] < 0)
        {
            EXPECT_EQ(mate[i], -1);
            continue;
        }
        const auto j = static_cast<std::size_t>(mate[i]);
        EXPECT_LT(j, n);
        EXPECT_NE(j, i) << "self circuit";
        EXPECT_FALSE(taken[j]) << "column " << j << " used twice";
        taken[j] = 1;
        EXPECT_GT(w.At(i, j), 0) << "zero-weight pair reported as matched";
        sum += w.At(i, j);
    }
    return sum;
}

/// Checks a general-graph mate vector (symmetric) and returns its weight.
Bytes
CheckGeneralMate(const DemandMatrix& w, const std::vector<int32_t>& mate)
{
    const std::size_t n = w.Size();
    EXPECT_EQ(mate.size(), n);
    Bytes sum = 0;
    for (std::size_t i = 0; i < mate.size(); ++i)
    {
        if (mate[i] < 0)
        {
            EXPECT_EQ(mate[i], -1);
            continue;
        }
        const auto j = static_cast<std::size_t>(mate[i]);
        EXPECT_LT(j, n);
        EXPECT_NE(j, i) << "self circuit";
        EXPECT_EQ(mate[j], static_cast<int32_t>(i)) << "mate not symmetric at " << i;
        EXPECT_GT(w.At(i, j), 0) << "zero-weight pair reported as matched";
        if (i < j)
        {
            sum += w.At(i, j);
        }
    }
    return sum;
}

/// Greedy must be maximal: no positive edge with both ends free.
void
CheckMaximal(const DemandMatrix& w, const std::vector<int32_t>& mate, CircuitModel model)
{
    const std::size_t n = w.Size();
    std::vector<char> received(n, 0);
    if (model == CircuitModel::UNIDIRECTIONAL)
    {
        for (int32_t j : mate)
        {
            if (j >= 0)
            {
                received[static_cast<std::size_t>(j)] = 1;
            }
        }
    }
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            if (i == j || w.At(i, j) == 0)
            {
                continue;
            }
            const bool dstFree = model == CircuitModel::UNIDIRECTIONAL ? !received[j] : mate[j] < 0;
            EXPECT_FALSE(mate[i] < 0 && dstFree) << "greedy left edge " << i << "-" << j;
        }
    }
}

} // namespace

TEST(Matching, BipartiteAgainstBruteForce)
{
    std::mt19937_64 rng(20260101);
    BipartiteMatcher matcher; // one object: workspace reused across sizes
    int checked = 0;
    for (std::size_t n = 0; n <= 8; ++n)
    {
        for (Shape shape : kShapes)
        {
            const int reps = n <= 6 ? 40 : 8;
            for (int r = 0; r < reps; ++r)
            {
                const DemandMatrix w = RandomMatrix(n, shape, rng, false);
                const Bytes got = CheckBipartiteMate(w, matcher.Solve(w));
                ASSERT_EQ(got, BruteForceBipartite(w)) << "n=" << n << " rep " << r;
                const Bytes greedy =
                    CheckBipartiteMate(w, GreedyMatching(w, CircuitModel::UNIDIRECTIONAL));
                EXPECT_GE(2 * greedy, got);
                EXPECT_LE(greedy, got);
                CheckMaximal(w,
                             GreedyMatching(w, CircuitModel::UNIDIRECTIONAL),
                             CircuitModel::UNIDIRECTIONAL);
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 1000);
}

TEST(Matching, GeneralAgainstBruteForce)
{
    std::mt19937_64 rng(20260102);
    GeneralMatcher matcher;
    for (std::size_t n = 0; n <= 8; ++n)
    {
        for (Shape shape : kShapes)
        {
            const int reps = n <= 6 ? 60 : 15;
            for (int r = 0; r < reps; ++r)
            {
                const DemandMatrix w = RandomMatrix(n, shape, rng, true);
                const Bytes got = CheckGeneralMate(w, matcher.Solve(w));
                ASSERT_EQ(got, BruteForceGeneral(w)) << "n=" << n << " rep " << r;
                const auto greedyMate = GreedyMatching(w, CircuitModel::DUPLEX);
                const Bytes greedy = CheckGeneralMate(w, greedyMate);
                EXPECT_GE(2 * greedy, got);
                EXPECT_LE(greedy, got);
                CheckMaximal(w, greedyMate, CircuitModel::DUPLEX);
            }
        }
    }
}

TEST(Matching, GeneralAgainstSubsetDp)
{
    // Up to 16 vertices: deep blossom nesting and dual steps of every kind occur here.
    std::mt19937_64 rng(20260103);
    GeneralMatcher matcher;
    for (std::size_t n = 9; n <= 16; ++n)
    {
        for (Shape shape : kShapes)
        {
            const int reps = n <= 12 ? 12 : 4;
            for (int r = 0; r < reps; ++r)
            {
                const DemandMatrix w = RandomMatrix(n, shape, rng, true);
                ASSERT_EQ(CheckGeneralMate(w, matcher.Solve(w)), SubsetDpGeneral(w))
                    << "n=" << n << " rep " << r;
            }
        }
    }
}

TEST(Matching, GeneralOnBipartiteGraphsEqualsAssignment)
{
    // A general graph whose edges all cross two halves is bipartite: the blossom algorithm
    // must then agree with the assignment solver on the cross block (independent check for
    // larger n).
    std::mt19937_64 rng(20260104);
    GeneralMatcher general;
    BipartiteMatcher bipartite;
    for (std::size_t half : {5, 17, 40, 64})
    {
        for (Shape shape : kShapes)
        {
            const DemandMatrix block = RandomMatrix(half, shape, rng, false);
            // block(i, i) is zero (diagonal); fill it in too so that the halves are complete.
            std::vector<std::vector<Bytes>> cross(half, std::vector<Bytes>(half, 0));
            DemandMatrix g(2 * half);
            DemandMatrix rect(2 * half); // rows 0..half-1 -> columns half..2half-1
            for (std::size_t i = 0; i < half; ++i)
            {
                for (std::size_t j = 0; j < half; ++j)
                {
                    const Bytes v = (i == j) ? static_cast<Bytes>(rng() % 50) : block.At(i, j);
                    g.Set(i, half + j, v);
                    g.Set(half + j, i, v);
                    rect.Set(i, half + j, v);
                }
            }
            const Bytes viaGeneral = CheckGeneralMate(g, general.Solve(g));
            const Bytes viaAssignment = CheckBipartiteMate(rect, bipartite.Solve(rect));
            EXPECT_EQ(viaGeneral, viaAssignment) << "half=" << half;
        }
    }
}

TEST(Matching, BipartiteAgainstTextbookHungarian)
{
    std::mt19937_64 rng(20260105);
    BipartiteMatcher matcher;
    for (std::size_t n : {9, 10, 16, 23, 31, 50, 64, 77, 100})
    {
        for (Shape shape : kShapes)
        {
            for (int r = 0; r < 3; ++r)
            {
                const DemandMatrix w = RandomMatrix(n, shape, rng, false);
                ASSERT_EQ(CheckBipartiteMate(w, matcher.Solve(w)), TextbookHungarian(w))
                    << "n=" << n << " rep " << r;
            }
        }
    }
}

TEST(Matching, MaxWeightMatchingCircuits)
{
    std::mt19937_64 rng(20260106);
    for (std::size_t n = 2; n <= 7; ++n)
    {
        for (int r = 0; r < 30; ++r)
        {
            const DemandMatrix d = RandomMatrix(n, r % 2 ? Shape::SPARSE : Shape::TIES, rng, false);
            for (auto algo : {MatchingAlgorithm::EXACT, MatchingAlgorithm::GREEDY})
            {
                const auto uni = MaxWeightMatching(d, CircuitModel::UNIDIRECTIONAL, algo);
                EXPECT_EQ(CheckMatching(uni, n, CircuitModel::UNIDIRECTIONAL), "");
                EXPECT_TRUE(std::is_sorted(uni.begin(), uni.end()));
                for (const auto& c : uni)
                {
                    EXPECT_GT(d.At(c.src, c.dst), 0);
                }
                const auto dup = MaxWeightMatching(d, CircuitModel::DUPLEX, algo);
                EXPECT_EQ(CheckMatching(dup, n, CircuitModel::DUPLEX), "");
                EXPECT_TRUE(std::is_sorted(dup.begin(), dup.end()));
                for (const auto& c : dup)
                {
                    EXPECT_LT(c.src, c.dst);
                    EXPECT_GT(d.At(c.src, c.dst) + d.At(c.dst, c.src), 0);
                }
                if (algo == MatchingAlgorithm::EXACT)
                {
                    EXPECT_EQ(MatchingWeight(d, uni, CircuitModel::UNIDIRECTIONAL),
                              BruteForceBipartite(d));
                    EXPECT_EQ(MatchingWeight(d, dup, CircuitModel::DUPLEX),
                              BruteForceGeneral(d.PairSums()));
                }
            }
        }
    }
}

TEST(Matching, MatchingWeightAndInputChecks)
{
    const DemandMatrix d({{0, 5, 1}, {2, 0, 7}, {3, 4, 0}});
    const std::vector<Circuit> uni{{0, 1}, {1, 2}, {2, 0}};
    EXPECT_EQ(MatchingWeight(d, uni, CircuitModel::UNIDIRECTIONAL), 5 + 7 + 3);
    const std::vector<Circuit> dup{{0, 2}};
    EXPECT_EQ(MatchingWeight(d, dup, CircuitModel::DUPLEX), 1 + 3);
    EXPECT_THROW(MatchingWeight(d, {{0, 3}}, CircuitModel::UNIDIRECTIONAL), InputError);
    GeneralMatcher general;
    EXPECT_THROW(general.Solve(d), InputError); // not symmetric
    EXPECT_THROW(GreedyMatching(d, CircuitModel::DUPLEX), InputError);
    DemandMatrix huge(4);
    huge.Set(0, 1, std::numeric_limits<Bytes>::max() / 2);
    BipartiteMatcher bipartite;
    EXPECT_THROW(bipartite.Solve(huge), InputError);
    // Known small cases.
    EXPECT_EQ(MaxWeightMatching(d, CircuitModel::UNIDIRECTIONAL, MatchingAlgorithm::EXACT),
              (std::vector<Circuit>{{0, 1}, {1, 2}, {2, 0}}));
    // Duplex pair sums: (0,1)=7, (0,2)=4, (1,2)=11 -> best single circuit is 1-2.
    EXPECT_EQ(MaxWeightMatching(d, CircuitModel::DUPLEX, MatchingAlgorithm::EXACT),
              (std::vector<Circuit>{{1, 2}}));
    const DemandMatrix zero(5);
    EXPECT_TRUE(MaxWeightMatching(zero, CircuitModel::DUPLEX, MatchingAlgorithm::EXACT).empty());
    EXPECT_TRUE(
        MaxWeightMatching(zero, CircuitModel::UNIDIRECTIONAL, MatchingAlgorithm::EXACT).empty());
    EXPECT_TRUE(
        MaxWeightMatching(DemandMatrix(), CircuitModel::DUPLEX, MatchingAlgorithm::GREEDY).empty());
}

TEST(Matching, GreedyTieBreakIsBySrcThenDst)
{
    // All weights equal: greedy takes edges in (src, dst) order.
    DemandMatrix d(4);
    for (std::size_t i = 0; i < 4; ++i)
    {
        for (std::size_t j = 0; j < 4; ++j)
        {
            d.Set(i, j, i == j ? 0 : 1);
        }
    }
    EXPECT_EQ(GreedyMatching(d, CircuitModel::UNIDIRECTIONAL), (std::vector<int32_t>{1, 0, 3, 2}));
    EXPECT_EQ(GreedyMatching(d, CircuitModel::DUPLEX), (std::vector<int32_t>{1, 0, 3, 2}));
    // Heaviest first.
    const DemandMatrix e({{0, 1, 9}, {1, 0, 5}, {9, 5, 0}});
    EXPECT_EQ(GreedyMatching(e, CircuitModel::DUPLEX), (std::vector<int32_t>{2, -1, 0}));
}

TEST(Matching, DeterministicAndWorkspaceReuse)
{
    std::mt19937_64 rng(20260107);
    BipartiteMatcher reused;
    GeneralMatcher reusedGeneral;
    for (std::size_t n : {12, 5, 30, 1, 12, 0, 64, 7})
    {
        for (Shape shape : {Shape::TIES, Shape::BINARY, Shape::DENSE})
        {
            const DemandMatrix w = RandomMatrix(n, shape, rng, false);
            BipartiteMatcher fresh;
            const std::vector<int32_t> a = reused.Solve(w);
            EXPECT_EQ(a, fresh.Solve(w));
            EXPECT_EQ(a, reused.Solve(w));
            const DemandMatrix s = w.PairSums();
            GeneralMatcher freshGeneral;
            const std::vector<int32_t> b = reusedGeneral.Solve(s);
            EXPECT_EQ(b, freshGeneral.Solve(s));
            EXPECT_EQ(b, reusedGeneral.Solve(s));
            EXPECT_EQ(PerfectMatchingOnSupport(w), PerfectMatchingOnSupport(w));
        }
    }
}

TEST(Matching, PerfectMatchingOnSupportFindsEmbeddedPermutation)
{
    std::mt19937_64 rng(20260108);
    for (std::size_t n = 2; n <= 60; n += (n < 10 ? 1 : 7))
    {
        for (int r = 0; r < 10; ++r)
        {
            // A random derangement (no fixed point: the diagonal is never allowed).
            std::vector<std::size_t> perm(n);
            std::iota(perm.begin(), perm.end(), 0);
            do
            {
                std::shuffle(perm.begin(), perm.end(), rng);
            } while (std::any_of(perm.begin(), perm.end(), [&](std::size_t& p) {
                return p == static_cast<std::size_t>(&p - perm.data());
            }));
            DemandMatrix w(n);
            for (std::size_t i = 0; i < n; ++i)
            {
                w.Set(i, perm[i], 1 + static_cast<Bytes>(rng() % 5));
                for (int k = 0; k < 2; ++k) // noise edges
                {
                    const std::size_t j = rng() % n;
                    if (j != i)
                    {
                        w.Set(i, j, 1 + static_cast<Bytes>(rng() % 5));
                    }
                }
            }
            const std::vector<int32_t> mate = PerfectMatchingOnSupport(w);
            ASSERT_EQ(mate.size(), n);
            std::vector<char> taken(n, 0);
            for (std::size_t i = 0; i < n; ++i)
            {
                ASSERT_GE(mate[i], 0);
                const auto j = static_cast<std::size_t>(mate[i]);
                EXPECT_GT(w.At(i, j), 0);
                EXPECT_FALSE(taken[j]);
                taken[j] = 1;
            }
        }
    }
}

TEST(Matching, PerfectMatchingOnSupportDetectsHallViolation)
{
    // Rows 0..2 may only use columns 3 and 4: Hall's condition fails.
    DemandMatrix w(6);
    for (std::size_t i = 0; i < 3; ++i)
    {
        w.Set(i, 3, 1);
        w.Set(i, 4, 1);
    }
    for (std::size_t i = 3; i < 6; ++i)
    {
        for (std::size_t j = 0; j < 6; ++j)
        {
            if (i != j)
            {
                w.Set(i, j, 1);
            }
        }
    }
    EXPECT_TRUE(PerfectMatchingOnSupport(w).empty());
    // An all-zero row or a permutation needing the diagonal has no perfect matching either.
    EXPECT_TRUE(PerfectMatchingOnSupport(DemandMatrix({{0, 1}, {0, 0}})).empty());
    EXPECT_TRUE(PerfectMatchingOnSupport(DemandMatrix({{5, 0}, {0, 5}})).empty());
    EXPECT_EQ(PerfectMatchingOnSupport(DemandMatrix({{0, 1}, {1, 0}})),
              (std::vector<int32_t>{1, 0}));

    // Random supports against exhaustive search (n <= 7).
    std::mt19937_64 rng(20260109);
    for (std::size_t n = 1; n <= 7; ++n)
    {
        for (int r = 0; r < 60; ++r)
        {
            const DemandMatrix m =
                RandomMatrix(n, r % 2 ? Shape::SPARSE : Shape::BINARY, rng, false);
            std::vector<std::size_t> perm(n);
            std::iota(perm.begin(), perm.end(), 0);
            bool exists = false;
            do
            {
                bool ok = true;
                for (std::size_t i = 0; i < n && ok; ++i)
                {
                    ok = m.At(i, perm[i]) > 0;
                }
                exists = exists || ok;
            } while (!exists && std::next_permutation(perm.begin(), perm.end()));
            const std::vector<int32_t> mate = PerfectMatchingOnSupport(m);
            EXPECT_EQ(!mate.empty(), exists) << "n=" << n << " rep " << r;
            if (!mate.empty())
            {
                std::vector<char> taken(n, 0);
                for (std::size_t i = 0; i < n; ++i)
                {
                    const auto j = static_cast<std::size_t>(mate[i]);
                    EXPECT_GT(m.At(i, j), 0);
                    EXPECT_FALSE(taken[j]);
                    taken[j] = 1;
                }
            }
        }
    }
}
