/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RDMA_HEADER_H
#define RDMA_HEADER_H

#include "ns3/buffer.h"
#include "ns3/header.h"
#include "ns3/type-id.h"

#include <cstdint>
#include <ostream>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * A transport header modelled on the InfiniBand Base Transport Header (BTH) of RoCE: 12 bytes
 * that follow the Ethernet header directly (EtherType 0x8915, RoCE v1's; no IP and no UDP
 * header, so no IP ECN field: the ECN codepoint travels in this header).
 *
 * Layout (bytes): 0 opcode; 1 flags (bits 1..0: ECN codepoint as in RFC 3168); 2-3 tag (the
 * BTH's partition-key field, used here for an application tag such as the MoE traffic kind);
 * 4 reserved; 5-7 destination queue pair number (24 bits); 8 bit 7 ack-request, other bits
 * reserved; 9-11 packet sequence number (24 bits).
 *
 * Opcodes follow the InfiniBand reliable-connection numbering where it has one (SEND first,
 * middle, last, only; Acknowledge) and RoCEv2's CNP opcode. InfiniBand carries a NAK as an
 * Acknowledge whose AETH syndrome says "PSN sequence error"; this model gives it an opcode of
 * its own. In an ACK or a NAK the PSN field is the receiver's next expected PSN: every PSN
 * before it has arrived in order.
 */
class RdmaHeader : public Header
{
  public:
    /// Opcodes.
    enum Opcode : uint8_t
    {
        SEND_FIRST = 0x00,  //!< first packet of a multi-packet message
        SEND_MIDDLE = 0x01, //!< middle packet of a message
        SEND_LAST = 0x02,   //!< last packet of a multi-packet message
        SEND_ONLY = 0x04,   //!< the only packet of a message
        ACK = 0x11,         //!< cumulative acknowledgement (PSN: next expected)
        NAK = 0x1F,         //!< sequence-error NAK (PSN: next expected; go back to it)
        CNP = 0x81          //!< congestion notification packet (RoCEv2 CNP opcode)
    };

    /// ECN codepoints (RFC 3168).
    enum Ecn : uint8_t
    {
        NOT_ECT = 0, //!< not ECN-capable
        ECT1 = 1,    //!< ECN-capable transport (1)
        ECT0 = 2,    //!< ECN-capable transport (0)
        CE = 3       //!< congestion experienced
    };

    /// Largest PSN + 1 (PSNs are 24-bit and wrap).
    static constexpr uint32_t PSN_MODULUS = 1U << 24;
    /// Mask of a 24-bit field.
    static constexpr uint32_t MASK_24 = PSN_MODULUS - 1;
    /// Serialized size in bytes (a BTH's).
    static constexpr uint32_t SIZE = 12;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    RdmaHeader();

    /** @return the TypeId of this instance */
    TypeId GetInstanceTypeId() const override;
    /** @param os output stream */
    void Print(std::ostream& os) const override;
    /** @return SIZE */
    uint32_t GetSerializedSize() const override;
    /** @param start where to write */
    void Serialize(Buffer::Iterator start) const override;
    /**
     * @param start where to read
     * @return bytes read
     */
    uint32_t Deserialize(Buffer::Iterator start) override;

    /** @param opcode the opcode */
    void SetOpcode(Opcode opcode);
    /** @return the opcode */
    Opcode GetOpcode() const;
    /** @param qpn destination queue pair number (24 bits; higher bits are dropped) */
    void SetDestQpn(uint32_t qpn);
    /** @return destination queue pair number */
    uint32_t GetDestQpn() const;
    /** @param psn packet sequence number (24 bits; higher bits are dropped) */
    void SetPsn(uint32_t psn);
    /** @return packet sequence number */
    uint32_t GetPsn() const;
    /** @param ackRequest true to ask the receiver for an immediate ACK */
    void SetAckRequest(bool ackRequest);
    /** @return true if the sender asks for an immediate ACK */
    bool GetAckRequest() const;
    /** @param ecn ECN codepoint */
    void SetEcn(Ecn ecn);
    /** @return ECN codepoint */
    Ecn GetEcn() const;
    /** @param tag application tag */
    void SetTag(uint16_t tag);
    /** @return application tag */
    uint16_t GetTag() const;

    /**
     * @param opcode an opcode
     * @return true for the SEND opcodes (data packets)
     */
    static bool IsData(Opcode opcode);

    /**
     * @param opcode an opcode
     * @return its name, e.g. "SEND_FIRST"
     */
    static const char* OpcodeName(Opcode opcode);

  private:
    Opcode m_opcode{SEND_ONLY}; //!< opcode
    uint8_t m_ecn{NOT_ECT};     //!< ECN codepoint
    bool m_ackRequest{false};   //!< ack-request bit
    uint16_t m_tag{0};          //!< application tag
    uint32_t m_destQpn{0};      //!< destination QPN (24 bits)
    uint32_t m_psn{0};          //!< PSN (24 bits)
};

} // namespace ns3

#endif /* RDMA_HEADER_H */
