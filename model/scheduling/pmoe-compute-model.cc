/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-compute-model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace ns3
{
namespace pmoe
{

namespace
{

constexpr uint64_t kMaxFfnSize = 1ULL << 20;
constexpr double kMaxBytesPerElementC = 16.0;
constexpr Ns kMaxFixedCostNs = 1000000000000LL; // 1000 s
constexpr double kMaxRooflineNs = 4.0e18;       // keeps t_fix + roofline within int64

std::string
Num(double v)
{
    // Shortest round-trip-ish formatting for messages.
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.17g", v);
    return buf;
}

void
CheckPositive(const char* name, double v, double max)
{
    if (!(std::isfinite(v) && v > 0.0 && v <= max))
    {
        throw InputError(std::string("compute model: ") + name + " must be in (0, " + Num(max) +
                         "], got " + Num(v));
    }
}

} // namespace

void
ComputeParams::Validate() const
{
    if (hiddenSize < 1 || hiddenSize > kMaxHiddenSize)
    {
        throw InputError("compute model: hiddenSize must be in [1, " +
                         std::to_string(kMaxHiddenSize) + "], got " + std::to_string(hiddenSize));
    }
    if (ffnSize < 1 || ffnSize > kMaxFfnSize)
    {
        throw InputError("compute model: ffnSize must be in [1, " + std::to_string(kMaxFfnSize) +
                         "], got " + std::to_string(ffnSize));
    }
    CheckPositive("peakFlops", peakFlops, 1e21);
    CheckPositive("memBandwidth", memBandwidth, 1e18);
    CheckPositive("computeEfficiency", computeEfficiency, 1.0);
    CheckPositive("memoryEfficiency", memoryEfficiency, 1.0);
    CheckPositive("weightBytes", weightBytes, kMaxBytesPerElementC);
    CheckPositive("activationBytes", activationBytes, kMaxBytesPerElementC);
    if (fixedCostNs < 0 || fixedCostNs > kMaxFixedCostNs)
    {
        throw InputError("compute model: fixedCostNs must be in [0, " +
                         std::to_string(kMaxFixedCostNs) + "], got " + std::to_string(fixedCostNs));
    }
}

ComputeParams
ComputeParams::FromPreset(const MoeModelPreset& preset)
{
    ComputeParams p;
    p.hiddenSize = preset.hiddenSize;
    p.ffnSize = preset.ffnSize;
    return p;
}

ComputeParams
ComputeParams::FromPreset(const std::string& name)
{
    return FromPreset(FindMoeModelPreset(name));
}

ComputeModel::ComputeModel(const ComputeParams& params)
    : m_params(params)
{
    m_params.Validate();
    const double h = static_cast<double>(m_params.hiddenSize);
    const double ffn = static_cast<double>(m_params.ffnSize);
    m_flopsPerToken = 6.0 * h * ffn;
    m_weightBytes = 3.0 * h * ffn * m_params.weightBytes;
    m_actBytesPerToken = (2.0 * h + 4.0 * ffn) * m_params.activationBytes;
    m_flopRate = m_params.computeEfficiency * m_params.peakFlops;
    m_byteRate = m_params.memoryEfficiency * m_params.memBandwidth;
}

double
ComputeModel::ComputeSeconds(uint64_t tokens) const
{
    return m_flopsPerToken * static_cast<double>(tokens) / m_flopRate;
}

double
ComputeModel::MemorySeconds(uint64_t tokens) const
{
    return (m_weightBytes + m_actBytesPerToken * static_cast<double>(tokens)) / m_byteRate;
}

Ns
ComputeModel::RooflineNs(double computeSeconds, double memorySeconds) const
{
    double ns = std::ceil(std::max(computeSeconds, memorySeconds) * 1e9);
    if (!(ns <= kMaxRooflineNs))
    {
        throw InputError("compute model: batch time " + Num(ns) + " ns is out of range");
    }
    return m_params.fixedCostNs + static_cast<Ns>(ns);
}

Ns
ComputeModel::BatchTimeNs(uint64_t tokens) const
{
    if (tokens == 0)
    {
        return 0;
    }
    return RooflineNs(ComputeSeconds(tokens), MemorySeconds(tokens));
}

Ns
ComputeModel::GroupedBatchTimeNs(const std::vector<uint64_t>& tokensPerLocalExpert) const
{
    uint64_t total = 0;
    uint64_t active = 0;
    for (uint64_t b : tokensPerLocalExpert)
    {
        if (b > 0)
        {
            if (b > std::numeric_limits<uint64_t>::max() - total)
            {
                throw InputError("compute model: token count overflows");
            }
            total += b;
            ++active;
        }
    }
    if (active == 0)
    {
        return 0;
    }
    // Identical experts: sum_e C(b_e) = C(total); sum M = active weights + total activations.
    double compute = ComputeSeconds(total);
    double memory = (m_weightBytes * static_cast<double>(active) +
                     m_actBytesPerToken * static_cast<double>(total)) /
                    m_byteRate;
    return RooflineNs(compute, memory);
}

Ns
ComputeModel::BatchSetTimeNs(const std::vector<uint64_t>& tokensPerLocalExpert,
                             LaunchMode mode) const
{
    if (mode == LaunchMode::GROUPED)
    {
        return GroupedBatchTimeNs(tokensPerLocalExpert);
    }
    Ns sum = 0;
    for (uint64_t b : tokensPerLocalExpert)
    {
        Ns t = BatchTimeNs(b);
        if (t > std::numeric_limits<Ns>::max() - sum)
        {
            throw InputError("compute model: busy time overflows");
        }
        sum += t;
    }
    return sum;
}

Ns
ComputeModel::IdealComputeTimeNs(const std::vector<uint64_t>& tokensPerLocalExpert,
                                 LaunchMode mode) const
{
    return BatchSetTimeNs(tokensPerLocalExpert, mode);
}

double
ComputeModel::RidgeTokens() const
{
    // C(b) = M(b)  <=>  b (F / Rc - A / Rm) = W / Rm
    double perToken = m_flopsPerToken / m_flopRate - m_actBytesPerToken / m_byteRate;
    if (perToken <= 0.0)
    {
        return std::numeric_limits<double>::infinity();
    }
    return (m_weightBytes / m_byteRate) / perToken;
}

} // namespace pmoe
} // namespace ns3
