/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef CIRCUIT_SCHEDULER_APPLICATION_H
#define CIRCUIT_SCHEDULER_APPLICATION_H

#include "moe-gpu-application.h"
#include "optical-circuit-switch.h"
#include "pmoe-decomposition.h"
#include "pmoe-fluid-evaluator.h"
#include "pmoe-schedule.h"

#include "ns3/application.h"
#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * What the scheduler did for one layer.
 */
struct CircuitSchedulerLayerStats
{
    pmoe::Schedule dispatch;         //!< dispatch schedule run on the switch
    pmoe::Schedule combine;          //!< combine schedule run on the switch
    pmoe::FluidResult dispatchFluid; //!< fluid evaluation of the dispatch schedule
    pmoe::FluidResult combineFluid;  //!< fluid evaluation of the combine schedule
    Time computeTime{Time(0)};       //!< modelled scheduler computation time (both)
    int64_t measuredComputeNs{0};    //!< measured wall-clock time of both decompositions (ns)
    Time dispatchStart{Time::Max()}; //!< when the dispatch schedule started
    Time combineStart{Time::Max()};  //!< when the combine schedule started
    uint32_t reports{0};             //!< demand rows received
    uint32_t readyReports{0};        //!< combine-ready reports received
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
 *    the sum over their circuits of pair demand x total demand of the receiving GPU.
 * 3. It runs the dispatch schedule on the switch from now + max(CommitLatency,
 *    ControlLatency) and sends every host the plan (lit windows and planned bytes).
 * 4. Every host reports when all of its expert compute for the layer is done; when all N
 *    are in, the combine schedule runs from now + max(CommitLatency, ControlLatency), and
 *    the hosts get its plan.
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
     * @param shared scenario data
     * @param sw the switch to program
     * @param hosts the GPU applications, in GPU order
     */
    void Setup(std::shared_ptr<const MoeLayerShared> shared,
               Ptr<OpticalCircuitSwitch> sw,
               const std::vector<Ptr<MoeGpuApplication>>& hosts);

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

    /** @return per-layer statistics */
    const std::vector<CircuitSchedulerLayerStats>& GetLayerStats() const;

    /**
     * The decomposition parameters used (algorithm, K, policies, rates).
     * @return the parameters
     * @throws pmoe::InputError on an invalid policy name
     */
    pmoe::DecompositionParams GetDecompositionParams() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /** Compute both schedules of a layer. @param layer layer */
    void ComputeSchedules(uint32_t layer);
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

    std::shared_ptr<const MoeLayerShared> m_shared; //!< scenario data
    Ptr<OpticalCircuitSwitch> m_switch;             //!< the switch
    std::vector<Ptr<MoeGpuApplication>> m_hosts;    //!< the hosts

    std::string m_algorithm{"greedy"};               //!< decomposition algorithm
    uint32_t m_maxMatchings{0};                      //!< K (0 = unbounded)
    std::string m_durationPolicy{"whole-pair"};      //!< greedy duration policy
    std::string m_residualPolicy{"eps"};             //!< residual policy
    std::string m_combineStrategy{"after-dispatch"}; //!< combine strategy
    bool m_computeAware{false};                      //!< compute-aware ordering
    Time m_controlLatency;                           //!< control path latency
    Time m_commitLatency;                            //!< switch programming latency
    std::string m_computeTimeMode{"constant"};       //!< constant | measured
    Time m_computeTime;                              //!< constant scheduler computation time
    double m_planningEfficiency{0.97};               //!< fraction of the rate used for planning
    DataRate m_rate;                                 //!< circuit rate
    DataRate m_epsRate;                              //!< EPS rate (fluid evaluation)

    std::vector<CircuitSchedulerLayerStats> m_stats; //!< per layer
};

} // namespace ns3

#endif /* CIRCUIT_SCHEDULER_APPLICATION_H */
