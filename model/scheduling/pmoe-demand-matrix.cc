/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-demand-matrix.h"

#include <algorithm>
#include <limits>

namespace ns3
{
namespace pmoe
{

DemandMatrix::DemandMatrix(std::size_t n)
    : m_n(n),
      m_data(n * n, 0),
      m_local(n, 0)
{
}

DemandMatrix::DemandMatrix(const std::vector<std::vector<Bytes>>& rows)
    : DemandMatrix(rows.size())
{
    for (std::size_t i = 0; i < m_n; ++i)
    {
        if (rows[i].size() != m_n)
        {
            throw InputError("matrix is not square: row " + std::to_string(i) + " has " +
                             std::to_string(rows[i].size()) + " entries, expected " +
                             std::to_string(m_n));
        }
        for (std::size_t j = 0; j < m_n; ++j)
        {
            Set(i, j, rows[i][j]);
        }
    }
}

void
DemandMatrix::CheckIndex(std::size_t i, std::size_t j) const
{
    if (i >= m_n || j >= m_n)
    {
        throw InputError("index (" + std::to_string(i) + ", " + std::to_string(j) +
                         ") out of range for a " + std::to_string(m_n) + "x" + std::to_string(m_n) +
                         " matrix");
    }
}

void
DemandMatrix::Set(std::size_t i, std::size_t j, Bytes bytes)
{
    CheckIndex(i, j);
    if (bytes < 0)
    {
        throw InputError("negative demand " + std::to_string(bytes) + " at (" + std::to_string(i) +
                         ", " + std::to_string(j) + ")");
    }
    if (i == j)
    {
        m_local[i] = bytes;
        return;
    }
    m_data[i * m_n + j] = bytes;
}

void
DemandMatrix::Add(std::size_t i, std::size_t j, Bytes bytes)
{
    CheckIndex(i, j);
    Bytes& cell = (i == j) ? m_local[i] : m_data[i * m_n + j];
    if (bytes > 0 && cell > std::numeric_limits<Bytes>::max() - bytes)
    {
        throw InputError("demand overflow at (" + std::to_string(i) + ", " + std::to_string(j) +
                         ")");
    }
    if (cell + bytes < 0)
    {
        throw InputError("demand at (" + std::to_string(i) + ", " + std::to_string(j) +
                         ") would become negative");
    }
    cell += bytes;
}

Bytes
DemandMatrix::RowSum(std::size_t i) const
{
    Bytes s = 0;
    for (std::size_t j = 0; j < m_n; ++j)
    {
        s += m_data[i * m_n + j];
    }
    return s;
}

Bytes
DemandMatrix::ColSum(std::size_t j) const
{
    Bytes s = 0;
    for (std::size_t i = 0; i < m_n; ++i)
    {
        s += m_data[i * m_n + j];
    }
    return s;
}

Bytes
DemandMatrix::Total() const
{
    Bytes s = 0;
    for (Bytes v : m_data)
    {
        s += v;
    }
    return s;
}

Bytes
DemandMatrix::MaxEntry() const
{
    Bytes m = 0;
    for (Bytes v : m_data)
    {
        m = std::max(m, v);
    }
    return m;
}

Bytes
DemandMatrix::MaxLineSum() const
{
    Bytes rho = 0;
    for (std::size_t k = 0; k < m_n; ++k)
    {
        rho = std::max({rho, RowSum(k), ColSum(k)});
    }
    return rho;
}

std::size_t
DemandMatrix::MaxLineNonZeros() const
{
    std::size_t delta = 0;
    for (std::size_t k = 0; k < m_n; ++k)
    {
        std::size_t row = 0;
        std::size_t col = 0;
        for (std::size_t l = 0; l < m_n; ++l)
        {
            row += (m_data[k * m_n + l] > 0) ? 1 : 0;
            col += (m_data[l * m_n + k] > 0) ? 1 : 0;
        }
        delta = std::max({delta, row, col});
    }
    return delta;
}

std::size_t
DemandMatrix::NonZeros() const
{
    return static_cast<std::size_t>(
        std::count_if(m_data.begin(), m_data.end(), [](Bytes v) { return v > 0; }));
}

bool
DemandMatrix::IsZero() const
{
    return std::all_of(m_data.begin(), m_data.end(), [](Bytes v) { return v == 0; });
}

DemandMatrix
DemandMatrix::Transposed() const
{
    DemandMatrix t(m_n);
    for (std::size_t i = 0; i < m_n; ++i)
    {
        for (std::size_t j = 0; j < m_n; ++j)
        {
            t.m_data[j * m_n + i] = m_data[i * m_n + j];
        }
        t.m_local[i] = m_local[i];
    }
    return t;
}

DemandMatrix
DemandMatrix::PairSums() const
{
    DemandMatrix w(m_n);
    for (std::size_t i = 0; i < m_n; ++i)
    {
        for (std::size_t j = 0; j < m_n; ++j)
        {
            if (i != j)
            {
                w.m_data[i * m_n + j] = m_data[i * m_n + j] + m_data[j * m_n + i];
            }
        }
    }
    return w;
}

bool
DemandMatrix::operator==(const DemandMatrix& other) const
{
    return m_n == other.m_n && m_data == other.m_data && m_local == other.m_local;
}

} // namespace pmoe
} // namespace ns3
