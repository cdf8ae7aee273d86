/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_TOPOLOGY_HELPER_H
#define MOE_TOPOLOGY_HELPER_H

#include "ns3/electrical-packet-switch.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-interface-container.h"
#include "ns3/moe-transport.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/ocs-helper.h"
#include "ns3/optical-circuit-switch.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * What a topology helper built: the GPUs, their fabric devices and addresses, how to reach
 * each GPU, and the switches. The MoE layer logic sees only the endpoints; whatever the
 * shape, GPU i is gpus.Get(i).
 */
struct MoeTopology
{
    NodeContainer gpus;                 //!< one node per GPU, in GPU order
    NetDeviceContainer devices;         //!< the GPUs' fabric devices, in GPU order
    Ipv4InterfaceContainer interfaces;  //!< their IPv4 interfaces, in GPU order
    std::vector<MoeEndpoint> endpoints; //!< how to reach each GPU, in GPU order
    Ptr<OpticalCircuitSwitch> ocs;      //!< the optical circuit switch (one port per GPU)
    Ptr<ElectricalPacketSwitch> eps;    //!< the electrical packet switch (null if none)
    // Clusters of multi-GPU servers (MoeClusterTopologyHelper); empty otherwise.
    NetDeviceContainer nvlinkDevices;              //!< the GPUs' NVLink ports, in GPU order
    std::vector<Ptr<OpticalCircuitSwitch>> planes; //!< circuit switch of each OCS plane
    /// electrical switches of the NIC groups: one per OCS plane, then one per electrical rail
    std::vector<Ptr<ElectricalPacketSwitch>> railEps;
    std::vector<Ptr<ElectricalPacketSwitch>> nvswitches; //!< NVSwitch of each server
};

/**
 * @ingroup photonic-moe
 * Builds the single-switch topology: N GPU nodes, each with one OcsNetDevice on one
 * OpticalCircuitSwitch (port i = GPU i) and, if enabled, on one ElectricalPacketSwitch; the
 * internet stack, one IPv4 subnet and static ARP caches (no ARP broadcast over circuits).
 * Nodes, devices and addresses only: no application, no compute model.
 *
 * The fabric is configured on the OcsHelper it holds (GetFabricHelper()): device, switch and
 * EPS attributes and the EPS policy. The ideal non-blocking electrical baseline is the same
 * topology with the EPS at the host rate and OcsAllEpsPolicy (everything crosses the EPS).
 *
 * @code
 *   MoeTopologyHelper topologyHelper;
 *   topologyHelper.GetFabricHelper().SetDeviceAttribute("DataRate",
 *                                                       DataRateValue(DataRate("400Gbps")));
 *   topologyHelper.GetFabricHelper().EnableEps(DataRate("100Gbps"), NanoSeconds(50),
 *                                              "no-future-circuit");
 *   MoeTopology topology = topologyHelper.Install(16);
 * @endcode
 */
class MoeTopologyHelper
{
  public:
    MoeTopologyHelper();

    /** @return the helper that builds the devices and switches (configure it before Install) */
    OcsHelper& GetFabricHelper();

    /**
     * @param network the GPUs' IPv4 subnet (default 10.1.0.0)
     * @param mask its mask (default 255.255.0.0)
     */
    void SetIpv4Base(Ipv4Address network, Ipv4Mask mask);

    /**
     * Build the topology.
     * @param numGpus N >= 2
     * @return what was built
     * @throws pmoe::InputError on bad fabric attributes or N < 2
     */
    MoeTopology Install(uint32_t numGpus);

    /**
     * Assign fixed random variable streams to the fabric (the switches' reconfiguration
     * jitter).
     * @param topology a topology built by this helper
     * @param stream first stream index
     * @return the number of streams used
     */
    int64_t AssignStreams(const MoeTopology& topology, int64_t stream);

  private:
    OcsHelper m_fabric;    //!< devices, switch and EPS
    Ipv4Address m_network; //!< IPv4 subnet
    Ipv4Mask m_mask;       //!< its mask
};

} // namespace ns3

#endif /* MOE_TOPOLOGY_HELPER_H */
