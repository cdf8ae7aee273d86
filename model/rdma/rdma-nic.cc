/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * RdmaNic, part 1 of 2: the type and its attributes, attachment to an OcsNetDevice, queue-pair
 * creation and lookup, work-request posting, counters and the attribute accessors. The data
 * path -- rings, pacing, the pull interface of the device, retransmission timers and the
 * receive/ACK/NAK/CNP handling -- is in rdma-nic-datapath.cc.
 */

#include "rdma-nic.h"

#include "rdma-nic-detail.h"

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

/// 4.096 us x 2^8: InfiniBand's local ACK timeout formula (IBTA spec, C9-141) at exponent 8.
constexpr int64_t kDefaultRtoNs = 4096LL << 8;

} // namespace

namespace rdmanic
{

LogComponent&
Log()
{
    return g_log;
}

} // namespace rdmanic

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
    if (Find(device))
    {
        throw pmoe::InputError("RdmaNic::Attach: the device of node " +
                               std::to_string(node->GetId()) + " has an RdmaNic already");
    }
    CheckDevice(device);
    node->AggregateObject(this);
    // Frames of ETHER_TYPE come straight from the device (ReceiveFrame), not through the
    // node's protocol handlers: the transport ends in the NIC.
    device->SetFrameSource(this);
    m_device = device;
}

void
RdmaNic::AttachToDevice(Ptr<OcsNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    if (!device || !device->GetNode())
    {
        throw pmoe::InputError("RdmaNic::AttachToDevice: the device must be installed on a node");
    }
    if (m_device)
    {
        throw pmoe::InputError("RdmaNic::AttachToDevice: the NIC is attached already");
    }
    if (device->GetFrameSource())
    {
        throw pmoe::InputError("RdmaNic::AttachToDevice: the device of node " +
                               std::to_string(device->GetNode()->GetId()) +
                               " has a frame source already");
    }
    CheckDevice(device);
    device->SetFrameSource(this);
    m_device = device;
}

void
RdmaNic::CheckDevice(Ptr<OcsNetDevice> device) const
{
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
}

Ptr<RdmaNic>
RdmaNic::Find(Ptr<OcsNetDevice> device)
{
    return device ? DynamicCast<RdmaNic>(device->GetFrameSource()) : nullptr;
}

Ptr<RdmaNic>
RdmaNic::GetOrCreate(Ptr<OcsNetDevice> device)
{
    Ptr<RdmaNic> nic = Find(device);
    if (nic)
    {
        return nic;
    }
    nic = CreateObject<RdmaNic>();
    nic->AttachToDevice(device);
    return nic;
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

void
RdmaNic::PostSendCoalesced(uint32_t qpn, uint64_t id, uint64_t bytes, uint16_t tag)
{
    NS_LOG_FUNCTION(this << qpn << id << bytes << tag);
    RdmaQueuePair& qp = Qp(qpn);
    // A message none of whose packets left yet means data waiting, so the queue pair is in
    // its ring or on its pacing timer already: nothing to schedule.
    if (!qp.AppendToTail(bytes, tag))
    {
        const bool hadData = qp.HasDataToSend();
        qp.PostSend(id, bytes, tag);
        Activate(qp, !hadData);
    }
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
