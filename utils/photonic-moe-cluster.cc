/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * @ingroup photonic-moe
 * photonic-moe-cluster: one MoE layer's dispatch and combine on a cluster shape (S servers x
 * G GPUs, NVLink inside a server, one NIC per GPU, rails on P OCS planes), evaluated with the
 * two-level fluid model (pmoe-cluster.h). Prints one JSON object: the shape, per phase the
 * byte accounting (nvlink_bytes, nic_bytes, planes, conservation) and times (staged,
 * overlapped, ideal rail fabric), per plane matchings, reconfigurations, bubble fraction and
 * bytes.
 *
 * Exit status: 0 on success; 2 on bad input, with one line "photonic-moe-cluster: error: ..."
 * on stderr and nothing on stdout; 1 on any other failure.
 *
 * Example (DeepSeek-V3 dispatch, EP64 on 8 x 8 GPUs, node-limited routing M = 4):
 * @code
 * photonic-moe-cluster --preset=dsv3 --gpus=64 --gpusPerServer=8 --planes=8 \
 *     --routing=node-limited --algorithm=bvn --delta-ns=10000
 * @endcode
 */

#include "ns3/pmoe-cluster.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-moe-config.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-units.h"

#include <boost/program_options.hpp>
#include <cstdint>
#include <exception>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3::pmoe;
namespace po = boost::program_options;
using Json = nlohmann::ordered_json; //!< JSON with keys in insertion order

namespace
{

constexpr const char* kProgram = "photonic-moe-cluster";

/** Command-line options. */
struct Options
{
    std::string preset;        //!< "" or dsv3
    std::string csvPrefix;     //!< write PREFIX-planes.csv and PREFIX-servers.csv ("" = no)
    uint32_t gpus{16};         //!< N
    uint32_t gpusPerServer{8}; //!< G
    uint32_t planes{0};        //!< P (0: G)
    uint32_t ocsNics{0};       //!< alpha (0: G)
    std::string forwarding{"rail-aligned"};
    uint32_t experts{64};
    uint32_t topK{4};
    uint64_t tokens{1024};
    uint64_t hidden{7168};
    uint32_t dispatchBytesPerElement{2};
    uint32_t dispatchExtraBytes{0};
    uint32_t combineBytesPerElement{2};
    std::string routing{"uniform"}; //!< uniform | zipf | hot-expert | node-limited
    double zipf{0.6};
    uint32_t maxServers{4};     //!< M for node-limited routing
    bool dedupPerServer{false}; //!< one network copy per token and server (DeepEP-like)
    bool dedup{false};          //!< one copy per (token, GPU)
    std::string algorithm{"greedy"};
    uint32_t maxMatchings{0};
    std::string residualPolicy{"append"};
    int64_t deltaNs{10000};
    std::string mode{"all-stop"};
    double nicRateGbps{400};
    double nvlinkRateGbps{3600};
    int64_t nvlinkLatencyNs{0};
    double epsRateGbps{0};
    uint64_t seed{1};
};

Json
PhaseJson(const ClusterDemand& cd, const ClusterFluidResult& r)
{
    Json planes = Json::array();
    Bytes planeBytes = 0;
    for (uint32_t p = 0; p < r.planes.size(); ++p)
    {
        const PlaneFluidResult& pr = r.planes[p];
        planeBytes += pr.bytes;
        planes.push_back({{"plane", p},
                          {"rails", cd.shape.RailsOfPlane(p)},
                          {"matchings", pr.matchings},
                          {"reconfigurations", pr.reconfigurations},
                          {"bubble_fraction", pr.bubbleFraction},
                          {"bytes", pr.bytes},
                          {"residual_bytes", pr.residualBytes},
                          {"makespan_ns", pr.makespanNs},
                          {"lower_bound_ns", pr.lowerBoundNs}});
    }
    const bool conserved =
        cd.intraServerBytes + planeBytes + cd.EpsBytes() + cd.deduplicatedBytes == cd.demandBytes &&
        cd.NvlinkBytes() == cd.intraServerBytes + cd.forwardedBytes &&
        planeBytes + cd.EpsBytes() == cd.NicBytes();
    return {{"demand_bytes", cd.demandBytes},
            {"local_bytes", cd.localBytes},
            {"intra_server_bytes", cd.intraServerBytes},
            {"forwarded_bytes", cd.forwardedBytes},
            {"deduplicated_bytes", cd.deduplicatedBytes},
            {"nvlink_bytes", r.nvlinkBytes},
            {"nic_bytes", r.nicBytes},
            {"eps_bytes", r.epsBytes},
            {"conserved", conserved},
            {"nvlink_stage_ns", r.nvlinkStageNs},
            {"network_stage_ns", r.networkStageNs},
            {"eps_rails_ns", r.epsRailsNs},
            {"makespan_ns", r.makespanNs},
            {"overlapped_ns", r.overlappedNs},
            {"ideal_network_ns", r.idealNetworkNs},
            {"ideal_makespan_ns", r.idealMakespanNs},
            {"planes", planes}};
}

Bps
GbpsToBps(double gbps, const char* name, bool allowZero)
{
    if (!(gbps >= 0 && gbps <= 1e7) || (!allowZero && gbps == 0))
    {
        throw InputError(std::string(name) + " must be " + (allowZero ? ">= 0" : "> 0") +
                         " and <= 1e7 Gb/s, got " + std::to_string(gbps));
    }
    return static_cast<Bps>(gbps * 1e9);
}

/**
 * Append one phase's rows to the per-plane and per-server CSV tables.
 * @param phase "dispatch" or "combine"
 * @param cd the mapped demand
 * @param r its evaluation
 * @param planes per-plane table
 * @param servers per-server table
 */
void
AppendCsv(const std::string& phase,
          const ClusterDemand& cd,
          const ClusterFluidResult& r,
          std::ostream& planes,
          std::ostream& servers)
{
    for (uint32_t p = 0; p < r.planes.size(); ++p)
    {
        const PlaneFluidResult& pr = r.planes[p];
        planes << phase << ',' << p << ',' << pr.matchings << ',' << pr.reconfigurations << ','
               << pr.bubbleFraction << ',' << pr.bytes << ',' << pr.residualBytes << ','
               << pr.makespanNs << ',' << pr.lowerBoundNs << '\n';
    }
    const ClusterShape& shape = cd.shape;
    for (uint32_t s = 0; s < shape.servers; ++s)
    {
        Bytes nicSend = 0;
        Bytes nicReceive = 0;
        Bytes nvlinkOut = 0;
        Bytes nvlinkIn = 0;
        for (uint32_t l = 0; l < shape.gpusPerServer; ++l)
        {
            const uint32_t g = shape.GpuAt(s, l);
            nicSend += cd.NicSendBytes(g);
            nicReceive += cd.NicReceiveBytes(g);
            nvlinkOut += cd.nvlink.RowSum(g);
            nvlinkIn += cd.nvlink.ColSum(g);
        }
        servers << phase << ',' << s << ',' << nicSend << ',' << nicReceive << ',' << nvlinkOut
                << ',' << nvlinkIn << '\n';
    }
}

Json
Run(const Options& o)
{
    const ForwardingRule rule = FromString<ForwardingRule>(o.forwarding);
    const ClusterShape shape = ClusterShape::FromGpus(o.gpus,
                                                      o.gpusPerServer,
                                                      o.planes ? o.planes : o.gpusPerServer,
                                                      o.ocsNics);
    shape.Validate(rule);

    MoeConfig cfg;
    cfg.numGpus = o.gpus;
    cfg.numExperts = o.experts;
    cfg.topK = o.topK;
    cfg.tokensPerGpu = o.tokens;
    cfg.hiddenSize = o.hidden;
    cfg.bytesPerElementDispatch = o.dispatchBytesPerElement;
    cfg.dispatchExtraBytesPerCopy = o.dispatchExtraBytes;
    cfg.bytesPerElementCombine = o.combineBytesPerElement;
    cfg.zipfExponent = o.zipf;
    cfg.dedup = o.dedup;
    if (o.preset == "dsv3")
    {
        // DeepSeek-V3: 256 routed experts, top-8, hidden 7168, 4096 tokens per GPU, FP8
        // dispatch with one 4-byte scale per 128 elements, BF16 combine.
        cfg.numExperts = 256;
        cfg.topK = 8;
        cfg.hiddenSize = 7168;
        cfg.tokensPerGpu = 4096;
        cfg.bytesPerElementDispatch = 1;
        cfg.dispatchExtraBytesPerCopy = 7168 / 128 * 4;
        cfg.bytesPerElementCombine = 2;
    }
    else if (!o.preset.empty())
    {
        throw InputError("unknown cluster preset '" + PrintableName(o.preset) +
                         "' (expected dsv3)");
    }
    DemandMatrix dispatch;
    DemandMatrix combine;
    ClusterRouting routing;
    if (o.dedupPerServer && (o.routing != "node-limited" || rule != ForwardingRule::NETWORK_FIRST))
    {
        throw InputError("dedupPerServer needs --routing=node-limited and "
                         "--forwarding=network-first, got routing '" +
                         PrintableName(o.routing) + "' and forwarding '" + ToString(rule) + "'");
    }
    if (o.routing == "node-limited")
    {
        cfg.Validate();
        routing = NodeLimitedRouting(cfg, shape, o.maxServers, o.seed);
        const std::vector<uint64_t>& copies = routing.copies;
        dispatch = DemandMatrix(o.gpus);
        combine = DemandMatrix(o.gpus);
        for (uint32_t i = 0; i < o.gpus; ++i)
        {
            for (uint32_t j = 0; j < o.gpus; ++j)
            {
                const uint64_t c = copies[static_cast<std::size_t>(i) * o.gpus + j];
                dispatch.Set(i, j, static_cast<Bytes>(c * cfg.DispatchBytesPerCopy()));
                combine.Set(j, i, static_cast<Bytes>(c * cfg.CombineBytesPerCopy()));
            }
        }
    }
    else
    {
        cfg.routing = FromString<RoutingKind>(o.routing);
        const LayerWorkload w = MoeWorkload(cfg, o.seed).Generate(0);
        dispatch = w.dispatch;
        combine = w.combine;
    }

    DecompositionParams dp;
    dp.algorithm = o.algorithm;
    dp.maxMatchings = o.maxMatchings;
    dp.residualPolicy = FromString<ResidualPolicy>(o.residualPolicy);
    if (o.deltaNs < 0)
    {
        throw InputError("delta-ns must be >= 0, got " + std::to_string(o.deltaNs));
    }
    dp.reconfigDelayNs = o.deltaNs;
    dp.linkRateBps = GbpsToBps(o.nicRateGbps, "nic-rate-gbps", false);
    ClusterFluidParams fp;
    fp.nicRateBps = dp.linkRateBps;
    fp.nvlinkRateBps = GbpsToBps(o.nvlinkRateGbps, "nvlink-rate-gbps", false);
    fp.nvlinkLatencyNs = o.nvlinkLatencyNs;
    fp.reconfigDelayNs = o.deltaNs;
    fp.mode = FromString<ReconfigMode>(o.mode);
    fp.epsRateBps = GbpsToBps(o.epsRateGbps, "eps-rate-gbps", true);

    Json out = {{"servers", shape.servers},
                {"gpus_per_server", shape.gpusPerServer},
                {"planes_count", shape.planes},
                {"ocs_nics", shape.ocsNics},
                {"forwarding", ToString(rule)},
                {"routing", o.routing},
                {"algorithm", o.algorithm},
                {"max_matchings", o.maxMatchings},
                {"delta_ns", o.deltaNs},
                {"nic_rate_bps", fp.nicRateBps},
                {"nvlink_rate_bps", fp.nvlinkRateBps},
                {"dedup_per_server", o.dedupPerServer},
                {"seed", o.seed}};
    std::ostringstream planesCsv;
    std::ostringstream serversCsv;
    planesCsv << "phase,plane,matchings,reconfigurations,bubble_fraction,bytes,residual_bytes,"
                 "makespan_ns,lower_bound_ns\n";
    serversCsv << "phase,server,nic_send_bytes,nic_receive_bytes,nvlink_out_bytes,"
                  "nvlink_in_bytes\n";
    Bytes nvlink = 0;
    Bytes nic = 0;
    bool conserved = true;
    Ns total = 0;
    Ns ideal = 0;
    for (const auto& [name, demand] :
         {std::make_pair("dispatch", &dispatch), std::make_pair("combine", &combine)})
    {
        const bool isCombine = demand == &combine;
        const ClusterDemand cd =
            o.dedupPerServer
                ? MapServerDeduplicated(routing,
                                        shape,
                                        static_cast<Bytes>(isCombine ? cfg.CombineBytesPerCopy()
                                                                     : cfg.DispatchBytesPerCopy()),
                                        isCombine)
                : MapClusterDemand(*demand, shape, rule);
        const ClusterFluidResult r = EvaluateCluster(cd, ScheduleClusterPlanes(cd, dp), fp);
        Json phase = PhaseJson(cd, r);
        conserved = conserved && phase["conserved"].get<bool>();
        nvlink += r.nvlinkBytes;
        nic += r.nicBytes;
        total += r.makespanNs;
        ideal += r.idealMakespanNs;
        out[name] = phase;
        AppendCsv(name, cd, r, planesCsv, serversCsv);
    }
    out["nvlink_bytes"] = nvlink;
    out["nic_bytes"] = nic;
    out["makespan_ns"] = total;
    out["ideal_makespan_ns"] = ideal;
    out["conserved"] = conserved;
    if (!o.csvPrefix.empty())
    {
        for (const auto& [suffix, text] : {std::make_pair("-planes.csv", planesCsv.str()),
                                           std::make_pair("-servers.csv", serversCsv.str())})
        {
            const std::string path = o.csvPrefix + suffix;
            std::ofstream f(path);
            f << text;
            if (!f.good())
            {
                throw InputError("cannot write '" + PrintableName(path) + "'");
            }
        }
    }
    if (!routing.copies.empty())
    {
        // Counts in DeepEP's terms (its benchmark divides these bytes by the kernel time):
        // (token, server) pairs including the token's own server, and all copies.
        uint64_t pairs = 0;
        uint64_t copies = 0;
        for (uint64_t v : routing.serverTokens)
        {
            pairs += v;
        }
        for (uint64_t v : routing.copies)
        {
            copies += v;
        }
        out["token_server_pairs"] = pairs;
        out["token_copies"] = copies;
    }
    return out;
}

} // namespace

/**
 * Parse the options, run one layer on the cluster and print the JSON.
 * @param argc argument count
 * @param argv arguments
 * @return 0 on success, 2 on bad input, 1 on an internal error
 */
int
main(int argc, char** argv)
{
    Options o;
    po::options_description desc("photonic-moe-cluster options");
    desc.add_options()("help", "print this help")(
        "preset",
        po::value(&o.preset),
        "dsv3: DeepSeek-V3 (256 experts, top-8, h 7168, 4096 tokens, FP8+scales / BF16)")(
        "gpus",
        po::value(&o.gpus),
        "N GPUs")("gpusPerServer", po::value(&o.gpusPerServer), "G GPUs (and NICs) per server")(
        "planes",
        po::value(&o.planes),
        "P OCS planes (0: G)")("ocsNics", po::value(&o.ocsNics), "alpha NICs on OCS (0: G)")(
        "forwarding",
        po::value(&o.forwarding),
        "rail-aligned | network-first | direct")("experts", po::value(&o.experts), "E")(
        "topK",
        po::value(&o.topK),
        "k")("tokens", po::value(&o.tokens), "tokens per GPU")(
        "hidden",
        po::value(&o.hidden),
        "hidden size")("dispatchBytesPerElement", po::value(&o.dispatchBytesPerElement), "1|2")(
        "dispatchExtraBytes",
        po::value(&o.dispatchExtraBytes),
        "extra bytes per dispatched copy")(
        "combineBytesPerElement",
        po::value(&o.combineBytesPerElement),
        "1|2")("routing", po::value(&o.routing), "uniform | zipf | hot-expert | node-limited")(
        "zipf",
        po::value(&o.zipf),
        "Zipf s")("maxServers", po::value(&o.maxServers), "M for node-limited routing")(
        "csv",
        po::value(&o.csvPrefix),
        "write PREFIX-planes.csv and PREFIX-servers.csv")("dedup",
                                                          po::bool_switch(&o.dedup),
                                                          "one copy per (token, GPU)")(
        "dedupPerServer",
        po::bool_switch(&o.dedupPerServer),
        "one network copy per token and server (node-limited, network-first)")(
        "algorithm",
        po::value(&o.algorithm),
        "decomposition")("max-matchings", po::value(&o.maxMatchings), "K per plane (0: unbounded)")(
        "residual-policy",
        po::value(&o.residualPolicy),
        "eps | append")("delta-ns", po::value(&o.deltaNs), "reconfiguration delay")(
        "mode",
        po::value(&o.mode),
        "all-stop | changed-only")("nic-rate-gbps", po::value(&o.nicRateGbps), "per NIC")(
        "nvlink-rate-gbps",
        po::value(&o.nvlinkRateGbps),
        "per GPU and direction")("nvlink-latency-ns",
                                 po::value(&o.nvlinkLatencyNs),
                                 "NVLink stage latency")(
        "eps-rate-gbps",
        po::value(&o.epsRateGbps),
        "electrical fallback per OCS NIC (0: none)")("seed", po::value(&o.seed), "seed");
    try
    {
        po::variables_map vm;
        po::store(po::parse_command_line(argc, argv, desc), vm);
        po::notify(vm);
        if (vm.count("help"))
        {
            std::cout << desc << "\n";
            return 0;
        }
        const Json out = Run(o);
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    catch (const po::error& e)
    {
        std::cerr << kProgram << ": error: " << e.what() << "\n";
        return 2;
    }
    catch (const InputError& e)
    {
        std::cerr << kProgram << ": error: " << e.what() << "\n";
        return 2;
    }
    catch (const std::exception& e)
    {
        std::cerr << kProgram << ": error: " << e.what() << "\n";
        return 1;
    }
}
