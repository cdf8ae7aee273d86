/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-schedule-builder.h"

#include <limits>
#include <utility>

namespace ns3
{
namespace pmoe
{

namespace
{

// 128-bit intermediates for byte x time products.
__extension__ typedef __int128 Wide; // __extension__: no -Wpedantic warning

/** Circuits realising (part of) a permutation, and how many permutation arcs they carry. */
struct PermutationConfig
{
    std::vector<Circuit> circuits; //!< a valid matching
    std::size_t arcs{0};           //!< arcs i -> perm[i] realised
};

/**
 * The configurations that realise permutation @p perm. Unidirectional: one configuration
 * (fixed points idle). Duplex: a duplex circuit {i, j} carries both i -> j and j -> i, so
 * 2-cycles need one circuit; the edges of a longer cycle are coloured alternately (an odd
 * cycle needs a third colour for its last edge), giving up to three configurations.
 * @param perm permutation
 * @param model circuit model
 * @return non-empty configurations
 */
std::vector<PermutationConfig>
PermutationConfigs(const std::vector<uint32_t>& perm, CircuitModel model)
{
    const std::size_t n = perm.size();
    if (model == CircuitModel::UNIDIRECTIONAL)
    {
        PermutationConfig pc;
        for (std::size_t i = 0; i < n; ++i)
        {
            if (perm[i] != i)
            {
                pc.circuits.push_back({static_cast<uint32_t>(i), perm[i]});
            }
        }
        pc.arcs = pc.circuits.size();
        if (pc.circuits.empty())
        {
            return {};
        }
        return {pc};
    }
    std::vector<PermutationConfig> colours(3);
    std::vector<char> seen(n, 0);
    std::vector<uint32_t> cycle;
    for (std::size_t start = 0; start < n; ++start)
    {
        if (seen[start] || perm[start] == start)
        {
            continue;
        }
        cycle.clear();
        for (uint32_t v = static_cast<uint32_t>(start); !seen[v]; v = perm[v])
        {
            seen[v] = 1;
            cycle.push_back(v);
        }
        const std::size_t len = cycle.size();
        if (len == 2)
        {
            colours[0].circuits.push_back(
                {std::min(cycle[0], cycle[1]), std::max(cycle[0], cycle[1])});
            colours[0].arcs += 2;
            continue;
        }
        for (std::size_t t = 0; t < len; ++t)
        {
            std::size_t colour = (len % 2 == 1 && t == len - 1) ? 2 : t % 2;
            uint32_t u = cycle[t];
            uint32_t v = cycle[(t + 1) % len];
            colours[colour].circuits.push_back({std::min(u, v), std::max(u, v)});
            colours[colour].arcs += 1;
        }
    }
    std::vector<PermutationConfig> out;
    for (auto& c : colours)
    {
        if (!c.circuits.empty())
        {
            out.push_back(std::move(c));
        }
    }
    return out;
}

} // namespace

bool
ServesAtLeastAsFast(Bytes served1, Ns time1, Bytes served2, Ns time2, Ns delta)
{
    return static_cast<Wide>(served1) * (time2 + delta) >=
           static_cast<Wide>(served2) * (time1 + delta);
}

ScheduleBuilder::ScheduleBuilder(const DemandMatrix& demand,
                                 const DecompositionParams& params,
                                 const std::string& name)
    : m_params(params),
      m_n(demand.Size()),
      m_remaining(demand),
      m_schedule(demand.Size(), params.model),
      m_remainingBytes(demand.Total())
{
    m_schedule.algorithm = name;
}

bool
ScheduleBuilder::HasRoomForConfiguration() const
{
    return m_params.residualPolicy == ResidualPolicy::APPEND || m_params.maxMatchings == 0 ||
           NumConfigurations() < m_params.maxMatchings;
}

Bytes
ScheduleBuilder::AddConfiguration(std::vector<Circuit> circuits, Bytes slotBytes)
{
    Configuration config;
    config.circuits = std::move(circuits);
    std::sort(config.circuits.begin(), config.circuits.end());
    config.durationNs = TransmissionTimeNs(slotBytes, m_params.linkRateBps);
    Bytes cap = BytesInNs(config.durationNs, m_params.linkRateBps);
    CircuitLoad* load = nullptr;
    if (m_params.residualPolicy == ResidualPolicy::RELAY)
    {
        m_load.push_back({std::vector<int32_t>(m_n, -1), std::vector<Bytes>(m_n, 0), cap});
        load = &m_load.back();
    }
    Bytes served = 0;
    ServeConfiguration(m_remaining,
                       config.circuits,
                       m_params.model,
                       cap,
                       [&](uint32_t s, uint32_t t, Bytes x) {
                           served += x;
                           if (load)
                           {
                               load->peer[s] = static_cast<int32_t>(t);
                               load->used[s] = x;
                           }
                       });
    config.plannedBytes = served;
    m_remainingBytes -= served;
    m_schedule.Append(std::move(config));
    return served;
}

Bytes
ScheduleBuilder::SlotBytesFor(const std::vector<Circuit>& circuits, DurationPolicy policy) const
{
    const bool duplex = m_params.model == CircuitModel::DUPLEX;
    Bytes maxNeed = 0;
    Bytes minNeed = std::numeric_limits<Bytes>::max();
    std::vector<Bytes> entries;
    for (const Circuit& c : circuits)
    {
        Bytes fwd = m_remaining.At(c.src, c.dst);
        Bytes rev = duplex ? m_remaining.At(c.dst, c.src) : 0;
        Bytes need = std::max(fwd, rev);
        if (need <= 0)
        {
            continue;
        }
        maxNeed = std::max(maxNeed, need);
        minNeed = std::min(minNeed, need);
        if (fwd > 0)
        {
            entries.push_back(fwd);
        }
        if (rev > 0)
        {
            entries.push_back(rev);
        }
    }
    if (policy == DurationPolicy::WHOLE_PAIR || entries.empty())
    {
        return maxNeed;
    }
    if (policy == DurationPolicy::MIN_ENTRY)
    {
        return minNeed;
    }
    // DELTA_AWARE: t among the matched entries maximising served(t) / (t_ns + delta), with
    // served(t) = sum of min(entry, t); ties go to the larger t (fewer configurations).
    std::sort(entries.begin(), entries.end());
    const std::size_t m = entries.size();
    Bytes prefix = 0;
    Bytes bestT = 0;
    Bytes bestServed = 0;
    Ns bestTime = 0;
    for (std::size_t k = 0; k < m; ++k)
    {
        prefix += entries[k];
        if (k + 1 < m && entries[k + 1] == entries[k])
        {
            continue;
        }
        Bytes t = entries[k];
        Bytes served = prefix + static_cast<Bytes>(m - 1 - k) * t;
        Ns time = TransmissionTimeNs(t, m_params.linkRateBps);
        if (bestT == 0 ||
            ServesAtLeastAsFast(served, time, bestServed, bestTime, m_params.reconfigDelayNs))
        {
            bestT = t;
            bestServed = served;
            bestTime = time;
        }
    }
    return bestT;
}

bool
ScheduleBuilder::AddMaxWeightMatching(DurationPolicy policy)
{
    std::vector<Circuit> circuits = m_matcher.Solve(m_remaining, m_params.model, m_params.matching);
    if (circuits.empty())
    {
        return false;
    }
    Bytes slot = SlotBytesFor(circuits, policy);
    AddConfiguration(std::move(circuits), slot);
    return true;
}

void
ScheduleBuilder::AddMaxWeightMatchings(DurationPolicy policy, bool withinBudget)
{
    while (m_remainingBytes > 0 && (!withinBudget || HasRoomForConfiguration()))
    {
        if (!AddMaxWeightMatching(policy))
        {
            break; // cannot happen with demand left; guards against an endless loop
        }
    }
}

bool
ScheduleBuilder::AddPermutation(const std::vector<uint32_t>& perm, Bytes slotBytes)
{
    for (PermutationConfig& pc : PermutationConfigs(perm, m_params.model))
    {
        if (!HasRoomForConfiguration())
        {
            return false;
        }
        m_permutationRealBytes += AddConfiguration(std::move(pc.circuits), slotBytes);
        m_permutationArcBytes += static_cast<Wide>(slotBytes) * static_cast<Wide>(pc.arcs);
    }
    return true;
}

Schedule
ScheduleBuilder::Finish()
{
    if (m_params.residualPolicy == ResidualPolicy::APPEND && m_remainingBytes > 0)
    {
        AddMaxWeightMatchings(DurationPolicy::WHOLE_PAIR, false);
    }
    if (m_params.residualPolicy == ResidualPolicy::RELAY && m_remainingBytes > 0)
    {
        m_remainingBytes -= RelayResidual(m_remaining, m_load, m_schedule);
    }
    DemandMatrix residual(m_n);
    for (std::size_t i = 0; i < m_n; ++i)
    {
        for (std::size_t j = 0; j < m_n; ++j)
        {
            if (i != j && m_remaining.At(i, j) > 0)
            {
                residual.Set(i, j, m_remaining.At(i, j));
            }
        }
    }
    m_schedule.residual = std::move(residual);
    // Dummy demand carried: slot capacity on permutation arcs beyond the real demand.
    const Wide stuffed = std::max(Wide{0}, m_permutationArcBytes - m_permutationRealBytes);
    m_schedule.stuffedBytes =
        static_cast<Bytes>(std::min(stuffed, static_cast<Wide>(std::numeric_limits<Bytes>::max())));
    if (m_params.maxMatchings > 0 && NumConfigurations() > m_params.maxMatchings)
    {
        m_schedule.algorithm += "+append";
    }
    return std::move(m_schedule);
}

std::vector<DemandMatrix>
PlannedService(const DemandMatrix& demand, const Schedule& schedule, Bps linkRateBps)
{
    if (schedule.Ports() != demand.Size())
    {
        throw InputError("schedule has " + std::to_string(schedule.Ports()) +
                         " ports but the demand matrix has " + std::to_string(demand.Size()));
    }
    if (linkRateBps <= 0)
    {
        throw InputError("linkRateBps must be positive, got " + std::to_string(linkRateBps));
    }
    schedule.Validate();
    DemandMatrix rem = demand;
    std::vector<DemandMatrix> out;
    out.reserve(schedule.NumConfigurations());
    for (const Configuration& c : schedule.Configurations())
    {
        DemandMatrix served(demand.Size());
        ServeConfiguration(rem,
                           c.circuits,
                           schedule.Model(),
                           BytesInNs(c.durationNs, linkRateBps),
                           [&](uint32_t s, uint32_t t, Bytes x) {
                               if (x > 0)
                               {
                                   served.Set(s, t, x);
                               }
                           });
        out.push_back(std::move(served));
    }
    return out;
}

} // namespace pmoe
} // namespace ns3
