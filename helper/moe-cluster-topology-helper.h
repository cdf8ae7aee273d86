/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_CLUSTER_TOPOLOGY_HELPER_H
#define MOE_CLUSTER_TOPOLOGY_HELPER_H

#include "ns3/moe-topology-helper.h"
#include "ns3/ocs-helper.h"
#include "ns3/pmoe-cluster.h"

#include <cstdint>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * Builds a cluster of multi-GPU servers (doc/cluster.rst): S servers of G GPUs, each GPU a
 * node with two devices.
 *
 * - **NIC**: an OcsNetDevice. NIC l of every server is on rail l. The rails of OCS plane p
 *   (pmoe::ClusterShape::RailsOfPlane) share one OpticalCircuitSwitch and one
 *   ElectricalPacketSwitch built by the fabric helper (GetFabricHelper()); the switch port of
 *   NIC l of server s is k x S + s, k the position of rail l in the plane. A rail not on an
 *   OCS plane (l >= ocsNics), and every rail when Install() is asked for an all-electrical
 *   fabric (the ideal baseline), gets its own switches from the electrical helper
 *   (GetElectricalHelper(), configure it with the EPS policy "all"). Every network hop joins
 *   two NICs of one rail, so a plane's electrical switch carries its ACKs and residual.
 * - **NVLink port**: an OcsNetDevice on the server's NVSwitch, an ElectricalPacketSwitch
 *   (non-blocking) built by the NVLink helper (GetNvlinkHelper(), configured with the EPS
 *   policy "all", the NVLink rate and delay).
 *
 * Addresses: GPU g has one IPv4 address, on its NIC (10.(1 + group).0.0/16, one group per
 * plane or electrical rail) and again on its NVLink port (mask 255.0.0.0), so that a GPU's
 * packets carry the same source address whichever device they leave by. ARP caches are
 * static. Every GPU node forwards (IPv4 forwarding) by static host routes to every other
 * GPU, the next hops of pmoe::NextHop() under the forwarding rule: bytes between GPUs of one
 * server take the NVLink and never a NIC.
 */
class MoeClusterTopologyHelper
{
  public:
    /** @return the helper of the OCS planes' devices and switches (configure before Install) */
    OcsHelper& GetFabricHelper();
    /** @return the helper of the electrical rails' devices and switches */
    OcsHelper& GetElectricalHelper();
    /** @return the helper of the NVLink ports and NVSwitches */
    OcsHelper& GetNvlinkHelper();

    /**
     * Build the cluster.
     * @param shape the shape (S >= 1 servers of G GPUs)
     * @param rule the forwarding rule
     * @param allElectrical true: every rail on its own electrical switch (the ideal rail
     *        fabric); false: OCS planes for the rails below ocsNics
     * @return what was built: gpus, devices (NICs) and endpoints in GPU order, the NVLink
     *         ports, the planes' circuit switches and the electrical switches
     * @throws pmoe::InputError on a bad shape or rule, more than 4096 servers or more than
     *         250 NIC groups
     */
    MoeTopology Install(const pmoe::ClusterShape& shape,
                        pmoe::ForwardingRule rule,
                        bool allElectrical);

    /**
     * Assign fixed random variable streams to the switches of every device (NICs and NVLink
     * ports).
     * @param topology a topology built by this helper
     * @param stream first stream index
     * @return the number of streams used
     */
    int64_t AssignStreams(const MoeTopology& topology, int64_t stream);

  private:
    OcsHelper m_fabric;     //!< OCS planes
    OcsHelper m_electrical; //!< electrical rails
    OcsHelper m_nvlink;     //!< NVSwitches
};

} // namespace ns3

#endif /* MOE_CLUSTER_TOPOLOGY_HELPER_H */
