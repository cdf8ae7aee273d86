/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef OCS_NET_DEVICE_H
#define OCS_NET_DEVICE_H

#include "ocs-eps-policy.h"
#include "ocs-packet-fifo.h"

#include "ns3/address.h"
#include "ns3/callback.h"
#include "ns3/data-rate.h"
#include "ns3/error-model.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

class Channel;
class OpticalCircuitSwitch;
class ElectricalPacketSwitch;

/**
 * @ingroup photonic-moe
 * Counters of an OcsNetDevice. They reconcile with the device's trace sources:
 * macTxPackets = voqEnqueuePackets + epsEnqueuePackets + pulledCircuitPackets +
 * pulledEpsPackets + drops before queueing;
 * phyTxBeginPackets = voqDequeuePackets + epsDequeuePackets + pulledCircuitPackets +
 * pulledEpsPackets;
 * voqEnqueuePackets = voqDequeuePackets + voqToEpsPackets + dropVoqToEpsFull + packets in VOQs;
 * epsEnqueuePackets + voqToEpsPackets = epsDequeuePackets + packets in the EPS queue.
 */
struct OcsDeviceCounters
{
    uint64_t macTxPackets{0};         //!< packets handed down by the upper layer (MacTx)
    uint64_t macTxBytes{0};           //!< their bytes (without the Ethernet header)
    uint64_t macRxPackets{0};         //!< packets handed up (MacRx)
    uint64_t macRxBytes{0};           //!< their bytes (without the Ethernet header)
    uint64_t phyTxBeginPackets{0};    //!< frames started, circuit or EPS (PhyTxBegin)
    uint64_t phyTxEndPackets{0};      //!< frames finished (PhyTxEnd)
    uint64_t phyTxBytes{0};           //!< bytes of the frames finished
    uint64_t phyRxEndPackets{0};      //!< frames received, circuit or EPS (PhyRxEnd)
    uint64_t phyRxBytes{0};           //!< their bytes
    uint64_t voqEnqueuePackets{0};    //!< packets entering a VOQ (VoqEnqueue)
    uint64_t voqDequeuePackets{0};    //!< packets leaving a VOQ for the wire (VoqDequeue)
    uint64_t epsEnqueuePackets{0};    //!< packets from the upper layer entering the EPS queue
    uint64_t voqToEpsPackets{0};      //!< frames moved from a VOQ to the EPS queue (VoqToEps)
    uint64_t epsControlFirst{0};      //!< EPS frames sent ahead of queued data (priority)
    uint64_t epsDequeuePackets{0};    //!< packets leaving the EPS queue for the EPS link
    uint64_t epsRxPackets{0};         //!< frames received from the EPS
    uint64_t ecnMarked{0};            //!< IPv4 packets marked CE at a VOQ
    uint64_t guardHolds{0};           //!< times the guard kept a frame back until the next circuit
    uint64_t dropVoqFull{0};          //!< drops "voq-full"
    uint64_t dropCircuitTornDown{0};  //!< drops "circuit-torn-down"
    uint64_t dropNoRoute{0};          //!< drops "no-route" (unknown destination, or not attached)
    uint64_t dropBroadcast{0};        //!< drops "broadcast" (broadcast or multicast destination)
    uint64_t dropEpsQueueFull{0};     //!< drops "eps-queue-full"
    uint64_t dropTooBig{0};           //!< drops "too-big" (larger than the MTU)
    uint64_t dropVoqToEpsFull{0};     //!< drops "voq-to-eps-full" (moved frame, EPS queue full)
    uint64_t failoverToEps{0};        //!< packets sent or moved to the EPS: port failed
    uint64_t voqOverflowToEps{0};     //!< packets sent to the EPS: VOQ full (VoqOverflowToEps)
    uint64_t dropRxError{0};          //!< drops "rx-error" (ReceiveErrorModel)
    uint64_t pulledCircuitPackets{0}; //!< packets pulled from the frame source for the circuit
    uint64_t pulledEpsPackets{0};     //!< packets pulled from the frame source for the EPS
    uint64_t epsPauseFrames{0};       //!< PFC PAUSE frames received from the EPS
    uint64_t epsResumeFrames{0};      //!< PFC RESUME frames received from the EPS

    /** @return the sum of all drop counters */
    uint64_t TotalDrops() const
    {
        return dropVoqFull + dropCircuitTornDown + dropNoRoute + dropBroadcast + dropEpsQueueFull +
               dropTooBig + dropVoqToEpsFull + dropRxError;
    }
};

/**
 * @ingroup photonic-moe
 * A source of frames that an OcsNetDevice pulls when a PHY would otherwise idle: a NIC-level
 * transport (RdmaNic) that keeps its data in its own queues instead of the device's VOQs and
 * EPS queue. Install it with OcsNetDevice::SetFrameSource(); without one the device never
 * pulls and behaves exactly as before.
 *
 * The device pulls a circuit packet when its circuit PHY is idle, its circuit is lit and the
 * lit peer's VOQ is empty; an EPS packet when its EPS PHY is idle, both EPS queues are empty
 * and no PFC pause holds the EPS data class. The source calls OcsNetDevice::FrameSourceReady()
 * when it has something new. A source must not call back into the device from a pull.
 */
class OcsFrameSource : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    ~OcsFrameSource() override;

    /**
     * The circuit to @p port is lit and the PHY is idle: the next packet to @p port.
     * @param port the lit peer's port
     * @param maxBytes the largest packet (without the Ethernet header) that the device may
     *        start: the MTU, or less when the guard knows the circuit's teardown
     * @param protocol receives the packet's EtherType
     * @return a packet of at most @p maxBytes bytes, or null
     */
    virtual Ptr<Packet> PullCircuitPacket(uint32_t port, uint32_t maxBytes, uint16_t& protocol) = 0;

    /**
     * The EPS PHY is idle: the next packet for the EPS.
     * @param port receives the destination's port (on the circuit switch; the device maps it
     *        to the EPS)
     * @param protocol receives the packet's EtherType
     * @return a packet of at most the MTU, or null
     */
    virtual Ptr<Packet> PullEpsPacket(uint32_t& port, uint16_t& protocol) = 0;

    /**
     * The switch reported a circuit change (after the device moved its stranded frames, before
     * it tries to transmit): which destinations go over the EPS may have changed
     * (OcsNetDevice::EpsCarriesData). The default does nothing.
     */
    virtual void CircuitsChanged();

    /**
     * A frame addressed to this host arrived (after the device's MacRx trace, before the
     * node's receive callback): a source that terminates the protocol in the NIC (as RDMA
     * does) consumes it here, without the node's protocol-handler dispatch. The default
     * consumes nothing.
     * @param packet the packet (the Ethernet header removed)
     * @param protocol its EtherType
     * @return true if consumed (the node does not see it)
     */
    virtual bool ReceiveFrame(Ptr<const Packet> packet, uint16_t protocol);
};

/**
 * @ingroup photonic-moe
 * A host port of an OpticalCircuitSwitch, with per-destination virtual output queues (VOQs)
 * and an optional second PHY on an ElectricalPacketSwitch (EPS).
 *
 * **Framing.** Send() adds an Ethernet II header (destination, source, EtherType); frames are
 * captured in pcap as DLT_EN10MB. Transmission time is frame size / DataRate rounded up to a
 * whole nanosecond (as pmoe::TransmissionTimeNs).
 *
 * **Transmit state machine** (one per PHY, like PointToPointNetDevice's): READY or BUSY.
 * A packet from the upper layer goes to the VOQ of its destination port (or to the EPS queue,
 * as the EpsPolicy says). Whenever the circuit PHY is READY - after a frame, after an enqueue,
 * and whenever the switch reports a circuit change - the device looks at its port's circuit:
 * if it is lit and the peer's VOQ is not empty, it starts the head frame, unless the Guard is
 * on and the frame cannot finish before the circuit's known teardown. Frames to destinations
 * without a live circuit wait in their VOQ. A frame whose circuit goes dark before its end is
 * lost ("circuit-torn-down").
 *
 * **EPS policy "no-future-circuit".** Control packets, and packets whose destination has no
 * circuit now (lit or waiting for delta) and none later in the switch's schedules
 * (OpticalCircuitSwitch::HasFutureCircuit), go to the EPS. Whenever the switch reports a
 * change, every non-empty VOQ whose destination has no circuit now and none later is moved
 * to the EPS queue in order (VoqToEps); so is the current peer's VOQ when the guard holds
 * its head frame and no later circuit reaches that peer. A moved frame that does not fit in
 * the EPS queue is dropped ("voq-to-eps-full").
 *
 * **Faults.** While this port or the destination's port is failed
 * (OpticalCircuitSwitch::FailPort), packets to that destination go to the EPS (any policy but
 * "none"; with "none" they wait in the VOQ), and queued frames move there when the failure
 * starts (counter failoverToEps). With VoqOverflowToEps, a packet that does not fit in
 * its VOQ goes to the EPS instead of being dropped ("voq-full"; TCP then retransmits it).
 *
 * **EPS priority.** With EpsControlPriority (default on) the EPS PHY sends control packets
 * (at most EpsControlMaxBytes) before queued data, like a strict-priority traffic class.
 *
 * **Queues.** The VOQs are internal FIFOs with a byte capacity each (VoqCapacity), not ns-3
 * Queue objects and not exposed through NetDeviceQueueInterface: ns-3's TCP has no
 * small-queue back-pressure, so stopping per-destination device queues would only move the
 * backlog into a traffic-control queue disc (fq_codel by default), whose 5 ms sojourn target
 * drops packets that merely wait for their circuit. Without a NetDeviceQueueInterface,
 * Ipv4AddressHelper installs no queue disc, so the VOQ is the only queue and the one place
 * where waiting, ECN marking and drops happen. Size VoqCapacity above the TCP receive window.
 *
 * **Neighbours.** NeedsArp() is true, but broadcasts are dropped ("broadcast") rather than
 * flooded over circuits: fill the ARP caches with OcsHelper::PopulateArpCaches after
 * assigning addresses (ns-3.37's NeighborCacheHelper works too, but waf-era ns-3 lacks it).
 *
 * **Additions for NIC-level transports** (all off by default; without them the device
 * behaves exactly as described above):
 * - a frame source (SetFrameSource(), OcsFrameSource) that the device pulls packets from
 *   when a PHY is idle and its queues for that PHY are empty; pulled packets are framed,
 *   counted (pulledCircuitPackets, pulledEpsPackets) and traced like queued ones; a pulled
 *   circuit packet always fits before the circuit's known teardown when the guard is on;
 * - SendToPort(): Send() to a switch port without the MAC-address lookups;
 * - EpsCarriesData(): whether the EPS policy sends a full-size data packet to a port over
 *   the EPS (or a failed path sends it there);
 * - PFC: the electrical switch pauses and resumes the EPS data class of this device
 *   (ReceiveEpsPause()); while paused the EPS PHY starts only control frames (the control
 *   queue, with EpsControlPriority) and pulls nothing;
 * - ReceiveErrorModel: an ns-3 ErrorModel applied to every received frame (circuit or EPS),
 *   like PointToPointNetDevice's; a corrupt frame is dropped ("rx-error").
 */
class OcsNetDevice : public NetDevice
{
  public:
    /// Drop reason: the destination's VOQ is full.
    static constexpr const char* DROP_VOQ_FULL = "voq-full";
    /// Drop reason: the circuit went dark while the frame was on the wire.
    static constexpr const char* DROP_CIRCUIT_TORN_DOWN = "circuit-torn-down";
    /// Drop reason: no port has the destination address (or the device is not attached).
    static constexpr const char* DROP_NO_ROUTE = "no-route";
    /// Drop reason: broadcast or multicast destination (never flooded over circuits).
    static constexpr const char* DROP_BROADCAST = "broadcast";
    /// Drop reason: the EPS queue is full.
    static constexpr const char* DROP_EPS_QUEUE_FULL = "eps-queue-full";
    /// Drop reason: the packet is larger than the MTU.
    static constexpr const char* DROP_TOO_BIG = "too-big";
    /// Drop reason: a frame moved from a VOQ to the EPS (no future circuit) found the EPS
    /// queue full.
    static constexpr const char* DROP_VOQ_TO_EPS_FULL = "voq-to-eps-full";
    /// Drop reason: the ReceiveErrorModel corrupted a received frame.
    static constexpr const char* DROP_RX_ERROR = "rx-error";

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    OcsNetDevice();
    ~OcsNetDevice() override;

    OcsNetDevice(const OcsNetDevice&) = delete;
    OcsNetDevice& operator=(const OcsNetDevice&) = delete;

    /**
     * Attach to a switch (set the MAC address first: the switch records it).
     * @param sw the switch
     * @return the port number
     */
    uint32_t Attach(Ptr<OpticalCircuitSwitch> sw);

    /**
     * Attach the second PHY to an electrical switch.
     * @param eps the electrical switch
     * @return the EPS port number
     */
    uint32_t AttachEps(Ptr<ElectricalPacketSwitch> eps);

    /** @return the switch (null if not attached) */
    Ptr<OpticalCircuitSwitch> GetSwitch() const;

    /** @return the electrical switch (null if none) */
    Ptr<ElectricalPacketSwitch> GetEps() const;

    /** @return the switch port (meaningful once attached) */
    uint32_t GetPort() const;

    /** @return the EPS policy */
    Ptr<OcsEpsPolicy> GetEpsPolicy() const;

    /**
     * Install an EPS policy object (e.g. one with attributes of its own); the EpsPolicy
     * attribute creates one from its TypeId.
     * @param policy the policy (null: OcsNoEpsPolicy)
     */
    void SetEpsPolicy(Ptr<OcsEpsPolicy> policy);

    /**
     * @param packet a packet from the upper layer (without the Ethernet header)
     * @return true if it counts as control: at most EpsControlMaxBytes
     */
    bool IsControl(Ptr<const Packet> packet) const;

    /**
     * @param packetBytes size of a packet from the upper layer
     * @return true if the guard is on, this port's circuit is lit and a frame of that packet
     *         started now would not finish before the circuit's known teardown
     */
    bool GuardHolds(uint32_t packetBytes) const;

    /** @return the circuit data rate */
    DataRate GetDataRate() const;

    /** @return the counters */
    OcsDeviceCounters GetCounters() const;

    /**
     * @param port destination port
     * @return bytes queued in its VOQ
     */
    uint64_t GetVoqBytes(uint32_t port) const;

    /**
     * @param port destination port
     * @return packets queued in its VOQ
     */
    uint32_t GetVoqPackets(uint32_t port) const;

    /** @return bytes queued for the EPS (control and data) */
    uint64_t GetEpsQueueBytes() const;

    /** @return packets queued for the EPS (control and data) */
    uint32_t GetEpsQueuePackets() const;

    /** Called by the switch (in this node's context) when circuit state may have changed. */
    void CircuitChanged();

    /**
     * Install a frame source that the device pulls packets from when a PHY is idle (see
     * OcsFrameSource).
     * @param source the source (null: none, the default)
     */
    void SetFrameSource(Ptr<OcsFrameSource> source);

    /** @return the frame source (null if none) */
    Ptr<OcsFrameSource> GetFrameSource() const;

    /** The frame source has something new: try both PHYs (no-op while they are busy). */
    void FrameSourceReady();

    /**
     * @param port a destination port on the switch
     * @return true if there is an EPS and a data packet of MTU size to @p port goes over it:
     *         the EpsPolicy says so now, or the path to @p port has a failed port
     */
    bool EpsCarriesData(uint32_t port) const;

    /**
     * As Send() to the device attached at switch port @p port, without looking up MAC
     * addresses (the EPS policy, queues, counters and traces are those of Send()).
     * @param packet the packet (without the Ethernet header)
     * @param port destination port on the switch (not this device's)
     * @param protocolNumber EtherType
     * @return false if the packet was dropped
     */
    bool SendToPort(Ptr<Packet> packet, uint32_t port, uint16_t protocolNumber);

    /**
     * Called by the electrical switch when a PFC PAUSE (true) or RESUME (false) frame for the
     * EPS data class arrives.
     * @param pause true to stop starting EPS data frames, false to start again
     */
    void ReceiveEpsPause(bool pause);

    /** @return true while a PFC pause holds the EPS data class */
    bool IsEpsPaused() const;

    /**
     * Called by a channel when a frame arrives (circuit or EPS).
     * @param frame the frame, with its Ethernet header
     */
    void Receive(Ptr<Packet> frame);

    /**
     * Called by the electrical switch when a frame arrives over the EPS.
     * @param frame the frame, with its Ethernet header
     */
    void ReceiveFromEps(Ptr<Packet> frame);

    // Implementation of ns3::NetDevice

    /** @param index the interface index assigned by the node */
    void SetIfIndex(const uint32_t index) override;
    /** @return the interface index */
    uint32_t GetIfIndex() const override;
    /** @return the optical circuit switch this port is attached to (null before Attach) */
    Ptr<Channel> GetChannel() const override;
    /** @param address the MAC address (a Mac48Address) */
    void SetAddress(Address address) override;
    /** @return this port's MAC address */
    Address GetAddress() const override;
    /**
     * @param mtu the MTU in bytes (IP packet size, without the Ethernet header)
     * @return true if accepted
     */
    bool SetMtu(const uint16_t mtu) override;
    /** @return the MTU in bytes */
    uint16_t GetMtu() const override;
    /** @return true once the port is attached to a switch (circuits come and go; the link stays up)
     */
    bool IsLinkUp() const override;
    /** @param callback called when the link state changes */
    void AddLinkChangeCallback(Callback<void> callback) override;
    /**
     * @return true so that upper layers may address broadcasts (ARP); the device drops them
     * (drop reason "broadcast"): helpers populate ARP caches statically
     */
    bool IsBroadcast() const override;
    /** @return the broadcast MAC address */
    Address GetBroadcast() const override;
    /** @return true: multicast addresses map to Ethernet group addresses (frames to them are
     * dropped) */
    bool IsMulticast() const override;
    /**
     * @param multicastGroup an IPv4 multicast group
     * @return the matching Ethernet multicast address
     */
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    /**
     * @param addr an IPv6 multicast address
     * @return the matching Ethernet multicast address
     */
    Address GetMulticast(Ipv6Address addr) const override;
    /** @return false: the port reaches many peers through the switch */
    bool IsPointToPoint() const override;
    /** @return false */
    bool IsBridge() const override;
    /**
     * Queue a packet for a destination MAC (its VOQ, or the EPS by policy).
     * @param packet the packet
     * @param dest destination MAC address
     * @param protocolNumber EtherType
     * @return false if the packet was dropped
     */
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    /**
     * As Send, with an explicit source MAC address.
     * @param packet the packet
     * @param source source MAC address
     * @param dest destination MAC address
     * @param protocolNumber EtherType
     * @return false if the packet was dropped
     */
    bool SendFrom(Ptr<Packet> packet,
                  const Address& source,
                  const Address& dest,
                  uint16_t protocolNumber) override;
    /** @return the node this device is installed on */
    Ptr<Node> GetNode() const override;
    /** @param node the node this device is installed on */
    void SetNode(Ptr<Node> node) override;
    /** @return true: IPv4 uses ARP; helpers populate the caches statically (no ARP traffic) */
    bool NeedsArp() const override;
    /** @param cb called for every frame delivered up the stack */
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    /** @param cb promiscuous receive callback */
    void SetPromiscReceiveCallback(PromiscReceiveCallback cb) override;
    /** @return true */
    bool SupportsSendFrom() const override;

    /**
     * TracedCallback signature for drops.
     * @param packet the packet (frame if it had been framed)
     * @param reason one of the DROP_* strings
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, const char* reason);

    /**
     * TracedCallback signature for VOQ enqueue and dequeue.
     * @param port destination port of the VOQ
     * @param packet the frame
     */
    typedef void (*VoqPacketTracedCallback)(uint32_t port, Ptr<const Packet> packet);

    /**
     * TracedCallback signature for VOQ length changes.
     * @param port destination port of the VOQ
     * @param bytes bytes now queued
     */
    typedef void (*VoqLengthTracedCallback)(uint32_t port, uint64_t bytes);

    /**
     * TracedCallback signature for PFC pause state changes of the EPS data class.
     * @param paused true when a PAUSE arrived, false when a RESUME arrived
     */
    typedef void (*EpsPauseTracedCallback)(bool paused);

  protected:
    /** Release references to other objects (ns-3 object teardown). */
    void DoDispose() override;

  private:
    /**
     * Common body of Send and SendFrom.
     * @param packet packet from the upper layer
     * @param source source MAC
     * @param dest destination MAC
     * @param protocolNumber EtherType
     * @return true if queued
     */
    bool DoSend(Ptr<Packet> packet,
                Mac48Address source,
                const Address& dest,
                uint16_t protocolNumber);
    /**
     * Common tail of DoSend and SendToPort: the packet passed the route and size checks.
     * @param packet packet from the upper layer
     * @param source source MAC
     * @param to destination MAC
     * @param port its switch port
     * @param protocolNumber EtherType
     * @param cachedEpsPort find the EPS port in the per-port cache (SendToPort), else by MAC
     *        address (Send, as before)
     * @return true if queued
     */
    bool Enqueue(Ptr<Packet> packet,
                 Mac48Address source,
                 Mac48Address to,
                 uint32_t port,
                 uint16_t protocolNumber,
                 bool cachedEpsPort);
    /**
     * @param port a switch port
     * @return the EPS port of the device at @p port (-1: not on the EPS), from a per-port
     *         cache built on first use
     */
    int32_t EpsPortOf(uint32_t port);
    /**
     * @param port a switch port
     * @return the MAC address of the device at @p port, from a per-port cache
     */
    Mac48Address PortAddress(uint32_t port);
    /**
     * Start a circuit frame (the PHY is READY).
     * @param frame the frame, with its Ethernet header
     * @param peer its peer port
     * @param txTime its serialisation time
     */
    void StartCircuitFrame(Ptr<Packet> frame, uint32_t peer, Time txTime);
    /**
     * Pull a packet for the lit circuit to @p peer from the frame source and start it.
     * @param peer the lit peer
     */
    void PullCircuit(uint32_t peer);
    /**
     * Pull a packet for the EPS from the frame source.
     * @param epsPort receives its EPS destination port
     * @return the frame, with its Ethernet header (null if none)
     */
    Ptr<Packet> PullEps(uint32_t& epsPort);
    /**
     * Count and trace a pulled packet as a packet from the upper layer, and frame it.
     * @param packet the packet
     * @param port its destination port
     * @param protocol its EtherType
     */
    void FramePulled(Ptr<Packet> packet, uint32_t port, uint16_t protocol);
    /**
     * @param packet the IP packet
     * @param port its destination port
     * @return true if there is an EPS and the EPS policy sends the packet over it
     */
    bool UseEps(Ptr<const Packet> packet, uint32_t port) const;
    /** @return true if there is an EPS and the policy lets packets cross it */
    bool EpsAllowed() const;
    /**
     * @param port destination port
     * @return true if the policy moves stranded frames, there is an EPS, @p port is not the
     *         peer of this port's current circuit and the switch knows no later circuit to it
     */
    bool NoCircuitNowOrLater(uint32_t port) const;
    /**
     * @param port destination port
     * @return true if this port or @p port is failed and an EPS can take the traffic
     */
    bool FailedPath(uint32_t port) const;
    /**
     * Append a frame to the EPS queue (control or data class), or drop it if the queue is full.
     * @param frame the frame, with its Ethernet header
     * @param epsPort its EPS destination port
     * @param reason drop reason if it does not fit
     * @param counter drop counter if it does not fit
     * @return true if queued
     */
    bool PushEps(Ptr<Packet> frame, uint32_t epsPort, const char* reason, uint64_t& counter);
    /**
     * Move every frame of VOQ @p port to the EPS queue, in order ("no-future-circuit").
     * @param port destination port
     */
    void MoveVoqToEps(uint32_t port);
    /**
     * @param tid an OcsEpsPolicy subclass with a constructor
     * @throws pmoe::InputError otherwise
     */
    void SetEpsPolicyType(TypeId tid);
    /** @return the TypeId of the EPS policy */
    TypeId GetEpsPolicyType() const;
    /** Mark an IPv4 ECT packet CE. @param packet the IP packet @param protocolNumber EtherType */
    void MarkEcn(Ptr<Packet> packet, uint16_t protocolNumber);
    /**
     * Drop with a reason (trace and counter).
     * @param packet the packet
     * @param reason reason string
     * @param counter the counter to increment
     */
    void Drop(Ptr<const Packet> packet, const char* reason, uint64_t& counter);
    /** Start the next circuit frame if the state machine is READY and the circuit allows. */
    void TryTransmit();
    /** End of a circuit frame. */
    void TransmitComplete();
    /** Start the next EPS frame if the EPS PHY is READY. */
    void TryTransmitEps();
    /** End of an EPS frame. */
    void TransmitEpsComplete();
    /**
     * @param bytes frame size
     * @param rate data rate
     * @return serialisation time, rounded up to a whole ns
     */
    static Time TxTime(uint32_t bytes, const DataRate& rate);

    /** @param rate circuit data rate, > 0 @throws pmoe::InputError otherwise */
    void SetDataRate(DataRate rate);
    /** @param mtu MTU in bytes, 68..65521 @throws pmoe::InputError otherwise */
    void SetMtuAttribute(uint16_t mtu);
    /** @param bytes VOQ capacity, > 0 @throws pmoe::InputError otherwise */
    void SetVoqCapacity(uint64_t bytes);
    /** @return VOQ capacity in bytes */
    uint64_t GetVoqCapacity() const;

    Ptr<Node> m_node;                   //!< the node
    Ptr<OpticalCircuitSwitch> m_switch; //!< the switch
    Ptr<ElectricalPacketSwitch> m_eps;  //!< the electrical switch (optional)
    Mac48Address m_address;             //!< MAC address
    uint32_t m_ifIndex{0};              //!< interface index
    uint16_t m_mtu{9000};               //!< MTU
    uint32_t m_port{0};                 //!< switch port
    uint32_t m_epsPort{0};              //!< EPS port
    DataRate m_dataRate;                //!< circuit data rate
    uint64_t m_voqCapacity{0};          //!< bytes per VOQ
    uint64_t m_epsQueueCapacity{0};     //!< bytes in the EPS queue
    uint64_t m_ecnThreshold{0};         //!< VOQ bytes above which ECT is marked CE
    uint32_t m_epsControlMaxBytes{0};   //!< "control" packet size limit
    bool m_guard{true};                 //!< schedule-aware guard
    bool m_epsControlPriority{true};    //!< control before data on the EPS PHY
    bool m_voqOverflowToEps{false};     //!< a full VOQ overflows to the EPS
    Ptr<OcsEpsPolicy> m_epsPolicy;      //!< EPS policy (null: "none")

    std::vector<OcsPacketFifo> m_voqs; //!< VOQ per destination port
    OcsPacketFifo m_epsQueue;          //!< EPS data queue (tag: EPS destination port)
    OcsPacketFifo m_epsControlQueue;   //!< EPS control queue, with priority (tag: EPS port)
    std::vector<int32_t> m_epsPortOf;  //!< EPS port of each switch port's device (-1: none)

    // NIC-level transports (off by default)
    Ptr<ErrorModel> m_receiveErrorModel;     //!< corrupts received frames (null: none)
    Ptr<OcsFrameSource> m_frameSource;       //!< pulled when a PHY idles (null: none)
    mutable Ptr<Packet> m_probe;             //!< MTU-size packet asked about in EpsCarriesData
    bool m_epsPaused{false};                 //!< PFC pause holds the EPS data class
    std::vector<Mac48Address> m_portAddress; //!< MAC address of each switch port's device

    bool m_txBusy{false};   //!< circuit PHY state (BUSY if true)
    Ptr<Packet> m_txFrame;  //!< frame on the circuit PHY
    uint32_t m_txPeer{0};   //!< its peer
    uint64_t m_txEpoch{0};  //!< circuit epoch at its start
    EventId m_txEvent;      //!< its end
    bool m_epsBusy{false};  //!< EPS PHY state (BUSY if true)
    Ptr<Packet> m_epsFrame; //!< frame on the EPS PHY
    uint32_t m_epsDest{0};  //!< its EPS destination port
    EventId m_epsEvent;     //!< its end

    OcsDeviceCounters m_counters; //!< counters

    NetDevice::ReceiveCallback m_rxCallback;             //!< upper layer
    NetDevice::PromiscReceiveCallback m_promiscCallback; //!< promiscuous upper layer
    TracedCallback<> m_linkChangeCallbacks;              //!< link change callbacks

    TracedCallback<Ptr<const Packet>> m_macTxTrace;                //!< MacTx
    TracedCallback<Ptr<const Packet>> m_macRxTrace;                //!< MacRx
    TracedCallback<Ptr<const Packet>> m_phyTxBeginTrace;           //!< PhyTxBegin
    TracedCallback<Ptr<const Packet>> m_phyTxEndTrace;             //!< PhyTxEnd
    TracedCallback<Ptr<const Packet>> m_phyRxEndTrace;             //!< PhyRxEnd
    TracedCallback<Ptr<const Packet>> m_snifferTrace;              //!< Sniffer
    TracedCallback<Ptr<const Packet>> m_promiscSnifferTrace;       //!< PromiscSniffer
    TracedCallback<Ptr<const Packet>, const char*> m_dropTrace;    //!< Drop
    TracedCallback<uint32_t, Ptr<const Packet>> m_voqEnqueueTrace; //!< VoqEnqueue
    TracedCallback<uint32_t, Ptr<const Packet>> m_voqDequeueTrace; //!< VoqDequeue
    TracedCallback<uint32_t, Ptr<const Packet>> m_voqToEpsTrace;   //!< VoqToEps
    TracedCallback<uint32_t, uint64_t> m_voqLengthTrace;           //!< VoqLength
    TracedCallback<bool> m_epsPauseTrace;                          //!< EpsPause
};

} // namespace ns3

#endif /* OCS_NET_DEVICE_H */
