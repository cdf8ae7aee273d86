/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "layer-options.h"

#include "ns3/command-line.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-trace-import.h"
#include "ns3/pmoe-units.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

namespace ns3
{
namespace layer
{

namespace
{

/**
 * Split a comma-separated list.
 * @param s the list
 * @return the items (empty items dropped)
 */
std::vector<std::string>
SplitList(const std::string& s)
{
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        if (!item.empty())
        {
            out.push_back(item);
        }
    }
    return out;
}

/**
 * Reject, before CommandLine parses them, option values it would accept silently or abort on:
 * a negative number for an unsigned option (istream wraps "-1" to 2^32 - 1) and a malformed
 * time (ns-3's Time parser aborts the process).
 * @param argc argument count
 * @param argv arguments
 * @throws pmoe::InputError naming the option and its value
 */
void
CheckOptionValues(int argc, char* argv[])
{
    static const std::set<std::string> unsignedOptions = {"gpus",
                                                          "experts",
                                                          "topK",
                                                          "tokens",
                                                          "hidden",
                                                          "bytesPerElem",
                                                          "combineBytesPerElem",
                                                          "hotExperts",
                                                          "redraw",
                                                          "ffn",
                                                          "streams",
                                                          "layers",
                                                          "K",
                                                          "threshold",
                                                          "initCwnd",
                                                          "tcpBuffer",
                                                          "controlMaxRetries",
                                                          "voqCapacity",
                                                          "rdmaMtu",
                                                          "rdmaNvlinkMtu",
                                                          "rdmaAckInterval",
                                                          "gpusPerServer",
                                                          "planes",
                                                          "ocsNics",
                                                          "maxServers"};
    static const std::set<std::string> timeOptions = {"fixedCost",
                                                      "nonMoe",
                                                      "delta",
                                                      "propDelay",
                                                      "thresholdTimeout",
                                                      "controlLatency",
                                                      "commitLatency",
                                                      "schedulerTime",
                                                      "minRto",
                                                      "stopTime",
                                                      "failStart",
                                                      "failDuration",
                                                      "reconfigJitter",
                                                      "controlExtraDelay",
                                                      "controlTimeout",
                                                      "rdmaTimeout",
                                                      "nvlinkDelay"};
    for (int i = 1; i < argc; ++i)
    {
        const std::string arg = argv[i];
        const std::size_t eq = arg.find('=');
        if (arg.rfind("--", 0) != 0 || eq == std::string::npos)
        {
            continue;
        }
        const std::string name = arg.substr(2, eq - 2);
        const std::string value = arg.substr(eq + 1);
        if (unsignedOptions.count(name))
        {
            const bool digits =
                !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
            if (!digits)
            {
                throw pmoe::InputError("--" + name + " must be a non-negative integer, got '" +
                                       value + "'");
            }
        }
        else if (timeOptions.count(name))
        {
            // ns-3 Time syntax: a number, optionally followed by a unit.
            static const std::set<std::string> units =
                {"", "s", "ms", "us", "ns", "ps", "fs", "min", "h", "d", "y"};
            const char* begin = value.c_str();
            char* end = nullptr;
            errno = 0;
            const double v = std::strtod(begin, &end);
            if (value.empty() || end == begin || errno != 0 || !std::isfinite(v) ||
                !units.count(std::string(end)))
            {
                throw pmoe::InputError("--" + name + " must be a time such as 10us, got '" + value +
                                       "'");
            }
        }
    }
}

/**
 * @param option the option's name, for the message
 * @param value auto, on or off
 * @return unset for auto, else the switch
 * @throws pmoe::InputError naming the value otherwise
 */
std::optional<bool>
ParseAutoOnOff(const std::string& option, const std::string& value)
{
    if (value == "auto")
    {
        return std::nullopt;
    }
    if (value == "on" || value == "off")
    {
        return value == "on";
    }
    throw pmoe::InputError("--" + option + " must be auto, on or off, got '" + value + "'");
}

/**
 * Parse an ECN threshold option: "scaled" or a byte count.
 * @param option the option name (for the message)
 * @param value its value
 * @return nullopt for "scaled", else the bytes
 * @throws pmoe::InputError on anything else
 */
std::optional<uint64_t>
ParseScaledBytes(const std::string& option, const std::string& value)
{
    if (value == "scaled")
    {
        return std::nullopt;
    }
    const bool digits = !value.empty() && value.size() <= 19 &&
                        value.find_first_not_of("0123456789") == std::string::npos;
    if (!digits)
    {
        throw pmoe::InputError("--" + option + " must be scaled or a number of bytes, got '" +
                               value + "'");
    }
    return std::stoull(value);
}

} // namespace

LayerProgram
ParseLayerOptions(int argc, char* argv[])
{
    LayerProgram out;
    MoeLayerScenario sc;
    uint32_t gpus = sc.moe.numGpus;
    uint32_t experts = sc.moe.numExperts;
    uint32_t topK = sc.moe.topK;
    uint64_t tokens = sc.moe.tokensPerGpu;
    uint64_t hidden = sc.moe.hiddenSize;
    uint32_t bytesPerElem = sc.moe.bytesPerElementDispatch;
    uint32_t combineBytesPerElem = sc.moe.bytesPerElementCombine;
    bool dedup = false;
    std::string routing = "uniform";
    double zipf = sc.moe.zipfExponent;
    double hotFraction = sc.moe.hotFraction;
    uint32_t hotExperts = sc.moe.numHotExperts;
    uint32_t redraw = 0;
    std::string traceFile;
    std::string traceFormat = "native";
    std::string traceImport;
    std::string placement = "contiguous";
    std::string preset;
    std::string fabric = "all";
    std::string algorithms = "greedy,bvn";
    std::string algorithm;
    bool keepSchedules = false;
    std::string epsEcn = "auto";
    std::string epsPfc = "auto";
    std::string epsEcnKmin = "scaled";
    std::string epsEcnKmax = "scaled";
    std::string launchMode = pmoe::ToString(sc.launchMode);
    std::string durationPolicy = pmoe::ToString(sc.durationPolicy);
    std::string residualPolicy = pmoe::ToString(sc.residualPolicy);
    std::string circuitModel = pmoe::ToString(sc.circuitModel);
    std::string reconfigMode = pmoe::ToString(sc.reconfigMode);
    std::string schedulerTimeMode = pmoe::ToString(sc.schedulerTimeMode);
    uint32_t kMatchings = 0;
    std::string forwarding = pmoe::ToString(sc.forwarding);

    CommandLine cmd(__FILE__);
    cmd.AddValue("gpus", "number of GPUs N", gpus);
    cmd.AddValue("experts", "number of routed experts E", experts);
    cmd.AddValue("topK", "experts per token", topK);
    cmd.AddValue("tokens", "tokens per GPU per layer", tokens);
    cmd.AddValue("hidden", "hidden size h", hidden);
    cmd.AddValue("bytesPerElem", "bytes per element of dispatch (2 = BF16, 1 = FP8)", bytesPerElem);
    cmd.AddValue("combineBytesPerElem", "bytes per element of combine", combineBytesPerElem);
    cmd.AddValue("dedup", "one copy per (token, GPU)", dedup);
    cmd.AddValue("routing",
                 "uniform | zipf | hot-expert | trace | node-limited (clusters: every token's "
                 "experts on at most --maxServers servers)",
                 routing);
    cmd.AddValue("maxServers",
                 "M: servers a token's experts may span (routing=node-limited; DeepSeek-V3: 4)",
                 sc.maxServers);
    cmd.AddValue("zipf", "Zipf exponent s (routing=zipf)", zipf);
    cmd.AddValue("hotFraction", "share of choices to hot experts (hot-expert)", hotFraction);
    cmd.AddValue("hotExperts", "size of the hot set (hot-expert)", hotExperts);
    cmd.AddValue("redraw", "re-draw the hot ranking every P layers (0 = never)", redraw);
    cmd.AddValue("trace", "routing trace file (routing=trace)", traceFile);
    cmd.AddValue("traceFormat",
                 "format of --trace: native | jsonl | selection | counts (routing logs are "
                 "imported onto --gpus GPUs and --experts experts)",
                 traceFormat);
    cmd.AddValue("traceImport",
                 "import options of a routing log, key=value,...: layer, skipTokens, padExpert, "
                 "tokensPerGpu, windows, skipBlocks",
                 traceImport);
    cmd.AddValue("placement", "contiguous | round-robin | FILE (one GPU per expert)", placement);
    cmd.AddValue("preset",
                 "model preset (deepseek-v3, mixtral-8x7b, qwen3-235b-a22b, ...): sets experts, "
                 "top-k, hidden size and the expert shape",
                 preset);
    cmd.AddValue("ffn", "expert FFN size I (0 = from the preset)", sc.ffnSize);
    cmd.AddValue("fixedCost", "fixed time per launch t_fix", sc.fixedCost);
    cmd.AddValue("launchMode", "grouped | per-expert", launchMode);
    cmd.AddValue("streams", "batches a GPU runs at once", sc.streams);
    cmd.AddValue("layers", "MoE layers in sequence", sc.layers);
    cmd.AddValue("nonMoe", "compute time between layers", sc.nonMoeTime);
    cmd.AddValue("fabric", "ocs | ideal | all (each algorithm on the OCS, then ideal)", fabric);
    cmd.AddValue("algorithms", "comma-separated algorithms for the OCS runs", algorithms);
    cmd.AddValue("algorithm", "one algorithm (overrides --algorithms)", algorithm);
    cmd.AddValue("K", "most matchings per schedule (0 = unbounded)", kMatchings);
    cmd.AddValue("durationPolicy", "whole-pair | min-entry | delta-aware", durationPolicy);
    cmd.AddValue("residualPolicy", "eps | append", residualPolicy);
    cmd.AddValue("circuitModel", "unidirectional | duplex", circuitModel);
    cmd.AddValue("reconfigMode", "all-stop | changed-only", reconfigMode);
    cmd.AddValue("delta", "reconfiguration delay", sc.delta);
    cmd.AddValue("rate", "per-host rate", sc.rate);
    cmd.AddValue("epsRate", "electrical fabric rate per port (OCS runs)", sc.epsRate);
    cmd.AddValue("epsPolicy",
                 "device EPS policy on the OCS fabric: no-future-circuit | no-circuit",
                 sc.ocsEpsPolicy);
    cmd.AddValue("epsPriority",
                 "strict priority for control packets (ACKs) on the EPS, both fabrics",
                 sc.epsControlPriority);
    cmd.AddValue("gpusPerServer",
                 "GPUs per server G, joined by NVLink, one NIC per GPU (1: one GPU per host)",
                 sc.gpusPerServer);
    cmd.AddValue("planes", "OCS planes P (0: one per OCS NIC)", sc.planes);
    cmd.AddValue("ocsNics", "NICs per server on the OCS planes (0: all G)", sc.ocsNics);
    cmd.AddValue("forwarding",
                 "cluster forwarding rule: rail-aligned | network-first | direct (G = 1)",
                 forwarding);
    cmd.AddValue("nvlinkRate", "NVLink rate per GPU and direction", sc.nvlinkRate);
    cmd.AddValue("nvlinkDelay", "GPU-NVSwitch link delay", sc.nvlinkDelay);
    cmd.AddValue("propDelay", "propagation delay through the OCS", sc.propagationDelay);
    cmd.AddValue("transport", "rdma | tcp | udp", sc.transport);
    cmd.AddValue("rdmaSharedQp",
                 "RDMA: one queue pair per ordered pair for both kinds",
                 sc.rdmaSharedQp);
    cmd.AddValue("rdmaMtu", "RDMA: payload bytes per packet", sc.rdmaMtu);
    cmd.AddValue("rdmaNvlinkMtu",
                 "RDMA in a cluster: payload bytes per packet on the NVLink ports",
                 sc.rdmaNvlinkMtu);
    cmd.AddValue("rdmaAckInterval", "RDMA: data packets per ACK", sc.rdmaAckInterval);
    cmd.AddValue("rdmaTimeout",
                 "RDMA: retransmission timeout of the NICs (NCCL's default: 4.096 us x 2^18)",
                 sc.rdmaRetransmitTimeout);
    cmd.AddValue("rdmaCc",
                 "RDMA congestion control over the electrical fabric: dcqcn | none",
                 sc.rdmaCongestionControl);
    cmd.AddValue("epsEcn",
                 "ECN marking at the electrical packet switch: auto (on with rdma on the ocs "
                 "fabric) | on | off",
                 epsEcn);
    cmd.AddValue("epsPfc",
                 "PFC on the electrical packet switch: auto (on with rdma on the ocs fabric) | "
                 "on | off",
                 epsPfc);
    cmd.AddValue("epsEcnKmin",
                 "ECN Kmin at the electrical packet switch, bytes | scaled (with rdma: 1 us "
                 "of the EPS port rate, the DCQCN paper's 5 KB at 40 Gb/s scaled)",
                 epsEcnKmin);
    cmd.AddValue("epsEcnKmax",
                 "ECN Kmax at the electrical packet switch, bytes | scaled (with rdma: 40 us "
                 "of the EPS port rate, the DCQCN paper's 200 KB at 40 Gb/s scaled)",
                 epsEcnKmax);
    cmd.AddValue("overlap", "none | per-matching | threshold | streaming", sc.overlap);
    cmd.AddValue("threshold", "threshold policy: token copies per batch", sc.thresholdCopies);
    cmd.AddValue("thresholdTimeout", "threshold policy: timeout", sc.thresholdTimeout);
    cmd.AddValue("controlLatency", "control path latency", sc.controlLatency);
    cmd.AddValue("commitLatency", "switch programming latency", sc.commitLatency);
    cmd.AddValue("schedulerTime", "scheduler computation time (constant mode)", sc.schedulerTime);
    cmd.AddValue("schedulerTimeMode", "constant | measured", schedulerTimeMode);
    cmd.AddValue("computeAware", "order matchings by expert load", sc.computeAware);
    cmd.AddValue("autoComputeModel",
                 "auto: plan the dispatch with the GPU compute model and overlap policy "
                 "(false: communication makespan only)",
                 sc.autoComputeModel);
    cmd.AddValue("planningEfficiency",
                 "fraction of the rate used for durations",
                 sc.planningEfficiency);
    cmd.AddValue("tcpVariant", "TCP congestion control TypeId", sc.tcpVariant);
    cmd.AddValue("minRto", "TCP minimum RTO", sc.tcpMinRto);
    cmd.AddValue("initCwnd", "TCP initial window (segments)", sc.tcpInitialCwnd);
    cmd.AddValue("tcpBuffer", "TCP send/receive buffer bytes", sc.tcpBufferBytes);
    cmd.AddValue("tcpShared",
                 "one TCP connection per ordered pair (dispatch one way, combine back)",
                 sc.tcpSharedConnection);
    cmd.AddValue("stopTime", "safety limit of simulated time", sc.stopTime);
    cmd.AddValue("outputDir", "directory for CSV output (\"none\": no CSV)", out.outputDir);
    cmd.AddValue("json", "write a JSON array with one object per run to FILE", out.jsonFile);
    cmd.AddValue("hostTiming",
                 "add wall-clock measurements (wall_seconds, events_per_second, "
                 "scheduler_wall_ns) to the JSON; they differ from run to run",
                 out.hostTiming);
    cmd.AddValue("timeline",
                 "write circuit and compute intervals of every run to FILE (CSV)",
                 out.timelineFile);
    cmd.AddValue("keepSchedules",
                 "no effect (per-layer fluid fields are always in the JSON); kept so that "
                 "older command lines still run",
                 keepSchedules);
    cmd.AddValue("quiet", "no table, no progress", out.quiet);
    cmd.AddValue("idealBest",
                 "with the ideal fabric, also run it under every overlap policy (none, "
                 "per-matching, threshold, streaming) and report the fastest as the baseline "
                 "(ideal_best_* in the JSON)",
                 out.idealBest);
    cmd.AddValue("failPort", "fault: GPU port that fails for an interval (-1: none)", sc.failPort);
    cmd.AddValue("failStart", "fault: absolute start of the port failure", sc.failStart);
    cmd.AddValue("failDuration", "fault: length of the port failure", sc.failDuration);
    cmd.AddValue("reconfigJitter",
                 "fault: a reconfiguration lasts delta + uniform [0, this]",
                 sc.reconfigJitter);
    cmd.AddValue("controlLoss",
                 "fault: loss probability of a control transmission, [0, 1)",
                 sc.controlLossProbability);
    cmd.AddValue("controlLate",
                 "fault: probability a control transmission is late, [0, 1]",
                 sc.controlLateProbability);
    cmd.AddValue("controlExtraDelay",
                 "fault: extra delay of a late control message",
                 sc.controlExtraDelay);
    cmd.AddValue("controlTimeout", "control retransmission timeout", sc.controlTimeout);
    cmd.AddValue("controlMaxRetries", "control retries before the fallback", sc.controlMaxRetries);
    cmd.AddValue("voqCapacity", "VOQ bytes per destination on the OCS (0: 64 MiB)", sc.voqCapacity);
    cmd.AddValue("voqOverflow", "full VOQ: drop (TCP retransmits) | eps", sc.voqOverflow);
    cmd.AddValue("rssPerLayer",
                 "record the process RSS when each layer completes (rss.csv in outputDir)",
                 sc.sampleRss);
    CheckOptionValues(argc, argv);
    cmd.Parse(argc, argv);

    if (!preset.empty())
    {
        const pmoe::MoeModelPreset& p = pmoe::FindMoeModelPreset(preset);
        sc.moe = pmoe::MoeConfig::FromPreset(p, gpus, tokens);
        sc.computePreset = p.name;
    }
    else
    {
        sc.moe.numExperts = experts;
        sc.moe.topK = topK;
        sc.moe.hiddenSize = hidden;
    }
    sc.epsEcn = ParseAutoOnOff("epsEcn", epsEcn);
    sc.epsPfc = ParseAutoOnOff("epsPfc", epsPfc);
    sc.epsEcnKmin = ParseScaledBytes("epsEcnKmin", epsEcnKmin);
    sc.epsEcnKmax = ParseScaledBytes("epsEcnKmax", epsEcnKmax);
    sc.launchMode = pmoe::FromString<pmoe::LaunchMode>(launchMode);
    sc.durationPolicy = pmoe::FromString<pmoe::DurationPolicy>(durationPolicy);
    sc.residualPolicy = pmoe::FromString<pmoe::ResidualPolicy>(residualPolicy);
    sc.circuitModel = pmoe::FromString<pmoe::CircuitModel>(circuitModel);
    sc.reconfigMode = pmoe::FromString<pmoe::ReconfigMode>(reconfigMode);
    sc.schedulerTimeMode = pmoe::FromString<SchedulerTimeMode>(schedulerTimeMode);
    sc.forwarding = pmoe::FromString<pmoe::ForwardingRule>(forwarding);
    sc.moe.numGpus = gpus;
    sc.moe.tokensPerGpu = tokens;
    sc.moe.bytesPerElementDispatch = bytesPerElem;
    sc.moe.bytesPerElementCombine = combineBytesPerElem;
    sc.moe.dedup = dedup;
    sc.nodeLimited = routing == "node-limited";
    try
    {
        sc.moe.routing = sc.nodeLimited ? pmoe::RoutingKind::UNIFORM
                                        : pmoe::FromString<pmoe::RoutingKind>(routing);
    }
    catch (const pmoe::InputError&)
    {
        // The layer's own routing besides the workload model's kinds.
        std::vector<std::string> names = pmoe::EnumNameList<pmoe::RoutingKind>();
        names.emplace_back("node-limited");
        throw pmoe::UnknownNameError("routing", routing, names);
    }
    sc.moe.zipfExponent = zipf;
    sc.moe.hotFraction = hotFraction;
    sc.moe.numHotExperts = hotExperts;
    sc.moe.redrawPeriod = redraw;
    if (sc.moe.routing == pmoe::RoutingKind::TRACE)
    {
        if (traceFile.empty())
        {
            throw pmoe::InputError("routing=trace needs --trace=FILE");
        }
        pmoe::TraceImportOptions import;
        import.format = pmoe::FromString<pmoe::TraceFormat>(traceFormat);
        if (import.format == pmoe::TraceFormat::NATIVE && traceImport.empty())
        {
            sc.moe.trace =
                std::make_shared<const pmoe::RoutingTrace>(pmoe::ReadRoutingTrace(traceFile));
        }
        else
        {
            import.numGpus = gpus;
            import.numExperts = sc.moe.numExperts;
            const pmoe::TraceImportOptions own = import;
            pmoe::SetTraceImportOptions(import, traceImport);
            if (import.format != own.format || import.numGpus != own.numGpus ||
                import.numExperts != own.numExperts)
            {
                throw pmoe::InputError("--traceImport cannot change format, gpus or experts: "
                                       "use --traceFormat, --gpus and --experts");
            }
            sc.moe.trace = std::make_shared<const pmoe::RoutingTrace>(
                pmoe::ImportRoutingTraceFile(traceFile, import));
        }
    }
    else if (pmoe::FromString<pmoe::TraceFormat>(traceFormat) != pmoe::TraceFormat::NATIVE ||
             !traceImport.empty())
    {
        throw pmoe::InputError("--traceFormat and --traceImport need --routing=trace");
    }
    if (placement == "contiguous" || placement == "round-robin")
    {
        sc.moe.placement = pmoe::FromString<pmoe::PlacementKind>(placement);
    }
    else
    {
        sc.moe.placement = pmoe::PlacementKind::EXPLICIT;
        sc.moe.explicitPlacement = pmoe::ReadPlacement(placement, gpus);
    }
    sc.maxMatchings = kMatchings;
    sc.showProgress = !out.quiet;
    sc.recordTimeline = !out.timelineFile.empty();

    std::vector<std::string> algs =
        algorithm.empty() ? SplitList(algorithms) : std::vector<std::string>{algorithm};
    if (fabric != "ocs" && fabric != "ideal" && fabric != "all")
    {
        throw pmoe::InputError("unknown fabric '" + fabric + "' (expected ocs, ideal or all)");
    }
    if (fabric != "ideal")
    {
        if (algs.empty())
        {
            throw pmoe::InputError("no algorithm given for the OCS fabric");
        }
        for (const auto& a : algs)
        {
            MoeLayerScenario s = sc;
            s.fabric = "ocs";
            s.algorithm = a;
            out.scenarios.push_back(s);
        }
    }
    if (fabric != "ocs")
    {
        MoeLayerScenario s = sc;
        s.fabric = "ideal";
        out.scenarios.push_back(s);
    }
    out.sampleMemory = sc.sampleRss;
    return out;
}

} // namespace layer
} // namespace ns3
