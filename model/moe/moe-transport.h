/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_TRANSPORT_H
#define MOE_TRANSPORT_H

#include "ns3/callback.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <vector>

namespace ns3
{

struct CircuitPlan;

/**
 * @ingroup photonic-moe
 * The two kinds of MoE traffic a GPU sends.
 */
enum MoeTrafficKind : uint32_t
{
    MOE_DISPATCH = 0, //!< tokens to the GPUs holding their experts
    MOE_COMBINE = 1   //!< expert outputs back to the tokens' GPUs
};

/**
 * @ingroup photonic-moe
 * How a transport reaches one GPU of the layer.
 */
struct MoeEndpoint
{
    Ptr<Node> node;      //!< the GPU's node
    Ipv4Address address; //!< its IPv4 address on the fabric (IP transports)
};

/**
 * @ingroup photonic-moe
 * Counters of a transport (all peers, both kinds).
 */
struct MoeTransportCounters
{
    uint64_t timeouts{0};        //!< retransmission timeouts (TCP: entries to CA_LOSS)
    uint64_t fastRecoveries{0};  //!< fast recoveries (TCP: entries to CA_RECOVERY)
    uint64_t unexpectedBytes{0}; //!< bytes received from an unknown sender

    // RDMA (MoeRdmaTransport); zero for the other transports
    uint64_t retransmittedPackets{0}; //!< data packets sent again (go-back-N)
    uint64_t naks{0};                 //!< NAKs that rewound a sender
    uint64_t cnps{0};                 //!< CNPs received
    uint64_t rateCuts{0};             //!< DCQCN rate cuts
    uint64_t pauseFrames{0};          //!< PFC PAUSE frames received by the host's EPS PHY
    uint64_t relayedBytes{0};         //!< bytes this GPU relayed (RDMA in a cluster)
};

/**
 * @ingroup photonic-moe
 * The transport a MoeGpuApplication sends its dispatch and combine bytes with: the one seam
 * between the MoE layer logic and the network.
 *
 * The application says how many bytes of each (kind, peer) stream it allows so far
 * (Release(), cumulative and never decreasing: bytes produced by the layer and allowed by
 * the circuit plan); the transport moves them when it can and reports every byte it hands to
 * the network (sent callback) and every byte that arrives, in order per stream (receive
 * callback). A transport never invents or reorders bytes within a (kind, peer) stream, so the
 * application can attribute them to layers by counting.
 *
 * Implementations: MoeTcpTransport (one TCP connection per ordered pair and kind),
 * MoeSharedTcpTransport (one TCP connection per unordered pair: dispatch one way, combine
 * back), MoeUdpTransport (datagrams paced at the NIC rate, aware of the circuit windows).
 * A new transport (e.g. a NIC-level RDMA engine) subclasses this class and is installed with
 * MoeGpuApplicationHelper::SetTransport().
 */
class MoeTransport : public Object
{
  public:
    /**
     * Bytes of a stream: (kind, peer GPU index, bytes).
     */
    typedef Callback<void, uint32_t, uint32_t, uint64_t> BytesCallback;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    MoeTransport();
    ~MoeTransport() override;

    /**
     * Bind the transport to its GPU (before Start()).
     * @param self this GPU's index
     * @param endpoints every GPU of the layer, by index (including this one)
     * @param sent called for bytes handed to the network
     * @param received called for bytes that arrived
     */
    void Setup(uint32_t self,
               std::vector<MoeEndpoint> endpoints,
               BytesCallback sent,
               BytesCallback received);

    /** Open connections and sockets (the application starts). */
    virtual void Start() = 0;

    /** Stop sending (the application stops). */
    virtual void Stop();

    /**
     * The application allows @p cumulativeBytes of the (kind, peer) stream so far.
     * @param kind MOE_DISPATCH or MOE_COMBINE
     * @param peer destination GPU (not this one)
     * @param cumulativeBytes bytes allowed since the start, never less than before
     */
    virtual void Release(uint32_t kind, uint32_t peer, uint64_t cumulativeBytes) = 0;

    /**
     * A circuit plan reached this GPU (OCS fabric). Transports that pace or hold traffic to
     * the circuits read it; the default ignores it.
     * @param plan the plan
     */
    virtual void NotifyPlan(const CircuitPlan& plan);

    /** @return the counters */
    virtual MoeTransportCounters GetCounters() const;

    /** @return this GPU's index */
    uint32_t GetSelf() const;

    /** @return number of GPUs */
    uint32_t GetNGpus() const;

  protected:
    /** Release references to other objects (ns-3 object teardown). */
    void DoDispose() override;

    /**
     * @param peer a GPU index
     * @return its endpoint
     */
    const MoeEndpoint& GetEndpoint(uint32_t peer) const;

    /**
     * @param address an IPv4 address
     * @return the GPU with that address, or -1
     */
    int64_t FindPeer(Ipv4Address address) const;

    /**
     * Report bytes handed to the network.
     * @param kind traffic kind
     * @param peer destination
     * @param bytes bytes
     */
    void NotifySent(uint32_t kind, uint32_t peer, uint64_t bytes) const;

    /**
     * Report bytes that arrived.
     * @param kind traffic kind
     * @param peer source
     * @param bytes bytes
     */
    void NotifyReceived(uint32_t kind, uint32_t peer, uint64_t bytes) const;

    MoeTransportCounters m_counters; //!< counters (subclasses update them)

  private:
    uint32_t m_self{0};                   //!< this GPU
    std::vector<MoeEndpoint> m_endpoints; //!< every GPU
    BytesCallback m_sent;                 //!< sent callback
    BytesCallback m_received;             //!< receive callback
};

} // namespace ns3

#endif /* MOE_TRANSPORT_H */
