/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef CIRCUIT_SCHEDULER_APPLICATION_H
#define CIRCUIT_SCHEDULER_APPLICATION_H

#include "moe-gpu-application.h"
#include "moe-workload-data.h"

#include "ns3/application.h"
#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/pmoe-auto-scheduler.h"
#include "ns3/pmoe-cluster.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-enum-names.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * How the circuit scheduler's own computation time is modelled.
 */
enum class SchedulerTimeMode
{
    CONSTANT, //!< ComputeTime per layer (reproducible)
    MEASURED  //!< the measured wall-clock time of the decompositions (not reproducible)
};

/**
 * @ingroup photonic-moe
 * How combine traffic is scheduled.
 */
enum class CombineStrategy
{
    AFTER_DISPATCH //!< a second schedule once every GPU has computed its experts
};

namespace pmoe
{

/** Names of ns3::SchedulerTimeMode: constant, measured. */
template <>
struct EnumTable<SchedulerTimeMode>
{
    static constexpr const char* kNoun = "scheduler time mode"; //!< for messages
    static constexpr bool kIgnoreCase = false;                  //!< names match exactly
    /** The names. */
    static constexpr EnumName<SchedulerTimeMode> kNames[] = {
        {SchedulerTimeMode::CONSTANT, "constant"},
        {SchedulerTimeMode::MEASURED, "measured"},
    };
};

/** Names of ns3::CombineStrategy: after-dispatch. */
template <>
struct EnumTable<CombineStrategy>
{
    static constexpr const char* kNoun = "combine strategy"; //!< for messages
    static constexpr bool kIgnoreCase = false;               //!< names match exactly
    /** The names. */
    static constexpr EnumName<CombineStrategy> kNames[] = {
        {CombineStrategy::AFTER_DISPATCH, "after-dispatch"},
    };
};

} // namespace pmoe

/**
 * @ingroup photonic-moe
 * The schedules the scheduler computed for one layer, as reported by its SchedulesComputed
 * trace: what runs on the switch and the fluid evaluation of it at the planning rate.
 */
struct CircuitLayerSchedules
{
    uint32_t layer{0};               //!< layer
    pmoe::Schedule dispatch;         //!< dispatch schedule (after compute-aware ordering)
    pmoe::Schedule combine;          //!< combine schedule
    pmoe::FluidResult dispatchFluid; //!< fluid evaluation of the dispatch schedule
    pmoe::FluidResult combineFluid;  //!< fluid evaluation of the combine schedule
    Time computeTime{Time(0)};       //!< modelled scheduler computation time (both)
    int64_t measuredComputeNs{0};    //!< measured wall-clock time of both decompositions (ns)
    // A cluster (CircuitSchedulerApplication::SetCluster): dispatch and combine above are empty
    // N-port schedules, the planes carry the circuits.
    std::vector<pmoe::Schedule> planeDispatch;     //!< dispatch schedule of each plane (S ports)
    std::vector<pmoe::Schedule> planeCombine;      //!< combine schedule of each plane
    pmoe::ClusterFluidResult clusterDispatchFluid; //!< two-level fluid model of the dispatch
    pmoe::ClusterFluidResult clusterCombineFluid;  //!< two-level fluid model of the combine
    /// pmoe::PredictLayerTime of the dispatch schedule that runs, with the hosts' compute
    /// model and overlap policy (the model "auto" minimises), from the dispatch schedule start
    pmoe::LayerPrediction dispatchPrediction;
    /// pmoe::PredictLayerTime of the combine schedule (communication only), from its start
    pmoe::LayerPrediction combinePrediction;
    /// predicted layer time, first dispatch byte sent -> last combine byte received:
    /// dispatchPrediction.layerTimeNs + ControlLatency (the last GPU's combine-ready report) +
    /// max(CommitLatency, ControlLatency) + combinePrediction.layerTimeNs, less the time from
    /// the dispatch schedule start to its first byte (delta, or 0 if a pair has no circuit)
    Time predictedLayerTime{Time(0)};
    std::string autoChoice;        //!< Algorithm auto: the dispatch candidate chosen (else empty)
    std::string autoCombineChoice; //!< Algorithm auto: the combine candidate chosen (else empty)
};

/**
 * @ingroup photonic-moe
 * Control-path fault counters of a CircuitSchedulerApplication (all layers).
 */
struct ControlFaultCounters
{
    uint64_t messages{0};        //!< control messages sent (first attempts)
    uint64_t lost{0};            //!< attempts lost
    uint64_t late{0};            //!< attempts delayed by ControlExtraDelay
    uint64_t retries{0};         //!< retransmissions after ControlTimeout
    uint64_t fallbacks{0};       //!< messages delivered over the fallback path after retries
    uint64_t duplicates{0};      //!< duplicate deliveries ignored
    uint64_t commitFallbacks{0}; //!< schedules never committed: their layer used the EPS
};

/**
 * @ingroup photonic-moe
 * The circuit scheduler: an application on a controller node that turns the hosts' demand
 * into circuit schedules, programs the OpticalCircuitSwitch and tells the hosts.
 *
 * **Control path.** Hosts report to the scheduler and the scheduler answers them through
 * calls delayed by ControlLatency (a modelled control network, not packets).
 *
 * **Per layer** (combine strategy "after-dispatch", the only one implemented):
 * 1. Every host reports its dispatch row. When all N rows are in, the scheduler decomposes
 *    the dispatch demand and the combine demand (its transpose in token copies) with the
 *    scheduling core (Algorithm, MaxMatchings, DurationPolicy, ResidualPolicy). Its own
 *    computation takes ComputeTime, or the measured wall-clock time of the two
 *    decompositions (ComputeTimeMode "measured").
 * 2. With ComputeAware on, the dispatch configurations are ordered so that the GPUs with
 *    the most expert work receive first: configurations are sorted (descending, stable) by
 *    the sum over their circuits of pair demand x total demand of the receiving GPU (a
 *    cluster: every plane's, pmoe::OrderPlanesComputeAware).
 * 3. It runs the dispatch schedule on the switch from now + max(CommitLatency,
 *    ControlLatency) and sends every host the plan (lit windows and planned bytes).
 * 4. Every host reports when all of its expert compute for the layer is done; when all N
 *    are in, the combine schedule runs from now + max(CommitLatency, ControlLatency), and
 *    the hosts get its plan.
 *
 * **Control faults.** Every control message - host -> scheduler demand row and combine-ready
 * report, scheduler -> host plan, scheduler -> switch commit - may be lost
 * (ControlLossProbability) or delayed by ControlExtraDelay (ControlLateProbability), drawn
 * from a seeded stream (AssignStreams). A sender that has no acknowledgement after
 * ControlTimeout sends again; after ControlMaxRetries lost retries, a host message or plan is
 * delivered over the fallback path (the electrical fabric, assumed reliable, one more
 * ControlTimeout later), and a commit is given up: that schedule never runs and its traffic
 * crosses the EPS (the devices find no circuit now or later). Duplicates (a late original
 * and its retry) are ignored by the receiver. A commit that arrives after its nominal start
 * starts the schedule on arrival + CommitLatency; the hosts keep the nominal plan, their
 * frames wait in the VOQs for the real circuits (or move to the EPS after the last one).
 *
 * Durations are planned at PlanningEfficiency x the circuit rate, so that the TCP/IP and
 * Ethernet header overhead and the transport's start-up fit in each circuit's lit time.
 */
class CircuitSchedulerApplication : public Application
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    CircuitSchedulerApplication();
    ~CircuitSchedulerApplication() override;

    /**
     * Configure the scheduler (before the simulation starts).
     * @param workload the run's workload
     * @param sw the switch to program
     * @param hosts the GPU applications, in GPU order
     */
    void Setup(std::shared_ptr<const MoeWorkloadData> workload,
               Ptr<OpticalCircuitSwitch> sw,
               const std::vector<Ptr<MoeGpuApplication>>& hosts);

    /**
     * Schedule a cluster of multi-GPU servers (doc/cluster.rst) instead of one switch (before
     * the simulation starts, after Setup()). Per layer and phase, the GPU demand is mapped
     * onto the rails by the forwarding rule (pmoe::MapClusterDemand) and every plane's
     * demand is decomposed on its own (pmoe::ScheduleClusterPlanes); each plane's switch
     * runs its schedule, a plane of k rails as k parallel circuits
     * (pmoe::ExpandPlaneSchedule). The hosts' plans release every byte at the schedule
     * start: the NICs' VOQs hold a plane's bytes until its circuit is lit, relayed bytes
     * included, and move what has no circuit now or later to the plane's electrical switch.
     * The Setup() switch must be plane 0's (it gives delta and the circuit model).
     * @param shape the shape (N = the workload's GPUs)
     * @param rule the forwarding rule
     * @param planes the circuit switch of every plane
     * @param fluid NVLink rate and latency of the two-level fluid evaluation (the NIC rate,
     *        delta, mode and EPS rate come from the scheduler)
     * @throws pmoe::InputError on a bad shape or rule, or a plane count mismatch
     */
    void SetCluster(const pmoe::ClusterShape& shape,
                    pmoe::ForwardingRule rule,
                    const std::vector<Ptr<OpticalCircuitSwitch>>& planes,
                    const pmoe::ClusterFluidParams& fluid);

    /** @return true if SetCluster() was called */
    bool IsCluster() const;

    /**
     * A host's dispatch row arrives (called after the control latency).
     * @param layer layer
     * @param host GPU index
     */
    void ReportDemand(uint32_t layer, uint32_t host);

    /**
     * A host finished its expert compute for a layer (called after the control latency).
     * @param layer layer
     * @param host GPU index
     */
    void ReportCombineReady(uint32_t layer, uint32_t host);

    /** @return the control latency */
    Time GetControlLatency() const;

    /** @return the control-path fault counters */
    ControlFaultCounters GetControlFaultCounters() const;

    /**
     * Assign a fixed random variable stream to the control-fault draws.
     * @param stream first stream index
     * @return number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * TracedCallback signature for control faults.
     * @param what "lost", "late", "retry", "fallback" or "duplicate"
     * @param message "demand", "ready", "plan" or "commit"
     * @param layer layer
     * @param host host (GPU index; the switch: numGpus)
     */
    typedef void (*ControlFaultTracedCallback)(const char* what,
                                               const char* message,
                                               uint32_t layer,
                                               uint32_t host);

    /**
     * TracedCallback signature for the schedules of a layer.
     * @param schedules what was computed
     */
    typedef void (*SchedulesTracedCallback)(const CircuitLayerSchedules& schedules);

    /**
     * TracedCallback signature for a schedule starting on the switch.
     * @param layer layer
     * @param combine combine (true) or dispatch schedule
     * @param start when it starts
     */
    typedef void (*ScheduleStartTracedCallback)(uint32_t layer, bool combine, Time start);

    /**
     * @param name a registered decomposer name (attribute Algorithm)
     * @throws pmoe::InputError naming it if unknown
     */
    void SetAlgorithm(std::string name);
    /** @return the decomposer name */
    std::string GetAlgorithm() const;
    /**
     * @param policy the residual policy (attribute ResidualPolicy)
     * @throws pmoe::InputError for relay (not supported at packet level)
     */
    void SetResidualPolicy(pmoe::ResidualPolicy policy);
    /** @return the residual policy */
    pmoe::ResidualPolicy GetResidualPolicy() const;

    /**
     * The decomposition parameters used (algorithm, K, policies, rates).
     * @return the parameters
     * @throws pmoe::InputError on an invalid policy name
     */
    pmoe::DecompositionParams GetDecompositionParams() const;

  protected:
    /** Release references to other objects (ns-3 object teardown). */
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /** Compute both schedules of a layer. @param layer layer */
    void ComputeSchedules(uint32_t layer);
    /** Compute every plane's schedules of a layer (a cluster). @param layer layer */
    void ComputeClusterSchedules(uint32_t layer);
    /**
     * @param s a layer's schedules
     * @param combine the combine (true) or dispatch schedules
     * @return true if any circuit runs for them (on the switch or on any plane)
     */
    bool HasCircuits(const CircuitLayerSchedules& s, bool combine) const;
    /**
     * Run every plane's schedule on its switch (a cluster).
     * @param s a layer's schedules
     * @param combine the combine (true) or dispatch schedules
     * @param start when they start
     */
    void RunClusterSchedules(const CircuitLayerSchedules& s, bool combine, Time start);
    /**
     * Run a schedule and tell the hosts.
     * @param layer layer
     * @param combine combine (true) or dispatch
     */
    void Launch(uint32_t layer, bool combine);
    /**
     * Order configurations for the compute-aware option.
     * @param s schedule
     * @param demand its demand
     */
    void OrderComputeAware(pmoe::Schedule& s, const pmoe::DemandMatrix& demand) const;
    /**
     * The hosts' compute model and overlap policy for a layer's dispatch, as the scheduling
     * core's pmoe::LayerTimeModel: a batch of b bytes at GPU g holds b / dispatchBytesPerCopy
     * token copies split over its local experts like the layer's tokens, and takes
     * GpuComputeModel::BatchTime; per-matching overlap if a host batches per matching.
     * @param layer layer index
     * @return the model (it refers to this application's hosts and workload)
     */
    pmoe::LayerTimeModel HostComputeModel(uint32_t layer) const;

    /** Control message kinds. */
    enum ControlMessage : uint32_t
    {
        MSG_DEMAND = 0,        //!< host -> scheduler: demand row
        MSG_READY = 1,         //!< host -> scheduler: combine ready
        MSG_PLAN = 2,          //!< scheduler -> host: dispatch plan
        MSG_PLAN_COMBINE = 3,  //!< scheduler -> host: combine plan
        MSG_COMMIT = 4,        //!< scheduler -> switch: dispatch schedule
        MSG_COMMIT_COMBINE = 5 //!< scheduler -> switch: combine schedule
    };

    /**
     * An attempt of a control message would arrive now (or is lost): apply the fault model,
     * then deliver, retry or fall back.
     * @param msg message kind
     * @param layer layer
     * @param host host (unused for commits)
     * @param attempt 0 for the first transmission
     */
    void ControlArrival(uint32_t msg, uint32_t layer, uint32_t host, uint32_t attempt);
    /**
     * Deliver a control message (deduplicated).
     * @param msg message kind
     * @param layer layer
     * @param host host
     */
    void DeliverControl(uint32_t msg, uint32_t layer, uint32_t host);
    /** @return true if any control fault is configured */
    bool ControlFaultsEnabled() const;
    /** A host's demand row is in. @param layer layer @param host host */
    void DemandIn(uint32_t layer, uint32_t host);
    /** A host's combine-ready report is in. @param layer layer @param host host */
    void ReadyIn(uint32_t layer, uint32_t host);
    /** A commit reaches the switch. @param layer layer @param combine combine schedule */
    void CommitIn(uint32_t layer, bool combine);
    /** Release the schedules of finished layers before @p layer. */
    void ReleaseFinished(uint32_t layer);

    /** What the scheduler keeps of one layer. */
    struct LayerState
    {
        CircuitLayerSchedules schedules;    //!< the schedules (released once both committed)
        uint32_t reports{0};                //!< demand rows received
        uint32_t readyReports{0};           //!< combine-ready reports received
        std::vector<bool> reported;         //!< demand row of each host received (dedup)
        std::vector<bool> ready;            //!< combine-ready report of each host received
        std::vector<bool> planDelivered[2]; //!< [combine] plan delivered to each host
        bool committed[2]{false, false};    //!< [combine] schedule delivered to the switch
        bool commitFailed[2]{false, false}; //!< [combine] commit given up: the layer used EPS
        Time nominalStart[2]{Time::Max(), Time::Max()}; //!< [combine] start in the hosts' plan
    };

    std::shared_ptr<const MoeWorkloadData> m_workload;               //!< the run's workload
    Ptr<OpticalCircuitSwitch> m_switch;                              //!< the switch
    std::vector<Ptr<MoeGpuApplication>> m_hosts;                     //!< the hosts
    std::vector<Ptr<OpticalCircuitSwitch>> m_planes;                 //!< a cluster's plane switches
    pmoe::ClusterShape m_shape;                                      //!< a cluster's shape
    pmoe::ForwardingRule m_rule{pmoe::ForwardingRule::RAIL_ALIGNED}; //!< its forwarding rule
    pmoe::ClusterFluidParams m_clusterFluid; //!< its NVLink fluid parameters

    std::string m_algorithm{"greedy"}; //!< decomposition algorithm
    uint32_t m_maxMatchings{0};        //!< K (0 = unbounded)
    pmoe::DurationPolicy m_durationPolicy{pmoe::DurationPolicy::WHOLE_PAIR}; //!< greedy durations
    pmoe::ResidualPolicy m_residualPolicy{pmoe::ResidualPolicy::EPS};        //!< residual policy
    CombineStrategy m_combineStrategy{CombineStrategy::AFTER_DISPATCH};      //!< combine strategy
    bool m_computeAware{false};    //!< compute-aware ordering
    bool m_autoComputeModel{true}; //!< "auto" is given the hosts' compute model
    Time m_controlLatency;         //!< control path latency
    Time m_commitLatency;          //!< switch programming latency
    SchedulerTimeMode m_computeTimeMode{SchedulerTimeMode::CONSTANT}; //!< constant | measured
    Time m_computeTime;                //!< constant scheduler computation time
    double m_planningEfficiency{0.97}; //!< fraction of the rate used for planning
    DataRate m_rate;                   //!< circuit rate
    DataRate m_epsRate;                //!< EPS rate (fluid evaluation)

    std::vector<LayerState> m_layers; //!< per layer
    uint32_t m_releasedUpTo{0};       //!< layers below this were checked for release
    std::vector<std::shared_ptr<const CircuitPlan>> m_plans[2]; //!< [combine] plan per layer

    double m_lossProbability{0};           //!< control message loss probability
    double m_lateProbability{0};           //!< control message delay probability
    Time m_extraDelay;                     //!< extra delay of a late message
    Time m_controlTimeout;                 //!< retransmission timeout
    uint32_t m_maxRetries{3};              //!< retries before the fallback
    Ptr<UniformRandomVariable> m_faultRng; //!< fault draws
    ControlFaultCounters m_faults;         //!< counters
    /// ControlFault trace
    TracedCallback<const char*, const char*, uint32_t, uint32_t> m_controlFaultTrace;
    TracedCallback<const CircuitLayerSchedules&> m_schedulesTrace; //!< SchedulesComputed
    TracedCallback<uint32_t, bool, Time> m_scheduleStartTrace;     //!< ScheduleStart
};

} // namespace ns3

#endif /* CIRCUIT_SCHEDULER_APPLICATION_H */
