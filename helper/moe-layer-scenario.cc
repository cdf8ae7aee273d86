/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-layer-scenario.h"

#include "circuit-scheduler-helper.h"
#include "moe-cluster-topology-helper.h"
#include "moe-gpu-application-helper.h"
#include "moe-topology-helper.h"
#include "rdma-nic-helper.h"

#include "ns3/boolean.h"
#include "ns3/circuit-scheduler-application.h"
#include "ns3/double.h"
#include "ns3/event-id.h"
#include "ns3/gpu-compute-model.h"
#include "ns3/moe-batch-policy.h"
#include "ns3/moe-gpu-application.h"
#include "ns3/moe-workload-data.h"
#include "ns3/ocs-eps-policy.h"
#include "ns3/photonic-moe-enum-value.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-layer-bound.h"
#include "ns3/pmoe-schedule-timeline.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <tuple>

namespace ns3
{

namespace
{

/**
 * Progress on stderr that leaves the run's event count deterministic. ns-3's ShowProgress
 * adapts its step to the wall clock, so the number of its events (which
 * Simulator::GetEventCount counts) differed from machine to machine and run to run. This one
 * wakes every Step of simulated time, prints a line when at least a second of wall-clock time
 * has passed since the last, and counts its own events so that the run can leave them out.
 */
class LayerProgress
{
  public:
    /** @param os where the lines go */
    explicit LayerProgress(std::ostream& os)
        : m_os(os),
          m_start(std::chrono::steady_clock::now()),
          m_lastLine(m_start)
    {
        m_event = Simulator::Schedule(Step(), &LayerProgress::Tick, this);
    }

    ~LayerProgress()
    {
        m_event.Cancel();
    }

    LayerProgress(const LayerProgress&) = delete;
    LayerProgress& operator=(const LayerProgress&) = delete;

    /** @return the events this object executed */
    uint64_t GetEvents() const
    {
        return m_events;
    }

  private:
    /** @return the simulated time between two wake-ups */
    static Time Step()
    {
        return MicroSeconds(100);
    }

    /// One wake-up: a line if a second of wall-clock time has passed, then the next wake-up.
    void Tick()
    {
        ++m_events;
        const auto now = std::chrono::steady_clock::now();
        if (now - m_lastLine >= std::chrono::seconds(1))
        {
            const double wall = std::chrono::duration<double>(now - m_start).count();
            const uint64_t events = Simulator::GetEventCount() - m_events;
            m_os << "progress: simulated " << Simulator::Now().GetMicroSeconds() << " us, "
                 << events << " events, " << static_cast<uint64_t>(events / wall) << " events/s"
                 << std::endl;
            m_lastLine = now;
        }
        m_event = Simulator::Schedule(Step(), &LayerProgress::Tick, this);
    }

    std::ostream& m_os;                               //!< where the lines go
    std::chrono::steady_clock::time_point m_start;    //!< wall clock at the start
    std::chrono::steady_clock::time_point m_lastLine; //!< wall clock of the last line
    EventId m_event;                                  //!< the next wake-up
    uint64_t m_events{0};                             //!< wake-ups executed
};

/// Queue capacity of the ideal fabric (bytes): large enough that it never drops.
constexpr uint64_t kIdealQueueBytes = 1ULL << 30;

/// VOQ and EPS queue capacity on the OCS fabric (bytes).
constexpr uint64_t kOcsQueueBytes = 64ULL << 20;

/// Most matrix cells (all layers) a scenario may generate: about 8 GiB at 8 bytes a cell.
constexpr uint64_t kMaxScenarioCells = 1ULL << 30;

/** Stops the simulation once every GPU has completed the last layer. */
struct DoneCounter
{
    uint32_t lastLayer{0}; //!< the last layer
    uint32_t gpus{0};      //!< number of GPUs
    uint32_t done{0};      //!< GPUs done with the last layer

    /** @param layer a layer completed at one GPU */
    void OnLayerDone(uint32_t layer)
    {
        if (layer == lastLayer && ++done == gpus)
        {
            Simulator::Stop(MicroSeconds(1));
        }
    }
};

/**
 * The two-level fluid model of one phase on the ideal rail fabric (pmoe::EvaluateCluster).
 * @param demand the GPU demand
 * @param shape the cluster shape
 * @param rule the forwarding rule
 * @param fp the fluid parameters
 * @return the staged and the overlapped makespan (ns)
 */
std::pair<int64_t, int64_t>
IdealClusterFluid(const pmoe::DemandMatrix& demand,
                  const pmoe::ClusterShape& shape,
                  pmoe::ForwardingRule rule,
                  const pmoe::ClusterFluidParams& fp)
{
    const pmoe::ClusterDemand mapped = pmoe::MapClusterDemand(demand, shape, rule);
    pmoe::DecompositionParams params; // any schedule: only the ideal values are read
    params.linkRateBps = fp.nicRateBps;
    params.residualPolicy = pmoe::ResidualPolicy::APPEND;
    const pmoe::ClusterFluidResult r =
        pmoe::EvaluateCluster(mapped, pmoe::ScheduleClusterPlanes(mapped, params), fp);
    return {r.idealMakespanNs, std::max(r.nvlinkStageNs, r.idealNetworkNs)};
}

} // namespace

std::pair<uint64_t, uint64_t>
MoeLayerScenario::ScaledEcnThresholds(DataRate portRate)
{
    // 5 KB and 200 KB at 40 Gb/s: 1 us and 40 us of line time (bytes = bit/s x s / 8).
    const uint64_t bps = portRate.GetBitRate();
    return {bps / 8000000, bps / 200000};
}

std::pair<std::optional<uint64_t>, std::optional<uint64_t>>
MoeLayerScenario::EpsEcnThresholds() const
{
    if (transport != "rdma")
    {
        return {epsEcnKmin, epsEcnKmax};
    }
    const auto [kmin, kmax] = ScaledEcnThresholds(fabric == "ocs" ? epsRate : rate);
    return {epsEcnKmin.value_or(kmin), epsEcnKmax.value_or(kmax)};
}

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
    pmoe::MakeDecomposer(algorithm); // throws naming an unknown algorithm
    if (residualPolicy == pmoe::ResidualPolicy::RELAY)
    {
        throw pmoe::InputError("residual policy 'relay' is not supported at packet level "
                               "(use eps or append)");
    }
    if (!(planningEfficiency > 0 && planningEfficiency <= 1))
    {
        throw pmoe::InputError("planning efficiency must be in (0, 1], got " +
                               std::to_string(planningEfficiency));
    }
    if (transport != "tcp" && transport != "udp" && transport != "rdma")
    {
        throw pmoe::InputError("unknown transport '" + transport + "' (expected tcp, udp or rdma)");
    }
    if (rdmaCongestionControl != "dcqcn" && rdmaCongestionControl != "none")
    {
        throw pmoe::InputError("unknown RDMA congestion control '" + rdmaCongestionControl +
                               "' (expected dcqcn or none)");
    }
    if (rdmaMtu == 0)
    {
        throw pmoe::InputError("RDMA MTU must be >= 1 byte, got 0");
    }
    if (rdmaNvlinkMtu == 0)
    {
        throw pmoe::InputError("RDMA NVLink MTU must be >= 1 byte, got 0");
    }
    if (rdmaAckInterval == 0)
    {
        throw pmoe::InputError("RDMA ACK interval must be >= 1 packet, got 0");
    }
    if (rdmaRetransmitTimeout <= Time(0))
    {
        throw pmoe::InputError("RDMA retransmission timeout must be > 0, got " +
                               std::to_string(rdmaRetransmitTimeout.GetNanoSeconds()) + " ns");
    }
    const auto [kmin, kmax] = EpsEcnThresholds();
    if (kmin && kmax && *kmin > *kmax)
    {
        throw pmoe::InputError("EPS ECN Kmin (" + std::to_string(*kmin) +
                               " bytes) must not exceed Kmax (" + std::to_string(*kmax) +
                               " bytes)");
    }
    if (overlap != "none" && overlap != "per-matching" && overlap != "threshold" &&
        overlap != "streaming")
    {
        throw pmoe::InputError("unknown overlap policy '" + overlap +
                               "' (expected none, per-matching, threshold or streaming)");
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
    if (gpusPerServer != 1 || planes != 0 || ocsNics != 0 || nodeLimited)
    {
        ValidateCluster();
    }
}

pmoe::ClusterShape
MoeLayerScenario::Shape() const
{
    const uint32_t alpha = ocsNics ? ocsNics : gpusPerServer;
    return pmoe::ClusterShape::FromGpus(moe.numGpus,
                                        gpusPerServer,
                                        planes ? planes : std::min(alpha, gpusPerServer),
                                        ocsNics);
}

void
MoeLayerScenario::ValidateCluster() const
{
    Shape().Validate(forwarding);
    if (nvlinkRate.GetBitRate() == 0)
    {
        throw pmoe::InputError("NVLink rate must be > 0");
    }
    if (nvlinkDelay < Time(0))
    {
        throw pmoe::InputError("NVLink delay must be >= 0, got " +
                               std::to_string(nvlinkDelay.GetNanoSeconds()) + " ns");
    }
    if (nodeLimited)
    {
        if (!IsCluster())
        {
            throw pmoe::InputError("routing 'node-limited' needs gpusPerServer > 1, got " +
                                   std::to_string(gpusPerServer));
        }
        pmoe::CheckNodeLimited(moe, Shape(), maxServers);
    }
    if (IsCluster() && failPort >= 0)
    {
        throw pmoe::InputError("failPort needs gpusPerServer 1, got " +
                               std::to_string(gpusPerServer));
    }
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

void
MoeLayerScenario::ConfigureFabric(OcsHelper& ocs, bool ocsFabric) const
{
    ocs.SetDeviceAttribute("DataRate", DataRateValue(rate));
    ocs.SetDeviceAttribute("Guard", BooleanValue(guard));
    ocs.SetChannelAttribute("Delay", TimeValue(propagationDelay));
    ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(delta));
    ocs.SetChannelAttribute("CircuitModel", MakePmoeEnumValue(circuitModel));
    ocs.SetChannelAttribute("ReconfigurationMode", MakePmoeEnumValue(reconfigMode));
    if (ocsFabric)
    {
        ocs.SetDeviceAttribute("VoqCapacity",
                               UintegerValue(voqCapacity ? voqCapacity : kOcsQueueBytes));
        ocs.SetDeviceAttribute("VoqOverflowToEps", BooleanValue(voqOverflow == "eps"));
        ocs.SetChannelAttribute("ReconfigurationJitter", TimeValue(reconfigJitter));
        ocs.SetDeviceAttribute("EpsQueueCapacity", UintegerValue(kOcsQueueBytes));
        ocs.SetEpsAttribute("EgressQueueCapacity", UintegerValue(kOcsQueueBytes));
        ocs.EnableEps(epsRate, epsDelay, ocsEpsPolicy);
    }
    else
    {
        ocs.SetDeviceAttribute("EpsQueueCapacity", UintegerValue(kIdealQueueBytes));
        ocs.SetEpsAttribute("EgressQueueCapacity", UintegerValue(kIdealQueueBytes));
        ocs.EnableEps(rate, epsDelay, "all");
    }
    // Congestion control on the electrical fabric: ECN marking for DCQCN and a lossless
    // EPS for RDMA (both on by default with the RDMA transport over the OCS fabric's
    // electrical packet switch). The ideal fabric models a non-blocking fabric whose queues
    // never fill (kIdealQueueBytes): there is nothing to signal or pause, and PFC pauses would
    // block a whole host port behind its busiest destination (head-of-line blocking a
    // non-blocking fabric does not have), so both are off by default there.
    const bool rdmaSignals = transport == "rdma" && ocsFabric;
    ocs.SetEpsAttribute("EcnMarking", BooleanValue(epsEcn.value_or(rdmaSignals)));
    ocs.SetEpsAttribute("PfcEnabled", BooleanValue(epsPfc.value_or(rdmaSignals)));
    const auto [ecnKmin, ecnKmax] = EpsEcnThresholds();
    if (ecnKmin)
    {
        ocs.SetEpsAttribute("EcnKmin", UintegerValue(*ecnKmin));
    }
    if (ecnKmax)
    {
        ocs.SetEpsAttribute("EcnKmax", UintegerValue(*ecnKmax));
    }
    ocs.SetDeviceAttribute("EpsControlPriority", BooleanValue(epsControlPriority));
    ocs.SetEpsAttribute("ControlPriority", BooleanValue(epsControlPriority));
}

void
MoeLayerScenario::ConfigureNvlink(OcsHelper& nvlink) const
{
    // A non-blocking NVSwitch at the NVLink rate: every frame crosses the "EPS" (policy all),
    // queues large enough never to drop; no circuit is ever scheduled on its OCS.
    nvlink.SetDeviceAttribute("DataRate", DataRateValue(nvlinkRate));
    nvlink.SetDeviceAttribute("EpsQueueCapacity", UintegerValue(kIdealQueueBytes));
    nvlink.SetEpsAttribute("EgressQueueCapacity", UintegerValue(kIdealQueueBytes));
    nvlink.SetDeviceAttribute("EpsControlPriority", BooleanValue(epsControlPriority));
    nvlink.SetEpsAttribute("ControlPriority", BooleanValue(epsControlPriority));
    nvlink.EnableEps(nvlinkRate, nvlinkDelay, "all");
}

MoeTopology
MoeLayerScenario::BuildTopology(int64_t stream, int64_t& streamsUsed) const
{
    const bool ocsFabric = fabric == "ocs";
    if (!IsCluster())
    {
        MoeTopologyHelper helper;
        ConfigureFabric(helper.GetFabricHelper(), ocsFabric);
        const MoeTopology topology = helper.Install(moe.numGpus);
        streamsUsed = helper.AssignStreams(topology, stream);
        return topology;
    }
    MoeClusterTopologyHelper helper;
    ConfigureFabric(helper.GetFabricHelper(), true);
    ConfigureFabric(helper.GetElectricalHelper(), false);
    ConfigureNvlink(helper.GetNvlinkHelper());
    const MoeTopology topology = helper.Install(Shape(), forwarding, !ocsFabric);
    streamsUsed = helper.AssignStreams(topology, stream);
    return topology;
}

MoeLayerRunResult
MoeLayerScenario::Run() const
{
    Validate();
    const auto wallStart = std::chrono::steady_clock::now();
    const bool ocsFabric = fabric == "ocs";
    const uint32_t n = moe.numGpus;
    const auto stream = static_cast<int64_t>(workloadSeedStream);

    // The routing workload, seeded from an ns-3 stream (RngRun changes it).
    const std::shared_ptr<const MoeWorkloadData> workload =
        nodeLimited ? MoeWorkloadData::GenerateNodeLimited(moe, Shape(), maxServers, layers, stream)
                    : MoeWorkloadData::Generate(moe, layers, stream);

    MoeLayerRunResult result;
    try
    {
        // Topology: GPUs on the optical circuit switch with an electrical packet switch for
        // ACKs and residual, or on the ideal non-blocking electrical switch at the host rate;
        // or a cluster of multi-GPU servers.
        const bool rdma = transport == "rdma";
        int64_t fabricStreams = 0;
        const MoeTopology topology = BuildTopology(stream + 1, fabricStreams);
        if (ocsFabric)
        {
            if (failPort >= 0)
            {
                topology.ocs->FailPort(static_cast<uint32_t>(failPort), failStart, failDuration);
            }
        }

        // Expert compute on every GPU.
        GpuComputeModelHelper compute;
        compute.SetAttribute("Preset", StringValue(computePreset));
        compute.SetAttribute("HiddenSize", UintegerValue(moe.hiddenSize));
        compute.SetAttribute("FfnSize", UintegerValue(ffnSize));
        compute.SetAttribute("FixedCost", TimeValue(fixedCost));
        compute.SetAttribute("LaunchMode", MakePmoeEnumValue(launchMode));
        compute.SetAttribute("Streams", UintegerValue(streams));
        compute.Install(topology.gpus);

        // The GPU applications, their transport and batch policy.
        MoeGpuApplicationHelper gpuHelper;
        gpuHelper.SetAttribute("NonMoeTime", TimeValue(nonMoeTime));
        if (transport == "udp")
        {
            // In a cluster a GPU's first hop may be its NVLink port: pace at the faster port
            // and let the NIC's queues hold what its rail cannot take yet.
            gpuHelper.SetTransport("ns3::MoeUdpTransport",
                                   "Rate",
                                   DataRateValue(IsCluster() ? std::max(rate, nvlinkRate) : rate));
        }
        else if (rdma)
        {
            RdmaNicHelper nics;
            nics.SetNicAttribute("Mtu", UintegerValue(rdmaMtu));
            nics.SetNicAttribute("AckInterval", UintegerValue(rdmaAckInterval));
            nics.SetNicAttribute("RetransmitTimeout", TimeValue(rdmaRetransmitTimeout));
            nics.SetNicAttribute("CongestionControl", StringValue(rdmaCongestionControl));
            if (IsCluster())
            {
                // Two NICs per GPU: on its rail NIC and on its NVLink port (the GPUs relay).
                nics.InstallOnDevices(topology.devices);
                nics.SetNicAttribute("Mtu", UintegerValue(rdmaNvlinkMtu));
                nics.InstallOnDevices(topology.nvlinkDevices);
                gpuHelper.SetTransport("ns3::MoeRdmaTransport",
                                       "SharedQp",
                                       BooleanValue(rdmaSharedQp),
                                       "GpusPerServer",
                                       UintegerValue(gpusPerServer),
                                       "Forwarding",
                                       MakePmoeEnumValue(forwarding));
            }
            else
            {
                nics.Install(topology.gpus);
                gpuHelper.SetTransport("ns3::MoeRdmaTransport",
                                       "SharedQp",
                                       BooleanValue(rdmaSharedQp));
            }
        }
        else
        {
            gpuHelper.SetTransport(tcpSharedConnection ? "ns3::MoeSharedTcpTransport"
                                                       : "ns3::MoeTcpTransport",
                                   "SegmentSize",
                                   UintegerValue(tcpSegmentSize),
                                   "BufferSize",
                                   UintegerValue(tcpBufferBytes),
                                   "InitialCwnd",
                                   UintegerValue(tcpInitialCwnd),
                                   "DelAckCount",
                                   UintegerValue(tcpDelAckCount),
                                   "DelAckTimeout",
                                   TimeValue(tcpDelAckTimeout),
                                   "MinRto",
                                   TimeValue(tcpMinRto),
                                   "CongestionControl",
                                   TypeIdValue(TypeId::LookupByName(tcpVariant)));
        }
        if (overlap == "threshold")
        {
            gpuHelper.SetBatchPolicy(MoeBatchPolicyTypeName(overlap),
                                     "Copies",
                                     UintegerValue(thresholdCopies),
                                     "Timeout",
                                     TimeValue(thresholdTimeout));
        }
        else
        {
            gpuHelper.SetBatchPolicy(MoeBatchPolicyTypeName(overlap));
        }
        const ApplicationContainer apps =
            gpuHelper.Install(topology.gpus, workload, topology.endpoints);

        MoeStatsCollector stats;
        stats.SetRecordTimeline(recordTimeline);
        stats.SetSampleMemory(sampleRss);
        stats.Install(apps);

        // The circuit scheduler on a controller node (OCS fabric).
        if (ocsFabric)
        {
            CircuitSchedulerHelper schedulerHelper;
            schedulerHelper.SetAttribute("Algorithm", StringValue(algorithm));
            schedulerHelper.SetAttribute("MaxMatchings", UintegerValue(maxMatchings));
            schedulerHelper.SetAttribute("DurationPolicy", MakePmoeEnumValue(durationPolicy));
            schedulerHelper.SetAttribute("ResidualPolicy", MakePmoeEnumValue(residualPolicy));
            schedulerHelper.SetAttribute("ComputeAware", BooleanValue(computeAware));
            schedulerHelper.SetAttribute("AutoComputeModel", BooleanValue(autoComputeModel));
            schedulerHelper.SetAttribute("ControlLatency", TimeValue(controlLatency));
            schedulerHelper.SetAttribute("CommitLatency", TimeValue(commitLatency));
            schedulerHelper.SetAttribute("ComputeTimeMode", MakePmoeEnumValue(schedulerTimeMode));
            schedulerHelper.SetAttribute("ComputeTime", TimeValue(schedulerTime));
            schedulerHelper.SetAttribute("PlanningEfficiency", DoubleValue(planningEfficiency));
            schedulerHelper.SetAttribute("CircuitRate", DataRateValue(rate));
            schedulerHelper.SetAttribute("EpsRate", DataRateValue(epsRate));
            schedulerHelper.SetAttribute("ControlLossProbability",
                                         DoubleValue(controlLossProbability));
            schedulerHelper.SetAttribute("ControlLateProbability",
                                         DoubleValue(controlLateProbability));
            schedulerHelper.SetAttribute("ControlExtraDelay", TimeValue(controlExtraDelay));
            schedulerHelper.SetAttribute("ControlTimeout", TimeValue(controlTimeout));
            schedulerHelper.SetAttribute("ControlMaxRetries", UintegerValue(controlMaxRetries));
            const Ptr<OpticalCircuitSwitch> sw = IsCluster() ? topology.planes.at(0) : topology.ocs;
            const ApplicationContainer scheduler =
                schedulerHelper.Install(CreateObject<Node>(), sw, apps);
            schedulerHelper.AssignStreams(scheduler, stream + 1 + fabricStreams);
            const auto app = DynamicCast<CircuitSchedulerApplication>(scheduler.Get(0));
            if (IsCluster())
            {
                pmoe::ClusterFluidParams fluid;
                fluid.nvlinkRateBps = static_cast<pmoe::Bps>(nvlinkRate.GetBitRate());
                // GPU to GPU: two links of nvlinkDelay.
                fluid.nvlinkLatencyNs = 2 * nvlinkDelay.GetNanoSeconds();
                app->SetCluster(Shape(), forwarding, topology.planes, fluid);
            }
            stats.Install(app, sw);
            if (IsCluster())
            {
                std::vector<uint32_t> rails;
                for (uint32_t p = 0; p < topology.planes.size(); ++p)
                {
                    rails.push_back(static_cast<uint32_t>(Shape().RailsOfPlane(p).size()));
                }
                stats.SetPlanes(topology.planes, rails);
            }
        }
        stats.SetFabric(topology.devices, topology.ocs, topology.eps);
        if (IsCluster())
        {
            std::vector<Ptr<ElectricalPacketSwitch>> switches = topology.railEps;
            switches.insert(switches.end(), topology.nvswitches.begin(), topology.nvswitches.end());
            stats.SetClusterFabric(topology.nvlinkDevices, switches, gpusPerServer);
        }

        DoneCounter counter;
        counter.lastLayer = layers - 1;
        counter.gpus = n;
        for (uint32_t g = 0; g < apps.GetN(); ++g)
        {
            apps.Get(g)->TraceConnectWithoutContext(
                "LayerDone",
                MakeCallback(&DoneCounter::OnLayerDone, &counter));
        }
        std::unique_ptr<LayerProgress> progress;
        if (showProgress)
        {
            progress = std::make_unique<LayerProgress>(std::cerr);
        }
        Simulator::Stop(stopTime);
        Simulator::Run();
        const uint64_t progressEvents = progress ? progress->GetEvents() : 0;
        progress.reset();
        result = stats.Collect();
        // Layer-time lower bound (pmoe::LayerTimeLowerBound) for this fabric's host capacity:
        // the host rate on the ideal fabric, plus the electrical port on the OCS fabric.
        {
            const Ptr<GpuComputeModel> gpu0 = topology.gpus.Get(0)->GetObject<GpuComputeModel>();
            const pmoe::ComputeModel model(gpu0->GetParams());
            pmoe::LayerBoundParams bp;
            bp.hostRateBps = static_cast<pmoe::Bps>(rate.GetBitRate()) +
                             (ocsFabric ? static_cast<pmoe::Bps>(epsRate.GetBitRate()) : 0);
            bp.launchMode = gpu0->GetLaunchMode();
            bp.streams = gpu0->GetStreams();
            result.total.layerTimeLowerBoundNs = 0;
            for (std::size_t l = 0; l < result.layers.size() && l < workload->layers.size(); ++l)
            {
                const pmoe::LayerBound b = pmoe::LayerTimeLowerBound(workload->layers[l],
                                                                     workload->localExperts,
                                                                     model,
                                                                     bp);
                result.layers[l].layerTimeLowerBoundNs = b.lowerBoundNs;
                result.total.layerTimeLowerBoundNs += b.lowerBoundNs;
            }
        }
        if (IsCluster() && !ocsFabric)
        {
            pmoe::ClusterFluidParams fp;
            fp.nicRateBps = static_cast<pmoe::Bps>(rate.GetBitRate());
            fp.nvlinkRateBps = static_cast<pmoe::Bps>(nvlinkRate.GetBitRate());
            fp.nvlinkLatencyNs = 2 * nvlinkDelay.GetNanoSeconds();
            for (std::size_t l = 0; l < result.layers.size() && l < workload->layers.size(); ++l)
            {
                MoeLayerMeasurement& m = result.layers[l];
                const auto& w = workload->layers[l];
                std::tie(m.dispatchClusterFluidNs, m.dispatchClusterOverlappedNs) =
                    IdealClusterFluid(w.dispatch, Shape(), forwarding, fp);
                std::tie(m.combineClusterFluidNs, m.combineClusterOverlappedNs) =
                    IdealClusterFluid(w.combine, Shape(), forwarding, fp);
                m.dispatchClusterLastByteNs = m.dispatchClusterOverlappedNs;
                m.combineClusterLastByteNs = m.combineClusterOverlappedNs;
            }
        }
        result.simulatedNs = Simulator::Now().GetNanoSeconds();
        result.events = Simulator::GetEventCount() - progressEvents;
    }
    catch (...)
    {
        Simulator::Destroy();
        throw;
    }
    Simulator::Destroy();
    result.fabric = fabric;
    result.algorithm = ocsFabric ? algorithm : "ideal";
    result.transport = transport;
    if (IsCluster())
    {
        result.gpusPerServer = gpusPerServer;
        result.ocsNics = Shape().ocsNics;
        result.forwarding = pmoe::ToString(forwarding);
        result.maxServers = nodeLimited ? maxServers : 0;
    }
    result.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    return result;
}

} // namespace ns3
