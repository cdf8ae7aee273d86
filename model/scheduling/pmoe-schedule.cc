/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-schedule.h"

#include <algorithm>

namespace ns3
{
namespace pmoe
{

Schedule::Schedule(std::size_t ports, CircuitModel model)
    : residual(ports),
      m_ports(ports),
      m_model(model)
{
}

std::string
CheckMatching(const std::vector<Circuit>& circuits, std::size_t ports, CircuitModel model)
{
    std::vector<char> out(ports, 0);
    std::vector<char> in(ports, 0);
    for (const Circuit& c : circuits)
    {
        std::string name = "circuit [" + std::to_string(c.src) + ", " + std::to_string(c.dst) + "]";
        if (c.src >= ports || c.dst >= ports)
        {
            return name + " names a port >= " + std::to_string(ports);
        }
        if (c.src == c.dst)
        {
            return name + " connects a port to itself";
        }
        if (model == CircuitModel::DUPLEX)
        {
            if (c.src > c.dst)
            {
                return name + ": duplex circuits are written with the lower port first";
            }
            if (out[c.src] || out[c.dst])
            {
                return name + " reuses a port already in another circuit";
            }
            out[c.src] = out[c.dst] = 1;
        }
        else
        {
            if (out[c.src])
            {
                return name + ": port " + std::to_string(c.src) + " already transmits";
            }
            if (in[c.dst])
            {
                return name + ": port " + std::to_string(c.dst) + " already receives";
            }
            out[c.src] = 1;
            in[c.dst] = 1;
        }
    }
    return "";
}

void
Schedule::Append(Configuration config)
{
    std::sort(config.circuits.begin(), config.circuits.end());
    std::string err = CheckMatching(config.circuits, m_ports, m_model);
    if (!err.empty())
    {
        throw InputError("configuration " + std::to_string(m_configs.size()) + ": " + err);
    }
    if (config.durationNs < 0)
    {
        throw InputError("configuration " + std::to_string(m_configs.size()) +
                         ": negative duration " + std::to_string(config.durationNs) + " ns");
    }
    m_configs.push_back(std::move(config));
}

Ns
Schedule::TotalCircuitTimeNs() const
{
    Ns t = 0;
    for (const auto& c : m_configs)
    {
        t += c.durationNs;
    }
    return t;
}

void
Schedule::Validate() const
{
    for (std::size_t k = 0; k < m_configs.size(); ++k)
    {
        std::string err = CheckMatching(m_configs[k].circuits, m_ports, m_model);
        if (!err.empty())
        {
            throw InputError("configuration " + std::to_string(k) + ": " + err);
        }
        if (m_configs[k].durationNs < 0)
        {
            throw InputError("configuration " + std::to_string(k) + ": negative duration");
        }
    }
}

} // namespace pmoe
} // namespace ns3
