/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ocs-net-device.h"

#include "electrical-packet-switch.h"
#include "optical-circuit-switch.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/ethernet-header.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/object-factory.h"
#include "ns3/pmoe-units.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/type-id.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("OcsNetDevice");

NS_OBJECT_ENSURE_REGISTERED(OcsNetDevice);
NS_OBJECT_ENSURE_REGISTERED(OcsFrameSource);

namespace
{

constexpr uint16_t kIpv4EtherType = 0x0800;      //!< EtherType of IPv4
constexpr uint32_t kEthernetHeaderBytes = 14;    //!< destination, source, EtherType
constexpr uint64_t kDefaultQueueBytes = 8 << 20; //!< 8 MiB

} // namespace

TypeId
OcsFrameSource::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::OcsFrameSource").SetParent<Object>().SetGroupName("PhotonicMoe");
    return tid;
}

OcsFrameSource::~OcsFrameSource() = default;

void
OcsFrameSource::CircuitsChanged()
{
}

bool
OcsFrameSource::ReceiveFrame(Ptr<const Packet> /* packet */, uint16_t /* protocol */)
{
    return false;
}

TypeId
OcsNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::OcsNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<OcsNetDevice>()
            .AddAttribute(
                "Mtu",
                "MTU in bytes (68..65521): the largest packet from the upper layer; "
                "the frame adds a 14-byte Ethernet header.",
                UintegerValue(9000),
                MakeUintegerAccessor(&OcsNetDevice::SetMtuAttribute, &OcsNetDevice::GetMtu),
                MakeUintegerChecker<uint16_t>())
            .AddAttribute(
                "DataRate",
                "Circuit data rate of the port (> 0).",
                DataRateValue(DataRate("400Gbps")),
                MakeDataRateAccessor(&OcsNetDevice::SetDataRate, &OcsNetDevice::GetDataRate),
                MakeDataRateChecker())
            .AddAttribute(
                "VoqCapacity",
                "Capacity of each per-destination VOQ in bytes of frames (> 0). "
                "Default 8 MiB: one 100 us slot at 400 Gb/s (5 MB) with margin.",
                UintegerValue(kDefaultQueueBytes),
                MakeUintegerAccessor(&OcsNetDevice::SetVoqCapacity, &OcsNetDevice::GetVoqCapacity),
                MakeUintegerChecker<uint64_t>())
            .AddAttribute("Guard",
                          "Schedule-aware guard: never start a frame that cannot finish before "
                          "its circuit's known teardown.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&OcsNetDevice::m_guard),
                          MakeBooleanChecker())
            .AddAttribute("EpsPolicy",
                          "TypeId of the OcsEpsPolicy that decides which packets use the "
                          "electrical packet switch: ns3::OcsNoEpsPolicy (none), "
                          "ns3::OcsControlEpsPolicy, ns3::OcsNoCircuitEpsPolicy, "
                          "ns3::OcsAllEpsPolicy, ns3::OcsNoFutureCircuitEpsPolicy, or your own "
                          "subclass. Any policy but none needs an ElectricalPacketSwitch.",
                          TypeIdValue(OcsNoEpsPolicy::GetTypeId()),
                          MakeTypeIdAccessor(&OcsNetDevice::SetEpsPolicyType,
                                             &OcsNetDevice::GetEpsPolicyType),
                          MakeTypeIdChecker())
            .AddAttribute("EpsControlMaxBytes",
                          "Largest packet (bytes, without the Ethernet header) counted as "
                          "control by the EPS policies: TCP pure ACKs with timestamps and SACK "
                          "blocks, SYN and FIN fit in the default 128.",
                          UintegerValue(128),
                          MakeUintegerAccessor(&OcsNetDevice::m_epsControlMaxBytes),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("EpsControlPriority",
                          "Strict priority on the EPS PHY: control packets (at most "
                          "EpsControlMaxBytes) are sent before queued data.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&OcsNetDevice::m_epsControlPriority),
                          MakeBooleanChecker())
            .AddAttribute("EpsQueueCapacity",
                          "Capacity of the host's EPS queue (control and data) in bytes of "
                          "frames.",
                          UintegerValue(kDefaultQueueBytes),
                          MakeUintegerAccessor(&OcsNetDevice::m_epsQueueCapacity),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("VoqOverflowToEps",
                          "Fault handling: a packet that does not fit in its VOQ goes to the "
                          "EPS (if there is one) instead of being dropped with reason "
                          "\"voq-full\".",
                          BooleanValue(false),
                          MakeBooleanAccessor(&OcsNetDevice::m_voqOverflowToEps),
                          MakeBooleanChecker())
            .AddAttribute("EcnThreshold",
                          "ECN marking at the VOQs for DCTCP: an IPv4 ECT packet arriving at a "
                          "VOQ that already holds more than this many bytes is marked CE. "
                          "0 = off.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&OcsNetDevice::m_ecnThreshold),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("ReceiveErrorModel",
                          "An ErrorModel applied to every received frame (circuit or EPS), as "
                          "PointToPointNetDevice's; a corrupt frame is dropped with reason "
                          "\"rx-error\". Default none.",
                          PointerValue(),
                          MakePointerAccessor(&OcsNetDevice::m_receiveErrorModel),
                          MakePointerChecker<ErrorModel>())
            .AddTraceSource("MacTx",
                            "A packet from the upper layer arrived at the device.",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_macTxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacRx",
                            "A packet is handed to the upper layer.",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_macRxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyTxBegin",
                            "A frame starts on the wire (circuit or EPS).",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_phyTxBeginTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyTxEnd",
                            "A frame's last bit left the device (circuit or EPS).",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_phyTxEndTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyRxEnd",
                            "A frame was received (circuit or EPS).",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_phyRxEndTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Sniffer",
                            "Frames sent and received by this device (for pcap).",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_snifferTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PromiscSniffer",
                            "Every frame seen by this device (for pcap).",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_promiscSnifferTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Drop",
                            "A packet or frame was dropped (packet, reason).",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_dropTrace),
                            "ns3::OcsNetDevice::DropTracedCallback")
            .AddTraceSource("VoqEnqueue",
                            "A frame entered a VOQ (destination port, frame).",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_voqEnqueueTrace),
                            "ns3::OcsNetDevice::VoqPacketTracedCallback")
            .AddTraceSource("VoqDequeue",
                            "A frame left a VOQ for the wire (destination port, frame).",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_voqDequeueTrace),
                            "ns3::OcsNetDevice::VoqPacketTracedCallback")
            .AddTraceSource("VoqToEps",
                            "A frame left a VOQ for the EPS queue because its destination has "
                            "no circuit now and none later (destination port, frame).",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_voqToEpsTrace),
                            "ns3::OcsNetDevice::VoqPacketTracedCallback")
            .AddTraceSource("VoqLength",
                            "Bytes in a VOQ after an enqueue or dequeue (destination port, "
                            "bytes).",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_voqLengthTrace),
                            "ns3::OcsNetDevice::VoqLengthTracedCallback")
            .AddTraceSource("EpsPause",
                            "A PFC PAUSE (true) or RESUME (false) frame for the EPS data class "
                            "arrived from the electrical switch.",
                            MakeTraceSourceAccessor(&OcsNetDevice::m_epsPauseTrace),
                            "ns3::OcsNetDevice::EpsPauseTracedCallback");
    return tid;
}

OcsNetDevice::OcsNetDevice()
    : m_dataRate("400Gbps"),
      m_voqCapacity(kDefaultQueueBytes),
      m_epsQueueCapacity(kDefaultQueueBytes),
      m_epsControlMaxBytes(128)
{
    NS_LOG_FUNCTION(this);
}

OcsNetDevice::~OcsNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
OcsNetDevice::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_txEvent.Cancel();
    m_epsEvent.Cancel();
    m_txFrame = nullptr;
    m_epsFrame = nullptr;
    for (auto& q : m_voqs)
    {
        q.Clear();
    }
    m_epsQueue.Clear();
    m_epsControlQueue.Clear();
    m_switch = nullptr;
    m_eps = nullptr;
    m_node = nullptr;
    m_frameSource = nullptr;
    m_receiveErrorModel = nullptr;
    m_probe = nullptr;
    m_rxCallback =
        MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>();
    m_promiscCallback = MakeNullCallback<bool,
                                         Ptr<NetDevice>,
                                         Ptr<const Packet>,
                                         uint16_t,
                                         const Address&,
                                         const Address&,
                                         NetDevice::PacketType>();
    NetDevice::DoDispose();
}

uint32_t
OcsNetDevice::Attach(Ptr<OpticalCircuitSwitch> sw)
{
    NS_LOG_FUNCTION(this << sw);
    if (!sw)
    {
        throw pmoe::InputError("OcsNetDevice::Attach: null switch");
    }
    m_port = sw->Attach(this);
    m_switch = sw;
    m_linkChangeCallbacks();
    return m_port;
}

uint32_t
OcsNetDevice::AttachEps(Ptr<ElectricalPacketSwitch> eps)
{
    NS_LOG_FUNCTION(this << eps);
    if (!eps)
    {
        throw pmoe::InputError("OcsNetDevice::AttachEps: null electrical switch");
    }
    m_epsPort = eps->Attach(this);
    m_eps = eps;
    return m_epsPort;
}

Ptr<OpticalCircuitSwitch>
OcsNetDevice::GetSwitch() const
{
    return m_switch;
}

Ptr<ElectricalPacketSwitch>
OcsNetDevice::GetEps() const
{
    return m_eps;
}

uint32_t
OcsNetDevice::GetPort() const
{
    return m_port;
}

Ptr<OcsEpsPolicy>
OcsNetDevice::GetEpsPolicy() const
{
    return m_epsPolicy;
}

void
OcsNetDevice::SetEpsPolicy(Ptr<OcsEpsPolicy> policy)
{
    m_epsPolicy = policy ? policy : Ptr<OcsEpsPolicy>(CreateObject<OcsNoEpsPolicy>());
}

void
OcsNetDevice::SetEpsPolicyType(TypeId tid)
{
    if (!tid.IsChildOf(OcsEpsPolicy::GetTypeId()) || !tid.HasConstructor())
    {
        throw pmoe::InputError("OcsNetDevice::EpsPolicy: " + tid.GetName() +
                               " is not a constructible OcsEpsPolicy");
    }
    ObjectFactory factory;
    factory.SetTypeId(tid);
    m_epsPolicy = factory.Create<OcsEpsPolicy>();
}

TypeId
OcsNetDevice::GetEpsPolicyType() const
{
    return m_epsPolicy ? m_epsPolicy->GetInstanceTypeId() : OcsNoEpsPolicy::GetTypeId();
}

bool
OcsNetDevice::IsControl(Ptr<const Packet> packet) const
{
    return packet->GetSize() <= m_epsControlMaxBytes;
}

bool
OcsNetDevice::GuardHolds(uint32_t packetBytes) const
{
    return m_guard && m_switch && m_switch->IsLit(m_port) &&
           Simulator::Now() + TxTime(packetBytes + kEthernetHeaderBytes, m_dataRate) >
               m_switch->GetTeardownTime(m_port);
}

DataRate
OcsNetDevice::GetDataRate() const
{
    return m_dataRate;
}

OcsDeviceCounters
OcsNetDevice::GetCounters() const
{
    return m_counters;
}

uint64_t
OcsNetDevice::GetVoqBytes(uint32_t port) const
{
    return port < m_voqs.size() ? m_voqs[port].GetNBytes() : 0;
}

uint32_t
OcsNetDevice::GetVoqPackets(uint32_t port) const
{
    return port < m_voqs.size() ? static_cast<uint32_t>(m_voqs[port].GetNPackets()) : 0;
}

uint64_t
OcsNetDevice::GetEpsQueueBytes() const
{
    return m_epsQueue.GetNBytes() + m_epsControlQueue.GetNBytes();
}

uint32_t
OcsNetDevice::GetEpsQueuePackets() const
{
    return static_cast<uint32_t>(m_epsQueue.GetNPackets() + m_epsControlQueue.GetNPackets());
}

Time
OcsNetDevice::TxTime(uint32_t bytes, const DataRate& rate)
{
    return NanoSeconds(pmoe::TransmissionTimeNs(bytes, static_cast<pmoe::Bps>(rate.GetBitRate())));
}

void
OcsNetDevice::Drop(Ptr<const Packet> packet, const char* reason, uint64_t& counter)
{
    NS_LOG_LOGIC("drop " << packet->GetUid() << ": " << reason);
    ++counter;
    m_dropTrace(packet, reason);
}

bool
OcsNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    return DoSend(packet, m_address, dest, protocolNumber);
}

bool
OcsNetDevice::SendFrom(Ptr<Packet> packet,
                       const Address& source,
                       const Address& dest,
                       uint16_t protocolNumber)
{
    if (!Mac48Address::IsMatchingType(source))
    {
        return DoSend(packet, m_address, dest, protocolNumber);
    }
    return DoSend(packet, Mac48Address::ConvertFrom(source), dest, protocolNumber);
}

bool
OcsNetDevice::DoSend(Ptr<Packet> packet,
                     Mac48Address source,
                     const Address& dest,
                     uint16_t protocolNumber)
{
    ++m_counters.macTxPackets;
    m_counters.macTxBytes += packet->GetSize();
    m_macTxTrace(packet);

    if (!m_switch || !Mac48Address::IsMatchingType(dest))
    {
        Drop(packet, DROP_NO_ROUTE, m_counters.dropNoRoute);
        return false;
    }
    if (packet->GetSize() > m_mtu)
    {
        Drop(packet, DROP_TOO_BIG, m_counters.dropTooBig);
        return false;
    }
    Mac48Address to = Mac48Address::ConvertFrom(dest);
    if (to.IsBroadcast() || to.IsGroup())
    {
        Drop(packet, DROP_BROADCAST, m_counters.dropBroadcast);
        return false;
    }
    int32_t port = m_switch->GetPortOfAddress(to);
    if (port < 0 || static_cast<uint32_t>(port) == m_port)
    {
        Drop(packet, DROP_NO_ROUTE, m_counters.dropNoRoute);
        return false;
    }
    return Enqueue(packet, source, to, static_cast<uint32_t>(port), protocolNumber, false);
}

bool
OcsNetDevice::SendToPort(Ptr<Packet> packet, uint32_t port, uint16_t protocolNumber)
{
    ++m_counters.macTxPackets;
    m_counters.macTxBytes += packet->GetSize();
    m_macTxTrace(packet);
    if (!m_switch || port >= m_switch->GetNPorts() || port == m_port)
    {
        Drop(packet, DROP_NO_ROUTE, m_counters.dropNoRoute);
        return false;
    }
    if (packet->GetSize() > m_mtu)
    {
        Drop(packet, DROP_TOO_BIG, m_counters.dropTooBig);
        return false;
    }
    return Enqueue(packet, m_address, PortAddress(port), port, protocolNumber, true);
}

bool
OcsNetDevice::Enqueue(Ptr<Packet> packet,
                      Mac48Address source,
                      Mac48Address to,
                      uint32_t port,
                      uint16_t protocolNumber,
                      bool cachedEpsPort)
{
    const uint64_t frameBytes = packet->GetSize() + kEthernetHeaderBytes;

    EthernetHeader header(false);
    header.SetSource(source);
    header.SetDestination(to);
    header.SetLengthType(protocolNumber);

    bool viaEps = UseEps(packet, port);
    if (!viaEps && FailedPath(port))
    {
        viaEps = true;
        ++m_counters.failoverToEps;
    }
    if (!viaEps && m_voqOverflowToEps && EpsAllowed() &&
        GetVoqBytes(port) + frameBytes > m_voqCapacity)
    {
        viaEps = true;
        ++m_counters.voqOverflowToEps;
    }
    if (viaEps)
    {
        const int32_t epsPort = cachedEpsPort ? EpsPortOf(port) : m_eps->GetPortOfAddress(to);
        if (epsPort < 0)
        {
            Drop(packet, DROP_NO_ROUTE, m_counters.dropNoRoute);
            return false;
        }
        if (GetEpsQueueBytes() + frameBytes > m_epsQueueCapacity)
        {
            Drop(packet, DROP_EPS_QUEUE_FULL, m_counters.dropEpsQueueFull);
            return false;
        }
        packet->AddHeader(header);
        PushEps(packet,
                static_cast<uint32_t>(epsPort),
                DROP_EPS_QUEUE_FULL,
                m_counters.dropEpsQueueFull);
        ++m_counters.epsEnqueuePackets;
        TryTransmitEps();
        return true;
    }

    if (port >= m_voqs.size())
    {
        m_voqs.resize(m_switch->GetNPorts());
    }
    OcsPacketFifo& voq = m_voqs[port];
    if (voq.GetNBytes() + frameBytes > m_voqCapacity)
    {
        Drop(packet, DROP_VOQ_FULL, m_counters.dropVoqFull);
        return false;
    }
    if (m_ecnThreshold > 0 && voq.GetNBytes() > m_ecnThreshold)
    {
        MarkEcn(packet, protocolNumber);
    }
    packet->AddHeader(header);
    voq.Push(packet);
    ++m_counters.voqEnqueuePackets;
    m_voqEnqueueTrace(port, packet);
    m_voqLengthTrace(port, voq.GetNBytes());
    TryTransmit();
    return true;
}

int32_t
OcsNetDevice::EpsPortOf(uint32_t port)
{
    if (m_epsPortOf.size() != m_switch->GetNPorts())
    {
        m_epsPortOf.assign(m_switch->GetNPorts(), -1);
        for (uint32_t p = 0; p < m_epsPortOf.size(); ++p)
        {
            Ptr<OcsNetDevice> dev = m_switch->GetPortDevice(p);
            m_epsPortOf[p] = m_eps->GetPortOfAddress(Mac48Address::ConvertFrom(dev->GetAddress()));
        }
    }
    return m_epsPortOf[port];
}

Mac48Address
OcsNetDevice::PortAddress(uint32_t port)
{
    if (m_portAddress.size() != m_switch->GetNPorts())
    {
        m_portAddress.resize(m_switch->GetNPorts());
        for (uint32_t p = 0; p < m_portAddress.size(); ++p)
        {
            m_portAddress[p] = Mac48Address::ConvertFrom(m_switch->GetPortDevice(p)->GetAddress());
        }
    }
    return m_portAddress[port];
}

bool
OcsNetDevice::UseEps(Ptr<const Packet> packet, uint32_t port) const
{
    return m_eps && m_epsPolicy && m_epsPolicy->UseEps(*this, packet, port);
}

bool
OcsNetDevice::EpsAllowed() const
{
    return m_eps && m_epsPolicy && m_epsPolicy->AllowsEps();
}

bool
OcsNetDevice::NoCircuitNowOrLater(uint32_t port) const
{
    return m_eps && m_switch && m_epsPolicy && m_epsPolicy->MovesStrandedFrames() &&
           m_switch->GetPeer(m_port) != static_cast<int32_t>(port) &&
           !m_switch->HasFutureCircuit(m_port, port);
}

bool
OcsNetDevice::FailedPath(uint32_t port) const
{
    return m_switch && EpsAllowed() &&
           (m_switch->IsPortFailed(m_port) || m_switch->IsPortFailed(port));
}

bool
OcsNetDevice::PushEps(Ptr<Packet> frame, uint32_t epsPort, const char* reason, uint64_t& counter)
{
    if (GetEpsQueueBytes() + frame->GetSize() > m_epsQueueCapacity)
    {
        Drop(frame, reason, counter);
        return false;
    }
    if (m_epsControlPriority && frame->GetSize() <= m_epsControlMaxBytes + kEthernetHeaderBytes)
    {
        m_epsControlQueue.Push(frame, epsPort);
    }
    else
    {
        m_epsQueue.Push(frame, epsPort);
    }
    return true;
}

void
OcsNetDevice::MoveVoqToEps(uint32_t port)
{
    OcsPacketFifo& voq = m_voqs[port];
    if (voq.IsEmpty())
    {
        return;
    }
    const int32_t epsPort = EpsPortOf(port);
    if (epsPort < 0)
    {
        return; // the destination is not on the EPS: its frames stay in the VOQ
    }
    NS_LOG_LOGIC("moving " << voq.GetNPackets() << " frames for port " << port
                           << " to the EPS: no circuit now or later");
    while (!voq.IsEmpty())
    {
        Ptr<Packet> frame = voq.Pop();
        if (PushEps(frame,
                    static_cast<uint32_t>(epsPort),
                    DROP_VOQ_TO_EPS_FULL,
                    m_counters.dropVoqToEpsFull))
        {
            ++m_counters.voqToEpsPackets;
            m_voqToEpsTrace(port, frame);
        }
    }
    m_voqLengthTrace(port, 0);
    TryTransmitEps();
}

void
OcsNetDevice::MarkEcn(Ptr<Packet> packet, uint16_t protocolNumber)
{
    if (protocolNumber != kIpv4EtherType)
    {
        return;
    }
    Ipv4Header ip;
    if (packet->PeekHeader(ip) == 0)
    {
        return;
    }
    if (ip.GetEcn() != Ipv4Header::ECN_ECT0 && ip.GetEcn() != Ipv4Header::ECN_ECT1)
    {
        return;
    }
    packet->RemoveHeader(ip);
    ip.SetEcn(Ipv4Header::ECN_CE);
    ip.EnableChecksum();
    packet->AddHeader(ip);
    ++m_counters.ecnMarked;
}

void
OcsNetDevice::CircuitChanged()
{
    if (m_eps && m_switch && m_epsPolicy && m_epsPolicy->MovesStrandedFrames())
    {
        for (uint32_t port = 0; port < m_voqs.size(); ++port)
        {
            if (!m_voqs[port].IsEmpty() && NoCircuitNowOrLater(port))
            {
                MoveVoqToEps(port);
            }
        }
    }
    for (uint32_t port = 0; port < m_voqs.size(); ++port)
    {
        if (!m_voqs[port].IsEmpty() && FailedPath(port))
        {
            m_counters.failoverToEps += m_voqs[port].GetNPackets();
            MoveVoqToEps(port);
        }
    }
    if (m_frameSource)
    {
        m_frameSource->CircuitsChanged();
    }
    TryTransmit();
}

void
OcsNetDevice::SetFrameSource(Ptr<OcsFrameSource> source)
{
    m_frameSource = source;
}

Ptr<OcsFrameSource>
OcsNetDevice::GetFrameSource() const
{
    return m_frameSource;
}

void
OcsNetDevice::FrameSourceReady()
{
    TryTransmit();
    if (m_eps)
    {
        TryTransmitEps();
    }
}

bool
OcsNetDevice::EpsCarriesData(uint32_t port) const
{
    if (!m_eps || !m_switch || !m_epsPolicy)
    {
        return false;
    }
    if (!m_probe)
    {
        m_probe = Create<Packet>(m_mtu);
    }
    return UseEps(m_probe, port) || FailedPath(port);
}

void
OcsNetDevice::ReceiveEpsPause(bool pause)
{
    NS_LOG_FUNCTION(this << pause);
    ++(pause ? m_counters.epsPauseFrames : m_counters.epsResumeFrames);
    m_epsPaused = pause;
    m_epsPauseTrace(pause);
    if (!pause && m_eps)
    {
        TryTransmitEps();
    }
}

bool
OcsNetDevice::IsEpsPaused() const
{
    return m_epsPaused;
}

void
OcsNetDevice::FramePulled(Ptr<Packet> packet, uint32_t port, uint16_t protocol)
{
    ++m_counters.macTxPackets;
    m_counters.macTxBytes += packet->GetSize();
    m_macTxTrace(packet);
    EthernetHeader header(false);
    header.SetSource(m_address);
    header.SetDestination(PortAddress(port));
    header.SetLengthType(protocol);
    packet->AddHeader(header);
}

void
OcsNetDevice::TryTransmit()
{
    if (m_txBusy || !m_switch || !m_switch->IsLit(m_port))
    {
        return;
    }
    int32_t peer = m_switch->GetPeer(m_port);
    if (peer < 0)
    {
        return;
    }
    if (static_cast<uint32_t>(peer) >= m_voqs.size() || m_voqs[peer].IsEmpty())
    {
        if (m_frameSource)
        {
            PullCircuit(static_cast<uint32_t>(peer));
        }
        return;
    }
    OcsPacketFifo& voq = m_voqs[peer];
    Time txTime = TxTime(voq.Front()->GetSize(), m_dataRate);
    if (m_guard && Simulator::Now() + txTime > m_switch->GetTeardownTime(m_port))
    {
        NS_LOG_LOGIC("guard: frame to port " << peer << " waits for the next circuit");
        ++m_counters.guardHolds;
        if (m_eps && m_epsPolicy && m_epsPolicy->MovesStrandedFrames() &&
            !m_switch->HasFutureCircuit(m_port, static_cast<uint32_t>(peer)))
        {
            MoveVoqToEps(static_cast<uint32_t>(peer));
        }
        return;
    }
    Ptr<Packet> frame = voq.Pop();
    ++m_counters.voqDequeuePackets;
    m_voqDequeueTrace(static_cast<uint32_t>(peer), frame);
    m_voqLengthTrace(static_cast<uint32_t>(peer), voq.GetNBytes());
    StartCircuitFrame(frame, static_cast<uint32_t>(peer), txTime);
}

void
OcsNetDevice::StartCircuitFrame(Ptr<Packet> frame, uint32_t peer, Time txTime)
{
    m_txBusy = true;
    m_txFrame = frame;
    m_txPeer = peer;
    m_txEpoch = m_switch->GetEpoch(m_port);
    ++m_counters.phyTxBeginPackets;
    m_phyTxBeginTrace(frame);
    m_snifferTrace(frame);
    m_promiscSnifferTrace(frame);
    m_txEvent = Simulator::Schedule(txTime, &OcsNetDevice::TransmitComplete, this);
}

void
OcsNetDevice::PullCircuit(uint32_t peer)
{
    uint32_t maxBytes = m_mtu;
    const Time teardown = m_switch->GetTeardownTime(m_port);
    if (m_guard && teardown != Time::Max())
    {
        // The largest frame that ends by the teardown: TxTime(b) <= teardown - now.
        const pmoe::Bytes fits = pmoe::BytesInNs((teardown - Simulator::Now()).GetNanoSeconds(),
                                                 static_cast<pmoe::Bps>(m_dataRate.GetBitRate()));
        if (fits <= static_cast<pmoe::Bytes>(kEthernetHeaderBytes))
        {
            return;
        }
        maxBytes = static_cast<uint32_t>(
            std::min<pmoe::Bytes>(maxBytes, fits - static_cast<pmoe::Bytes>(kEthernetHeaderBytes)));
    }
    uint16_t protocol = 0;
    Ptr<Packet> packet = m_frameSource->PullCircuitPacket(peer, maxBytes, protocol);
    if (!packet)
    {
        return;
    }
    NS_ABORT_MSG_IF(packet->GetSize() > maxBytes,
                    "OcsFrameSource returned a " << packet->GetSize() << "-byte packet for at most "
                                                 << maxBytes);
    ++m_counters.pulledCircuitPackets;
    FramePulled(packet, peer, protocol);
    StartCircuitFrame(packet, peer, TxTime(packet->GetSize(), m_dataRate));
}

Ptr<Packet>
OcsNetDevice::PullEps(uint32_t& epsPort)
{
    uint32_t port = 0;
    uint16_t protocol = 0;
    Ptr<Packet> packet = m_frameSource->PullEpsPacket(port, protocol);
    if (!packet)
    {
        return nullptr;
    }
    const int32_t dest = (m_switch && port < m_switch->GetNPorts()) ? EpsPortOf(port) : -1;
    NS_ABORT_MSG_IF(dest < 0 || packet->GetSize() > m_mtu,
                    "OcsFrameSource returned a " << packet->GetSize() << "-byte EPS packet to port "
                                                 << port << ", which has no EPS port or MTU room");
    epsPort = static_cast<uint32_t>(dest);
    ++m_counters.pulledEpsPackets;
    FramePulled(packet, port, protocol);
    return packet;
}

void
OcsNetDevice::TransmitComplete()
{
    m_txBusy = false;
    Ptr<Packet> frame = m_txFrame;
    m_txFrame = nullptr;
    ++m_counters.phyTxEndPackets;
    m_counters.phyTxBytes += frame->GetSize();
    m_phyTxEndTrace(frame);
    if (!m_switch->TransmitEnd(frame, m_port, m_txPeer, m_txEpoch))
    {
        Drop(frame, DROP_CIRCUIT_TORN_DOWN, m_counters.dropCircuitTornDown);
    }
    TryTransmit();
}

void
OcsNetDevice::TryTransmitEps()
{
    if (m_epsBusy)
    {
        return;
    }
    uint32_t dest = 0;
    Ptr<Packet> frame;
    if (!m_epsControlQueue.IsEmpty())
    {
        if (!m_epsQueue.IsEmpty())
        {
            ++m_counters.epsControlFirst;
        }
        frame = m_epsControlQueue.Pop(&dest);
        ++m_counters.epsDequeuePackets;
    }
    else if (!m_epsQueue.IsEmpty())
    {
        if (m_epsPaused)
        {
            return; // PFC: the data class waits for RESUME
        }
        frame = m_epsQueue.Pop(&dest);
        ++m_counters.epsDequeuePackets;
    }
    else if (m_frameSource && !m_epsPaused)
    {
        frame = PullEps(dest);
    }
    if (!frame)
    {
        return;
    }
    m_epsBusy = true;
    m_epsFrame = frame;
    m_epsDest = dest;
    ++m_counters.phyTxBeginPackets;
    m_phyTxBeginTrace(frame);
    m_snifferTrace(frame);
    m_promiscSnifferTrace(frame);
    m_epsEvent = Simulator::Schedule(TxTime(frame->GetSize(), m_eps->GetDataRate()),
                                     &OcsNetDevice::TransmitEpsComplete,
                                     this);
}

void
OcsNetDevice::TransmitEpsComplete()
{
    m_epsBusy = false;
    Ptr<Packet> frame = m_epsFrame;
    m_epsFrame = nullptr;
    ++m_counters.phyTxEndPackets;
    m_counters.phyTxBytes += frame->GetSize();
    m_phyTxEndTrace(frame);
    m_eps->Transmit(frame, m_epsPort, m_epsDest);
    TryTransmitEps();
}

void
OcsNetDevice::ReceiveFromEps(Ptr<Packet> frame)
{
    ++m_counters.epsRxPackets;
    Receive(frame);
}

void
OcsNetDevice::Receive(Ptr<Packet> frame)
{
    if (m_receiveErrorModel && m_receiveErrorModel->IsCorrupt(frame))
    {
        Drop(frame, DROP_RX_ERROR, m_counters.dropRxError);
        return;
    }
    ++m_counters.phyRxEndPackets;
    m_counters.phyRxBytes += frame->GetSize();
    m_phyRxEndTrace(frame);
    m_snifferTrace(frame);
    m_promiscSnifferTrace(frame);

    EthernetHeader header(false);
    frame->RemoveHeader(header);
    Mac48Address to = header.GetDestination();
    Mac48Address from = header.GetSource();
    uint16_t protocol = header.GetLengthType();
    PacketType type = PACKET_OTHERHOST;
    if (to == m_address)
    {
        type = PACKET_HOST;
    }
    else if (to.IsBroadcast())
    {
        type = PACKET_BROADCAST;
    }
    else if (to.IsGroup())
    {
        type = PACKET_MULTICAST;
    }
    if (!m_promiscCallback.IsNull())
    {
        m_promiscCallback(this, frame, protocol, from, to, type);
    }
    if (type != PACKET_OTHERHOST)
    {
        ++m_counters.macRxPackets;
        m_counters.macRxBytes += frame->GetSize();
        m_macRxTrace(frame);
        if (type == PACKET_HOST && m_frameSource && m_frameSource->ReceiveFrame(frame, protocol))
        {
            return; // terminated in the NIC (RDMA)
        }
        if (!m_rxCallback.IsNull())
        {
            m_rxCallback(this, frame, protocol, from);
        }
    }
}

void
OcsNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
OcsNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
OcsNetDevice::GetChannel() const
{
    return m_switch;
}

void
OcsNetDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
}

Address
OcsNetDevice::GetAddress() const
{
    return m_address;
}

bool
OcsNetDevice::SetMtu(const uint16_t mtu)
{
    if (mtu < 68 || mtu > 65535 - kEthernetHeaderBytes)
    {
        return false;
    }
    m_mtu = mtu;
    return true;
}

uint16_t
OcsNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
OcsNetDevice::IsLinkUp() const
{
    return static_cast<bool>(m_switch);
}

void
OcsNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    m_linkChangeCallbacks.ConnectWithoutContext(callback);
}

bool
OcsNetDevice::IsBroadcast() const
{
    // The upper layers may address broadcasts (ARP); the device drops them ("broadcast").
    return true;
}

Address
OcsNetDevice::GetBroadcast() const
{
    return Mac48Address::GetBroadcast();
}

bool
OcsNetDevice::IsMulticast() const
{
    return true;
}

Address
OcsNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return Mac48Address::GetMulticast(multicastGroup);
}

Address
OcsNetDevice::GetMulticast(Ipv6Address addr) const
{
    return Mac48Address::GetMulticast(addr);
}

bool
OcsNetDevice::IsPointToPoint() const
{
    return false;
}

bool
OcsNetDevice::IsBridge() const
{
    return false;
}

Ptr<Node>
OcsNetDevice::GetNode() const
{
    return m_node;
}

void
OcsNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
OcsNetDevice::NeedsArp() const
{
    return true;
}

void
OcsNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
OcsNetDevice::SetPromiscReceiveCallback(PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
OcsNetDevice::SupportsSendFrom() const
{
    return true;
}

void
OcsNetDevice::SetDataRate(DataRate rate)
{
    if (rate.GetBitRate() == 0)
    {
        throw pmoe::InputError("OcsNetDevice::DataRate must be > 0 bit/s");
    }
    m_dataRate = rate;
}

void
OcsNetDevice::SetMtuAttribute(uint16_t mtu)
{
    if (!SetMtu(mtu))
    {
        throw pmoe::InputError("OcsNetDevice::Mtu must be in 68..65521 bytes, got " +
                               std::to_string(mtu));
    }
}

void
OcsNetDevice::SetVoqCapacity(uint64_t bytes)
{
    if (bytes == 0)
    {
        throw pmoe::InputError("OcsNetDevice::VoqCapacity must be > 0 bytes");
    }
    m_voqCapacity = bytes;
}

uint64_t
OcsNetDevice::GetVoqCapacity() const
{
    return m_voqCapacity;
}

} // namespace ns3
