/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * OcsNetDevice, part 1 of 2: the type and its attributes, construction and attachment to the
 * OCS and the EPS, accessors, counters and queue sizes, the send entry points with the VOQ/EPS
 * enqueue decision, the NetDevice interface, and the OcsFrameSource defaults. The EPS fallback,
 * circuit-change handling, frame-source pull, transmit scheduler and receive path are in
 * ocs-net-device-datapath.cc.
 */

#include "ocs-net-device.h"

#include "electrical-packet-switch.h"
#include "ocs-net-device-detail.h"
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

constexpr uint64_t kDefaultQueueBytes = 8 << 20; //!< 8 MiB

} // namespace

namespace ocsdevice
{

LogComponent&
Log()
{
    return g_log;
}

} // namespace ocsdevice

using ocsdevice::kEthernetHeaderBytes;

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
