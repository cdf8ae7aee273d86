/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_STUFFING_H
#define PMOE_STUFFING_H

/**
 * @file
 * @ingroup photonic-moe
 * Stuffing a demand matrix to equal line sums before a Birkhoff-von Neumann decomposition:
 * Sinkhorn-Knopp scaling (TMS, Mordia) and Solstice's integer quick-stuff.
 */

#include "pmoe-demand-matrix.h"
#include "pmoe-units.h"

#include <cstddef>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * A matrix scaled to (approximately) doubly stochastic form by Sinkhorn-Knopp, as TMS (Mordia)
 * stuffs demand before its Birkhoff-von Neumann decomposition. See SinkhornStuff().
 */
struct SinkhornResult
{
    std::size_t n{0};           //!< ports
    std::vector<double> matrix; //!< row-major n x n, zero diagonal, every line sum close to 1
    bool epsilonAdded{false};   //!< whether a small epsilon was added to all off-diagonal
                                //!< entries (zero line, or a support without total support)
    std::size_t iterations{0};  //!< row+column normalisation rounds of the accepted run
    double maxLineError{0};     //!< max over rows and columns of |line sum - 1|
};

/**
 * @ingroup photonic-moe
 * Sinkhorn-Knopp scaling: the off-diagonal demand (divided by its largest entry) is scaled
 * by alternate row and column normalisation until every line sum is within
 * tolerance / 10 of 1, or 5,000 rounds. Sinkhorn converges to a doubly stochastic matrix
 * with the same zero pattern only if the support has total support (every nonzero lies on a
 * perfect matching of the support). If a row or column is zero, or the first run does not
 * converge within the cap (the symptom of a support without total support), a small
 * epsilon (1e-6 of the largest entry) is added to every off-diagonal entry and the scaling
 * is rerun (up to 20,000 rounds): the result is then fully indecomposable (N >= 3) and
 * Sinkhorn converges; pairs without demand get (small or, for an idle port, large) stuffed
 * capacity. An all-zero demand gives the uniform matrix 1 / (N - 1) off the diagonal.
 * @param d demand (N >= 2)
 * @param tolerance target accuracy, in (0, 1)
 * @return the scaled matrix
 */
SinkhornResult SinkhornStuff(const DemandMatrix& d, double tolerance);

/**
 * @ingroup photonic-moe
 * A demand matrix stuffed with integer dummy demand to equal line sums (Solstice's
 * quick-stuff). See QuickStuff().
 */
struct QuickStuffResult
{
    std::size_t n{0};            //!< ports
    std::vector<Bytes> matrix;   //!< row-major n x n; every row and column sums to lineSum;
                                 //!< the diagonal may hold dummy demand (that port idles)
    Bytes lineSum{0};            //!< rho of the demand
    Bytes dummyBytes{0};         //!< off-diagonal dummy bytes added
    Bytes diagonalDummyBytes{0}; //!< dummy bytes put on the diagonal
};

/**
 * @ingroup photonic-moe
 * Solstice's quick-stuff: raise every line sum to rho (the largest line sum) with integer
 * dummy demand, visiting entries in row-major order and adding min(row deficit, column
 * deficit): first to entries that already carry demand (the support does not grow), then to
 * zero off-diagonal entries, and last to the diagonal. The diagonal is needed only when one
 * port is left with both a row and a column deficit that no off-diagonal entry can absorb
 * (e.g. an idle port while every other line is full); a diagonal entry in a permutation
 * means that port has no circuit in that configuration.
 * @param d demand
 * @return the stuffed matrix
 */
QuickStuffResult QuickStuff(const DemandMatrix& d);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_STUFFING_H */
