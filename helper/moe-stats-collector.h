/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_STATS_COLLECTOR_H
#define MOE_STATS_COLLECTOR_H

#include "ns3/application-container.h"
#include "ns3/circuit-scheduler-application.h"
#include "ns3/electrical-packet-switch.h"
#include "ns3/moe-transport.h"
#include "ns3/moe-workload-data.h"
#include "ns3/net-device-container.h"
#include "ns3/nstime.h"
#include "ns3/optical-circuit-switch.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class MoeGpuApplication;
class GpuComputeModel;

/**
 * @ingroup photonic-moe
 * Measurements of one layer of a run (sums over GPUs unless said otherwise).
 */
struct MoeLayerMeasurement
{
    uint32_t layer{0};                  //!< layer index
    int64_t layerTimeNs{0};             //!< first dispatch byte sent -> last combine byte received
    int64_t layerSpanNs{0};             //!< first GPU starts the layer -> last GPU done
    uint64_t dispatchBytesExpected{0};  //!< dispatch demand (off-diagonal)
    uint64_t dispatchBytesSent{0};      //!< handed to the network
    uint64_t dispatchBytesDelivered{0}; //!< received by applications
    uint64_t combineBytesExpected{0};   //!< combine demand
    uint64_t combineBytesSent{0};       //!< handed to the network
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
    /// (max(circuit makespan, EPS time)); ideal fabric: rho / r
    int64_t dispatchFluidNs{0};
    /// fluid time of the last dispatch byte: the circuit's lit start + bytes planned in it (at
    /// the planning rate, what the GPUs release) / full rate r, over every pair, or the EPS
    /// time of the residual (OCS only)
    int64_t dispatchFluidLastByteNs{0};
    int64_t combineCommNs{0};          //!< as dispatchCommNs for the combine schedule (OCS only)
    int64_t combineFluidNs{0};         //!< as dispatchFluidNs for the combine schedule (OCS only)
    int64_t combineFluidLastByteNs{0}; //!< as dispatchFluidLastByteNs for combine (OCS only)
    /// pmoe::LayerTimeLowerBound for the run's fabric (MoeLayerScenario fills it; 0 otherwise)
    int64_t layerTimeLowerBoundNs{0};
    /// clusters: two-level fluid model of the dispatch (pmoe::EvaluateCluster), NVLink and
    /// network stages in sequence (OCS: the planes' schedules; ideal: the ideal rail fabric)
    int64_t dispatchClusterFluidNs{0};
    /// clusters: as dispatchClusterFluidNs with the two stages overlapped (their maximum)
    int64_t dispatchClusterOverlappedNs{0};
    /// clusters: as dispatchClusterOverlappedNs with the network's last byte
    /// (pmoe::ClusterFluidResult::overlappedLastByteNs), the value the packet level matches
    int64_t dispatchClusterLastByteNs{0};
    int64_t combineClusterFluidNs{0};      //!< as dispatchClusterFluidNs for the combine
    int64_t combineClusterOverlappedNs{0}; //!< as dispatchClusterOverlappedNs for the combine
    int64_t combineClusterLastByteNs{0};   //!< as dispatchClusterLastByteNs for the combine
    /// OCS: the scheduler's predicted layer time of the schedules that ran
    /// (CircuitLayerSchedules::predictedLayerTime; 0: no prediction, or the ideal fabric)
    int64_t predictedLayerTimeNs{0};
    /// OCS: predicted dispatch phase, dispatch schedule start -> last compute end or last
    /// dispatch byte (pmoe::LayerPrediction::layerTimeNs of the dispatch schedule)
    int64_t predictedDispatchNs{0};
    /// OCS: predicted combine communication from the combine schedule start
    int64_t predictedCombineNs{0};
    uint32_t autoConfigurations{0}; //!< algorithm auto: configurations of its dispatch choice
    std::string autoChoice;         //!< algorithm auto: its dispatch candidate (else empty)
    std::string autoCombineChoice;  //!< algorithm auto: its combine candidate (else empty)
};

/**
 * @ingroup photonic-moe
 * What one OCS plane of a cluster did in a run (all layers, dispatch and combine).
 */
struct MoePlaneMeasurement
{
    uint32_t plane{0};            //!< plane index
    uint32_t rails{0};            //!< rails on it
    uint64_t matchings{0};        //!< configurations of its schedules
    uint64_t reconfigurations{0}; //!< reconfigurations counted by its switch
    /// fluid bubble time / lit circuit time of its schedules, over its rails
    double bubbleFraction{0};
    uint64_t bytes{0};         //!< IPv4 bytes its NICs sent (circuits and its electrical switch)
    uint64_t demandBytes{0};   //!< payload bytes the forwarding rule maps onto it
    uint64_t residualBytes{0}; //!< of which its schedules leave to the electrical switch
    int64_t litNs{0};          //!< lit circuit time (circuits x duration, all rails)
    int64_t bubbleNs{0};       //!< fluid bubble time
};

/**
 * @ingroup photonic-moe
 * What the devices of one server of a cluster carried in a run (all layers, dispatch and
 * combine, IPv4 bytes with headers and ACKs, from the device counters at the end of the run).
 */
struct MoeServerMeasurement
{
    uint32_t server{0};          //!< server index
    uint64_t nicSendBytes{0};    //!< handed to its GPUs' NICs (MacTx)
    uint64_t nicReceiveBytes{0}; //!< handed up by its GPUs' NICs (MacRx)
    uint64_t nvlinkOutBytes{0};  //!< handed to its GPUs' NVLink ports (MacTx)
    uint64_t nvlinkInBytes{0};   //!< handed up by its GPUs' NVLink ports (MacRx)
};

/**
 * @ingroup photonic-moe
 * Measurements of one GPU in one layer.
 */
struct MoeGpuMeasurement
{
    uint32_t layer{0};                 //!< layer
    uint32_t gpu{0};                   //!< GPU
    int64_t startNs{0};                //!< GPU started the layer (-1: never)
    int64_t doneNs{0};                 //!< layer complete at the GPU (-1: never)
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
 * One interval of a run's timeline (MoeStatsCollector::SetRecordTimeline): a lit circuit of
 * a schedule, as the switch's timeline lights it (a circuit kept through a reconfiguration
 * is lit from the step start), or an expert batch computed by a GPU.
 */
struct MoeTimelineInterval
{
    std::string kind;   //!< "dispatch-circuit", "combine-circuit" or "compute"
    uint32_t layer{0};  //!< layer (compute: the layer the GPU had started last)
    uint32_t node{0};   //!< transmitting port (circuits) or GPU (compute)
    uint64_t value{0};  //!< receiving port (circuits) or expert tokens of the batch (compute)
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
    std::string transport;                         //!< tcp | udp | rdma (MoeLayerScenario)
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
    uint64_t tcpTimeouts{0};                       //!< transport retransmission timeouts
    uint64_t tcpFastRecoveries{0};                 //!< transport fast recoveries
    /// every transport counter, summed over the GPUs (RDMA: retransmissions, NAKs, CNPs, rate
    /// cuts, pause frames; timeouts and fast recoveries as above)
    MoeTransportCounters transportCounters;
    uint64_t epsEcnMarked{0};           //!< frames marked CE by the electrical packet switch
    uint64_t epsPauseFrames{0};         //!< PFC PAUSE frames sent by the electrical packet switch
    uint64_t switchReconfigurations{0}; //!< reconfigurations counted by the switch
    /// IPv4 bytes (headers included, data and ACKs) handed to the NICs (the fabric devices;
    /// in a cluster, forwarded packets are counted again at every NIC they leave by)
    uint64_t nicBytes{0};
    /// IPv4 bytes handed to the NVLink ports (clusters; 0 otherwise)
    uint64_t nvlinkBytes{0};
    uint32_t gpusPerServer{1};               //!< G (MoeLayerScenario; 1: not a cluster)
    uint32_t ocsNics{0};                     //!< alpha, NICs per server on OCS planes (clusters)
    std::string forwarding;                  //!< forwarding rule (clusters)
    std::vector<MoePlaneMeasurement> planes; //!< per OCS plane (clusters on the OCS)
    MoeFaultCounters faults;                 //!< injected faults and their handling
    /// per server (clusters): NIC and NVLink bytes from the device counters
    std::vector<MoeServerMeasurement> servers;
    /// M of node-limited routing (clusters; 0: another routing)
    uint32_t maxServers{0};
    /// process resident set size (bytes) when each layer completed at every GPU
    /// (MoeStatsCollector::SetSampleMemory; Linux /proc/self/statm, 0 elsewhere)
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
 * Turns the trace sources of a packet-level MoE run into per-layer and per-GPU results, as
 * FlowMonitor does for flows: connect it before the simulation runs, collect after.
 *
 * From the GPU applications (MoeGpuApplication::Tx, Rx, Batch, BatchDone, LayerStart,
 * LayerDone) it measures, per layer and GPU, bytes sent and received per peer, first and
 * last byte times, batches and compute time, and checks conservation per pair against the
 * workload; from the circuit scheduler (SchedulesComputed, ScheduleStart) the schedules'
 * matchings, reconfigurations, bubbles and residual, and the fluid communication times the
 * packet level is validated against; from the fabric's counters after the run, drops,
 * stranded packets and fault handling.
 *
 * @code
 *   MoeStatsCollector stats;
 *   stats.Install(gpuApps);
 *   stats.Install(scheduler, topology.ocs);   // OCS fabric only
 *   stats.SetFabric(topology.devices, topology.ocs, topology.eps);
 *   Simulator::Run();
 *   MoeLayerRunResult result = stats.Collect();
 *   Simulator::Destroy();
 * @endcode
 */
class MoeStatsCollector
{
  public:
    MoeStatsCollector();
    ~MoeStatsCollector();

    MoeStatsCollector(const MoeStatsCollector&) = delete;
    MoeStatsCollector& operator=(const MoeStatsCollector&) = delete;

    /** @param record record circuit and compute intervals (MoeLayerRunResult::timeline) */
    void SetRecordTimeline(bool record);

    /**
     * @param sample record the process RSS and heap in use when each layer completes at
     *        every GPU (soak tests)
     */
    void SetSampleMemory(bool sample);

    /**
     * Connect to the GPU applications and their nodes' compute models.
     * @param gpuApps the MoeGpuApplications, in GPU order, all with the same workload
     * @throws pmoe::InputError on other applications or an inconsistent order
     */
    void Install(const ApplicationContainer& gpuApps);

    /**
     * Connect to the circuit scheduler of the OCS fabric (after Install(gpuApps)).
     * @param scheduler the scheduler
     * @param sw the switch it programs
     */
    void Install(Ptr<CircuitSchedulerApplication> scheduler, Ptr<OpticalCircuitSwitch> sw);

    /**
     * The fabric whose counters Collect() reads.
     * @param devices the GPUs' devices
     * @param sw the optical switch
     * @param eps the electrical packet switch (may be null)
     */
    void SetFabric(const NetDeviceContainer& devices,
                   Ptr<OpticalCircuitSwitch> sw,
                   Ptr<ElectricalPacketSwitch> eps);

    /**
     * The rest of a cluster's fabric (MoeClusterTopologyHelper), whose counters Collect()
     * adds: the NVLink ports (nvlinkBytes; SetFabric's devices are the NICs, nicBytes) and
     * the electrical switches (rails and NVSwitches: drops, ECN marks, pause frames); with
     * @p gpusPerServer, Collect() also reports every server's NIC and NVLink bytes
     * (MoeLayerRunResult::servers).
     * @param nvlinkDevices the GPUs' NVLink ports, in GPU order
     * @param switches the electrical switches
     * @param gpusPerServer G: GPU g is on server g / G (SetFabric's devices in GPU order too);
     *        0: no per-server figures
     */
    void SetClusterFabric(const NetDeviceContainer& nvlinkDevices,
                          const std::vector<Ptr<ElectricalPacketSwitch>>& switches,
                          uint32_t gpusPerServer = 0);

    /**
     * The OCS planes of a cluster: Collect() reports each (MoeLayerRunResult::planes) from
     * the planes' schedules (SchedulesComputed of the scheduler given to Install()), the
     * switches' reconfiguration counters and the bytes of the NICs attached to them.
     * @param planes the circuit switch of every plane
     * @param railsPerPlane the number of rails on each
     */
    void SetPlanes(const std::vector<Ptr<OpticalCircuitSwitch>>& planes,
                   const std::vector<uint32_t>& railsPerPlane);

    /**
     * The results so far (call after Simulator::Run(), before Simulator::Destroy()). Leaves
     * fabric, algorithm, simulatedNs, events and wallSeconds to the caller.
     * @return the results
     */
    MoeLayerRunResult Collect() const;

  private:
    /** What is measured of one GPU in one layer. */
    struct GpuLayer
    {
        Time start{Time::Max()};             //!< LayerStart
        Time firstDispatchSent{Time::Max()}; //!< first dispatch Tx
        Time lastDispatchReceived{Time(0)};  //!< last dispatch Rx
        Time lastCombineReceived{Time(0)};   //!< last combine Rx
        Time lastBatchDone{Time(0)};         //!< last BatchDone
        Time done{Time::Max()};              //!< LayerDone
        std::vector<uint64_t> sent[2];       //!< per kind, per peer: bytes sent
        std::vector<uint64_t> received[2];   //!< per kind, per peer: bytes received
        Time computeBusy{Time(0)};           //!< sum of batch compute times
        Time idealCompute{Time(0)};          //!< every local expert's tokens in one batch
        uint64_t batches{0};                 //!< batches
        uint64_t tokens{0};                  //!< expert tokens batched
        uint64_t maxBatch{0};                //!< largest batch
    };

    /** What is measured of the scheduler in one layer. */
    struct SchedulerLayer
    {
        bool computed{false};                        //!< SchedulesComputed seen
        uint32_t dispatchMatchings{0};               //!< dispatch configurations
        uint32_t combineMatchings{0};                //!< combine configurations
        double dispatchBubbleFraction{0};            //!< of the dispatch schedule
        uint32_t reconfigurations{0};                //!< fluid count, both schedules
        int64_t reconfigTimeNs{0};                   //!< both schedules
        int64_t litNs{0};                            //!< circuits x duration, both schedules
        int64_t bubbleNs{0};                         //!< fluid bubbles, both schedules
        uint64_t residualBytes{0};                   //!< both schedules
        int64_t computeTimeNs{0};                    //!< modelled computation time
        int64_t measuredNs{0};                       //!< measured wall time
        int64_t fluidNs[2]{0, 0};                    //!< [combine] fluid makespan at the full rate
        int64_t clusterFluidNs[2]{0, 0};             //!< [combine] two-level model, staged
        int64_t clusterOverlappedNs[2]{0, 0};        //!< [combine] two-level model, overlapped
        int64_t clusterLastByteNs[2]{0, 0};          //!< [combine] overlapped, last byte
        int64_t fluidLastByteNs[2]{0, 0};            //!< [combine] fluid last byte at the full rate
        int64_t predictedNs{0};                      //!< predicted layer time
        int64_t predictedDispatchNs{0};              //!< predicted dispatch phase
        int64_t predictedCombineNs{0};               //!< predicted combine communication
        std::string autoChoice;                      //!< auto: dispatch candidate
        std::string autoCombineChoice;               //!< auto: combine candidate
        Time start[2]{Time::Max(), Time::Max()};     //!< [combine] ScheduleStart
        std::unique_ptr<pmoe::Schedule> schedule[2]; //!< [combine] kept for the timeline
    };

    void OnLayerStart(uint32_t gpu, uint32_t layer);
    void OnLayerDone(uint32_t gpu, uint32_t layer);
    void OnTx(uint32_t gpu, uint32_t kind, uint32_t peer, uint64_t bytes, uint32_t layer);
    void OnRx(uint32_t gpu, uint32_t kind, uint32_t peer, uint64_t bytes, uint32_t layer);
    void OnBatch(uint32_t gpu, uint32_t layer, uint64_t tokens, Time busy);
    void OnBatchDone(uint32_t gpu, uint32_t layer, uint64_t tokens);
    void OnComputeEnd(uint32_t gpu, uint64_t tokens, Time duration);
    void OnSchedules(const CircuitLayerSchedules& schedules);
    /**
     * The planes' schedules of a cluster layer: matchings, reconfigurations, lit and bubble
     * time and residual summed over the planes, the two-level fluid times, per-plane totals.
     * @param schedules what the scheduler computed
     * @param s the layer's record
     */
    void OnClusterSchedules(const CircuitLayerSchedules& schedules, SchedulerLayer& s);
    void OnScheduleStart(uint32_t layer, bool combine, Time start);

    /**
     * Fluid communication times of a schedule at the full circuit rate.
     * @param demand the demand it serves
     * @param s the schedule
     * @param makespan set to max(circuit makespan, EPS time)
     * @param lastByte set to the fluid time of the last planned byte, or the EPS time
     */
    void FluidComm(const pmoe::DemandMatrix& demand,
                   const pmoe::Schedule& s,
                   int64_t& makespan,
                   int64_t& lastByte) const;

    std::shared_ptr<const MoeWorkloadData> m_workload;          //!< the run's workload
    std::vector<Ptr<MoeGpuApplication>> m_apps;                 //!< the GPUs
    std::vector<Ptr<GpuComputeModel>> m_gpus;                   //!< their compute models
    std::vector<std::vector<GpuLayer>> m_gpuLayers;             //!< [layer][gpu]
    std::vector<uint32_t> m_lastStarted;                        //!< per GPU: layer started last
    std::vector<SchedulerLayer> m_schedulerLayers;              //!< per layer (OCS fabric)
    Ptr<CircuitSchedulerApplication> m_scheduler;               //!< the scheduler (null: ideal)
    Ptr<OpticalCircuitSwitch> m_switch;                         //!< the switch
    NetDeviceContainer m_devices;                               //!< the GPUs' devices
    Ptr<ElectricalPacketSwitch> m_eps;                          //!< the EPS
    NetDeviceContainer m_nvlinkDevices;                         //!< NVLink ports (clusters)
    uint32_t m_gpusPerServer{0};                                //!< G (0: no server figures)
    std::vector<Ptr<ElectricalPacketSwitch>> m_clusterSwitches; //!< rails' EPS, NVSwitches
    std::vector<Ptr<OpticalCircuitSwitch>> m_planes;            //!< a cluster's plane switches
    std::vector<MoePlaneMeasurement> m_planeStats;              //!< per plane, from the schedules
    bool m_recordTimeline{false};                               //!< record intervals
    bool m_sampleMemory{false};                                 //!< sample RSS per layer
    std::vector<MoeTimelineInterval> m_compute;                 //!< compute intervals
    std::vector<uint32_t> m_layerDoneCount;                     //!< GPUs done per layer
    std::vector<uint64_t> m_rss;                                //!< RSS per layer
    std::vector<uint64_t> m_heap;                               //!< heap per layer
};

} // namespace ns3

#endif /* MOE_STATS_COLLECTOR_H */
