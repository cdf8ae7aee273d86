/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_LAYER_SCENARIO_H
#define MOE_LAYER_SCENARIO_H

#include "ns3/circuit-scheduler-application.h"
#include "ns3/data-rate.h"
#include "ns3/moe-stats-collector.h"
#include "ns3/moe-topology-helper.h"
#include "ns3/nstime.h"
#include "ns3/pmoe-cluster.h"
#include "ns3/pmoe-compute-model.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-schedule-timeline.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * Every parameter of the standard packet-level MoE layer experiment. Defaults:
 * the example's default scenario (16 GPUs, 64 experts, top-4, 1024 tokens per GPU,
 * DeepSeek-V3 hidden size, 400 Gb/s, delta = 10 us, greedy on the OCS).
 */
struct MoeLayerScenario
{
    pmoe::MoeConfig moe;      //!< routing workload (GPUs, experts, routing, sizes)
    uint32_t layers{1};       //!< MoE layers in sequence
    Time nonMoeTime{Time(0)}; //!< compute between layers

    // GPU compute
    std::string computePreset;        //!< expert shape preset ("" = DeepSeek-V3 FFN 2048)
    uint64_t ffnSize{0};              //!< expert FFN size override (0 = preset)
    Time fixedCost{MicroSeconds(10)}; //!< t_fix per launch
    pmoe::LaunchMode launchMode{pmoe::LaunchMode::GROUPED}; //!< grouped | per-expert
    uint32_t streams{1};                                    //!< batches at a time per GPU

    // Fabric
    std::string fabric{"ocs"};               //!< ocs | ideal
    DataRate rate{"400Gbps"};                //!< per-host rate (circuits; ideal fabric ports)
    Time propagationDelay{NanoSeconds(100)}; //!< host-switch-host propagation (OCS)
    Time delta{MicroSeconds(10)};            //!< reconfiguration delay
    pmoe::CircuitModel circuitModel{pmoe::CircuitModel::UNIDIRECTIONAL}; //!< circuit model
    pmoe::ReconfigMode reconfigMode{pmoe::ReconfigMode::ALL_STOP};       //!< reconfiguration mode
    DataRate epsRate{"100Gbps"};    //!< electrical fabric per port (OCS fabric: residual, ACKs)
    Time epsDelay{NanoSeconds(50)}; //!< electrical fabric link delay
    /// OcsNetDevice EpsPolicy on the OCS fabric ("no-future-circuit": ACKs, residual and frames
    /// whose destination has no circuit now or later; "no-circuit": the older per-packet rule)
    std::string ocsEpsPolicy{"no-future-circuit"};
    /// strict priority for control packets (ACKs) on the EPS, host queue and switch (both fabrics)
    bool epsControlPriority{true};
    bool guard{true}; //!< device guard

    // Cluster shape (doc/cluster.rst): servers of gpusPerServer GPUs joined by an NVSwitch, one
    // NIC per GPU, NIC j of every server on rail j; gpusPerServer = 1 is the single-switch model
    uint32_t gpusPerServer{1}; //!< G GPUs (and NICs) per server
    uint32_t planes{0};        //!< P OCS planes (0: one per OCS NIC, ocsNics)
    uint32_t ocsNics{0};       //!< alpha: NICs per server on OCS planes (0: all G)
    /// how bytes between servers cross NVLink and the rails (G > 1)
    pmoe::ForwardingRule forwarding{pmoe::ForwardingRule::RAIL_ALIGNED};
    DataRate nvlinkRate{"3600Gbps"};    //!< NVLink per GPU and direction (H100: 450 GB/s)
    Time nvlinkDelay{NanoSeconds(250)}; //!< GPU-NVSwitch link delay (GPU to GPU: twice)
    /// node-limited routing instead of moe.routing (G > 1; doc/cluster.rst): every token
    /// picks at most maxServers servers, then its experts among theirs (pmoe::NodeLimitedLayer,
    /// DeepSeek-V3's group-limited gating at server granularity)
    bool nodeLimited{false};
    uint32_t maxServers{4}; //!< M of node-limited routing (DeepSeek-V3: 4)

    // Scheduler
    std::string algorithm{"greedy"}; //!< decomposition algorithm
    uint32_t maxMatchings{0};        //!< K (0 = unbounded)
    pmoe::DurationPolicy durationPolicy{pmoe::DurationPolicy::WHOLE_PAIR}; //!< greedy durations
    pmoe::ResidualPolicy residualPolicy{pmoe::ResidualPolicy::EPS};        //!< eps | append
    bool computeAware{false};             //!< compute-aware ordering
    bool autoComputeModel{true};          //!< "auto" is given the compute model
    Time controlLatency{MicroSeconds(5)}; //!< control path latency
    Time commitLatency{MicroSeconds(10)}; //!< switch programming latency
    SchedulerTimeMode schedulerTimeMode{SchedulerTimeMode::CONSTANT}; //!< constant | measured
    Time schedulerTime{MicroSeconds(10)}; //!< constant scheduler computation time
    double planningEfficiency{0.97};      //!< fraction of the rate used for durations

    // Host application and transport
    std::string transport{"rdma"};             //!< rdma | tcp | udp (doc/rdma.rst)
    std::string overlap{"none"};               //!< none | per-matching | threshold | streaming
    uint64_t thresholdCopies{256};             //!< threshold policy batch size (token copies)
    Time thresholdTimeout{MicroSeconds(50)};   //!< threshold policy timeout
    std::string tcpVariant{"ns3::TcpNewReno"}; //!< TCP congestion control TypeId
    uint32_t tcpSegmentSize{8948};             //!< MSS: 9000 - 20 IP - 20 TCP - 12 timestamp option
    uint32_t tcpBufferBytes{512 << 10};        //!< send and receive buffers (512 KiB)
    uint32_t tcpInitialCwnd{16};               //!< initial window in segments (~ one BDP)
    Time tcpMinRto{MicroSeconds(500)};         //!< minimum retransmission timeout
    uint32_t tcpDelAckCount{2};                //!< segments per delayed ACK
    Time tcpDelAckTimeout{MicroSeconds(10)};   //!< delayed ACK timeout
    bool tcpSharedConnection{false};           //!< one connection per pair for both kinds
    bool rdmaSharedQp{false};                  //!< RDMA: one queue pair per pair for both kinds
    uint32_t rdmaMtu{4096};                    //!< RDMA: payload bytes per packet
    /// RDMA in a cluster: payload bytes per packet on the NVLink ports (NVLink is not RoCE:
    /// packets of the device's MTU, as UDP sends there; see doc/rdma.rst)
    uint32_t rdmaNvlinkMtu{8192};
    uint32_t rdmaAckInterval{16}; //!< RDMA: data packets per ACK (see doc/rdma.rst)
    /// RDMA: retransmission timeout of the NICs; default 4.096 us x 2^18 (1.07 s), NCCL's
    /// default local ACK timeout exponent (NCCL_IB_TIMEOUT 18; see doc/rdma.rst)
    Time rdmaRetransmitTimeout{NanoSeconds(4096LL << 18)};
    std::string rdmaCongestionControl{"dcqcn"}; //!< RDMA: dcqcn | none (over the EPS)
    /// ECN marking (RED-like) at the electrical packet switch's egress; unset: on with the
    /// RDMA transport on the OCS fabric (DCQCN needs it), off otherwise (the ideal fabric's
    /// queues never fill)
    std::optional<bool> epsEcn;
    /// PFC on the electrical packet switch (lossless); unset: on with RDMA on the OCS fabric,
    /// off otherwise (the ideal fabric never drops, and pauses would add head-of-line blocking)
    std::optional<bool> epsPfc;
    /// ECN Kmin (bytes) of the electrical packet switch's egress ports; unset: with RDMA the
    /// rate-scaled value of ScaledEcnThresholds() for the EPS port rate, otherwise the
    /// switch's attribute default
    std::optional<uint64_t> epsEcnKmin;
    /// ECN Kmax (bytes); unset: as epsEcnKmin
    std::optional<uint64_t> epsEcnKmax;

    // Fault injection (OCS fabric; see doc/ocs.rst and doc/moe-layer.rst, "Faults")
    int32_t failPort{-1};                     //!< port that fails for an interval (-1: none)
    Time failStart{MicroSeconds(150)};        //!< absolute start of the port failure
    Time failDuration{MicroSeconds(100)};     //!< length of the port failure
    Time reconfigJitter{Time(0)};             //!< max extra reconfiguration time (0: off)
    double controlLossProbability{0};         //!< loss probability of a control transmission
    double controlLateProbability{0};         //!< probability a control transmission is late
    Time controlExtraDelay{MicroSeconds(50)}; //!< extra delay of a late control message
    Time controlTimeout{MicroSeconds(20)};    //!< control retransmission timeout
    uint32_t controlMaxRetries{3};            //!< retries before the fallback
    uint64_t voqCapacity{0};                  //!< VOQ bytes per destination (0: 64 MiB)
    std::string voqOverflow{"drop"};          //!< full VOQ: drop (TCP retransmits) | eps

    // Run control
    /// ns-3 stream that seeds the routing; the fabric's draws (the switch's jitter, and the
    /// EPS's ECN marking when on) use the streams after it, the control faults the next one
    uint64_t workloadSeedStream{1};
    Time stopTime{Seconds(1)};  //!< safety limit of simulated time
    bool showProgress{false};   //!< progress lines on stderr (the event count leaves them out)
    bool sampleRss{false};      //!< record the process RSS when each layer completes (soak runs)
    bool recordTimeline{false}; //!< fill MoeLayerRunResult::timeline

    /**
     * DCQCN's ECN thresholds for a switch port: the DCQCN paper's Kmin = 5 KB and
     * Kmax = 200 KB for 40 Gb/s ports (1 us and 40 us of the port's line time), scaled
     * linearly with the port rate, as HPCC's ns-3 simulator scales its thresholds with the
     * link rate (doc/rdma.rst). 400 Gb/s: 50,000 and 2,000,000 bytes.
     * @param portRate the port rate
     * @return (Kmin, Kmax) in bytes
     */
    static std::pair<uint64_t, uint64_t> ScaledEcnThresholds(DataRate portRate);

    /**
     * The ECN thresholds the layer sets on its electrical packet switch: the explicit
     * epsEcnKmin and epsEcnKmax, the rest from ScaledEcnThresholds() of the EPS port rate
     * (the host rate on the ideal fabric, epsRate beside the OCS) with RDMA; without RDMA only
     * the explicit ones (nullopt: keep the switch's value).
     * @return (Kmin, Kmax)
     */
    std::pair<std::optional<uint64_t>, std::optional<uint64_t>> EpsEcnThresholds() const;

    /** @return true for a cluster of multi-GPU servers (gpusPerServer > 1) */
    bool IsCluster() const
    {
        return gpusPerServer > 1;
    }

    /**
     * The cluster shape of the fields (planes 0: ocsNics, or G; ocsNics 0: G).
     * @return the validated shape
     * @throws pmoe::InputError naming the offending value
     */
    pmoe::ClusterShape Shape() const;

    /**
     * Check every field.
     * @throws pmoe::InputError naming the offending field and value
     */
    void Validate() const;

    /**
     * Check the fault-injection fields (called by Validate()).
     * @throws pmoe::InputError naming the offending field and value
     */
    void ValidateFaults() const;

    /**
     * Check the cluster fields (called by Validate() when any is set): the shape and the
     * forwarding rule (pmoe::ClusterShape), the NVLink rate and delay, and what the cluster
     * does not support (RDMA, port failures), and node-limited routing (which needs G > 1).
     * @throws pmoe::InputError naming the offending field and value
     */
    void ValidateCluster() const;

    /**
     * Build the experiment from the module's helpers (MoeWorkloadData, MoeTopologyHelper,
     * GpuComputeModelHelper, MoeGpuApplicationHelper, CircuitSchedulerHelper on the OCS
     * fabric), simulate it until every GPU has finished the last layer (or stopTime), collect
     * the results with a MoeStatsCollector, and destroy the simulator.
     * @return the measurements (check @c conserved)
     * @throws pmoe::InputError on invalid parameters
     */
    MoeLayerRunResult Run() const;

  private:
    /**
     * Configure the devices and switches of a fabric: the OCS with its electrical switch
     * for ACKs and residual, or the ideal non-blocking electrical switch at the host rate.
     * @param ocs the helper
     * @param ocsFabric true: the OCS; false: the ideal electrical fabric
     */
    void ConfigureFabric(OcsHelper& ocs, bool ocsFabric) const;
    /**
     * Configure the NVLink ports and NVSwitches of a cluster.
     * @param nvlink the helper
     */
    void ConfigureNvlink(OcsHelper& nvlink) const;
    /**
     * Build the topology (single switch, or a cluster of multi-GPU servers) and assign its
     * random streams.
     * @param stream first stream of the fabric
     * @param streamsUsed receives the number of streams used
     * @return what was built
     */
    MoeTopology BuildTopology(int64_t stream, int64_t& streamsUsed) const;
};

} // namespace ns3

#endif /* MOE_LAYER_SCENARIO_H */
