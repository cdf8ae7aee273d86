/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-rdma-transport.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/ocs-net-device.h"
#include "ns3/photonic-moe-enum-value.h"
#include "ns3/pmoe-units.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MoeRdmaTransport");

NS_OBJECT_ENSURE_REGISTERED(MoeRdmaTransport);

namespace
{

/**
 * @param node a node
 * @param index 0 for its first OcsNetDevice, 1 for its second, ...
 * @return that device, or null
 */
Ptr<OcsNetDevice>
NthOcsDevice(Ptr<Node> node, uint32_t index)
{
    for (uint32_t i = 0; node && i < node->GetNDevices(); ++i)
    {
        Ptr<OcsNetDevice> dev = DynamicCast<OcsNetDevice>(node->GetDevice(i));
        if (dev && index-- == 0)
        {
            return dev;
        }
    }
    return nullptr;
}

/**
 * Add a queue pair's (or a NIC's) recovery and congestion counters to the transport's.
 * @param c the transport counters
 * @param q the queue pair counters
 */
void
AddQpCounters(MoeTransportCounters& c, const RdmaQpCounters& q)
{
    c.timeouts += q.timeouts;
    c.retransmittedPackets += q.retransmittedPackets;
    c.naks += q.naksReceived;
    c.cnps += q.cnpsReceived;
    c.rateCuts += q.rateCuts;
}

} // namespace

TypeId
MoeRdmaTransport::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MoeRdmaTransport")
            .SetParent<MoeTransport>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<MoeRdmaTransport>()
            .AddAttribute("SharedQp",
                          "One queue pair per peer carrying both traffic kinds (messages in "
                          "posting order), instead of one per peer and kind. Every GPU of a "
                          "layer must use the same setting.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&MoeRdmaTransport::m_sharedQp),
                          MakeBooleanChecker())
            .AddAttribute("GpusPerServer",
                          "G, GPUs per server (>= 1, dividing the number of GPUs). With G > 1 "
                          "the GPUs form a cluster (MoeClusterTopologyHelper): each uses a NIC "
                          "on its rail device and one on its NVLink port and relays the bytes "
                          "of other GPUs' flows by the Forwarding rule. Every GPU of a layer "
                          "must use the same setting.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&MoeRdmaTransport::m_gpusPerServer),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("Forwarding",
                          "The cluster forwarding rule (G > 1): rail-aligned or network-first.",
                          MakePmoeEnumValue(pmoe::ForwardingRule::RAIL_ALIGNED),
                          MakePmoeEnumAccessor(&MoeRdmaTransport::m_forwarding),
                          MakePmoeEnumChecker<pmoe::ForwardingRule>())
            .AddAttribute("RelayChunk",
                          "A relaying GPU (G > 1) posts a flow's bytes to the next hop once it "
                          "holds this many, and what it holds when the incoming message ends "
                          "(0: every arrival at once). Default 64 KiB: 16 packets of 4096 "
                          "bytes, the layer's ACK interval, so that a relayed message is not "
                          "acknowledged packet by packet.",
                          UintegerValue(65536),
                          MakeUintegerAccessor(&MoeRdmaTransport::m_relayChunk),
                          MakeUintegerChecker<uint64_t>());
    return tid;
}

MoeRdmaTransport::MoeRdmaTransport() = default;

MoeRdmaTransport::~MoeRdmaTransport() = default;

void
MoeRdmaTransport::DoDispose()
{
    if (m_nic)
    {
        m_nic->TraceDisconnectWithoutContext(
            "RxBytes",
            m_gpusPerServer > 1 ? MakeCallback(&MoeRdmaTransport::OnRailRxBytes, this)
                                : MakeCallback(&MoeRdmaTransport::OnRxBytes, this));
    }
    if (m_nvlinkNic)
    {
        m_nvlinkNic->TraceDisconnectWithoutContext(
            "RxBytes",
            MakeCallback(&MoeRdmaTransport::OnNvlinkRxBytes, this));
        m_nvlinkNic->TraceDisconnectWithoutContext(
            "ReceiveComplete",
            MakeCallback(&MoeRdmaTransport::OnNvlinkMessageEnd, this));
    }
    if (m_nic && m_gpusPerServer > 1)
    {
        m_nic->TraceDisconnectWithoutContext(
            "ReceiveComplete",
            MakeCallback(&MoeRdmaTransport::OnRailMessageEnd, this));
    }
    m_nic = nullptr;
    m_nvlinkNic = nullptr;
    MoeTransport::DoDispose();
}

uint32_t
MoeRdmaTransport::QpnFor(uint32_t peer, uint32_t kind) const
{
    return FIRST_QPN + (m_sharedQp ? peer : 2 * peer + kind);
}

Ptr<RdmaNic>
MoeRdmaTransport::GetNic() const
{
    return m_nic;
}

Ptr<RdmaNic>
MoeRdmaTransport::GetNvlinkNic() const
{
    return m_nvlinkNic;
}

uint64_t
MoeRdmaTransport::GetRelayedBytes() const
{
    return m_relayedBytes;
}

uint32_t
MoeRdmaTransport::ClusterQpn(uint32_t key, uint32_t kind) const
{
    return FIRST_QPN + (m_sharedQp ? key : 2 * key + kind);
}

void
MoeRdmaTransport::Start()
{
    if (m_gpusPerServer > 1)
    {
        StartCluster();
        return;
    }
    const uint32_t n = GetNGpus();
    const uint32_t self = GetSelf();
    m_nic = RdmaNic::GetOrCreate(GetEndpoint(self).node);
    m_peerOfQpn.assign(QpnFor(n, 0), -1);
    for (uint32_t k = 0; k < 2; ++k)
    {
        m_posted[k].assign(n, 0);
    }
    const uint32_t kinds = m_sharedQp ? 1 : 2;
    for (uint32_t peer = 0; peer < n; ++peer)
    {
        if (peer == self)
        {
            continue;
        }
        Ptr<OcsNetDevice> dev = RdmaNic::FindDevice(GetEndpoint(peer).node);
        if (!dev)
        {
            throw pmoe::InputError("MoeRdmaTransport: GPU " + std::to_string(peer) +
                                   " has no OcsNetDevice");
        }
        for (uint32_t kind = 0; kind < kinds; ++kind)
        {
            const uint32_t qpn = QpnFor(peer, kind);
            m_nic->CreateQp(qpn, QpnFor(self, kind), dev->GetPort());
            m_peerOfQpn[qpn] = peer;
        }
    }
    m_nic->TraceConnectWithoutContext("RxBytes", MakeCallback(&MoeRdmaTransport::OnRxBytes, this));
}

void
MoeRdmaTransport::StartCluster()
{
    const uint32_t n = GetNGpus();
    const uint32_t self = GetSelf();
    const uint32_t g = m_gpusPerServer;
    if (n % g != 0)
    {
        throw pmoe::InputError("MoeRdmaTransport: GpusPerServer " + std::to_string(g) +
                               " does not divide the number of GPUs " + std::to_string(n));
    }
    if (m_forwarding == pmoe::ForwardingRule::DIRECT)
    {
        throw pmoe::InputError("MoeRdmaTransport: forwarding rule 'direct' needs GpusPerServer "
                               "1, got " +
                               std::to_string(g));
    }
    const bool networkFirst = m_forwarding == pmoe::ForwardingRule::NETWORK_FIRST;
    const uint32_t servers = n / g;
    const uint32_t s = self / g;
    const uint32_t a = self % g;
    const uint32_t kinds = m_sharedQp ? 1 : 2;
    // The rail device is a GPU node's first OcsNetDevice, its NVLink port the second.
    auto deviceOf = [this](uint32_t gpu, uint32_t index) {
        Ptr<OcsNetDevice> dev = NthOcsDevice(GetEndpoint(gpu).node, index);
        if (!dev)
        {
            throw pmoe::InputError("MoeRdmaTransport: GPU " + std::to_string(gpu) + " has no " +
                                   (index == 0 ? "NIC" : "NVLink port") +
                                   " (an OcsNetDevice; GpusPerServer needs a cluster topology)");
        }
        return dev;
    };
    for (uint32_t k = 0; k < 2; ++k)
    {
        m_posted[k].assign(n, 0);
    }
    m_firstHop.assign(n, FirstHop{});
    m_nvlinkNic = RdmaNic::GetOrCreate(deviceOf(self, 1));
    m_nvlinkRoutes.assign(g * servers, RelayRoute{});
    for (uint32_t c = 0; c < g; ++c)
    {
        if (c == a)
        {
            continue;
        }
        const uint32_t peer = s * g + c;
        const uint32_t port = deviceOf(peer, 1)->GetPort();
        for (uint32_t x = 0; x < servers; ++x)
        {
            const uint32_t key = c * servers + x;
            for (uint32_t kind = 0; kind < kinds; ++kind)
            {
                m_nvlinkNic->CreateQp(ClusterQpn(key, kind),
                                      ClusterQpn(a * servers + x, kind),
                                      port);
            }
            RelayRoute& r = m_nvlinkRoutes[key];
            if (x == s)
            {
                r.action = RELAY_DELIVER; // between GPUs of this server
                r.origin = peer;
            }
            else if (networkFirst)
            {
                r.action = RELAY_DELIVER; // (x, c) -> i, relayed by (s, c)
                r.origin = x * g + c;
            }
            else
            {
                r.action = RELAY_TO_RAIL; // (s, c) -> (x, a), on i's rail
                r.nextKey = x * g + c;
            }
        }
        m_firstHop[peer] = {true, c * servers + s};
    }
    if (servers > 1)
    {
        m_nic = RdmaNic::GetOrCreate(deviceOf(self, 0));
        m_railRoutes.assign(servers * g, RelayRoute{});
        for (uint32_t t = 0; t < servers; ++t)
        {
            if (t == s)
            {
                continue;
            }
            const uint32_t port = deviceOf(t * g + a, 0)->GetPort();
            for (uint32_t l = 0; l < g; ++l)
            {
                const uint32_t key = t * g + l;
                for (uint32_t kind = 0; kind < kinds; ++kind)
                {
                    m_nic->CreateQp(ClusterQpn(key, kind), ClusterQpn(s * g + l, kind), port);
                }
                RelayRoute& r = m_railRoutes[key];
                if (networkFirst && l != a)
                {
                    r.action = RELAY_TO_NVLINK; // (t, a) -> (s, l)
                    r.nextKey = l * servers + t;
                }
                else
                {
                    r.action = RELAY_DELIVER; // network-first (t, a) -> i; rail-aligned (t, l) -> i
                    r.origin = t * g + (networkFirst ? a : l);
                }
                // i's flow to (t, l): network-first, on this queue pair; rail-aligned, to
                // (t, a) only (to (t, l), l != a, over NVLink to (s, l) first).
                if (networkFirst)
                {
                    m_firstHop[t * g + l] = {false, key};
                }
                else if (l == a)
                {
                    m_firstHop[t * g + a] = {false, key};
                }
                else
                {
                    m_firstHop[t * g + l] = {true, l * servers + t};
                }
            }
        }
        m_nic->TraceConnectWithoutContext("RxBytes",
                                          MakeCallback(&MoeRdmaTransport::OnRailRxBytes, this));
        m_nic->TraceConnectWithoutContext("ReceiveComplete",
                                          MakeCallback(&MoeRdmaTransport::OnRailMessageEnd, this));
    }
    m_nvlinkNic->TraceConnectWithoutContext("RxBytes",
                                            MakeCallback(&MoeRdmaTransport::OnNvlinkRxBytes, this));
    m_nvlinkNic->TraceConnectWithoutContext(
        "ReceiveComplete",
        MakeCallback(&MoeRdmaTransport::OnNvlinkMessageEnd, this));
}

void
MoeRdmaTransport::Release(uint32_t kind, uint32_t peer, uint64_t cumulativeBytes)
{
    uint64_t& posted = m_posted[kind][peer];
    if (cumulativeBytes <= posted)
    {
        return;
    }
    const uint64_t bytes = cumulativeBytes - posted;
    posted = cumulativeBytes;
    if (m_gpusPerServer > 1)
    {
        const FirstHop& hop = m_firstHop[peer];
        (hop.nvlink ? m_nvlinkNic : m_nic)
            ->PostSend(ClusterQpn(hop.key, kind), m_nextWr++, bytes, static_cast<uint16_t>(kind));
    }
    else
    {
        m_nic->PostSend(QpnFor(peer, kind), m_nextWr++, bytes, static_cast<uint16_t>(kind));
    }
    NotifySent(kind, peer, bytes);
}

void
MoeRdmaTransport::OnClusterRx(std::vector<RelayRoute>& routes,
                              uint32_t qpn,
                              uint16_t tag,
                              uint64_t bytes)
{
    const uint32_t key = m_sharedQp ? qpn - FIRST_QPN : (qpn - FIRST_QPN) / 2;
    if (qpn < FIRST_QPN || key >= routes.size() || tag > MOE_COMBINE ||
        routes[key].action == RELAY_NONE)
    {
        m_counters.unexpectedBytes += bytes;
        return;
    }
    RelayRoute& r = routes[key];
    if (r.action == RELAY_DELIVER)
    {
        NotifyReceived(tag, r.origin, bytes);
        return;
    }
    r.held[tag] += bytes;
    if (r.held[tag] >= m_relayChunk)
    {
        Forward(r, tag);
    }
}

void
MoeRdmaTransport::Forward(RelayRoute& r, uint16_t kind)
{
    const uint64_t bytes = r.held[kind];
    r.held[kind] = 0;
    m_relayedBytes += bytes;
    (r.action == RELAY_TO_RAIL ? m_nic : m_nvlinkNic)
        ->PostSendCoalesced(ClusterQpn(r.nextKey, kind), m_nextWr++, bytes, kind);
}

void
MoeRdmaTransport::OnClusterMessageEnd(std::vector<RelayRoute>& routes, uint32_t qpn, uint16_t tag)
{
    const uint32_t key = m_sharedQp ? qpn - FIRST_QPN : (qpn - FIRST_QPN) / 2;
    if (qpn < FIRST_QPN || key >= routes.size() || tag > MOE_COMBINE)
    {
        return;
    }
    RelayRoute& r = routes[key];
    if ((r.action == RELAY_TO_RAIL || r.action == RELAY_TO_NVLINK) && r.held[tag] > 0)
    {
        Forward(r, tag);
    }
}

void
MoeRdmaTransport::OnRailMessageEnd(uint32_t qpn, uint16_t tag, uint64_t /* bytes */)
{
    OnClusterMessageEnd(m_railRoutes, qpn, tag);
}

void
MoeRdmaTransport::OnNvlinkMessageEnd(uint32_t qpn, uint16_t tag, uint64_t /* bytes */)
{
    OnClusterMessageEnd(m_nvlinkRoutes, qpn, tag);
}

void
MoeRdmaTransport::OnRailRxBytes(uint32_t qpn, uint16_t tag, uint64_t bytes)
{
    OnClusterRx(m_railRoutes, qpn, tag, bytes);
}

void
MoeRdmaTransport::OnNvlinkRxBytes(uint32_t qpn, uint16_t tag, uint64_t bytes)
{
    OnClusterRx(m_nvlinkRoutes, qpn, tag, bytes);
}

void
MoeRdmaTransport::OnRxBytes(uint32_t qpn, uint16_t tag, uint64_t bytes)
{
    if (qpn >= m_peerOfQpn.size() || m_peerOfQpn[qpn] < 0 || tag > MOE_COMBINE)
    {
        m_counters.unexpectedBytes += bytes;
        return;
    }
    NotifyReceived(tag, static_cast<uint32_t>(m_peerOfQpn[qpn]), bytes);
}

MoeTransportCounters
MoeRdmaTransport::GetCounters() const
{
    MoeTransportCounters c = m_counters;
    if (m_gpusPerServer > 1)
    {
        c.relayedBytes = m_relayedBytes;
        for (const Ptr<RdmaNic>& nic : {m_nic, m_nvlinkNic})
        {
            if (!nic)
            {
                continue;
            }
            AddQpCounters(c, nic->GetCounters());
            c.pauseFrames += nic->GetDevice()->GetCounters().epsPauseFrames;
        }
        return c;
    }
    if (!m_nic)
    {
        return c;
    }
    for (uint32_t qpn = 0; qpn < m_peerOfQpn.size(); ++qpn)
    {
        if (m_peerOfQpn[qpn] < 0)
        {
            continue;
        }
        AddQpCounters(c, m_nic->GetQpCounters(qpn));
    }
    c.pauseFrames += m_nic->GetDevice()->GetCounters().epsPauseFrames;
    return c;
}

} // namespace ns3
