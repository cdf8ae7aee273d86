/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "circuit-scheduler-application.h"

#include "gpu-compute-model.h"
#include "moe-batch-policy.h"
#include "moe-gpu-application.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/photonic-moe-enum-value.h"
#include "ns3/pmoe-auto-scheduler.h"
#include "ns3/pmoe-units.h"
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
                          "Decomposition, by its registered name (pmoe::DecomposerNames(): "
                          "greedy, bvn, solstice, eclipse, rotor, static, and any registered "
                          "later). An unknown name is rejected when set.",
                          StringValue("greedy"),
                          MakeStringAccessor(&CircuitSchedulerApplication::SetAlgorithm,
                                             &CircuitSchedulerApplication::GetAlgorithm),
                          MakeStringChecker())
            .AddAttribute("MaxMatchings",
                          "K: most configurations per schedule (0 = unbounded).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&CircuitSchedulerApplication::m_maxMatchings),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("DurationPolicy",
                          "Greedy duration policy: whole-pair, min-entry or delta-aware.",
                          MakePmoeEnumValue(pmoe::DurationPolicy::WHOLE_PAIR),
                          MakePmoeEnumAccessor(&CircuitSchedulerApplication::m_durationPolicy),
                          MakePmoeEnumChecker<pmoe::DurationPolicy>())
            .AddAttribute("ResidualPolicy",
                          "Demand beyond K: eps (electrical fabric) or append (more "
                          "matchings); relay is not supported at packet level and is rejected "
                          "when set.",
                          MakePmoeEnumValue(pmoe::ResidualPolicy::EPS),
                          MakePmoeEnumAccessor<pmoe::ResidualPolicy>(
                              &CircuitSchedulerApplication::SetResidualPolicy,
                              &CircuitSchedulerApplication::GetResidualPolicy),
                          MakePmoeEnumChecker<pmoe::ResidualPolicy>())
            .AddAttribute("CombineStrategy",
                          "How combine traffic is scheduled: after-dispatch (a second "
                          "schedule once every host has computed its experts).",
                          MakePmoeEnumValue(CombineStrategy::AFTER_DISPATCH),
                          MakePmoeEnumAccessor(&CircuitSchedulerApplication::m_combineStrategy),
                          MakePmoeEnumChecker<CombineStrategy>())
            .AddAttribute("ComputeAware",
                          "Order dispatch configurations so that demand to the GPUs with the "
                          "most expert work goes first (sum of pair demand x receiver load).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&CircuitSchedulerApplication::m_computeAware),
                          MakeBooleanChecker())
            .AddAttribute("AutoComputeModel",
                          "With Algorithm auto: give the dispatch schedule's prediction the "
                          "hosts' GpuComputeModel and overlap policy (per-matching: one batch "
                          "per configuration; any other policy: one batch after the whole "
                          "dispatch); false: auto minimises the communication makespan only.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&CircuitSchedulerApplication::m_autoComputeModel),
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
                          MakePmoeEnumValue(SchedulerTimeMode::CONSTANT),
                          MakePmoeEnumAccessor(&CircuitSchedulerApplication::m_computeTimeMode),
                          MakePmoeEnumChecker<SchedulerTimeMode>())
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
                          MakeDataRateChecker())
            .AddAttribute("ControlLossProbability",
                          "Fault injection: probability in [0, 1) that one transmission of a "
                          "control message (demand row, combine-ready report, plan, commit) "
                          "is lost. Seeded (AssignStreams).",
                          DoubleValue(0),
                          MakeDoubleAccessor(&CircuitSchedulerApplication::m_lossProbability),
                          MakeDoubleChecker<double>(0, 1))
            .AddAttribute("ControlLateProbability",
                          "Fault injection: probability in [0, 1] that a transmission that is "
                          "not lost arrives ControlExtraDelay late.",
                          DoubleValue(0),
                          MakeDoubleAccessor(&CircuitSchedulerApplication::m_lateProbability),
                          MakeDoubleChecker<double>(0, 1))
            .AddAttribute("ControlExtraDelay",
                          "Extra delay of a late control message (>= 0).",
                          TimeValue(MicroSeconds(50)),
                          MakeTimeAccessor(&CircuitSchedulerApplication::m_extraDelay),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("ControlTimeout",
                          "A sender with no acknowledgement this long after a transmission "
                          "sends again (> 0).",
                          TimeValue(MicroSeconds(20)),
                          MakeTimeAccessor(&CircuitSchedulerApplication::m_controlTimeout),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("ControlMaxRetries",
                          "Retransmissions of a lost control message before the fallback "
                          "(host messages and plans: the electrical fabric; commits: the "
                          "schedule is given up and its traffic uses the EPS).",
                          UintegerValue(3),
                          MakeUintegerAccessor(&CircuitSchedulerApplication::m_maxRetries),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource(
                "ControlFault",
                "A control fault: (what: lost | late | retry | fallback | "
                "duplicate, message: demand | ready | plan | commit, layer, host).",
                MakeTraceSourceAccessor(&CircuitSchedulerApplication::m_controlFaultTrace),
                "ns3::CircuitSchedulerApplication::ControlFaultTracedCallback")
            .AddTraceSource("SchedulesComputed",
                            "The dispatch and combine schedules of a layer were computed "
                            "(schedules as they will run, with their fluid evaluation).",
                            MakeTraceSourceAccessor(&CircuitSchedulerApplication::m_schedulesTrace),
                            "ns3::CircuitSchedulerApplication::SchedulesTracedCallback")
            .AddTraceSource(
                "ScheduleStart",
                "A schedule was committed to the switch (layer, combine, start).",
                MakeTraceSourceAccessor(&CircuitSchedulerApplication::m_scheduleStartTrace),
                "ns3::CircuitSchedulerApplication::ScheduleStartTracedCallback");
    return tid;
}

CircuitSchedulerApplication::CircuitSchedulerApplication()
    : m_controlLatency(MicroSeconds(5)),
      m_commitLatency(MicroSeconds(10)),
      m_computeTime(MicroSeconds(10)),
      m_rate("400Gbps"),
      m_epsRate("100Gbps"),
      m_extraDelay(MicroSeconds(50)),
      m_controlTimeout(MicroSeconds(20)),
      m_faultRng(CreateObject<UniformRandomVariable>())
{
}

CircuitSchedulerApplication::~CircuitSchedulerApplication() = default;

void
CircuitSchedulerApplication::DoDispose()
{
    m_switch = nullptr;
    m_hosts.clear();
    m_planes.clear();
    m_plans[0].clear();
    m_plans[1].clear();
    m_faultRng = nullptr;
    Application::DoDispose();
}

void
CircuitSchedulerApplication::StartApplication()
{
    if (m_switch && m_workload && !IsCluster() && m_switch->GetNPorts() != m_workload->numGpus)
    {
        throw pmoe::InputError("CircuitSchedulerApplication: the switch has " +
                               std::to_string(m_switch->GetNPorts()) + " ports for " +
                               std::to_string(m_workload->numGpus) +
                               " GPUs (a cluster needs SetCluster)");
    }
}

void
CircuitSchedulerApplication::StopApplication()
{
}

void
CircuitSchedulerApplication::Setup(std::shared_ptr<const MoeWorkloadData> workload,
                                   Ptr<OpticalCircuitSwitch> sw,
                                   const std::vector<Ptr<MoeGpuApplication>>& hosts)
{
    // The switch has a port per GPU (checked at the start), or is plane 0 of a cluster
    // (SetCluster checks the planes).
    if (!workload || !sw || hosts.size() != workload->numGpus ||
        sw->GetNPorts() > workload->numGpus)
    {
        throw pmoe::InputError("CircuitSchedulerApplication::Setup: the switch, the hosts and "
                               "the scenario disagree on the number of GPUs");
    }
    GetDecompositionParams(); // validates the planning rate
    workload->Check("CircuitSchedulerApplication::Setup");
    m_workload = std::move(workload);
    m_switch = sw;
    m_hosts = hosts;
    const uint32_t n = m_workload->numGpus;
    m_layers.assign(m_workload->layers.size(), LayerState());
    for (uint32_t l = 0; l < m_layers.size(); ++l)
    {
        LayerState& st = m_layers[l];
        st.schedules.layer = l;
        st.reported.assign(n, false);
        st.ready.assign(n, false);
        st.planDelivered[0].assign(n, false);
        st.planDelivered[1].assign(n, false);
    }
    m_plans[0].assign(m_workload->layers.size(), nullptr);
    m_plans[1].assign(m_workload->layers.size(), nullptr);
    if (m_lossProbability >= 1)
    {
        throw pmoe::InputError("CircuitSchedulerApplication::ControlLossProbability must be "
                               "< 1, got " +
                               std::to_string(m_lossProbability));
    }
}

ControlFaultCounters
CircuitSchedulerApplication::GetControlFaultCounters() const
{
    return m_faults;
}

int64_t
CircuitSchedulerApplication::AssignStreams(int64_t stream)
{
    m_faultRng->SetStream(stream);
    return 1;
}

bool
CircuitSchedulerApplication::ControlFaultsEnabled() const
{
    return m_lossProbability > 0 || m_lateProbability > 0;
}

namespace
{

/**
 * @param msg a control message kind (CircuitSchedulerApplication::ControlMessage)
 * @return its name for the ControlFault trace
 */
const char*
MessageName(uint32_t msg)
{
    static const char* const names[] = {"demand", "ready", "plan", "plan", "commit", "commit"};
    return msg < 6 ? names[msg] : "unknown";
}

} // namespace

void
CircuitSchedulerApplication::ControlArrival(uint32_t msg,
                                            uint32_t layer,
                                            uint32_t host,
                                            uint32_t attempt)
{
    if (attempt == 0)
    {
        ++m_faults.messages;
    }
    if (!ControlFaultsEnabled())
    {
        DeliverControl(msg, layer, host);
        return;
    }
    const char* name = MessageName(msg);
    if (m_lossProbability > 0 && m_faultRng->GetValue(0, 1) < m_lossProbability)
    {
        ++m_faults.lost;
        m_controlFaultTrace("lost", name, layer, host);
        if (attempt < m_maxRetries)
        {
            // The sender notices after ControlTimeout and sends again; the retry arrives
            // ControlTimeout after this attempt would have.
            ++m_faults.retries;
            m_controlFaultTrace("retry", name, layer, host);
            Simulator::Schedule(m_controlTimeout,
                                &CircuitSchedulerApplication::ControlArrival,
                                this,
                                msg,
                                layer,
                                host,
                                attempt + 1);
        }
        else
        {
            ++m_faults.fallbacks;
            m_controlFaultTrace("fallback", name, layer, host);
            if (msg == MSG_COMMIT || msg == MSG_COMMIT_COMBINE)
            {
                const bool combine = msg == MSG_COMMIT_COMBINE;
                m_layers[layer].commitFailed[combine ? 1 : 0] = true;
                ++m_faults.commitFallbacks;
                NS_LOG_WARN("layer " << layer << ": " << (combine ? "combine" : "dispatch")
                                     << " schedule never committed; its traffic uses the EPS");
                return;
            }
            Simulator::Schedule(m_controlTimeout,
                                &CircuitSchedulerApplication::DeliverControl,
                                this,
                                msg,
                                layer,
                                host);
        }
        return;
    }
    if (m_lateProbability > 0 && m_faultRng->GetValue(0, 1) < m_lateProbability)
    {
        ++m_faults.late;
        m_controlFaultTrace("late", name, layer, host);
        if (m_extraDelay >= m_controlTimeout && attempt < m_maxRetries)
        {
            // The sender times out before the late original arrives: a retry (a duplicate
            // for the receiver, unless it overtakes the original).
            ++m_faults.retries;
            m_controlFaultTrace("retry", name, layer, host);
            Simulator::Schedule(m_controlTimeout,
                                &CircuitSchedulerApplication::ControlArrival,
                                this,
                                msg,
                                layer,
                                host,
                                attempt + 1);
        }
        Simulator::Schedule(m_extraDelay,
                            &CircuitSchedulerApplication::DeliverControl,
                            this,
                            msg,
                            layer,
                            host);
        return;
    }
    DeliverControl(msg, layer, host);
}

void
CircuitSchedulerApplication::DeliverControl(uint32_t msg, uint32_t layer, uint32_t host)
{
    LayerState& st = m_layers.at(layer);
    if (msg == MSG_COMMIT || msg == MSG_COMMIT_COMBINE)
    {
        const int c = msg == MSG_COMMIT_COMBINE ? 1 : 0;
        if (st.committed[c] || st.commitFailed[c])
        {
            ++m_faults.duplicates;
            m_controlFaultTrace("duplicate", MessageName(msg), layer, host);
            return;
        }
        st.committed[c] = true;
        CommitIn(layer, c == 1);
        return;
    }
    std::vector<bool>& seen = msg == MSG_DEMAND ? st.reported
                              : msg == MSG_READY
                                  ? st.ready
                                  : st.planDelivered[msg == MSG_PLAN_COMBINE ? 1 : 0];
    if (seen.at(host))
    {
        ++m_faults.duplicates;
        m_controlFaultTrace("duplicate", MessageName(msg), layer, host);
        return;
    }
    seen[host] = true;
    switch (msg)
    {
    case MSG_DEMAND:
        DemandIn(layer, host);
        break;
    case MSG_READY:
        ReadyIn(layer, host);
        break;
    default: {
        auto& plan = m_plans[msg == MSG_PLAN_COMBINE ? 1 : 0].at(layer);
        m_hosts.at(host)->ReceivePlan(plan);
        if (std::all_of(seen.begin(), seen.end(), [](bool b) { return b; }))
        {
            plan.reset(); // every host has it (CommitIn uses nominalStart)
        }
        break;
    }
    }
}

Time
CircuitSchedulerApplication::GetControlLatency() const
{
    return m_controlLatency;
}

void
CircuitSchedulerApplication::SetAlgorithm(std::string name)
{
    try
    {
        pmoe::MakeDecomposer(name); // throws on an unknown name
    }
    catch (const pmoe::InputError& e)
    {
        throw pmoe::InputError(std::string("CircuitSchedulerApplication::Algorithm: ") + e.what());
    }
    m_algorithm = name;
}

std::string
CircuitSchedulerApplication::GetAlgorithm() const
{
    return m_algorithm;
}

void
CircuitSchedulerApplication::SetResidualPolicy(pmoe::ResidualPolicy policy)
{
    if (policy == pmoe::ResidualPolicy::RELAY)
    {
        throw pmoe::InputError("residual policy 'relay' is not supported at packet level "
                               "(use eps or append)");
    }
    m_residualPolicy = policy;
}

pmoe::ResidualPolicy
CircuitSchedulerApplication::GetResidualPolicy() const
{
    return m_residualPolicy;
}

pmoe::DecompositionParams
CircuitSchedulerApplication::GetDecompositionParams() const
{
    pmoe::DecompositionParams p;
    p.algorithm = m_algorithm;
    p.model = m_switch ? m_switch->GetCircuitModel() : pmoe::CircuitModel::UNIDIRECTIONAL;
    p.maxMatchings = m_maxMatchings;
    p.durationPolicy = m_durationPolicy;
    p.residualPolicy = m_residualPolicy;
    p.reconfigDelayNs =
        m_switch ? m_switch->GetReconfigurationDelay().GetNanoSeconds() : p.reconfigDelayNs;
    p.linkRateBps =
        static_cast<pmoe::Bps>(static_cast<double>(m_rate.GetBitRate()) * m_planningEfficiency);
    // Only "auto" reads it: the electrical fabric it may leave residual to.
    p.epsRateBps = static_cast<pmoe::Bps>(m_epsRate.GetBitRate());
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
    ControlArrival(MSG_DEMAND, layer, host, 0);
}

void
CircuitSchedulerApplication::ReportCombineReady(uint32_t layer, uint32_t host)
{
    ControlArrival(MSG_READY, layer, host, 0);
}

void
CircuitSchedulerApplication::DemandIn(uint32_t layer, uint32_t host)
{
    NS_LOG_INFO("layer " << layer << ": demand row of GPU " << host);
    LayerState& st = m_layers.at(layer);
    if (++st.reports == m_workload->numGpus)
    {
        ComputeSchedules(layer);
    }
}

void
CircuitSchedulerApplication::ReadyIn(uint32_t layer, uint32_t host)
{
    NS_LOG_INFO("layer " << layer << ": GPU " << host << " computed its experts");
    LayerState& st = m_layers.at(layer);
    if (++st.readyReports == m_workload->numGpus)
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

pmoe::LayerTimeModel
CircuitSchedulerApplication::HostComputeModel(uint32_t layer) const
{
    const auto& w = m_workload->layers[layer];
    const uint32_t n = m_workload->numGpus;
    const uint64_t perCopy = std::max<uint64_t>(1, m_workload->dispatchBytesPerCopy);
    std::vector<Ptr<GpuComputeModel>> gpus(n);
    bool perMatching = false;
    for (uint32_t j = 0; j < n && j < m_hosts.size(); ++j)
    {
        gpus[j] = m_hosts[j]->GetNode()->GetObject<GpuComputeModel>();
        const Ptr<MoeBatchPolicy> policy = m_hosts[j]->GetBatchPolicy();
        if (policy && policy->GetInstanceTypeId() == MoePerMatchingBatchPolicy::GetTypeId())
        {
            perMatching = true;
        }
    }
    pmoe::LayerTimeModel model;
    model.perMatching = perMatching;
    // A batch of b bytes holds b / dispatchBytesPerCopy token copies, split over the GPU's
    // local experts in proportion to the layer's tokens per local expert (largest remainder),
    // and takes GpuComputeModel::BatchTime of that split: the model the GPUs run.
    const std::vector<std::vector<uint64_t>>& shares = w.gpuExpertTokens;
    model.chunkComputeNs = [&shares, gpus, perCopy](uint32_t gpu, pmoe::Bytes bytes) -> pmoe::Ns {
        if (bytes == 0 || gpu >= gpus.size() || !gpus[gpu])
        {
            return 0;
        }
        const uint64_t copies = (static_cast<uint64_t>(bytes) + perCopy - 1) / perCopy;
        const auto& share = shares.at(gpu);
        uint64_t total = 0;
        for (uint64_t t : share)
        {
            total += t;
        }
        std::vector<uint64_t> split(share.size(), 0);
        if (total == 0 || split.empty())
        {
            return 0;
        }
        uint64_t given = 0;
        for (std::size_t e = 0; e < share.size(); ++e)
        {
            split[e] = static_cast<uint64_t>(static_cast<long double>(copies) * share[e] / total);
            given += split[e];
        }
        for (std::size_t e = 0; given < copies; e = (e + 1) % split.size())
        {
            if (share[e] > 0)
            {
                ++split[e];
                ++given;
            }
        }
        return gpus[gpu]->BatchTime(split).GetNanoSeconds();
    };
    return model;
}

void
CircuitSchedulerApplication::ComputeSchedules(uint32_t layer)
{
    if (IsCluster())
    {
        ComputeClusterSchedules(layer);
        return;
    }
    const auto& w = m_workload->layers[layer];
    LayerState& st = m_layers[layer];
    const pmoe::DecompositionParams params = GetDecompositionParams();
    const auto t0 = std::chrono::steady_clock::now();
    auto decompose = [&params, this](const pmoe::DemandMatrix& d) {
        if (d.IsZero())
        {
            pmoe::Schedule empty(m_workload->numGpus, params.model);
            empty.algorithm = params.algorithm;
            empty.residual = pmoe::DemandMatrix(m_workload->numGpus);
            return empty;
        }
        return pmoe::Decompose(d, params);
    };
    CircuitLayerSchedules& out = st.schedules;
    const pmoe::LayerTimeModel model = HostComputeModel(layer);
    // "auto" directly, to keep its choice: the same schedule Decompose(auto) gives, or with
    // AutoComputeModel the one that minimises the predicted layer time with the hosts' compute.
    auto decomposeOrAuto =
        [&](const pmoe::DemandMatrix& d, const pmoe::LayerTimeModel& m, std::string& choice) {
            if (m_algorithm != "auto" || d.IsZero())
            {
                return decompose(d);
            }
            pmoe::AutoResult a = pmoe::AutoSchedule(d, params, m);
            choice = a.choice;
            return std::move(a.schedule);
        };
    out.dispatch = decomposeOrAuto(w.dispatch,
                                   m_autoComputeModel ? model : pmoe::LayerTimeModel(),
                                   out.autoChoice);
    out.combine = decomposeOrAuto(w.combine, pmoe::LayerTimeModel(), out.autoCombineChoice);
    ReleaseFinished(layer);
    const auto t1 = std::chrono::steady_clock::now();
    out.measuredComputeNs = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
    if (m_computeAware)
    {
        OrderComputeAware(out.dispatch, w.dispatch);
    }
    pmoe::FluidParams fp;
    fp.reconfigDelayNs = params.reconfigDelayNs;
    fp.linkRateBps = params.linkRateBps;
    fp.mode = m_switch->GetReconfigMode();
    fp.epsRateBps = static_cast<pmoe::Bps>(m_epsRate.GetBitRate());
    // The prediction of what runs, with the model "auto" minimises (its fluid evaluation is
    // the schedule's).
    out.dispatchPrediction = pmoe::PredictLayerTime(w.dispatch, out.dispatch, fp, model);
    out.combinePrediction = pmoe::PredictLayerTime(w.combine, out.combine, fp);
    out.dispatchFluid = out.dispatchPrediction.fluid;
    out.combineFluid = out.combinePrediction.fluid;
    // First dispatch byte -> last combine byte: the dispatch phase with compute, the last
    // combine-ready report, the combine commit, the combine schedule (0: no prediction, a
    // residual without an electrical fabric).
    const pmoe::LayerPrediction& d = out.dispatchPrediction;
    const pmoe::LayerPrediction& c = out.combinePrediction;
    out.predictedLayerTime = d.layerTimeNs == pmoe::kNeverNs || c.layerTimeNs == pmoe::kNeverNs
                                 ? Time(0)
                                 : NanoSeconds(d.layerTimeNs - d.firstByteNs + c.layerTimeNs) +
                                       m_controlLatency +
                                       std::max(m_commitLatency, m_controlLatency);
    out.computeTime =
        m_computeTimeMode == SchedulerTimeMode::MEASURED
            ? NanoSeconds(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count())
            : m_computeTime;
    NS_LOG_INFO("layer " << layer << ": " << out.dispatch.NumConfigurations() << " dispatch + "
                         << out.combine.NumConfigurations() << " combine configurations");
    m_schedulesTrace(out);
    Simulator::Schedule(out.computeTime, &CircuitSchedulerApplication::Launch, this, layer, false);
}

void
CircuitSchedulerApplication::Launch(uint32_t layer, bool combine)
{
    const auto& w = m_workload->layers[layer];
    LayerState& st = m_layers[layer];
    const pmoe::Schedule& s = combine ? st.schedules.combine : st.schedules.dispatch;
    const pmoe::DemandMatrix& demand = combine ? w.combine : w.dispatch;
    const pmoe::DecompositionParams params = GetDecompositionParams();
    const Time start = Simulator::Now() + std::max(m_commitLatency, m_controlLatency);
    auto plan = std::make_shared<CircuitPlan>();
    plan->layer = layer;
    plan->combine = combine;
    plan->start = start;
    // The timeline the switch will run (from dark ports: the previous schedule has ended).
    plan->timeline = pmoe::ScheduleTimeline(s,
                                            m_switch->GetReconfigurationDelay().GetNanoSeconds(),
                                            m_switch->GetReconfigMode(),
                                            start.GetNanoSeconds());
    if (s.NumConfigurations() > 0)
    {
        plan->planned = pmoe::PlannedService(demand, s, params.linkRateBps);
    }
    plan->residual =
        s.residual.Size() == demand.Size() ? s.residual : pmoe::DemandMatrix(demand.Size());
    if (IsCluster())
    {
        plan->residual = demand; // released at the start; the NICs' VOQs wait for the circuits
    }
    NS_LOG_INFO("layer " << layer << (combine ? " combine" : " dispatch") << " schedule of "
                         << s.NumConfigurations() << " configurations from " << start);
    m_plans[combine ? 1 : 0].at(layer) = plan;
    st.nominalStart[combine ? 1 : 0] = start;
    if (HasCircuits(st.schedules, combine))
    {
        // The commit reaches the switch now and takes CommitLatency (start, unless late).
        ControlArrival(combine ? MSG_COMMIT_COMBINE : MSG_COMMIT, layer, m_workload->numGpus, 0);
    }
    for (uint32_t h = 0; h < m_hosts.size(); ++h)
    {
        Simulator::Schedule(m_controlLatency,
                            &CircuitSchedulerApplication::ControlArrival,
                            this,
                            static_cast<uint32_t>(combine ? MSG_PLAN_COMBINE : MSG_PLAN),
                            layer,
                            h,
                            0u);
    }
}

void
CircuitSchedulerApplication::ReleaseFinished(uint32_t layer)
{
    while (m_releasedUpTo < layer)
    {
        LayerState& st = m_layers[m_releasedUpTo];
        CircuitLayerSchedules& sc = st.schedules;
        const bool dispatchDone = !HasCircuits(sc, false) || st.committed[0] || st.commitFailed[0];
        const bool combineDone = !HasCircuits(sc, true) || st.committed[1] || st.commitFailed[1];
        if (!dispatchDone || !combineDone)
        {
            return; // a commit still on its way needs the schedule; try again next layer
        }
        sc = CircuitLayerSchedules();
        sc.layer = m_releasedUpTo;
        ++m_releasedUpTo;
    }
}

void
CircuitSchedulerApplication::CommitIn(uint32_t layer, bool combine)
{
    LayerState& st = m_layers[layer];
    if (!combine && st.committed[1])
    {
        // The dispatch schedule arrived after the combine schedule: running it now would
        // replace the combine schedule. Its traffic has used the EPS meanwhile.
        st.commitFailed[0] = true;
        ++m_faults.commitFallbacks;
        return;
    }
    const pmoe::Schedule& s = combine ? st.schedules.combine : st.schedules.dispatch;
    const Time nominal = st.nominalStart[combine ? 1 : 0];
    const Time start = std::max(nominal, Simulator::Now() + m_commitLatency);
    if (IsCluster())
    {
        RunClusterSchedules(st.schedules, combine, start);
    }
    else
    {
        m_switch->RunSchedule(s, start, false);
    }
    m_scheduleStartTrace(layer, combine, start);
}

} // namespace ns3
