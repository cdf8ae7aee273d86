/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "circuit-scheduler-application.h"

#include "pmoe-units.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <chrono>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CircuitSchedulerApplication");

NS_OBJECT_ENSURE_REGISTERED(CircuitSchedulerApplication);

TypeId
CircuitSchedulerApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::CircuitSchedulerApplication")
            .SetParent<Application>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<CircuitSchedulerApplication>()
            .AddAttribute("Algorithm",
                          "Decomposition: greedy | bvn | solstice | eclipse | rotor | static.",
                          StringValue("greedy"),
                          MakeStringAccessor(&CircuitSchedulerApplication::m_algorithm),
                          MakeStringChecker())
            .AddAttribute("MaxMatchings",
                          "K: most configurations per schedule (0 = unbounded).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&CircuitSchedulerApplication::m_maxMatchings),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("DurationPolicy",
                          "Greedy duration policy: whole-pair | min-entry | delta-aware.",
                          StringValue("whole-pair"),
                          MakeStringAccessor(&CircuitSchedulerApplication::m_durationPolicy),
                          MakeStringChecker())
            .AddAttribute("ResidualPolicy",
                          "Demand beyond K: eps (electrical fabric) | append (more "
                          "matchings). relay is not supported at packet level.",
                          StringValue("eps"),
                          MakeStringAccessor(&CircuitSchedulerApplication::m_residualPolicy),
                          MakeStringChecker())
            .AddAttribute("CombineStrategy",
                          "How combine traffic is scheduled: after-dispatch (a second "
                          "schedule once every host has computed its experts).",
                          StringValue("after-dispatch"),
                          MakeStringAccessor(&CircuitSchedulerApplication::m_combineStrategy),
                          MakeStringChecker())
            .AddAttribute("ComputeAware",
                          "Order dispatch configurations so that demand to the GPUs with the "
                          "most expert work goes first (sum of pair demand x receiver load).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&CircuitSchedulerApplication::m_computeAware),
                          MakeBooleanChecker())
            .AddAttribute("ControlLatency",
                          "One-way latency of the (modelled) control path between the hosts "
                          "and the scheduler.",
                          TimeValue(MicroSeconds(5)),
                          MakeTimeAccessor(&CircuitSchedulerApplication::m_controlLatency),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("CommitLatency",
                          "Time to program the switch: a schedule starts this long after "
                          "it is computed (at least ControlLatency, so the hosts know it).",
                          TimeValue(MicroSeconds(10)),
                          MakeTimeAccessor(&CircuitSchedulerApplication::m_commitLatency),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("ComputeTimeMode",
                          "Scheduler computation time: constant (ComputeTime) or measured "
                          "(wall-clock time of the decompositions; not reproducible).",
                          StringValue("constant"),
                          MakeStringAccessor(&CircuitSchedulerApplication::m_computeTimeMode),
                          MakeStringChecker())
            .AddAttribute("ComputeTime",
                          "Constant scheduler computation time per layer.",
                          TimeValue(MicroSeconds(10)),
                          MakeTimeAccessor(&CircuitSchedulerApplication::m_computeTime),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("PlanningEfficiency",
                          "Fraction of CircuitRate used to turn bytes into durations "
                          "(header overhead and transport start-up), in (0, 1].",
                          DoubleValue(0.97),
                          MakeDoubleAccessor(&CircuitSchedulerApplication::m_planningEfficiency),
                          MakeDoubleChecker<double>(0, 1))
            .AddAttribute("CircuitRate",
                          "Circuit data rate of the host ports.",
                          DataRateValue(DataRate("400Gbps")),
                          MakeDataRateAccessor(&CircuitSchedulerApplication::m_rate),
                          MakeDataRateChecker())
            .AddAttribute("EpsRate",
                          "Electrical fabric rate per port (fluid evaluation of the residual).",
                          DataRateValue(DataRate("100Gbps")),
                          MakeDataRateAccessor(&CircuitSchedulerApplication::m_epsRate),
                          MakeDataRateChecker());
    return tid;
}

CircuitSchedulerApplication::CircuitSchedulerApplication()
    : m_controlLatency(MicroSeconds(5)),
      m_commitLatency(MicroSeconds(10)),
      m_computeTime(MicroSeconds(10)),
      m_rate("400Gbps"),
      m_epsRate("100Gbps")
{
}

CircuitSchedulerApplication::~CircuitSchedulerApplication() = default;

void
CircuitSchedulerApplication::DoDispose()
{
    m_switch = nullptr;
    m_hosts.clear();
    Application::DoDispose();
}

void
CircuitSchedulerApplication::StartApplication()
{
}

void
CircuitSchedulerApplication::StopApplication()
{
}

void
CircuitSchedulerApplication::Setup(std::shared_ptr<const MoeLayerShared> shared,
                                   Ptr<OpticalCircuitSwitch> sw,
                                   const std::vector<Ptr<MoeGpuApplication>>& hosts)
{
    if (!shared || !sw || hosts.size() != shared->numGpus || sw->GetNPorts() != shared->numGpus)
    {
        throw pmoe::InputError("CircuitSchedulerApplication::Setup: the switch, the hosts and "
                               "the scenario disagree on the number of GPUs");
    }
    if (m_combineStrategy != "after-dispatch")
    {
        throw pmoe::InputError("unknown combine strategy '" + m_combineStrategy +
                               "' (implemented: after-dispatch)");
    }
    if (m_computeTimeMode != "constant" && m_computeTimeMode != "measured")
    {
        throw pmoe::InputError("unknown scheduler compute-time mode '" + m_computeTimeMode +
                               "' (expected constant or measured)");
    }
    GetDecompositionParams(); // validates the names
    m_shared = std::move(shared);
    m_switch = sw;
    m_hosts = hosts;
    m_stats.assign(m_shared->layers.size(), CircuitSchedulerLayerStats());
}

Time
CircuitSchedulerApplication::GetControlLatency() const
{
    return m_controlLatency;
}

const std::vector<CircuitSchedulerLayerStats>&
CircuitSchedulerApplication::GetLayerStats() const
{
    return m_stats;
}

pmoe::DecompositionParams
CircuitSchedulerApplication::GetDecompositionParams() const
{
    pmoe::DecompositionParams p;
    p.algorithm = m_algorithm;
    pmoe::MakeDecomposer(m_algorithm); // throws on an unknown name
    p.model = m_switch ? m_switch->GetCircuitModel() : pmoe::CircuitModel::UNIDIRECTIONAL;
    p.maxMatchings = m_maxMatchings;
    p.durationPolicy = pmoe::DurationPolicyFromString(m_durationPolicy);
    p.residualPolicy = pmoe::ResidualPolicyFromString(m_residualPolicy);
    if (p.residualPolicy == pmoe::ResidualPolicy::RELAY)
    {
        throw pmoe::InputError("residual policy 'relay' is not supported at packet level "
                               "(use eps or append)");
    }
    p.reconfigDelayNs =
        m_switch ? m_switch->GetReconfigurationDelay().GetNanoSeconds() : p.reconfigDelayNs;
    p.linkRateBps =
        static_cast<pmoe::Bps>(static_cast<double>(m_rate.GetBitRate()) * m_planningEfficiency);
    if (p.linkRateBps <= 0)
    {
        throw pmoe::InputError("scheduler planning rate must be > 0 (CircuitRate x "
                               "PlanningEfficiency)");
    }
    return p;
}

void
CircuitSchedulerApplication::ReportDemand(uint32_t layer, uint32_t host)
{
    NS_LOG_INFO("layer " << layer << ": demand row of GPU " << host);
    CircuitSchedulerLayerStats& st = m_stats.at(layer);
    if (++st.reports == m_shared->numGpus)
    {
        ComputeSchedules(layer);
    }
}

void
CircuitSchedulerApplication::ReportCombineReady(uint32_t layer, uint32_t host)
{
    NS_LOG_INFO("layer " << layer << ": GPU " << host << " computed its experts");
    CircuitSchedulerLayerStats& st = m_stats.at(layer);
    if (++st.readyReports == m_shared->numGpus)
    {
        // The combine schedule was computed with the dispatch schedule.
        Launch(layer, true);
    }
}

void
CircuitSchedulerApplication::OrderComputeAware(pmoe::Schedule& s,
                                               const pmoe::DemandMatrix& demand) const
{
    const std::size_t n = demand.Size();
    std::vector<pmoe::Bytes> load(n, 0);
    for (std::size_t j = 0; j < n; ++j)
    {
        load[j] = demand.ColSum(j);
    }
    // Priority of a configuration: the demand it carries weighted by the total load of the
    // receiving GPU (the GPU's expert work), so that matchings feeding the busiest GPUs go
    // first. (The largest load alone does not discriminate: with skew, every perfect
    // matching contains the hottest GPU.)
    auto key = [&load, &demand](const pmoe::Configuration& c) {
        double k = 0;
        for (const auto& circuit : c.circuits)
        {
            k += static_cast<double>(demand.At(circuit.src, circuit.dst)) *
                 static_cast<double>(load[circuit.dst]);
        }
        return k;
    };
    auto& configs = s.MutableConfigurations();
    std::stable_sort(configs.begin(),
                     configs.end(),
                     [&key](const pmoe::Configuration& a, const pmoe::Configuration& b) {
                         return key(a) > key(b);
                     });
}

void
CircuitSchedulerApplication::ComputeSchedules(uint32_t layer)
{
    const auto& w = m_shared->layers[layer];
    CircuitSchedulerLayerStats& st = m_stats[layer];
    const pmoe::DecompositionParams params = GetDecompositionParams();
    const auto t0 = std::chrono::steady_clock::now();
    auto decompose = [&params, this](const pmoe::DemandMatrix& d) {
        if (d.IsZero())
        {
            pmoe::Schedule empty(m_shared->numGpus, params.model);
            empty.algorithm = params.algorithm;
            empty.residual = pmoe::DemandMatrix(m_shared->numGpus);
            return empty;
        }
        return pmoe::Decompose(d, params);
    };
    st.dispatch = decompose(w.dispatch);
    st.combine = decompose(w.combine);
    const auto t1 = std::chrono::steady_clock::now();
    st.measuredComputeNs = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
    if (m_computeAware)
    {
        OrderComputeAware(st.dispatch, w.dispatch);
    }
    pmoe::FluidParams fp;
    fp.reconfigDelayNs = params.reconfigDelayNs;
    fp.linkRateBps = params.linkRateBps;
    fp.mode = m_switch->GetReconfigMode();
    fp.epsRateBps = static_cast<pmoe::Bps>(m_epsRate.GetBitRate());
    st.dispatchFluid = pmoe::EvaluateSchedule(w.dispatch, st.dispatch, fp);
    st.combineFluid = pmoe::EvaluateSchedule(w.combine, st.combine, fp);
    st.computeTime =
        m_computeTimeMode == "measured"
            ? NanoSeconds(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count())
            : m_computeTime;
    NS_LOG_INFO("layer " << layer << ": " << st.dispatch.NumConfigurations() << " dispatch + "
                         << st.combine.NumConfigurations() << " combine configurations");
    Simulator::Schedule(st.computeTime, &CircuitSchedulerApplication::Launch, this, layer, false);
}

void
CircuitSchedulerApplication::Launch(uint32_t layer, bool combine)
{
    const auto& w = m_shared->layers[layer];
    CircuitSchedulerLayerStats& st = m_stats[layer];
    const pmoe::Schedule& s = combine ? st.combine : st.dispatch;
    const pmoe::DemandMatrix& demand = combine ? w.combine : w.dispatch;
    const pmoe::DecompositionParams params = GetDecompositionParams();
    const Time start = Simulator::Now() + std::max(m_commitLatency, m_controlLatency);
    auto plan = std::make_shared<CircuitPlan>();
    plan->layer = layer;
    plan->combine = combine;
    plan->start = start;
    const Time delta = m_switch->GetReconfigurationDelay();
    Time t = start;
    plan->duplex = s.Model() == pmoe::CircuitModel::DUPLEX;
    for (const auto& c : s.Configurations())
    {
        plan->circuits.push_back(c.circuits);
        plan->litStart.push_back(t + delta);
        t += delta + NanoSeconds(c.durationNs);
        plan->litEnd.push_back(t);
    }
    if (s.NumConfigurations() > 0)
    {
        plan->planned = pmoe::PlannedService(demand, s, params.linkRateBps);
        m_switch->RunSchedule(s, start, false);
    }
    plan->residual =
        s.residual.Size() == demand.Size() ? s.residual : pmoe::DemandMatrix(demand.Size());
    (combine ? st.combineStart : st.dispatchStart) = start;
    NS_LOG_INFO("layer " << layer << (combine ? " combine" : " dispatch") << " schedule of "
                         << s.NumConfigurations() << " configurations from " << start);
    std::shared_ptr<const CircuitPlan> shared = plan;
    for (const auto& h : m_hosts)
    {
        Simulator::Schedule(m_controlLatency, &MoeGpuApplication::ReceivePlan, h, shared);
    }
}

} // namespace ns3
