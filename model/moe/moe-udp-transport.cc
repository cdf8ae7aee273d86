/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-udp-transport.h"

#include "circuit-plan.h"

#include "ns3/boolean.h"
#include "ns3/electrical-packet-switch.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MoeUdpTransport");

NS_OBJECT_ENSURE_REGISTERED(MoeUdpTransport);

namespace
{

/// IPv4 + UDP header bytes of a datagram.
constexpr uint32_t kUdpIpHeaderBytes = 28;

/// Ethernet header bytes added by the device.
constexpr uint32_t kEthernetHeaderBytes = 14;

/**
 * @param w a window
 * @return true if it ended before now
 */
bool
WindowOver(const std::pair<Time, Time>& w)
{
    return w.second <= Simulator::Now();
}

} // namespace

TypeId
MoeUdpTransport::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MoeUdpTransport")
                            .SetParent<MoeTransport>()
                            .SetGroupName("PhotonicMoe")
                            .AddConstructor<MoeUdpTransport>()
                            .AddAttribute("PayloadSize",
                                          "Datagram payload in bytes (9000 MTU - 28 = 8972).",
                                          UintegerValue(8972),
                                          MakeUintegerAccessor(&MoeUdpTransport::m_payload),
                                          MakeUintegerChecker<uint32_t>(1, 65507))
                            .AddAttribute("Rate",
                                          "Pacing rate: the NIC rate.",
                                          DataRateValue(DataRate("400Gbps")),
                                          MakeDataRateAccessor(&MoeUdpTransport::m_rate),
                                          MakeDataRateChecker())
                            .AddAttribute("SeparateEpsPacing",
                                          "Beside the OCS, pace the streams the device sends "
                                          "over the EPS by a second sender at the EPS port's "
                                          "rate (false: one sender at Rate for all streams).",
                                          BooleanValue(true),
                                          MakeBooleanAccessor(&MoeUdpTransport::m_separateEps),
                                          MakeBooleanChecker());
    return tid;
}

MoeUdpTransport::MoeUdpTransport()
    : m_rate("400Gbps")
{
}

MoeUdpTransport::~MoeUdpTransport() = default;

void
MoeUdpTransport::DoDispose()
{
    m_event[CIRCUIT_PACER].Cancel();
    m_event[EPS_PACER].Cancel();
    m_listen[0] = nullptr;
    m_listen[1] = nullptr;
    m_socket = nullptr;
    m_device = nullptr;
    MoeTransport::DoDispose();
}

void
MoeUdpTransport::Start()
{
    if (m_rate.GetBitRate() == 0)
    {
        throw pmoe::InputError("MoeUdpTransport::Rate must be > 0");
    }
    const uint32_t n = GetNGpus();
    Ptr<Node> node = GetEndpoint(GetSelf()).node;
    const uint16_t ports[2] = {DISPATCH_PORT, COMBINE_PORT};
    for (uint32_t k = 0; k < 2; ++k)
    {
        m_allowed[k].assign(n, 0);
        m_written[k].assign(n, 0);
        m_listen[k] = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        m_listen[k]->Bind(InetSocketAddress(Ipv4Address::GetAny(), ports[k]));
        m_listen[k]->SetRecvCallback(MakeCallback(&MoeUdpTransport::HandleRead, this));
    }
    m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    m_socket->Bind();
}

void
MoeUdpTransport::Stop()
{
    m_event[CIRCUIT_PACER].Cancel();
    m_event[EPS_PACER].Cancel();
}

void
MoeUdpTransport::HandleRead(Ptr<Socket> s)
{
    const uint32_t kind = (s == m_listen[MOE_DISPATCH]) ? MOE_DISPATCH : MOE_COMBINE;
    Address from;
    while (Ptr<Packet> p = s->RecvFrom(from))
    {
        const int64_t src = FindPeer(InetSocketAddress::ConvertFrom(from).GetIpv4());
        if (src < 0)
        {
            m_counters.unexpectedBytes += p->GetSize();
            continue;
        }
        NotifyReceived(kind, static_cast<uint32_t>(src), p->GetSize());
    }
}

void
MoeUdpTransport::Release(uint32_t kind, uint32_t peer, uint64_t cumulativeBytes)
{
    m_allowed[kind][peer] = cumulativeBytes;
    Pump(CIRCUIT_PACER);
}

void
MoeUdpTransport::NotifyPlan(const CircuitPlan& plan)
{
    const uint32_t n = GetNGpus();
    const uint32_t self = GetSelf();
    if (m_windows.empty())
    {
        m_windows.assign(n, {});
        FindEpsPorts();
    }
    // Windows that are over are never looked at again (WindowEndsSoon): drop them, so that
    // the lists do not grow with every layer.
    for (auto& windows : m_windows)
    {
        windows.erase(std::remove_if(windows.begin(), windows.end(), WindowOver), windows.end());
    }
    const pmoe::ScheduleTimeline& timeline = plan.timeline;
    for (std::size_t k = 0; k < timeline.Configurations(); ++k)
    {
        const int32_t peer = timeline.Peer(k, self);
        if (peer >= 0 && static_cast<uint32_t>(peer) < n)
        {
            m_windows[peer].emplace_back(NanoSeconds(timeline.CircuitLitFromNs(k, self)),
                                         NanoSeconds(timeline.Step(k).endNs));
        }
    }
}

void
MoeUdpTransport::FindEpsPorts()
{
    if (!m_separateEps)
    {
        return;
    }
    // Two senders only where the device's view holds for every stream: each GPU has one
    // OcsNetDevice, all on one switch beside one EPS (not in clusters, whose GPUs have a NIC
    // on their rail's plane and an NVLink port, and whose traffic may relay over NVLink).
    const uint32_t n = GetNGpus();
    std::vector<uint32_t> ports(n);
    std::vector<Ptr<OcsNetDevice>> devices(n);
    for (uint32_t g = 0; g < n; ++g)
    {
        Ptr<Node> node = GetEndpoint(g).node;
        for (uint32_t i = 0; node && i < node->GetNDevices(); ++i)
        {
            if (Ptr<OcsNetDevice> dev = DynamicCast<OcsNetDevice>(node->GetDevice(i)))
            {
                if (devices[g])
                {
                    return; // two fabric ports: one sender
                }
                devices[g] = dev;
            }
        }
        const Ptr<OcsNetDevice>& dev = devices[g];
        if (!dev || !dev->GetSwitch() || !dev->GetEps() ||
            dev->GetSwitch() != devices[0]->GetSwitch())
        {
            return; // not hybrid OCS hosts on one switch: one sender
        }
        ports[g] = dev->GetPort();
    }
    m_device = devices[GetSelf()];
    m_port = std::move(ports);
    m_epsRate = m_device->GetEps()->GetDataRate();
}

uint32_t
MoeUdpTransport::PacerOf(uint32_t dst) const
{
    return (m_device && m_device->EpsCarriesData(m_port[dst])) ? EPS_PACER : CIRCUIT_PACER;
}

void
MoeUdpTransport::Pump(uint32_t pacer)
{
    SendNext(pacer);
    // The other sender may be idle while streams moved to it (a circuit's last window ended,
    // or a new plan gave an EPS destination a circuit): wake it; from then on it schedules
    // itself (SendNext returns at once while its slot runs).
    if (m_device)
    {
        SendNext(1 - pacer);
    }
}

void
MoeUdpTransport::SendNext(uint32_t pacer)
{
    if (!m_event[pacer].IsExpired() || !m_socket)
    {
        return;
    }
    const uint32_t n = GetNGpus();
    const uint32_t self = GetSelf();
    const uint16_t ports[2] = {DISPATCH_PORT, COMBINE_PORT};
    Time wake = Time::Max();
    for (uint32_t i = 0; i < 2 * n; ++i)
    {
        const uint32_t slot = (m_next[pacer] + i) % (2 * n);
        const uint32_t kind = slot / n;
        const uint32_t dst = slot % n;
        const uint64_t limit = m_allowed[kind][dst];
        uint64_t& written = m_written[kind][dst];
        if (dst == self || written >= limit)
        {
            continue;
        }
        if (m_device && PacerOf(dst) != pacer)
        {
            continue;
        }
        const auto bytes = static_cast<uint32_t>(std::min<uint64_t>(limit - written, m_payload));
        Time end;
        if (pacer == CIRCUIT_PACER && WindowEndsSoon(dst, bytes, end))
        {
            wake = std::min(wake, end);
            continue;
        }
        const int sent = m_socket->SendTo(Create<Packet>(bytes),
                                          0,
                                          InetSocketAddress(GetEndpoint(dst).address, ports[kind]));
        if (sent > 0)
        {
            written += static_cast<uint64_t>(sent);
            NotifySent(kind, dst, static_cast<uint64_t>(sent));
        }
        m_next[pacer] = (slot + 1) % (2 * n);
        const DataRate& rate = pacer == EPS_PACER ? m_epsRate : m_rate;
        const Time gap =
            rate.CalculateBytesTxTime(bytes + kUdpIpHeaderBytes + kEthernetHeaderBytes);
        m_event[pacer] = Simulator::Schedule(gap, &MoeUdpTransport::Pump, this, pacer);
        return;
    }
    if (wake != Time::Max())
    {
        const Time now = Simulator::Now();
        m_event[pacer] = Simulator::Schedule((wake > now ? wake - now : Time(0)) + NanoSeconds(1),
                                             &MoeUdpTransport::Pump,
                                             this,
                                             pacer);
    }
}

bool
MoeUdpTransport::WindowEndsSoon(uint32_t dst, uint32_t bytes, Time& end) const
{
    if (m_windows.empty())
    {
        return false;
    }
    const Time now = Simulator::Now();
    const Time frame =
        m_rate.CalculateBytesTxTime(bytes + kUdpIpHeaderBytes + kEthernetHeaderBytes);
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

} // namespace ns3
