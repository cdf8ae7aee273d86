/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-stats-collector.h"

#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/gpu-compute-model.h"
#include "ns3/moe-gpu-application.h"
#include "ns3/ocs-net-device.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-schedule-timeline.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ns3
{

namespace
{

/// Most conservation errors recorded per run.
constexpr std::size_t kMaxErrors = 10;

/** @return heap bytes in use (0 if unknown) */
uint64_t
HeapBytes()
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    const struct mallinfo2 mi = mallinfo2();
    return static_cast<uint64_t>(mi.uordblks) + static_cast<uint64_t>(mi.hblkhd);
#else
    return 0;
#endif
}

/** @return resident set size of this process in bytes (0 if unknown) */
uint64_t
ResidentBytes()
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

/**
 * @param t a time, Time::Max() for never
 * @return it in ns, -1 for never
 */
int64_t
NsOrNever(Time t)
{
    return t == Time::Max() ? -1 : t.GetNanoSeconds();
}

/**
 * Append the lit circuits of a schedule that ran to a timeline (the switch's timeline: a
 * circuit kept through a reconfiguration is lit from the step start).
 * @param out the timeline
 * @param kind interval kind
 * @param layer the layer
 * @param s the schedule
 * @param start when it started on the switch
 * @param sw the switch (delta, mode)
 */
void
AppendCircuits(std::vector<MoeTimelineInterval>& out,
               const std::string& kind,
               uint32_t layer,
               const pmoe::Schedule& s,
               Time start,
               Ptr<OpticalCircuitSwitch> sw)
{
    if (start == Time::Max())
    {
        return;
    }
    const pmoe::ScheduleTimeline timeline(s,
                                          sw->GetReconfigurationDelay().GetNanoSeconds(),
                                          sw->GetReconfigMode(),
                                          start.GetNanoSeconds());
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

/**
 * Add an item to a "; "-separated list unless it is empty or already there.
 * @param list the list
 * @param item the item
 */
void
AppendDistinct(std::string& list, const std::string& item)
{
    if (item.empty())
    {
        return;
    }
    std::size_t from = 0;
    while (from <= list.size() && !list.empty())
    {
        const std::size_t to = std::min(list.find("; ", from), list.size());
        if (list.compare(from, to - from, item) == 0)
        {
            return;
        }
        from = to + 2;
    }
    list += (list.empty() ? "" : "; ") + item;
}

} // namespace

MoeStatsCollector::MoeStatsCollector() = default;

MoeStatsCollector::~MoeStatsCollector() = default;

void
MoeStatsCollector::SetRecordTimeline(bool record)
{
    m_recordTimeline = record;
}

void
MoeStatsCollector::SetSampleMemory(bool sample)
{
    m_sampleMemory = sample;
}

void
MoeStatsCollector::Install(const ApplicationContainer& gpuApps)
{
    if (gpuApps.GetN() == 0)
    {
        throw pmoe::InputError("MoeStatsCollector::Install: the application container is empty "
                               "(0 applications; install the MoeGpuApplications first)");
    }
    for (uint32_t g = 0; g < gpuApps.GetN(); ++g)
    {
        Ptr<MoeGpuApplication> app = DynamicCast<MoeGpuApplication>(gpuApps.Get(g));
        if (!app || app->GetIndex() != g || !app->GetWorkload() ||
            (m_workload && app->GetWorkload() != m_workload))
        {
            throw pmoe::InputError("MoeStatsCollector::Install: application " + std::to_string(g) +
                                   " is not the MoeGpuApplication of GPU " + std::to_string(g) +
                                   " of one workload");
        }
        m_workload = app->GetWorkload();
        m_apps.push_back(app);
    }
    if (m_apps.size() != m_workload->numGpus)
    {
        throw pmoe::InputError("MoeStatsCollector::Install: " + std::to_string(m_apps.size()) +
                               " applications for " + std::to_string(m_workload->numGpus) +
                               " GPUs");
    }
    const uint32_t n = m_workload->numGpus;
    const std::size_t layers = m_workload->layers.size();
    GpuLayer blank;
    for (auto& v : blank.sent)
    {
        v.assign(n, 0);
    }
    for (auto& v : blank.received)
    {
        v.assign(n, 0);
    }
    m_gpuLayers.assign(layers, std::vector<GpuLayer>(n, blank));
    m_lastStarted.assign(n, 0);
    m_layerDoneCount.assign(layers, 0);
    if (m_sampleMemory)
    {
        m_rss.assign(layers, 0);
        m_heap.assign(layers, 0);
    }
    for (uint32_t g = 0; g < n; ++g)
    {
        Ptr<MoeGpuApplication> app = m_apps[g];
        m_gpus.push_back(app->GetNode()->GetObject<GpuComputeModel>());
        app->TraceConnectWithoutContext(
            "LayerStart",
            MakeCallback(&MoeStatsCollector::OnLayerStart, this).Bind(g));
        app->TraceConnectWithoutContext(
            "LayerDone",
            MakeCallback(&MoeStatsCollector::OnLayerDone, this).Bind(g));
        app->TraceConnectWithoutContext("Tx", MakeCallback(&MoeStatsCollector::OnTx, this).Bind(g));
        app->TraceConnectWithoutContext("Rx", MakeCallback(&MoeStatsCollector::OnRx, this).Bind(g));
        app->TraceConnectWithoutContext("Batch",
                                        MakeCallback(&MoeStatsCollector::OnBatch, this).Bind(g));
        app->TraceConnectWithoutContext(
            "BatchDone",
            MakeCallback(&MoeStatsCollector::OnBatchDone, this).Bind(g));
        if (m_recordTimeline && m_gpus[g])
        {
            m_gpus[g]->TraceConnectWithoutContext(
                "BatchEnd",
                MakeCallback(&MoeStatsCollector::OnComputeEnd, this).Bind(g));
        }
    }
}

void
MoeStatsCollector::Install(Ptr<CircuitSchedulerApplication> scheduler, Ptr<OpticalCircuitSwitch> sw)
{
    if (!m_workload || !scheduler || !sw)
    {
        throw pmoe::InputError("MoeStatsCollector::Install: install the GPU applications "
                               "first, then a scheduler and its switch");
    }
    m_scheduler = scheduler;
    m_switch = sw;
    m_schedulerLayers.clear();
    m_schedulerLayers.resize(m_workload->layers.size());
    scheduler->TraceConnectWithoutContext("SchedulesComputed",
                                          MakeCallback(&MoeStatsCollector::OnSchedules, this));
    scheduler->TraceConnectWithoutContext("ScheduleStart",
                                          MakeCallback(&MoeStatsCollector::OnScheduleStart, this));
}

void
MoeStatsCollector::SetFabric(const NetDeviceContainer& devices,
                             Ptr<OpticalCircuitSwitch> sw,
                             Ptr<ElectricalPacketSwitch> eps)
{
    m_devices = devices;
    m_switch = sw;
    m_eps = eps;
}

void
MoeStatsCollector::OnLayerStart(uint32_t gpu, uint32_t layer)
{
    GpuLayer& s = m_gpuLayers[layer][gpu];
    s.start = Simulator::Now();
    if (m_gpus[gpu])
    {
        s.idealCompute = m_gpus[gpu]->IdealTime(m_workload->layers[layer].gpuExpertTokens[gpu]);
    }
    m_lastStarted[gpu] = layer;
}

void
MoeStatsCollector::OnLayerDone(uint32_t gpu, uint32_t layer)
{
    m_gpuLayers[layer][gpu].done = Simulator::Now();
    if (m_sampleMemory && ++m_layerDoneCount[layer] == m_apps.size())
    {
        m_rss[layer] = ResidentBytes();
        m_heap[layer] = HeapBytes();
    }
}

void
MoeStatsCollector::OnTx(uint32_t gpu, uint32_t kind, uint32_t peer, uint64_t bytes, uint32_t layer)
{
    GpuLayer& s = m_gpuLayers[layer][gpu];
    s.sent[kind][peer] += bytes;
    if (kind == MOE_DISPATCH)
    {
        s.firstDispatchSent = std::min(s.firstDispatchSent, Simulator::Now());
    }
}

void
MoeStatsCollector::OnRx(uint32_t gpu, uint32_t kind, uint32_t peer, uint64_t bytes, uint32_t layer)
{
    GpuLayer& s = m_gpuLayers[layer][gpu];
    s.received[kind][peer] += bytes;
    (kind == MOE_DISPATCH ? s.lastDispatchReceived : s.lastCombineReceived) = Simulator::Now();
}

void
MoeStatsCollector::OnBatch(uint32_t gpu, uint32_t layer, uint64_t tokens, Time busy)
{
    GpuLayer& s = m_gpuLayers[layer][gpu];
    ++s.batches;
    s.tokens += tokens;
    s.maxBatch = std::max(s.maxBatch, tokens);
    s.computeBusy += busy;
}

void
MoeStatsCollector::OnBatchDone(uint32_t gpu, uint32_t layer, uint64_t /* tokens */)
{
    m_gpuLayers[layer][gpu].lastBatchDone = Simulator::Now();
}

void
MoeStatsCollector::OnComputeEnd(uint32_t gpu, uint64_t tokens, Time duration)
{
    MoeTimelineInterval iv;
    iv.kind = "compute";
    iv.layer = m_lastStarted[gpu];
    iv.node = gpu;
    iv.value = tokens;
    iv.endNs = Simulator::Now().GetNanoSeconds();
    iv.startNs = iv.endNs - duration.GetNanoSeconds();
    m_compute.push_back(iv);
}

void
MoeStatsCollector::FluidComm(const pmoe::DemandMatrix& demand,
                             const pmoe::Schedule& s,
                             int64_t& makespan,
                             int64_t& lastByte) const
{
    makespan = 0;
    lastByte = 0;
    if (demand.IsZero() || s.Ports() != demand.Size())
    {
        return; // nothing to send
    }
    const pmoe::DecompositionParams params = m_scheduler->GetDecompositionParams();
    DataRateValue rate;
    DataRateValue epsRate;
    DoubleValue efficiency;
    m_scheduler->GetAttribute("CircuitRate", rate);
    m_scheduler->GetAttribute("EpsRate", epsRate);
    m_scheduler->GetAttribute("PlanningEfficiency", efficiency);
    pmoe::FluidParams fp;
    fp.reconfigDelayNs = params.reconfigDelayNs;
    fp.linkRateBps = static_cast<pmoe::Bps>(rate.Get().GetBitRate());
    fp.mode = m_switch->GetReconfigMode();
    fp.epsRateBps = static_cast<pmoe::Bps>(epsRate.Get().GetBitRate());
    const pmoe::FluidResult f = pmoe::EvaluateSchedule(demand, s, fp);
    const pmoe::ScheduleTimeline timeline(s, fp.reconfigDelayNs, fp.mode);
    makespan = f.makespanNs;
    lastByte = f.epsTimeNs;
    // The bytes the GPUs release in each configuration: the plan at the planning rate.
    const auto planningRate =
        static_cast<pmoe::Bps>(static_cast<double>(fp.linkRateBps) * efficiency.Get());
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
                    lastByte = std::max(lastByte,
                                        timeline.CircuitLitFromNs(k, static_cast<uint32_t>(i)) +
                                            pmoe::TransmissionTimeNs(b, fp.linkRateBps));
                }
            }
        }
    }
}

void
MoeStatsCollector::OnSchedules(const CircuitLayerSchedules& schedules)
{
    SchedulerLayer& s = m_schedulerLayers.at(schedules.layer);
    const auto& w = m_workload->layers[schedules.layer];
    s.computed = true;
    s.dispatchMatchings = static_cast<uint32_t>(schedules.dispatch.NumConfigurations());
    s.combineMatchings = static_cast<uint32_t>(schedules.combine.NumConfigurations());
    s.dispatchBubbleFraction = schedules.dispatchFluid.bubbleFraction;
    s.reconfigurations = static_cast<uint32_t>(schedules.dispatchFluid.reconfigurations +
                                               schedules.combineFluid.reconfigurations);
    s.reconfigTimeNs =
        schedules.dispatchFluid.reconfigTimeNs + schedules.combineFluid.reconfigTimeNs;
    s.litNs = 0;
    for (const pmoe::Schedule* sched : {&schedules.dispatch, &schedules.combine})
    {
        for (const auto& c : sched->Configurations())
        {
            s.litNs += static_cast<int64_t>(c.circuits.size()) * c.durationNs;
        }
    }
    s.bubbleNs = schedules.dispatchFluid.bubbleNs + schedules.combineFluid.bubbleNs;
    s.residualBytes = static_cast<uint64_t>(schedules.dispatchFluid.residualBytes +
                                            schedules.combineFluid.residualBytes);
    s.computeTimeNs = schedules.computeTime.GetNanoSeconds();
    s.measuredNs = schedules.measuredComputeNs;
    s.predictedNs = schedules.predictedLayerTime.GetNanoSeconds();
    s.predictedDispatchNs = schedules.dispatchPrediction.layerTimeNs;
    s.predictedCombineNs = schedules.combinePrediction.layerTimeNs;
    s.autoChoice = schedules.autoChoice;
    s.autoCombineChoice = schedules.autoCombineChoice;
    if (!schedules.planeDispatch.empty())
    {
        OnClusterSchedules(schedules, s);
        return;
    }
    FluidComm(w.dispatch, schedules.dispatch, s.fluidNs[0], s.fluidLastByteNs[0]);
    FluidComm(w.combine, schedules.combine, s.fluidNs[1], s.fluidLastByteNs[1]);
    if (m_recordTimeline)
    {
        s.schedule[0] = std::make_unique<pmoe::Schedule>(schedules.dispatch);
        s.schedule[1] = std::make_unique<pmoe::Schedule>(schedules.combine);
    }
}

void
MoeStatsCollector::OnScheduleStart(uint32_t layer, bool combine, Time start)
{
    m_schedulerLayers.at(layer).start[combine ? 1 : 0] = start;
}

MoeLayerRunResult
MoeStatsCollector::Collect() const
{
    MoeLayerRunResult result;
    if (!m_workload)
    {
        return result;
    }
    const uint32_t n = m_workload->numGpus;
    const uint32_t layers = static_cast<uint32_t>(m_workload->layers.size());
    Ptr<OcsNetDevice> first =
        m_devices.GetN() > 0 ? DynamicCast<OcsNetDevice>(m_devices.Get(0)) : Ptr<OcsNetDevice>();
    const uint64_t rate = first ? first->GetDataRate().GetBitRate() : 0;
    int64_t totalLit = 0;
    int64_t totalBubble = 0;
    for (uint32_t l = 0; l < layers; ++l)
    {
        const auto& w = m_workload->layers[l];
        MoeLayerMeasurement m;
        m.layer = l;
        m.dispatchBytesExpected = static_cast<uint64_t>(w.dispatch.Total());
        m.combineBytesExpected = static_cast<uint64_t>(w.combine.Total());
        m.loadBoundNs = rate > 0 ? pmoe::LoadLowerBoundNs(w.dispatch, rate) : 0;
        Time firstSent = Time::Max();
        Time lastCombine = Time(0);
        Time lastDispatch = Time(0);
        Time firstStart = Time::Max();
        Time lastDone = Time(0);
        bool allDone = true;
        uint64_t batchTokens = 0;
        for (uint32_t g = 0; g < n; ++g)
        {
            const GpuLayer& st = m_gpuLayers[l][g];
            firstSent = std::min(firstSent, st.firstDispatchSent);
            lastCombine = std::max(lastCombine, st.lastCombineReceived);
            lastDispatch = std::max(lastDispatch, st.lastDispatchReceived);
            firstStart = std::min(firstStart, st.start);
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
            gm.startNs = NsOrNever(st.start);
            gm.doneNs = NsOrNever(st.done);
            gm.dispatchDoneNs = st.lastDispatchReceived.GetNanoSeconds();
            gm.computeDoneNs = st.lastBatchDone.GetNanoSeconds();
            for (uint32_t j = 0; j < n; ++j)
            {
                gm.dispatchBytesSent += st.sent[MOE_DISPATCH][j];
                gm.dispatchBytesReceived += st.received[MOE_DISPATCH][j];
                gm.combineBytesSent += st.sent[MOE_COMBINE][j];
                gm.combineBytesReceived += st.received[MOE_COMBINE][j];
            }
            gm.computeBusyNs = st.computeBusy.GetNanoSeconds();
            gm.idealComputeNs = st.idealCompute.GetNanoSeconds();
            gm.batches = st.batches;
            gm.tokens = st.tokens;
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
            m.maxBatchTokens = std::max(m.maxBatchTokens, st.maxBatch);
            // Conservation per pair: what g sent to j is what j received from g.
            for (uint32_t j = 0; j < n; ++j)
            {
                if (j == g)
                {
                    continue;
                }
                const GpuLayer& rj = m_gpuLayers[l][j];
                const auto d = static_cast<uint64_t>(w.dispatch.At(g, j));
                const auto c = static_cast<uint64_t>(w.combine.At(g, j));
                if ((st.sent[MOE_DISPATCH][j] != d || rj.received[MOE_DISPATCH][g] != d ||
                     st.sent[MOE_COMBINE][j] != c || rj.received[MOE_COMBINE][g] != c) &&
                    result.conservationErrors.size() < kMaxErrors)
                {
                    std::ostringstream e;
                    e << "layer " << l << " pair " << g << "->" << j << ": dispatch " << d
                      << " demanded, " << st.sent[MOE_DISPATCH][j] << " sent, "
                      << rj.received[MOE_DISPATCH][g] << " delivered; combine " << c
                      << " demanded, " << st.sent[MOE_COMBINE][j] << " sent, "
                      << rj.received[MOE_COMBINE][g] << " delivered";
                    result.conservationErrors.push_back(e.str());
                }
            }
        }
        if (!allDone && result.conservationErrors.size() < kMaxErrors)
        {
            result.conservationErrors.push_back("layer " + std::to_string(l) +
                                                " not completed at every GPU");
        }
        if (firstSent != Time::Max())
        {
            m.layerTimeNs =
                lastCombine < firstSent ? 0 : (lastCombine - firstSent).GetNanoSeconds();
        }
        else
        {
            // No network traffic (everything local): the layer is its compute.
            m.layerTimeNs = (allDone && firstStart != Time::Max())
                                ? (lastDone - firstStart).GetNanoSeconds()
                                : 0;
        }
        m.layerSpanNs =
            (allDone && firstStart != Time::Max()) ? (lastDone - firstStart).GetNanoSeconds() : 0;
        m.computeEfficiency = m.computeBusyNs > 0 ? static_cast<double>(m.idealComputeNs) /
                                                        static_cast<double>(m.computeBusyNs)
                                                  : 1.0;
        m.meanBatchTokens =
            m.batches > 0 ? static_cast<double>(batchTokens) / static_cast<double>(m.batches) : 0.0;
        if (m_scheduler)
        {
            const SchedulerLayer& ss = m_schedulerLayers[l];
            m.numMatchings = ss.dispatchMatchings + ss.combineMatchings;
            m.dispatchMatchings = ss.dispatchMatchings;
            m.dispatchBubbleFraction = ss.dispatchBubbleFraction;
            m.reconfigurations = ss.reconfigurations;
            m.reconfigTimeNs = ss.reconfigTimeNs;
            totalLit += ss.litNs;
            totalBubble += ss.bubbleNs;
            m.bubbleFraction =
                ss.litNs > 0 ? static_cast<double>(ss.bubbleNs) / static_cast<double>(ss.litNs)
                             : 0.0;
            m.residualBytes = ss.residualBytes;
            m.schedulerTimeNs = ss.computeTimeNs;
            m.schedulerWallNs = ss.measuredNs;
            // Validation: packet-level communication times against the fluid evaluator.
            if (ss.start[0] != Time::Max() && lastDispatch > ss.start[0])
            {
                m.dispatchCommNs = (lastDispatch - ss.start[0]).GetNanoSeconds();
            }
            if (ss.start[1] != Time::Max() && lastCombine > ss.start[1])
            {
                m.combineCommNs = (lastCombine - ss.start[1]).GetNanoSeconds();
            }
            m.dispatchClusterFluidNs = ss.clusterFluidNs[0];
            m.dispatchClusterOverlappedNs = ss.clusterOverlappedNs[0];
            m.combineClusterFluidNs = ss.clusterFluidNs[1];
            m.combineClusterOverlappedNs = ss.clusterOverlappedNs[1];
            m.dispatchClusterLastByteNs = ss.clusterLastByteNs[0];
            m.combineClusterLastByteNs = ss.clusterLastByteNs[1];
            m.dispatchFluidNs = ss.fluidNs[0];
            m.dispatchFluidLastByteNs = ss.fluidLastByteNs[0];
            m.combineFluidNs = ss.fluidNs[1];
            m.combineFluidLastByteNs = ss.fluidLastByteNs[1];
            m.predictedLayerTimeNs = ss.predictedNs;
            m.predictedDispatchNs = ss.predictedDispatchNs;
            m.predictedCombineNs = ss.predictedCombineNs;
            m.autoChoice = ss.autoChoice;
            m.autoCombineChoice = ss.autoCombineChoice;
            m.autoConfigurations = ss.autoChoice.empty() ? 0 : ss.dispatchMatchings;
        }
        else
        {
            if (firstSent != Time::Max() && lastDispatch > firstSent)
            {
                m.dispatchCommNs = (lastDispatch - firstSent).GetNanoSeconds();
            }
            m.dispatchFluidNs = m.loadBoundNs;
            m.dispatchFluidLastByteNs = m.loadBoundNs;
        }
        result.layers.push_back(m);
    }
    if (m_recordTimeline)
    {
        result.timeline = m_compute;
        for (uint32_t l = 0; l < m_schedulerLayers.size(); ++l)
        {
            const SchedulerLayer& ss = m_schedulerLayers[l];
            if (ss.schedule[0])
            {
                AppendCircuits(result.timeline,
                               "dispatch-circuit",
                               l,
                               *ss.schedule[0],
                               ss.start[0],
                               m_switch);
                AppendCircuits(result.timeline,
                               "combine-circuit",
                               l,
                               *ss.schedule[1],
                               ss.start[1],
                               m_switch);
            }
        }
    }
    for (uint32_t g = 0; g < n; ++g)
    {
        const uint64_t unexpected = m_apps[g]->GetUnexpectedBytes();
        if (unexpected > 0 && result.conservationErrors.size() < kMaxErrors)
        {
            result.conservationErrors.push_back("GPU " + std::to_string(g) + " received " +
                                                std::to_string(unexpected) +
                                                " bytes beyond its demand");
        }
        const MoeTransportCounters tc = m_apps[g]->GetTransport()->GetCounters();
        result.tcpTimeouts += tc.timeouts;
        result.tcpFastRecoveries += tc.fastRecoveries;
        MoeTransportCounters& sum = result.transportCounters;
        sum.timeouts += tc.timeouts;
        sum.fastRecoveries += tc.fastRecoveries;
        sum.unexpectedBytes += tc.unexpectedBytes;
        sum.retransmittedPackets += tc.retransmittedPackets;
        sum.naks += tc.naks;
        sum.cnps += tc.cnps;
        sum.rateCuts += tc.rateCuts;
        sum.pauseFrames += tc.pauseFrames;
        sum.relayedBytes += tc.relayedBytes;
    }
    std::vector<MoePlaneMeasurement> planes = m_planeStats;
    for (uint32_t p = 0; p < m_planes.size(); ++p)
    {
        planes[p].reconfigurations = m_planes[p]->GetCounters().reconfigurations;
        planes[p].bubbleFraction = planes[p].litNs > 0 ? static_cast<double>(planes[p].bubbleNs) /
                                                             static_cast<double>(planes[p].litNs)
                                                       : 0.0;
    }
    NetDeviceContainer allDevices = m_devices;
    allDevices.Add(m_nvlinkDevices);
    if (m_gpusPerServer > 0)
    {
        result.servers.resize((m_devices.GetN() + m_gpusPerServer - 1) / m_gpusPerServer);
        for (uint32_t s = 0; s < result.servers.size(); ++s)
        {
            result.servers[s].server = s;
        }
    }
    for (uint32_t i = 0; i < allDevices.GetN(); ++i)
    {
        Ptr<OcsNetDevice> dev = DynamicCast<OcsNetDevice>(allDevices.Get(i));
        if (!dev)
        {
            continue;
        }
        const OcsDeviceCounters c = dev->GetCounters();
        const bool nic = i < m_devices.GetN();
        (nic ? result.nicBytes : result.nvlinkBytes) += c.macTxBytes;
        if (m_gpusPerServer > 0)
        {
            // Both containers are in GPU order: GPU g is on server g / G.
            const uint32_t gpu = nic ? i : i - m_devices.GetN();
            MoeServerMeasurement& sm = result.servers.at(gpu / m_gpusPerServer);
            (nic ? sm.nicSendBytes : sm.nvlinkOutBytes) += c.macTxBytes;
            (nic ? sm.nicReceiveBytes : sm.nvlinkInBytes) += c.macRxBytes;
        }
        for (uint32_t p = 0; p < m_planes.size(); ++p)
        {
            if (dev->GetChannel() == m_planes[p])
            {
                planes[p].bytes += c.macTxBytes;
            }
        }
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
            {OcsNetDevice::DROP_VOQ_TO_EPS_FULL, c.dropVoqToEpsFull},
            {OcsNetDevice::DROP_RX_ERROR, c.dropRxError}};
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
    if (m_switch)
    {
        const OcsSwitchCounters swc = m_switch->GetCounters();
        result.switchReconfigurations = swc.reconfigurations;
        result.faults.portFailures = swc.portFailures;
        result.faults.failureDarkenings = swc.failureDarkenings;
        result.faults.lateReconfigurations = swc.lateReconfigurations;
        result.faults.reconfigExtraDarkNs = swc.reconfigExtraDarkNs;
        result.faults.framesTornDown = swc.framesTornDown;
    }
    if (m_scheduler)
    {
        const ControlFaultCounters cf = m_scheduler->GetControlFaultCounters();
        result.faults.controlMessages = cf.messages;
        result.faults.controlLost = cf.lost;
        result.faults.controlLate = cf.late;
        result.faults.controlRetries = cf.retries;
        result.faults.controlFallbacks = cf.fallbacks;
        result.faults.controlDuplicates = cf.duplicates;
        result.faults.commitFallbacks = cf.commitFallbacks;
    }
    std::vector<Ptr<ElectricalPacketSwitch>> switches = m_clusterSwitches;
    switches.insert(switches.begin(), m_eps);
    for (const Ptr<ElectricalPacketSwitch>& eps : switches)
    {
        if (!eps)
        {
            continue;
        }
        const EpsCounters e = eps->GetCounters();
        if (e.dropEgressFull > 0)
        {
            result.dropsByReason[ElectricalPacketSwitch::DROP_EGRESS_FULL] += e.dropEgressFull;
        }
        if (e.dropPfcHeadroom > 0)
        {
            result.dropsByReason[ElectricalPacketSwitch::DROP_PFC_HEADROOM] += e.dropPfcHeadroom;
        }
        result.epsEcnMarked += e.ecnMarked;
        result.epsPauseFrames += e.pauseFrames;
    }
    result.planes = planes;
    result.rssBytes = m_rss;
    result.heapBytes = m_heap;

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
        t.predictedLayerTimeNs += m.predictedLayerTimeNs;
        t.predictedDispatchNs += m.predictedDispatchNs;
        t.predictedCombineNs += m.predictedCombineNs;
        t.autoConfigurations += m.autoConfigurations;
        AppendDistinct(t.autoChoice, m.autoChoice);
        AppendDistinct(t.autoCombineChoice, m.autoCombineChoice);
        totalTokens +=
            static_cast<uint64_t>(m.meanBatchTokens * static_cast<double>(m.batches) + 0.5);
    }
    t.layer = layers;
    t.bubbleFraction =
        totalLit > 0 ? static_cast<double>(totalBubble) / static_cast<double>(totalLit) : 0.0;
    t.computeEfficiency = t.computeBusyNs > 0 ? static_cast<double>(t.idealComputeNs) /
                                                    static_cast<double>(t.computeBusyNs)
                                              : 1.0;
    t.meanBatchTokens =
        t.batches > 0 ? static_cast<double>(totalTokens) / static_cast<double>(t.batches) : 0.0;
    result.conserved = result.conservationErrors.empty();
    return result;
}

} // namespace ns3
