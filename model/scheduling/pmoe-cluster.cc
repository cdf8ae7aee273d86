/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-cluster.h"

#include "pmoe-decomposition.h"
#include "pmoe-portable-random.h"

#include <algorithm>
#include <string>
#include <utility>

namespace ns3
{
namespace pmoe
{

ClusterShape
ClusterShape::FromGpus(std::size_t gpus, uint32_t gpusPerServer, uint32_t planes, uint32_t ocsNics)
{
    if (gpusPerServer == 0)
    {
        throw InputError("gpusPerServer must be >= 1, got 0");
    }
    if (gpus == 0 || gpus % gpusPerServer != 0)
    {
        throw InputError("gpusPerServer " + std::to_string(gpusPerServer) +
                         " does not divide the number of GPUs " + std::to_string(gpus));
    }
    ClusterShape s;
    s.servers = static_cast<uint32_t>(gpus / gpusPerServer);
    s.gpusPerServer = gpusPerServer;
    s.planes = planes;
    s.ocsNics = ocsNics == 0 ? gpusPerServer : ocsNics;
    s.Validate();
    return s;
}

void
ClusterShape::Validate() const
{
    if (servers == 0)
    {
        throw InputError("servers must be >= 1, got 0");
    }
    if (gpusPerServer == 0)
    {
        throw InputError("gpusPerServer must be >= 1, got 0");
    }
    if (planes == 0)
    {
        throw InputError("planes must be >= 1, got 0");
    }
    if (planes > gpusPerServer)
    {
        throw InputError("planes " + std::to_string(planes) + " exceed gpusPerServer " +
                         std::to_string(gpusPerServer) + " (one NIC per GPU)");
    }
    if (ocsNics > gpusPerServer)
    {
        throw InputError("ocsNics " + std::to_string(ocsNics) + " exceed gpusPerServer " +
                         std::to_string(gpusPerServer) + " (one NIC per GPU)");
    }
    if (ocsNics < planes)
    {
        throw InputError("ocsNics " + std::to_string(ocsNics) + " is fewer than planes " +
                         std::to_string(planes) + " (a plane would have no NIC)");
    }
}

void
ClusterShape::Validate(ForwardingRule rule) const
{
    Validate();
    if (!IsNamedValue(rule))
    {
        throw InputError("unknown forwarding rule value " + std::to_string(static_cast<int>(rule)));
    }
    if (rule == ForwardingRule::DIRECT && gpusPerServer != 1)
    {
        throw InputError("forwarding rule 'direct' needs gpusPerServer 1, got " +
                         std::to_string(gpusPerServer) + " (use rail-aligned or network-first)");
    }
}

std::vector<uint32_t>
ClusterShape::RailsOfPlane(uint32_t plane) const
{
    std::vector<uint32_t> rails;
    for (uint32_t l = plane; l < ocsNics; l += planes)
    {
        rails.push_back(l);
    }
    return rails;
}

DemandMatrix
ClusterDemand::PlaneDemand(uint32_t plane) const
{
    DemandMatrix m(shape.servers);
    for (uint32_t l : shape.RailsOfPlane(plane))
    {
        for (uint32_t s = 0; s < shape.servers; ++s)
        {
            for (uint32_t t = 0; t < shape.servers; ++t)
            {
                if (s != t)
                {
                    m.Add(s, t, rails[l].At(s, t));
                }
            }
        }
    }
    return m;
}

DemandMatrix
ClusterDemand::PlaneScheduleDemand(uint32_t plane) const
{
    DemandMatrix m(shape.servers);
    for (uint32_t l : shape.RailsOfPlane(plane))
    {
        for (uint32_t s = 0; s < shape.servers; ++s)
        {
            for (uint32_t t = 0; t < shape.servers; ++t)
            {
                if (s != t && rails[l].At(s, t) > m.At(s, t))
                {
                    m.Set(s, t, rails[l].At(s, t));
                }
            }
        }
    }
    return m;
}

Bytes
ClusterDemand::PlaneBytes(uint32_t plane) const
{
    Bytes b = 0;
    for (uint32_t l : shape.RailsOfPlane(plane))
    {
        b += rails[l].Total();
    }
    return b;
}

Bytes
ClusterDemand::EpsBytes() const
{
    Bytes b = 0;
    for (uint32_t l = shape.ocsNics; l < shape.gpusPerServer; ++l)
    {
        b += rails[l].Total();
    }
    return b;
}

Bytes
ClusterDemand::NicBytes() const
{
    Bytes b = 0;
    for (const DemandMatrix& r : rails)
    {
        b += r.Total();
    }
    return b;
}

Bytes
ClusterDemand::NicSendBytes(uint32_t gpu) const
{
    return rails.at(shape.LocalOf(gpu)).RowSum(shape.ServerOf(gpu));
}

Bytes
ClusterDemand::NicReceiveBytes(uint32_t gpu) const
{
    return rails.at(shape.LocalOf(gpu)).ColSum(shape.ServerOf(gpu));
}

ClusterDemand
MapClusterDemand(const DemandMatrix& gpuDemand, const ClusterShape& shape, ForwardingRule rule)
{
    shape.Validate(rule);
    const uint32_t n = shape.Gpus();
    if (gpuDemand.Size() != n)
    {
        throw InputError("demand matrix has " + std::to_string(gpuDemand.Size()) +
                         " GPUs but the cluster has " + std::to_string(shape.servers) + " x " +
                         std::to_string(shape.gpusPerServer) + " = " + std::to_string(n));
    }
    ClusterDemand out;
    out.shape = shape;
    out.rule = rule;
    out.rails.assign(shape.gpusPerServer, DemandMatrix(shape.servers));
    out.nvlink = DemandMatrix(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        out.localBytes += gpuDemand.LocalBytes(i);
        const uint32_t s = shape.ServerOf(i);
        const uint32_t a = shape.LocalOf(i);
        for (uint32_t j = 0; j < n; ++j)
        {
            const Bytes b = gpuDemand.At(i, j);
            if (b == 0)
            {
                continue;
            }
            out.demandBytes += b;
            const uint32_t t = shape.ServerOf(j);
            const uint32_t c = shape.LocalOf(j);
            if (s == t)
            {
                out.nvlink.Add(i, j, b);
                out.intraServerBytes += b;
                continue;
            }
            // Rail-aligned: hop to the GPU on the destination's rail, then that rail.
            // Network-first (and direct, G = 1): the source's rail, then NVLink at the end.
            const uint32_t rail = rule == ForwardingRule::RAIL_ALIGNED ? c : a;
            out.rails[rail].Add(s, t, b);
            if (a != c)
            {
                out.forwardedBytes += b;
                if (rule == ForwardingRule::RAIL_ALIGNED)
                {
                    out.nvlink.Add(i, shape.GpuAt(s, c), b);
                }
                else
                {
                    out.nvlink.Add(shape.GpuAt(t, a), j, b);
                }
            }
        }
    }
    return out;
}

ClusterHop
NextHop(const ClusterShape& shape, ForwardingRule rule, uint32_t at, uint32_t to)
{
    const uint32_t n = shape.Gpus();
    if (at >= n || to >= n || at == to)
    {
        throw InputError("next hop from GPU " + std::to_string(at) + " to GPU " +
                         std::to_string(to) + ": needs two different GPUs below " +
                         std::to_string(n));
    }
    const uint32_t s = shape.ServerOf(at);
    const uint32_t t = shape.ServerOf(to);
    if (s == t)
    {
        return {to, true};
    }
    const uint32_t a = shape.LocalOf(at);
    const uint32_t b = shape.LocalOf(to);
    if (rule == ForwardingRule::RAIL_ALIGNED && a != b)
    {
        return {shape.GpuAt(s, b), true};
    }
    return {shape.GpuAt(t, a), false};
}

std::vector<Schedule>
ScheduleClusterPlanes(const ClusterDemand& demand, const DecompositionParams& params)
{
    std::vector<Schedule> out;
    for (uint32_t p = 0; p < demand.shape.planes; ++p)
    {
        DemandMatrix m = demand.PlaneScheduleDemand(p);
        if (demand.shape.servers < 2 || m.IsZero())
        {
            Schedule empty(demand.shape.servers, params.model);
            empty.algorithm = params.algorithm;
            empty.residual = DemandMatrix(demand.shape.servers);
            out.push_back(std::move(empty));
            continue;
        }
        out.push_back(Decompose(m, params));
    }
    return out;
}

void
OrderPlanesComputeAware(std::vector<Schedule>& planes,
                        const ClusterShape& shape,
                        ForwardingRule rule,
                        const DemandMatrix& gpuDemand)
{
    shape.Validate(rule);
    const uint32_t n = shape.Gpus();
    const uint32_t servers = shape.servers;
    if (gpuDemand.Size() != n || planes.size() != shape.planes)
    {
        throw InputError("OrderPlanesComputeAware: a demand of " +
                         std::to_string(gpuDemand.Size()) + " GPUs and " +
                         std::to_string(planes.size()) + " schedules for " + std::to_string(n) +
                         " GPUs and " + std::to_string(shape.planes) + " planes");
    }
    for (const Schedule& s : planes)
    {
        if (s.Ports() != servers)
        {
            throw InputError("OrderPlanesComputeAware: a plane schedule of " +
                             std::to_string(s.Ports()) + " ports for " + std::to_string(servers) +
                             " servers");
        }
    }
    std::vector<double> load(n);
    for (uint32_t j = 0; j < n; ++j)
    {
        load[j] = static_cast<double>(gpuDemand.ColSum(j));
    }
    // weight[p][s x S + t]: the load-weighted bytes plane p's circuit s -> t carries.
    std::vector<std::vector<double>> weight(shape.planes,
                                            std::vector<double>(std::size_t{servers} * servers));
    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint32_t j = 0; j < n; ++j)
        {
            const Bytes bytes = gpuDemand.At(i, j);
            if (bytes == 0 || shape.ServerOf(i) == shape.ServerOf(j))
            {
                continue;
            }
            uint32_t at = i; // the GPU whose NIC sends the byte
            ClusterHop hop = NextHop(shape, rule, at, j);
            if (hop.nvlink)
            {
                at = hop.gpu;
            }
            const uint32_t rail = shape.LocalOf(at);
            if (!shape.RailOnOcs(rail))
            {
                continue;
            }
            weight[shape.PlaneOfRail(rail)]
                  [std::size_t{shape.ServerOf(i)} * servers + shape.ServerOf(j)] +=
                static_cast<double>(bytes) * load[j];
        }
    }
    for (uint32_t p = 0; p < planes.size(); ++p)
    {
        const std::vector<double>& w = weight[p];
        const auto rank = [&w, servers](const Configuration& c) {
            double k = 0;
            for (const Circuit& circuit : c.circuits)
            {
                k += w[std::size_t{circuit.src} * servers + circuit.dst];
            }
            return k;
        };
        auto& configs = planes[p].MutableConfigurations();
        std::stable_sort(
            configs.begin(),
            configs.end(),
            [&rank](const Configuration& a, const Configuration& b) { return rank(a) > rank(b); });
    }
}

Schedule
ExpandPlaneSchedule(const Schedule& plane, uint32_t rails)
{
    if (rails == 0)
    {
        throw InputError("a plane needs at least one rail, got 0");
    }
    if (rails == 1)
    {
        return plane;
    }
    const auto servers = static_cast<uint32_t>(plane.Ports());
    Schedule out(static_cast<std::size_t>(servers) * rails, plane.Model());
    out.algorithm = plane.algorithm;
    for (const Configuration& c : plane.Configurations())
    {
        Configuration e;
        e.durationNs = c.durationNs;
        e.plannedBytes = c.plannedBytes;
        for (uint32_t r = 0; r < rails; ++r)
        {
            for (const Circuit& k : c.circuits)
            {
                e.circuits.push_back({r * servers + k.src, r * servers + k.dst});
            }
        }
        out.Append(std::move(e));
    }
    return out;
}

namespace
{

/**
 * @param m a demand
 * @param i a port
 * @return the larger of row i's and column i's sum
 */
Bytes
LineLoad(const DemandMatrix& m, std::size_t i)
{
    return std::max(m.RowSum(i), m.ColSum(i));
}

} // namespace

ClusterFluidResult
EvaluateCluster(const ClusterDemand& demand,
                const std::vector<Schedule>& schedules,
                const ClusterFluidParams& params)
{
    const ClusterShape& shape = demand.shape;
    shape.Validate(demand.rule);
    if (schedules.size() != shape.planes)
    {
        throw InputError("got " + std::to_string(schedules.size()) + " plane schedules for " +
                         std::to_string(shape.planes) + " planes");
    }
    if (params.nicRateBps <= 0)
    {
        throw InputError("nicRateBps must be positive, got " + std::to_string(params.nicRateBps));
    }
    if (params.nvlinkRateBps <= 0)
    {
        throw InputError("nvlinkRateBps must be positive, got " +
                         std::to_string(params.nvlinkRateBps));
    }
    if (params.nvlinkLatencyNs < 0)
    {
        throw InputError("nvlinkLatencyNs must be >= 0, got " +
                         std::to_string(params.nvlinkLatencyNs));
    }
    if (demand.rails.size() != shape.gpusPerServer ||
        demand.nvlink.Size() != static_cast<std::size_t>(shape.Gpus()))
    {
        throw InputError("cluster demand does not match its shape");
    }

    ClusterFluidResult res;
    res.nvlinkBytes = demand.NvlinkBytes();
    res.nicBytes = demand.NicBytes();
    res.epsBytes = demand.EpsBytes();

    // NVLink stage.
    Bytes busiest = 0;
    for (uint32_t g = 0; g < shape.Gpus(); ++g)
    {
        busiest = std::max(busiest, LineLoad(demand.nvlink, g));
    }
    if (busiest > 0)
    {
        res.nvlinkStageNs =
            TransmissionTimeNs(busiest, params.nvlinkRateBps) + params.nvlinkLatencyNs;
    }

    // Electrical rails and the ideal rail fabric.
    for (uint32_t l = 0; l < shape.gpusPerServer; ++l)
    {
        const Ns t = TransmissionTimeNs(demand.rails[l].MaxLineSum(), params.nicRateBps);
        res.idealNetworkNs = std::max(res.idealNetworkNs, t);
        if (!shape.RailOnOcs(l))
        {
            res.epsRailsNs = std::max(res.epsRailsNs, t);
        }
    }
    res.networkStageNs = res.epsRailsNs;
    res.networkLastByteNs = res.epsRailsNs;

    // Planes.
    FluidParams fp;
    fp.reconfigDelayNs = params.reconfigDelayNs;
    fp.linkRateBps = params.nicRateBps;
    fp.mode = params.mode;
    fp.epsRateBps = params.epsRateBps;
    for (uint32_t p = 0; p < shape.planes; ++p)
    {
        const Schedule& sched = schedules[p];
        if (sched.Ports() != shape.servers)
        {
            throw InputError("plane " + std::to_string(p) + " schedule has " +
                             std::to_string(sched.Ports()) + " ports but the cluster has " +
                             std::to_string(shape.servers) + " servers");
        }
        PlaneFluidResult pr;
        pr.matchings = sched.NumConfigurations();
        // Every rail of a plane runs the same schedule, hence has the same circuit lit time:
        // the plane's bubble fraction is the mean of its rails'.
        double fractionSum = 0;
        std::size_t evaluated = 0;
        for (uint32_t l : shape.RailsOfPlane(p))
        {
            const DemandMatrix& rail = demand.rails[l];
            pr.bytes += rail.Total();
            pr.lowerBoundNs =
                std::max(pr.lowerBoundNs, TransmissionTimeNs(rail.MaxLineSum(), params.nicRateBps));
            if (shape.servers < 2)
            {
                continue;
            }
            const FluidResult fr = EvaluateSchedule(rail, sched, fp);
            if (fr.epsUnavailable)
            {
                throw InputError("plane " + std::to_string(p) + " rail " + std::to_string(l) +
                                 " leaves " + std::to_string(fr.residualBytes) +
                                 " bytes with no electrical fallback (epsRateBps 0)");
            }
            pr.makespanNs = std::max(pr.makespanNs, fr.makespanNs);
            pr.lastByteNs = std::max(pr.lastByteNs, fr.lastByteNs);
            pr.reconfigurations = std::max(pr.reconfigurations, fr.reconfigurations);
            pr.residualBytes += fr.residualBytes;
            fractionSum += fr.bubbleFraction;
            ++evaluated;
        }
        pr.bubbleFraction = evaluated > 0 ? fractionSum / static_cast<double>(evaluated) : 0.0;
        res.networkStageNs = std::max(res.networkStageNs, pr.makespanNs);
        res.networkLastByteNs = std::max(res.networkLastByteNs, pr.lastByteNs);
        res.planes.push_back(pr);
    }
    res.makespanNs = res.nvlinkStageNs + res.networkStageNs;
    res.overlappedNs = std::max(res.nvlinkStageNs, res.networkStageNs);
    res.overlappedLastByteNs = std::max(res.nvlinkStageNs, res.networkLastByteNs);
    res.idealMakespanNs = res.nvlinkStageNs + res.idealNetworkNs;
    return res;
}

std::vector<uint64_t>
NodeLimitedCopies(const MoeConfig& config,
                  const ClusterShape& shape,
                  uint32_t maxServers,
                  uint64_t seed)
{
    return NodeLimitedRouting(config, shape, maxServers, seed).copies;
}

namespace
{

/**
 * @param config a valid MoE configuration on the shape's GPUs
 * @param shape the cluster
 * @return per server, the experts its GPUs hold (ascending)
 */
std::vector<std::vector<uint32_t>>
ExpertsByServer(const MoeConfig& config, const ClusterShape& shape)
{
    const std::vector<uint32_t> expertGpu = config.ExpertToGpu();
    std::vector<std::vector<uint32_t>> serverExperts(shape.servers);
    for (uint32_t e = 0; e < expertGpu.size(); ++e)
    {
        serverExperts[shape.ServerOf(expertGpu[e])].push_back(e);
    }
    return serverExperts;
}

} // namespace

void
CheckNodeLimited(const MoeConfig& config, const ClusterShape& shape, uint32_t maxServers)
{
    config.Validate();
    shape.Validate();
    if (config.numGpus != shape.Gpus())
    {
        throw InputError("MoE config has " + std::to_string(config.numGpus) +
                         " GPUs but the cluster has " + std::to_string(shape.Gpus()));
    }
    if (maxServers == 0)
    {
        throw InputError("node-limited routing needs maxServers >= 1, got 0");
    }
    const uint32_t servers = shape.servers;
    const uint32_t m = std::min(maxServers, servers);
    const std::vector<std::vector<uint32_t>> serverExperts = ExpertsByServer(config, shape);
    // The M servers with the fewest experts must still hold topK of them.
    std::vector<std::size_t> counts;
    for (const auto& v : serverExperts)
    {
        counts.push_back(v.size());
    }
    std::sort(counts.begin(), counts.end());
    std::size_t fewest = 0;
    for (uint32_t k = 0; k < m; ++k)
    {
        fewest += counts[k];
    }
    if (fewest < config.topK)
    {
        throw InputError("node-limited routing: " + std::to_string(m) + " servers may hold only " +
                         std::to_string(fewest) + " experts, fewer than topK " +
                         std::to_string(config.topK));
    }
}

ClusterRouting
NodeLimitedRouting(const MoeConfig& config,
                   const ClusterShape& shape,
                   uint32_t maxServers,
                   uint64_t seed)
{
    CheckNodeLimited(config, shape, maxServers);
    const uint32_t n = shape.Gpus();
    const uint32_t servers = shape.servers;
    const uint32_t m = std::min(maxServers, servers);
    const std::vector<uint32_t> expertGpu = config.ExpertToGpu();
    const std::vector<std::vector<uint32_t>> serverExperts = ExpertsByServer(config, shape);
    ClusterRouting out;
    out.tokens = TokenMatrix(n, config.numExperts);
    out.copies.assign(static_cast<std::size_t>(n) * n, 0);
    out.serverTokens.assign(static_cast<std::size_t>(n) * servers, 0);
    std::vector<bool> hit(servers);
    std::vector<uint32_t> chosenGpus;
    PortableRng rng(seed);
    std::vector<uint32_t> serverPool(servers);
    std::vector<uint32_t> expertPool;
    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint64_t t = 0; t < config.tokensPerGpu; ++t)
        {
            // Partial Fisher-Yates: the first m entries are the chosen servers.
            for (uint32_t s = 0; s < servers; ++s)
            {
                serverPool[s] = s;
            }
            expertPool.clear();
            for (uint32_t k = 0; k < m; ++k)
            {
                const uint32_t pick = k + static_cast<uint32_t>(rng.UniformInt(servers - k));
                std::swap(serverPool[k], serverPool[pick]);
                const auto& ex = serverExperts[serverPool[k]];
                expertPool.insert(expertPool.end(), ex.begin(), ex.end());
            }
            const auto pool = static_cast<uint32_t>(expertPool.size());
            std::fill(hit.begin(), hit.end(), false);
            chosenGpus.clear();
            for (uint32_t k = 0; k < config.topK; ++k)
            {
                const uint32_t pick = k + static_cast<uint32_t>(rng.UniformInt(pool - k));
                std::swap(expertPool[k], expertPool[pick]);
                const uint32_t gpu = expertGpu[expertPool[k]];
                out.tokens.Add(i, expertPool[k], 1);
                // With dedup, one copy per (token, GPU) however many of its experts it chose.
                if (!config.dedup ||
                    std::find(chosenGpus.begin(), chosenGpus.end(), gpu) == chosenGpus.end())
                {
                    ++out.copies[static_cast<std::size_t>(i) * n + gpu];
                    chosenGpus.push_back(gpu);
                }
                hit[shape.ServerOf(gpu)] = true;
            }
            for (uint32_t s = 0; s < servers; ++s)
            {
                out.serverTokens[static_cast<std::size_t>(i) * servers + s] += hit[s] ? 1 : 0;
            }
        }
    }
    return out;
}

ClusterDemand
MapServerDeduplicated(const ClusterRouting& routing,
                      const ClusterShape& shape,
                      Bytes bytesPerCopy,
                      bool combine)
{
    shape.Validate(ForwardingRule::NETWORK_FIRST);
    const uint32_t n = shape.Gpus();
    const uint32_t servers = shape.servers;
    if (routing.copies.size() != static_cast<std::size_t>(n) * n ||
        routing.serverTokens.size() != static_cast<std::size_t>(n) * servers)
    {
        throw InputError("routing does not match a cluster of " + std::to_string(n) + " GPUs on " +
                         std::to_string(servers) + " servers");
    }
    if (bytesPerCopy < 0)
    {
        throw InputError("bytesPerCopy must be >= 0, got " + std::to_string(bytesPerCopy));
    }
    ClusterDemand out;
    out.shape = shape;
    out.rule = ForwardingRule::NETWORK_FIRST;
    out.rails.assign(shape.gpusPerServer, DemandMatrix(servers));
    out.nvlink = DemandMatrix(n);
    // An NVLink hop from GPU x to GPU y of the dispatch is y -> x in the combine.
    auto nvlink = [&](uint32_t x, uint32_t y, Bytes b) {
        if (combine)
        {
            out.nvlink.Add(y, x, b);
        }
        else
        {
            out.nvlink.Add(x, y, b);
        }
    };
    for (uint32_t i = 0; i < n; ++i)
    {
        const uint32_t s = shape.ServerOf(i);
        const uint32_t a = shape.LocalOf(i);
        for (uint32_t j = 0; j < n; ++j)
        {
            const Bytes b =
                static_cast<Bytes>(routing.copies[static_cast<std::size_t>(i) * n + j]) *
                bytesPerCopy;
            if (i == j)
            {
                out.localBytes += b;
                continue;
            }
            out.demandBytes += b;
            const uint32_t t = shape.ServerOf(j);
            if (t == s)
            {
                nvlink(i, j, b);
                out.intraServerBytes += b;
            }
            else if (shape.LocalOf(j) != a)
            {
                nvlink(shape.GpuAt(t, a), j, b);
                out.forwardedBytes += b;
            }
        }
        for (uint32_t t = 0; t < servers; ++t)
        {
            if (t == s)
            {
                continue;
            }
            const Bytes b = static_cast<Bytes>(
                                routing.serverTokens[static_cast<std::size_t>(i) * servers + t]) *
                            bytesPerCopy;
            if (combine)
            {
                out.rails[a].Add(t, s, b);
            }
            else
            {
                out.rails[a].Add(s, t, b);
            }
        }
    }
    out.deduplicatedBytes = out.demandBytes - out.intraServerBytes - out.NicBytes();
    if (out.deduplicatedBytes < 0)
    {
        throw InputError("routing has more per-server tokens than copies");
    }
    return out;
}

LayerWorkload
NodeLimitedLayer(const MoeWorkload& workload,
                 const ClusterShape& shape,
                 uint32_t maxServers,
                 uint32_t layer)
{
    // A purpose of its own: pmoe-moe-workload.cc derives 1 (routing) and 2 (ranking).
    constexpr uint64_t kStreamNodeLimited = 3;
    const MoeConfig& config = workload.GetConfig();
    ClusterRouting routing =
        NodeLimitedRouting(config,
                           shape,
                           maxServers,
                           DeriveSeed(workload.GetSeed(), kStreamNodeLimited, layer));
    const uint32_t n = config.numGpus;
    TokenMatrix copies(n, n);
    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint32_t j = 0; j < n; ++j)
        {
            copies.Add(i, j, routing.copies[static_cast<std::size_t>(i) * n + j]);
        }
    }
    return workload.LayerFromRouting(layer, std::move(routing.tokens), std::move(copies));
}

} // namespace pmoe
} // namespace ns3
