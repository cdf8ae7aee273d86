/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-gpu-application.h"

#include "circuit-scheduler-application.h"
#include "moe-tcp-transport.h"

#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/object-factory.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MoeGpuApplication");

NS_OBJECT_ENSURE_REGISTERED(MoeGpuApplication);

namespace
{

/// Allowance meaning "no circuit plan limits this stream".
constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();

/**
 * @param at absolute time
 * @return the delay from now until @p at, never negative
 */
Time
Until(Time at)
{
    const Time now = Simulator::Now();
    return at > now ? at - now : Time(0);
}

/**
 * @param ev an event
 * @return true if it ran or was cancelled
 */
bool
IsOver(const EventId& ev)
{
    return ev.IsExpired();
}

/**
 * @param tid a TypeId
 * @param base the base it must derive from
 * @param who attribute name for the message
 * @return an object of type @p tid
 * @throws pmoe::InputError if it is not a constructible subclass of @p base
 */
template <typename T>
Ptr<T>
CreateOfType(TypeId tid, TypeId base, const std::string& who)
{
    if (!tid.IsChildOf(base) || !tid.HasConstructor())
    {
        throw pmoe::InputError(who + ": " + tid.GetName() + " is not a constructible " +
                               base.GetName());
    }
    ObjectFactory factory;
    factory.SetTypeId(tid);
    return factory.Create<T>();
}

} // namespace

TypeId
MoeGpuApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MoeGpuApplication")
            .SetParent<Application>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<MoeGpuApplication>()
            .AddAttribute("Transport",
                          "TypeId of the MoeTransport that moves the bytes: "
                          "ns3::MoeTcpTransport (one TCP connection per ordered pair and "
                          "kind), ns3::MoeSharedTcpTransport (one per pair, both kinds), "
                          "ns3::MoeUdpTransport (paced datagrams) or your own. A transport "
                          "with attributes of its own: SetTransport() or "
                          "MoeGpuApplicationHelper::SetTransport().",
                          TypeIdValue(MoeTcpTransport::GetTypeId()),
                          MakeTypeIdAccessor(&MoeGpuApplication::SetTransportType,
                                             &MoeGpuApplication::GetTransportType),
                          MakeTypeIdChecker())
            .AddAttribute("BatchPolicy",
                          "TypeId of the MoeBatchPolicy that decides when arrivals form "
                          "compute batches: ns3::MoeNoOverlapBatchPolicy (wait for the whole "
                          "dispatch), ns3::MoePerMatchingBatchPolicy (local tokens at the "
                          "layer start, then each circuit phase's arrivals at its end), "
                          "ns3::MoeThresholdBatchPolicy (a batch per Copies pending copies "
                          "or after Timeout), ns3::MoeStreamingBatchPolicy (whatever is "
                          "pending whenever a compute stream is free) or your own.",
                          TypeIdValue(MoeNoOverlapBatchPolicy::GetTypeId()),
                          MakeTypeIdAccessor(&MoeGpuApplication::SetBatchPolicyType,
                                             &MoeGpuApplication::GetBatchPolicyType),
                          MakeTypeIdChecker())
            .AddAttribute("NonMoeTime",
                          "Compute time between two MoE layers (attention etc.).",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&MoeGpuApplication::m_nonMoeTime),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("FirstLayerTime",
                          "Delay from the application start to layer 0 (connection set-up).",
                          TimeValue(MicroSeconds(100)),
                          MakeTimeAccessor(&MoeGpuApplication::m_firstLayerTime),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("LayerStart",
                            "The GPU starts a layer.",
                            MakeTraceSourceAccessor(&MoeGpuApplication::m_layerStartTrace),
                            "ns3::MoeGpuApplication::LayerTracedCallback")
            .AddTraceSource("LayerDone",
                            "A layer is complete at the GPU.",
                            MakeTraceSourceAccessor(&MoeGpuApplication::m_layerDoneTrace),
                            "ns3::MoeGpuApplication::LayerTracedCallback")
            .AddTraceSource("Tx",
                            "Bytes of a layer handed to the network by the transport (kind, "
                            "destination, bytes, layer).",
                            MakeTraceSourceAccessor(&MoeGpuApplication::m_txTrace),
                            "ns3::MoeGpuApplication::TrafficTracedCallback")
            .AddTraceSource("Rx",
                            "Bytes of a layer delivered by the transport (kind, source, bytes, "
                            "layer).",
                            MakeTraceSourceAccessor(&MoeGpuApplication::m_rxTrace),
                            "ns3::MoeGpuApplication::TrafficTracedCallback")
            .AddTraceSource("Batch",
                            "A batch was submitted to the compute model (layer, tokens, "
                            "compute time).",
                            MakeTraceSourceAccessor(&MoeGpuApplication::m_batchTrace),
                            "ns3::MoeGpuApplication::BatchTracedCallback")
            .AddTraceSource("BatchDone",
                            "A batch was computed (layer, tokens).",
                            MakeTraceSourceAccessor(&MoeGpuApplication::m_batchDoneTrace),
                            "ns3::MoeGpuApplication::BatchDoneTracedCallback");
    return tid;
}

MoeGpuApplication::MoeGpuApplication()
    : m_firstLayerTime(MicroSeconds(100))
{
}

MoeGpuApplication::~MoeGpuApplication() = default;

void
MoeGpuApplication::DoDispose()
{
    for (auto& ev : m_planEvents)
    {
        ev.Cancel();
    }
    m_planEvents.clear();
    for (auto& r : m_layers)
    {
        r.timeout.Cancel();
    }
    m_scheduler = nullptr;
    m_gpu = nullptr;
    if (m_transport)
    {
        m_transport->Dispose();
    }
    m_transport = nullptr;
    m_batchPolicy = nullptr;
    Application::DoDispose();
}

void
MoeGpuApplication::SetTransportType(TypeId tid)
{
    SetTransport(
        CreateOfType<MoeTransport>(tid, MoeTransport::GetTypeId(), "MoeGpuApplication::Transport"));
}

TypeId
MoeGpuApplication::GetTransportType() const
{
    return m_transport ? m_transport->GetInstanceTypeId() : MoeTcpTransport::GetTypeId();
}

void
MoeGpuApplication::SetTransport(Ptr<MoeTransport> transport)
{
    if (!transport)
    {
        throw pmoe::InputError("MoeGpuApplication::SetTransport: null transport");
    }
    m_transport = transport;
}

Ptr<MoeTransport>
MoeGpuApplication::GetTransport() const
{
    return m_transport;
}

void
MoeGpuApplication::SetBatchPolicyType(TypeId tid)
{
    SetBatchPolicy(CreateOfType<MoeBatchPolicy>(tid,
                                                MoeBatchPolicy::GetTypeId(),
                                                "MoeGpuApplication::BatchPolicy"));
}

TypeId
MoeGpuApplication::GetBatchPolicyType() const
{
    return m_batchPolicy ? m_batchPolicy->GetInstanceTypeId()
                         : MoeNoOverlapBatchPolicy::GetTypeId();
}

void
MoeGpuApplication::SetBatchPolicy(Ptr<MoeBatchPolicy> policy)
{
    if (!policy)
    {
        throw pmoe::InputError("MoeGpuApplication::SetBatchPolicy: null policy");
    }
    m_batchPolicy = policy;
}

Ptr<MoeBatchPolicy>
MoeGpuApplication::GetBatchPolicy() const
{
    return m_batchPolicy;
}

void
MoeGpuApplication::Setup(std::shared_ptr<const MoeWorkloadData> workload,
                         uint32_t index,
                         std::vector<MoeEndpoint> endpoints,
                         Ptr<CircuitSchedulerApplication> scheduler)
{
    if (!workload)
    {
        throw pmoe::InputError("MoeGpuApplication::Setup: no workload for GPU " +
                               std::to_string(index));
    }
    workload->Check("MoeGpuApplication::Setup");
    const uint32_t n = workload->numGpus;
    if (index >= n || endpoints.size() != n)
    {
        throw pmoe::InputError("MoeGpuApplication::Setup: GPU " + std::to_string(index) + " with " +
                               std::to_string(endpoints.size()) +
                               " endpoints, but the workload has " + std::to_string(n) + " GPUs");
    }
    m_workload = std::move(workload);
    m_index = index;
    m_transport->Setup(index,
                       std::move(endpoints),
                       MakeCallback(&MoeGpuApplication::Sent, this),
                       MakeCallback(&MoeGpuApplication::Received, this));
    for (uint32_t k = 0; k < 2; ++k)
    {
        m_tx[k].assign(n, TxState());
        m_rxBytesLayer[k].assign(n, 0);
        m_rxLayer[k].assign(n, 0);
        m_txChunks[k].assign(n, std::deque<std::pair<uint32_t, uint64_t>>());
    }
    const std::size_t layers = m_workload->layers.size();
    m_layers.assign(layers, LayerState());
    for (std::size_t l = 0; l < layers; ++l)
    {
        const auto& w = m_workload->layers[l];
        LayerState& r = m_layers[l];
        r.arrivedCopies.assign(n, 0);
        r.consumedCopies.assign(n, 0);
        r.combineReceived.assign(n, 0);
        for (uint32_t s = 0; s < n; ++s)
        {
            r.totalCopies += w.copies.At(s, m_index);
            if (s != m_index && static_cast<uint64_t>(w.combine.At(s, m_index)) > 0)
            {
                ++r.combineMissing;
            }
        }
    }
    SetScheduler(scheduler);
}

void
MoeGpuApplication::SetScheduler(Ptr<CircuitSchedulerApplication> scheduler)
{
    m_scheduler = scheduler;
    for (auto& kind : m_tx)
    {
        for (auto& t : kind)
        {
            t.allowance = m_scheduler ? 0 : kUnlimited;
        }
    }
}

uint32_t
MoeGpuApplication::GetIndex() const
{
    return m_index;
}

std::shared_ptr<const MoeWorkloadData>
MoeGpuApplication::GetWorkload() const
{
    return m_workload;
}

uint32_t
MoeGpuApplication::GetLayersDone() const
{
    return m_layersDone;
}

uint64_t
MoeGpuApplication::GetUnexpectedBytes() const
{
    return m_unexpected + (m_transport ? m_transport->GetCounters().unexpectedBytes : 0);
}

void
MoeGpuApplication::StartApplication()
{
    if (!m_workload)
    {
        throw pmoe::InputError("MoeGpuApplication started without Setup()");
    }
    m_gpu = GetNode()->GetObject<GpuComputeModel>();
    if (!m_gpu)
    {
        throw pmoe::InputError("MoeGpuApplication: node " + std::to_string(GetNode()->GetId()) +
                               " has no GpuComputeModel aggregated");
    }
    m_transport->Start();
    if (!m_workload->layers.empty())
    {
        m_planEvents.push_back(
            Simulator::Schedule(m_firstLayerTime, &MoeGpuApplication::StartLayer, this, 0));
    }
}

void
MoeGpuApplication::StopApplication()
{
    for (auto& ev : m_planEvents)
    {
        ev.Cancel();
    }
    m_transport->Stop();
}

void
MoeGpuApplication::StartLayer(uint32_t layer)
{
    const uint32_t n = m_workload->numGpus;
    const auto& w = m_workload->layers[layer];
    m_layer = layer;
    LayerState& r = m_layers[layer];
    r.started = true;
    // Forget events that already ran or were cancelled: an EventId keeps its event (and the
    // event's arguments) alive, so keeping them all would grow memory with every layer.
    m_planEvents.erase(std::remove_if(m_planEvents.begin(), m_planEvents.end(), IsOver),
                       m_planEvents.end());
    m_layerStartTrace(layer);
    NS_LOG_INFO("GPU " << m_index << " starts layer " << layer);

    // Local token copies are available at once.
    const uint64_t local = w.copies.At(m_index, m_index);
    r.arrivedTotal += local - r.arrivedCopies[m_index];
    r.arrivedCopies[m_index] = local;
    r.pendingCopies += local;

    for (uint32_t d = 0; d < n; ++d)
    {
        const auto bytes = static_cast<uint64_t>(w.dispatch.At(m_index, d));
        if (d == m_index || bytes == 0)
        {
            continue;
        }
        m_tx[MOE_DISPATCH][d].produced += bytes;
        m_txChunks[MOE_DISPATCH][d].emplace_back(layer, bytes);
    }
    if (m_scheduler)
    {
        Simulator::Schedule(m_scheduler->GetControlLatency(),
                            &CircuitSchedulerApplication::ReportDemand,
                            m_scheduler,
                            layer,
                            m_index);
    }
    else
    {
        for (uint32_t d = 0; d < n; ++d)
        {
            if (d != m_index)
            {
                Release(MOE_DISPATCH, d);
            }
        }
    }
    if (m_batchPolicy->BatchAtLayerStart())
    {
        FormBatch(layer); // the local tokens
    }
    OnDispatchProgress(layer, m_index, 0);
    if (r.totalCopies == 0)
    {
        ReportCombineReadyOnce(r, layer);
    }
    CheckLayerDone(layer);
}

void
MoeGpuApplication::Allow(uint32_t kind, uint32_t dst, uint64_t bytes)
{
    TxState& t = m_tx[kind][dst];
    if (t.allowance != kUnlimited)
    {
        t.allowance += bytes;
    }
    Release(kind, dst);
}

void
MoeGpuApplication::Release(uint32_t kind, uint32_t dst)
{
    const TxState& t = m_tx[kind][dst];
    m_transport->Release(kind, dst, std::min(t.produced, t.allowance));
}

void
MoeGpuApplication::Sent(uint32_t kind, uint32_t dst, uint64_t bytes)
{
    auto& chunks = m_txChunks[kind][dst];
    while (bytes > 0 && !chunks.empty())
    {
        auto& [layer, remaining] = chunks.front();
        const uint64_t take = std::min(bytes, remaining);
        m_txTrace(kind, dst, take, layer);
        remaining -= take;
        bytes -= take;
        if (remaining == 0)
        {
            chunks.pop_front();
        }
    }
    if (bytes > 0)
    {
        NS_LOG_ERROR("GPU " << m_index << " sent " << bytes << " bytes beyond its demand");
    }
}

void
MoeGpuApplication::Received(uint32_t kind, uint32_t src, uint64_t bytes)
{
    const std::size_t layers = m_workload->layers.size();
    while (bytes > 0)
    {
        const uint32_t l = m_rxLayer[kind][src];
        if (l >= layers)
        {
            m_unexpected += bytes;
            return;
        }
        const auto& w = m_workload->layers[l];
        const auto expected = static_cast<uint64_t>(
            kind == MOE_DISPATCH ? w.dispatch.At(src, m_index) : w.combine.At(src, m_index));
        uint64_t& got = m_rxBytesLayer[kind][src];
        if (got >= expected)
        {
            ++m_rxLayer[kind][src];
            got = 0;
            continue;
        }
        const uint64_t take = std::min(bytes, expected - got);
        got += take;
        bytes -= take;
        m_rxTrace(kind, src, take, l);
        if (kind == MOE_DISPATCH)
        {
            OnDispatchProgress(l, src, got);
        }
        else
        {
            uint64_t& combined = m_layers[l].combineReceived[src];
            combined += take;
            if (src != m_index && combined == expected)
            {
                --m_layers[l].combineMissing; // took at most expected - got: reached once
            }
            CheckLayerDone(l);
        }
    }
}

bool
MoeGpuApplication::DispatchComplete(uint32_t layer) const
{
    const LayerState& r = m_layers[layer];
    return r.arrivedTotal == r.totalCopies;
}

void
MoeGpuApplication::OnDispatchProgress(uint32_t layer, uint32_t src, uint64_t total)
{
    LayerState& r = m_layers[layer];
    if (src != m_index)
    {
        const uint64_t copies = total / m_workload->dispatchBytesPerCopy;
        if (copies > r.arrivedCopies[src])
        {
            r.pendingCopies += copies - r.arrivedCopies[src];
            r.arrivedTotal += copies - r.arrivedCopies[src];
            r.arrivedCopies[src] = copies;
        }
    }
    if (!r.started)
    {
        return; // batches of a layer form once the GPU has started it
    }
    if (DispatchComplete(layer))
    {
        FormBatch(layer);
        return;
    }
    if (r.pendingCopies == 0)
    {
        return;
    }
    if (m_batchPolicy->BatchNow(r.pendingCopies))
    {
        FormBatch(layer);
        return;
    }
    if (ComputeStreamFree() && m_batchPolicy->StreamWhenIdle(r.pendingCopies))
    {
        FormBatch(layer);
        return;
    }
    const Time wait = m_batchPolicy->MaxWait();
    if (wait != Time::Max() && r.timeout.IsExpired())
    {
        r.timeout = Simulator::Schedule(wait, &MoeGpuApplication::FormBatch, this, layer);
    }
}

void
MoeGpuApplication::FormBatch(uint32_t layer)
{
    LayerState& r = m_layers[layer];
    r.timeout.Cancel();
    if (r.pendingCopies == 0 || !r.started)
    {
        return;
    }
    const uint32_t n = m_workload->numGpus;
    const auto& w = m_workload->layers[layer];
    const auto& local = m_workload->localExperts[m_index];
    std::vector<uint64_t> tokens(local.size(), 0);
    RunningBatch batch;
    batch.copies.assign(n, 0);
    for (uint32_t s = 0; s < n; ++s)
    {
        const uint64_t c0 = r.consumedCopies[s];
        const uint64_t c1 = r.arrivedCopies[s];
        if (c1 <= c0)
        {
            continue;
        }
        const uint64_t total = w.copies.At(s, m_index);
        for (std::size_t q = 0; q < local.size(); ++q)
        {
            const uint64_t t = w.tokens.At(s, local[q]);
            // Cumulative share of expert q in the first c copies from s (exact at c = total).
            auto share = [t, total](uint64_t c) -> uint64_t {
                if (c >= total)
                {
                    return t;
                }
                if (t == 0 || c <= std::numeric_limits<uint64_t>::max() / t)
                {
                    return c * t / total;
                }
                return static_cast<uint64_t>(static_cast<long double>(c) * t / total);
            };
            tokens[q] += share(c1) - share(c0);
        }
        batch.copies[s] = c1 - c0;
        r.consumedCopies[s] = c1;
    }
    r.pendingCopies = 0;
    batch.tokens = std::accumulate(tokens.begin(), tokens.end(), uint64_t{0});
    m_batchTrace(layer, batch.tokens, m_gpu->BatchTime(tokens));
    const uint64_t id = m_nextBatchId++;
    NS_LOG_INFO("GPU " << m_index << " layer " << layer << " batch " << id << ": " << batch.tokens
                       << " tokens");
    m_batches[id] = std::move(batch);
    m_gpu->Submit(tokens, MakeCallback(&MoeGpuApplication::BatchDone, this).Bind(layer).Bind(id));
}

void
MoeGpuApplication::BatchDone(uint32_t layer, uint64_t id)
{
    const auto it = m_batches.find(id);
    if (it == m_batches.end())
    {
        return;
    }
    const RunningBatch batch = std::move(it->second);
    m_batches.erase(it);
    LayerState& r = m_layers[layer];
    m_batchDoneTrace(layer, batch.tokens);
    const uint32_t n = m_workload->numGpus;
    for (uint32_t s = 0; s < n; ++s)
    {
        r.computedCopies += batch.copies[s];
        if (s == m_index)
        {
            r.localComputed += batch.copies[s];
        }
        if (s == m_index || batch.copies[s] == 0)
        {
            continue;
        }
        const uint64_t bytes = batch.copies[s] * m_workload->combineBytesPerCopy;
        m_tx[MOE_COMBINE][s].produced += bytes;
        m_txChunks[MOE_COMBINE][s].emplace_back(layer, bytes);
        Release(MOE_COMBINE, s);
    }
    if (r.computedCopies == r.totalCopies)
    {
        ReportCombineReadyOnce(r, layer);
    }
    // A stream is free now: a streaming policy batches what arrived meanwhile (the finished
    // batch's layer first, then the layer the GPU works on if that is a later one).
    StreamPending(layer);
    if (m_layer != layer)
    {
        StreamPending(m_layer);
    }
    CheckLayerDone(layer);
}

bool
MoeGpuApplication::ComputeStreamFree() const
{
    return m_batches.size() < m_gpu->GetStreams();
}

void
MoeGpuApplication::StreamPending(uint32_t layer)
{
    if (layer >= m_layers.size())
    {
        return;
    }
    const LayerState& r = m_layers[layer];
    if (r.started && r.pendingCopies > 0 && ComputeStreamFree() &&
        m_batchPolicy->StreamWhenIdle(r.pendingCopies))
    {
        FormBatch(layer);
    }
}

void
MoeGpuApplication::ReportCombineReadyOnce(LayerState& r, uint32_t layer)
{
    if (!m_scheduler || r.reportedReady)
    {
        return;
    }
    r.reportedReady = true;
    Simulator::Schedule(m_scheduler->GetControlLatency(),
                        &CircuitSchedulerApplication::ReportCombineReady,
                        m_scheduler,
                        layer,
                        m_index);
}

void
MoeGpuApplication::CheckLayerDone(uint32_t layer)
{
    LayerState& r = m_layers[layer];
    if (layer != m_layer || !r.started || r.done)
    {
        return;
    }
    const auto& w = m_workload->layers[layer];
    if (r.localComputed < w.copies.At(m_index, m_index))
    {
        return; // local tokens not computed yet
    }
    if (r.combineMissing > 0)
    {
        return; // a source's combine bytes are incomplete (counted, not scanned: O(1) per packet)
    }
    r.done = true;
    ++m_layersDone;
    m_layerDoneTrace(layer);
    NS_LOG_INFO("GPU " << m_index << " completes layer " << layer);
    if (layer + 1 < m_workload->layers.size())
    {
        m_planEvents.push_back(
            Simulator::Schedule(m_nonMoeTime, &MoeGpuApplication::StartLayer, this, layer + 1));
    }
}

void
MoeGpuApplication::ReceivePlan(std::shared_ptr<const CircuitPlan> plan)
{
    m_transport->NotifyPlan(*plan);
    const uint32_t n = m_workload->numGpus;
    const uint32_t kind = plan->combine ? MOE_COMBINE : MOE_DISPATCH;
    const auto& w = m_workload->layers[plan->layer];
    const pmoe::DemandMatrix& demand = plan->combine ? w.combine : w.dispatch;
    const pmoe::ScheduleTimeline& timeline = plan->timeline;
    std::vector<Time> lastEnd(n, plan->start);
    std::vector<uint64_t> planned(n, 0);
    for (std::size_t k = 0; k < timeline.Configurations(); ++k)
    {
        const int32_t peer = timeline.Peer(k, m_index);
        if (peer >= 0 && static_cast<uint32_t>(peer) < n)
        {
            lastEnd[peer] = std::max(lastEnd[peer], NanoSeconds(timeline.Step(k).endNs));
        }
    }
    const Time phaseDelay = m_batchPolicy->PhaseEndDelay();
    for (std::size_t k = 0; k < plan->planned.size(); ++k)
    {
        const Time litFrom = NanoSeconds(timeline.CircuitLitFromNs(k, m_index));
        const Time end = NanoSeconds(timeline.Step(k).endNs);
        bool toMe = false;
        for (uint32_t d = 0; d < n; ++d)
        {
            const auto b = static_cast<uint64_t>(plan->planned[k].At(m_index, d));
            if (b > 0 && d != m_index)
            {
                m_planEvents.push_back(Simulator::Schedule(Until(litFrom) + NanoSeconds(1),
                                                           &MoeGpuApplication::Allow,
                                                           this,
                                                           kind,
                                                           d,
                                                           b));
                lastEnd[d] = std::max(lastEnd[d], end);
                planned[d] += b;
            }
            toMe = toMe || plan->planned[k].At(d, m_index) > 0;
        }
        if (!plan->combine && toMe && phaseDelay != Time::Max())
        {
            m_planEvents.push_back(Simulator::Schedule(Until(end) + phaseDelay,
                                                       &MoeGpuApplication::FormBatch,
                                                       this,
                                                       plan->layer));
        }
    }
    for (uint32_t d = 0; d < n; ++d)
    {
        if (d == m_index)
        {
            continue;
        }
        const auto want = static_cast<uint64_t>(demand.At(m_index, d));
        // The residual (and, defensively, anything the plan does not cover) is released
        // after the last lit window of any circuit to the pair (or at the schedule start if
        // there is none), so that it crosses the electrical fabric without overtaking
        // circuit bytes of the same stream and never waits in a VOQ.
        const uint64_t rest = want > planned[d] ? want - planned[d] : 0;
        if (rest > 0)
        {
            m_planEvents.push_back(Simulator::Schedule(Until(lastEnd[d]),
                                                       &MoeGpuApplication::Allow,
                                                       this,
                                                       kind,
                                                       d,
                                                       rest));
        }
    }
}

} // namespace ns3
