/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * RdmaNic, part 2 of 2: the data path. Scheduling of the active queue pairs in per-port rings
 * with rate pacing, the frames pulled by the OcsNetDevice over circuits and the EPS, data
 * packet construction, the retransmission timeout (go-back-N), and the receive path: data,
 * ACK/NAK and CNP handling and the control packets sent in reply. Set-up, queue-pair
 * management and attributes are in rdma-nic.cc.
 */

#include "rdma-nic-detail.h"
#include "rdma-nic.h"

#include "ns3/electrical-packet-switch.h"
#include "ns3/log.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"

namespace ns3
{

/// The "RdmaNic" log component of rdma-nic.cc, shared by this file.
static LogComponent& g_log [[maybe_unused]] = rdmanic::Log();

namespace
{

constexpr uint32_t kEthernetHeaderBytes = 14; //!< added by the device

} // namespace

// ---- Scheduling ----

RdmaNic::Ring&
RdmaNic::RingOf(uint32_t ring)
{
    return ring == EPS_RING ? m_epsRing : m_portRings[ring];
}

void
RdmaNic::RingInsert(uint32_t ring, RdmaQueuePair& qp)
{
    Ring& r = RingOf(ring);
    const uint32_t qpn = qp.GetQpn();
    if (r.size == 0)
    {
        r.head = qpn;
        qp.ringPrev = qpn;
        qp.ringNext = qpn;
    }
    else
    {
        RdmaQueuePair& head = m_qps[r.head];
        RdmaQueuePair& tail = m_qps[head.ringPrev];
        qp.ringPrev = head.ringPrev;
        qp.ringNext = r.head;
        tail.ringNext = qpn;
        head.ringPrev = qpn;
    }
    ++r.size;
    qp.ring = ring;
}

void
RdmaNic::RingRemove(RdmaQueuePair& qp)
{
    Ring& r = RingOf(qp.ring);
    if (r.size > 1)
    {
        m_qps[qp.ringPrev].ringNext = qp.ringNext;
        m_qps[qp.ringNext].ringPrev = qp.ringPrev;
        if (r.head == qp.GetQpn())
        {
            r.head = qp.ringNext;
        }
    }
    --r.size;
    qp.ring = NO_RING;
}

void
RdmaNic::SetFabric(RdmaQueuePair& qp, bool viaEps)
{
    // Back to a circuit only once nothing sent over the EPS is unacknowledged: circuit frames
    // must not overtake frames still queued in the EPS.
    if (qp.viaEps == viaEps || (qp.viaEps && qp.HasInFlight()))
    {
        return;
    }
    if (qp.ring != NO_RING)
    {
        RingRemove(qp);
    }
    qp.pacingEvent.Cancel();
    qp.viaEps = viaEps;
}

void
RdmaNic::Activate(RdmaQueuePair& qp, bool decide)
{
    const uint32_t qpn = qp.GetQpn();
    if (qpn / 64 >= m_mayHaveData.size())
    {
        m_mayHaveData.resize(qpn / 64 + 1, 0);
    }
    m_mayHaveData[qpn / 64] |= uint64_t{1} << (qpn % 64);
    if (decide)
    {
        SetFabric(qp, m_device->EpsCarriesData(qp.GetPeerPort()));
    }
    Kick(qp);
}

void
RdmaNic::Kick(RdmaQueuePair& qp)
{
    if (!qp.HasDataToSend() || qp.ring != NO_RING || !qp.pacingEvent.IsExpired())
    {
        return;
    }
    if (!qp.viaEps)
    {
        RingInsert(qp.GetPeerPort(), qp);
    }
    else if (m_dcqcnOn && qp.nextSend > Simulator::Now())
    {
        qp.pacingEvent = Simulator::Schedule(qp.nextSend - Simulator::Now(),
                                             &RdmaNic::PacingDone,
                                             this,
                                             qp.GetQpn());
        return;
    }
    else
    {
        RingInsert(EPS_RING, qp);
    }
    m_device->FrameSourceReady();
}

void
RdmaNic::PacingDone(uint32_t qpn)
{
    Kick(m_qps[qpn]);
}

void
RdmaNic::CircuitsChanged()
{
    // Which fabric each destination's data uses may have changed: ask the device once per
    // destination that has waiting data.
    // Only queue pairs that got data since they were last found idle are visited, in QPN
    // order (as a scan of every queue pair would), so a change costs O(queue pairs with data)
    // plus one word per 64 queue pairs.
    m_epsOfPort.assign(m_portRings.size(), -1);
    for (std::size_t w = 0; w < m_mayHaveData.size(); ++w)
    {
        uint64_t bits = m_mayHaveData[w];
        while (bits != 0)
        {
            const auto bit = static_cast<uint32_t>(__builtin_ctzll(bits)); // lowest set bit
            const uint64_t low = uint64_t{1} << bit;
            bits &= bits - 1;
            RdmaQueuePair& qp = m_qps[w * 64 + bit];
            if (!qp.HasDataToSend())
            {
                m_mayHaveData[w] &= ~low; // idle: set again when it gets data (Activate)
                continue;
            }
            int8_t& eps = m_epsOfPort[qp.GetPeerPort()];
            if (eps < 0)
            {
                eps = m_device->EpsCarriesData(qp.GetPeerPort()) ? 1 : 0;
            }
            SetFabric(qp, eps == 1);
            Kick(qp);
        }
    }
}

Ptr<Packet>
RdmaNic::PullCircuitPacket(uint32_t port, uint32_t maxBytes, uint16_t& protocol)
{
    if (port >= m_portRings.size())
    {
        return nullptr;
    }
    Ring& r = m_portRings[port];
    for (uint32_t n = r.size; n > 0 && r.size > 0; --n)
    {
        RdmaQueuePair& qp = m_qps[r.head];
        r.head = qp.ringNext; // round-robin
        if (!qp.HasDataToSend())
        {
            RingRemove(qp);
            continue;
        }
        if (qp.NextPayload() + RdmaHeader::SIZE > maxBytes)
        {
            continue; // does not fit before the teardown; another queue pair's might
        }
        Ptr<Packet> p = BuildData(qp, RdmaHeader::NOT_ECT);
        if (!qp.HasDataToSend())
        {
            RingRemove(qp);
        }
        protocol = ETHER_TYPE;
        return p;
    }
    return nullptr;
}

Ptr<Packet>
RdmaNic::PullEpsPacket(uint32_t& port, uint16_t& protocol)
{
    const Time now = Simulator::Now();
    while (m_epsRing.size > 0)
    {
        RdmaQueuePair& qp = m_qps[m_epsRing.head];
        if (!qp.HasDataToSend())
        {
            RingRemove(qp);
            continue;
        }
        double rate = qp.cc.lineBps;
        if (m_dcqcnOn)
        {
            rate = m_dcqcn->Update(qp.cc, now);
            ReportRate(qp);
            if (qp.nextSend > now)
            {
                // Too early at its rate: wait on its own timer, outside the ring.
                RingRemove(qp);
                qp.pacingEvent =
                    Simulator::Schedule(qp.nextSend - now, &RdmaNic::PacingDone, this, qp.GetQpn());
                continue;
            }
        }
        m_epsRing.head = qp.ringNext; // round-robin
        Ptr<Packet> p = BuildData(qp, m_dcqcnOn ? RdmaHeader::ECT0 : RdmaHeader::NOT_ECT);
        if (m_dcqcnOn)
        {
            const uint64_t frame = p->GetSize() + kEthernetHeaderBytes;
            qp.nextSend =
                qp.cc.limited
                    ? now + NanoSeconds(pmoe::TransmissionTimeNs(static_cast<pmoe::Bytes>(frame),
                                                                 static_cast<pmoe::Bps>(rate)))
                    : now;
            m_dcqcn->OnSent(qp.cc, frame, now);
        }
        if (!qp.HasDataToSend())
        {
            RingRemove(qp);
        }
        port = qp.GetPeerPort();
        protocol = ETHER_TYPE;
        return p;
    }
    return nullptr;
}

Ptr<Packet>
RdmaNic::BuildData(RdmaQueuePair& qp, RdmaHeader::Ecn ecn)
{
    const bool idle = !qp.HasInFlight();
    const RdmaTxPacket t = qp.TakeNext();
    Ptr<Packet> p = Create<Packet>(t.payload);
    RdmaHeader h;
    h.SetOpcode(t.opcode);
    h.SetDestQpn(qp.GetRemoteQpn());
    h.SetPsn(static_cast<uint32_t>(t.psn));
    h.SetAckRequest(t.ackRequest);
    h.SetEcn(ecn);
    h.SetTag(t.tag);
    p->AddHeader(h);
    ++qp.counters.dataPacketsSent;
    qp.counters.dataBytesSent += t.payload;
    if (t.retransmission)
    {
        ++qp.counters.retransmittedPackets;
    }
    if (idle)
    {
        qp.rtoStart = Simulator::Now();
    }
    ArmRto(qp);
    return p;
}

void
RdmaNic::ArmRto(RdmaQueuePair& qp)
{
    if (!qp.rtoEvent.IsExpired())
    {
        return;
    }
    const Time deadline = qp.rtoStart + m_rto;
    const Time now = Simulator::Now();
    qp.rtoEvent = Simulator::Schedule(deadline > now ? deadline - now : Time(0),
                                      &RdmaNic::RtoExpired,
                                      this,
                                      qp.GetQpn());
}

void
RdmaNic::RtoExpired(uint32_t qpn)
{
    RdmaQueuePair& qp = m_qps[qpn];
    if (!qp.HasInFlight())
    {
        return; // nothing in flight: the timer stops until the next packet
    }
    const Time now = Simulator::Now();
    if (qp.rtoStart + m_rto > now)
    {
        ArmRto(qp); // progress since it was armed: wait for the rest
        return;
    }
    const bool hadData = qp.HasDataToSend();
    const uint64_t psn = qp.GetUnacked();
    const uint64_t rewound = qp.GoBack(psn);
    ++qp.counters.timeouts;
    NS_LOG_LOGIC("queue pair " << qpn << ": timeout, back to PSN " << psn);
    m_goBackTrace(qpn, psn, rewound, true);
    qp.rtoStart = now;
    Activate(qp, !hadData);
}

void
RdmaNic::ReportRate(RdmaQueuePair& qp)
{
    const auto rate = static_cast<uint64_t>(qp.cc.rc);
    if (rate != qp.lastRateBps)
    {
        m_rateTrace(qp.GetQpn(), qp.lastRateBps, rate);
        qp.lastRateBps = rate;
    }
}

// ---- Receiving ----

bool
RdmaNic::ReceiveFrame(Ptr<const Packet> packet, uint16_t protocol)
{
    if (protocol != ETHER_TYPE)
    {
        return false;
    }
    Receive(packet);
    return true;
}

void
RdmaNic::Receive(Ptr<const Packet> packet)
{
    RdmaHeader h;
    if (packet->GetSize() < RdmaHeader::SIZE || packet->PeekHeader(h) != RdmaHeader::SIZE ||
        !HasQp(h.GetDestQpn()))
    {
        ++m_unknownQpPackets;
        return;
    }
    RdmaQueuePair& qp = m_qps[h.GetDestQpn()];
    switch (h.GetOpcode())
    {
    case RdmaHeader::ACK:
        ReceiveAck(qp, h.GetPsn(), false);
        break;
    case RdmaHeader::NAK:
        ReceiveAck(qp, h.GetPsn(), true);
        break;
    case RdmaHeader::CNP:
        ReceiveCnp(qp);
        break;
    default:
        if (RdmaHeader::IsData(h.GetOpcode()))
        {
            ReceiveData(qp, h, packet->GetSize() - RdmaHeader::SIZE);
        }
        else
        {
            ++m_unknownQpPackets;
        }
        break;
    }
}

void
RdmaNic::ReceiveData(RdmaQueuePair& qp, const RdmaHeader& header, uint32_t payload)
{
    const Time now = Simulator::Now();
    if (header.GetEcn() == RdmaHeader::CE)
    {
        ++qp.counters.ecnMarkedPackets;
        if (!qp.cnpSent || now - qp.lastCnp >= m_cnpInterval)
        {
            SendControl(qp, RdmaHeader::CNP, 0);
            ++qp.counters.cnpsSent;
            qp.cnpSent = true;
            qp.lastCnp = now;
        }
    }
    uint64_t psn = 0;
    switch (qp.Receive(header.GetPsn(), psn))
    {
    case RdmaQueuePair::RX_IN_ORDER: {
        ++qp.counters.packetsReceived;
        qp.counters.bytesReceived += payload;
        qp.nakPending = false;
        m_rxBytesTrace(qp.GetQpn(), header.GetTag(), payload);
        uint64_t messageBytes = 0;
        if (qp.Deliver(header.GetOpcode(), payload, messageBytes))
        {
            ++qp.counters.messagesReceived;
            m_receiveCompleteTrace(qp.GetQpn(), header.GetTag(), messageBytes);
        }
        break;
    }
    case RdmaQueuePair::RX_DUPLICATE:
        ++qp.counters.duplicatePackets;
        break;
    case RdmaQueuePair::RX_OUT_OF_ORDER:
        ++qp.counters.outOfOrderPackets;
        // NAK the gap once; again if a PSN past it comes a second time (the sender went back
        // and its retransmission was lost too) or after NakInterval.
        if (!qp.nakPending || psn <= qp.nakHighest || now - qp.lastNak >= m_nakInterval)
        {
            SendControl(qp, RdmaHeader::NAK, qp.GetExpected());
            ++qp.counters.naksSent;
            qp.nakPending = true;
            qp.nakHighest = psn;
            qp.lastNak = now;
            qp.unacked = 0;
        }
        else
        {
            qp.nakHighest = psn;
        }
        return;
    }
    if (++qp.unacked >= m_ackInterval || header.GetAckRequest())
    {
        SendControl(qp, RdmaHeader::ACK, qp.GetExpected());
        ++qp.counters.acksSent;
        qp.unacked = 0;
    }
}

void
RdmaNic::ReceiveAck(RdmaQueuePair& qp, uint32_t psn, bool nak)
{
    const uint64_t next = qp.ToAbsoluteSendPsn(psn);
    const bool hadData = qp.HasDataToSend();
    if (qp.Acknowledge(next) > 0)
    {
        qp.rtoStart = Simulator::Now();
    }
    RdmaWorkRequest wr;
    while (qp.PopCompleted(wr))
    {
        ++qp.counters.messagesSent;
        m_sendCompleteTrace(qp.GetQpn(), wr.id, wr.bytes);
    }
    if (!nak)
    {
        return;
    }
    const uint64_t rewound = qp.GoBack(next);
    if (rewound == 0)
    {
        return;
    }
    ++qp.counters.naksReceived;
    NS_LOG_LOGIC("queue pair " << qp.GetQpn() << ": NAK, back to PSN " << next);
    m_goBackTrace(qp.GetQpn(), next, rewound, false);
    qp.rtoStart = Simulator::Now();
    Activate(qp, !hadData);
}

void
RdmaNic::ReceiveCnp(RdmaQueuePair& qp)
{
    ++qp.counters.cnpsReceived;
    if (!m_dcqcnOn)
    {
        return;
    }
    m_dcqcn->OnCnp(qp.cc, Simulator::Now());
    ReportRate(qp);
}

void
RdmaNic::SendControl(RdmaQueuePair& qp, RdmaHeader::Opcode opcode, uint64_t psn)
{
    Ptr<Packet> p = Create<Packet>(CONTROL_PACKET_BYTES - RdmaHeader::SIZE);
    RdmaHeader h;
    h.SetOpcode(opcode);
    h.SetDestQpn(qp.GetRemoteQpn());
    h.SetPsn(static_cast<uint32_t>(psn));
    p->AddHeader(h);
    m_device->SendToPort(p, qp.GetPeerPort(), ETHER_TYPE);
}

} // namespace ns3
