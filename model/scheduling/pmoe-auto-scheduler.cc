/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-auto-scheduler.h"

#include "pmoe-decomposition.h"
#include "pmoe-schedule-builder.h"
#include "pmoe-schedule-timeline.h"

#include <algorithm>
#include <utility>

namespace ns3
{
namespace pmoe
{

namespace
{

/// Schedules of at most this many configurations have every prefix tried.
constexpr std::size_t kEveryPrefixUpTo = 64;

/**
 * Bytes each configuration delivers to each receiving port, replayed with the evaluator's
 * serving rule and timeline (direct demand first; a relayed flow's planned bytes, as far as
 * the pair's demand allows, leave at its first hop and arrive at its second).
 * @return per configuration, per port
 */
std::vector<std::vector<Bytes>>
Deliveries(const DemandMatrix& demand, const Schedule& schedule, const FluidParams& fluid)
{
    const std::size_t n = demand.Size();
    const auto& configs = schedule.Configurations();
    const bool duplex = schedule.Model() == CircuitModel::DUPLEX;
    const ScheduleTimeline timeline(schedule, fluid.reconfigDelayNs, fluid.mode);
    DemandMatrix rem = demand;
    std::vector<Bytes> inFlight(schedule.relays.size(), 0);
    std::vector<std::vector<Bytes>> out(configs.size(), std::vector<Bytes>(n, 0));
    for (std::size_t k = 0; k < configs.size(); ++k)
    {
        const StepTiming step = timeline.Step(k);
        for (const Circuit& c : configs[k].circuits)
        {
            const Bytes cap =
                BytesInNs(step.endNs - timeline.CircuitLitFromNs(k, c.src), fluid.linkRateBps);
            auto serve = [&](uint32_t a, uint32_t b) {
                const Bytes x = std::min(rem.At(a, b), cap);
                if (x > 0)
                {
                    rem.Set(a, b, rem.At(a, b) - x);
                    out[k][b] += x;
                }
            };
            serve(c.src, c.dst);
            if (duplex)
            {
                serve(c.dst, c.src);
            }
        }
        for (std::size_t f = 0; f < schedule.relays.size(); ++f)
        {
            const RelayFlow& r = schedule.relays[f];
            if (r.firstConfig == k)
            {
                const Bytes x = std::min(r.bytes, rem.At(r.src, r.dst));
                rem.Set(r.src, r.dst, rem.At(r.src, r.dst) - x);
                inFlight[f] = x;
            }
            if (r.secondConfig == k)
            {
                out[k][r.dst] += inFlight[f];
            }
        }
    }
    return out;
}

/**
 * When the electrical fabric has delivered the residual if each pair's residual enters it at
 * its release time: every port sends (and receives) its released residual one byte after the
 * other at @p epsRateBps, so a port finishes at the latest release time t plus the time of the
 * bytes released at or after t.
 * @param residual per-pair residual
 * @param releaseNs per pair (row-major): when its residual enters the fabric
 * @param epsRateBps rate per port, > 0
 * @return the last port's finish time (0 without residual)
 */
Ns
ElectricalFinishNs(const DemandMatrix& residual, const std::vector<Ns>& releaseNs, Bps epsRateBps)
{
    const std::size_t n = residual.Size();
    Ns finish = 0;
    std::vector<std::pair<Ns, Bytes>> flows;
    for (std::size_t port = 0; port < n; ++port)
    {
        for (const bool sending : {true, false})
        {
            flows.clear();
            for (std::size_t peer = 0; peer < n; ++peer)
            {
                const std::size_t i = sending ? port : peer;
                const std::size_t j = sending ? peer : port;
                const Bytes b = residual.At(i, j);
                if (i != j && b > 0)
                {
                    flows.emplace_back(releaseNs[i * n + j], b);
                }
            }
            std::sort(flows.begin(), flows.end(), std::greater<>());
            Bytes after = 0;
            for (const auto& [release, bytes] : flows)
            {
                after += bytes;
                finish = std::max(finish, release + TransmissionTimeNs(after, epsRateBps));
            }
        }
    }
    return finish;
}

/** The first @p k configurations of @p s, with the residual of its plan. */
Schedule
Prefix(const DemandMatrix& demand,
       const Schedule& s,
       std::size_t k,
       const DecompositionParams& params,
       ReconfigMode planMode)
{
    Schedule t(s.Ports(), s.Model());
    for (std::size_t i = 0; i < k; ++i)
    {
        t.Append(s.Configurations()[i]);
    }
    t.algorithm = s.algorithm;
    FluidParams fp;
    fp.reconfigDelayNs = params.reconfigDelayNs;
    fp.linkRateBps = params.linkRateBps;
    fp.mode = planMode;
    t.residual = EvaluateSchedule(demand, t, fp).residual;
    return t;
}

/**
 * @p s with its configurations ordered by critical path: by the largest compute time of the
 * GPUs they deliver to (@p byMax), or by delivered bytes weighted by that compute time;
 * stable; planned bytes recomputed (all-stop plan).
 */
Schedule
CriticalPathOrder(const DemandMatrix& demand,
                  const Schedule& s,
                  const std::vector<double>& work,
                  Bps rate,
                  bool byMax)
{
    const std::vector<DemandMatrix> planned = PlannedService(demand, s, rate);
    std::vector<std::pair<double, std::size_t>> keys;
    for (std::size_t k = 0; k < planned.size(); ++k)
    {
        double key = 0;
        for (std::size_t j = 0; j < demand.Size(); ++j)
        {
            const Bytes b = planned[k].ColSum(j);
            if (b > 0)
            {
                key = byMax ? std::max(key, work[j]) : key + static_cast<double>(b) * work[j];
            }
        }
        keys.emplace_back(-key, k);
    }
    std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
        return a.first < b.first;
    });
    Schedule t(s.Ports(), s.Model());
    for (const auto& key : keys)
    {
        t.Append(s.Configurations()[key.second]);
    }
    const std::vector<DemandMatrix> again = PlannedService(demand, t, rate);
    for (std::size_t k = 0; k < again.size(); ++k)
    {
        t.MutableConfigurations()[k].plannedBytes = again[k].Total();
    }
    t.algorithm = s.algorithm;
    t.residual = s.residual;
    t.stuffedBytes = s.stuffedBytes;
    return t;
}

} // namespace

LayerPrediction
PredictLayerTime(const DemandMatrix& demand,
                 const Schedule& schedule,
                 const FluidParams& fluid,
                 const LayerTimeModel& model)
{
    LayerPrediction p;
    p.fluid = EvaluateSchedule(demand, schedule, fluid);
    p.makespanNs = p.fluid.makespanNs;
    if (p.fluid.epsUnavailable)
    {
        p.layerTimeNs = kNeverNs;
        return p;
    }
    p.layerTimeNs = p.makespanNs;
    const std::size_t n = demand.Size();
    bool electricalOnly = false;
    for (uint32_t i = 0; i < n && !electricalOnly; ++i)
    {
        for (uint32_t j = 0; j < n; ++j)
        {
            if (i != j && demand.At(i, j) > 0 && p.fluid.residual.At(i, j) == demand.At(i, j))
            {
                electricalOnly = true;
                break;
            }
        }
    }
    for (std::size_t k = 0; k < p.fluid.configs.size() && !electricalOnly; ++k)
    {
        if (p.fluid.configs[k].bytesServed > 0)
        {
            p.firstByteNs = p.fluid.configs[k].startNs;
            break;
        }
    }
    // The residual reaches the electrical fabric at FluidResult::epsTimeNs, or when its
    // pair's last circuit has ended.
    Ns epsEnd = p.fluid.epsTimeNs;
    std::vector<Ns> release(n * n, 0);
    if (model.residualAfterLastCircuit && p.fluid.residualBytes > 0)
    {
        const bool duplex = schedule.Model() == CircuitModel::DUPLEX;
        for (std::size_t k = 0; k < p.fluid.configs.size(); ++k)
        {
            for (const Circuit& c : schedule.Configurations()[k].circuits)
            {
                release[c.src * n + c.dst] = p.fluid.configs[k].endNs;
                if (duplex)
                {
                    release[c.dst * n + c.src] = p.fluid.configs[k].endNs;
                }
            }
        }
        epsEnd = ElectricalFinishNs(p.fluid.residual, release, fluid.epsRateBps);
        p.makespanNs = std::max(p.fluid.circuitMakespanNs, epsEnd);
        p.layerTimeNs = p.makespanNs;
    }
    if (!model.chunkComputeNs)
    {
        return p;
    }
    const auto deliveries = Deliveries(demand, schedule, fluid);
    for (uint32_t g = 0; g < n; ++g)
    {
        const Bytes residual = p.fluid.residual.ColSum(g);
        Ns end = 0;
        if (model.perMatching)
        {
            end = model.chunkComputeNs(g, demand.LocalBytes(g));
            // The residual trickles in from its first release to epsEnd (linearly): each
            // batch takes what has arrived by then, a last batch the rest.
            Ns from = epsEnd;
            for (uint32_t i = 0; i < n; ++i)
            {
                if (p.fluid.residual.At(i, g) > 0)
                {
                    from = std::min(from, release[i * n + g]);
                }
            }
            auto arrivedBy = [residual, from, epsEnd](Ns t) -> Bytes {
                if (t >= epsEnd)
                {
                    return residual;
                }
                if (t <= from)
                {
                    return 0;
                }
                return static_cast<Bytes>(static_cast<long double>(residual) * (t - from) /
                                          (epsEnd - from));
            };
            Bytes taken = 0;
            for (std::size_t k = 0; k < deliveries.size(); ++k)
            {
                if (deliveries[k][g] > 0)
                {
                    const Ns at = p.fluid.configs[k].endNs;
                    const Bytes more = arrivedBy(at) - taken;
                    taken += more;
                    end = std::max(end, at) + model.chunkComputeNs(g, deliveries[k][g] + more);
                }
            }
            if (residual > taken)
            {
                end = std::max(end, epsEnd) + model.chunkComputeNs(g, residual - taken);
            }
        }
        else
        {
            Ns arrival = residual > 0 ? epsEnd : 0;
            Bytes total = demand.LocalBytes(g) + residual;
            for (std::size_t k = 0; k < deliveries.size(); ++k)
            {
                if (deliveries[k][g] > 0)
                {
                    arrival = std::max(arrival, p.fluid.configs[k].endNs);
                    total += deliveries[k][g];
                }
            }
            end = arrival + model.chunkComputeNs(g, total);
        }
        p.computeEndNs = std::max(p.computeEndNs, end);
    }
    p.layerTimeNs = std::max(p.makespanNs, p.computeEndNs);
    return p;
}

AutoResult
AutoSchedule(const DemandMatrix& demand,
             const DecompositionParams& params,
             const LayerTimeModel& model)
{
    ValidateDecompositionInputs(demand, params);
    FluidParams fluid;
    fluid.reconfigDelayNs = params.reconfigDelayNs;
    fluid.linkRateBps = params.linkRateBps;
    fluid.mode = params.reconfigMode;
    fluid.epsRateBps = params.epsRateBps;
    const bool compute = static_cast<bool>(model.chunkComputeNs);
    std::vector<double> work(demand.Size(), 0.0);
    if (compute)
    {
        for (uint32_t g = 0; g < demand.Size(); ++g)
        {
            work[g] = static_cast<double>(
                model.chunkComputeNs(g, demand.LocalBytes(g) + demand.ColSum(g)));
        }
    }

    AutoResult best;
    bool have = false;
    auto consider = [&](Schedule s, const std::string& name) {
        LayerPrediction p = PredictLayerTime(demand, s, fluid, model);
        best.candidates.push_back({name, s.NumConfigurations(), p.layerTimeNs});
        if (!have || p.layerTimeNs < best.prediction.layerTimeNs)
        {
            have = true;
            best.k = s.NumConfigurations();
            best.choice = name;
            best.prediction = std::move(p);
            best.schedule = std::move(s);
        }
    };

    struct Base
    {
        std::string algorithm;
        DurationPolicy policy;
        std::string label;
    };

    std::vector<Base> bases = {
        {"greedy", DurationPolicy::WHOLE_PAIR, "greedy/whole-pair"},
        {"greedy", DurationPolicy::MIN_ENTRY, "greedy/min-entry"},
        {"greedy", DurationPolicy::DELTA_AWARE, "greedy/delta-aware"},
        {"eclipse", DurationPolicy::WHOLE_PAIR, "eclipse"},
        {"bvn", DurationPolicy::WHOLE_PAIR, "bvn"},
        {"solstice", DurationPolicy::WHOLE_PAIR, "solstice"},
        {"rotor", DurationPolicy::WHOLE_PAIR, "rotor"},
        {"static", DurationPolicy::WHOLE_PAIR, "static"},
    };
    if (params.reconfigMode == ReconfigMode::CHANGED_ONLY)
    {
        bases.push_back({"sunflow", DurationPolicy::WHOLE_PAIR, "sunflow"});
    }
    const bool prefixes = params.residualPolicy == ResidualPolicy::EPS && params.epsRateBps > 0;
    for (const Base& b : bases)
    {
        DecompositionParams p = params;
        p.algorithm = b.algorithm;
        p.durationPolicy = b.policy;
        const Schedule full = Decompose(demand, p);
        const bool sunflow = b.algorithm == "sunflow";
        const ReconfigMode planMode = sunflow ? ReconfigMode::CHANGED_ONLY : ReconfigMode::ALL_STOP;
        std::vector<std::size_t> ks;
        if (prefixes && full.relays.empty() && full.stuffedBytes == 0)
        {
            const std::size_t m = full.NumConfigurations();
            for (std::size_t k = 1; k < m; k = (m <= kEveryPrefixUpTo || k < 4) ? k + 1 : k + k / 2)
            {
                ks.push_back(k);
            }
        }
        ks.push_back(full.NumConfigurations());
        for (std::size_t k : ks)
        {
            Schedule s =
                k == full.NumConfigurations() ? full : Prefix(demand, full, k, p, planMode);
            const std::string name = b.label + " K=" + std::to_string(k);
            if (compute && !sunflow && s.relays.empty() && s.NumConfigurations() > 1)
            {
                consider(CriticalPathOrder(demand, s, work, params.linkRateBps, true),
                         name + " critical-path");
                consider(CriticalPathOrder(demand, s, work, params.linkRateBps, false),
                         name + " weighted-critical-path");
            }
            consider(std::move(s), name);
        }
    }
    // The candidate is in AutoResult::choice; "+append" is kept.
    const bool appended = best.schedule.algorithm.find("+append") != std::string::npos;
    best.schedule.algorithm = appended ? "auto+append" : "auto";
    return best;
}

std::string
AutoDecomposer::Name() const
{
    return "auto";
}

Schedule
AutoDecomposer::Run(const DemandMatrix& demand, const DecompositionParams& params)
{
    return AutoSchedule(demand, params).schedule;
}

Ns
PerPortLowerBoundNs(const DemandMatrix& demand, CircuitModel model, Bps linkRateBps, Ns deltaNs)
{
    if (linkRateBps <= 0)
    {
        throw InputError("linkRateBps must be positive, got " + std::to_string(linkRateBps));
    }
    if (deltaNs < 0)
    {
        throw InputError("reconfigDelayNs must be >= 0, got " + std::to_string(deltaNs));
    }
    const std::size_t n = demand.Size();
    Ns bound = 0;
    for (std::size_t p = 0; p < n; ++p)
    {
        // Unidirectional: sending side (row) and receiving side (column); duplex: the larger
        // direction of each peer.
        Bytes row = 0;
        Bytes col = 0;
        Bytes both = 0;
        Ns rowPeers = 0;
        Ns colPeers = 0;
        Ns bothPeers = 0;
        for (std::size_t q = 0; q < n; ++q)
        {
            const Bytes out = demand.At(p, q);
            const Bytes in = demand.At(q, p);
            row += out;
            col += in;
            both += std::max(out, in);
            rowPeers += out > 0;
            colPeers += in > 0;
            bothPeers += (out > 0 || in > 0);
        }
        if (model == CircuitModel::DUPLEX)
        {
            bound = std::max(bound, bothPeers * deltaNs + TransmissionTimeNs(both, linkRateBps));
        }
        else
        {
            bound = std::max({bound,
                              rowPeers * deltaNs + TransmissionTimeNs(row, linkRateBps),
                              colPeers * deltaNs + TransmissionTimeNs(col, linkRateBps)});
        }
    }
    return bound;
}

} // namespace pmoe
} // namespace ns3
