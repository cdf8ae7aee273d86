/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_LAYER_HELPER_H
#define MOE_LAYER_HELPER_H

#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/pmoe-moe-workload.h"

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * Every parameter of a packet-level MoE layer scenario (see doc/moe-layer.md). Defaults:
 * the example's default scenario (16 GPUs, 64 experts, top-4, 1024 tokens per GPU,
 * DeepSeek-V3 hidden size, 400 Gb/s, delta = 10 us, greedy on the OCS).
 */
struct MoeLayerScenario
{
    pmoe::MoeConfig moe;      //!< routing workload (GPUs, experts, routing, sizes)
    uint32_t layers{1};       //!< MoE layers in sequence
    Time nonMoeTime{Time(0)}; //!< compute between layers

    // GPU compute
    std::string computePreset;         //!< expert shape preset ("" = DeepSeek-V3 FFN 2048)
    uint64_t ffnSize{0};               //!< expert FFN size override (0 = preset)
    Time fixedCost{MicroSeconds(10)};  //!< t_fix per launch
    std::string launchMode{"grouped"}; //!< grouped | per-expert
    uint32_t streams{1};               //!< batches at a time per GPU

    // Fabric
    std::string fabric{"ocs"};                  //!< ocs | ideal
    DataRate rate{"400Gbps"};                   //!< per-host rate (circuits; ideal fabric ports)
    Time propagationDelay{NanoSeconds(100)};    //!< host-switch-host propagation (OCS)
    Time delta{MicroSeconds(10)};               //!< reconfiguration delay
    std::string circuitModel{"unidirectional"}; //!< unidirectional | duplex
    std::string reconfigMode{"all-stop"};       //!< all-stop | changed-only
    DataRate epsRate{"100Gbps"};    //!< electrical fabric per port (OCS fabric: residual, ACKs)
    Time epsDelay{NanoSeconds(50)}; //!< electrical fabric link delay
    /// OcsNetDevice EpsPolicy on the OCS fabric ("no-future-circuit": ACKs, residual and frames
    /// whose destination has no circuit now or later; "no-circuit": the older per-packet rule)
    std::string ocsEpsPolicy{"no-future-circuit"};
    /// strict priority for control packets (ACKs) on the EPS, host queue and switch (both fabrics)
    bool epsControlPriority{true};
    bool guard{true}; //!< device guard

    // Scheduler
    std::string algorithm{"greedy"};           //!< decomposition algorithm
    uint32_t maxMatchings{0};                  //!< K (0 = unbounded)
    std::string durationPolicy{"whole-pair"};  //!< greedy duration policy
    std::string residualPolicy{"eps"};         //!< eps | append
    bool computeAware{false};                  //!< compute-aware ordering
    Time controlLatency{MicroSeconds(5)};      //!< control path latency
    Time commitLatency{MicroSeconds(10)};      //!< switch programming latency
    std::string schedulerTimeMode{"constant"}; //!< constant | measured
    Time schedulerTime{MicroSeconds(10)};      //!< constant scheduler computation time
    double planningEfficiency{0.97};           //!< fraction of the rate used for durations

    // Host application and transport
    std::string transport{"tcp"};              //!< tcp | udp
    std::string overlap{"none"};               //!< none | per-matching | threshold
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

    // Run control
    uint64_t workloadSeedStream{1}; //!< ns-3 stream that seeds the routing
    Time stopTime{Seconds(1)};      //!< safety limit of simulated time
    bool showProgress{false};       //!< ShowProgress on stderr

    /**
     * Check every field.
     * @throws pmoe::InputError naming the offending field and value
     */
    void Validate() const;
};

/**
 * @ingroup photonic-moe
 * Measurements of one layer of a run (sums over GPUs unless said otherwise).
 */
struct MoeLayerMeasurement
{
    uint32_t layer{0};                  //!< layer index
    int64_t layerTimeNs{0};             //!< first dispatch byte sent -> last combine byte received
    int64_t layerSpanNs{0};             //!< first host starts the layer -> last host done
    uint64_t dispatchBytesExpected{0};  //!< dispatch demand (off-diagonal)
    uint64_t dispatchBytesSent{0};      //!< handed to sockets
    uint64_t dispatchBytesDelivered{0}; //!< received by applications
    uint64_t combineBytesExpected{0};   //!< combine demand
    uint64_t combineBytesSent{0};       //!< handed to sockets
    uint64_t combineBytesDelivered{0};  //!< received by applications
    uint32_t numMatchings{0};           //!< configurations (dispatch + combine schedules)
    uint32_t dispatchMatchings{0};      //!< configurations of the dispatch schedule
    double dispatchBubbleFraction{0};   //!< bubble fraction of the dispatch schedule alone
    uint32_t reconfigurations{0};       //!< reconfigurations (fluid count, both schedules)
    int64_t reconfigTimeNs{0};          //!< time spent reconfiguring (both schedules)
    double bubbleFraction{0};           //!< lit circuit time with nothing planned (fluid)
    uint64_t residualBytes{0};          //!< demand left to the electrical fabric
    int64_t schedulerTimeNs{0};         //!< scheduler computation time
    int64_t schedulerWallNs{0};         //!< measured scheduler wall time (any mode)
    int64_t loadBoundNs{0};             //!< rho / r of the dispatch demand
    int64_t computeBusyNs{0};           //!< busy time of every GPU
    int64_t idealComputeNs{0};          //!< ideal compute time of every GPU
    int64_t maxGpuBusyNs{0};            //!< busiest GPU
    double computeEfficiency{0};        //!< idealComputeNs / computeBusyNs
    uint64_t batches{0};                //!< batches
    double meanBatchTokens{0};          //!< mean tokens per batch
    uint64_t maxBatchTokens{0};         //!< largest batch
};

/**
 * @ingroup photonic-moe
 * Measurements of one GPU in one layer.
 */
struct MoeGpuMeasurement
{
    uint32_t layer{0};                 //!< layer
    uint32_t gpu{0};                   //!< GPU
    int64_t startNs{0};                //!< host started the layer
    int64_t doneNs{0};                 //!< layer complete at the host (-1: never)
    int64_t dispatchDoneNs{0};         //!< last dispatch byte received
    int64_t computeDoneNs{0};          //!< last batch of the layer computed
    uint64_t dispatchBytesSent{0};     //!< sent
    uint64_t dispatchBytesReceived{0}; //!< received
    uint64_t combineBytesSent{0};      //!< sent
    uint64_t combineBytesReceived{0};  //!< received
    int64_t computeBusyNs{0};          //!< busy time
    int64_t idealComputeNs{0};         //!< ideal time
    uint64_t batches{0};               //!< batches
    uint64_t tokens{0};                //!< expert tokens computed
};

/**
 * @ingroup photonic-moe
 * Result of one run.
 */
struct MoeLayerRunResult
{
    std::string fabric;                            //!< ocs | ideal
    std::string algorithm;                         //!< algorithm ("ideal" for the ideal fabric)
    std::vector<MoeLayerMeasurement> layers;       //!< per layer
    std::vector<MoeGpuMeasurement> gpus;           //!< per layer and GPU
    MoeLayerMeasurement total;                     //!< sums over layers (times: sums)
    bool conserved{false};                         //!< every byte sent was delivered
    std::vector<std::string> conservationErrors;   //!< first violations
    uint64_t deviceDrops{0};                       //!< packets dropped by the devices
    uint64_t strandedPackets{0};                   //!< packets left in VOQs at the end (no later
                                                   //!< circuit; TCP retransmitted them)
    uint64_t voqToEpsPackets{0};                   //!< frames moved from VOQs to the EPS
    std::map<std::string, uint64_t> dropsByReason; //!< device and EPS-switch drops by reason
    uint64_t tcpTimeouts{0};                       //!< TCP retransmission timeouts (all senders)
    uint64_t tcpFastRecoveries{0};                 //!< TCP fast recoveries (all senders)
    uint64_t switchReconfigurations{0};            //!< reconfigurations counted by the switch
    int64_t simulatedNs{0};                        //!< simulated time at the end
    double wallSeconds{0};                         //!< wall-clock time of the run
    uint64_t events{0};                            //!< simulator events executed
};

/**
 * @ingroup photonic-moe
 * Builds and runs a whole packet-level MoE scenario: GPU host nodes with a GpuComputeModel
 * each, the fabric (an OpticalCircuitSwitch with an electrical fabric for residual and ACKs,
 * or the ideal non-blocking electrical switch at the host rate), the internet stack with
 * static neighbour caches, one MoeGpuApplication per host and, on the OCS fabric, a
 * CircuitSchedulerApplication on a controller node. Run() simulates and collects.
 */
class MoeLayerHelper
{
  public:
    /**
     * Build, simulate and measure a scenario; destroys the simulator afterwards.
     * @param scenario the scenario
     * @return the measurements (check @c conserved)
     * @throws pmoe::InputError on invalid parameters
     */
    static MoeLayerRunResult Run(const MoeLayerScenario& scenario);

    /**
     * Write per-layer CSV rows (header first) for several runs.
     * @param os stream
     * @param runs the runs
     */
    static void WriteLayerCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs);

    /**
     * Write per-GPU CSV rows (header first) for several runs.
     * @param os stream
     * @param runs the runs
     */
    static void WriteGpuCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs);

    /**
     * Write a JSON array with one object per run.
     * @param os stream
     * @param runs the runs
     */
    static void WriteJson(std::ostream& os, const std::vector<MoeLayerRunResult>& runs);
};

} // namespace ns3

#endif /* MOE_LAYER_HELPER_H */
