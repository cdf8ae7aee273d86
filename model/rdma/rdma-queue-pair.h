/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RDMA_QUEUE_PAIR_H
#define RDMA_QUEUE_PAIR_H

#include "rdma-dcqcn.h"
#include "rdma-header.h"

#include "ns3/event-id.h"
#include "ns3/nstime.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * A FIFO of values in a ring buffer that doubles when full and never shrinks: in steady state
 * pushing and popping allocate nothing (as OcsPacketFifo, for values instead of packets).
 * @tparam T the value type (default-constructible, movable)
 */
template <typename T>
class RdmaRing
{
  public:
    /** @return true if empty */
    bool IsEmpty() const
    {
        return m_size == 0;
    }

    /** @return number of values held */
    std::size_t Size() const
    {
        return m_size;
    }

    /** @param value appended at the tail */
    void Push(T value)
    {
        if (m_size == m_ring.size())
        {
            std::vector<T> bigger(m_ring.empty() ? 8 : 2 * m_ring.size());
            for (std::size_t i = 0; i < m_size; ++i)
            {
                bigger[i] = std::move(m_ring[(m_head + i) % m_ring.size()]);
            }
            m_ring = std::move(bigger);
            m_head = 0;
        }
        m_ring[(m_head + m_size) % m_ring.size()] = std::move(value);
        ++m_size;
    }

    /**
     * @param i position from the head (< Size())
     * @return the value
     */
    const T& At(std::size_t i) const
    {
        return m_ring[(m_head + i) % m_ring.size()];
    }

    /** @return the tail value (not empty) */
    T& Back()
    {
        return m_ring[(m_head + m_size - 1) % m_ring.size()];
    }

    /** Remove the head value (not empty). */
    void Pop()
    {
        m_head = (m_head + 1) % m_ring.size();
        --m_size;
    }

  private:
    std::vector<T> m_ring; //!< storage
    std::size_t m_head{0}; //!< index of the head
    std::size_t m_size{0}; //!< values held
};

/**
 * @ingroup photonic-moe
 * A posted send work request (one message).
 */
struct RdmaWorkRequest
{
    uint64_t id{0};       //!< the caller's identifier
    uint64_t bytes{0};    //!< message size
    uint64_t firstPsn{0}; //!< absolute PSN of its first packet
    uint64_t packets{0};  //!< packets: max(1, ceil(bytes / MTU))
    uint16_t tag{0};      //!< application tag carried by every packet
};

/**
 * @ingroup photonic-moe
 * The next data packet of a queue pair.
 */
struct RdmaTxPacket
{
    uint64_t psn{0};                                  //!< absolute PSN
    uint32_t payload{0};                              //!< payload bytes
    RdmaHeader::Opcode opcode{RdmaHeader::SEND_ONLY}; //!< SEND opcode
    bool ackRequest{false};                           //!< last packet of its message
    uint16_t tag{0};                                  //!< application tag
    bool retransmission{false};                       //!< sent before (go-back-N)
};

/**
 * @ingroup photonic-moe
 * Counters of one queue pair (sender and receiver halves).
 */
struct RdmaQpCounters
{
    uint64_t dataPacketsSent{0};      //!< data packets sent, retransmissions included
    uint64_t dataBytesSent{0};        //!< their payload bytes
    uint64_t retransmittedPackets{0}; //!< data packets sent again (go-back-N)
    uint64_t messagesSent{0};         //!< send work requests completed (acknowledged)
    uint64_t naksReceived{0};         //!< NAKs that rewound the sender
    uint64_t timeouts{0};             //!< retransmission timeouts that rewound the sender
    uint64_t cnpsReceived{0};         //!< CNPs received
    uint64_t rateCuts{0};             //!< DCQCN rate cuts (a CNP under DCQCN)
    uint64_t acksSent{0};             //!< ACKs sent by the receiver half
    uint64_t naksSent{0};             //!< NAKs sent by the receiver half
    uint64_t cnpsSent{0};             //!< CNPs sent by the receiver half
    uint64_t packetsReceived{0};      //!< data packets accepted in order
    uint64_t bytesReceived{0};        //!< their payload bytes
    uint64_t duplicatePackets{0};     //!< data packets received again (discarded)
    uint64_t outOfOrderPackets{0};    //!< data packets past a gap (discarded)
    uint64_t ecnMarkedPackets{0};     //!< data packets received with CE
    uint64_t messagesReceived{0};     //!< messages whose last byte arrived in order

    /**
     * Add another queue pair's counters.
     * @param o the other counters
     * @return this
     */
    RdmaQpCounters& operator+=(const RdmaQpCounters& o);
};

/**
 * @ingroup photonic-moe
 * One reliable-connection queue pair of an RdmaNic: the send half (work requests segmented
 * into MTU packets, go-back-N from the oldest unacknowledged PSN) and the receive half
 * (in-order acceptance, cumulative ACK state, one NAK per gap). It holds no packets: a packet
 * is described by its PSN, and its payload size follows from the work request.
 *
 * PSNs are kept as 64-bit absolute numbers inside and sent as their low 24 bits; a received
 * 24-bit PSN is placed within 2^23 of the expected one (as InfiniBand's PSN window), so
 * sequences wrap around 2^24 transparently.
 *
 * The class is pure state: the NIC does the I/O, the timers and the scheduling, and keeps in
 * the queue pair the fields it needs per queue pair (pacing, timers, ring links).
 */
class RdmaQueuePair
{
  public:
    /// Outcome of a received data packet.
    enum RxResult
    {
        RX_IN_ORDER,    //!< the expected PSN: accepted
        RX_DUPLICATE,   //!< before the expected PSN: discarded (re-acknowledge)
        RX_OUT_OF_ORDER //!< past a gap: discarded (NAK)
    };

    /**
     * Connect the queue pair.
     * @param qpn its number
     * @param remoteQpn the peer queue pair's number
     * @param peerPort the peer's port on the fabric
     * @param mtu payload bytes per packet (> 0)
     * @param sendPsn PSN of the first packet it sends
     * @param expectedPsn PSN of the first packet it expects
     */
    void Connect(uint32_t qpn,
                 uint32_t remoteQpn,
                 uint32_t peerPort,
                 uint32_t mtu,
                 uint32_t sendPsn,
                 uint32_t expectedPsn);

    /** @return true once connected */
    bool IsConnected() const
    {
        return m_connected;
    }

    /** @return its number */
    uint32_t GetQpn() const
    {
        return m_qpn;
    }

    /** @return the peer queue pair's number */
    uint32_t GetRemoteQpn() const;

    /** @return the peer's port */
    uint32_t GetPeerPort() const
    {
        return m_peerPort;
    }

    // ---- Send half ----

    /**
     * Post a send work request (a message).
     * @param id the caller's identifier
     * @param bytes message size
     * @param tag application tag for its packets
     */
    void PostSend(uint64_t id, uint64_t bytes, uint16_t tag);

    /**
     * Grow the last posted work request by @p bytes if none of its packets was ever sent and
     * it carries @p tag: the receiver sees one larger message. Its identifier is kept.
     * @param bytes bytes to add
     * @param tag application tag
     * @return false (nothing changed) if there is no such work request
     */
    bool AppendToTail(uint64_t bytes, uint16_t tag);

    /** @return true if a packet waits to be sent (new or to be sent again) */
    bool HasDataToSend() const
    {
        return m_sndNxt < m_sndEnd;
    }

    /** @return true if packets were sent and are neither acknowledged nor rewound */
    bool HasInFlight() const;

    /** @return payload bytes of the next packet (HasDataToSend() must be true) */
    uint32_t NextPayload() const;

    /** @return the next packet, which is now sent (HasDataToSend() must be true) */
    RdmaTxPacket TakeNext();

    /**
     * @param psn a 24-bit PSN from an ACK or NAK
     * @return the absolute PSN nearest to the oldest unacknowledged one
     */
    uint64_t ToAbsoluteSendPsn(uint32_t psn) const;

    /**
     * Cumulative acknowledgement: every PSN before @p nextExpected arrived.
     * @param nextExpected absolute PSN
     * @return packets newly acknowledged (0 for an old or impossible ACK)
     */
    uint64_t Acknowledge(uint64_t nextExpected);

    /**
     * Take a completed work request (acknowledged), oldest first.
     * @param wr receives it
     * @return false if none
     */
    bool PopCompleted(RdmaWorkRequest& wr);

    /**
     * Go back N: send again from @p psn (>= the oldest unacknowledged PSN).
     * @param psn absolute PSN
     * @return packets rewound (0 if nothing was sent from @p psn on)
     */
    uint64_t GoBack(uint64_t psn);

    /** @return oldest unacknowledged absolute PSN */
    uint64_t GetUnacked() const;
    /** @return absolute PSN of the next packet to send */
    uint64_t GetNextToSend() const;

    // ---- Receive half ----

    /**
     * Classify a received data packet; an in-order one advances the expected PSN.
     * @param psn its 24-bit PSN
     * @param absolute receives its absolute PSN (placed within 2^23 of the expected one)
     * @return the outcome
     */
    RxResult Receive(uint32_t psn, uint64_t& absolute);

    /**
     * Account an in-order packet's payload to the message being received.
     * @param opcode its opcode
     * @param payload its payload bytes
     * @param messageBytes receives the message size when this packet ends a message
     * @return true if it ends a message
     */
    bool Deliver(RdmaHeader::Opcode opcode, uint32_t payload, uint64_t& messageBytes);

    /** @return the next expected absolute PSN */
    uint64_t GetExpected() const;

    // ---- State kept by the NIC ----

    RdmaDcqcnState cc;       //!< DCQCN state (EPS only)
    RdmaQpCounters counters; //!< counters
    Time nextSend;           //!< pacing: earliest start of its next EPS frame
    EventId pacingEvent;     //!< pacing timer (at most one pending)
    EventId rtoEvent;        //!< retransmission timer (at most one pending)
    Time rtoStart;           //!< the retransmission timer counts from here
    Time lastNak;            //!< when the receiver half last sent a NAK
    Time lastCnp;            //!< when the receiver half last sent a CNP
    bool cnpSent{false};     //!< the receiver half has sent a CNP
    bool nakPending{false};  //!< a NAK was sent for the current expected PSN
    uint64_t nakHighest{0};  //!< highest PSN past the gap discarded since that NAK
    uint32_t unacked{0};     //!< packets received since the last ACK
    bool viaEps{false};      //!< its data crosses the EPS (else: its circuit)
    uint32_t ring{0};        //!< the NIC ring it is in (RdmaNic::NO_RING: none)
    uint32_t ringPrev{0};    //!< previous queue pair in that ring
    uint32_t ringNext{0};    //!< next queue pair in that ring
    uint64_t lastRateBps{0}; //!< rate last reported by the RateChange trace

  private:
    /** Find the work request holding m_sndNxt (after a rewind). */
    void SeekCursor();

    bool m_connected{false}; //!< connected
    uint32_t m_qpn{0};       //!< its number
    uint32_t m_remoteQpn{0}; //!< the peer's number
    uint32_t m_peerPort{0};  //!< the peer's port
    uint32_t m_mtu{0};       //!< payload bytes per packet

    RdmaRing<RdmaWorkRequest> m_wrs; //!< work requests not yet completed, in PSN order
    std::size_t m_cursor{0};         //!< index in m_wrs of the work request of m_sndNxt
    uint64_t m_sndUna{0};            //!< oldest unacknowledged PSN
    uint64_t m_sndNxt{0};            //!< next PSN to send
    uint64_t m_sndEnd{0};            //!< PSN after the last posted packet
    uint64_t m_sndMax{0};            //!< PSN after the highest ever sent

    uint64_t m_rcvNxt{0};     //!< next expected PSN
    uint64_t m_rcvMessage{0}; //!< bytes of the message being received
};

} // namespace ns3

#endif /* RDMA_QUEUE_PAIR_H */
