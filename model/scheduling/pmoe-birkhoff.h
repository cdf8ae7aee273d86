/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_BIRKHOFF_H
#define PMOE_BIRKHOFF_H

/**
 * @file
 * @ingroup photonic-moe
 * Birkhoff-von Neumann decomposition of a matrix with (nearly) equal line sums into
 * weighted permutations, by bottleneck perfect matchings (pmoe-bottleneck-matching.h).
 */

#include "pmoe-units.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * One term of a Birkhoff-von Neumann decomposition: coefficient x permutation matrix.
 */
template <typename T>
struct BirkhoffTerm
{
    T coefficient{};            //!< weight of the permutation
    std::vector<uint32_t> perm; //!< perm[i] = j; perm[i] == i means port i idles
};

/**
 * @ingroup photonic-moe
 * Birkhoff-von Neumann decomposition of a nonnegative matrix with (nearly) equal line sums.
 * Each term takes a bottleneck perfect matching on the support of the remaining matrix (the
 * perfect matching whose smallest entry is largest; found by warm-started augmenting paths
 * and raising the threshold until no perfect matching survives), subtracts its smallest
 * entry, and zeroes entries below 1e-13 of the largest line sum. It stops when the remaining
 * mass is below @p tolerance x the initial mass, when no perfect matching remains on the
 * support (rounding), or after N^2 - 2N + 2 terms. The diagonal is allowed (port idle).
 * @param m row-major n x n matrix
 * @param n size
 * @param tolerance relative mass left undecomposed, in (0, 1)
 * @return the terms in the order found (coefficients non-increasing in practice)
 */
std::vector<BirkhoffTerm<double>> BirkhoffDecompose(const std::vector<double>& m,
                                                    std::size_t n,
                                                    double tolerance);

/**
 * @ingroup photonic-moe
 * Exact integer Birkhoff-von Neumann decomposition (same bottleneck choice as the double
 * version); the matrix must have equal line sums (e.g. QuickStuff()).
 * @param m row-major n x n matrix with equal line sums
 * @param n size
 * @return terms whose weighted sum is exactly @p m
 * @throws InputError if the line sums are not equal
 */
std::vector<BirkhoffTerm<Bytes>> BirkhoffDecompose(const std::vector<Bytes>& m, std::size_t n);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_BIRKHOFF_H */
