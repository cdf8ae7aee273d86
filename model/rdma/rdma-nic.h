/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RDMA_NIC_H
#define RDMA_NIC_H

#include "rdma-dcqcn.h"
#include "rdma-header.h"
#include "rdma-queue-pair.h"

#include "ns3/address.h"
#include "ns3/data-rate.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/ocs-net-device.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * A NIC-level RDMA transport (RoCE-like, reliable connection) on an OcsNetDevice: queue pairs,
 * messages segmented into MTU packets, cumulative ACKs, go-back-N on NAK or timeout, DCQCN on
 * the electrical fabric. Frames skip IP: an RdmaHeader right after the Ethernet header,
 * EtherType 0x8915.
 *
 * **Queue pairs** are numbered by the caller (CreateQp) and kept in a vector indexed by QPN:
 * a received packet finds its queue pair in O(1). Packets carry no payload bytes
 * (Create<Packet>(size)); a queue pair describes a packet by its PSN, so a retransmission
 * just builds it again.
 *
 * **Sending.** The NIC is the device's frame source (OcsFrameSource): its data waits in the
 * queue pairs, not in the device's VOQs, and the device pulls a packet when a PHY idles.
 * Which PHY a queue pair uses is decided per destination by the device's EPS policy
 * (OcsNetDevice::EpsCarriesData: e.g. "no-future-circuit" sends data over the EPS only to
 * destinations without a circuit now or later, "all" is the ideal electrical fabric), when
 * the queue pair gets data after being idle and whenever the switch reports a circuit change.
 * - *Circuit*: a queue pair with data waits in the ring of its destination port; when the
 *   circuit to that port is lit the device pulls from that ring, round-robin, only a packet
 *   that fits before the circuit's known teardown (guard). No congestion control: a circuit
 *   is a dedicated path. A circuit that goes dark loses nothing, frames wait for the next.
 * - *EPS*: queue pairs that have data and may send now form one ring; the EPS PHY pulls from
 *   it round-robin. Under DCQCN a queue pair sends at its rate R_C: after each frame its next
 *   start is now + frame / R_C; a queue pair found too early leaves the ring and waits on its
 *   own timer (one pending event per queue pair at most; ns-3's scheduler is already the
 *   heap, so a NIC heap would duplicate it).
 * Choosing the next sender is O(1) amortised: rings are intrusive circular lists linked by
 * QPN (no scan over queue pairs, no allocation), and a queue pair leaves a ring at most once
 * per pacing wait.
 *
 * **Reliability.** The receiver accepts only the expected PSN and reports its bytes at once,
 * in order (RxBytes); a message completes at the receiver when its last byte arrives in order
 * (ReceiveComplete) and at the sender when it is acknowledged (SendComplete). The receiver
 * ACKs every AckInterval in-order packets and every packet with the ack-request bit (the
 * last packet of each message); duplicates count towards the same rule. A packet past a gap
 * is discarded and answered by one NAK for the expected PSN (again after NakInterval if
 * packets past the gap keep coming). A NAK rewinds the sender to the NAKed PSN (go-back-N);
 * a retransmission timer (RetransmitTimeout since the last progress, while packets are in
 * flight) rewinds it to the oldest unacknowledged PSN.
 *
 * **DCQCN** (CongestionControl "dcqcn"): data frames over the EPS are ECN-capable; a receiver
 * that gets a CE-marked data packet sends a CNP to the sender's queue pair, at most one per
 * CnpInterval per queue pair; the sender's RdmaDcqcn cuts and recovers its rate.
 *
 * Control frames (ACK, NAK, CNP: 46-byte packets, 60-byte frames) go through the device's
 * normal send path (OcsNetDevice::SendToPort): with the EPS policies they cross the EPS with
 * strict priority.
 */
class RdmaNic : public OcsFrameSource
{
  public:
    /// EtherType of the frames (RoCE v1's).
    static constexpr uint16_t ETHER_TYPE = 0x8915;
    /// Size of an ACK, NAK or CNP packet: a 60-byte minimum Ethernet frame without FCS.
    static constexpr uint32_t CONTROL_PACKET_BYTES = 46;
    /// Ring id: in no ring.
    static constexpr uint32_t NO_RING = 0xFFFFFFFF;
    /// Ring id: the EPS ring (other ids are destination ports).
    static constexpr uint32_t EPS_RING = 0xFFFFFFFE;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    RdmaNic();
    ~RdmaNic() override;

    /**
     * Aggregate this NIC to the device's node and become the device's frame source; receive
     * EtherType 0x8915 from that device.
     * @param device the host's OcsNetDevice (installed on a node, attached to a switch)
     * @throws pmoe::InputError if already attached, the node has an RdmaNic, or the MTU does
     *         not fit in the device's
     */
    void Attach(Ptr<OcsNetDevice> device);

    /**
     * @param node a node
     * @return its RdmaNic, created with default attributes on its first OcsNetDevice if it
     *         has none
     * @throws pmoe::InputError if the node has no OcsNetDevice
     */
    static Ptr<RdmaNic> GetOrCreate(Ptr<Node> node);

    /**
     * @param node a node
     * @return its first OcsNetDevice (null if none)
     */
    static Ptr<OcsNetDevice> FindDevice(Ptr<Node> node);

    /**
     * Become the device's frame source without aggregating to its node: a node with several
     * devices (a cluster GPU's NIC and NVLink port) can have one NIC on each. Receive
     * EtherType 0x8915 from that device.
     * @param device an OcsNetDevice (installed on a node, attached to a switch)
     * @throws pmoe::InputError if already attached, the device has a frame source already or
     *         its node has an aggregated RdmaNic on it, or the MTU does not fit in the
     *         device's
     */
    void AttachToDevice(Ptr<OcsNetDevice> device);

    /**
     * @param device an OcsNetDevice
     * @return the RdmaNic that is its frame source (attached by Attach() or
     *         AttachToDevice()), or null
     */
    static Ptr<RdmaNic> Find(Ptr<OcsNetDevice> device);

    /**
     * @param device an OcsNetDevice installed on a node
     * @return its RdmaNic (Find()), or a new one with default attributes attached to it by
     *         AttachToDevice() (the node's aggregated NIC, GetOrCreate(Ptr<Node>), is not
     *         touched)
     * @throws pmoe::InputError as AttachToDevice()
     */
    static Ptr<RdmaNic> GetOrCreate(Ptr<OcsNetDevice> device);

    /** @return the device (null before Attach) */
    Ptr<OcsNetDevice> GetDevice() const;

    /**
     * Create and connect a queue pair.
     * @param qpn its number, in [1, 2^24)
     * @param remoteQpn the number of the peer's queue pair
     * @param peerPort the peer device's port on the switch
     * @param sendPsn PSN of its first packet (24 bits)
     * @param expectedPsn PSN of the first packet it expects (the peer's sendPsn)
     * @throws pmoe::InputError on a number in use or out of range, a bad port, or no device
     */
    void CreateQp(uint32_t qpn,
                  uint32_t remoteQpn,
                  uint32_t peerPort,
                  uint32_t sendPsn = 0,
                  uint32_t expectedPsn = 0);

    /**
     * @param qpn a number
     * @return true if a queue pair has it
     */
    bool HasQp(uint32_t qpn) const;

    /**
     * Post a send work request: a message of @p bytes to the queue pair's peer.
     * @param qpn the queue pair
     * @param id the caller's identifier (SendComplete)
     * @param bytes message size
     * @param tag application tag carried by its packets (RxBytes, ReceiveComplete)
     * @throws pmoe::InputError on an unknown queue pair
     */
    void PostSend(uint32_t qpn, uint64_t id, uint64_t bytes, uint16_t tag);

    /**
     * Post @p bytes to the queue pair's peer, appended to its last message if none of that
     * message's packets was sent yet and it has the same tag (RdmaQueuePair::AppendToTail),
     * else as a new message (PostSend()). A relay that forwards bytes as they arrive thus
     * sends a few large messages when its queue pair is backlogged, not one per packet.
     * @param qpn the queue pair
     * @param id identifier of a new message (unused when appended)
     * @param bytes bytes to send
     * @param tag application tag
     * @throws pmoe::InputError on an unknown queue pair
     */
    void PostSendCoalesced(uint32_t qpn, uint64_t id, uint64_t bytes, uint16_t tag);

    /**
     * @param qpn a queue pair
     * @return its counters
     */
    RdmaQpCounters GetQpCounters(uint32_t qpn) const;

    /** @return the sum of the counters of every queue pair */
    RdmaQpCounters GetCounters() const;

    /** @return packets received for a queue pair that does not exist */
    uint64_t GetUnknownQpPackets() const;

    /**
     * @param qpn a queue pair
     * @return its DCQCN rate now (the line rate without congestion control)
     */
    DataRate GetQpRate(uint32_t qpn);

    /**
     * @param qpn a queue pair
     * @return true if its data crosses the EPS (as last decided)
     */
    bool IsQpViaEps(uint32_t qpn) const;

    /** @return the DCQCN parameters */
    Ptr<RdmaDcqcn> GetDcqcn() const;

    /**
     * The next packet for the lit circuit to @p port: round-robin over the queue pairs in that
     * port's ring, the first whose next packet fits in @p maxBytes (OcsFrameSource).
     * @param port the lit peer's port
     * @param maxBytes the largest packet the device may start
     * @param protocol receives ETHER_TYPE
     * @return the packet, or null
     */
    Ptr<Packet> PullCircuitPacket(uint32_t port, uint32_t maxBytes, uint16_t& protocol) override;

    /**
     * The next packet for the EPS: round-robin over the EPS ring; a queue pair whose pacing
     * time has not come leaves the ring and waits on its timer (OcsFrameSource).
     * @param port receives the destination's port
     * @param protocol receives ETHER_TYPE
     * @return the packet, or null
     */
    Ptr<Packet> PullEpsPacket(uint32_t& port, uint16_t& protocol) override;

    /**
     * The switch reported a circuit change: decide again, once per destination port with
     * waiting data, which fabric each queue pair with data uses (OcsFrameSource).
     */
    void CircuitsChanged() override;

    /**
     * A frame for this host arrived: frames of EtherType 0x8915 are the NIC's and are consumed
     * here, as a RoCE NIC terminates them in hardware (the node's protocol handlers never see
     * them); others are left to the node (OcsFrameSource).
     * @param packet the packet (RdmaHeader first)
     * @param protocol its EtherType
     * @return true for EtherType 0x8915
     */
    bool ReceiveFrame(Ptr<const Packet> packet, uint16_t protocol) override;

    /**
     * TracedCallback signature for received bytes and messages.
     * @param qpn the queue pair
     * @param tag the application tag
     * @param bytes payload bytes (RxBytes) or message size (ReceiveComplete)
     */
    typedef void (*RxTracedCallback)(uint32_t qpn, uint16_t tag, uint64_t bytes);

    /**
     * TracedCallback signature for completed send work requests.
     * @param qpn the queue pair
     * @param id the work request's identifier
     * @param bytes its size
     */
    typedef void (*SendCompleteTracedCallback)(uint32_t qpn, uint64_t id, uint64_t bytes);

    /**
     * TracedCallback signature for go-back-N rewinds.
     * @param qpn the queue pair
     * @param psn absolute PSN it goes back to
     * @param packets packets rewound
     * @param timeout true for a retransmission timeout, false for a NAK
     */
    typedef void (*GoBackTracedCallback)(uint32_t qpn,
                                         uint64_t psn,
                                         uint64_t packets,
                                         bool timeout);

    /**
     * TracedCallback signature for DCQCN rate changes.
     * @param qpn the queue pair
     * @param oldBps previous rate (bit/s)
     * @param newBps new rate (bit/s)
     */
    typedef void (*RateTracedCallback)(uint32_t qpn, uint64_t oldBps, uint64_t newBps);

  protected:
    /** Release references to other objects (ns-3 object teardown). */
    void DoDispose() override;

  private:
    /** Head and size of an intrusive circular list of queue pairs. */
    struct Ring
    {
        uint32_t head{0}; //!< first queue pair (meaningless when empty)
        uint32_t size{0}; //!< queue pairs in the ring
    };

    /**
     * Check that the NIC can work on a device: its MTU fits, DCQCN parameters are set.
     * @param device the device
     * @throws pmoe::InputError if the MTU does not fit or Dcqcn is null
     */
    void CheckDevice(Ptr<OcsNetDevice> device) const;
    /**
     * A packet of EtherType 0x8915 arrived.
     * @param packet the packet (RdmaHeader first)
     */
    void Receive(Ptr<const Packet> packet);
    /**
     * A data packet arrived.
     * @param qp its queue pair
     * @param header its header
     * @param payload its payload bytes
     */
    void ReceiveData(RdmaQueuePair& qp, const RdmaHeader& header, uint32_t payload);
    /**
     * An ACK or NAK arrived.
     * @param qp its queue pair
     * @param psn the 24-bit PSN it carries (next expected)
     * @param nak true for a NAK
     */
    void ReceiveAck(RdmaQueuePair& qp, uint32_t psn, bool nak);
    /**
     * A CNP arrived.
     * @param qp its queue pair
     */
    void ReceiveCnp(RdmaQueuePair& qp);
    /**
     * Send an ACK, NAK or CNP to the queue pair's peer.
     * @param qp the queue pair
     * @param opcode ACK, NAK or CNP
     * @param psn absolute PSN to carry
     */
    void SendControl(RdmaQueuePair& qp, RdmaHeader::Opcode opcode, uint64_t psn);
    /**
     * Build the queue pair's next data packet (it is now sent).
     * @param qp the queue pair (HasDataToSend())
     * @param ecn ECN codepoint to carry
     * @return the packet
     */
    Ptr<Packet> BuildData(RdmaQueuePair& qp, RdmaHeader::Ecn ecn);
    /**
     * The queue pair got data: decide its fabric if asked, then schedule it.
     * @param qp the queue pair
     * @param decide ask the device's EPS policy which fabric it uses
     */
    void Activate(RdmaQueuePair& qp, bool decide);
    /**
     * Put a queue pair with data into its ring (or wait for its pacing time) and wake the
     * device.
     * @param qp the queue pair
     */
    void Kick(RdmaQueuePair& qp);
    /**
     * Change the fabric a queue pair uses.
     * @param qp the queue pair
     * @param viaEps true for the EPS
     */
    void SetFabric(RdmaQueuePair& qp, bool viaEps);
    /** @param qpn pacing wait of a queue pair over */
    void PacingDone(uint32_t qpn);
    /** @param qp arm its retransmission timer if it is not pending */
    void ArmRto(RdmaQueuePair& qp);
    /** @param qpn its retransmission timer expired */
    void RtoExpired(uint32_t qpn);
    /** @param qp fire RateChange if its rate changed */
    void ReportRate(RdmaQueuePair& qp);
    /**
     * @param ring a ring id (EPS_RING or a port)
     * @return the ring
     */
    Ring& RingOf(uint32_t ring);
    /**
     * Append a queue pair at the tail of a ring.
     * @param ring the ring id
     * @param qp the queue pair (in no ring)
     */
    void RingInsert(uint32_t ring, RdmaQueuePair& qp);
    /** @param qp remove it from its ring */
    void RingRemove(RdmaQueuePair& qp);
    /**
     * @param qpn a number
     * @return its queue pair
     * @throws pmoe::InputError if none
     */
    RdmaQueuePair& Qp(uint32_t qpn);

    /** @param mtu payload bytes per packet, > 0 @throws pmoe::InputError otherwise */
    void SetMtu(uint32_t mtu);
    /** @return payload bytes per packet */
    uint32_t GetMtu() const;
    /** @param n packets per ACK, > 0 @throws pmoe::InputError otherwise */
    void SetAckInterval(uint32_t n);
    /** @return packets per ACK */
    uint32_t GetAckInterval() const;
    /** @param t retransmission timeout, > 0 @throws pmoe::InputError otherwise */
    void SetRetransmitTimeout(Time t);
    /** @return the retransmission timeout */
    Time GetRetransmitTimeout() const;
    /** @param t NAK repeat interval, > 0 @throws pmoe::InputError otherwise */
    void SetNakInterval(Time t);
    /** @return the NAK repeat interval */
    Time GetNakInterval() const;
    /** @param t CNP interval, >= 0 @throws pmoe::InputError otherwise */
    void SetCnpInterval(Time t);
    /** @return the CNP interval */
    Time GetCnpInterval() const;
    /** @param name "dcqcn" or "none" @throws pmoe::InputError otherwise */
    void SetCongestionControl(std::string name);
    /** @return the congestion control's name */
    std::string GetCongestionControl() const;

    Ptr<OcsNetDevice> m_device;       //!< the host's device
    Ptr<RdmaDcqcn> m_dcqcn;           //!< DCQCN parameters
    bool m_dcqcnOn{true};             //!< CongestionControl is "dcqcn"
    uint32_t m_mtu{4096};             //!< payload bytes per packet
    uint32_t m_ackInterval{1};        //!< in-order packets per ACK
    Time m_rto;                       //!< retransmission timeout
    Time m_nakInterval;               //!< NAK repeat interval
    Time m_cnpInterval;               //!< CNP interval per queue pair
    std::vector<RdmaQueuePair> m_qps; //!< queue pairs by QPN
    std::vector<Ring> m_portRings;    //!< circuit rings by destination port
    Ring m_epsRing;                   //!< EPS ring
    std::vector<int8_t> m_epsOfPort;  //!< scratch: per port, -1 unknown, 0 circuit, 1 EPS
    /// Bit q set: queue pair q may have data to send (set when it gets data, cleared lazily
    /// by CircuitsChanged), so that a circuit change visits only those, in QPN order.
    std::vector<uint64_t> m_mayHaveData;
    uint64_t m_unknownQpPackets{0}; //!< packets for no queue pair

    TracedCallback<uint32_t, uint16_t, uint64_t> m_rxBytesTrace;         //!< RxBytes
    TracedCallback<uint32_t, uint16_t, uint64_t> m_receiveCompleteTrace; //!< ReceiveComplete
    TracedCallback<uint32_t, uint64_t, uint64_t> m_sendCompleteTrace;    //!< SendComplete
    TracedCallback<uint32_t, uint64_t, uint64_t, bool> m_goBackTrace;    //!< GoBackN
    TracedCallback<uint32_t, uint64_t, uint64_t> m_rateTrace;            //!< RateChange
};

} // namespace ns3

#endif /* RDMA_NIC_H */
