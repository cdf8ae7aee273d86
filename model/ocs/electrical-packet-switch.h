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
#include "ns3/random-variable-stream.h"
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
    uint64_t ecnMarked{0};       //!< frames marked CE (EcnMarking: RDMA header or IPv4)
    uint64_t pauseFrames{0};     //!< PFC PAUSE frames sent to hosts (PfcEnabled)
    uint64_t resumeFrames{0};    //!< PFC RESUME frames sent to hosts
    uint64_t dropPfcHeadroom{0}; //!< frames dropped "pfc-headroom-exceeded"
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
 *
 * **ECN marking** (EcnMarking, off by default): RED-like marking on the instantaneous egress
 * queue, as DCQCN specifies for the switch. A frame arriving at an egress port that holds q
 * bytes (both classes and the frame being serialised) is marked with probability 0 if
 * q <= EcnKmin, EcnPmax (q - EcnKmin) / (EcnKmax - EcnKmin) if EcnKmin < q <= EcnKmax, and
 * 1 if q > EcnKmax. Marking sets CE in an ECN-capable RDMA header (EtherType 0x8915,
 * RdmaHeader) or IPv4 header (ECT(0) or ECT(1); for DCTCP); other frames are left alone.
 * The draw uses a seeded stream (AssignStreams()).
 *
 * **PFC** (PfcEnabled, off by default): a lossless EPS. The switch counts, per ingress port,
 * the bytes of that port's frames it holds (queued or being serialised). When they exceed
 * PfcXoff it sends a PAUSE to that port's host, and a RESUME when they fall to PfcXon or
 * below; the host's EPS PHY then stops and restarts starting data frames (control frames keep
 * flowing: OcsNetDevice::ReceiveEpsPause). A PAUSE or RESUME reaches the host after the frame
 * the switch is serialising towards it ends, its own 64-byte serialisation and Delay (it does
 * not otherwise occupy the link). With PFC the egress FIFO capacity does not apply (the
 * traffic class is lossless); a frame is dropped ("pfc-headroom-exceeded") only if its
 * ingress port already holds PfcXoff + PfcHeadroom bytes, which the automatic headroom rules
 * out (see the PfcHeadroom attribute).
 */
class ElectricalPacketSwitch : public Channel
{
  public:
    /// Drop reason: the egress FIFO is full.
    static constexpr const char* DROP_EGRESS_FULL = "eps-egress-full";
    /// Drop reason: PFC on, and the frame's ingress port has used its headroom.
    static constexpr const char* DROP_PFC_HEADROOM = "pfc-headroom-exceeded";
    /// Size of a PFC frame in bytes (minimum Ethernet frame).
    static constexpr uint32_t PFC_FRAME_BYTES = 64;

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
     * @param port an ingress port
     * @return bytes of its frames the switch holds (counted while PFC is enabled)
     */
    uint64_t GetIngressBytes(uint32_t port) const;

    /** @return the PFC headroom per ingress port in bytes (PfcHeadroom, or the automatic one) */
    uint64_t GetPfcHeadroom() const;

    /**
     * Assign a fixed random variable stream to the ECN marking draws (only while EcnMarking
     * is on; otherwise the switch draws nothing).
     * @param stream first stream index
     * @return number of streams used (1 with EcnMarking, else 0)
     */
    int64_t AssignStreams(int64_t stream);

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

    /**
     * TracedCallback signature for ECN marks.
     * @param packet the frame
     * @param port the egress port
     */
    typedef void (*EcnMarkTracedCallback)(Ptr<const Packet> packet, uint32_t port);

    /**
     * TracedCallback signature for PFC frames.
     * @param port the port whose host is paused or resumed
     * @param pause true for PAUSE, false for RESUME
     */
    typedef void (*PfcTracedCallback)(uint32_t port, bool pause);

  protected:
    /** Release references to other objects (ns-3 object teardown). */
    void DoDispose() override;

  private:
    /** One egress port. */
    struct Egress
    {
        OcsPacketFifo queue;   //!< data frames waiting (FIFO of everything without priority)
        OcsPacketFifo control; //!< control frames waiting (priority class; tags: ingress port)
        Ptr<Packet> txFrame;   //!< frame being serialised (null when idle)
        uint32_t txIngress{0}; //!< its ingress port
        Time txEnd;            //!< when its serialisation ends

        /** @return bytes held: both classes and the frame being serialised */
        uint64_t Bytes() const
        {
            return queue.GetNBytes() + control.GetNBytes() + (txFrame ? txFrame->GetSize() : 0);
        }
    };

    /**
     * A frame reaches the switch.
     * @param frame the frame
     * @param srcPort its ingress port
     * @param dstPort its egress port
     */
    void ArriveAtSwitch(Ptr<Packet> frame, uint32_t srcPort, uint32_t dstPort);
    /**
     * RED-like ECN marking of a frame joining an egress port.
     * @param frame the frame
     * @param queueBytes bytes the egress port holds
     * @param port the egress port
     */
    void MarkEcn(Ptr<Packet> frame, uint64_t queueBytes, uint32_t port);

    /**
     * The control priority class: frames of at most ControlMaxFrameBytes, except RDMA data
     * packets, which stay in the data class whatever their size (the short last packet of a
     * message must not overtake its queue pair's earlier packets).
     * @param frame the frame, with its Ethernet header
     * @return true if the frame goes to the control queue (when ControlPriority is on)
     */
    bool IsControlFrame(Ptr<const Packet> frame) const;
    /**
     * Send a PFC PAUSE or RESUME to the host of @p port.
     * @param port the ingress port
     * @param pause PAUSE (true) or RESUME (false)
     */
    void SendPfc(uint32_t port, bool pause);
    /**
     * Check the ECN and PFC thresholds against one another.
     * @throws pmoe::InputError naming the values if EcnKmin > EcnKmax or PfcXon > PfcXoff
     */
    void CheckThresholds() const;
    /**
     * Set one of the ECN or PFC thresholds; once a device is attached (attributes are set one
     * by one before), check them against one another and keep the old value on failure.
     * @param field the threshold
     * @param bytes its new value
     * @throws pmoe::InputError as CheckThresholds()
     */
    void SetThreshold(uint64_t& field, uint64_t bytes);
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
    /** @param on ECN marking on or off */
    void SetEcnMarking(bool on);
    /** @return true if ECN marking is on */
    bool GetEcnMarking() const;
    /** @param bytes Kmin @throws pmoe::InputError if above Kmax once attached */
    void SetEcnKmin(uint64_t bytes);
    /** @return Kmin */
    uint64_t GetEcnKmin() const;
    /** @param bytes Kmax @throws pmoe::InputError if below Kmin once attached */
    void SetEcnKmax(uint64_t bytes);
    /** @return Kmax */
    uint64_t GetEcnKmax() const;
    /** @param p Pmax in [0, 1] @throws pmoe::InputError otherwise */
    void SetEcnPmax(double p);
    /** @return Pmax */
    double GetEcnPmax() const;
    /** @param bytes XOFF @throws pmoe::InputError if below XON once attached */
    void SetPfcXoff(uint64_t bytes);
    /** @return XOFF */
    uint64_t GetPfcXoff() const;
    /** @param bytes XON @throws pmoe::InputError if above XOFF once attached */
    void SetPfcXon(uint64_t bytes);
    /** @return XON */
    uint64_t GetPfcXon() const;

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

    bool m_ecn{false};                    //!< ECN marking on
    uint64_t m_ecnKmin{5000};             //!< Kmin (bytes)
    uint64_t m_ecnKmax{200000};           //!< Kmax (bytes)
    double m_ecnPmax{0.01};               //!< Pmax
    Ptr<UniformRandomVariable> m_ecnRng;  //!< marking draws (created when marking is on)
    int64_t m_ecnStream{-1};              //!< stream given by AssignStreams (-1: automatic)
    bool m_pfc{false};                    //!< PFC on
    uint64_t m_pfcXoff{0};                //!< XOFF (bytes per ingress port)
    uint64_t m_pfcXon{0};                 //!< XON (bytes per ingress port)
    uint64_t m_pfcHeadroom{0};            //!< headroom (bytes; 0: automatic)
    mutable uint64_t m_autoHeadroom{0};   //!< automatic headroom (0: not computed yet)
    std::vector<uint64_t> m_ingressBytes; //!< per ingress port: bytes held (PFC)
    std::vector<uint8_t> m_paused;        //!< per ingress port: PAUSE sent, no RESUME yet
    TracedCallback<Ptr<const Packet>, uint32_t> m_ecnMarkTrace; //!< EcnMark
    TracedCallback<uint32_t, bool> m_pfcTrace;                  //!< Pfc
};

} // namespace ns3

#endif /* ELECTRICAL_PACKET_SWITCH_H */
