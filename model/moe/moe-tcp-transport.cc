/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-tcp-transport.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/pmoe-units.h"
#include "ns3/string.h"
#include "ns3/tcp-congestion-ops.h"
#include "ns3/tcp-l4-protocol.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MoeTcpTransport");

NS_OBJECT_ENSURE_REGISTERED(MoeTcpTransport);
NS_OBJECT_ENSURE_REGISTERED(MoeSharedTcpTransport);

TypeId
MoeTcpTransport::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MoeTcpTransport")
            .SetParent<MoeTransport>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<MoeTcpTransport>()
            .AddAttribute("SegmentSize",
                          "TCP segment size (MSS) in bytes: 9000 MTU - 20 IP - 20 TCP - 12 "
                          "timestamp option = 8948.",
                          UintegerValue(8948),
                          MakeUintegerAccessor(&MoeTcpTransport::m_segmentSize),
                          MakeUintegerChecker<uint32_t>(536, 8960))
            .AddAttribute("BufferSize",
                          "Send and receive buffer of every socket in bytes (about one "
                          "bandwidth-delay product at 400 Gb/s; at least one segment).",
                          UintegerValue(512 << 10),
                          MakeUintegerAccessor(&MoeTcpTransport::m_bufferBytes),
                          MakeUintegerChecker<uint32_t>(536))
            .AddAttribute("InitialCwnd",
                          "Initial congestion window in segments (>= 1).",
                          UintegerValue(16),
                          MakeUintegerAccessor(&MoeTcpTransport::m_initialCwnd),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("DelAckCount",
                          "Segments per delayed ACK (>= 1).",
                          UintegerValue(2),
                          MakeUintegerAccessor(&MoeTcpTransport::m_delAckCount),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("DelAckTimeout",
                          "Delayed ACK timeout.",
                          TimeValue(MicroSeconds(10)),
                          MakeTimeAccessor(&MoeTcpTransport::m_delAckTimeout),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("MinRto",
                          "Minimum retransmission timeout (> 0).",
                          TimeValue(MicroSeconds(500)),
                          MakeTimeAccessor(&MoeTcpTransport::m_minRto),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("ClockGranularity",
                          "RTO clock granularity.",
                          TimeValue(MicroSeconds(1)),
                          MakeTimeAccessor(&MoeTcpTransport::m_clockGranularity),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("ConnTimeout",
                          "Connection (SYN) retransmission timeout.",
                          TimeValue(MilliSeconds(1)),
                          MakeTimeAccessor(&MoeTcpTransport::m_connTimeout),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("CongestionControl",
                          "TypeId of the TCP congestion control (a TcpCongestionOps, e.g. "
                          "ns3::TcpNewReno, ns3::TcpDctcp), set as the node's TcpL4Protocol "
                          "SocketType when the transport starts.",
                          TypeIdValue(TcpNewReno::GetTypeId()),
                          MakeTypeIdAccessor(&MoeTcpTransport::m_congestionControl),
                          MakeTypeIdChecker());
    return tid;
}

MoeTcpTransport::MoeTcpTransport()
    : m_delAckTimeout(MicroSeconds(10)),
      m_minRto(MicroSeconds(500)),
      m_clockGranularity(MicroSeconds(1)),
      m_connTimeout(MilliSeconds(1))
{
}

MoeTcpTransport::~MoeTcpTransport() = default;

void
MoeTcpTransport::DoDispose()
{
    m_listen[0] = nullptr;
    m_listen[1] = nullptr;
    m_accepted.clear();
    m_rxOf.clear();
    m_txOf.clear();
    m_tx[0].clear();
    m_tx[1].clear();
    MoeTransport::DoDispose();
}

uint32_t
MoeTcpTransport::ConnectionKinds() const
{
    return 2;
}

void
MoeTcpTransport::Configure(Ptr<Socket> s)
{
    // In name order, as ns-3 applies a map of socket attributes.
    s->SetAttribute("ClockGranularity", TimeValue(m_clockGranularity));
    s->SetAttribute("ConnTimeout", TimeValue(m_connTimeout));
    s->SetAttribute("DelAckCount", UintegerValue(m_delAckCount));
    s->SetAttribute("DelAckTimeout", TimeValue(m_delAckTimeout));
    s->SetAttribute("InitialCwnd", UintegerValue(m_initialCwnd));
    s->SetAttribute("MinRto", TimeValue(m_minRto));
    s->SetAttribute("RcvBufSize", UintegerValue(m_bufferBytes));
    s->SetAttribute("SegmentSize", UintegerValue(m_segmentSize));
    s->SetAttribute("SndBufSize", UintegerValue(m_bufferBytes));
}

void
MoeTcpTransport::Start()
{
    const uint32_t n = GetNGpus();
    const uint32_t self = GetSelf();
    if (m_bufferBytes < m_segmentSize)
    {
        throw pmoe::InputError("MoeTcpTransport::BufferSize must hold at least one segment, got " +
                               std::to_string(m_bufferBytes));
    }
    Ptr<Node> node = GetEndpoint(self).node;
    Ptr<TcpL4Protocol> tcp = node->GetObject<TcpL4Protocol>();
    if (!tcp)
    {
        throw pmoe::InputError("MoeTcpTransport: node " + std::to_string(node->GetId()) +
                               " has no TCP (install the internet stack)");
    }
    tcp->SetAttribute("SocketType", TypeIdValue(m_congestionControl));
    for (uint32_t k = 0; k < 2; ++k)
    {
        m_tx[k].assign(n, Stream());
    }
    const uint16_t ports[2] = {DISPATCH_PORT, COMBINE_PORT};
    const uint32_t kinds = ConnectionKinds();
    for (uint32_t k = 0; k < kinds; ++k)
    {
        m_listen[k] = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
        Configure(m_listen[k]);
        m_listen[k]->Bind(InetSocketAddress(Ipv4Address::GetAny(), ports[k]));
        m_listen[k]->Listen();
        m_listen[k]->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                       MakeCallback(&MoeTcpTransport::HandleAccept, this));
    }
    for (uint32_t k = 0; k < kinds; ++k)
    {
        for (uint32_t d = 0; d < n; ++d)
        {
            if (d == self)
            {
                continue;
            }
            Ptr<Socket> s = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
            Configure(s);
            s->Bind();
            s->SetConnectCallback(MakeCallback(&MoeTcpTransport::ConnectionSucceeded, this),
                                  MakeCallback(&MoeTcpTransport::ConnectionFailed, this));
            Connecting(s, k, d);
            s->Connect(InetSocketAddress(GetEndpoint(d).address, ports[k]));
        }
    }
}

void
MoeTcpTransport::Connecting(Ptr<Socket> s, uint32_t kind, uint32_t dst)
{
    AttachSender(s, kind, dst, false);
}

void
MoeTcpTransport::AttachSender(Ptr<Socket> s, uint32_t kind, uint32_t peer, bool connected)
{
    s->SetSendCallback(MakeCallback(&MoeTcpTransport::HandleSend, this));
    s->TraceConnectWithoutContext("CongState",
                                  MakeCallback(&MoeTcpTransport::CongStateChanged, this));
    m_txOf[s] = {kind, peer};
    Stream& t = m_tx[kind][peer];
    t.socket = s;
    t.connected = connected;
}

void
MoeTcpTransport::AttachReceiver(Ptr<Socket> s, uint32_t kind, uint32_t peer)
{
    m_rxOf[s] = {kind, peer};
    s->SetRecvCallback(MakeCallback(&MoeTcpTransport::HandleRead, this));
}

void
MoeTcpTransport::HandleAccept(Ptr<Socket> s, const Address& from)
{
    const Ipv4Address peer = InetSocketAddress::ConvertFrom(from).GetIpv4();
    Address local;
    s->GetSockName(local);
    const uint16_t port = InetSocketAddress::ConvertFrom(local).GetPort();
    const int64_t src = FindPeer(peer);
    if (src < 0)
    {
        NS_LOG_WARN("connection from an unknown host " << peer);
        return;
    }
    m_accepted.push_back(s);
    Accepted(s, port == DISPATCH_PORT ? MOE_DISPATCH : MOE_COMBINE, static_cast<uint32_t>(src));
}

void
MoeTcpTransport::Accepted(Ptr<Socket> s, uint32_t kind, uint32_t src)
{
    AttachReceiver(s, kind, src);
}

void
MoeTcpTransport::HandleRead(Ptr<Socket> s)
{
    const auto it = m_rxOf.find(s);
    if (it == m_rxOf.end())
    {
        return;
    }
    const auto [kind, src] = it->second;
    while (Ptr<Packet> p = s->Recv())
    {
        NotifyReceived(kind, src, p->GetSize());
    }
}

void
MoeTcpTransport::ConnectionSucceeded(Ptr<Socket> s)
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
MoeTcpTransport::ConnectionFailed(Ptr<Socket> s)
{
    const auto it = m_txOf.find(s);
    NS_LOG_ERROR("GPU " << GetSelf() << ": connection failed"
                        << (it != m_txOf.end() ? " to GPU " + std::to_string(it->second.second)
                                               : std::string()));
}

void
MoeTcpTransport::HandleSend(Ptr<Socket> s, uint32_t /* available */)
{
    const auto it = m_txOf.find(s);
    if (it != m_txOf.end())
    {
        Pump(it->second.first, it->second.second);
    }
}

void
MoeTcpTransport::CongStateChanged(TcpSocketState::TcpCongState_t from,
                                  TcpSocketState::TcpCongState_t to)
{
    if (to == TcpSocketState::CA_LOSS && from != TcpSocketState::CA_LOSS)
    {
        ++m_counters.timeouts;
    }
    else if (to == TcpSocketState::CA_RECOVERY && from != TcpSocketState::CA_RECOVERY)
    {
        ++m_counters.fastRecoveries;
    }
}

void
MoeTcpTransport::Release(uint32_t kind, uint32_t peer, uint64_t cumulativeBytes)
{
    m_tx[kind][peer].allowed = cumulativeBytes;
    Pump(kind, peer);
}

void
MoeTcpTransport::Pump(uint32_t kind, uint32_t peer)
{
    Stream& t = m_tx[kind][peer];
    if (!t.connected || !t.socket)
    {
        return;
    }
    while (t.written < t.allowed)
    {
        const uint32_t avail = t.socket->GetTxAvailable();
        if (avail == 0)
        {
            break;
        }
        const uint64_t n = std::min<uint64_t>(t.allowed - t.written, avail);
        const int sent = t.socket->Send(Create<Packet>(static_cast<uint32_t>(n)));
        if (sent <= 0)
        {
            break;
        }
        t.written += static_cast<uint64_t>(sent);
        NotifySent(kind, peer, static_cast<uint64_t>(sent));
    }
}

TypeId
MoeSharedTcpTransport::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MoeSharedTcpTransport")
                            .SetParent<MoeTcpTransport>()
                            .SetGroupName("PhotonicMoe")
                            .AddConstructor<MoeSharedTcpTransport>();
    return tid;
}

MoeSharedTcpTransport::MoeSharedTcpTransport() = default;

MoeSharedTcpTransport::~MoeSharedTcpTransport() = default;

uint32_t
MoeSharedTcpTransport::ConnectionKinds() const
{
    return 1; // dispatch connections only; combine uses their reverse direction
}

void
MoeSharedTcpTransport::Connecting(Ptr<Socket> s, uint32_t kind, uint32_t dst)
{
    MoeTcpTransport::Connecting(s, kind, dst);
    AttachReceiver(s, MOE_COMBINE, dst); // dst's combine bytes come back on this connection
}

void
MoeSharedTcpTransport::Accepted(Ptr<Socket> s, uint32_t kind, uint32_t src)
{
    MoeTcpTransport::Accepted(s, kind, src);
    // The reverse direction of src's dispatch connection carries our combine to src.
    AttachSender(s, MOE_COMBINE, src, true);
    Pump(MOE_COMBINE, src);
}

} // namespace ns3
