/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-moe-workload.h"

#include "pmoe-portable-random.h"

#include <algorithm>
#include <memory>
#include <utility>

namespace ns3
{
namespace pmoe
{

namespace
{

__extension__ typedef unsigned __int128 UWide; // __extension__: no -Wpedantic warning

/// Purposes of derived random streams (DeriveSeed()).
constexpr uint64_t kStreamRouting = 1;
constexpr uint64_t kStreamRanking = 2;

} // namespace

MoeWorkload::MoeWorkload(const MoeConfig& config, uint64_t seed)
    : m_config(config),
      m_seed(seed),
      m_expertGpu(config.ExpertToGpu()),
      m_localExperts(config.numGpus)
{
    for (uint32_t e = 0; e < m_config.numExperts; ++e)
    {
        m_localExperts[m_expertGpu[e]].push_back(e);
    }
}

const std::vector<uint32_t>&
MoeWorkload::LocalExperts(uint32_t gpu) const
{
    if (gpu >= m_localExperts.size())
    {
        throw InputError("GPU " + std::to_string(gpu) +
                         " out of range (numGpus = " + std::to_string(m_localExperts.size()) + ")");
    }
    return m_localExperts[gpu];
}

std::vector<uint32_t>
MoeWorkload::ExpertRanking(uint32_t layer) const
{
    uint64_t period = m_config.redrawPeriod == 0 ? 0 : layer / m_config.redrawPeriod;
    PortableRng rng(DeriveSeed(m_seed, kStreamRanking, period));
    std::vector<uint32_t> perm(m_config.numExperts);
    for (uint32_t e = 0; e < m_config.numExperts; ++e)
    {
        perm[e] = e;
    }
    for (std::size_t i = perm.size(); i > 1; --i) // Fisher-Yates
    {
        std::size_t j = rng.UniformInt(i);
        std::swap(perm[i - 1], perm[j]);
    }
    return perm;
}

TokenMatrix
MoeWorkload::RouteTokens(uint32_t layer, TokenMatrix& copies) const
{
    const MoeConfig& c = m_config;
    const uint32_t n = c.numGpus;
    const uint32_t numE = c.numExperts;
    copies = TokenMatrix(n, n);
    if (c.routing == RoutingKind::TRACE)
    {
        const TokenMatrix& t = c.trace->layers[layer % c.trace->layers.size()];
        for (uint32_t i = 0; i < n; ++i)
        {
            for (uint32_t e = 0; e < numE; ++e)
            {
                copies.Add(i, m_expertGpu[e], t.At(i, e));
            }
        }
        return t;
    }

    TokenMatrix tokens(n, numE);
    PortableRng rng(DeriveSeed(m_seed, kStreamRouting, layer));
    const uint32_t k = c.topK;
    std::vector<uint32_t> chosen(k);
    std::vector<uint64_t> stamp(n, 0); // dedup: token serial + 1 that last reached GPU g
    uint64_t serial = 0;

    // Per-routing state, reused for every token.
    std::vector<uint32_t> pool;        // UNIFORM: experts; HOT_EXPERT: hot set then cold set
    std::vector<std::size_t> swaps;    // partial Fisher-Yates swaps, undone after each token
    std::vector<uint64_t> weight;      // ZIPF: weight of each expert
    std::unique_ptr<FenwickTree> tree; // ZIPF
    uint64_t totalWeight = 0;
    uint32_t hot = 0;
    if (c.routing == RoutingKind::UNIFORM)
    {
        pool.resize(numE);
        for (uint32_t e = 0; e < numE; ++e)
        {
            pool[e] = e;
        }
    }
    else
    {
        std::vector<uint32_t> ranking = ExpertRanking(layer);
        if (c.routing == RoutingKind::ZIPF)
        {
            weight.resize(numE);
            for (uint32_t r = 0; r < numE; ++r)
            {
                weight[ranking[r]] = ZipfWeight(r + 1, c.zipfExponent);
                totalWeight += weight[ranking[r]];
            }
            tree = std::make_unique<FenwickTree>(weight);
        }
        else
        {
            pool = ranking; // first numHotExperts are hot
            hot = c.numHotExperts;
        }
    }
    swaps.reserve(k);

    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint64_t t = 0; t < c.tokensPerGpu; ++t)
        {
            ++serial;
            if (c.routing == RoutingKind::UNIFORM)
            {
                swaps.clear();
                for (uint32_t j = 0; j < k; ++j)
                {
                    std::size_t r = j + rng.UniformInt(numE - j);
                    std::swap(pool[j], pool[r]);
                    swaps.push_back(r);
                    chosen[j] = pool[j];
                }
                for (uint32_t j = k; j-- > 0;)
                {
                    std::swap(pool[j], pool[swaps[j]]);
                }
            }
            else if (c.routing == RoutingKind::ZIPF)
            {
                uint64_t remaining = totalWeight;
                for (uint32_t j = 0; j < k; ++j)
                {
                    std::size_t e = tree->Find(rng.UniformInt(remaining));
                    chosen[j] = static_cast<uint32_t>(e);
                    tree->Sub(e, weight[e]);
                    remaining -= weight[e];
                }
                for (uint32_t j = 0; j < k; ++j)
                {
                    tree->Add(chosen[j], weight[chosen[j]]);
                }
            }
            else // HOT_EXPERT: pool[0, hot) hot, pool[hot, E) cold; each set sampled without
                 // replacement by a partial Fisher-Yates, undone after the token.
            {
                swaps.clear();
                uint32_t hotUsed = 0;
                uint32_t coldUsed = 0;
                const uint32_t cold = numE - hot;
                for (uint32_t j = 0; j < k; ++j)
                {
                    bool wantHot = rng.UniformReal() < c.hotFraction;
                    bool useHot = (wantHot && hotUsed < hot) || coldUsed == cold;
                    std::size_t base = useHot ? 0 : hot;
                    uint32_t& used = useHot ? hotUsed : coldUsed;
                    uint32_t size = useHot ? hot : cold;
                    std::size_t a = base + used;
                    std::size_t r = a + rng.UniformInt(size - used);
                    std::swap(pool[a], pool[r]);
                    swaps.push_back(a);
                    swaps.push_back(r);
                    chosen[j] = pool[a];
                    ++used;
                }
                for (std::size_t s = swaps.size(); s > 0; s -= 2)
                {
                    std::swap(pool[swaps[s - 2]], pool[swaps[s - 1]]);
                }
            }

            for (uint32_t j = 0; j < k; ++j)
            {
                tokens.Add(i, chosen[j], 1);
                uint32_t g = m_expertGpu[chosen[j]];
                if (!c.dedup || stamp[g] != serial)
                {
                    copies.Add(i, g, 1);
                    stamp[g] = serial;
                }
            }
        }
    }
    return tokens;
}

LayerWorkload
MoeWorkload::Generate(uint32_t layer) const
{
    TokenMatrix copies;
    TokenMatrix tokens = RouteTokens(layer, copies);
    return LayerFromRouting(layer, std::move(tokens), std::move(copies));
}

LayerWorkload
MoeWorkload::LayerFromRouting(uint32_t layer, TokenMatrix tokens, TokenMatrix copies) const
{
    const MoeConfig& c = m_config;
    if (tokens.Rows() != c.numGpus || tokens.Cols() != c.numExperts || copies.Rows() != c.numGpus ||
        copies.Cols() != c.numGpus)
    {
        throw InputError("layer " + std::to_string(layer) + ": routing matrices of " +
                         std::to_string(tokens.Rows()) + " x " + std::to_string(tokens.Cols()) +
                         " and " + std::to_string(copies.Rows()) + " x " +
                         std::to_string(copies.Cols()) + " for " + std::to_string(c.numGpus) +
                         " GPUs and " + std::to_string(c.numExperts) + " experts");
    }
    LayerWorkload w;
    w.layer = layer;
    w.tokens = std::move(tokens);
    w.copies = std::move(copies);

    const uint64_t dispatchPerCopy = c.DispatchBytesPerCopy();
    const uint64_t combinePerCopy = c.CombineBytesPerCopy();
    UWide total = static_cast<UWide>(w.copies.Total()) * std::max(dispatchPerCopy, combinePerCopy);
    if (total > static_cast<UWide>(kMaxDemandBytes))
    {
        throw InputError("layer " + std::to_string(layer) + ": " +
                         std::to_string(w.copies.Total()) +
                         " token copies would move more than 2^62 bytes");
    }
    w.dispatch = DemandMatrix(c.numGpus);
    w.combine = DemandMatrix(c.numGpus);
    for (uint32_t i = 0; i < c.numGpus; ++i)
    {
        for (uint32_t g = 0; g < c.numGpus; ++g)
        {
            uint64_t n = w.copies.At(i, g);
            w.dispatch.Set(i, g, static_cast<Bytes>(n * dispatchPerCopy));
            w.combine.Set(g, i, static_cast<Bytes>(n * combinePerCopy));
        }
    }
    w.expertTokens.resize(c.numExperts);
    for (uint32_t e = 0; e < c.numExperts; ++e)
    {
        w.expertTokens[e] = w.tokens.ColSum(e);
    }
    w.gpuExpertTokens.resize(c.numGpus);
    for (uint32_t g = 0; g < c.numGpus; ++g)
    {
        for (uint32_t e : m_localExperts[g])
        {
            w.gpuExpertTokens[g].push_back(w.expertTokens[e]);
        }
    }
    return w;
}

} // namespace pmoe
} // namespace ns3
