/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rdma-queue-pair.h"

namespace ns3
{

namespace
{

/// Half the PSN space: a received PSN within this distance ahead of the reference is ahead.
constexpr uint32_t kPsnHalfWindow = RdmaHeader::PSN_MODULUS / 2;

} // namespace

RdmaQpCounters&
RdmaQpCounters::operator+=(const RdmaQpCounters& o)
{
    dataPacketsSent += o.dataPacketsSent;
    dataBytesSent += o.dataBytesSent;
    retransmittedPackets += o.retransmittedPackets;
    messagesSent += o.messagesSent;
    naksReceived += o.naksReceived;
    timeouts += o.timeouts;
    cnpsReceived += o.cnpsReceived;
    rateCuts += o.rateCuts;
    acksSent += o.acksSent;
    naksSent += o.naksSent;
    cnpsSent += o.cnpsSent;
    packetsReceived += o.packetsReceived;
    bytesReceived += o.bytesReceived;
    duplicatePackets += o.duplicatePackets;
    outOfOrderPackets += o.outOfOrderPackets;
    ecnMarkedPackets += o.ecnMarkedPackets;
    messagesReceived += o.messagesReceived;
    return *this;
}

void
RdmaQueuePair::Connect(uint32_t qpn,
                       uint32_t remoteQpn,
                       uint32_t peerPort,
                       uint32_t mtu,
                       uint32_t sendPsn,
                       uint32_t expectedPsn)
{
    m_connected = true;
    m_qpn = qpn;
    m_remoteQpn = remoteQpn;
    m_peerPort = peerPort;
    m_mtu = mtu;
    m_sndUna = sendPsn & RdmaHeader::MASK_24;
    m_sndNxt = m_sndUna;
    m_sndEnd = m_sndUna;
    m_sndMax = m_sndUna;
    m_rcvNxt = expectedPsn & RdmaHeader::MASK_24;
}

uint32_t
RdmaQueuePair::GetRemoteQpn() const
{
    return m_remoteQpn;
}

void
RdmaQueuePair::PostSend(uint64_t id, uint64_t bytes, uint16_t tag)
{
    RdmaWorkRequest wr;
    wr.id = id;
    wr.bytes = bytes;
    wr.firstPsn = m_sndEnd;
    wr.packets = bytes == 0 ? 1 : (bytes + m_mtu - 1) / m_mtu;
    wr.tag = tag;
    m_sndEnd += wr.packets;
    m_wrs.Push(wr);
}

bool
RdmaQueuePair::AppendToTail(uint64_t bytes, uint16_t tag)
{
    if (m_wrs.IsEmpty())
    {
        return false;
    }
    RdmaWorkRequest& wr = m_wrs.Back();
    if (wr.tag != tag || wr.firstPsn < m_sndMax)
    {
        return false;
    }
    m_sndEnd -= wr.packets;
    wr.bytes += bytes;
    wr.packets = wr.bytes == 0 ? 1 : (wr.bytes + m_mtu - 1) / m_mtu;
    m_sndEnd += wr.packets;
    return true;
}

bool
RdmaQueuePair::HasInFlight() const
{
    return m_sndUna < m_sndNxt;
}

uint32_t
RdmaQueuePair::NextPayload() const
{
    const RdmaWorkRequest& wr = m_wrs.At(m_cursor);
    const uint64_t k = m_sndNxt - wr.firstPsn;
    return static_cast<uint32_t>(k + 1 < wr.packets ? m_mtu : wr.bytes - k * m_mtu);
}

RdmaTxPacket
RdmaQueuePair::TakeNext()
{
    const RdmaWorkRequest& wr = m_wrs.At(m_cursor);
    const uint64_t k = m_sndNxt - wr.firstPsn;
    RdmaTxPacket p;
    p.psn = m_sndNxt;
    p.payload = NextPayload();
    p.tag = wr.tag;
    p.retransmission = m_sndNxt < m_sndMax;
    const bool first = k == 0;
    const bool last = k + 1 == wr.packets;
    p.opcode = first ? (last ? RdmaHeader::SEND_ONLY : RdmaHeader::SEND_FIRST)
                     : (last ? RdmaHeader::SEND_LAST : RdmaHeader::SEND_MIDDLE);
    p.ackRequest = last;
    ++m_sndNxt;
    if (last)
    {
        ++m_cursor;
    }
    if (m_sndNxt > m_sndMax)
    {
        m_sndMax = m_sndNxt;
    }
    return p;
}

uint64_t
RdmaQueuePair::ToAbsoluteSendPsn(uint32_t psn) const
{
    const uint32_t diff = (psn - static_cast<uint32_t>(m_sndUna)) & RdmaHeader::MASK_24;
    if (diff < kPsnHalfWindow)
    {
        return m_sndUna + diff;
    }
    const uint64_t behind = RdmaHeader::PSN_MODULUS - diff;
    return behind > m_sndUna ? 0 : m_sndUna - behind;
}

uint64_t
RdmaQueuePair::Acknowledge(uint64_t nextExpected)
{
    if (nextExpected <= m_sndUna || nextExpected > m_sndMax)
    {
        return 0;
    }
    const uint64_t acked = nextExpected - m_sndUna;
    m_sndUna = nextExpected;
    if (m_sndNxt < m_sndUna)
    {
        // Acknowledged beyond a rewind (a retransmission timeout that was not needed).
        m_sndNxt = m_sndUna;
        SeekCursor();
    }
    return acked;
}

bool
RdmaQueuePair::PopCompleted(RdmaWorkRequest& wr)
{
    if (m_wrs.IsEmpty())
    {
        return false;
    }
    const RdmaWorkRequest& head = m_wrs.At(0);
    if (head.firstPsn + head.packets > m_sndUna)
    {
        return false;
    }
    wr = head;
    m_wrs.Pop();
    --m_cursor;
    return true;
}

uint64_t
RdmaQueuePair::GoBack(uint64_t psn)
{
    if (psn < m_sndUna)
    {
        psn = m_sndUna;
    }
    if (psn >= m_sndNxt)
    {
        return 0;
    }
    const uint64_t rewound = m_sndNxt - psn;
    m_sndNxt = psn;
    SeekCursor();
    return rewound;
}

uint64_t
RdmaQueuePair::GetUnacked() const
{
    return m_sndUna;
}

uint64_t
RdmaQueuePair::GetNextToSend() const
{
    return m_sndNxt;
}

void
RdmaQueuePair::SeekCursor()
{
    std::size_t i = 0;
    while (i < m_wrs.Size() && m_wrs.At(i).firstPsn + m_wrs.At(i).packets <= m_sndNxt)
    {
        ++i;
    }
    m_cursor = i;
}

RdmaQueuePair::RxResult
RdmaQueuePair::Receive(uint32_t psn, uint64_t& absolute)
{
    const uint32_t diff = (psn - static_cast<uint32_t>(m_rcvNxt)) & RdmaHeader::MASK_24;
    if (diff == 0)
    {
        absolute = m_rcvNxt++;
        return RX_IN_ORDER;
    }
    if (diff < kPsnHalfWindow)
    {
        absolute = m_rcvNxt + diff;
        return RX_OUT_OF_ORDER;
    }
    const uint64_t behind = RdmaHeader::PSN_MODULUS - diff;
    absolute = behind > m_rcvNxt ? 0 : m_rcvNxt - behind;
    return RX_DUPLICATE;
}

bool
RdmaQueuePair::Deliver(RdmaHeader::Opcode opcode, uint32_t payload, uint64_t& messageBytes)
{
    m_rcvMessage += payload;
    if (opcode != RdmaHeader::SEND_LAST && opcode != RdmaHeader::SEND_ONLY)
    {
        return false;
    }
    messageBytes = m_rcvMessage;
    m_rcvMessage = 0;
    return true;
}

uint64_t
RdmaQueuePair::GetExpected() const
{
    return m_rcvNxt;
}

} // namespace ns3
