/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_DEMAND_MATRIX_H
#define PMOE_DEMAND_MATRIX_H

#include "pmoe-units.h"

#include <cstddef>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * An N x N matrix of non-negative byte demands: entry (i, j) is what port i must send to
 * port j. The diagonal is local traffic: it never crosses the switch, so it is stored as
 * zero and the local bytes are kept apart (LocalBytes).
 */
class DemandMatrix
{
  public:
    /** An empty (0 x 0) matrix. */
    DemandMatrix() = default;

    /**
     * An all-zero n x n matrix.
     * @param n number of ports
     */
    explicit DemandMatrix(std::size_t n);

    /**
     * A matrix from rows; validates that it is square and non-negative.
     * @param rows the rows, each of the same length as the number of rows
     * @throws InputError naming the offending row/column/value
     */
    explicit DemandMatrix(const std::vector<std::vector<Bytes>>& rows);

    /** @return the number of ports N */
    std::size_t Size() const
    {
        return m_n;
    }

    /**
     * @param i source port
     * @param j destination port
     * @return demand from i to j in bytes (0 on the diagonal)
     */
    Bytes At(std::size_t i, std::size_t j) const
    {
        return m_data[i * m_n + j];
    }

    /**
     * Set an entry. Setting a diagonal entry records local bytes instead.
     * @param i source port
     * @param j destination port
     * @param bytes demand, >= 0
     * @throws InputError on a negative value or an index out of range
     */
    void Set(std::size_t i, std::size_t j, Bytes bytes);

    /**
     * Add to an entry (diagonal: to the local bytes).
     * @param i source port
     * @param j destination port
     * @param bytes amount to add; the result must stay >= 0
     */
    void Add(std::size_t i, std::size_t j, Bytes bytes);

    /** @param i port @return bytes port i keeps for itself (the ignored diagonal) */
    Bytes LocalBytes(std::size_t i) const
    {
        return m_local[i];
    }

    /**
     * @param i source port
     * @return bytes port i sends
     */
    Bytes RowSum(std::size_t i) const;
    /**
     * @param j destination port
     * @return bytes port j receives
     */
    Bytes ColSum(std::size_t j) const;
    Bytes Total() const;                 //!< @return sum of off-diagonal entries
    Bytes MaxEntry() const;              //!< @return the largest entry
    Bytes MaxLineSum() const;            //!< @return rho: largest row or column sum
    std::size_t MaxLineNonZeros() const; //!< @return Delta: most nonzeros in a row or column
    std::size_t NonZeros() const;        //!< @return number of nonzero off-diagonal entries
    bool IsZero() const;                 //!< @return true if every entry is zero
    DemandMatrix Transposed() const;     //!< @return the transpose (combine demand)

    /**
     * Symmetric pair weights for the duplex circuit model: W(i,j) = D(i,j) + D(j,i).
     * @return the symmetric matrix
     */
    DemandMatrix PairSums() const;

    /** @return row-major entries (N*N, zero diagonal) */
    const std::vector<Bytes>& Data() const
    {
        return m_data;
    }

    /**
     * @param other another matrix
     * @return true if both have the same size and entries
     */
    bool operator==(const DemandMatrix& other) const;

    /**
     * @param other another matrix
     * @return true if they differ in size or an entry
     */
    bool operator!=(const DemandMatrix& other) const
    {
        return !(*this == other);
    }

  private:
    void CheckIndex(std::size_t i, std::size_t j) const;

    std::size_t m_n{0};
    std::vector<Bytes> m_data;  //!< row-major, diagonal always zero
    std::vector<Bytes> m_local; //!< diagonal (local) bytes per port
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_DEMAND_MATRIX_H */
