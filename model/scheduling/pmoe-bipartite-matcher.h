/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_BIPARTITE_MATCHER_H
#define PMOE_BIPARTITE_MATCHER_H

/**
 * @file
 * @ingroup photonic-moe
 * Exact maximum-weight bipartite matching (Jonker-Volgenant), for the unidirectional circuit
 * model.
 */

#include "pmoe-demand-matrix.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * Exact maximum-weight bipartite matching (rows = transmitting ports, columns = receiving
 * ports) by the Hungarian method with potentials, in the Jonker-Volgenant form (column
 * reduction, reduction transfer, augmenting row reduction, then shortest augmenting paths),
 * O(n^3), in exact int64 arithmetic. The object keeps its workspace so that repeated calls on
 * same-size inputs allocate nothing.
 *
 * Ties are broken deterministically: the same input always gives the same matching.
 */
class BipartiteMatcher
{
  public:
    /**
     * @param w n x n non-negative weights; diagonal entries are zero (no self circuits)
     * @return mate: mate[i] = column matched to row i, or -1; only pairs with positive
     *         weight are reported as matched (valid until the next call)
     * @throws InputError if a weight exceeds INT64_MAX / (8 (n + 1)) (exactness limit)
     */
    const std::vector<int32_t>& Solve(const DemandMatrix& w);

  private:
    // Workspace reused across calls (grown on first use, never shrunk).
    std::vector<int64_t> m_v;       //!< column potentials (min-cost form)
    std::vector<int64_t> m_d;       //!< shortest-path distances of the current augmentation
    std::vector<int32_t> m_rowSol;  //!< row -> assigned column, or -1
    std::vector<int32_t> m_colSol;  //!< column -> assigned row, or -1
    std::vector<int32_t> m_pred;    //!< column -> predecessor row on the shortest path tree
    std::vector<int32_t> m_colList; //!< columns, partitioned into scanned / todo / rest
    std::vector<int32_t> m_free;    //!< rows still unassigned
    std::vector<int32_t> m_matches; //!< column reduction: columns whose minimum is in a row
    std::vector<int32_t> m_mate;    //!< the result
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_BIPARTITE_MATCHER_H */
