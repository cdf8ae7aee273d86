/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RDMA_NIC_HELPER_H
#define RDMA_NIC_HELPER_H

#include "ns3/attribute.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <string>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * Installs an RdmaNic on each node's OcsNetDevice (the NIC aggregates itself to the node), or
 * on each of a set of devices (InstallOnDevices(): a cluster GPU's NIC and NVLink port), with
 * the NIC attributes and the DCQCN parameters set here. MoeRdmaTransport uses the node's NIC
 * (or, in a cluster, the NICs of the GPU's two devices), and creates one with default
 * attributes if there is none.
 *
 * @code
 *   RdmaNicHelper rdma;
 *   rdma.SetNicAttribute("AckInterval", UintegerValue(4));
 *   rdma.SetDcqcnAttribute("RateAi", DataRateValue(DataRate("40Mbps")));
 *   rdma.Install(topology.gpus);
 * @endcode
 */
class RdmaNicHelper
{
  public:
    RdmaNicHelper();

    /**
     * @param name an RdmaNic attribute
     * @param value its value
     */
    void SetNicAttribute(const std::string& name, const AttributeValue& value);

    /**
     * @param name an RdmaDcqcn attribute (each NIC gets its own parameter object)
     * @param value its value
     */
    void SetDcqcnAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Create a NIC per node and attach it to the node's OcsNetDevice.
     * @param nodes nodes with one OcsNetDevice each and no RdmaNic yet
     * @throws pmoe::InputError on a node without an OcsNetDevice, a node with a NIC already,
     *         or invalid attributes
     */
    void Install(const NodeContainer& nodes) const;

    /**
     * Create a NIC per device and attach it to that device without aggregating it to the
     * node (RdmaNic::AttachToDevice): a node may have several, e.g. a cluster GPU's NIC and
     * NVLink port. MoeRdmaTransport finds them with RdmaNic::Find().
     * @param devices OcsNetDevices installed on nodes, attached to switches, without a frame
     *        source yet
     * @throws pmoe::InputError on a device that is not an OcsNetDevice, one with a frame
     *         source already, or invalid attributes
     */
    void InstallOnDevices(const NetDeviceContainer& devices) const;

  private:
    ObjectFactory m_nic;   //!< RdmaNic factory
    ObjectFactory m_dcqcn; //!< RdmaDcqcn factory
};

} // namespace ns3

#endif /* RDMA_NIC_HELPER_H */
