/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * OcsNetDevice, part 2 of 2: the data path. EPS fallback routing (moving stranded or failed-path
 * VOQ frames to the EPS), ECN marking, reaction to circuit changes, the frame source (RDMA NIC)
 * pull interface, the circuit and EPS transmit schedulers, and the receive path. Set-up,
 * attributes, the send entry points and the NetDevice interface are in ocs-net-device.cc.
 */

#include "electrical-packet-switch.h"
#include "ocs-net-device-detail.h"
#include "ocs-net-device.h"
#include "optical-circuit-switch.h"

#include "ns3/abort.h"
#include "ns3/ethernet-header.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

/// The "OcsNetDevice" log component of ocs-net-device.cc, shared by this file.
static LogComponent& g_log [[maybe_unused]] = ocsdevice::Log();

namespace
{

constexpr uint16_t kIpv4EtherType = 0x0800; //!< EtherType of IPv4

} // namespace

using ocsdevice::kEthernetHeaderBytes;

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

} // namespace ns3
