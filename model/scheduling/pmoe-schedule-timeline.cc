/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-schedule-timeline.h"

#include <algorithm>

namespace ns3
{
namespace pmoe
{

namespace
{

__extension__ typedef __int128 Wide; // __extension__: no -Wpedantic warning

/// Largest span a timeline may cover (ns).
constexpr Wide kMaxSpanNs = Wide{1} << 62;

} // namespace

ScheduleTimeline::ScheduleTimeline(const Schedule& schedule,
                                   Ns deltaNs,
                                   ReconfigMode mode,
                                   Ns startNs,
                                   bool loop,
                                   const std::vector<int32_t>& initialPeers)
    : m_ports(schedule.Ports()),
      m_configs(schedule.NumConfigurations()),
      m_loop(loop),
      m_mode(mode),
      m_delta(deltaNs),
      m_start(startNs)
{
    if (deltaNs < 0)
    {
        throw InputError("reconfiguration delay must be >= 0, got " + std::to_string(deltaNs));
    }
    const bool duplex = schedule.Model() == CircuitModel::DUPLEX;
    m_peer.assign(m_configs * m_ports, -1);
    m_duration.reserve(m_configs);
    for (std::size_t k = 0; k < m_configs; ++k)
    {
        const Configuration& c = schedule.Configurations()[k];
        int32_t* row = m_peer.data() + k * m_ports;
        for (const Circuit& x : c.circuits)
        {
            row[x.src] = static_cast<int32_t>(x.dst);
            if (duplex)
            {
                row[x.dst] = static_cast<int32_t>(x.src);
            }
        }
        m_duration.push_back(c.durationNs);
    }
    Restart(startNs, initialPeers);
}

void
ScheduleTimeline::Restart(Ns startNs, const std::vector<int32_t>& initialPeers)
{
    if (!initialPeers.empty() && initialPeers.size() != m_ports)
    {
        throw InputError("initial peers for " + std::to_string(initialPeers.size()) +
                         " ports, but the schedule has " + std::to_string(m_ports));
    }
    m_start = startNs;
    m_initial = initialPeers.empty() ? std::vector<int32_t>(m_ports, -1) : initialPeers;
    ComputeTimes();
}

void
ScheduleTimeline::ComputeTimes()
{
    const bool allStop = m_mode == ReconfigMode::ALL_STOP;
    auto same = [this](const int32_t* a, const int32_t* b) {
        return std::equal(a, a + m_ports, b);
    };
    m_first.resize(m_configs);
    m_steady.resize(m_configs);
    m_reconfFirst.resize(m_configs);
    m_reconfSteady.resize(m_configs);
    Wide first = 0;
    Wide steady = 0;
    for (std::size_t k = 0; k < m_configs; ++k)
    {
        const int32_t* row = m_peer.data() + k * m_ports;
        const int32_t* before = k == 0 ? m_initial.data() : row - m_ports;
        const int32_t* beforeSteady = k == 0 ? m_peer.data() + (m_configs - 1) * m_ports : before;
        m_reconfFirst[k] = allStop || !same(row, before);
        m_reconfSteady[k] = allStop || !same(row, beforeSteady);
        m_first[k] = static_cast<Ns>(first);
        m_steady[k] = static_cast<Ns>(steady);
        first += (m_reconfFirst[k] ? m_delta : 0) + static_cast<Wide>(m_duration[k]);
        steady += (m_reconfSteady[k] ? m_delta : 0) + static_cast<Wide>(m_duration[k]);
        if (first > kMaxSpanNs || steady > kMaxSpanNs)
        {
            throw InputError("schedule spans more than 2^62 ns");
        }
    }
    if (static_cast<Wide>(m_start) + first > kMaxSpanNs)
    {
        throw InputError("schedule ends beyond 2^62 ns");
    }
    m_firstCycle = static_cast<Ns>(first);
    m_cycle = static_cast<Ns>(steady);
    if (m_loop && (m_configs == 0 || m_cycle <= 0))
    {
        throw InputError("a looped schedule needs a positive length (reconfiguration delay and "
                         "all durations are 0)");
    }
}

StepTiming
ScheduleTimeline::Step(std::size_t step) const
{
    StepTiming t;
    if (step < m_configs)
    {
        t.config = step;
        t.startNs = m_start + m_first[step];
        t.reconfigures = m_reconfFirst[step] != 0;
    }
    else
    {
        const std::size_t cycle = step / m_configs; // >= 1 (looped)
        t.config = step % m_configs;
        t.startNs =
            m_start + m_firstCycle + static_cast<Ns>(cycle - 1) * m_cycle + m_steady[t.config];
        t.reconfigures = m_reconfSteady[t.config] != 0;
    }
    t.litStartNs = t.startNs + (t.reconfigures ? m_delta : 0);
    t.endNs = t.litStartNs + m_duration[t.config];
    return t;
}

Ns
ScheduleTimeline::EndNs() const
{
    return m_loop ? kNeverNs : m_start + m_firstCycle;
}

std::size_t
ScheduleTimeline::Reconfigurations() const
{
    return static_cast<std::size_t>(std::count(m_reconfFirst.begin(), m_reconfFirst.end(), 1));
}

int64_t
ScheduleTimeline::PreviousConfig(std::size_t step) const
{
    if (step == 0)
    {
        return -1;
    }
    return static_cast<int64_t>((step - 1) % m_configs);
}

int32_t
ScheduleTimeline::Peer(std::size_t step, uint32_t port) const
{
    return m_peer[(step % m_configs) * m_ports + port];
}

bool
ScheduleTimeline::IsKept(std::size_t step, uint32_t port) const
{
    if (m_mode == ReconfigMode::ALL_STOP)
    {
        return false;
    }
    const int32_t peer = Peer(step, port);
    const int64_t prev = PreviousConfig(step);
    const int32_t before = prev < 0 ? m_initial[port] : m_peer[prev * m_ports + port];
    return peer >= 0 && peer == before;
}

Ns
ScheduleTimeline::CircuitLitFromNs(std::size_t step, uint32_t port) const
{
    const StepTiming t = Step(step);
    return IsKept(step, port) ? t.startNs : t.litStartNs;
}

Ns
ScheduleTimeline::TeardownNs(std::size_t step, uint32_t port) const
{
    const StepTiming t = Step(step);
    if (m_mode == ReconfigMode::ALL_STOP)
    {
        return t.endNs;
    }
    Ns end = t.endNs;
    for (std::size_t next = step + 1; next <= step + m_configs; ++next)
    {
        if (!m_loop && next >= m_configs)
        {
            return end;
        }
        if (!IsKept(next, port))
        {
            return end;
        }
        end = Step(next).endNs;
    }
    return kNeverNs; // kept by every configuration of a looped schedule
}

Ns
ScheduleTimeline::NextLitNs(std::size_t afterStep, uint32_t port, uint32_t peer, Ns untilNs) const
{
    const auto target = static_cast<int32_t>(peer);
    const std::size_t last = m_loop ? afterStep + m_configs : m_configs - 1;
    for (std::size_t s = afterStep + 1; s <= last; ++s)
    {
        const StepTiming t = Step(s);
        if (t.startNs >= untilNs)
        {
            break;
        }
        if (Peer(s, port) == target && !IsKept(s, port))
        {
            return t.litStartNs;
        }
    }
    return kNeverNs;
}

Ns
ScheduleTimeline::FirstLitNs(uint32_t port, uint32_t peer) const
{
    const auto target = static_cast<int32_t>(peer);
    for (std::size_t s = 0; s < m_configs; ++s)
    {
        if (Peer(s, port) == target && !IsKept(s, port))
        {
            return Step(s).litStartNs;
        }
    }
    return kNeverNs;
}

} // namespace pmoe
} // namespace ns3
