/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-topology-helper.h"

#include "ns3/internet-stack-helper.h"
#include "ns3/pmoe-units.h"

namespace ns3
{

MoeTopologyHelper::MoeTopologyHelper()
    : m_network("10.1.0.0"),
      m_mask("255.255.0.0")
{
}

OcsHelper&
MoeTopologyHelper::GetFabricHelper()
{
    return m_fabric;
}

void
MoeTopologyHelper::SetIpv4Base(Ipv4Address network, Ipv4Mask mask)
{
    m_network = network;
    m_mask = mask;
}

MoeTopology
MoeTopologyHelper::Install(uint32_t numGpus)
{
    if (numGpus < 2)
    {
        throw pmoe::InputError("MoeTopologyHelper::Install: needs at least 2 GPUs, got " +
                               std::to_string(numGpus));
    }
    MoeTopology t;
    t.gpus.Create(numGpus);
    t.devices = m_fabric.Install(t.gpus);
    t.ocs = m_fabric.GetSwitch();
    t.eps = m_fabric.GetEps();
    InternetStackHelper internet;
    internet.Install(t.gpus);
    Ipv4AddressHelper ip(m_network, m_mask);
    t.interfaces = ip.Assign(t.devices);
    OcsHelper::PopulateArpCaches(t.devices); // no ARP broadcasts over circuits
    for (uint32_t g = 0; g < numGpus; ++g)
    {
        t.endpoints.push_back({t.gpus.Get(g), t.interfaces.GetAddress(g)});
    }
    return t;
}

int64_t
MoeTopologyHelper::AssignStreams(const MoeTopology& topology, int64_t stream)
{
    return m_fabric.AssignStreams(topology.devices, stream);
}

} // namespace ns3
