/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rdma-header.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(RdmaHeader);

namespace
{

constexpr uint8_t kEcnMask = 0x03;       //!< ECN bits of the flags byte
constexpr uint8_t kAckRequestBit = 0x80; //!< ack-request bit of byte 8

} // namespace

TypeId
RdmaHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RdmaHeader")
                            .SetParent<Header>()
                            .SetGroupName("PhotonicMoe")
                            .AddConstructor<RdmaHeader>();
    return tid;
}

RdmaHeader::RdmaHeader() = default;

TypeId
RdmaHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
RdmaHeader::Print(std::ostream& os) const
{
    static const char* const kEcnNames[] = {"Not-ECT", "ECT(1)", "ECT(0)", "CE"};
    os << OpcodeName(m_opcode) << " qpn=" << m_destQpn << " psn=" << m_psn
       << " ackreq=" << (m_ackRequest ? 1 : 0) << " ecn=" << kEcnNames[m_ecn & kEcnMask]
       << " tag=" << m_tag;
}

uint32_t
RdmaHeader::GetSerializedSize() const
{
    return SIZE;
}

void
RdmaHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    i.WriteU8(m_opcode);
    i.WriteU8(m_ecn & kEcnMask);
    i.WriteHtonU16(m_tag);
    i.WriteHtonU32(m_destQpn & MASK_24);
    i.WriteHtonU32((m_ackRequest ? static_cast<uint32_t>(kAckRequestBit) << 24 : 0U) |
                   (m_psn & MASK_24));
}

uint32_t
RdmaHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    m_opcode = static_cast<Opcode>(i.ReadU8());
    m_ecn = i.ReadU8() & kEcnMask;
    m_tag = i.ReadNtohU16();
    m_destQpn = i.ReadNtohU32() & MASK_24;
    const uint32_t word = i.ReadNtohU32();
    m_ackRequest = ((word >> 24) & kAckRequestBit) != 0;
    m_psn = word & MASK_24;
    return SIZE;
}

void
RdmaHeader::SetOpcode(Opcode opcode)
{
    m_opcode = opcode;
}

RdmaHeader::Opcode
RdmaHeader::GetOpcode() const
{
    return m_opcode;
}

void
RdmaHeader::SetDestQpn(uint32_t qpn)
{
    m_destQpn = qpn & MASK_24;
}

uint32_t
RdmaHeader::GetDestQpn() const
{
    return m_destQpn;
}

void
RdmaHeader::SetPsn(uint32_t psn)
{
    m_psn = psn & MASK_24;
}

uint32_t
RdmaHeader::GetPsn() const
{
    return m_psn;
}

void
RdmaHeader::SetAckRequest(bool ackRequest)
{
    m_ackRequest = ackRequest;
}

bool
RdmaHeader::GetAckRequest() const
{
    return m_ackRequest;
}

void
RdmaHeader::SetEcn(Ecn ecn)
{
    m_ecn = ecn & kEcnMask;
}

RdmaHeader::Ecn
RdmaHeader::GetEcn() const
{
    return static_cast<Ecn>(m_ecn);
}

void
RdmaHeader::SetTag(uint16_t tag)
{
    m_tag = tag;
}

uint16_t
RdmaHeader::GetTag() const
{
    return m_tag;
}

bool
RdmaHeader::IsData(Opcode opcode)
{
    return opcode == SEND_FIRST || opcode == SEND_MIDDLE || opcode == SEND_LAST ||
           opcode == SEND_ONLY;
}

const char*
RdmaHeader::OpcodeName(Opcode opcode)
{
    switch (opcode)
    {
    case SEND_FIRST:
        return "SEND_FIRST";
    case SEND_MIDDLE:
        return "SEND_MIDDLE";
    case SEND_LAST:
        return "SEND_LAST";
    case SEND_ONLY:
        return "SEND_ONLY";
    case ACK:
        return "ACK";
    case NAK:
        return "NAK";
    case CNP:
        return "CNP";
    }
    return "UNKNOWN";
}

} // namespace ns3
