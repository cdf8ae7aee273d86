/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_RDMA_TRANSPORT_H
#define MOE_RDMA_TRANSPORT_H

#include "moe-transport.h"

#include "ns3/pmoe-cluster.h"
#include "ns3/ptr.h"
#include "ns3/rdma-nic.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * MoE traffic over the NIC-level RDMA transport (RdmaNic): no sockets and no IP. Each
 * Release() posts a send work request (a message) of the newly allowed bytes; received
 * bytes are reported in order as packets arrive.
 *
 * **Queue pairs.** By default one reliable-connection queue pair per peer and traffic kind:
 * GPU i's queue pair (j, kind) sends i's kind-traffic to j and receives j's kind-traffic to
 * i (an RC queue pair is bidirectional; each ordered pair and kind has its own send queue).
 * With SharedQp one queue pair per peer carries both kinds (messages in posting order, each
 * tagged with its kind). Numbers are fixed, so both ends agree without an exchange:
 * QPN = 2 + 2 peer + kind (shared: 2 + peer). The transport uses the node's RdmaNic
 * (RdmaNic::GetOrCreate: an existing one with its attributes, else one with defaults on the
 * node's first OcsNetDevice); one transport per node.
 *
 * **Clusters** (GpusPerServer G > 1, doc/cluster.rst and doc/rdma.rst): RoCE does not
 * forward, so a GPU that is an intermediate hop relays at transport level, as DeepEP does.
 * Each GPU uses two NICs, both found or created per device (RdmaNic::GetOrCreate(device)):
 * one on its rail NIC (the node's first OcsNetDevice) and one on its NVLink port (its second,
 * attached to the server's NVSwitch). Every queue pair carries exactly one flow (origin GPU,
 * final destination GPU, kind), so a relay knows where each in-order byte goes. GPU
 * i = (server s, local a), S servers; kind folded in as for G = 1 (QPN = 2 + 2 key + kind,
 * shared: 2 + key):
 * - rail NIC, key t G + l for every other server t and local l, connected to GPU (t, a)'s key
 *   s G + l. Network-first: it sends i's flow to (t, l) and receives (t, a)'s flow to (s, l),
 *   which i relays over NVLink unless l = a. Rail-aligned: it sends the flow (s, l) -> (t, a)
 *   that i relays (or originates, l = a) and receives (t, l)'s flow to i.
 * - NVLink NIC, key c S + x for every other local c and server x, connected to GPU (s, c)'s
 *   key a S + x. x = s: the intra-server flow between i and (s, c). Otherwise network-first:
 *   it sends the flow (x, a) -> (s, c) that i relays and receives (x, c)'s flow to i;
 *   rail-aligned: it sends i's flow to (x, c) (relayed by (s, c)) and receives (s, c)'s flow
 *   to (x, a), which i relays on its rail.
 * Both ends derive the numbers without an exchange and a NIC holds O(N) queue pairs
 * (2 (S - 1) G and 2 (G - 1) S). A relay forwards a flow's in-order bytes (RxBytes) in chunks,
 * as DeepEP does: once it holds RelayChunk bytes, and when the incoming message ends
 * (ReceiveComplete), it posts them to the flow's next queue pair with
 * RdmaNic::PostSendCoalesced() (they join the last message if none of its packets left yet,
 * so a backlogged hop sends few large messages). The final destination reports them
 * received from the origin. Relaying costs no GPU time here (DeepEP spends SMs on it) and
 * adds no delay beyond the packet times and the chunking.
 *
 * Bytes are reported as sent when they are posted (handed to the NIC). On the OCS fabric the
 * NIC sends each queue pair's data on its circuit while it is lit and over the EPS when the
 * device's EPS policy sends that destination's data there; on the ideal fabric (EPS policy
 * "all") everything crosses the EPS. NotifyPlan() is not needed (the NIC follows the circuits
 * itself) and is ignored.
 */
class MoeRdmaTransport : public MoeTransport
{
  public:
    /// QPN of the first queue pair.
    static constexpr uint32_t FIRST_QPN = 2;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    MoeRdmaTransport();
    ~MoeRdmaTransport() override;

    /** Find or create the node's RdmaNic and create this GPU's queue pairs. */
    void Start() override;

    /**
     * Post the newly allowed bytes of (kind, peer) as one send work request (a message).
     * @param kind MOE_DISPATCH or MOE_COMBINE
     * @param peer destination GPU
     * @param cumulativeBytes bytes allowed since the start
     */
    void Release(uint32_t kind, uint32_t peer, uint64_t cumulativeBytes) override;
    /** @return the counters: the base ones plus the RDMA ones of this transport's queue pairs */
    MoeTransportCounters GetCounters() const override;

    /**
     * @param peer a GPU index
     * @param kind MOE_DISPATCH or MOE_COMBINE
     * @return the number of this GPU's queue pair to @p peer for @p kind (G = 1; a cluster
     *         numbers its queue pairs by key, see the class description)
     */
    uint32_t QpnFor(uint32_t peer, uint32_t kind) const;

    /** @return the NIC: the node's, or in a cluster the rail NIC's (null before Start(), and
     *          in a cluster of one server) */
    Ptr<RdmaNic> GetNic() const;

    /** @return the NIC on the NVLink port (clusters; null otherwise and before Start()) */
    Ptr<RdmaNic> GetNvlinkNic() const;

    /** @return bytes this GPU received as an intermediate hop and posted to the next one */
    uint64_t GetRelayedBytes() const;

  protected:
    /** Disconnect from the NIC's trace and release it. */
    void DoDispose() override;

  private:
    /**
     * In-order bytes from the NIC (RdmaNic::RxBytes).
     * @param qpn the queue pair
     * @param tag the traffic kind
     * @param bytes payload bytes
     */
    void OnRxBytes(uint32_t qpn, uint16_t tag, uint64_t bytes);

    /** What a cluster queue pair's received bytes are for. */
    enum RelayAction : uint8_t
    {
        RELAY_NONE,      //!< no queue pair: unexpected bytes
        RELAY_DELIVER,   //!< this GPU is the destination
        RELAY_TO_RAIL,   //!< forward on the rail NIC
        RELAY_TO_NVLINK, //!< forward on the NVLink NIC
    };

    /** The flow of a cluster queue pair (indexed by key, see the class description). */
    struct RelayRoute
    {
        uint32_t origin{0};             //!< the flow's origin GPU (RELAY_DELIVER)
        uint32_t nextKey{0};            //!< key of the next hop's queue pair (relays)
        uint64_t held[2]{0, 0};         //!< per kind: bytes a relay holds (< RelayChunk)
        RelayAction action{RELAY_NONE}; //!< what to do with its bytes
    };

    /** The first hop of this GPU's flow to a peer (clusters). */
    struct FirstHop
    {
        bool nvlink{false}; //!< on the NVLink NIC (else the rail NIC)
        uint32_t key{0};    //!< the queue pair's key
    };

    /** Start() in a cluster: both NICs, their queue pairs and routes. */
    void StartCluster();
    /**
     * @param key a queue-pair key
     * @param kind the traffic kind
     * @return its QPN
     */
    uint32_t ClusterQpn(uint32_t key, uint32_t kind) const;
    /**
     * In-order bytes of a cluster queue pair: deliver or relay them.
     * @param routes the routes of the NIC they arrived at
     * @param qpn the queue pair
     * @param tag the traffic kind
     * @param bytes payload bytes
     */
    void OnClusterRx(std::vector<RelayRoute>& routes, uint32_t qpn, uint16_t tag, uint64_t bytes);
    /**
     * A message of a cluster queue pair ended: post what its relay holds.
     * @param routes the routes of the NIC it arrived at
     * @param qpn the queue pair
     * @param tag the traffic kind
     */
    void OnClusterMessageEnd(std::vector<RelayRoute>& routes, uint32_t qpn, uint16_t tag);
    /**
     * Post the bytes a relay holds for one kind to the next hop.
     * @param r the route
     * @param kind the traffic kind
     */
    void Forward(RelayRoute& r, uint16_t kind);
    /**
     * A message ended at the rail NIC (clusters).
     * @param qpn the queue pair
     * @param tag the traffic kind
     * @param bytes message size
     */
    void OnRailMessageEnd(uint32_t qpn, uint16_t tag, uint64_t bytes);
    /**
     * A message ended at the NVLink NIC (clusters).
     * @param qpn the queue pair
     * @param tag the traffic kind
     * @param bytes message size
     */
    void OnNvlinkMessageEnd(uint32_t qpn, uint16_t tag, uint64_t bytes);
    /**
     * In-order bytes from the rail NIC (clusters).
     * @param qpn the queue pair
     * @param tag the traffic kind
     * @param bytes payload bytes
     */
    void OnRailRxBytes(uint32_t qpn, uint16_t tag, uint64_t bytes);
    /**
     * In-order bytes from the NVLink NIC (clusters).
     * @param qpn the queue pair
     * @param tag the traffic kind
     * @param bytes payload bytes
     */
    void OnNvlinkRxBytes(uint32_t qpn, uint16_t tag, uint64_t bytes);

    bool m_sharedQp{false};            //!< one queue pair per peer for both kinds
    Ptr<RdmaNic> m_nic;                //!< the node's NIC
    std::vector<uint64_t> m_posted[2]; //!< per kind, per peer: bytes posted
    std::vector<int64_t> m_peerOfQpn;  //!< peer of each of this transport's QPNs (-1)
    uint64_t m_nextWr{0};              //!< next work request identifier
    uint32_t m_gpusPerServer{1};       //!< G (1: no relaying, the node's NIC)
    pmoe::ForwardingRule m_forwarding{pmoe::ForwardingRule::RAIL_ALIGNED}; //!< cluster rule
    Ptr<RdmaNic> m_nvlinkNic;               //!< the NVLink port's NIC (clusters)
    std::vector<RelayRoute> m_railRoutes;   //!< rail NIC queue pairs by key (clusters)
    std::vector<RelayRoute> m_nvlinkRoutes; //!< NVLink NIC queue pairs by key (clusters)
    std::vector<FirstHop> m_firstHop;       //!< per peer (clusters)
    uint64_t m_relayedBytes{0};             //!< bytes relayed to a next hop
    uint64_t m_relayChunk{65536};           //!< a relay posts once it holds this many bytes
};

} // namespace ns3

#endif /* MOE_RDMA_TRANSPORT_H */
