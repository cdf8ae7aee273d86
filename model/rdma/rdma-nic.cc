/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rdma-nic.h"

#include "ns3/electrical-packet-switch.h"
#include "ns3/log.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/pmoe-units.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RdmaNic");

NS_OBJECT_ENSURE_REGISTERED(RdmaNic);

namespace
{

constexpr uint32_t kEthernetHeaderBytes = 14; //!< added by the device

/// 4.096 us x 2^8: InfiniBand's local ACK timeout formula (IBTA spec, C9-141) at exponent 8.
constexpr int64_t kDefaultRtoNs = 4096LL << 8;

} // namespace

TypeId
RdmaNic::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RdmaNic")
            .SetParent<OcsFrameSource>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<RdmaNic>()
            .AddAttribute("Mtu",
                          "Payload bytes per data packet (> 0; with the 12-byte header it must "
                          "fit in the device's MTU). Default 4096: RoCE's largest path MTU "
                          "(InfiniBand MTU 4096).",
                          UintegerValue(4096),
                          MakeUintegerAccessor(&RdmaNic::SetMtu, &RdmaNic::GetMtu),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("AckInterval",
                          "The receiver ACKs every this many in-order packets, and every "
                          "packet with the ack-request bit (> 0). Default 1: an ACK per "
                          "packet, as HPCC's ns-3 runs (L2_ACK_INTERVAL 1 in mix/config.txt); "
                          "raise it to cut events.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&RdmaNic::SetAckInterval, &RdmaNic::GetAckInterval),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute(
                "RetransmitTimeout",
                "Go back to the oldest unacknowledged PSN after this long without "
                "progress while packets are in flight (> 0). Default 1.048576 ms = "
                "4.096 us x 2^8, InfiniBand's local ACK timeout at exponent 8 "
                "(IBTA spec, C9-141): above the worst queueing of the module's "
                "default EPS buffers.",
                TimeValue(NanoSeconds(kDefaultRtoNs)),
                MakeTimeAccessor(&RdmaNic::SetRetransmitTimeout, &RdmaNic::GetRetransmitTimeout),
                MakeTimeChecker())
            .AddAttribute("NakInterval",
                          "A receiver repeats its NAK for the same expected PSN at most once "
                          "per this interval while packets past the gap keep arriving (> 0). "
                          "Default 500 us: the NACK generation interval of HPCC's and of the "
                          "DCQCN authors' ns-3 simulators.",
                          TimeValue(MicroSeconds(500)),
                          MakeTimeAccessor(&RdmaNic::SetNakInterval, &RdmaNic::GetNakInterval),
                          MakeTimeChecker())
            .AddAttribute("CnpInterval",
                          "A receiver sends at most one CNP per queue pair per this interval "
                          "(>= 0; 0: one per CE-marked packet). Default 50 us: DCQCN paper "
                          "(Zhu et al., SIGCOMM 2015), Section 3.1 (N = 50 us).",
                          TimeValue(MicroSeconds(50)),
                          MakeTimeAccessor(&RdmaNic::SetCnpInterval, &RdmaNic::GetCnpInterval),
                          MakeTimeChecker())
            .AddAttribute(
                "CongestionControl",
                "Congestion control of data over the EPS: \"dcqcn\" (ECN-capable "
                "frames, CNPs, RdmaDcqcn rate control) or \"none\" (line rate). "
                "Default dcqcn. Data over circuits is never rate-controlled.",
                StringValue("dcqcn"),
                MakeStringAccessor(&RdmaNic::SetCongestionControl, &RdmaNic::GetCongestionControl),
                MakeStringChecker())
            .AddAttribute("Dcqcn",
                          "The DCQCN parameters (an RdmaDcqcn).",
                          PointerValue(),
                          MakePointerAccessor(&RdmaNic::m_dcqcn),
                          MakePointerChecker<RdmaDcqcn>())
            .AddTraceSource("RxBytes",
                            "Payload bytes accepted in order (queue pair, tag, bytes).",
                            MakeTraceSourceAccessor(&RdmaNic::m_rxBytesTrace),
                            "ns3::RdmaNic::RxTracedCallback")
            .AddTraceSource("ReceiveComplete",
                            "A message's last byte arrived in order at the receiver (queue "
                            "pair, tag, message bytes).",
                            MakeTraceSourceAccessor(&RdmaNic::m_receiveCompleteTrace),
                            "ns3::RdmaNic::RxTracedCallback")
            .AddTraceSource("SendComplete",
                            "A send work request was acknowledged (queue pair, identifier, "
                            "bytes).",
                            MakeTraceSourceAccessor(&RdmaNic::m_sendCompleteTrace),
                            "ns3::RdmaNic::SendCompleteTracedCallback")
            .AddTraceSource("GoBackN",
                            "The sender went back (queue pair, absolute PSN, packets rewound, "
                            "true for a timeout and false for a NAK).",
                            MakeTraceSourceAccessor(&RdmaNic::m_goBackTrace),
                            "ns3::RdmaNic::GoBackTracedCallback")
            .AddTraceSource("RateChange",
                            "The DCQCN rate of a queue pair changed (queue pair, old and new "
                            "rate in bit/s); increases are applied, and traced, when the rate "
                            "is next read (lazy timers, see RdmaDcqcn).",
                            MakeTraceSourceAccessor(&RdmaNic::m_rateTrace),
                            "ns3::RdmaNic::RateTracedCallback");
    return tid;
}

RdmaNic::RdmaNic()
    : m_dcqcn(CreateObject<RdmaDcqcn>()),
      m_rto(NanoSeconds(kDefaultRtoNs)),
      m_nakInterval(MicroSeconds(500)),
      m_cnpInterval(MicroSeconds(50))
{
    NS_LOG_FUNCTION(this);
}

RdmaNic::~RdmaNic()
{
    NS_LOG_FUNCTION(this);
}

void
RdmaNic::DoDispose()
{
    for (auto& qp : m_qps)
    {
        qp.pacingEvent.Cancel();
        qp.rtoEvent.Cancel();
    }
    m_qps.clear();
    m_device = nullptr;
    m_dcqcn = nullptr;
    OcsFrameSource::DoDispose();
}

void
RdmaNic::Attach(Ptr<OcsNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    if (!device || !device->GetNode())
    {
        throw pmoe::InputError("RdmaNic::Attach: the device must be installed on a node");
    }
    if (m_device)
    {
        throw pmoe::InputError("RdmaNic::Attach: the NIC is attached already");
    }
    Ptr<Node> node = device->GetNode();
    if (node->GetObject<RdmaNic>())
    {
        throw pmoe::InputError("RdmaNic::Attach: node " + std::to_string(node->GetId()) +
                               " has an RdmaNic already");
    }
    if (m_mtu + RdmaHeader::SIZE > device->GetMtu())
    {
        throw pmoe::InputError(
            "RdmaNic::Mtu " + std::to_string(m_mtu) + " + " + std::to_string(RdmaHeader::SIZE) +
            " header bytes exceeds the device MTU " + std::to_string(device->GetMtu()));
    }
    if (!m_dcqcn)
    {
        throw pmoe::InputError("RdmaNic::Dcqcn must not be null");
    }
    node->AggregateObject(this);
    // Frames of ETHER_TYPE come straight from the device (ReceiveFrame), not through the
    // node's protocol handlers: the transport ends in the NIC.
    device->SetFrameSource(this);
    m_device = device;
}

Ptr<OcsNetDevice>
RdmaNic::FindDevice(Ptr<Node> node)
{
    for (uint32_t i = 0; node && i < node->GetNDevices(); ++i)
    {
        Ptr<OcsNetDevice> dev = DynamicCast<OcsNetDevice>(node->GetDevice(i));
        if (dev)
        {
            return dev;
        }
    }
    return nullptr;
}

Ptr<RdmaNic>
RdmaNic::GetOrCreate(Ptr<Node> node)
{
    Ptr<RdmaNic> nic = node->GetObject<RdmaNic>();
    if (nic)
    {
        return nic;
    }
    Ptr<OcsNetDevice> dev = FindDevice(node);
    if (!dev)
    {
        throw pmoe::InputError("RdmaNic: node " + std::to_string(node->GetId()) +
                               " has no OcsNetDevice");
    }
    nic = CreateObject<RdmaNic>();
    nic->Attach(dev);
    return nic;
}

Ptr<OcsNetDevice>
RdmaNic::GetDevice() const
{
    return m_device;
}

Ptr<RdmaDcqcn>
RdmaNic::GetDcqcn() const
{
    return m_dcqcn;
}

void
RdmaNic::CreateQp(uint32_t qpn,
                  uint32_t remoteQpn,
                  uint32_t peerPort,
                  uint32_t sendPsn,
                  uint32_t expectedPsn)
{
    NS_LOG_FUNCTION(this << qpn << remoteQpn << peerPort << sendPsn << expectedPsn);
    if (!m_device || !m_device->GetSwitch())
    {
        throw pmoe::InputError("RdmaNic::CreateQp: attach the NIC to a switch's device first");
    }
    if (qpn == 0 || qpn > RdmaHeader::MASK_24 || remoteQpn == 0 || remoteQpn > RdmaHeader::MASK_24)
    {
        throw pmoe::InputError("RdmaNic::CreateQp: queue pair numbers must be in [1, 2^24), got " +
                               std::to_string(qpn) + " and " + std::to_string(remoteQpn));
    }
    if (HasQp(qpn))
    {
        throw pmoe::InputError("RdmaNic::CreateQp: queue pair " + std::to_string(qpn) +
                               " exists already");
    }
    const uint32_t ports = m_device->GetSwitch()->GetNPorts();
    if (peerPort >= ports || peerPort == m_device->GetPort())
    {
        throw pmoe::InputError("RdmaNic::CreateQp: peer port " + std::to_string(peerPort) +
                               " is not another port of the switch (" + std::to_string(ports) +
                               " ports)");
    }
    if (qpn >= m_qps.size())
    {
        m_qps.resize(qpn + 1);
    }
    if (m_portRings.size() < ports)
    {
        m_portRings.resize(ports);
    }
    RdmaQueuePair& qp = m_qps[qpn];
    qp.Connect(qpn, remoteQpn, peerPort, m_mtu, sendPsn, expectedPsn);
    qp.ring = NO_RING;
    Ptr<ElectricalPacketSwitch> eps = m_device->GetEps();
    m_dcqcn->Init(qp.cc, eps ? eps->GetDataRate() : m_device->GetDataRate());
    qp.lastRateBps = static_cast<uint64_t>(qp.cc.rc);
}

bool
RdmaNic::HasQp(uint32_t qpn) const
{
    return qpn < m_qps.size() && m_qps[qpn].IsConnected();
}

RdmaQueuePair&
RdmaNic::Qp(uint32_t qpn)
{
    if (!HasQp(qpn))
    {
        throw pmoe::InputError("RdmaNic: no queue pair " + std::to_string(qpn));
    }
    return m_qps[qpn];
}

void
RdmaNic::PostSend(uint32_t qpn, uint64_t id, uint64_t bytes, uint16_t tag)
{
    NS_LOG_FUNCTION(this << qpn << id << bytes << tag);
    RdmaQueuePair& qp = Qp(qpn);
    const bool hadData = qp.HasDataToSend();
    qp.PostSend(id, bytes, tag);
    Activate(qp, !hadData);
}

RdmaQpCounters
RdmaNic::GetQpCounters(uint32_t qpn) const
{
    if (!HasQp(qpn))
    {
        throw pmoe::InputError("RdmaNic: no queue pair " + std::to_string(qpn));
    }
    RdmaQpCounters c = m_qps[qpn].counters;
    c.rateCuts = m_qps[qpn].cc.rateCuts;
    return c;
}

RdmaQpCounters
RdmaNic::GetCounters() const
{
    RdmaQpCounters total;
    for (uint32_t qpn = 0; qpn < m_qps.size(); ++qpn)
    {
        if (m_qps[qpn].IsConnected())
        {
            total += GetQpCounters(qpn);
        }
    }
    return total;
}

uint64_t
RdmaNic::GetUnknownQpPackets() const
{
    return m_unknownQpPackets;
}

DataRate
RdmaNic::GetQpRate(uint32_t qpn)
{
    RdmaQueuePair& qp = Qp(qpn);
    if (!m_dcqcnOn)
    {
        return DataRate(static_cast<uint64_t>(qp.cc.lineBps));
    }
    m_dcqcn->Update(qp.cc, Simulator::Now());
    ReportRate(qp);
    return DataRate(static_cast<uint64_t>(qp.cc.rc));
}

bool
RdmaNic::IsQpViaEps(uint32_t qpn) const
{
    return HasQp(qpn) && m_qps[qpn].viaEps;
}

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

// ---- Attributes ----

void
RdmaNic::SetMtu(uint32_t mtu)
{
    if (mtu == 0)
    {
        throw pmoe::InputError("RdmaNic::Mtu must be > 0 bytes, got 0");
    }
    if (m_device && mtu + RdmaHeader::SIZE > m_device->GetMtu())
    {
        throw pmoe::InputError(
            "RdmaNic::Mtu " + std::to_string(mtu) + " + " + std::to_string(RdmaHeader::SIZE) +
            " header bytes exceeds the device MTU " + std::to_string(m_device->GetMtu()));
    }
    m_mtu = mtu;
}

uint32_t
RdmaNic::GetMtu() const
{
    return m_mtu;
}

void
RdmaNic::SetAckInterval(uint32_t n)
{
    if (n == 0)
    {
        throw pmoe::InputError("RdmaNic::AckInterval must be > 0 packets, got 0");
    }
    m_ackInterval = n;
}

uint32_t
RdmaNic::GetAckInterval() const
{
    return m_ackInterval;
}

void
RdmaNic::SetRetransmitTimeout(Time t)
{
    RdmaRequirePositive("RdmaNic::RetransmitTimeout", t);
    m_rto = t;
}

Time
RdmaNic::GetRetransmitTimeout() const
{
    return m_rto;
}

void
RdmaNic::SetNakInterval(Time t)
{
    RdmaRequirePositive("RdmaNic::NakInterval", t);
    m_nakInterval = t;
}

Time
RdmaNic::GetNakInterval() const
{
    return m_nakInterval;
}

void
RdmaNic::SetCnpInterval(Time t)
{
    if (t.IsStrictlyNegative())
    {
        throw pmoe::InputError("RdmaNic::CnpInterval must be >= 0, got " +
                               std::to_string(t.GetNanoSeconds()) + " ns");
    }
    m_cnpInterval = t;
}

Time
RdmaNic::GetCnpInterval() const
{
    return m_cnpInterval;
}

void
RdmaNic::SetCongestionControl(std::string name)
{
    if (name != "dcqcn" && name != "none")
    {
        throw pmoe::InputError("RdmaNic::CongestionControl must be dcqcn or none, got '" + name +
                               "'");
    }
    m_dcqcnOn = name == "dcqcn";
}

std::string
RdmaNic::GetCongestionControl() const
{
    return m_dcqcnOn ? "dcqcn" : "none";
}

} // namespace ns3
