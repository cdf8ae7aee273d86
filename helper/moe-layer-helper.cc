/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-layer-helper.h"

#include "ns3/boolean.h"
#include "ns3/circuit-scheduler-application.h"
#include "ns3/double.h"
#include "ns3/electrical-switch-channel.h"
#include "ns3/gpu-compute-model.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-interface-container.h"
#include "ns3/log.h"
#include "ns3/moe-gpu-application.h"
#include "ns3/node-container.h"
#include "ns3/ocs-helper.h"
#include "ns3/ocs-net-device.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/pmoe-compute-model.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-schedule-timeline.h"
#include "ns3/pmoe-units.h"
#include "ns3/random-variable-stream.h"
#include "ns3/show-progress.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-l4-protocol.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MoeLayerHelper");

namespace
{

/// Queue capacity of the ideal fabric (bytes): large enough that it never drops.
constexpr uint64_t kIdealQueueBytes = 1ULL << 30;

/// VOQ and EPS queue capacity on the OCS fabric (bytes).
constexpr uint64_t kOcsQueueBytes = 64ULL << 20;

/// Most matrix cells (all layers) a scenario may generate: about 8 GiB at 8 bytes a cell.
constexpr uint64_t kMaxScenarioCells = 1ULL << 30;

/// Most conservation errors recorded per run.
constexpr std::size_t kMaxErrors = 10;

/** Counts hosts that completed the last layer and stops the simulation when all have. */
struct DoneCounter
{
    uint32_t lastLayer{0}; //!< the last layer
    uint32_t hosts{0};     //!< number of hosts
    uint32_t done{0};      //!< hosts done with the last layer

    /** @param layer a layer completed at one host */
    void OnLayerDone(uint32_t layer)
    {
        if (layer == lastLayer && ++done == hosts)
        {
            Simulator::Stop(MicroSeconds(1));
        }
    }
};

/** Samples the process RSS when every host has completed a layer. */
struct RssSampler
{
    uint32_t hosts{0};             //!< number of hosts
    std::vector<uint32_t> done;    //!< hosts done per layer
    std::vector<uint64_t>* rss{};  //!< output: RSS bytes per layer
    std::vector<uint64_t>* heap{}; //!< output: heap bytes in use per layer

    /** @param layer a layer completed at one host */
    void OnLayerDone(uint32_t layer)
    {
        if (layer < done.size() && ++done[layer] == hosts)
        {
            (*rss)[layer] = ResidentBytes();
            (*heap)[layer] = HeapBytes();
        }
    }

    /** @return heap bytes in use (0 if unknown) */
    static uint64_t HeapBytes()
    {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
        const struct mallinfo2 mi = mallinfo2();
        return static_cast<uint64_t>(mi.uordblks) + static_cast<uint64_t>(mi.hblkhd);
#else
        return 0;
#endif
    }

    /** @return resident set size of this process in bytes (0 if unknown) */
    static uint64_t ResidentBytes()
    {
        std::ifstream statm("/proc/self/statm");
        uint64_t pages = 0;
        uint64_t resident = 0;
        if (!(statm >> pages >> resident))
        {
            return 0;
        }
        const long pageSize = sysconf(_SC_PAGESIZE);
        return resident * static_cast<uint64_t>(pageSize > 0 ? pageSize : 4096);
    }
};

/**
 * @param ns time in ns
 * @return @p t in microseconds, formatted for CSV
 */
std::string
Us(int64_t ns)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(3) << static_cast<double>(ns) / 1000.0;
    return os.str();
}

/**
 * @param x a fraction
 * @return formatted for CSV
 */
std::string
Frac(double x)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(6) << x;
    return os.str();
}

/**
 * @param f fault counters
 * @return them as a JSON object
 */
nlohmann::json
FaultJson(const MoeFaultCounters& f)
{
    return {{"port_failures", f.portFailures},
            {"failure_darkenings", f.failureDarkenings},
            {"failover_to_eps_packets", f.failoverToEpsPackets},
            {"late_reconfigurations", f.lateReconfigurations},
            {"reconfig_extra_dark_ns", f.reconfigExtraDarkNs},
            {"control_messages", f.controlMessages},
            {"control_lost", f.controlLost},
            {"control_late", f.controlLate},
            {"control_retries", f.controlRetries},
            {"control_fallbacks", f.controlFallbacks},
            {"control_duplicates", f.controlDuplicates},
            {"commit_fallbacks", f.commitFallbacks},
            {"voq_overflow_drops", f.voqOverflowDrops},
            {"voq_overflow_to_eps", f.voqOverflowToEps},
            {"frames_torn_down", f.framesTornDown}};
}

/** Records the batches of one GPU into a run's timeline (BatchEnd trace sink). */
struct BatchRecorder
{
    uint32_t gpu{0};                                //!< the GPU
    std::vector<MoeTimelineInterval>* out{nullptr}; //!< the timeline (not owned)
    const MoeGpuApplication* app{nullptr};          //!< the GPU's application (not owned)

    /**
     * @param tokens token copies of the batch
     * @param duration its busy time
     */
    void OnBatchEnd(uint64_t tokens, Time duration)
    {
        MoeTimelineInterval iv;
        iv.kind = "compute";
        const auto& stats = app->GetLayerStats();
        for (uint32_t l = 0; l < stats.size(); ++l)
        {
            if (stats[l].layerStart != Time::Max())
            {
                iv.layer = l;
            }
        }
        iv.node = gpu;
        iv.value = tokens;
        iv.endNs = Simulator::Now().GetNanoSeconds();
        iv.startNs = iv.endNs - duration.GetNanoSeconds();
        out->push_back(iv);
    }
};

/**
 * Append the lit circuits of a schedule that ran to a timeline (the switch's timeline: a
 * circuit kept through a reconfiguration is lit from the step start).
 * @param out the timeline
 * @param kind interval kind
 * @param layer the layer
 * @param s the schedule
 * @param start when it started on the switch
 * @param delta reconfiguration delay
 * @param mode reconfiguration mode
 */
void
AppendCircuits(std::vector<MoeTimelineInterval>& out,
               const std::string& kind,
               uint32_t layer,
               const pmoe::Schedule& s,
               Time start,
               Time delta,
               pmoe::ReconfigMode mode)
{
    if (start == Time::Max())
    {
        return;
    }
    const pmoe::ScheduleTimeline timeline(s, delta.GetNanoSeconds(), mode, start.GetNanoSeconds());
    for (std::size_t k = 0; k < s.NumConfigurations(); ++k)
    {
        const int64_t end = timeline.Step(k).endNs;
        for (const auto& circuit : s.Configurations()[k].circuits)
        {
            const int64_t lit = timeline.CircuitLitFromNs(k, circuit.src);
            out.push_back({kind, layer, circuit.src, circuit.dst, lit, end});
            if (s.Model() == pmoe::CircuitModel::DUPLEX)
            {
                out.push_back({kind, layer, circuit.dst, circuit.src, lit, end});
            }
        }
    }
}

/** Fluid communication times of one schedule at the full circuit rate (validation). */
struct FluidComm
{
    int64_t makespanNs{0}; //!< max(circuit makespan, EPS time of the residual)
    int64_t lastByteNs{0}; //!< last planned byte delivered (lit start + bytes / r), or EPS time
};

/**
 * Evaluate a schedule that ran with the fluid evaluator at the scenario's full circuit rate.
 * @param demand the demand it served
 * @param s the schedule
 * @param sc the scenario (delta, rate, reconfiguration mode, EPS rate)
 * @return makespan and time of the last byte (planned bytes at the planning rate, sent at the
 *         full rate), both from the schedule start
 */
FluidComm
EvaluateFluidComm(const pmoe::DemandMatrix& demand,
                  const pmoe::Schedule& s,
                  const MoeLayerScenario& sc)
{
    FluidComm out;
    if (demand.IsZero() || s.Ports() != demand.Size())
    {
        // Nothing to send, or the schedule was never computed (run stopped early).
        return out;
    }
    pmoe::FluidParams fp;
    fp.reconfigDelayNs = sc.delta.GetNanoSeconds();
    fp.linkRateBps = static_cast<pmoe::Bps>(sc.rate.GetBitRate());
    fp.mode = pmoe::ReconfigModeFromString(sc.reconfigMode);
    fp.epsRateBps = static_cast<pmoe::Bps>(sc.epsRate.GetBitRate());
    const pmoe::FluidResult f = pmoe::EvaluateSchedule(demand, s, fp);
    const pmoe::ScheduleTimeline timeline(s, fp.reconfigDelayNs, fp.mode);
    out.makespanNs = f.makespanNs;
    out.lastByteNs = f.epsTimeNs;
    // The bytes the hosts release in each configuration: the plan at the planning rate.
    const auto planningRate =
        static_cast<pmoe::Bps>(static_cast<double>(sc.rate.GetBitRate()) * sc.planningEfficiency);
    const std::vector<pmoe::DemandMatrix> planned =
        pmoe::PlannedService(demand, s, std::max<pmoe::Bps>(planningRate, 1));
    for (std::size_t k = 0; k < planned.size() && k < f.configs.size(); ++k)
    {
        for (std::size_t i = 0; i < demand.Size(); ++i)
        {
            for (std::size_t j = 0; j < demand.Size(); ++j)
            {
                const pmoe::Bytes b = planned[k].At(i, j);
                if (b > 0)
                {
                    out.lastByteNs = std::max(out.lastByteNs,
                                              timeline.CircuitLitFromNs(k, i) +
                                                  pmoe::TransmissionTimeNs(b, fp.linkRateBps));
                }
            }
        }
    }
    return out;
}

} // namespace

void
MoeLayerScenario::Validate() const
{
    moe.Validate();
    if (layers == 0 || layers > 100000)
    {
        throw pmoe::InputError("layers must be in [1, 100000], got " + std::to_string(layers));
    }
    if ((nonMoeTime < Time(0)))
    {
        throw pmoe::InputError("non-MoE time must be >= 0, got " +
                               std::to_string(nonMoeTime.GetNanoSeconds()) + " ns");
    }
    if (!computePreset.empty())
    {
        pmoe::FindMoeModelPreset(computePreset);
    }
    if ((fixedCost < Time(0)))
    {
        throw pmoe::InputError("fixed cost must be >= 0, got " +
                               std::to_string(fixedCost.GetNanoSeconds()) + " ns");
    }
    pmoe::ParseLaunchMode(launchMode);
    if (streams == 0)
    {
        throw pmoe::InputError("streams must be >= 1, got 0");
    }
    if (fabric != "ocs" && fabric != "ideal")
    {
        throw pmoe::InputError("unknown fabric '" + fabric + "' (expected ocs or ideal)");
    }
    if (rate.GetBitRate() == 0)
    {
        throw pmoe::InputError("rate must be > 0");
    }
    if (epsRate.GetBitRate() == 0)
    {
        throw pmoe::InputError("EPS rate must be > 0");
    }
    if (ocsEpsPolicy != "no-future-circuit" && ocsEpsPolicy != "no-circuit")
    {
        throw pmoe::InputError("unknown OCS EPS policy '" + ocsEpsPolicy +
                               "' (expected no-future-circuit or no-circuit)");
    }
    for (const auto& [name, t] : {std::make_pair("delta", delta),
                                  std::make_pair("propagation delay", propagationDelay),
                                  std::make_pair("EPS delay", epsDelay),
                                  std::make_pair("control latency", controlLatency),
                                  std::make_pair("commit latency", commitLatency),
                                  std::make_pair("scheduler time", schedulerTime),
                                  std::make_pair("threshold timeout", thresholdTimeout)})
    {
        if (t < Time(0))
        {
            throw pmoe::InputError(std::string(name) + " must be >= 0, got " +
                                   std::to_string(t.GetNanoSeconds()) + " ns");
        }
    }
    pmoe::CircuitModelFromString(circuitModel);
    pmoe::ReconfigModeFromString(reconfigMode);
    pmoe::MakeDecomposer(algorithm);
    pmoe::DurationPolicyFromString(durationPolicy);
    if (pmoe::ResidualPolicyFromString(residualPolicy) == pmoe::ResidualPolicy::RELAY)
    {
        throw pmoe::InputError("residual policy 'relay' is not supported at packet level "
                               "(use eps or append)");
    }
    if (schedulerTimeMode != "constant" && schedulerTimeMode != "measured")
    {
        throw pmoe::InputError("unknown scheduler time mode '" + schedulerTimeMode +
                               "' (expected constant or measured)");
    }
    if (!(planningEfficiency > 0 && planningEfficiency <= 1))
    {
        throw pmoe::InputError("planning efficiency must be in (0, 1], got " +
                               std::to_string(planningEfficiency));
    }
    if (transport != "tcp" && transport != "udp")
    {
        throw pmoe::InputError("unknown transport '" + transport + "' (expected tcp or udp)");
    }
    if (overlap != "none" && overlap != "per-matching" && overlap != "threshold")
    {
        throw pmoe::InputError("unknown overlap policy '" + overlap +
                               "' (expected none, per-matching or threshold)");
    }
    if (thresholdCopies == 0)
    {
        throw pmoe::InputError("threshold must be >= 1 token copy, got 0");
    }
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(tcpVariant, &tid))
    {
        throw pmoe::InputError("unknown TCP variant '" + tcpVariant + "'");
    }
    if (tcpSegmentSize < 536 || tcpSegmentSize > 8960)
    {
        throw pmoe::InputError("TCP segment size must be in [536, 8960], got " +
                               std::to_string(tcpSegmentSize));
    }
    if (tcpBufferBytes < tcpSegmentSize)
    {
        throw pmoe::InputError("TCP buffer must hold at least one segment, got " +
                               std::to_string(tcpBufferBytes));
    }
    if (tcpInitialCwnd == 0 || tcpDelAckCount == 0)
    {
        throw pmoe::InputError("TCP initial window and delayed-ACK count must be >= 1");
    }
    if (!tcpMinRto.IsStrictlyPositive())
    {
        throw pmoe::InputError("minimum RTO must be > 0, got " +
                               std::to_string(tcpMinRto.GetNanoSeconds()) + " ns");
    }
    if (!stopTime.IsStrictlyPositive())
    {
        throw pmoe::InputError("stop time must be > 0, got " +
                               std::to_string(stopTime.GetNanoSeconds()) + " ns");
    }
    // The helper generates every layer's matrices up front: bound the memory that a large
    // layer count times a large scenario would take (about 8 bytes per cell).
    const uint64_t cellsPerLayer =
        3ULL * moe.numGpus * moe.numGpus + static_cast<uint64_t>(moe.numGpus) * moe.numExperts;
    if (cellsPerLayer * layers > kMaxScenarioCells)
    {
        throw pmoe::InputError("scenario too large: layers (" + std::to_string(layers) +
                               ") x matrix cells per layer (" + std::to_string(cellsPerLayer) +
                               ") exceeds " + std::to_string(kMaxScenarioCells));
    }
    ValidateFaults();
}

void
MoeLayerScenario::ValidateFaults() const
{
    if (failPort >= 0 && static_cast<uint32_t>(failPort) >= moe.numGpus)
    {
        throw pmoe::InputError("failPort must name a GPU port in [0, " +
                               std::to_string(moe.numGpus - 1) + "] or be -1, got " +
                               std::to_string(failPort));
    }
    if (failPort < -1)
    {
        throw pmoe::InputError("failPort must be >= -1, got " + std::to_string(failPort));
    }
    if (failPort >= 0 && (failStart < Time(0) || !failDuration.IsStrictlyPositive()))
    {
        throw pmoe::InputError("port failure needs start >= 0 and duration > 0, got start " +
                               std::to_string(failStart.GetNanoSeconds()) + " ns, duration " +
                               std::to_string(failDuration.GetNanoSeconds()) + " ns");
    }
    if (reconfigJitter < Time(0))
    {
        throw pmoe::InputError("reconfiguration jitter must be >= 0, got " +
                               std::to_string(reconfigJitter.GetNanoSeconds()) + " ns");
    }
    if (!(controlLossProbability >= 0 && controlLossProbability < 1))
    {
        throw pmoe::InputError("control loss probability must be in [0, 1), got " +
                               std::to_string(controlLossProbability));
    }
    if (!(controlLateProbability >= 0 && controlLateProbability <= 1))
    {
        throw pmoe::InputError("control late probability must be in [0, 1], got " +
                               std::to_string(controlLateProbability));
    }
    if (controlExtraDelay < Time(0) || !controlTimeout.IsStrictlyPositive())
    {
        throw pmoe::InputError("control extra delay must be >= 0 and control timeout > 0, got " +
                               std::to_string(controlExtraDelay.GetNanoSeconds()) + " ns and " +
                               std::to_string(controlTimeout.GetNanoSeconds()) + " ns");
    }
    if (controlMaxRetries > 1000)
    {
        throw pmoe::InputError("control max retries must be <= 1000, got " +
                               std::to_string(controlMaxRetries));
    }
    if (voqOverflow != "drop" && voqOverflow != "eps")
    {
        throw pmoe::InputError("unknown VOQ overflow policy '" + voqOverflow +
                               "' (expected drop or eps)");
    }
    if (voqCapacity != 0 && voqCapacity < 9014)
    {
        throw pmoe::InputError("VOQ capacity must be 0 (default) or hold one 9014-byte frame, "
                               "got " +
                               std::to_string(voqCapacity));
    }
}

MoeLayerRunResult
MoeLayerHelper::Run(const MoeLayerScenario& sc)
{
    sc.Validate();
    const auto wallStart = std::chrono::steady_clock::now();
    const bool ocsFabric = sc.fabric == "ocs";
    const uint32_t n = sc.moe.numGpus;

    // Routing workload, seeded from an ns-3 stream (RngRun changes it).
    Ptr<UniformRandomVariable> u = CreateObject<UniformRandomVariable>();
    u->SetStream(static_cast<int64_t>(sc.workloadSeedStream));
    const uint64_t seed = (static_cast<uint64_t>(u->GetInteger(0, 0xFFFFFFFFu)) << 32) |
                          static_cast<uint64_t>(u->GetInteger(0, 0xFFFFFFFFu));
    pmoe::MoeWorkload workload(sc.moe, seed);
    auto shared = std::make_shared<MoeLayerShared>();
    shared->numGpus = n;
    for (uint32_t l = 0; l < sc.layers; ++l)
    {
        shared->layers.push_back(workload.Generate(l));
    }
    for (uint32_t g = 0; g < n; ++g)
    {
        shared->localExperts.push_back(workload.LocalExperts(g));
    }
    shared->dispatchBytesPerCopy =
        sc.moe.hiddenSize * sc.moe.bytesPerElementDispatch + sc.moe.dispatchExtraBytesPerCopy;
    shared->combineBytesPerCopy = sc.moe.hiddenSize * sc.moe.bytesPerElementCombine;

    MoeLayerRunResult result;
    result.fabric = sc.fabric;
    result.algorithm = ocsFabric ? sc.algorithm : "ideal";

    try
    {
        NodeContainer hosts(n);
        OcsHelper ocs;
        ocs.SetDeviceAttribute("DataRate", DataRateValue(sc.rate));
        ocs.SetDeviceAttribute("Guard", BooleanValue(sc.guard));
        ocs.SetChannelAttribute("Delay", TimeValue(sc.propagationDelay));
        ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(sc.delta));
        ocs.SetChannelAttribute("CircuitModel", StringValue(sc.circuitModel));
        ocs.SetChannelAttribute("ReconfigurationMode", StringValue(sc.reconfigMode));
        if (ocsFabric)
        {
            ocs.SetDeviceAttribute("VoqCapacity",
                                   UintegerValue(sc.voqCapacity ? sc.voqCapacity : kOcsQueueBytes));
            ocs.SetDeviceAttribute("VoqOverflowToEps", BooleanValue(sc.voqOverflow == "eps"));
            ocs.SetChannelAttribute("ReconfigurationJitter", TimeValue(sc.reconfigJitter));
            ocs.SetDeviceAttribute("EpsQueueCapacity", UintegerValue(kOcsQueueBytes));
            ocs.SetEpsAttribute("EgressQueueCapacity", UintegerValue(kOcsQueueBytes));
            // ACKs, residual and whatever has no circuit now or later cross the electrical
            // fabric (default "no-future-circuit", see doc/ocs-device.md).
            ocs.EnableEps(sc.epsRate, sc.epsDelay, sc.ocsEpsPolicy);
        }
        else
        {
            ocs.SetDeviceAttribute("EpsQueueCapacity", UintegerValue(kIdealQueueBytes));
            ocs.SetEpsAttribute("EgressQueueCapacity", UintegerValue(kIdealQueueBytes));
            ocs.EnableEps(sc.rate, sc.epsDelay, "all");
        }
        ocs.SetDeviceAttribute("EpsControlPriority", BooleanValue(sc.epsControlPriority));
        ocs.SetEpsAttribute("ControlPriority", BooleanValue(sc.epsControlPriority));
        NetDeviceContainer devices = ocs.Install(hosts);
        if (ocsFabric)
        {
            ocs.GetSwitch()->AssignStreams(static_cast<int64_t>(sc.workloadSeedStream) + 1);
            if (sc.failPort >= 0)
            {
                ocs.GetSwitch()->FailPort(static_cast<uint32_t>(sc.failPort),
                                          sc.failStart,
                                          sc.failDuration);
            }
        }
        InternetStackHelper internet;
        internet.Install(hosts);
        Ipv4AddressHelper ip("10.1.0.0", "255.255.0.0");
        Ipv4InterfaceContainer ifs = ip.Assign(devices);
        OcsHelper::PopulateArpCaches(devices); // no ARP broadcasts over circuits
        for (uint32_t g = 0; g < n; ++g)
        {
            shared->addresses.push_back(ifs.GetAddress(g));
            hosts.Get(g)->GetObject<TcpL4Protocol>()->SetAttribute(
                "SocketType",
                TypeIdValue(TypeId::LookupByName(sc.tcpVariant)));
            Ptr<GpuComputeModel> gpu = CreateObject<GpuComputeModel>();
            gpu->SetAttribute("Preset", StringValue(sc.computePreset));
            gpu->SetAttribute("HiddenSize", UintegerValue(sc.moe.hiddenSize));
            gpu->SetAttribute("FfnSize", UintegerValue(sc.ffnSize));
            gpu->SetAttribute("FixedCost", TimeValue(sc.fixedCost));
            gpu->SetAttribute("LaunchMode", StringValue(sc.launchMode));
            gpu->SetAttribute("Streams", UintegerValue(sc.streams));
            gpu->GetParams(); // validates
            hosts.Get(g)->AggregateObject(gpu);
        }

        std::map<std::string, std::string> tcp;
        tcp["SegmentSize"] = std::to_string(sc.tcpSegmentSize);
        tcp["SndBufSize"] = std::to_string(sc.tcpBufferBytes);
        tcp["RcvBufSize"] = std::to_string(sc.tcpBufferBytes);
        tcp["InitialCwnd"] = std::to_string(sc.tcpInitialCwnd);
        tcp["DelAckCount"] = std::to_string(sc.tcpDelAckCount);
        tcp["DelAckTimeout"] = std::to_string(sc.tcpDelAckTimeout.GetNanoSeconds()) + "ns";
        tcp["MinRto"] = std::to_string(sc.tcpMinRto.GetNanoSeconds()) + "ns";
        tcp["ClockGranularity"] = "1us";
        tcp["ConnTimeout"] = "1ms";

        std::vector<Ptr<MoeGpuApplication>> apps;
        for (uint32_t g = 0; g < n; ++g)
        {
            Ptr<MoeGpuApplication> app = CreateObject<MoeGpuApplication>();
            app->SetAttribute("OverlapPolicy", StringValue(sc.overlap));
            app->SetAttribute("Transport", StringValue(sc.transport));
            app->SetAttribute("ThresholdCopies", UintegerValue(sc.thresholdCopies));
            app->SetAttribute("ThresholdTimeout", TimeValue(sc.thresholdTimeout));
            app->SetAttribute("NonMoeTime", TimeValue(sc.nonMoeTime));
            app->SetAttribute("UdpRate", DataRateValue(sc.rate));
            app->SetAttribute("SharedConnection", BooleanValue(sc.tcpSharedConnection));
            app->SetTcpAttributes(tcp);
            hosts.Get(g)->AddApplication(app);
            app->SetStartTime(Time(0));
            apps.push_back(app);
        }
        std::vector<BatchRecorder> recorders(sc.recordTimeline ? n : 0);
        for (uint32_t g = 0; g < recorders.size(); ++g)
        {
            recorders[g].gpu = g;
            recorders[g].out = &result.timeline;
            recorders[g].app = PeekPointer(apps[g]);
            hosts.Get(g)->GetObject<GpuComputeModel>()->TraceConnectWithoutContext(
                "BatchEnd",
                MakeCallback(&BatchRecorder::OnBatchEnd, &recorders[g]));
        }
        Ptr<CircuitSchedulerApplication> scheduler;
        if (ocsFabric)
        {
            Ptr<Node> controller = CreateObject<Node>();
            scheduler = CreateObject<CircuitSchedulerApplication>();
            scheduler->SetAttribute("Algorithm", StringValue(sc.algorithm));
            scheduler->SetAttribute("MaxMatchings", UintegerValue(sc.maxMatchings));
            scheduler->SetAttribute("DurationPolicy", StringValue(sc.durationPolicy));
            scheduler->SetAttribute("ResidualPolicy", StringValue(sc.residualPolicy));
            scheduler->SetAttribute("ComputeAware", BooleanValue(sc.computeAware));
            scheduler->SetAttribute("ControlLatency", TimeValue(sc.controlLatency));
            scheduler->SetAttribute("CommitLatency", TimeValue(sc.commitLatency));
            scheduler->SetAttribute("ComputeTimeMode", StringValue(sc.schedulerTimeMode));
            scheduler->SetAttribute("ComputeTime", TimeValue(sc.schedulerTime));
            scheduler->SetAttribute("PlanningEfficiency", DoubleValue(sc.planningEfficiency));
            scheduler->SetAttribute("KeepSchedules",
                                    BooleanValue(sc.keepSchedules || sc.recordTimeline));
            scheduler->SetAttribute("CircuitRate", DataRateValue(sc.rate));
            scheduler->SetAttribute("EpsRate", DataRateValue(sc.epsRate));
            scheduler->SetAttribute("ControlLossProbability",
                                    DoubleValue(sc.controlLossProbability));
            scheduler->SetAttribute("ControlLateProbability",
                                    DoubleValue(sc.controlLateProbability));
            scheduler->SetAttribute("ControlExtraDelay", TimeValue(sc.controlExtraDelay));
            scheduler->SetAttribute("ControlTimeout", TimeValue(sc.controlTimeout));
            scheduler->SetAttribute("ControlMaxRetries", UintegerValue(sc.controlMaxRetries));
            scheduler->AssignStreams(static_cast<int64_t>(sc.workloadSeedStream) + 2);
            controller->AddApplication(scheduler);
            scheduler->Setup(shared, ocs.GetSwitch(), apps);
        }
        for (uint32_t g = 0; g < n; ++g)
        {
            apps[g]->Setup(shared, g, scheduler);
        }

        DoneCounter counter;
        counter.lastLayer = sc.layers - 1;
        counter.hosts = n;
        for (const auto& app : apps)
        {
            app->TraceConnectWithoutContext("LayerDone",
                                            MakeCallback(&DoneCounter::OnLayerDone, &counter));
        }
        RssSampler rssSampler;
        if (sc.sampleRss)
        {
            result.rssBytes.assign(sc.layers, 0);
            result.heapBytes.assign(sc.layers, 0);
            rssSampler.heap = &result.heapBytes;
            rssSampler.hosts = n;
            rssSampler.done.assign(sc.layers, 0);
            rssSampler.rss = &result.rssBytes;
            for (const auto& app : apps)
            {
                app->TraceConnectWithoutContext(
                    "LayerDone",
                    MakeCallback(&RssSampler::OnLayerDone, &rssSampler));
            }
        }
        std::unique_ptr<ShowProgress> progress;
        if (sc.showProgress)
        {
            progress = std::make_unique<ShowProgress>(Seconds(1), std::cerr);
        }
        Simulator::Stop(sc.stopTime);
        Simulator::Run();
        progress.reset();
        result.simulatedNs = Simulator::Now().GetNanoSeconds();
        result.events = Simulator::GetEventCount();

        // Collect.
        const std::vector<CircuitSchedulerLayerStats>* sched =
            scheduler ? &scheduler->GetLayerStats() : nullptr;
        int64_t totalLit = 0;
        int64_t totalBubble = 0;
        for (uint32_t l = 0; l < sc.layers; ++l)
        {
            const auto& w = shared->layers[l];
            MoeLayerMeasurement m;
            m.layer = l;
            m.dispatchBytesExpected = static_cast<uint64_t>(w.dispatch.Total());
            m.combineBytesExpected = static_cast<uint64_t>(w.combine.Total());
            m.loadBoundNs = pmoe::LoadLowerBoundNs(w.dispatch, sc.rate.GetBitRate());
            Time firstSent = Time::Max();
            Time lastCombine = Time(0);
            Time firstStart = Time::Max();
            Time lastDone = Time(0);
            bool allDone = true;
            uint64_t batchTokens = 0;
            for (uint32_t g = 0; g < n; ++g)
            {
                const MoeGpuLayerStats& st = apps[g]->GetLayerStats()[l];
                firstSent = std::min(firstSent, st.firstDispatchSent);
                lastCombine = std::max(lastCombine, st.lastCombineReceived);
                firstStart = std::min(firstStart, st.layerStart);
                if (st.done == Time::Max())
                {
                    allDone = false;
                }
                else
                {
                    lastDone = std::max(lastDone, st.done);
                }
                MoeGpuMeasurement gm;
                gm.layer = l;
                gm.gpu = g;
                gm.startNs = st.layerStart == Time::Max() ? -1 : st.layerStart.GetNanoSeconds();
                gm.doneNs = st.done == Time::Max() ? -1 : st.done.GetNanoSeconds();
                gm.dispatchDoneNs = st.lastDispatchReceived.GetNanoSeconds();
                gm.computeDoneNs = st.lastBatchDone.GetNanoSeconds();
                for (uint32_t j = 0; j < n; ++j)
                {
                    gm.dispatchBytesSent += st.dispatchSent[j];
                    gm.dispatchBytesReceived += st.dispatchReceived[j];
                    gm.combineBytesSent += st.combineSent[j];
                    gm.combineBytesReceived += st.combineReceived[j];
                }
                gm.computeBusyNs = st.computeBusy.GetNanoSeconds();
                gm.idealComputeNs = st.idealCompute.GetNanoSeconds();
                gm.batches = st.batches;
                gm.tokens = st.batchTokens;
                result.gpus.push_back(gm);
                m.dispatchBytesSent += gm.dispatchBytesSent;
                m.dispatchBytesDelivered += gm.dispatchBytesReceived;
                m.combineBytesSent += gm.combineBytesSent;
                m.combineBytesDelivered += gm.combineBytesReceived;
                m.computeBusyNs += gm.computeBusyNs;
                m.idealComputeNs += gm.idealComputeNs;
                m.maxGpuBusyNs = std::max(m.maxGpuBusyNs, gm.computeBusyNs);
                m.batches += gm.batches;
                batchTokens += gm.tokens;
                for (uint64_t b : st.batchSizes)
                {
                    m.maxBatchTokens = std::max(m.maxBatchTokens, b);
                }
                // Conservation per pair.
                for (uint32_t j = 0; j < n; ++j)
                {
                    if (j == g)
                    {
                        continue;
                    }
                    const MoeGpuLayerStats& rj = apps[j]->GetLayerStats()[l];
                    const uint64_t d = static_cast<uint64_t>(w.dispatch.At(g, j));
                    const uint64_t c = static_cast<uint64_t>(w.combine.At(g, j));
                    if (st.dispatchSent[j] != d || rj.dispatchReceived[g] != d ||
                        st.combineSent[j] != c || rj.combineReceived[g] != c)
                    {
                        if (result.conservationErrors.size() < kMaxErrors)
                        {
                            std::ostringstream e;
                            e << "layer " << l << " pair " << g << "->" << j << ": dispatch " << d
                              << " demanded, " << st.dispatchSent[j] << " sent, "
                              << rj.dispatchReceived[g] << " delivered; combine " << c
                              << " demanded, " << st.combineSent[j] << " sent, "
                              << rj.combineReceived[g] << " delivered";
                            result.conservationErrors.push_back(e.str());
                        }
                    }
                }
            }
            if (!allDone && result.conservationErrors.size() < kMaxErrors)
            {
                result.conservationErrors.push_back("layer " + std::to_string(l) +
                                                    " not completed at every GPU");
            }
            m.layerTimeNs = (firstSent == Time::Max() || lastCombine < firstSent)
                                ? 0
                                : (lastCombine - firstSent).GetNanoSeconds();
            if (firstSent == Time::Max())
            {
                // No network traffic (everything local): the layer is its compute.
                m.layerTimeNs = (allDone && firstStart != Time::Max())
                                    ? (lastDone - firstStart).GetNanoSeconds()
                                    : 0;
            }
            m.layerSpanNs = (allDone && firstStart != Time::Max())
                                ? (lastDone - firstStart).GetNanoSeconds()
                                : 0;
            m.computeEfficiency = m.computeBusyNs > 0 ? static_cast<double>(m.idealComputeNs) /
                                                            static_cast<double>(m.computeBusyNs)
                                                      : 1.0;
            m.meanBatchTokens =
                m.batches > 0 ? static_cast<double>(batchTokens) / static_cast<double>(m.batches)
                              : 0.0;
            if (sched)
            {
                const CircuitSchedulerLayerStats& ss = (*sched)[l];
                m.numMatchings = ss.dispatchConfigurations + ss.combineConfigurations;
                m.dispatchMatchings = ss.dispatchConfigurations;
                m.dispatchBubbleFraction = ss.dispatchFluid.bubbleFraction;
                m.reconfigurations = static_cast<uint32_t>(ss.dispatchFluid.reconfigurations +
                                                           ss.combineFluid.reconfigurations);
                m.reconfigTimeNs = ss.dispatchFluid.reconfigTimeNs + ss.combineFluid.reconfigTimeNs;
                const int64_t lit = ss.litCircuitNs;
                const int64_t bubble = ss.dispatchFluid.bubbleNs + ss.combineFluid.bubbleNs;
                totalLit += lit;
                totalBubble += bubble;
                m.bubbleFraction =
                    lit > 0 ? static_cast<double>(bubble) / static_cast<double>(lit) : 0.0;
                m.residualBytes = static_cast<uint64_t>(ss.dispatchFluid.residualBytes +
                                                        ss.combineFluid.residualBytes);
                m.schedulerTimeNs = ss.computeTime.GetNanoSeconds();
                m.schedulerWallNs = ss.measuredComputeNs;
                // Validation: packet-level communication times against the fluid evaluator.
                Time lastDispatch = Time(0);
                Time lastCombineRx = Time(0);
                for (uint32_t g = 0; g < n; ++g)
                {
                    const MoeGpuLayerStats& st = apps[g]->GetLayerStats()[l];
                    lastDispatch = std::max(lastDispatch, st.lastDispatchReceived);
                    lastCombineRx = std::max(lastCombineRx, st.lastCombineReceived);
                }
                if (ss.dispatchStart != Time::Max() && lastDispatch > ss.dispatchStart)
                {
                    m.dispatchCommNs = (lastDispatch - ss.dispatchStart).GetNanoSeconds();
                }
                if (ss.combineStart != Time::Max() && lastCombineRx > ss.combineStart)
                {
                    m.combineCommNs = (lastCombineRx - ss.combineStart).GetNanoSeconds();
                }
                const FluidComm fd = EvaluateFluidComm(w.dispatch, ss.dispatch, sc);
                const FluidComm fc = EvaluateFluidComm(w.combine, ss.combine, sc);
                if (sc.recordTimeline)
                {
                    AppendCircuits(result.timeline,
                                   "dispatch-circuit",
                                   l,
                                   ss.dispatch,
                                   ss.dispatchStart,
                                   sc.delta,
                                   pmoe::ReconfigModeFromString(sc.reconfigMode));
                    AppendCircuits(result.timeline,
                                   "combine-circuit",
                                   l,
                                   ss.combine,
                                   ss.combineStart,
                                   sc.delta,
                                   pmoe::ReconfigModeFromString(sc.reconfigMode));
                }
                m.dispatchFluidNs = fd.makespanNs;
                m.dispatchFluidLastByteNs = fd.lastByteNs;
                m.combineFluidNs = fc.makespanNs;
                m.combineFluidLastByteNs = fc.lastByteNs;
                if (ss.released)
                {
                    // Schedules released during the run (keepSchedules off): not available.
                    m.dispatchFluidNs = -1;
                    m.dispatchFluidLastByteNs = -1;
                    m.combineFluidNs = -1;
                    m.combineFluidLastByteNs = -1;
                }
            }
            else
            {
                Time lastDispatch = Time(0);
                for (uint32_t g = 0; g < n; ++g)
                {
                    lastDispatch =
                        std::max(lastDispatch, apps[g]->GetLayerStats()[l].lastDispatchReceived);
                }
                if (firstSent != Time::Max() && lastDispatch > firstSent)
                {
                    m.dispatchCommNs = (lastDispatch - firstSent).GetNanoSeconds();
                }
                m.dispatchFluidNs = m.loadBoundNs;
                m.dispatchFluidLastByteNs = m.loadBoundNs;
            }
            result.layers.push_back(m);
        }
        for (uint32_t g = 0; g < n; ++g)
        {
            if (apps[g]->GetUnexpectedBytes() > 0 && result.conservationErrors.size() < kMaxErrors)
            {
                result.conservationErrors.push_back("GPU " + std::to_string(g) + " received " +
                                                    std::to_string(apps[g]->GetUnexpectedBytes()) +
                                                    " bytes beyond its demand");
            }
        }
        for (uint32_t i = 0; i < devices.GetN(); ++i)
        {
            Ptr<OcsNetDevice> dev = DynamicCast<OcsNetDevice>(devices.Get(i));
            if (dev)
            {
                const OcsDeviceCounters c = dev->GetCounters();
                result.deviceDrops += c.TotalDrops();
                result.voqToEpsPackets += c.voqToEpsPackets;
                result.faults.failoverToEpsPackets += c.failoverToEps;
                result.faults.voqOverflowDrops += c.dropVoqFull;
                result.faults.voqOverflowToEps += c.voqOverflowToEps;
                const std::pair<const char*, uint64_t> reasons[] = {
                    {OcsNetDevice::DROP_VOQ_FULL, c.dropVoqFull},
                    {OcsNetDevice::DROP_CIRCUIT_TORN_DOWN, c.dropCircuitTornDown},
                    {OcsNetDevice::DROP_NO_ROUTE, c.dropNoRoute},
                    {OcsNetDevice::DROP_BROADCAST, c.dropBroadcast},
                    {OcsNetDevice::DROP_EPS_QUEUE_FULL, c.dropEpsQueueFull},
                    {OcsNetDevice::DROP_TOO_BIG, c.dropTooBig},
                    {OcsNetDevice::DROP_VOQ_TO_EPS_FULL, c.dropVoqToEpsFull}};
                for (const auto& [reason, count] : reasons)
                {
                    if (count > 0)
                    {
                        result.dropsByReason[reason] += count;
                    }
                }
                for (uint32_t port = 0; port < n; ++port)
                {
                    result.strandedPackets += dev->GetVoqPackets(port);
                }
            }
        }
        const OcsSwitchCounters swc = ocs.GetSwitch()->GetCounters();
        result.switchReconfigurations = swc.reconfigurations;
        result.faults.portFailures = swc.portFailures;
        result.faults.failureDarkenings = swc.failureDarkenings;
        result.faults.lateReconfigurations = swc.lateReconfigurations;
        result.faults.reconfigExtraDarkNs = swc.reconfigExtraDarkNs;
        result.faults.framesTornDown = swc.framesTornDown;
        if (scheduler)
        {
            const ControlFaultCounters cf = scheduler->GetControlFaultCounters();
            result.faults.controlMessages = cf.messages;
            result.faults.controlLost = cf.lost;
            result.faults.controlLate = cf.late;
            result.faults.controlRetries = cf.retries;
            result.faults.controlFallbacks = cf.fallbacks;
            result.faults.controlDuplicates = cf.duplicates;
            result.faults.commitFallbacks = cf.commitFallbacks;
        }
        if (ocs.GetEps() && ocs.GetEps()->GetCounters().dropEgressFull > 0)
        {
            result.dropsByReason[ElectricalSwitchChannel::DROP_EGRESS_FULL] =
                ocs.GetEps()->GetCounters().dropEgressFull;
        }
        for (const auto& app : apps)
        {
            result.tcpTimeouts += app->GetTcpTimeouts();
            result.tcpFastRecoveries += app->GetTcpFastRecoveries();
        }

        // Totals.
        MoeLayerMeasurement& t = result.total;
        uint64_t totalTokens = 0;
        for (const auto& m : result.layers)
        {
            t.layerTimeNs += m.layerTimeNs;
            t.layerSpanNs += m.layerSpanNs;
            t.dispatchBytesExpected += m.dispatchBytesExpected;
            t.dispatchBytesSent += m.dispatchBytesSent;
            t.dispatchBytesDelivered += m.dispatchBytesDelivered;
            t.combineBytesExpected += m.combineBytesExpected;
            t.combineBytesSent += m.combineBytesSent;
            t.combineBytesDelivered += m.combineBytesDelivered;
            t.numMatchings += m.numMatchings;
            t.reconfigurations += m.reconfigurations;
            t.reconfigTimeNs += m.reconfigTimeNs;
            t.residualBytes += m.residualBytes;
            t.schedulerTimeNs += m.schedulerTimeNs;
            t.schedulerWallNs += m.schedulerWallNs;
            t.loadBoundNs += m.loadBoundNs;
            t.computeBusyNs += m.computeBusyNs;
            t.idealComputeNs += m.idealComputeNs;
            t.maxGpuBusyNs = std::max(t.maxGpuBusyNs, m.maxGpuBusyNs);
            t.batches += m.batches;
            t.maxBatchTokens = std::max(t.maxBatchTokens, m.maxBatchTokens);
            totalTokens +=
                static_cast<uint64_t>(m.meanBatchTokens * static_cast<double>(m.batches) + 0.5);
        }
        t.layer = sc.layers;
        t.bubbleFraction =
            totalLit > 0 ? static_cast<double>(totalBubble) / static_cast<double>(totalLit) : 0.0;
        t.computeEfficiency = t.computeBusyNs > 0 ? static_cast<double>(t.idealComputeNs) /
                                                        static_cast<double>(t.computeBusyNs)
                                                  : 1.0;
        t.meanBatchTokens =
            t.batches > 0 ? static_cast<double>(totalTokens) / static_cast<double>(t.batches) : 0.0;
        result.conserved = result.conservationErrors.empty();
    }
    catch (...)
    {
        Simulator::Destroy();
        throw;
    }
    Simulator::Destroy();
    result.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    return result;
}

void
MoeLayerHelper::WriteLayerCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs)
{
    os << "fabric,algorithm,layer,layer_time_us,layer_span_us,load_bound_us,"
          "dispatch_bytes_sent,dispatch_bytes_delivered,combine_bytes_sent,"
          "combine_bytes_delivered,num_matchings,reconfigurations,reconfig_time_us,"
          "bubble_fraction,residual_bytes,scheduler_time_us,compute_busy_us,ideal_compute_us,"
          "max_gpu_busy_us,compute_efficiency,batches,mean_batch_tokens,max_batch_tokens\n";
    for (const auto& r : runs)
    {
        for (const auto& m : r.layers)
        {
            os << r.fabric << ',' << r.algorithm << ',' << m.layer << ',' << Us(m.layerTimeNs)
               << ',' << Us(m.layerSpanNs) << ',' << Us(m.loadBoundNs) << ',' << m.dispatchBytesSent
               << ',' << m.dispatchBytesDelivered << ',' << m.combineBytesSent << ','
               << m.combineBytesDelivered << ',' << m.numMatchings << ',' << m.reconfigurations
               << ',' << Us(m.reconfigTimeNs) << ',' << Frac(m.bubbleFraction) << ','
               << m.residualBytes << ',' << Us(m.schedulerTimeNs) << ',' << Us(m.computeBusyNs)
               << ',' << Us(m.idealComputeNs) << ',' << Us(m.maxGpuBusyNs) << ','
               << Frac(m.computeEfficiency) << ',' << m.batches << ',' << Frac(m.meanBatchTokens)
               << ',' << m.maxBatchTokens << '\n';
        }
    }
}

void
MoeLayerHelper::WriteGpuCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs)
{
    os << "fabric,algorithm,layer,gpu,start_us,dispatch_done_us,compute_done_us,done_us,"
          "dispatch_bytes_sent,"
          "dispatch_bytes_received,combine_bytes_sent,combine_bytes_received,compute_busy_us,"
          "ideal_compute_us,batches,tokens\n";
    for (const auto& r : runs)
    {
        for (const auto& g : r.gpus)
        {
            os << r.fabric << ',' << r.algorithm << ',' << g.layer << ',' << g.gpu << ','
               << Us(g.startNs) << ',' << Us(g.dispatchDoneNs) << ',' << Us(g.computeDoneNs) << ','
               << Us(g.doneNs) << ',' << g.dispatchBytesSent << ',' << g.dispatchBytesReceived
               << ',' << g.combineBytesSent << ',' << g.combineBytesReceived << ','
               << Us(g.computeBusyNs) << ',' << Us(g.idealComputeNs) << ',' << g.batches << ','
               << g.tokens << '\n';
        }
    }
}

void
MoeLayerHelper::WriteFaultCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs)
{
    os << "fabric,algorithm,port_failures,failure_darkenings,failover_to_eps_packets,"
          "late_reconfigurations,reconfig_extra_dark_us,control_messages,control_lost,"
          "control_late,control_retries,control_fallbacks,control_duplicates,commit_fallbacks,"
          "voq_overflow_drops,voq_overflow_to_eps,frames_torn_down,tcp_timeouts,conserved\n";
    for (const auto& r : runs)
    {
        const MoeFaultCounters& f = r.faults;
        os << r.fabric << ',' << r.algorithm << ',' << f.portFailures << ',' << f.failureDarkenings
           << ',' << f.failoverToEpsPackets << ',' << f.lateReconfigurations << ','
           << Us(f.reconfigExtraDarkNs) << ',' << f.controlMessages << ',' << f.controlLost << ','
           << f.controlLate << ',' << f.controlRetries << ',' << f.controlFallbacks << ','
           << f.controlDuplicates << ',' << f.commitFallbacks << ',' << f.voqOverflowDrops << ','
           << f.voqOverflowToEps << ',' << f.framesTornDown << ',' << r.tcpTimeouts << ','
           << (r.conserved ? 1 : 0) << '\n';
    }
}

void
MoeLayerHelper::WriteTimelineCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs)
{
    os << "fabric,algorithm,kind,layer,node,value,start_us,end_us\n";
    for (const auto& r : runs)
    {
        for (const auto& iv : r.timeline)
        {
            os << r.fabric << ',' << r.algorithm << ',' << iv.kind << ',' << iv.layer << ','
               << iv.node << ',' << iv.value << ',' << Us(iv.startNs) << ',' << Us(iv.endNs)
               << '\n';
        }
    }
}

void
MoeLayerHelper::WriteJson(std::ostream& os,
                          const std::vector<MoeLayerRunResult>& runs,
                          bool hostTiming)
{
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : runs)
    {
        const MoeLayerMeasurement& t = r.total;
        nlohmann::json o;
        o["fabric"] = r.fabric;
        o["algorithm"] = r.algorithm;
        o["layers"] = r.layers.size();
        o["layer_time_ns"] = t.layerTimeNs;
        o["layer_span_ns"] = t.layerSpanNs;
        o["load_bound_ns"] = t.loadBoundNs;
        o["dispatch_bytes_expected"] = t.dispatchBytesExpected;
        o["dispatch_bytes_sent"] = t.dispatchBytesSent;
        o["dispatch_bytes_delivered"] = t.dispatchBytesDelivered;
        o["combine_bytes_expected"] = t.combineBytesExpected;
        o["combine_bytes_sent"] = t.combineBytesSent;
        o["combine_bytes_delivered"] = t.combineBytesDelivered;
        o["num_matchings"] = t.numMatchings;
        o["reconfigurations"] = t.reconfigurations;
        o["reconfig_time_ns"] = t.reconfigTimeNs;
        o["bubble_fraction"] = t.bubbleFraction;
        o["residual_bytes"] = t.residualBytes;
        o["scheduler_time_ns"] = t.schedulerTimeNs;
        o["compute_busy_ns"] = t.computeBusyNs;
        o["ideal_compute_ns"] = t.idealComputeNs;
        o["compute_efficiency"] = t.computeEfficiency;
        o["batches"] = t.batches;
        o["mean_batch_tokens"] = t.meanBatchTokens;
        o["max_batch_tokens"] = t.maxBatchTokens;
        o["conserved"] = r.conserved;
        o["conservation_errors"] = r.conservationErrors;
        o["device_drops"] = r.deviceDrops;
        o["stranded_packets"] = r.strandedPackets;
        o["voq_to_eps_packets"] = r.voqToEpsPackets;
        o["drops_by_reason"] = r.dropsByReason;
        o["tcp_timeouts"] = r.tcpTimeouts;
        o["tcp_fast_recoveries"] = r.tcpFastRecoveries;
        o["switch_reconfigurations"] = r.switchReconfigurations;
        o["faults"] = FaultJson(r.faults);
        o["simulated_ns"] = r.simulatedNs;
        o["events"] = r.events;
        if (hostTiming)
        {
            // Wall-clock measurements of this machine: they differ from run to run, so they
            // stay out of the output unless asked for (same seed, same files otherwise).
            o["wall_seconds"] = r.wallSeconds;
            o["events_per_second"] =
                r.wallSeconds > 0 ? static_cast<double>(r.events) / r.wallSeconds : 0.0;
            o["scheduler_wall_ns"] = t.schedulerWallNs;
        }
        nlohmann::json per = nlohmann::json::array();
        for (const auto& m : r.layers)
        {
            per.push_back({{"layer", m.layer},
                           {"layer_time_ns", m.layerTimeNs},
                           {"layer_span_ns", m.layerSpanNs},
                           {"num_matchings", m.numMatchings},
                           {"dispatch_matchings", m.dispatchMatchings},
                           {"dispatch_bubble_fraction", m.dispatchBubbleFraction},
                           {"reconfigurations", m.reconfigurations},
                           {"bubble_fraction", m.bubbleFraction},
                           {"compute_efficiency", m.computeEfficiency},
                           {"mean_batch_tokens", m.meanBatchTokens},
                           {"dispatch_comm_ns", m.dispatchCommNs},
                           {"dispatch_fluid_ns", m.dispatchFluidNs},
                           {"dispatch_fluid_last_byte_ns", m.dispatchFluidLastByteNs},
                           {"combine_comm_ns", m.combineCommNs},
                           {"combine_fluid_ns", m.combineFluidNs},
                           {"combine_fluid_last_byte_ns", m.combineFluidLastByteNs},
                           {"load_bound_ns", m.loadBoundNs},
                           {"residual_bytes", m.residualBytes},
                           {"reconfig_time_ns", m.reconfigTimeNs}});
            if (hostTiming)
            {
                per.back()["scheduler_wall_ns"] = m.schedulerWallNs;
            }
        }
        o["per_layer"] = per;
        arr.push_back(o);
    }
    os << arr.dump(2) << '\n';
}

} // namespace ns3
