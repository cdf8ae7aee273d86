/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_MATCHING_H
#define PMOE_MATCHING_H

/**
 * @file
 * @ingroup photonic-moe
 * Maximum-weight matchings of a demand matrix as circuits: the choice of algorithm, the
 * greedy approximation, a matcher that reuses its workspaces, and the input checks shared by
 * the exact matchers. The exact matchers themselves are BipartiteMatcher
 * (pmoe-bipartite-matcher.h) and GeneralMatcher (pmoe-general-matcher.h); perfect and
 * bottleneck matchings on a support are in pmoe-bottleneck-matching.h. All are included here.
 */

#include "pmoe-bipartite-matcher.h"
#include "pmoe-bottleneck-matching.h"
#include "pmoe-demand-matrix.h"
#include "pmoe-enum-names.h"
#include "pmoe-general-matcher.h"
#include "pmoe-schedule.h"

#include <cstddef>
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
    GREEDY //!< heaviest edge first: a 1/2-approximation, O(n^2) per radix-sort pass
};

/**
 * @ingroup photonic-moe
 * Names of MatchingAlgorithm: exact, greedy.
 */
template <>
struct EnumTable<MatchingAlgorithm>
{
    static constexpr const char* kNoun = "matching algorithm"; //!< for messages
    static constexpr bool kIgnoreCase = false;                 //!< names match exactly
    /** The names. */
    static constexpr EnumName<MatchingAlgorithm> kNames[] = {
        {MatchingAlgorithm::EXACT, "exact"},
        {MatchingAlgorithm::GREEDY, "greedy"},
    };
};

/**
 * @ingroup photonic-moe
 * Reject weights so large that the exact matchers' int64 dual arithmetic could overflow.
 * @param who caller name for the message
 * @param maxW the largest weight
 * @param n matrix size
 * @throws InputError "<who>: weight W too large for exact int64 arithmetic on N ports
 *         (limit L)" if @p maxW > INT64_MAX / (8 (n + 1))
 */
void CheckMatchingWeightRange(const char* who, Bytes maxW, std::size_t n);

/**
 * @ingroup photonic-moe
 * Require symmetric weights (duplex pair sums).
 * @param who caller name for the message
 * @param w the matrix
 * @throws InputError naming the first asymmetric pair
 */
void CheckSymmetricWeights(const char* who, const DemandMatrix& w);

/**
 * @ingroup photonic-moe
 * Greedy 1/2-approximate maximum-weight matching: edges by decreasing weight (ties by
 * (src, dst)), taken when both ends are free. Unidirectional: a sender side and a receiver
 * side (bipartite). Duplex: a general graph on the entries with src < dst.
 * @param w weights (unidirectional: D; duplex: symmetric pair sums)
 * @param model circuit model (bipartite or general graph)
 * @return mate as for the exact matchers (duplex: symmetric)
 * @throws InputError in the duplex model if @p w is not symmetric
 */
std::vector<int32_t> GreedyMatching(const DemandMatrix& w, CircuitModel model);

/**
 * @ingroup photonic-moe
 * Maximum-weight matching of a demand as circuits, keeping the exact matchers' workspaces
 * between calls (a decomposition takes many matchings of the same size). The result is the
 * same as MaxWeightMatching()'s.
 */
class MaxWeightMatcher
{
  public:
    /**
     * @param d demand; unidirectional weights D(i,j), duplex weights D(i,j) + D(j,i)
     * @param model circuit model
     * @param algo exact or greedy
     * @return circuits sorted by (src, dst), positive weight only (duplex: src < dst)
     */
    std::vector<Circuit> Solve(const DemandMatrix& d, CircuitModel model, MatchingAlgorithm algo);

  private:
    BipartiteMatcher m_bipartite; //!< reused across calls
    GeneralMatcher m_general;     //!< reused across calls
    std::vector<int32_t> m_mate;  //!< last matching
};

/**
 * @ingroup photonic-moe
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
 * @ingroup photonic-moe
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
