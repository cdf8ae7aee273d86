/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "electrical-packet-switch.h"

#include "ocs-net-device.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

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
            .AddTraceSource("Drop",
                            "A frame was dropped at an egress port (frame, port, reason).",
                            MakeTraceSourceAccessor(&ElectricalPacketSwitch::m_dropTrace),
                            "ns3::ElectricalPacketSwitch::DropTracedCallback");
    return tid;
}

ElectricalPacketSwitch::ElectricalPacketSwitch()
    : m_rate("100Gbps"),
      m_delay(NanoSeconds(50)),
      m_switchLatency(NanoSeconds(500)),
      m_egressCapacity(2 << 20)
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
    const uint32_t port = m_attached.Add(device, "ElectricalPacketSwitch::Attach");
    m_egress.emplace_back();
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

void
ElectricalPacketSwitch::Transmit(Ptr<Packet> frame, uint32_t srcPort, uint32_t dstPort)
{
    NS_LOG_FUNCTION(this << frame << srcPort << dstPort);
    Simulator::Schedule(m_delay + m_switchLatency,
                        &ElectricalPacketSwitch::ArriveAtSwitch,
                        this,
                        frame,
                        dstPort);
}

void
ElectricalPacketSwitch::ArriveAtSwitch(Ptr<Packet> frame, uint32_t dstPort)
{
    ++m_counters.framesIn;
    if (dstPort >= m_egress.size())
    {
        return;
    }
    Egress& e = m_egress[dstPort];
    if (e.Bytes() + frame->GetSize() > m_egressCapacity)
    {
        ++m_counters.dropEgressFull;
        m_dropTrace(frame, dstPort, DROP_EGRESS_FULL);
        return;
    }
    if (m_controlPriority && frame->GetSize() <= m_controlMaxFrameBytes)
    {
        e.control.Push(frame);
    }
    else
    {
        e.queue.Push(frame);
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
        e.txFrame = e.control.Pop();
    }
    else
    {
        e.txFrame = e.queue.Pop();
    }
    Time txTime =
        NanoSeconds(pmoe::TransmissionTimeNs(e.txFrame->GetSize(),
                                             static_cast<pmoe::Bps>(m_rate.GetBitRate())));
    Simulator::Schedule(txTime, &ElectricalPacketSwitch::EgressComplete, this, port);
}

void
ElectricalPacketSwitch::EgressComplete(uint32_t port)
{
    Egress& e = m_egress[port];
    Ptr<Packet> frame = e.txFrame;
    e.txFrame = nullptr;
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

void
ElectricalPacketSwitch::SetDataRate(DataRate rate)
{
    if (rate.GetBitRate() == 0)
    {
        throw pmoe::InputError("ElectricalPacketSwitch::DataRate must be > 0 bit/s");
    }
    m_rate = rate;
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
