/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef ELECTRICAL_PACKET_SWITCH_H
#define ELECTRICAL_PACKET_SWITCH_H

#include "ocs-packet-fifo.h"
#include "ocs-port-table.h"

#include "ns3/channel.h"
#include "ns3/data-rate.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class NetDevice;
class OcsNetDevice;

/**
 * @ingroup photonic-moe
 * Counters of an ElectricalPacketSwitch.
 */
struct EpsCounters
{
    uint64_t framesIn{0};        //!< frames that reached the switch
    uint64_t framesForwarded{0}; //!< frames sent out of an egress port
    uint64_t bytesForwarded{0};  //!< their bytes
    uint64_t dropEgressFull{0};  //!< frames dropped "eps-egress-full"
    uint64_t controlFirst{0};    //!< control frames sent ahead of queued data (priority)
};

/**
 * @ingroup photonic-moe
 * The optional electrical packet-switched fabric (EPS): a non-blocking, output-queued,
 * store-and-forward switch, used as a second PHY by OcsNetDevice.
 *
 * A frame leaves the host's EPS PHY after its serialisation at DataRate (the host side is
 * modelled in OcsNetDevice, with its own FIFO); it reaches the switch Delay + SwitchLatency
 * later, joins the FIFO of its egress port (dropped "eps-egress-full" if the FIFO would exceed
 * EgressQueueCapacity bytes), is serialised again at DataRate, and arrives at the destination
 * device Delay after that. Unloaded one-way latency: 2 x (frame / DataRate) + 2 x Delay +
 * SwitchLatency. Ingress ports never block one another; contention happens only at egress.
 * With EpsPolicy "all" and DataRate equal to the circuit rate it is the ideal non-blocking
 * electrical fabric baseline.
 *
 * **Priority.** With ControlPriority (default on) each egress port has two classes, as a
 * datacenter switch with a priority queue for small control traffic: frames of at most
 * ControlMaxFrameBytes (TCP pure ACKs, SYN, FIN) are served before data frames (strict
 * priority, non-preemptive: a frame being serialised finishes). Both classes share the
 * egress capacity. Off: one FIFO.
 */
class ElectricalPacketSwitch : public Channel
{
  public:
    /// Drop reason: the egress FIFO is full.
    static constexpr const char* DROP_EGRESS_FULL = "eps-egress-full";

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    ElectricalPacketSwitch();
    ~ElectricalPacketSwitch() override;

    ElectricalPacketSwitch(const ElectricalPacketSwitch&) = delete;
    ElectricalPacketSwitch& operator=(const ElectricalPacketSwitch&) = delete;

    // Channel
    /** @return the number of attached devices (ports) */
    std::size_t GetNDevices() const override;
    /**
     * @param i port index
     * @return the device attached at port i
     */
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

    /**
     * Attach a device (called by OcsNetDevice::AttachEps); its MAC address is recorded.
     * @param device the device
     * @return its EPS port
     * @throws pmoe::InputError if the MAC address is already attached
     */
    uint32_t Attach(Ptr<OcsNetDevice> device);

    /**
     * @param address MAC address
     * @return its EPS port, or -1 if none
     */
    int32_t GetPortOfAddress(Mac48Address address) const;

    /** @return the per-port data rate */
    DataRate GetDataRate() const;

    /** @return the link propagation delay */
    Time GetDelay() const;

    /** @return the forwarding latency inside the switch */
    Time GetSwitchLatency() const;

    /** @return bytes each egress FIFO holds */
    uint64_t GetEgressQueueCapacity() const;

    /** @return the counters */
    EpsCounters GetCounters() const;

    /**
     * @param port egress port
     * @return bytes queued at the egress port
     */
    uint64_t GetEgressBytes(uint32_t port) const;

    /**
     * Called by a device when a frame has left its EPS PHY.
     * @param frame the frame
     * @param srcPort the sender's EPS port
     * @param dstPort the destination EPS port
     */
    void Transmit(Ptr<Packet> frame, uint32_t srcPort, uint32_t dstPort);

    /**
     * TracedCallback signature for egress drops.
     * @param packet the frame
     * @param port the egress port
     * @param reason the reason
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, uint32_t port, const char* reason);

  protected:
    /** Release references to other objects (ns-3 object teardown). */
    void DoDispose() override;

  private:
    /** One egress port. */
    struct Egress
    {
        OcsPacketFifo queue;   //!< data frames waiting (FIFO of everything without priority)
        OcsPacketFifo control; //!< control frames waiting (priority class)
        Ptr<Packet> txFrame;   //!< frame being serialised (null when idle)

        /** @return bytes held: both classes and the frame being serialised */
        uint64_t Bytes() const
        {
            return queue.GetNBytes() + control.GetNBytes() + (txFrame ? txFrame->GetSize() : 0);
        }
    };

    /**
     * A frame reaches the switch.
     * @param frame the frame
     * @param dstPort its egress port
     */
    void ArriveAtSwitch(Ptr<Packet> frame, uint32_t dstPort);
    /** Start serialising the next frame of an egress port. @param port the egress port */
    void StartEgress(uint32_t port);
    /** End of an egress serialisation. @param port the egress port */
    void EgressComplete(uint32_t port);

    /** @param rate > 0 @throws pmoe::InputError otherwise */
    void SetDataRate(DataRate rate);
    /** @param delay >= 0 @throws pmoe::InputError otherwise */
    void SetDelay(Time delay);
    /** @param latency >= 0 @throws pmoe::InputError otherwise */
    void SetSwitchLatency(Time latency);
    /** @param bytes > 0 @throws pmoe::InputError otherwise */
    void SetEgressQueueCapacity(uint64_t bytes);

    OcsPortTable m_attached;              //!< attached devices and the MAC-to-port table
    std::vector<Egress> m_egress;         //!< egress ports
    DataRate m_rate;                      //!< per-port data rate
    Time m_delay;                         //!< link propagation delay
    Time m_switchLatency;                 //!< forwarding latency inside the switch
    uint64_t m_egressCapacity{0};         //!< bytes per egress FIFO
    bool m_controlPriority{true};         //!< strict priority for control frames
    uint32_t m_controlMaxFrameBytes{142}; //!< largest control frame (bytes)
    EpsCounters m_counters;               //!< counters
    TracedCallback<Ptr<const Packet>, uint32_t, const char*> m_dropTrace; //!< Drop
};

} // namespace ns3

#endif /* ELECTRICAL_PACKET_SWITCH_H */
