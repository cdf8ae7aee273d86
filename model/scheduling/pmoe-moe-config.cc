/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-moe-config.h"

#include "pmoe-text-reader.h"

#include <algorithm>

namespace ns3
{
namespace pmoe
{

namespace
{

__extension__ typedef unsigned __int128 UWide; // __extension__: no -Wpedantic warning

/** Longest part of an unknown preset name quoted in a message. */
constexpr std::size_t kMaxQuotedPreset = 32;

} // namespace

TokenMatrix::TokenMatrix(std::size_t rows, std::size_t cols)
    : m_rows(rows),
      m_cols(cols),
      m_data(rows * cols, 0)
{
}

void
TokenMatrix::Add(std::size_t i, std::size_t j, uint64_t count)
{
    if (i >= m_rows || j >= m_cols)
    {
        throw InputError("index (" + std::to_string(i) + ", " + std::to_string(j) +
                         ") out of range for a " + std::to_string(m_rows) + "x" +
                         std::to_string(m_cols) + " token matrix");
    }
    m_data[i * m_cols + j] += count;
}

uint64_t
TokenMatrix::RowSum(std::size_t i) const
{
    uint64_t s = 0;
    for (std::size_t j = 0; j < m_cols; ++j)
    {
        s += At(i, j);
    }
    return s;
}

uint64_t
TokenMatrix::ColSum(std::size_t j) const
{
    uint64_t s = 0;
    for (std::size_t i = 0; i < m_rows; ++i)
    {
        s += At(i, j);
    }
    return s;
}

uint64_t
TokenMatrix::Total() const
{
    uint64_t s = 0;
    for (uint64_t v : m_data)
    {
        s += v;
    }
    return s;
}

bool
TokenMatrix::operator==(const TokenMatrix& other) const
{
    return m_rows == other.m_rows && m_cols == other.m_cols && m_data == other.m_data;
}

const std::vector<MoeModelPreset>&
MoeModelPresets()
{
    // Hidden h, expert FFN I, routed experts, top-k, MoE layers, from the models' technical
    // reports and model cards (see MoeModelPreset).
    static const std::vector<MoeModelPreset> kPresets = {
        {"mixtral-8x7b", 4096, 14336, 8, 2, 32},
        {"mixtral-8x22b", 6144, 16384, 8, 2, 56},
        {"deepseek-v2", 5120, 1536, 160, 6, 59},
        {"deepseek-v3", 7168, 2048, 256, 8, 58},
        {"qwen2-57b-a14b", 3584, 2560, 64, 8, 28},
        {"qwen3-30b-a3b", 2048, 768, 128, 8, 48},
        {"qwen3-235b-a22b", 4096, 1536, 128, 8, 94},
        {"dbrx", 6144, 10752, 16, 4, 40},
    };
    return kPresets;
}

const MoeModelPreset&
FindMoeModelPreset(const std::string& name)
{
    std::vector<std::string> names;
    for (const auto& p : MoeModelPresets())
    {
        if (NameMatches(name, p.name.c_str(), true))
        {
            return p;
        }
        names.push_back(p.name);
    }
    throw InputError("unknown MoE model preset '" +
                     EscapeForMessage(name, kMaxQuotedPreset, QuoteStyle::BARE) +
                     "' (known: " + JoinNames(names, ", ") + ")");
}

void
MoeConfig::Validate() const
{
    auto fail = [](const std::string& msg) { throw InputError("MoE config: " + msg); };
    if (numGpus < 2 || numGpus > kMaxMoeGpus)
    {
        fail("numGpus must be in [2, " + std::to_string(kMaxMoeGpus) + "], got " +
             std::to_string(numGpus));
    }
    if (numExperts < 1 || numExperts > kMaxMoeExperts)
    {
        fail("numExperts must be in [1, " + std::to_string(kMaxMoeExperts) + "], got " +
             std::to_string(numExperts));
    }
    if (static_cast<uint64_t>(numGpus) * numExperts > kMaxMoeCells)
    {
        fail("numGpus x numExperts = " +
             std::to_string(static_cast<uint64_t>(numGpus) * numExperts) + " exceeds " +
             std::to_string(kMaxMoeCells));
    }
    if (placement == PlacementKind::EXPLICIT)
    {
        if (explicitPlacement.size() != numExperts)
        {
            fail("explicit placement lists " + std::to_string(explicitPlacement.size()) +
                 " experts, expected numExperts = " + std::to_string(numExperts));
        }
        for (std::size_t e = 0; e < explicitPlacement.size(); ++e)
        {
            if (explicitPlacement[e] >= numGpus)
            {
                fail("explicit placement puts expert " + std::to_string(e) + " on GPU " +
                     std::to_string(explicitPlacement[e]) +
                     ", but numGpus = " + std::to_string(numGpus));
            }
        }
    }
    if (hiddenSize < 1 || hiddenSize > kMaxHiddenSize)
    {
        fail("hiddenSize must be in [1, " + std::to_string(kMaxHiddenSize) + "], got " +
             std::to_string(hiddenSize));
    }
    if (bytesPerElementDispatch < 1 || bytesPerElementDispatch > kMaxBytesPerElement)
    {
        fail("bytesPerElementDispatch must be in [1, " + std::to_string(kMaxBytesPerElement) +
             "], got " + std::to_string(bytesPerElementDispatch));
    }
    if (bytesPerElementCombine < 1 || bytesPerElementCombine > kMaxBytesPerElement)
    {
        fail("bytesPerElementCombine must be in [1, " + std::to_string(kMaxBytesPerElement) +
             "], got " + std::to_string(bytesPerElementCombine));
    }
    if (dispatchExtraBytesPerCopy > kMaxHiddenSize)
    {
        fail("dispatchExtraBytesPerCopy must be <= " + std::to_string(kMaxHiddenSize) + ", got " +
             std::to_string(dispatchExtraBytesPerCopy));
    }
    if (routing == RoutingKind::TRACE)
    {
        if (!trace)
        {
            fail("routing 'trace' needs a trace");
        }
        if (trace->numGpus != numGpus || trace->numExperts != numExperts)
        {
            fail("trace is for " + std::to_string(trace->numGpus) + " GPUs and " +
                 std::to_string(trace->numExperts) + " experts, but numGpus = " +
                 std::to_string(numGpus) + " and numExperts = " + std::to_string(numExperts));
        }
        if (trace->layers.empty())
        {
            fail("trace has no layers");
        }
        for (std::size_t l = 0; l < trace->layers.size(); ++l)
        {
            if (trace->layers[l].Rows() != numGpus || trace->layers[l].Cols() != numExperts)
            {
                fail("trace layer " + std::to_string(l) + " is not " + std::to_string(numGpus) +
                     " x " + std::to_string(numExperts));
            }
        }
        if (dedup)
        {
            fail("dedup cannot be applied to a trace: it gives token copies per expert, not "
                 "per-token choices (record de-duplicated counts in the trace instead)");
        }
        return; // tokens per GPU and top-k are implied by the trace
    }
    if (tokensPerGpu < 1 || tokensPerGpu > kMaxTokensPerGpu)
    {
        fail("tokensPerGpu must be in [1, " + std::to_string(kMaxTokensPerGpu) + "], got " +
             std::to_string(tokensPerGpu));
    }
    if (topK < 1 || topK > numExperts || topK > kMaxTopK)
    {
        fail("topK must be in [1, min(numExperts = " + std::to_string(numExperts) + ", " +
             std::to_string(kMaxTopK) + ")], got " + std::to_string(topK));
    }
    if (routing == RoutingKind::ZIPF && !(zipfExponent >= 0.0 && zipfExponent <= 16.0))
    {
        fail("zipfExponent must be in [0, 16], got " + std::to_string(zipfExponent));
    }
    if (routing == RoutingKind::HOT_EXPERT)
    {
        if (!(hotFraction >= 0.0 && hotFraction <= 1.0))
        {
            fail("hotFraction must be in [0, 1], got " + std::to_string(hotFraction));
        }
        if (numHotExperts < 1 || numHotExperts > numExperts)
        {
            fail("numHotExperts must be in [1, numExperts = " + std::to_string(numExperts) +
                 "], got " + std::to_string(numHotExperts));
        }
    }
    UWide bytes = static_cast<UWide>(numGpus) * tokensPerGpu * topK *
                  std::max(DispatchBytesPerCopy(), CombineBytesPerCopy());
    if (bytes > static_cast<UWide>(kMaxDemandBytes))
    {
        fail("a layer would move more than 2^62 bytes (numGpus x tokensPerGpu x topK x bytes "
             "per copy)");
    }
}

std::vector<uint32_t>
MoeConfig::ExpertToGpu() const
{
    Validate();
    std::vector<uint32_t> gpu(numExperts);
    for (uint32_t e = 0; e < numExperts; ++e)
    {
        switch (placement)
        {
        case PlacementKind::CONTIGUOUS:
            gpu[e] = static_cast<uint32_t>(static_cast<uint64_t>(e) * numGpus / numExperts);
            break;
        case PlacementKind::ROUND_ROBIN:
            gpu[e] = e % numGpus;
            break;
        case PlacementKind::EXPLICIT:
            gpu[e] = explicitPlacement[e];
            break;
        }
    }
    return gpu;
}

MoeConfig
MoeConfig::FromPreset(const MoeModelPreset& preset, uint32_t numGpus, uint64_t tokensPerGpu)
{
    MoeConfig c;
    c.numGpus = numGpus;
    c.numExperts = preset.numExperts;
    c.topK = preset.topK;
    c.hiddenSize = preset.hiddenSize;
    c.tokensPerGpu = tokensPerGpu;
    return c;
}

} // namespace pmoe
} // namespace ns3
