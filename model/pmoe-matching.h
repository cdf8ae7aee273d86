/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_MATCHING_H
#define PMOE_MATCHING_H

#include "pmoe-demand-matrix.h"
#include "pmoe-schedule.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * Which matching algorithm a decomposition uses.
 */
enum class MatchingAlgorithm
{
    EXACT, //!< maximum weight: Hungarian (bipartite) or blossom (general graph)
    GREEDY //!< heaviest edge first: a 1/2-approximation, O(n^2 log n)
};

/**
 * @ingroup photonic-moe
 * Exact maximum-weight bipartite matching (rows = transmitting ports, columns = receiving
 * ports) by the Hungarian method with potentials (Jonker-Volgenant style shortest augmenting
 * paths), O(n^3). The object keeps its workspace so that repeated calls on same-size inputs
 * allocate nothing.
 *
 * Ties are broken deterministically: the same input always gives the same matching.
 */
class BipartiteMatcher
{
  public:
    /**
     * @param w n x n non-negative weights; diagonal entries are zero (no self circuits)
     * @return mate: mate[i] = column matched to row i, or -1; only pairs with positive
     *         weight are reported as matched
     */
    const std::vector<int32_t>& Solve(const DemandMatrix& w);

  private:
    // Workspace reused across calls (sized on first use).
    std::vector<int64_t> m_u, m_v, m_minv;
    std::vector<int32_t> m_p, m_way, m_mate;
    std::vector<char> m_used;
};

/**
 * @ingroup photonic-moe
 * Exact maximum-weight matching on a general graph (Edmonds' blossom algorithm with dual
 * variables, O(n^3)), for the duplex circuit model. Written for this module: Boost's
 * maximum_weighted_matching before 1.88 is wrong, and LEMON 1.3.1 does not compile as C++20.
 */
class GeneralMatcher
{
  public:
    /**
     * @param w n x n symmetric non-negative weights (use DemandMatrix::PairSums())
     * @return mate: mate[i] = j and mate[j] = i for matched pairs, -1 for unmatched;
     *         only pairs with positive weight are matched
     */
    const std::vector<int32_t>& Solve(const DemandMatrix& w);

  private:
    std::vector<int32_t> m_mate;
};

/**
 * Greedy 1/2-approximate maximum-weight matching: edges by decreasing weight (ties by
 * (src, dst)), taken when both ends are free.
 * @param w weights (unidirectional: D; duplex: symmetric pair sums)
 * @param model circuit model (bipartite or general graph)
 * @return mate as for the exact matchers (duplex: symmetric)
 */
std::vector<int32_t> GreedyMatching(const DemandMatrix& w, CircuitModel model);

/**
 * Maximum-weight matching of demand @p d as circuits.
 * Unidirectional: weights D(i,j). Duplex: weights D(i,j) + D(j,i), circuits with src < dst.
 * @param d demand
 * @param model circuit model
 * @param algo exact or greedy
 * @return circuits sorted by (src, dst), only positive-weight pairs
 */
std::vector<Circuit> MaxWeightMatching(const DemandMatrix& d,
                                       CircuitModel model,
                                       MatchingAlgorithm algo);

/**
 * A perfect matching using only positive entries of a square matrix (Hopcroft-Karp),
 * deterministic. Used by the Birkhoff-von Neumann decomposition.
 * @param w matrix whose positive entries are the allowed edges (diagonal is never allowed)
 * @return mate[i] = j for every row, or an empty vector if no perfect matching exists
 */
std::vector<int32_t> PerfectMatchingOnSupport(const DemandMatrix& w);

/**
 * Total weight of a matching given as circuits.
 * @param w weights
 * @param circuits circuits (unidirectional: w(src,dst); duplex: w(src,dst) + w(dst,src))
 * @param model circuit model
 * @return the sum
 */
Bytes MatchingWeight(const DemandMatrix& w,
                     const std::vector<Circuit>& circuits,
                     CircuitModel model);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_MATCHING_H */
