/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "electrical-packet-switch.h"

#include "ocs-net-device.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/ethernet-header.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/pmoe-units.h"
#include "ns3/rdma-header.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ElectricalPacketSwitch");

NS_OBJECT_ENSURE_REGISTERED(ElectricalPacketSwitch);

namespace
{

/**
 * @param t a time
 * @return it as text in ns
 */
std::string
TimeText(Time t)
{
    std::ostringstream os;
    os << t.As(Time::NS);
    return os.str();
}

constexpr uint16_t kIpv4EtherType = 0x0800;     //!< EtherType of IPv4
constexpr uint16_t kRdmaEtherType = 0x8915;     //!< EtherType of the RDMA transport (RoCE v1's)
constexpr uint32_t kEthernetHeaderBytes = 14;   //!< destination, source, EtherType
constexpr uint64_t kDefaultPfcXoff = 256 << 10; //!< default XOFF (bytes)
constexpr uint64_t kPfcResumeOffset = 3 << 10;  //!< default XOFF - XON (bytes)

/**
 * @param rate a data rate
 * @param bytes a frame size
 * @return its serialisation time, rounded up to a whole ns
 */
Time
FrameTime(const DataRate& rate, uint64_t bytes)
{
    return NanoSeconds(pmoe::TransmissionTimeNs(static_cast<pmoe::Bytes>(bytes),
                                                static_cast<pmoe::Bps>(rate.GetBitRate())));
}

} // namespace

TypeId
ElectricalPacketSwitch::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ElectricalPacketSwitch")
            .SetParent<Channel>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<ElectricalPacketSwitch>()
            .AddAttribute("DataRate",
                          "Data rate of every port, host uplinks and switch egress alike (> 0).",
                          DataRateValue(DataRate("100Gbps")),
                          MakeDataRateAccessor(&ElectricalPacketSwitch::SetDataRate,
                                               &ElectricalPacketSwitch::GetDataRate),
                          MakeDataRateChecker())
            .AddAttribute("Delay",
                          "Propagation delay of each host-switch link (>= 0); a frame crosses "
                          "two. Default 50 ns (10 m of fibre or copper).",
                          TimeValue(NanoSeconds(50)),
                          MakeTimeAccessor(&ElectricalPacketSwitch::SetDelay,
                                           &ElectricalPacketSwitch::GetDelay),
                          MakeTimeChecker())
            .AddAttribute("SwitchLatency",
                          "Forwarding latency inside the switch, from the end of reception to "
                          "joining the egress FIFO (>= 0). Default 500 ns (datacenter switch).",
                          TimeValue(NanoSeconds(500)),
                          MakeTimeAccessor(&ElectricalPacketSwitch::SetSwitchLatency,
                                           &ElectricalPacketSwitch::GetSwitchLatency),
                          MakeTimeChecker())
            .AddAttribute("EgressQueueCapacity",
                          "Bytes of frames each egress FIFO holds (> 0). Default 2 MiB, about "
                          "a shared-buffer switch's share per port.",
                          UintegerValue(2 << 20),
                          MakeUintegerAccessor(&ElectricalPacketSwitch::SetEgressQueueCapacity,
                                               &ElectricalPacketSwitch::GetEgressQueueCapacity),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("ControlPriority",
                          "Strict priority at each egress port for control frames (at most "
                          "ControlMaxFrameBytes: TCP pure ACKs, SYN, FIN) over data frames.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&ElectricalPacketSwitch::m_controlPriority),
                          MakeBooleanChecker())
            .AddAttribute("ControlMaxFrameBytes",
                          "Largest frame (bytes, with the 14-byte Ethernet header) in the "
                          "control priority class. Default 142: an IP packet of 128 bytes, "
                          "OcsNetDevice's default EpsControlMaxBytes.",
                          UintegerValue(142),
                          MakeUintegerAccessor(&ElectricalPacketSwitch::m_controlMaxFrameBytes),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("EcnMarking",
                          "RED-like ECN marking at the egress ports (RdmaHeader CE for DCQCN, "
                          "IPv4 CE for DCTCP) with EcnKmin, EcnKmax, EcnPmax. Default off.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&ElectricalPacketSwitch::SetEcnMarking,
                                              &ElectricalPacketSwitch::GetEcnMarking),
                          MakeBooleanChecker())
            .AddAttribute("EcnKmin",
                          "Egress bytes at or below which nothing is marked (<= EcnKmax). "
                          "Default 5 KB: DCQCN paper (Zhu et al., SIGCOMM 2015), Table 1, for "
                          "40 Gb/s ports (HPCC scales the thresholds with the port rate).",
                          UintegerValue(5000),
                          MakeUintegerAccessor(&ElectricalPacketSwitch::SetEcnKmin,
                                               &ElectricalPacketSwitch::GetEcnKmin),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("EcnKmax",
                          "Egress bytes above which every ECN-capable frame is marked "
                          "(>= EcnKmin). Default 200 KB: DCQCN paper, Table 1.",
                          UintegerValue(200000),
                          MakeUintegerAccessor(&ElectricalPacketSwitch::SetEcnKmax,
                                               &ElectricalPacketSwitch::GetEcnKmax),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("EcnPmax",
                          "Marking probability at EcnKmax, in [0, 1]. Default 0.01: DCQCN "
                          "paper, Table 1.",
                          DoubleValue(0.01),
                          MakeDoubleAccessor(&ElectricalPacketSwitch::SetEcnPmax,
                                             &ElectricalPacketSwitch::GetEcnPmax),
                          MakeDoubleChecker<double>())
            .AddAttribute("PfcEnabled",
                          "Priority flow control: PAUSE and RESUME the EPS data class of a "
                          "host by the bytes its ingress port holds (PfcXoff, PfcXon); the "
                          "EPS is then lossless. Default off.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&ElectricalPacketSwitch::m_pfc),
                          MakeBooleanChecker())
            .AddAttribute("PfcXoff",
                          "Bytes an ingress port may hold before its host is paused "
                          "(>= PfcXon). Default 256 KiB: above EcnKmax, so that ECN marks "
                          "before PFC pauses (DCQCN paper, Section 5).",
                          UintegerValue(kDefaultPfcXoff),
                          MakeUintegerAccessor(&ElectricalPacketSwitch::SetPfcXoff,
                                               &ElectricalPacketSwitch::GetPfcXoff),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("PfcXon",
                          "Bytes of an ingress port at or below which a paused host resumes "
                          "(<= PfcXoff). Default PfcXoff - 3 KiB: the resume offset of the "
                          "switch buffer model in HPCC's ns-3 simulator (switch-mmu.cc).",
                          UintegerValue(kDefaultPfcXoff - kPfcResumeOffset),
                          MakeUintegerAccessor(&ElectricalPacketSwitch::SetPfcXon,
                                               &ElectricalPacketSwitch::GetPfcXon),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("PfcHeadroom",
                          "Bytes an ingress port may hold beyond PfcXoff before its frames are "
                          "dropped (pfc-headroom-exceeded). 0 (default) = automatic: what "
                          "arrives after the XOFF crossing, DataRate x (2 Delay + "
                          "SwitchLatency + PAUSE time + 3 ns) + 3 largest frames (the one that "
                          "crossed, the one the PAUSE waits for, the host's frame in progress), "
                          "the usual PFC headroom rule (IEEE 802.1Qbb: two link delays and "
                          "maximum frames).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&ElectricalPacketSwitch::m_pfcHeadroom),
                          MakeUintegerChecker<uint64_t>())
            .AddTraceSource("Drop",
                            "A frame was dropped at an egress port (frame, port, reason).",
                            MakeTraceSourceAccessor(&ElectricalPacketSwitch::m_dropTrace),
                            "ns3::ElectricalPacketSwitch::DropTracedCallback")
            .AddTraceSource("EcnMark",
                            "A frame was marked CE at an egress port (frame, port).",
                            MakeTraceSourceAccessor(&ElectricalPacketSwitch::m_ecnMarkTrace),
                            "ns3::ElectricalPacketSwitch::EcnMarkTracedCallback")
            .AddTraceSource("Pfc",
                            "A PFC PAUSE (true) or RESUME (false) was sent to the host of a "
                            "port (port, pause).",
                            MakeTraceSourceAccessor(&ElectricalPacketSwitch::m_pfcTrace),
                            "ns3::ElectricalPacketSwitch::PfcTracedCallback");
    return tid;
}

ElectricalPacketSwitch::ElectricalPacketSwitch()
    : m_rate("100Gbps"),
      m_delay(NanoSeconds(50)),
      m_switchLatency(NanoSeconds(500)),
      m_egressCapacity(2 << 20),
      m_pfcXoff(kDefaultPfcXoff),
      m_pfcXon(kDefaultPfcXoff - kPfcResumeOffset)
{
    NS_LOG_FUNCTION(this);
}

ElectricalPacketSwitch::~ElectricalPacketSwitch()
{
    NS_LOG_FUNCTION(this);
}

void
ElectricalPacketSwitch::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_attached.Clear();
    m_egress.clear();
    m_ecnRng = nullptr;
    Channel::DoDispose();
}

std::size_t
ElectricalPacketSwitch::GetNDevices() const
{
    return m_attached.Size();
}

Ptr<NetDevice>
ElectricalPacketSwitch::GetDevice(std::size_t i) const
{
    return m_attached.Get(i);
}

uint32_t
ElectricalPacketSwitch::Attach(Ptr<OcsNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    CheckThresholds();
    const uint32_t port = m_attached.Add(device, "ElectricalPacketSwitch::Attach");
    m_egress.emplace_back();
    m_ingressBytes.push_back(0);
    m_paused.push_back(0);
    m_autoHeadroom = 0; // recomputed with this device's MTU
    return port;
}

int32_t
ElectricalPacketSwitch::GetPortOfAddress(Mac48Address address) const
{
    return m_attached.PortOf(address);
}

DataRate
ElectricalPacketSwitch::GetDataRate() const
{
    return m_rate;
}

Time
ElectricalPacketSwitch::GetDelay() const
{
    return m_delay;
}

Time
ElectricalPacketSwitch::GetSwitchLatency() const
{
    return m_switchLatency;
}

uint64_t
ElectricalPacketSwitch::GetEgressQueueCapacity() const
{
    return m_egressCapacity;
}

EpsCounters
ElectricalPacketSwitch::GetCounters() const
{
    return m_counters;
}

uint64_t
ElectricalPacketSwitch::GetEgressBytes(uint32_t port) const
{
    return port < m_egress.size() ? m_egress[port].Bytes() : 0;
}

uint64_t
ElectricalPacketSwitch::GetIngressBytes(uint32_t port) const
{
    return port < m_ingressBytes.size() ? m_ingressBytes[port] : 0;
}

uint64_t
ElectricalPacketSwitch::GetPfcHeadroom() const
{
    if (m_pfcHeadroom > 0)
    {
        return m_pfcHeadroom;
    }
    if (m_autoHeadroom > 0)
    {
        return m_autoHeadroom;
    }
    uint64_t maxFrame = 0;
    for (const auto& dev : m_attached.Devices())
    {
        maxFrame = std::max<uint64_t>(maxFrame, dev->GetMtu() + kEthernetHeaderBytes);
    }
    const Time inFlight =
        m_delay + m_delay + m_switchLatency + FrameTime(m_rate, PFC_FRAME_BYTES) + NanoSeconds(3);
    m_autoHeadroom =
        static_cast<uint64_t>(pmoe::BytesInNs(inFlight.GetNanoSeconds(),
                                              static_cast<pmoe::Bps>(m_rate.GetBitRate()))) +
        3 * maxFrame;
    return m_autoHeadroom;
}

int64_t
ElectricalPacketSwitch::AssignStreams(int64_t stream)
{
    m_ecnStream = stream;
    if (!m_ecnRng)
    {
        return 0;
    }
    m_ecnRng->SetStream(stream);
    return 1;
}

void
ElectricalPacketSwitch::Transmit(Ptr<Packet> frame, uint32_t srcPort, uint32_t dstPort)
{
    Simulator::Schedule(m_delay + m_switchLatency,
                        &ElectricalPacketSwitch::ArriveAtSwitch,
                        this,
                        frame,
                        srcPort,
                        dstPort);
}

void
ElectricalPacketSwitch::ArriveAtSwitch(Ptr<Packet> frame, uint32_t srcPort, uint32_t dstPort)
{
    ++m_counters.framesIn;
    if (dstPort >= m_egress.size())
    {
        return;
    }
    Egress& e = m_egress[dstPort];
    if (m_pfc)
    {
        // Lossless class: admission by the ingress port's use of XOFF + headroom.
        if (m_ingressBytes[srcPort] + frame->GetSize() > m_pfcXoff + GetPfcHeadroom())
        {
            ++m_counters.dropPfcHeadroom;
            m_dropTrace(frame, dstPort, DROP_PFC_HEADROOM);
            return;
        }
    }
    else if (e.Bytes() + frame->GetSize() > m_egressCapacity)
    {
        ++m_counters.dropEgressFull;
        m_dropTrace(frame, dstPort, DROP_EGRESS_FULL);
        return;
    }
    if (m_ecn)
    {
        MarkEcn(frame, e.Bytes(), dstPort);
    }
    if (m_controlPriority && IsControlFrame(frame))
    {
        e.control.Push(frame, srcPort);
    }
    else
    {
        e.queue.Push(frame, srcPort);
    }
    if (m_pfc)
    {
        m_ingressBytes[srcPort] += frame->GetSize();
        if (!m_paused[srcPort] && m_ingressBytes[srcPort] > m_pfcXoff)
        {
            SendPfc(srcPort, true);
        }
    }
    if (!e.txFrame)
    {
        StartEgress(dstPort);
    }
}

void
ElectricalPacketSwitch::StartEgress(uint32_t port)
{
    Egress& e = m_egress[port];
    if (!e.control.IsEmpty())
    {
        if (!e.queue.IsEmpty())
        {
            ++m_counters.controlFirst;
        }
        e.txFrame = e.control.Pop(&e.txIngress);
    }
    else
    {
        e.txFrame = e.queue.Pop(&e.txIngress);
    }
    Time txTime =
        NanoSeconds(pmoe::TransmissionTimeNs(e.txFrame->GetSize(),
                                             static_cast<pmoe::Bps>(m_rate.GetBitRate())));
    e.txEnd = Simulator::Now() + txTime;
    Simulator::Schedule(txTime, &ElectricalPacketSwitch::EgressComplete, this, port);
}

void
ElectricalPacketSwitch::EgressComplete(uint32_t port)
{
    Egress& e = m_egress[port];
    Ptr<Packet> frame = e.txFrame;
    e.txFrame = nullptr;
    if (m_pfc)
    {
        const uint32_t src = e.txIngress;
        m_ingressBytes[src] -= frame->GetSize();
        if (m_paused[src] && m_ingressBytes[src] <= m_pfcXon)
        {
            SendPfc(src, false);
        }
    }
    ++m_counters.framesForwarded;
    m_counters.bytesForwarded += frame->GetSize();
    Ptr<OcsNetDevice> dst = m_attached.Get(port);
    Ptr<Node> node = dst->GetNode();
    if (node)
    {
        Simulator::ScheduleWithContext(node->GetId(),
                                       m_delay,
                                       &OcsNetDevice::ReceiveFromEps,
                                       dst,
                                       frame);
    }
    else
    {
        Simulator::Schedule(m_delay, &OcsNetDevice::ReceiveFromEps, dst, frame);
    }
    if (!e.queue.IsEmpty() || !e.control.IsEmpty())
    {
        StartEgress(port);
    }
}

bool
ElectricalPacketSwitch::IsControlFrame(Ptr<const Packet> frame) const
{
    if (frame->GetSize() > m_controlMaxFrameBytes)
    {
        return false;
    }
    Ptr<Packet> copy = frame->Copy();
    EthernetHeader eth(false);
    copy->RemoveHeader(eth);
    if (eth.GetLengthType() != kRdmaEtherType)
    {
        return true;
    }
    RdmaHeader h;
    copy->PeekHeader(h);
    return !RdmaHeader::IsData(h.GetOpcode());
}

void
ElectricalPacketSwitch::MarkEcn(Ptr<Packet> frame, uint64_t queueBytes, uint32_t port)
{
    if (queueBytes <= m_ecnKmin)
    {
        return;
    }
    if (queueBytes <= m_ecnKmax && m_ecnKmax > m_ecnKmin)
    {
        const double p = m_ecnPmax * static_cast<double>(queueBytes - m_ecnKmin) /
                         static_cast<double>(m_ecnKmax - m_ecnKmin);
        if (m_ecnRng->GetValue() >= p)
        {
            return;
        }
    }
    EthernetHeader eth(false);
    frame->RemoveHeader(eth);
    bool marked = false;
    if (eth.GetLengthType() == kRdmaEtherType)
    {
        RdmaHeader h;
        frame->RemoveHeader(h);
        if (h.GetEcn() == RdmaHeader::ECT0 || h.GetEcn() == RdmaHeader::ECT1)
        {
            h.SetEcn(RdmaHeader::CE);
            marked = true;
        }
        frame->AddHeader(h);
    }
    else if (eth.GetLengthType() == kIpv4EtherType)
    {
        Ipv4Header ip;
        frame->RemoveHeader(ip);
        if (ip.GetEcn() == Ipv4Header::ECN_ECT0 || ip.GetEcn() == Ipv4Header::ECN_ECT1)
        {
            ip.SetEcn(Ipv4Header::ECN_CE);
            ip.EnableChecksum();
            marked = true;
        }
        frame->AddHeader(ip);
    }
    frame->AddHeader(eth);
    if (marked)
    {
        ++m_counters.ecnMarked;
        m_ecnMarkTrace(frame, port);
    }
}

void
ElectricalPacketSwitch::SendPfc(uint32_t port, bool pause)
{
    m_paused[port] = pause ? 1 : 0;
    ++(pause ? m_counters.pauseFrames : m_counters.resumeFrames);
    m_pfcTrace(port, pause);
    // The PFC frame waits for the frame being serialised towards the host, then takes its own
    // serialisation and the link delay.
    const Egress& e = m_egress[port];
    const Time now = Simulator::Now();
    const Time wait = (e.txFrame && e.txEnd > now) ? e.txEnd - now : Time(0);
    const Time delay = wait + FrameTime(m_rate, PFC_FRAME_BYTES) + m_delay;
    Ptr<OcsNetDevice> dst = m_attached.Get(port);
    Ptr<Node> node = dst->GetNode();
    if (node)
    {
        Simulator::ScheduleWithContext(node->GetId(),
                                       delay,
                                       &OcsNetDevice::ReceiveEpsPause,
                                       dst,
                                       pause);
    }
    else
    {
        Simulator::Schedule(delay, &OcsNetDevice::ReceiveEpsPause, dst, pause);
    }
}

void
ElectricalPacketSwitch::CheckThresholds() const
{
    if (m_ecnKmin > m_ecnKmax)
    {
        throw pmoe::InputError("ElectricalPacketSwitch::EcnKmin (" + std::to_string(m_ecnKmin) +
                               " bytes) must not exceed EcnKmax (" + std::to_string(m_ecnKmax) +
                               " bytes)");
    }
    if (m_pfcXon > m_pfcXoff)
    {
        throw pmoe::InputError("ElectricalPacketSwitch::PfcXon (" + std::to_string(m_pfcXon) +
                               " bytes) must not exceed PfcXoff (" + std::to_string(m_pfcXoff) +
                               " bytes)");
    }
}

void
ElectricalPacketSwitch::SetThreshold(uint64_t& field, uint64_t bytes)
{
    const uint64_t old = field;
    field = bytes;
    if (m_attached.Size() > 0)
    {
        try
        {
            CheckThresholds();
        }
        catch (...)
        {
            field = old;
            throw;
        }
    }
}

void
ElectricalPacketSwitch::SetEcnMarking(bool on)
{
    m_ecn = on;
    if (on && !m_ecnRng)
    {
        m_ecnRng = CreateObject<UniformRandomVariable>();
        if (m_ecnStream >= 0)
        {
            m_ecnRng->SetStream(m_ecnStream);
        }
    }
}

bool
ElectricalPacketSwitch::GetEcnMarking() const
{
    return m_ecn;
}

void
ElectricalPacketSwitch::SetEcnKmin(uint64_t bytes)
{
    SetThreshold(m_ecnKmin, bytes);
}

uint64_t
ElectricalPacketSwitch::GetEcnKmin() const
{
    return m_ecnKmin;
}

void
ElectricalPacketSwitch::SetEcnKmax(uint64_t bytes)
{
    SetThreshold(m_ecnKmax, bytes);
}

uint64_t
ElectricalPacketSwitch::GetEcnKmax() const
{
    return m_ecnKmax;
}

void
ElectricalPacketSwitch::SetEcnPmax(double p)
{
    if (!(p >= 0 && p <= 1))
    {
        throw pmoe::InputError("ElectricalPacketSwitch::EcnPmax must be in [0, 1], got " +
                               std::to_string(p));
    }
    m_ecnPmax = p;
}

double
ElectricalPacketSwitch::GetEcnPmax() const
{
    return m_ecnPmax;
}

void
ElectricalPacketSwitch::SetPfcXoff(uint64_t bytes)
{
    SetThreshold(m_pfcXoff, bytes);
}

uint64_t
ElectricalPacketSwitch::GetPfcXoff() const
{
    return m_pfcXoff;
}

void
ElectricalPacketSwitch::SetPfcXon(uint64_t bytes)
{
    SetThreshold(m_pfcXon, bytes);
}

uint64_t
ElectricalPacketSwitch::GetPfcXon() const
{
    return m_pfcXon;
}

void
ElectricalPacketSwitch::SetDataRate(DataRate rate)
{
    if (rate.GetBitRate() == 0)
    {
        throw pmoe::InputError("ElectricalPacketSwitch::DataRate must be > 0 bit/s");
    }
    m_rate = rate;
    m_autoHeadroom = 0;
}

void
ElectricalPacketSwitch::SetDelay(Time delay)
{
    if (delay.IsStrictlyNegative())
    {
        throw pmoe::InputError("ElectricalPacketSwitch::Delay must be >= 0, got " +
                               TimeText(delay));
    }
    m_delay = delay;
    m_autoHeadroom = 0;
}

void
ElectricalPacketSwitch::SetSwitchLatency(Time latency)
{
    if (latency.IsStrictlyNegative())
    {
        throw pmoe::InputError("ElectricalPacketSwitch::SwitchLatency must be >= 0, got " +
                               TimeText(latency));
    }
    m_switchLatency = latency;
    m_autoHeadroom = 0;
}

void
ElectricalPacketSwitch::SetEgressQueueCapacity(uint64_t bytes)
{
    if (bytes == 0)
    {
        throw pmoe::InputError("ElectricalPacketSwitch::EgressQueueCapacity must be > 0 bytes");
    }
    m_egressCapacity = bytes;
}

} // namespace ns3
