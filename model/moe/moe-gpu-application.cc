/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-gpu-application.h"

#include "circuit-scheduler-application.h"

#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

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

/// IPv4 + UDP header bytes of a datagram.
constexpr uint32_t kUdpIpHeaderBytes = 28;

/// Ethernet header bytes added by the device.
constexpr uint32_t kEthernetHeaderBytes = 14;

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

} // namespace

TypeId
MoeGpuApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MoeGpuApplication")
            .SetParent<Application>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<MoeGpuApplication>()
            .AddAttribute("OverlapPolicy",
                          "How arrivals form compute batches: \"none\" (wait for the whole "
                          "dispatch), \"per-matching\" (local tokens at layer start, then the "
                          "arrivals of each circuit phase at its end), \"threshold\" (a batch "
                          "once ThresholdCopies token copies are pending or ThresholdTimeout "
                          "after the first pending arrival).",
                          StringValue("none"),
                          MakeStringAccessor(&MoeGpuApplication::SetOverlapPolicy,
                                             &MoeGpuApplication::GetOverlapPolicy),
                          MakeStringChecker())
            .AddAttribute("Transport",
                          "\"tcp\" (one connection per ordered pair and traffic kind) or "
                          "\"udp\" (datagrams paced by the application at UdpRate).",
                          StringValue("tcp"),
                          MakeStringAccessor(&MoeGpuApplication::SetTransport,
                                             &MoeGpuApplication::GetTransport),
                          MakeStringChecker())
            .AddAttribute("SharedConnection",
                          "TCP: one connection per ordered pair (i, j), opened by i, carrying "
                          "dispatch i -> j and, in its reverse direction, combine j -> i (false: "
                          "one connection per ordered pair and traffic kind).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&MoeGpuApplication::m_sharedConnection),
                          MakeBooleanChecker())
            .AddAttribute("ThresholdCopies",
                          "Threshold policy: pending token copies that trigger a batch (>= 1).",
                          UintegerValue(256),
                          MakeUintegerAccessor(&MoeGpuApplication::m_thresholdCopies),
                          MakeUintegerChecker<uint64_t>(1))
            .AddAttribute("ThresholdTimeout",
                          "Threshold policy: longest wait after the first pending arrival.",
                          TimeValue(MicroSeconds(50)),
                          MakeTimeAccessor(&MoeGpuApplication::m_thresholdTimeout),
                          MakeTimeChecker(Time(0)))
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
            .AddAttribute("PhaseSlack",
                          "Per-matching policy: wait after a phase's light goes off before "
                          "forming its batch (propagation and the last frames).",
                          TimeValue(MicroSeconds(1)),
                          MakeTimeAccessor(&MoeGpuApplication::m_phaseSlack),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("UdpPayloadSize",
                          "UDP datagram payload in bytes (9000 MTU - 28 = 8972).",
                          UintegerValue(8972),
                          MakeUintegerAccessor(&MoeGpuApplication::m_udpPayload),
                          MakeUintegerChecker<uint32_t>(1, 65507))
            .AddAttribute("UdpRate",
                          "UDP pacing rate (the NIC rate).",
                          DataRateValue(DataRate("400Gbps")),
                          MakeDataRateAccessor(&MoeGpuApplication::m_udpRate),
                          MakeDataRateChecker())
            .AddTraceSource("LayerStart",
                            "The host starts a layer.",
                            MakeTraceSourceAccessor(&MoeGpuApplication::m_layerStartTrace),
                            "ns3::MoeGpuApplication::LayerTracedCallback")
            .AddTraceSource("LayerDone",
                            "A layer is complete at the host.",
                            MakeTraceSourceAccessor(&MoeGpuApplication::m_layerDoneTrace),
                            "ns3::MoeGpuApplication::LayerTracedCallback");
    return tid;
}

MoeGpuApplication::MoeGpuApplication()
    : m_thresholdTimeout(MicroSeconds(50)),
      m_firstLayerTime(MicroSeconds(100)),
      m_phaseSlack(MicroSeconds(1)),
      m_udpRate("400Gbps")
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
    m_udpEvent.Cancel();
    for (auto& r : m_rx)
    {
        r.timeout.Cancel();
    }
    m_scheduler = nullptr;
    m_gpu = nullptr;
    m_listen[0] = nullptr;
    m_listen[1] = nullptr;
    m_accepted.clear();
    m_rxOf.clear();
    m_txOf.clear();
    m_tx[0].clear();
    m_tx[1].clear();
    m_udpSocket = nullptr;
    Application::DoDispose();
}

void
MoeGpuApplication::SetOverlapPolicy(std::string name)
{
    if (name == "none")
    {
        m_overlap = Overlap::NONE;
    }
    else if (name == "per-matching")
    {
        m_overlap = Overlap::PER_MATCHING;
    }
    else if (name == "threshold")
    {
        m_overlap = Overlap::THRESHOLD;
    }
    else
    {
        throw pmoe::InputError("unknown overlap policy '" + name +
                               "' (expected none, per-matching or threshold)");
    }
}

std::string
MoeGpuApplication::GetOverlapPolicy() const
{
    switch (m_overlap)
    {
    case Overlap::PER_MATCHING:
        return "per-matching";
    case Overlap::THRESHOLD:
        return "threshold";
    case Overlap::NONE:
        break;
    }
    return "none";
}

void
MoeGpuApplication::SetTransport(std::string name)
{
    if (name == "tcp")
    {
        m_udp = false;
    }
    else if (name == "udp")
    {
        m_udp = true;
    }
    else
    {
        throw pmoe::InputError("unknown transport '" + name + "' (expected tcp or udp)");
    }
}

std::string
MoeGpuApplication::GetTransport() const
{
    return m_udp ? "udp" : "tcp";
}

void
MoeGpuApplication::Setup(std::shared_ptr<const MoeLayerShared> shared,
                         uint32_t index,
                         Ptr<CircuitSchedulerApplication> scheduler)
{
    if (!shared || index >= shared->numGpus || shared->addresses.size() != shared->numGpus ||
        shared->dispatchBytesPerCopy == 0 || shared->combineBytesPerCopy == 0)
    {
        throw pmoe::InputError("MoeGpuApplication::Setup: inconsistent scenario data for GPU " +
                               std::to_string(index));
    }
    m_shared = std::move(shared);
    m_index = index;
    m_scheduler = scheduler;
    const uint32_t n = m_shared->numGpus;
    const std::size_t layers = m_shared->layers.size();
    for (uint32_t k = 0; k < 2; ++k)
    {
        m_tx[k].assign(n, TxStream());
        for (auto& t : m_tx[k])
        {
            t.allowance = m_scheduler ? 0 : kUnlimited;
        }
        m_rxBytesLayer[k].assign(n, 0);
        m_rxLayer[k].assign(n, 0);
        m_txChunks[k].assign(n, std::deque<std::pair<uint32_t, uint64_t>>());
    }
    m_rx.assign(layers, RxLayer());
    m_stats.assign(layers, MoeGpuLayerStats());
    for (std::size_t l = 0; l < layers; ++l)
    {
        const auto& w = m_shared->layers[l];
        RxLayer& r = m_rx[l];
        r.arrivedCopies.assign(n, 0);
        r.consumedCopies.assign(n, 0);
        for (uint32_t s = 0; s < n; ++s)
        {
            r.totalCopies += w.copies.At(s, m_index);
        }
        MoeGpuLayerStats& st = m_stats[l];
        st.dispatchSent.assign(n, 0);
        st.dispatchReceived.assign(n, 0);
        st.combineSent.assign(n, 0);
        st.combineReceived.assign(n, 0);
    }
}

void
MoeGpuApplication::SetTcpAttributes(const std::map<std::string, std::string>& attributes)
{
    m_tcpAttributes = attributes;
}

const std::vector<MoeGpuLayerStats>&
MoeGpuApplication::GetLayerStats() const
{
    return m_stats;
}

uint32_t
MoeGpuApplication::GetLayersDone() const
{
    return m_layersDone;
}

uint64_t
MoeGpuApplication::GetUnexpectedBytes() const
{
    return m_unexpected;
}

uint64_t
MoeGpuApplication::GetTcpTimeouts() const
{
    return m_tcpTimeouts;
}

uint64_t
MoeGpuApplication::GetTcpFastRecoveries() const
{
    return m_tcpFastRecoveries;
}

void
MoeGpuApplication::TcpCongStateChanged(TcpSocketState::TcpCongState_t from,
                                       TcpSocketState::TcpCongState_t to)
{
    if (to == TcpSocketState::CA_LOSS && from != TcpSocketState::CA_LOSS)
    {
        ++m_tcpTimeouts;
    }
    else if (to == TcpSocketState::CA_RECOVERY && from != TcpSocketState::CA_RECOVERY)
    {
        ++m_tcpFastRecoveries;
    }
}

void
MoeGpuApplication::StartApplication()
{
    if (!m_shared)
    {
        throw pmoe::InputError("MoeGpuApplication started without Setup()");
    }
    m_gpu = GetNode()->GetObject<GpuComputeModel>();
    if (!m_gpu)
    {
        throw pmoe::InputError("MoeGpuApplication: node " + std::to_string(GetNode()->GetId()) +
                               " has no GpuComputeModel aggregated");
    }
    OpenSockets();
    if (!m_shared->layers.empty())
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
    m_udpEvent.Cancel();
}

void
MoeGpuApplication::ConfigureSocket(Ptr<Socket> s)
{
    for (const auto& [name, value] : m_tcpAttributes)
    {
        s->SetAttribute(name, StringValue(value));
    }
}

void
MoeGpuApplication::OpenSockets()
{
    const uint32_t n = m_shared->numGpus;
    const uint16_t ports[2] = {DISPATCH_PORT, COMBINE_PORT};
    if (m_udp)
    {
        for (uint32_t k = 0; k < 2; ++k)
        {
            m_listen[k] = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
            m_listen[k]->Bind(InetSocketAddress(Ipv4Address::GetAny(), ports[k]));
            m_listen[k]->SetRecvCallback(MakeCallback(&MoeGpuApplication::HandleRead, this));
        }
        m_udpSocket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
        m_udpSocket->Bind();
        for (uint32_t k = 0; k < 2; ++k)
        {
            for (auto& t : m_tx[k])
            {
                t.connected = true;
            }
        }
        return;
    }
    // Shared connections: only the dispatch connections; combine uses their reverse direction.
    const uint32_t kinds = m_sharedConnection ? 1 : 2;
    for (uint32_t k = 0; k < kinds; ++k)
    {
        m_listen[k] = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
        ConfigureSocket(m_listen[k]);
        m_listen[k]->Bind(InetSocketAddress(Ipv4Address::GetAny(), ports[k]));
        m_listen[k]->Listen();
        m_listen[k]->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                       MakeCallback(&MoeGpuApplication::HandleAccept, this));
    }
    for (uint32_t k = 0; k < kinds; ++k)
    {
        for (uint32_t d = 0; d < n; ++d)
        {
            if (d == m_index)
            {
                continue;
            }
            Ptr<Socket> s = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
            ConfigureSocket(s);
            s->Bind();
            s->SetConnectCallback(MakeCallback(&MoeGpuApplication::ConnectionSucceeded, this),
                                  MakeCallback(&MoeGpuApplication::ConnectionFailed, this));
            s->SetSendCallback(MakeCallback(&MoeGpuApplication::HandleSend, this));
            s->TraceConnectWithoutContext(
                "CongState",
                MakeCallback(&MoeGpuApplication::TcpCongStateChanged, this));
            m_txOf[s] = {k, d};
            m_tx[k][d].socket = s;
            if (m_sharedConnection)
            {
                m_rxOf[s] = {COMBINE, d}; // d's combine bytes come back on this connection
                s->SetRecvCallback(MakeCallback(&MoeGpuApplication::HandleRead, this));
            }
            s->Connect(InetSocketAddress(m_shared->addresses[d], ports[k]));
        }
    }
}

void
MoeGpuApplication::HandleAccept(Ptr<Socket> s, const Address& from)
{
    const Ipv4Address peer = InetSocketAddress::ConvertFrom(from).GetIpv4();
    Address local;
    s->GetSockName(local);
    const uint16_t port = InetSocketAddress::ConvertFrom(local).GetPort();
    const auto it = std::find(m_shared->addresses.begin(), m_shared->addresses.end(), peer);
    if (it == m_shared->addresses.end())
    {
        NS_LOG_WARN("connection from an unknown host " << peer);
        return;
    }
    const uint32_t src = static_cast<uint32_t>(it - m_shared->addresses.begin());
    m_rxOf[s] = {port == DISPATCH_PORT ? DISPATCH : COMBINE, src};
    m_accepted.push_back(s);
    s->SetRecvCallback(MakeCallback(&MoeGpuApplication::HandleRead, this));
    if (m_sharedConnection)
    {
        // The reverse direction of src's dispatch connection carries our combine to src.
        m_txOf[s] = {COMBINE, src};
        TxStream& t = m_tx[COMBINE][src];
        t.socket = s;
        t.connected = true;
        s->SetSendCallback(MakeCallback(&MoeGpuApplication::HandleSend, this));
        s->TraceConnectWithoutContext("CongState",
                                      MakeCallback(&MoeGpuApplication::TcpCongStateChanged, this));
        Pump(COMBINE, src);
    }
}

void
MoeGpuApplication::HandleRead(Ptr<Socket> s)
{
    if (m_udp)
    {
        const uint32_t kind = (s == m_listen[DISPATCH]) ? DISPATCH : COMBINE;
        Address from;
        while (Ptr<Packet> p = s->RecvFrom(from))
        {
            const Ipv4Address peer = InetSocketAddress::ConvertFrom(from).GetIpv4();
            const auto it = std::find(m_shared->addresses.begin(), m_shared->addresses.end(), peer);
            if (it == m_shared->addresses.end())
            {
                m_unexpected += p->GetSize();
                continue;
            }
            OnBytes(kind, static_cast<uint32_t>(it - m_shared->addresses.begin()), p->GetSize());
        }
        return;
    }
    const auto it = m_rxOf.find(s);
    if (it == m_rxOf.end())
    {
        return;
    }
    const auto [kind, src] = it->second;
    while (Ptr<Packet> p = s->Recv())
    {
        OnBytes(kind, src, p->GetSize());
    }
}

void
MoeGpuApplication::ConnectionSucceeded(Ptr<Socket> s)
{
    const auto it = m_txOf.find(s);
    if (it == m_txOf.end())
    {
        return;
    }
    m_tx[it->second.first][it->second.second].connected = true;
    Pump(it->second.first, it->second.second);
}

void
MoeGpuApplication::ConnectionFailed(Ptr<Socket> s)
{
    const auto it = m_txOf.find(s);
    NS_LOG_ERROR("GPU " << m_index << ": connection failed"
                        << (it != m_txOf.end() ? " to GPU " + std::to_string(it->second.second)
                                               : std::string()));
}

void
MoeGpuApplication::HandleSend(Ptr<Socket> s, uint32_t /* available */)
{
    const auto it = m_txOf.find(s);
    if (it != m_txOf.end())
    {
        Pump(it->second.first, it->second.second);
    }
}

void
MoeGpuApplication::StartLayer(uint32_t layer)
{
    const uint32_t n = m_shared->numGpus;
    const auto& w = m_shared->layers[layer];
    m_layer = layer;
    RxLayer& r = m_rx[layer];
    MoeGpuLayerStats& st = m_stats[layer];
    r.started = true;
    st.layerStart = Simulator::Now();
    // Forget events that already ran or were cancelled: an EventId keeps its event (and the
    // event's arguments) alive, so keeping them all would grow memory with every layer.
    m_planEvents.erase(std::remove_if(m_planEvents.begin(),
                                      m_planEvents.end(),
                                      [](const EventId& ev) { return ev.IsExpired(); }),
                       m_planEvents.end());
    st.idealCompute = m_gpu->IdealTime(w.gpuExpertTokens[m_index]);
    m_layerStartTrace(layer);
    NS_LOG_INFO("GPU " << m_index << " starts layer " << layer);

    // Local token copies are available at once.
    const uint64_t local = w.copies.At(m_index, m_index);
    r.arrivedCopies[m_index] = local;
    r.pendingCopies += local;

    for (uint32_t d = 0; d < n; ++d)
    {
        const uint64_t bytes = static_cast<uint64_t>(w.dispatch.At(m_index, d));
        if (d == m_index || bytes == 0)
        {
            continue;
        }
        m_tx[DISPATCH][d].produced += bytes;
        m_txChunks[DISPATCH][d].emplace_back(layer, bytes);
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
                Pump(DISPATCH, d);
            }
        }
    }
    if (m_overlap == Overlap::PER_MATCHING)
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
    TxStream& t = m_tx[kind][dst];
    if (t.allowance != kUnlimited)
    {
        t.allowance += bytes;
    }
    Pump(kind, dst);
}

void
MoeGpuApplication::Pump(uint32_t kind, uint32_t dst)
{
    if (m_udp)
    {
        PumpUdp();
        return;
    }
    TxStream& t = m_tx[kind][dst];
    if (!t.connected || !t.socket)
    {
        return;
    }
    const uint64_t limit = std::min(t.produced, t.allowance);
    while (t.written < limit)
    {
        const uint32_t avail = t.socket->GetTxAvailable();
        if (avail == 0)
        {
            break;
        }
        const uint64_t n = std::min<uint64_t>(limit - t.written, avail);
        const int sent = t.socket->Send(Create<Packet>(static_cast<uint32_t>(n)));
        if (sent <= 0)
        {
            break;
        }
        t.written += static_cast<uint64_t>(sent);
        AccountSent(kind, dst, static_cast<uint64_t>(sent));
    }
}

void
MoeGpuApplication::PumpUdp()
{
    if (!m_udpEvent.IsExpired() || !m_udpSocket)
    {
        return;
    }
    const uint32_t n = m_shared->numGpus;
    const uint16_t ports[2] = {DISPATCH_PORT, COMBINE_PORT};
    Time wake = Time::Max();
    for (uint32_t i = 0; i < 2 * n; ++i)
    {
        const uint32_t slot = (m_udpNext + i) % (2 * n);
        const uint32_t kind = slot / n;
        const uint32_t dst = slot % n;
        TxStream& t = m_tx[kind][dst];
        const uint64_t limit = std::min(t.produced, t.allowance);
        if (dst == m_index || t.written >= limit)
        {
            continue;
        }
        const uint32_t bytes =
            static_cast<uint32_t>(std::min<uint64_t>(limit - t.written, m_udpPayload));
        Time end;
        if (WindowEndsSoon(dst, bytes, end))
        {
            wake = std::min(wake, end);
            continue;
        }
        const int sent =
            m_udpSocket->SendTo(Create<Packet>(bytes),
                                0,
                                InetSocketAddress(m_shared->addresses[dst], ports[kind]));
        if (sent > 0)
        {
            t.written += static_cast<uint64_t>(sent);
            AccountSent(kind, dst, static_cast<uint64_t>(sent));
        }
        m_udpNext = (slot + 1) % (2 * n);
        const Time gap =
            m_udpRate.CalculateBytesTxTime(bytes + kUdpIpHeaderBytes + kEthernetHeaderBytes);
        m_udpEvent = Simulator::Schedule(gap, &MoeGpuApplication::PumpUdp, this);
        return;
    }
    if (wake != Time::Max())
    {
        m_udpEvent =
            Simulator::Schedule(Until(wake) + NanoSeconds(1), &MoeGpuApplication::PumpUdp, this);
    }
}

bool
MoeGpuApplication::WindowEndsSoon(uint32_t dst, uint32_t bytes, Time& end) const
{
    if (m_windows.empty())
    {
        return false;
    }
    const Time now = Simulator::Now();
    const Time frame =
        m_udpRate.CalculateBytesTxTime(bytes + kUdpIpHeaderBytes + kEthernetHeaderBytes);
    for (const auto& [s, e] : m_windows[dst])
    {
        if (s <= now && now < e)
        {
            // The frame may wait behind one frame in the VOQ, then must end before e.
            if (now + frame + frame + NanoSeconds(10) > e)
            {
                end = e;
                return true;
            }
            return false;
        }
    }
    return false;
}

void
MoeGpuApplication::AccountSent(uint32_t kind, uint32_t dst, uint64_t bytes)
{
    auto& chunks = m_txChunks[kind][dst];
    while (bytes > 0 && !chunks.empty())
    {
        auto& [layer, remaining] = chunks.front();
        const uint64_t take = std::min(bytes, remaining);
        MoeGpuLayerStats& st = m_stats[layer];
        if (kind == DISPATCH)
        {
            st.dispatchSent[dst] += take;
            st.firstDispatchSent = std::min(st.firstDispatchSent, Simulator::Now());
        }
        else
        {
            st.combineSent[dst] += take;
        }
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
MoeGpuApplication::OnBytes(uint32_t kind, uint32_t src, uint64_t bytes)
{
    const std::size_t layers = m_shared->layers.size();
    while (bytes > 0)
    {
        const uint32_t l = m_rxLayer[kind][src];
        if (l >= layers)
        {
            m_unexpected += bytes;
            return;
        }
        const auto& w = m_shared->layers[l];
        const uint64_t expected = static_cast<uint64_t>(
            kind == DISPATCH ? w.dispatch.At(src, m_index) : w.combine.At(src, m_index));
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
        MoeGpuLayerStats& st = m_stats[l];
        if (kind == DISPATCH)
        {
            st.dispatchReceived[src] += take;
            st.lastDispatchReceived = Simulator::Now();
            OnDispatchProgress(l, src, got);
        }
        else
        {
            st.combineReceived[src] += take;
            st.lastCombineReceived = Simulator::Now();
            CheckLayerDone(l);
        }
    }
}

bool
MoeGpuApplication::DispatchComplete(uint32_t layer) const
{
    const RxLayer& r = m_rx[layer];
    return std::accumulate(r.arrivedCopies.begin(), r.arrivedCopies.end(), uint64_t{0}) ==
           r.totalCopies;
}

void
MoeGpuApplication::OnDispatchProgress(uint32_t layer, uint32_t src, uint64_t total)
{
    RxLayer& r = m_rx[layer];
    if (src != m_index)
    {
        const uint64_t copies = total / m_shared->dispatchBytesPerCopy;
        if (copies > r.arrivedCopies[src])
        {
            r.pendingCopies += copies - r.arrivedCopies[src];
            r.arrivedCopies[src] = copies;
        }
    }
    if (!r.started)
    {
        return; // batches of a layer form once the host has started it
    }
    if (DispatchComplete(layer))
    {
        FormBatch(layer);
        return;
    }
    if (m_overlap == Overlap::THRESHOLD && r.pendingCopies > 0)
    {
        if (r.pendingCopies >= m_thresholdCopies)
        {
            FormBatch(layer);
        }
        else if (r.timeout.IsExpired())
        {
            r.timeout =
                Simulator::Schedule(m_thresholdTimeout, &MoeGpuApplication::FormBatch, this, layer);
        }
    }
}

void
MoeGpuApplication::FormBatch(uint32_t layer)
{
    RxLayer& r = m_rx[layer];
    r.timeout.Cancel();
    if (r.pendingCopies == 0 || !r.started)
    {
        return;
    }
    const uint32_t n = m_shared->numGpus;
    const auto& w = m_shared->layers[layer];
    const auto& local = m_shared->localExperts[m_index];
    std::vector<uint64_t> tokens(local.size(), 0);
    std::vector<uint64_t> copies(n, 0);
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
        copies[s] = c1 - c0;
        r.consumedCopies[s] = c1;
    }
    r.batchedCopies += r.pendingCopies;
    r.pendingCopies = 0;
    const uint64_t batchTokens = std::accumulate(tokens.begin(), tokens.end(), uint64_t{0});
    MoeGpuLayerStats& st = m_stats[layer];
    st.batches += 1;
    st.batchTokens += batchTokens;
    st.batchSizes.push_back(batchTokens);
    st.computeBusy += m_gpu->BatchTime(tokens);
    const uint64_t id = m_nextBatchId++;
    m_batchCopies[id] = std::move(copies);
    NS_LOG_INFO("GPU " << m_index << " layer " << layer << " batch " << id << ": " << batchTokens
                       << " tokens");
    m_gpu->Submit(tokens, MakeCallback(&MoeGpuApplication::BatchDone, this).Bind(layer).Bind(id));
}

void
MoeGpuApplication::BatchDone(uint32_t layer, uint64_t id)
{
    const auto it = m_batchCopies.find(id);
    if (it == m_batchCopies.end())
    {
        return;
    }
    const std::vector<uint64_t> copies = std::move(it->second);
    m_batchCopies.erase(it);
    RxLayer& r = m_rx[layer];
    m_stats[layer].lastBatchDone = Simulator::Now();
    const uint32_t n = m_shared->numGpus;
    for (uint32_t s = 0; s < n; ++s)
    {
        r.computedCopies += copies[s];
        if (s == m_index)
        {
            r.localComputed += copies[s];
        }
        if (s == m_index || copies[s] == 0)
        {
            continue;
        }
        const uint64_t bytes = copies[s] * m_shared->combineBytesPerCopy;
        m_tx[COMBINE][s].produced += bytes;
        m_txChunks[COMBINE][s].emplace_back(layer, bytes);
        Pump(COMBINE, s);
    }
    if (r.computedCopies == r.totalCopies)
    {
        ReportCombineReadyOnce(r, layer);
    }
    CheckLayerDone(layer);
}

void
MoeGpuApplication::ReportCombineReadyOnce(RxLayer& r, uint32_t layer)
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
    if (layer != m_layer || !m_rx[layer].started || m_stats[layer].done != Time::Max())
    {
        return;
    }
    const uint32_t n = m_shared->numGpus;
    const auto& w = m_shared->layers[layer];
    const RxLayer& r = m_rx[layer];
    if (r.localComputed < w.copies.At(m_index, m_index))
    {
        return; // local tokens not computed yet
    }
    const MoeGpuLayerStats& st = m_stats[layer];
    for (uint32_t s = 0; s < n; ++s)
    {
        if (s != m_index && st.combineReceived[s] < static_cast<uint64_t>(w.combine.At(s, m_index)))
        {
            return;
        }
    }
    m_stats[layer].done = Simulator::Now();
    ++m_layersDone;
    m_layerDoneTrace(layer);
    NS_LOG_INFO("GPU " << m_index << " completes layer " << layer);
    if (layer + 1 < m_shared->layers.size())
    {
        m_planEvents.push_back(
            Simulator::Schedule(m_nonMoeTime, &MoeGpuApplication::StartLayer, this, layer + 1));
    }
}

void
MoeGpuApplication::ReceivePlan(std::shared_ptr<const CircuitPlan> plan)
{
    const uint32_t n = m_shared->numGpus;
    const uint32_t kind = plan->combine ? COMBINE : DISPATCH;
    const auto& w = m_shared->layers[plan->layer];
    const pmoe::DemandMatrix& demand = plan->combine ? w.combine : w.dispatch;
    std::vector<Time> lastEnd(n, plan->start);
    std::vector<uint64_t> planned(n, 0);
    if (m_windows.empty())
    {
        m_windows.assign(n, {});
    }
    // Windows that are over are never looked at again (WindowEndsSoon): drop them, so that
    // the list does not grow with every layer.
    for (auto& windows : m_windows)
    {
        windows.erase(std::remove_if(windows.begin(),
                                     windows.end(),
                                     [](const std::pair<Time, Time>& w) {
                                         return w.second <= Simulator::Now();
                                     }),
                      windows.end());
    }
    const pmoe::ScheduleTimeline& timeline = plan->timeline;
    for (std::size_t k = 0; k < timeline.Configurations(); ++k)
    {
        const int32_t peer = timeline.Peer(k, m_index);
        if (peer >= 0 && static_cast<uint32_t>(peer) < n)
        {
            const Time end = NanoSeconds(timeline.Step(k).endNs);
            m_windows[peer].emplace_back(NanoSeconds(timeline.CircuitLitFromNs(k, m_index)), end);
            lastEnd[peer] = std::max(lastEnd[peer], end);
        }
    }
    for (std::size_t k = 0; k < plan->planned.size(); ++k)
    {
        bool toMe = false;
        for (uint32_t d = 0; d < n; ++d)
        {
            const uint64_t b = static_cast<uint64_t>(plan->planned[k].At(m_index, d));
            if (b > 0 && d != m_index)
            {
                m_planEvents.push_back(Simulator::Schedule(
                    Until(NanoSeconds(timeline.CircuitLitFromNs(k, m_index))) + NanoSeconds(1),
                    &MoeGpuApplication::Allow,
                    this,
                    kind,
                    d,
                    b));
                lastEnd[d] = std::max(lastEnd[d], NanoSeconds(timeline.Step(k).endNs));
                planned[d] += b;
            }
            toMe = toMe || plan->planned[k].At(d, m_index) > 0;
        }
        if (!plan->combine && toMe && m_overlap == Overlap::PER_MATCHING)
        {
            m_planEvents.push_back(
                Simulator::Schedule(Until(NanoSeconds(timeline.Step(k).endNs)) + m_phaseSlack,
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
        const uint64_t want = static_cast<uint64_t>(demand.At(m_index, d));
        // The residual (and, defensively, anything the plan does not cover) is released
        // after the last lit window of any circuit to the pair (or at the schedule start if
        // there is none), so that it crosses the electrical fabric without overtaking
        // circuit bytes of the same connection and never waits in a VOQ.
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
