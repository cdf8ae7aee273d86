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

    // Fault injection (OCS fabric; see doc/reliability.md, "Faults")
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
    uint64_t workloadSeedStream{1}; //!< ns-3 stream that seeds the routing; the switch's
                                    //!< jitter uses stream + 1, control faults stream + 2
    Time stopTime{Seconds(1)};      //!< safety limit of simulated time
    bool showProgress{false};       //!< ShowProgress on stderr
    bool sampleRss{false};      //!< record the process RSS when each layer completes (soak runs)
    bool recordTimeline{false}; //!< fill MoeLayerRunResult::timeline (implies keepSchedules)
    /// keep every layer's schedules to the end of the run: the per-layer fluid comparison
    /// (MoeLayerMeasurement::dispatchFluidNs etc.) needs them; otherwise a layer's schedules
    /// are released once the next layer is scheduled and those fields are -1 for all but the
    /// last layer (memory stays flat over many layers)
    bool keepSchedules{false};

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
    /// packet level, dispatch only: OCS, dispatch schedule start -> last dispatch byte received;
    /// ideal fabric, first dispatch byte sent -> last dispatch byte received (validation)
    int64_t dispatchCommNs{0};
    /// fluid makespan of the dispatch schedule that ran, evaluated at the full circuit rate
    /// (max(circuit makespan, EPS time)); ideal fabric: rho / r; -1 if the schedules were
    /// released during the run (multi-layer runs without MoeLayerScenario::keepSchedules), as
    /// for the three fields below
    int64_t dispatchFluidNs{0};
    /// fluid time of the last dispatch byte: configuration lit start + bytes planned in it (at
    /// the planning rate, what the hosts release) / full rate r, over every pair, or the EPS
    /// time of the residual (OCS only)
    int64_t dispatchFluidLastByteNs{0};
    int64_t combineCommNs{0};          //!< as dispatchCommNs for the combine schedule (OCS only)
    int64_t combineFluidNs{0};         //!< as dispatchFluidNs for the combine schedule (OCS only)
    int64_t combineFluidLastByteNs{0}; //!< as dispatchFluidLastByteNs for combine (OCS only)
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
 * Injected faults and their handling in one run (all zero without fault injection).
 */
struct MoeFaultCounters
{
    uint64_t portFailures{0};         //!< port failure intervals started
    uint64_t failureDarkenings{0};    //!< lit circuits darkened by a port failure
    uint64_t failoverToEpsPackets{0}; //!< packets sent or moved to the EPS: port failed
    uint64_t lateReconfigurations{0}; //!< reconfigurations longer than delta (jitter)
    int64_t reconfigExtraDarkNs{0};   //!< extra dark time beyond delta (jitter)
    uint64_t controlMessages{0};      //!< control messages (first transmissions)
    uint64_t controlLost{0};          //!< control transmissions lost
    uint64_t controlLate{0};          //!< control transmissions delayed
    uint64_t controlRetries{0};       //!< control retransmissions
    uint64_t controlFallbacks{0};     //!< control messages that needed the fallback
    uint64_t controlDuplicates{0};    //!< duplicate control deliveries ignored
    uint64_t commitFallbacks{0};      //!< schedules never committed (traffic used the EPS)
    uint64_t voqOverflowDrops{0};     //!< packets dropped "voq-full" (TCP retransmits)
    uint64_t voqOverflowToEps{0};     //!< packets sent to the EPS because their VOQ was full
    uint64_t framesTornDown{0};       //!< frames lost on a circuit that went dark mid-frame
};

/**
 * @ingroup photonic-moe
 * One interval of a run's timeline (MoeLayerScenario::recordTimeline): a lit circuit of a
 * schedule (all-stop view: [T_k + delta, T_k + delta + d_k), as the plan the hosts get) or an
 * expert batch computed by a GPU.
 */
struct MoeTimelineInterval
{
    std::string kind;   //!< "dispatch-circuit", "combine-circuit" or "compute"
    uint32_t layer{0};  //!< layer (compute: the layer the GPU had started last)
    uint32_t node{0};   //!< transmitting port (circuits) or GPU (compute)
    uint64_t value{0};  //!< receiving port (circuits) or token copies of the batch (compute)
    int64_t startNs{0}; //!< start
    int64_t endNs{0};   //!< end
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
    MoeFaultCounters faults;                       //!< injected faults and their handling
    /// process resident set size (bytes) when each layer completed at every host
    /// (MoeLayerScenario::sampleRss; Linux /proc/self/statm, 0 elsewhere)
    std::vector<uint64_t> rssBytes;
    /// heap bytes in use when each layer completed (glibc mallinfo2; 0 elsewhere)
    std::vector<uint64_t> heapBytes;
    int64_t simulatedNs{0};                    //!< simulated time at the end
    double wallSeconds{0};                     //!< wall-clock time of the run
    std::vector<MoeTimelineInterval> timeline; //!< circuits and batches (if recorded)
    uint64_t events{0};                        //!< simulator events executed
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
     * Write one CSV row of fault counters per run (header first).
     * @param os stream
     * @param runs the runs
     */
    static void WriteFaultCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs);

    /**
     * Write the timelines (header first) of several runs recorded with
     * MoeLayerScenario::recordTimeline: fabric, algorithm, kind, layer, node, value, start_us,
     * end_us.
     * @param os stream
     * @param runs the runs
     */
    static void WriteTimelineCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs);

    /**
     * Write a JSON array with one object per run. Everything in it is a function of the
     * scenario and its seed (byte-identical across runs), unless hostTiming adds the
     * wall-clock measurements of this machine: wall_seconds, events_per_second and
     * scheduler_wall_ns (run and per layer).
     * @param os stream
     * @param runs the runs
     * @param hostTiming include wall-clock measurements
     */
    static void WriteJson(std::ostream& os,
                          const std::vector<MoeLayerRunResult>& runs,
                          bool hostTiming = false);
};

} // namespace ns3

#endif /* MOE_LAYER_HELPER_H */
