/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_RDMA_TRANSPORT_H
#define MOE_RDMA_TRANSPORT_H

#include "moe-transport.h"

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
     * @return the number of this GPU's queue pair to @p peer for @p kind
     */
    uint32_t QpnFor(uint32_t peer, uint32_t kind) const;

    /** @return the NIC (null before Start()) */
    Ptr<RdmaNic> GetNic() const;

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

    bool m_sharedQp{false};            //!< one queue pair per peer for both kinds
    Ptr<RdmaNic> m_nic;                //!< the node's NIC
    std::vector<uint64_t> m_posted[2]; //!< per kind, per peer: bytes posted
    std::vector<int64_t> m_peerOfQpn;  //!< peer of each of this transport's QPNs (-1)
    uint64_t m_nextWr{0};              //!< next work request identifier
};

} // namespace ns3

#endif /* MOE_RDMA_TRANSPORT_H */
