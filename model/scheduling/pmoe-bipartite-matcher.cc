/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-bipartite-matcher.h"

#include "pmoe-matching.h"

#include <algorithm>
#include <limits>

namespace ns3
{
namespace pmoe
{

namespace
{

/** Larger than any reduced cost or distance (int64 arithmetic never overflows with it). */
constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;

} // namespace

// ---------------------------------------------------------------------------------------
// Bipartite: Jonker-Volgenant (1987) on costs c(i,j) = maxW - w(i,j) >= 0, minimised.
// Phases: column reduction, reduction transfer, two passes of augmenting row reduction,
// then Dijkstra-style shortest augmenting paths for the rows still free. Column potentials
// v are kept; row potentials are implicit (u_i = c(i, x_i) - v_{x_i}, the row minimum of
// the reduced costs). Everything is int64, so the optimum is exact.
// ---------------------------------------------------------------------------------------

const std::vector<int32_t>&
BipartiteMatcher::Solve(const DemandMatrix& w)
{
    const std::size_t n = w.Size();
    m_mate.assign(n, -1);
    const Bytes maxW = w.MaxEntry();
    if (n < 2 || maxW == 0)
    {
        return m_mate;
    }
    CheckMatchingWeightRange("BipartiteMatcher", maxW, n);
    const int64_t* const data = w.Data().data();

    m_v.resize(n);
    m_d.resize(n);
    m_pred.resize(n);
    m_colList.resize(n);
    m_free.resize(n);
    m_rowSol.assign(n, -1);
    m_colSol.assign(n, -1);
    m_matches.assign(n, 0);

    // Column reduction. Column minima are found row by row (cache friendly); ties go to the
    // lowest row. Columns are then assigned from the last to the first, as in JV.
    for (std::size_t j = 0; j < n; ++j)
    {
        m_d[j] = maxW - data[j];
        m_pred[j] = 0;
    }
    for (std::size_t i = 1; i < n; ++i)
    {
        const int64_t* row = data + i * n;
        for (std::size_t j = 0; j < n; ++j)
        {
            const int64_t c = maxW - row[j];
            if (c < m_d[j])
            {
                m_d[j] = c;
                m_pred[j] = static_cast<int32_t>(i);
            }
        }
    }
    for (std::size_t j = n; j-- > 0;)
    {
        const auto imin = static_cast<std::size_t>(m_pred[j]);
        m_v[j] = m_d[j];
        if (++m_matches[imin] == 1)
        {
            m_rowSol[imin] = static_cast<int32_t>(j);
            m_colSol[j] = static_cast<int32_t>(imin);
        }
        else if (m_v[j] < m_v[static_cast<std::size_t>(m_rowSol[imin])])
        {
            const auto j1 = static_cast<std::size_t>(m_rowSol[imin]);
            m_rowSol[imin] = static_cast<int32_t>(j);
            m_colSol[j] = static_cast<int32_t>(imin);
            m_colSol[j1] = -1;
        }
        else
        {
            m_colSol[j] = -1;
        }
    }

    // Reduction transfer: rows that own exactly one column minimum give slack to it.
    std::size_t numFree = 0;
    for (std::size_t i = 0; i < n; ++i)
    {
        if (m_matches[i] == 0)
        {
            m_free[numFree++] = static_cast<int32_t>(i);
        }
        else if (m_matches[i] == 1)
        {
            const auto j1 = static_cast<std::size_t>(m_rowSol[i]);
            const int64_t* row = data + i * n;
            int64_t mn = kInf;
            for (std::size_t j = 0; j < n; ++j)
            {
                if (j != j1)
                {
                    mn = std::min(mn, maxW - row[j] - m_v[j]);
                }
            }
            m_v[j1] -= mn;
        }
    }

    // Augmenting row reduction, two passes. Each step assigns a free row to its best column,
    // lowering that column's price to the row's second-best reduced cost. A budget bounds
    // the (rare) long price wars; rows left over go to the exact augmentation phase.
    for (int pass = 0; pass < 2 && numFree > 0; ++pass)
    {
        std::size_t k = 0;
        const std::size_t prvNumFree = numFree;
        numFree = 0;
        std::size_t budget = 8 * n;
        while (k < prvNumFree)
        {
            if (budget-- == 0)
            {
                while (k < prvNumFree)
                {
                    m_free[numFree++] = m_free[k++];
                }
                break;
            }
            const auto i = static_cast<std::size_t>(m_free[k++]);
            const int64_t* row = data + i * n;
            int64_t umin = maxW - row[0] - m_v[0];
            int64_t usub = kInf;
            std::size_t j1 = 0;
            std::size_t j2 = 0;
            for (std::size_t j = 1; j < n; ++j)
            {
                const int64_t h = maxW - row[j] - m_v[j];
                if (h < usub)
                {
                    if (h < umin)
                    {
                        usub = umin;
                        umin = h;
                        j2 = j1;
                        j1 = j;
                    }
                    else if (h == umin && m_colSol[j1] >= 0 && m_colSol[j] < 0)
                    {
                        usub = h; // a tie: prefer the unassigned column
                        j2 = j1;
                        j1 = j;
                    }
                    else
                    {
                        usub = h;
                        j2 = j;
                    }
                }
                else if (h == umin && m_colSol[j1] >= 0 && m_colSol[j] < 0)
                {
                    j2 = j1; // a tie (usub == umin): prefer the unassigned column
                    j1 = j;
                }
            }
            int32_t i0 = m_colSol[j1];
            const bool strict = umin < usub;
            if (strict)
            {
                m_v[j1] -= usub - umin;
            }
            else if (i0 >= 0)
            {
                j1 = j2;
                i0 = m_colSol[j2];
            }
            m_rowSol[i] = static_cast<int32_t>(j1);
            m_colSol[j1] = static_cast<int32_t>(i);
            if (i0 >= 0)
            {
                m_rowSol[static_cast<std::size_t>(i0)] = -1;
                if (strict)
                {
                    m_free[--k] = i0; // retry the displaced row at once
                }
                else
                {
                    m_free[numFree++] = i0;
                }
            }
        }
    }

    // Shortest augmenting paths. m_colList is partitioned: [0, low) scanned, [low, up)
    // at the current minimum distance, [up, n) the rest.
    for (std::size_t f = 0; f < numFree; ++f)
    {
        const auto freeRow = static_cast<std::size_t>(m_free[f]);
        {
            const int64_t* row = data + freeRow * n;
            for (std::size_t j = 0; j < n; ++j)
            {
                m_d[j] = maxW - row[j] - m_v[j];
                m_pred[j] = static_cast<int32_t>(freeRow);
                m_colList[j] = static_cast<int32_t>(j);
            }
        }
        std::size_t low = 0;
        std::size_t up = 0;
        std::size_t lastScanned = 0;
        int64_t mn = 0;
        int32_t endOfPath = -1;
        while (endOfPath < 0)
        {
            if (up == low)
            {
                lastScanned = low;
                mn = m_d[static_cast<std::size_t>(m_colList[up++])];
                for (std::size_t k = up; k < n; ++k)
                {
                    const int32_t j = m_colList[k];
                    const int64_t h = m_d[static_cast<std::size_t>(j)];
                    if (h <= mn)
                    {
                        if (h < mn)
                        {
                            up = low;
                            mn = h;
                        }
                        m_colList[k] = m_colList[up];
                        m_colList[up++] = j;
                    }
                }
                for (std::size_t k = low; k < up; ++k)
                {
                    if (m_colSol[static_cast<std::size_t>(m_colList[k])] < 0)
                    {
                        endOfPath = m_colList[k];
                        break;
                    }
                }
            }
            if (endOfPath >= 0)
            {
                break;
            }
            const auto j1 = static_cast<std::size_t>(m_colList[low++]);
            const auto i = static_cast<std::size_t>(m_colSol[j1]);
            const int64_t* row = data + i * n;
            // reduced cost of (i, j) minus the distance to i: c(i,j) - v[j] - u_i + mn
            const int64_t h = maxW - row[j1] - m_v[j1] - mn;
            const int64_t base = maxW - h;
            for (std::size_t k = up; k < n; ++k)
            {
                const auto j = static_cast<std::size_t>(m_colList[k]);
                const int64_t v2 = base - row[j] - m_v[j];
                if (v2 < m_d[j])
                {
                    m_pred[j] = static_cast<int32_t>(i);
                    if (v2 == mn)
                    {
                        if (m_colSol[j] < 0)
                        {
                            endOfPath = static_cast<int32_t>(j);
                            break;
                        }
                        m_colList[k] = m_colList[up];
                        m_colList[up++] = static_cast<int32_t>(j);
                    }
                    m_d[j] = v2;
                }
            }
        }
        for (std::size_t k = 0; k < lastScanned; ++k)
        {
            const auto j = static_cast<std::size_t>(m_colList[k]);
            m_v[j] += m_d[j] - mn;
        }
        std::size_t i;
        do
        {
            i = static_cast<std::size_t>(m_pred[static_cast<std::size_t>(endOfPath)]);
            m_colSol[static_cast<std::size_t>(endOfPath)] = static_cast<int32_t>(i);
            const int32_t next = m_rowSol[i];
            m_rowSol[i] = endOfPath;
            endOfPath = next;
        } while (i != freeRow);
    }

    for (std::size_t i = 0; i < n; ++i)
    {
        const int32_t j = m_rowSol[i];
        if (j >= 0 && data[i * n + static_cast<std::size_t>(j)] > 0)
        {
            m_mate[i] = j;
        }
    }
    return m_mate;
}

} // namespace pmoe
} // namespace ns3
