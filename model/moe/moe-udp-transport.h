/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_UDP_TRANSPORT_H
#define MOE_UDP_TRANSPORT_H

#include "moe-transport.h"

#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/ocs-net-device.h"
#include "ns3/socket.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * MoE traffic as UDP datagrams paced by the sender at the NIC rate (no congestion control,
 * no retransmission: the fabric must not drop). Dispatch goes to port 5000 and combine to
 * port 5001 of the peer.
 *
 * A paced sender serves the 2N (kind, peer) streams round-robin, one datagram of at most
 * PayloadSize bytes per slot; the slot length is the datagram's frame time at its rate (IP,
 * UDP and Ethernet headers included). On the OCS fabric it knows the circuit windows from the
 * plans (NotifyPlan): a datagram is not started on a circuit whose window ends before it and
 * one queued ahead of it could finish; that stream waits for the window's end (its bytes then
 * cross the electrical fabric, or wait for the next circuit).
 *
 * **Two pacers beside the OCS.** A hybrid host has two PHYs: the circuit port at Rate and the
 * electrical (EPS) port at the EPS rate. Once plans arrive (OCS fabric, one GPU per port),
 * streams whose destination the device's EPS policy sends over the EPS now
 * (OcsNetDevice::EpsCarriesData) are paced by a second sender at the EPS port's rate, the
 * others by the circuit sender at Rate, so that electrical residual neither takes slots of
 * circuit traffic nor floods the EPS queue at the circuit rate. SeparateEpsPacing = false
 * restores one sender for both (the behaviour before 2026-12). Without plans (the ideal
 * fabric, clusters) there is one sender at Rate.
 */
class MoeUdpTransport : public MoeTransport
{
  public:
    /// UDP port of dispatch datagrams.
    static constexpr uint16_t DISPATCH_PORT = 5000;
    /// UDP port of combine datagrams.
    static constexpr uint16_t COMBINE_PORT = 5001;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    MoeUdpTransport();
    ~MoeUdpTransport() override;

    void Start() override;
    void Stop() override;
    void Release(uint32_t kind, uint32_t peer, uint64_t cumulativeBytes) override;
    void NotifyPlan(const CircuitPlan& plan) override;

  protected:
    /** Release references to other objects (ns-3 object teardown). */
    void DoDispose() override;

  private:
    /// The two senders: circuit (or the only one) and EPS.
    enum Pacer : uint32_t
    {
        CIRCUIT_PACER = 0, //!< circuit traffic, or all traffic with one sender
        EPS_PACER = 1,     //!< traffic the device sends over the EPS now
    };

    /**
     * Run one sender (SendNext), then the other one if there are two.
     * @param pacer CIRCUIT_PACER or EPS_PACER
     */
    void Pump(uint32_t pacer);
    /**
     * Send the next paced datagram of one sender, or schedule its wake at a window's end
     * (returns at once while the sender's slot runs).
     * @param pacer CIRCUIT_PACER or EPS_PACER
     */
    void SendNext(uint32_t pacer);
    /**
     * @param dst destination GPU
     * @return the sender of @p dst's streams now (two senders only)
     */
    uint32_t PacerOf(uint32_t dst) const;
    /** Find this GPU's OCS device and the ports of its peers (first plan only). */
    void FindEpsPorts();
    /**
     * End-of-window guard: is a circuit to @p dst lit now but ending too soon for a
     * datagram of @p bytes started now (and one queued ahead of it) to finish?
     * @param dst destination
     * @param bytes datagram payload
     * @param end set to the window's end if true
     * @return true if the datagram should wait until @p end
     */
    bool WindowEndsSoon(uint32_t dst, uint32_t bytes, Time& end) const;
    /** @param s a receiving socket */
    void HandleRead(Ptr<Socket> s);

    uint32_t m_payload{8972};     //!< datagram payload bytes
    DataRate m_rate;              //!< pacing rate (circuit sender)
    bool m_separateEps{true};     //!< SeparateEpsPacing attribute
    Ptr<OcsNetDevice> m_device;   //!< this GPU's OCS device (two senders), or null
    DataRate m_epsRate;           //!< pacing rate of the EPS sender (the EPS port's)
    std::vector<uint32_t> m_port; //!< switch port of each GPU (two senders)

    Ptr<Socket> m_listen[2];            //!< receiving sockets, per kind
    Ptr<Socket> m_socket;               //!< sending socket
    std::vector<uint64_t> m_allowed[2]; //!< per kind, per peer: bytes allowed
    std::vector<uint64_t> m_written[2]; //!< per kind, per peer: bytes sent
    EventId m_event[2];                 //!< per sender: next paced datagram
    uint32_t m_next[2]{0, 0};           //!< per sender: round-robin position
    /// per destination: lit windows [start, end) of this GPU's circuits to it
    std::vector<std::vector<std::pair<Time, Time>>> m_windows;
};

} // namespace ns3

#endif /* MOE_UDP_TRANSPORT_H */
