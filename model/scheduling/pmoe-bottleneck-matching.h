/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_BOTTLENECK_MATCHING_H
#define PMOE_BOTTLENECK_MATCHING_H

/**
 * @file
 * @ingroup photonic-moe
 * Perfect matchings on the support of a square matrix: Hopcroft-Karp on a DemandMatrix, and
 * the warm-started bottleneck matcher behind the Birkhoff-von Neumann decomposition and
 * Solstice.
 */

#include "pmoe-demand-matrix.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * A perfect matching using only positive entries of a square matrix (Hopcroft-Karp),
 * deterministic.
 * @param w matrix whose positive entries are the allowed edges (diagonal is never allowed)
 * @return mate[i] = j for every row, or an empty vector if no perfect matching exists
 */
std::vector<int32_t> PerfectMatchingOnSupport(const DemandMatrix& w);

/**
 * @ingroup photonic-moe
 * Perfect matchings on a dense square matrix whose entries above a floor are the allowed
 * edges (the diagonal is allowed: a port paired with itself idles). The matching is kept
 * between calls, so that after a small change to the matrix only the broken rows are
 * re-augmented (warm start). Instantiated for double (BvN after Sinkhorn) and Bytes (exact
 * BvN after quick-stuff, Solstice).
 */
template <typename T>
class BottleneckMatcher
{
  public:
    /** @param n matrix size */
    explicit BottleneckMatcher(std::size_t n);

    /**
     * Drop matched edges whose entry is <= @p floor, then augment every free row using only
     * entries > @p floor. Stops at the first row that cannot be matched: no perfect matching
     * exists on that edge set, and the state is a valid (partial) matching that a later call
     * with a lower floor continues from.
     * @param a row-major matrix
     * @param floor entries > floor are edges
     * @return true if the matching is perfect
     */
    bool Repair(const std::vector<T>& a, T floor);

    /**
     * A bottleneck perfect matching on the entries > @p floor: among the perfect matchings,
     * one whose smallest entry is largest. Starts from the warm matching (repaired), then
     * binary-searches the threshold t over the distinct entries between its smallest entry
     * and an upper bound (the smallest line maximum), testing "is there a perfect matching
     * on the entries >= t" by a warm-started Repair(); each successful test raises the lower
     * end to the smallest entry of the matching it found.
     * @param a row-major matrix
     * @param floor entries > floor are edges
     * @return false if there is no perfect matching at all
     */
    bool Bottleneck(const std::vector<T>& a, T floor);

    /** @param a matrix @return the smallest entry on the (perfect) matching */
    T MinEntry(const std::vector<T>& a) const;

    /** @return mate of every row (a perfect matching after a successful call) */
    const std::vector<int32_t>& MateRow() const
    {
        return m_mateRow;
    }

  private:
    /**
     * @param v a value
     * @return the largest value below @p v (entries > it are exactly the entries >= v)
     */
    static T Below(T v);

    /**
     * Breadth-first search for an augmenting path from free row @p root.
     * @param a matrix
     * @param root free row
     * @param floor entries > floor are edges
     * @return true if the matching grew
     */
    bool Augment(const std::vector<T>& a, std::size_t root, T floor);

    std::size_t m_n;                  //!< matrix size
    std::vector<int32_t> m_mateRow;   //!< row -> column, or -1
    std::vector<int32_t> m_mateCol;   //!< column -> row, or -1
    std::vector<int32_t> m_parentRow; //!< column -> row it was reached from (search)
    std::vector<char> m_seenCol;      //!< column reached (search)
    std::vector<int32_t> m_queue;     //!< rows to scan (search)
    std::vector<int32_t> m_saveRow;   //!< last perfect matching (bottleneck search)
    std::vector<int32_t> m_saveCol;   //!< its columns
    std::vector<T> m_candidates;      //!< thresholds still to test (bottleneck search)
    std::vector<T> m_colMax;          //!< column maxima (bottleneck upper bound)
};

extern template class BottleneckMatcher<double>;
extern template class BottleneckMatcher<Bytes>;

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_BOTTLENECK_MATCHING_H */
