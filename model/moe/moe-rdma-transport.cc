/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-rdma-transport.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/ocs-net-device.h"
#include "ns3/pmoe-units.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MoeRdmaTransport");

NS_OBJECT_ENSURE_REGISTERED(MoeRdmaTransport);

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
                          MakeBooleanChecker());
    return tid;
}

MoeRdmaTransport::MoeRdmaTransport() = default;

MoeRdmaTransport::~MoeRdmaTransport() = default;

void
MoeRdmaTransport::DoDispose()
{
    if (m_nic)
    {
        m_nic->TraceDisconnectWithoutContext("RxBytes",
                                             MakeCallback(&MoeRdmaTransport::OnRxBytes, this));
    }
    m_nic = nullptr;
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

void
MoeRdmaTransport::Start()
{
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
MoeRdmaTransport::Release(uint32_t kind, uint32_t peer, uint64_t cumulativeBytes)
{
    uint64_t& posted = m_posted[kind][peer];
    if (cumulativeBytes <= posted)
    {
        return;
    }
    const uint64_t bytes = cumulativeBytes - posted;
    posted = cumulativeBytes;
    m_nic->PostSend(QpnFor(peer, kind), m_nextWr++, bytes, static_cast<uint16_t>(kind));
    NotifySent(kind, peer, bytes);
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
        const RdmaQpCounters q = m_nic->GetQpCounters(qpn);
        c.timeouts += q.timeouts;
        c.retransmittedPackets += q.retransmittedPackets;
        c.naks += q.naksReceived;
        c.cnps += q.cnpsReceived;
        c.rateCuts += q.rateCuts;
    }
    c.pauseFrames += m_nic->GetDevice()->GetCounters().epsPauseFrames;
    return c;
}

} // namespace ns3
