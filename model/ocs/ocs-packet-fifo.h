/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef OCS_PACKET_FIFO_H
#define OCS_PACKET_FIFO_H

#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * A FIFO of packets with a byte count, used for the host VOQs, the host's electrical-fabric
 * queue and the electrical switch's egress queues.
 *
 * It is a ring buffer that doubles when full and never shrinks, so that in steady state
 * pushing and popping allocate nothing (std::deque allocates and frees blocks as it moves).
 * Each entry carries a 32-bit tag (for example the egress port of the packet).
 * Capacity limits are the owner's business: the FIFO itself only counts.
 */
class OcsPacketFifo
{
  public:
    /** @return true if the FIFO holds no packet */
    bool IsEmpty() const
    {
        return m_size == 0;
    }

    /** @return number of packets held */
    std::size_t GetNPackets() const
    {
        return m_size;
    }

    /** @return sum of the sizes of the packets held, in bytes */
    uint64_t GetNBytes() const
    {
        return m_bytes;
    }

    /**
     * Append a packet at the tail.
     * @param packet the packet (not null)
     * @param tag a value returned with the packet by Pop()
     */
    void Push(Ptr<Packet> packet, uint32_t tag = 0)
    {
        if (m_size == m_ring.size())
        {
            Grow();
        }
        std::size_t tail = (m_head + m_size) % m_ring.size();
        m_bytes += packet->GetSize();
        m_ring[tail].packet = std::move(packet);
        m_ring[tail].tag = tag;
        ++m_size;
    }

    /** @return the packet at the head (the FIFO must not be empty) */
    Ptr<Packet> Front() const
    {
        return m_ring[m_head].packet;
    }

    /**
     * Remove the packet at the head (the FIFO must not be empty).
     * @param tag if not null, receives the tag given to Push()
     * @return the packet
     */
    Ptr<Packet> Pop(uint32_t* tag = nullptr)
    {
        Entry& e = m_ring[m_head];
        Ptr<Packet> p = std::move(e.packet);
        e.packet = nullptr;
        if (tag)
        {
            *tag = e.tag;
        }
        m_bytes -= p->GetSize();
        m_head = (m_head + 1) % m_ring.size();
        --m_size;
        return p;
    }

    /** Drop every packet (releases the references, keeps the storage). */
    void Clear()
    {
        for (auto& e : m_ring)
        {
            e.packet = nullptr;
        }
        m_head = 0;
        m_size = 0;
        m_bytes = 0;
    }

  private:
    /** One slot of the ring. */
    struct Entry
    {
        Ptr<Packet> packet; //!< the packet, null when the slot is free
        uint32_t tag{0};    //!< the caller's tag
    };

    /** Double the ring (at least 16 slots), keeping the order. */
    void Grow()
    {
        std::vector<Entry> bigger(m_ring.empty() ? 16 : 2 * m_ring.size());
        for (std::size_t i = 0; i < m_size; ++i)
        {
            bigger[i] = std::move(m_ring[(m_head + i) % m_ring.size()]);
        }
        m_ring = std::move(bigger);
        m_head = 0;
    }

    std::vector<Entry> m_ring; //!< ring storage
    std::size_t m_head{0};     //!< index of the head entry
    std::size_t m_size{0};     //!< number of entries held
    uint64_t m_bytes{0};       //!< bytes held
};

} // namespace ns3

#endif /* OCS_PACKET_FIFO_H */
