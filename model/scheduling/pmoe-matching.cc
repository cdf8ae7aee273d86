/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-matching.h"

#include <algorithm>
#include <limits>
#include <string>

namespace ns3
{
namespace pmoe
{

void
CheckMatchingWeightRange(const char* who, Bytes maxW, std::size_t n)
{
    const int64_t limit = std::numeric_limits<int64_t>::max() / 8 / static_cast<int64_t>(n + 1);
    if (maxW > limit)
    {
        throw InputError(std::string(who) + ": weight " + std::to_string(maxW) +
                         " too large for exact int64 arithmetic on " + std::to_string(n) +
                         " ports (limit " + std::to_string(limit) + ")");
    }
}

void
CheckSymmetricWeights(const char* who, const DemandMatrix& w)
{
    const std::size_t n = w.Size();
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = i + 1; j < n; ++j)
        {
            if (w.At(i, j) != w.At(j, i))
            {
                throw InputError(std::string(who) + ": weights are not symmetric: w(" +
                                 std::to_string(i) + "," + std::to_string(j) + ") = " +
                                 std::to_string(w.At(i, j)) + " but w(" + std::to_string(j) + "," +
                                 std::to_string(i) + ") = " + std::to_string(w.At(j, i)));
            }
        }
    }
}

std::vector<int32_t>
GreedyMatching(const DemandMatrix& w, CircuitModel model)
{
    const std::size_t n = w.Size();
    const bool duplex = model == CircuitModel::DUPLEX;
    if (duplex)
    {
        CheckSymmetricWeights("GreedyMatching", w);
    }

    struct Edge
    {
        uint64_t key; //!< maxW - weight: ascending key = heaviest first
        uint32_t src;
        uint32_t dst;
    };

    // Edges are generated in (src, dst) order and sorted by a stable LSD radix sort on the
    // key, so equal weights keep the (src, dst) order: O(E) per 11-bit digit of max weight.
    const std::vector<Bytes>& data = w.Data();
    const auto maxW = static_cast<uint64_t>(w.MaxEntry());
    std::size_t positive = 0;
    for (Bytes x : data)
    {
        positive += x > 0 ? 1 : 0;
    }
    std::vector<Edge> edges;
    edges.reserve(duplex ? positive / 2 : positive);
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = duplex ? i + 1 : 0; j < n; ++j)
        {
            const Bytes x = data[i * n + j];
            if (x > 0)
            {
                edges.push_back({maxW - static_cast<uint64_t>(x),
                                 static_cast<uint32_t>(i),
                                 static_cast<uint32_t>(j)});
            }
        }
    }
    constexpr unsigned kDigitBits = 11;
    constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
    std::vector<Edge> buffer(edges.size());
    std::vector<std::size_t> count(kBuckets);
    for (unsigned shift = 0; shift < 64 && (maxW >> shift) != 0; shift += kDigitBits)
    {
        std::fill(count.begin(), count.end(), 0);
        for (const Edge& e : edges)
        {
            ++count[(e.key >> shift) & (kBuckets - 1)];
        }
        std::size_t sum = 0;
        for (std::size_t& c : count)
        {
            const std::size_t k = c;
            c = sum;
            sum += k;
        }
        for (const Edge& e : edges)
        {
            buffer[count[(e.key >> shift) & (kBuckets - 1)]++] = e;
        }
        edges.swap(buffer);
    }

    std::vector<int32_t> mate(n, -1);
    std::vector<char> received(n, 0);
    for (const Edge& e : edges)
    {
        if (duplex)
        {
            if (mate[e.src] < 0 && mate[e.dst] < 0)
            {
                mate[e.src] = static_cast<int32_t>(e.dst);
                mate[e.dst] = static_cast<int32_t>(e.src);
            }
        }
        else if (mate[e.src] < 0 && !received[e.dst])
        {
            mate[e.src] = static_cast<int32_t>(e.dst);
            received[e.dst] = 1;
        }
    }
    return mate;
}

std::vector<Circuit>
MaxWeightMatcher::Solve(const DemandMatrix& d, CircuitModel model, MatchingAlgorithm algo)
{
    const bool duplex = model == CircuitModel::DUPLEX;
    DemandMatrix pairSums;
    if (duplex)
    {
        pairSums = d.PairSums();
    }
    const DemandMatrix& w = duplex ? pairSums : d;
    if (algo == MatchingAlgorithm::GREEDY)
    {
        m_mate = GreedyMatching(w, model);
    }
    else
    {
        m_mate = duplex ? m_general.Solve(w) : m_bipartite.Solve(w);
    }
    // Matched pairs of positive weight as circuits (duplex: each pair once, src < dst).
    std::vector<Circuit> circuits;
    const std::size_t n = w.Size();
    for (std::size_t i = 0; i < n && i < m_mate.size(); ++i)
    {
        const int32_t j = m_mate[i];
        if (j >= 0 && static_cast<std::size_t>(j) < n && (!duplex || j > static_cast<int32_t>(i)) &&
            w.At(i, static_cast<std::size_t>(j)) > 0)
        {
            circuits.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
        }
    }
    std::sort(circuits.begin(), circuits.end());
    return circuits;
}

std::vector<Circuit>
MaxWeightMatching(const DemandMatrix& d, CircuitModel model, MatchingAlgorithm algo)
{
    MaxWeightMatcher matcher;
    return matcher.Solve(d, model, algo);
}

Bytes
MatchingWeight(const DemandMatrix& w, const std::vector<Circuit>& circuits, CircuitModel model)
{
    Bytes sum = 0;
    for (const auto& c : circuits)
    {
        if (c.src >= w.Size() || c.dst >= w.Size())
        {
            throw InputError("MatchingWeight: circuit " + std::to_string(c.src) + "->" +
                             std::to_string(c.dst) + " out of range for " +
                             std::to_string(w.Size()) + " ports");
        }
        sum += w.At(c.src, c.dst);
        if (model == CircuitModel::DUPLEX)
        {
            sum += w.At(c.dst, c.src);
        }
    }
    return sum;
}

} // namespace pmoe
} // namespace ns3
