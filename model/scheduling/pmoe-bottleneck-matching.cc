/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-bottleneck-matching.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace ns3
{
namespace pmoe
{

std::vector<int32_t>
PerfectMatchingOnSupport(const DemandMatrix& w)
{
    // Hopcroft-Karp: BFS layers from the free rows, then vertex-disjoint shortest augmenting
    // paths by an iterative DFS; O(E sqrt(V)). Adjacency in column order: deterministic.
    const std::size_t n = w.Size();
    std::vector<std::size_t> start(n + 1, 0);
    std::vector<int32_t> adj;
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            if (i != j && w.At(i, j) > 0)
            {
                adj.push_back(static_cast<int32_t>(j));
            }
        }
        start[i + 1] = adj.size();
        if (start[i + 1] == start[i])
        {
            return {}; // a row without any allowed edge
        }
    }
    std::vector<int32_t> mateRow(n, -1);
    std::vector<int32_t> mateCol(n, -1);
    std::vector<int32_t> layer(n);
    std::vector<int32_t> queue(n);
    std::vector<std::size_t> next(n);
    std::vector<int32_t> stack;
    std::size_t matched = 0;
    const int32_t unreached = std::numeric_limits<int32_t>::max();
    while (true)
    {
        // BFS over rows; layer[i] = distance from a free row.
        std::size_t head = 0;
        std::size_t tail = 0;
        for (std::size_t i = 0; i < n; ++i)
        {
            if (mateRow[i] < 0)
            {
                layer[i] = 0;
                queue[tail++] = static_cast<int32_t>(i);
            }
            else
            {
                layer[i] = unreached;
            }
        }
        int32_t freeLayer = unreached;
        while (head < tail)
        {
            const auto i = static_cast<std::size_t>(queue[head++]);
            if (layer[i] >= freeLayer)
            {
                continue;
            }
            for (std::size_t k = start[i]; k < start[i + 1]; ++k)
            {
                const int32_t r = mateCol[static_cast<std::size_t>(adj[k])];
                if (r < 0)
                {
                    freeLayer = std::min(freeLayer, layer[i] + 1);
                }
                else if (layer[static_cast<std::size_t>(r)] == unreached)
                {
                    layer[static_cast<std::size_t>(r)] = layer[i] + 1;
                    queue[tail++] = r;
                }
            }
        }
        if (freeLayer == unreached)
        {
            break;
        }
        // DFS along the layers from each free row.
        for (std::size_t i = 0; i < n; ++i)
        {
            next[i] = start[i];
        }
        for (std::size_t root = 0; root < n; ++root)
        {
            if (mateRow[root] >= 0)
            {
                continue;
            }
            stack.assign(1, static_cast<int32_t>(root));
            int32_t endCol = -1;
            while (!stack.empty() && endCol < 0)
            {
                const auto i = static_cast<std::size_t>(stack.back());
                bool advanced = false;
                while (next[i] < start[i + 1])
                {
                    const int32_t j = adj[next[i]];
                    const int32_t r = mateCol[static_cast<std::size_t>(j)];
                    if (r < 0 && layer[i] + 1 == freeLayer)
                    {
                        endCol = j;
                        advanced = true;
                        break;
                    }
                    if (r >= 0 && layer[static_cast<std::size_t>(r)] == layer[i] + 1)
                    {
                        stack.push_back(r);
                        advanced = true;
                        break;
                    }
                    ++next[i];
                }
                if (!advanced)
                {
                    layer[i] = unreached; // dead end for this phase
                    stack.pop_back();
                    if (!stack.empty())
                    {
                        ++next[static_cast<std::size_t>(stack.back())];
                    }
                }
            }
            if (endCol < 0)
            {
                continue;
            }
            // Flip the path: each row on the stack takes the column it points to.
            int32_t col = endCol;
            for (std::size_t k = stack.size(); k-- > 0;)
            {
                const auto i = static_cast<std::size_t>(stack[k]);
                const int32_t previous = mateRow[i];
                mateRow[i] = col;
                mateCol[static_cast<std::size_t>(col)] = static_cast<int32_t>(i);
                col = previous;
                layer[i] = unreached; // vertex-disjoint paths within a phase
            }
            ++matched;
        }
    }
    if (matched != n)
    {
        return {};
    }
    return mateRow;
}

template <typename T>
BottleneckMatcher<T>::BottleneckMatcher(std::size_t n)
    : m_n(n),
      m_mateRow(n, -1),
      m_mateCol(n, -1),
      m_parentRow(n, 0),
      m_seenCol(n, 0),
      m_queue(n, 0)
{
}

template <typename T>
bool
BottleneckMatcher<T>::Repair(const std::vector<T>& a, T floor)
{
    for (std::size_t i = 0; i < m_n; ++i)
    {
        int32_t j = m_mateRow[i];
        if (j >= 0 && !(a[i * m_n + static_cast<std::size_t>(j)] > floor))
        {
            m_mateRow[i] = -1;
            m_mateCol[static_cast<std::size_t>(j)] = -1;
        }
    }
    for (std::size_t i = 0; i < m_n; ++i)
    {
        if (m_mateRow[i] < 0 && !Augment(a, i, floor))
        {
            return false;
        }
    }
    return true;
}

template <typename T>
bool
BottleneckMatcher<T>::Bottleneck(const std::vector<T>& a, T floor)
{
    if (!Repair(a, floor))
    {
        return false;
    }
    T best = MinEntry(a);
    // Upper bound: every row and every column needs one entry >= the bottleneck.
    T upper = std::numeric_limits<T>::max();
    m_colMax.assign(m_n, T{});
    for (std::size_t i = 0; i < m_n; ++i)
    {
        T rowMax = T{};
        for (std::size_t j = 0; j < m_n; ++j)
        {
            T v = a[i * m_n + j];
            rowMax = std::max(rowMax, v);
            m_colMax[j] = std::max(m_colMax[j], v);
        }
        upper = std::min(upper, rowMax);
    }
    for (std::size_t j = 0; j < m_n; ++j)
    {
        upper = std::min(upper, m_colMax[j]);
    }
    m_candidates.clear();
    for (T v : a)
    {
        if (v > best && !(v > upper))
        {
            m_candidates.push_back(v);
        }
    }
    m_saveRow = m_mateRow;
    m_saveCol = m_mateCol;
    while (!m_candidates.empty())
    {
        std::size_t mid = m_candidates.size() / 2;
        std::nth_element(m_candidates.begin(), m_candidates.begin() + mid, m_candidates.end());
        T t = m_candidates[mid];
        if (Repair(a, Below(t)))
        {
            best = MinEntry(a);
            m_saveRow = m_mateRow;
            m_saveCol = m_mateCol;
            // Keep the candidates above the new bottleneck (all were >= t past mid).
            std::size_t w = 0;
            for (std::size_t k = mid + 1; k < m_candidates.size(); ++k)
            {
                if (m_candidates[k] > best)
                {
                    m_candidates[w++] = m_candidates[k];
                }
            }
            m_candidates.resize(w);
        }
        else
        {
            m_mateRow = m_saveRow;
            m_mateCol = m_saveCol;
            // Keep the candidates below t (all were <= t before mid).
            std::size_t w = 0;
            for (std::size_t k = 0; k < mid; ++k)
            {
                if (m_candidates[k] < t)
                {
                    m_candidates[w++] = m_candidates[k];
                }
            }
            m_candidates.resize(w);
        }
    }
    return true;
}

template <typename T>
T
BottleneckMatcher<T>::MinEntry(const std::vector<T>& a) const
{
    T m = std::numeric_limits<T>::max();
    for (std::size_t i = 0; i < m_n; ++i)
    {
        m = std::min(m, a[i * m_n + static_cast<std::size_t>(m_mateRow[i])]);
    }
    return m;
}

template <typename T>
T
BottleneckMatcher<T>::Below(T v)
{
    if constexpr (std::is_integral_v<T>)
    {
        return v - 1;
    }
    else
    {
        return std::nextafter(v, -std::numeric_limits<T>::infinity());
    }
}

template <typename T>
bool
BottleneckMatcher<T>::Augment(const std::vector<T>& a, std::size_t root, T floor)
{
    std::fill(m_seenCol.begin(), m_seenCol.end(), 0);
    std::size_t head = 0;
    std::size_t tail = 0;
    m_queue[tail++] = static_cast<int32_t>(root);
    while (head < tail)
    {
        std::size_t i = static_cast<std::size_t>(m_queue[head++]);
        const T* row = a.data() + i * m_n;
        for (std::size_t j = 0; j < m_n; ++j)
        {
            if (m_seenCol[j] || !(row[j] > floor))
            {
                continue;
            }
            m_seenCol[j] = 1;
            m_parentRow[j] = static_cast<int32_t>(i);
            if (m_mateCol[j] < 0)
            {
                // Flip the path back to the root.
                std::size_t col = j;
                while (true)
                {
                    std::size_t r = static_cast<std::size_t>(m_parentRow[col]);
                    int32_t next = m_mateRow[r];
                    m_mateRow[r] = static_cast<int32_t>(col);
                    m_mateCol[col] = static_cast<int32_t>(r);
                    if (r == root)
                    {
                        return true;
                    }
                    col = static_cast<std::size_t>(next);
                }
            }
            m_queue[tail++] = m_mateCol[j];
        }
    }
    return false;
}

template class BottleneckMatcher<double>;
template class BottleneckMatcher<Bytes>;

} // namespace pmoe
} // namespace ns3
