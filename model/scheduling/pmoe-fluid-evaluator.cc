/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-fluid-evaluator.h"

#include <algorithm>

namespace ns3
{
namespace pmoe
{

Ns
LoadLowerBoundNs(const DemandMatrix& demand, Bps linkRateBps)
{
    if (linkRateBps <= 0)
    {
        throw InputError("linkRateBps must be positive, got " + std::to_string(linkRateBps));
    }
    return TransmissionTimeNs(demand.MaxLineSum(), linkRateBps);
}

namespace
{

__extension__ typedef __int128 Wide; // __extension__: no -Wpedantic warning

/**
 * @param circuits sorted circuits of a configuration
 * @param model circuit model
 * @param s sending port
 * @param t receiving port
 * @return true if the configuration carries s -> t
 */
bool
CarriesDirection(const std::vector<Circuit>& circuits, CircuitModel model, uint32_t s, uint32_t t)
{
    Circuit c{s, t};
    if (model == CircuitModel::DUPLEX)
    {
        c = {std::min(s, t), std::max(s, t)};
    }
    return std::binary_search(circuits.begin(), circuits.end(), c);
}

/**
 * Check that every relay flow names existing ports and circuits, in order.
 * @param schedule schedule
 */
void
ValidateRelays(const Schedule& schedule)
{
    const std::size_t n = schedule.Ports();
    const auto& configs = schedule.Configurations();
    for (std::size_t k = 0; k < schedule.relays.size(); ++k)
    {
        const RelayFlow& f = schedule.relays[k];
        std::string name = "relay flow " + std::to_string(k) + " (" + std::to_string(f.src) +
                           " -> " + std::to_string(f.via) + " -> " + std::to_string(f.dst) + ")";
        if (f.src >= n || f.via >= n || f.dst >= n || f.src == f.via || f.via == f.dst ||
            f.src == f.dst)
        {
            throw InputError(name + ": ports must be distinct and < " + std::to_string(n));
        }
        if (f.bytes < 0)
        {
            throw InputError(name + ": negative bytes " + std::to_string(f.bytes));
        }
        if (f.firstConfig >= f.secondConfig || f.secondConfig >= configs.size())
        {
            throw InputError(name + ": configurations " + std::to_string(f.firstConfig) + " and " +
                             std::to_string(f.secondConfig) +
                             " must be increasing and exist in a schedule of " +
                             std::to_string(configs.size()));
        }
        if (!CarriesDirection(configs[f.firstConfig].circuits, schedule.Model(), f.src, f.via) ||
            !CarriesDirection(configs[f.secondConfig].circuits, schedule.Model(), f.via, f.dst))
        {
            throw InputError(name + ": its configurations lack the circuits for its hops");
        }
    }
}

} // namespace

FluidResult
EvaluateSchedule(const DemandMatrix& demand, const Schedule& schedule, const FluidParams& params)
{
    const std::size_t n = demand.Size();
    if (schedule.Ports() != n)
    {
        throw InputError("schedule has " + std::to_string(schedule.Ports()) +
                         " ports but the demand matrix has " + std::to_string(n));
    }
    if (params.linkRateBps <= 0)
    {
        throw InputError("linkRateBps must be positive, got " + std::to_string(params.linkRateBps));
    }
    if (params.reconfigDelayNs < 0)
    {
        throw InputError("reconfigDelayNs must be >= 0, got " +
                         std::to_string(params.reconfigDelayNs));
    }
    if (params.epsRateBps < 0)
    {
        throw InputError("epsRateBps must be >= 0, got " + std::to_string(params.epsRateBps));
    }
    if (params.mode != ReconfigMode::ALL_STOP && params.mode != ReconfigMode::CHANGED_ONLY)
    {
        throw InputError("unknown reconfiguration mode value " +
                         std::to_string(static_cast<int>(params.mode)));
    }
    schedule.Validate();
    ValidateRelays(schedule);
    {
        Wide span = 0;
        for (const Configuration& c : schedule.Configurations())
        {
            span += static_cast<Wide>(c.durationNs) + params.reconfigDelayNs;
        }
        if (span > (Wide{1} << 62))
        {
            throw InputError("schedule spans more than 2^62 ns");
        }
    }

    const auto& configs = schedule.Configurations();
    const CircuitModel model = schedule.Model();
    const bool duplex = model == CircuitModel::DUPLEX;
    const Bps rate = params.linkRateBps;

    std::vector<Bytes> rem = demand.Data();
    std::vector<std::vector<std::size_t>> byFirst(configs.size());
    std::vector<std::vector<std::size_t>> bySecond(configs.size());
    for (std::size_t k = 0; k < schedule.relays.size(); ++k)
    {
        byFirst[schedule.relays[k].firstConfig].push_back(k);
        bySecond[schedule.relays[k].secondConfig].push_back(k);
    }
    std::vector<Bytes> stored(schedule.relays.size(), 0);

    FluidResult res;
    res.configs.reserve(configs.size());
    std::vector<Bytes> cap(n);
    std::vector<Bytes> used(n);
    std::vector<Ns> lit(n);
    const ScheduleTimeline timeline(schedule, params.reconfigDelayNs, params.mode);
    Wide litTotal = 0;
    Wide capacityTotal = 0;
    Wide carriedTotal = 0;

    for (std::size_t k = 0; k < configs.size(); ++k)
    {
        const Configuration& c = configs[k];
        const StepTiming step = timeline.Step(k);
        ConfigurationResult cr;
        cr.startNs = step.litStartNs;
        cr.endNs = step.endNs;
        if (step.reconfigures)
        {
            ++res.reconfigurations;
            res.reconfigTimeNs += params.reconfigDelayNs;
        }
        // Lit time and capacity of every circuit direction (indexed by the sending port): a
        // circuit kept through the reconfiguration is lit from the step start.
        for (const Circuit& x : c.circuits)
        {
            const Ns l = step.endNs - timeline.CircuitLitFromNs(k, x.src);
            const Bytes b = BytesInNs(l, rate);
            lit[x.src] = l;
            cap[x.src] = b;
            used[x.src] = 0;
            if (duplex)
            {
                lit[x.dst] = l;
                cap[x.dst] = b;
                used[x.dst] = 0;
            }
        }
        // Direct demand first.
        auto direct = [&](uint32_t s, uint32_t d) {
            Bytes& r = rem[s * n + d];
            Bytes x = std::min(r, cap[s]);
            r -= x;
            used[s] += x;
        };
        for (const Circuit& x : c.circuits)
        {
            direct(x.src, x.dst);
            if (duplex)
            {
                direct(x.dst, x.src);
            }
        }
        // Then relay first hops (taken from the pair's remaining demand), then second hops
        // of bytes already stored at the intermediate port.
        for (std::size_t f : byFirst[k])
        {
            const RelayFlow& r = schedule.relays[f];
            Bytes& left = rem[r.src * n + r.dst];
            Bytes x = std::min({r.bytes, cap[r.src] - used[r.src], left});
            if (x > 0)
            {
                left -= x;
                used[r.src] += x;
                stored[f] += x;
            }
        }
        for (std::size_t f : bySecond[k])
        {
            const RelayFlow& r = schedule.relays[f];
            Bytes x = std::min(stored[f], cap[r.via] - used[r.via]);
            if (x > 0)
            {
                stored[f] -= x;
                used[r.via] += x;
                res.relayedBytes += x;
            }
        }
        // Bubbles: lit time minus the time the carried bytes need (duplex: the busier
        // direction); capacity counts both directions of a duplex circuit.
        for (const Circuit& x : c.circuits)
        {
            Ns need = TransmissionTimeNs(used[x.src], rate);
            Bytes carried = used[x.src];
            Bytes capacity = cap[x.src];
            if (duplex)
            {
                need = std::max(need, TransmissionTimeNs(used[x.dst], rate));
                carried += used[x.dst];
                capacity += cap[x.dst];
            }
            if (carried > 0)
            {
                res.lastByteNs = std::max(res.lastByteNs, step.endNs - lit[x.src] + need);
            }
            Ns bubble = std::max<Ns>(0, lit[x.src] - need);
            cr.bytesServed += carried;
            cr.capacityBytes += capacity;
            cr.bubbleNs += bubble;
            litTotal += lit[x.src];
        }
        capacityTotal += cr.capacityBytes;
        carriedTotal += cr.bytesServed;
        res.bubbleNs += cr.bubbleNs;
        res.configs.push_back(cr);
    }
    res.circuitMakespanNs = timeline.EndNs();

    // Bytes stranded at an intermediate port (first hop done, second hop short) count as
    // residual: the electrical fabric delivers them.
    for (std::size_t f = 0; f < stored.size(); ++f)
    {
        const RelayFlow& r = schedule.relays[f];
        rem[r.src * n + r.dst] += stored[f];
    }
    res.residual = DemandMatrix(n);
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            if (i != j && rem[i * n + j] > 0)
            {
                res.residual.Set(i, j, rem[i * n + j]);
                res.residualBytes += rem[i * n + j];
            }
        }
    }
    res.bytesServed = demand.Total() - res.residualBytes;
    if (res.residualBytes > 0)
    {
        if (params.epsRateBps > 0)
        {
            res.epsTimeNs = TransmissionTimeNs(res.residual.MaxLineSum(), params.epsRateBps);
        }
        else
        {
            res.epsUnavailable = true;
        }
    }
    res.makespanNs = std::max(res.circuitMakespanNs, res.epsTimeNs);
    res.lastByteNs = std::max(res.lastByteNs, res.epsTimeNs);
    res.bubbleFraction =
        litTotal > 0 ? static_cast<double>(res.bubbleNs) / static_cast<double>(litTotal) : 0.0;
    res.utilisation = capacityTotal > 0
                          ? static_cast<double>(carriedTotal) / static_cast<double>(capacityTotal)
                          : 0.0;
    res.lowerBoundNs = LoadLowerBoundNs(demand, rate);
    res.lowerBoundReconfigNs =
        res.lowerBoundNs + static_cast<Ns>(demand.MaxLineNonZeros()) * params.reconfigDelayNs;
    return res;
}

} // namespace pmoe
} // namespace ns3
