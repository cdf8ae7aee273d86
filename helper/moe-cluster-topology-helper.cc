/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-cluster-topology-helper.h"

#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/pmoe-units.h"

#include <vector>

namespace ns3
{

namespace
{

/// Most servers (a bound on the routes and ARP entries a run builds: N per GPU node).
constexpr uint32_t kMaxServers = 4096;

/// Most NIC groups (planes plus electrical rails): subnets 10.1.0.0/16 to 10.250.0.0/16.
constexpr uint32_t kMaxGroups = 250;

} // namespace

OcsHelper&
MoeClusterTopologyHelper::GetFabricHelper()
{
    return m_fabric;
}

OcsHelper&
MoeClusterTopologyHelper::GetElectricalHelper()
{
    return m_electrical;
}

OcsHelper&
MoeClusterTopologyHelper::GetNvlinkHelper()
{
    return m_nvlink;
}

MoeTopology
MoeClusterTopologyHelper::Install(const pmoe::ClusterShape& shape,
                                  pmoe::ForwardingRule rule,
                                  bool allElectrical)
{
    shape.Validate(rule);
    const uint32_t servers = shape.servers;
    const uint32_t g = shape.gpusPerServer;
    const uint32_t n = shape.Gpus();
    if (servers > kMaxServers)
    {
        throw pmoe::InputError("MoeClusterTopologyHelper: at most " + std::to_string(kMaxServers) +
                               " servers, got " + std::to_string(servers));
    }
    // NIC groups: the rails of each OCS plane, then each electrical rail on its own.
    std::vector<std::vector<uint32_t>> groups;
    std::vector<bool> groupOnOcs;
    for (uint32_t p = 0; !allElectrical && p < shape.planes; ++p)
    {
        groups.push_back(shape.RailsOfPlane(p));
        groupOnOcs.push_back(true);
    }
    for (uint32_t rail = 0; rail < g; ++rail)
    {
        if (allElectrical || !shape.RailOnOcs(rail))
        {
            groups.push_back({rail});
            groupOnOcs.push_back(false);
        }
    }
    if (groups.size() > kMaxGroups)
    {
        throw pmoe::InputError("MoeClusterTopologyHelper: at most " + std::to_string(kMaxGroups) +
                               " planes and electrical rails, got " +
                               std::to_string(groups.size()));
    }

    MoeTopology t;
    t.gpus.Create(n);
    std::vector<Ptr<NetDevice>> nic(n);
    std::vector<NetDeviceContainer> groupDevices(groups.size());
    std::vector<std::vector<uint32_t>> groupGpus(groups.size()); // GPU of each port
    for (std::size_t k = 0; k < groups.size(); ++k)
    {
        NodeContainer nodes; // port k' x S + s: the NIC of rail groups[k][k'] on server s
        for (uint32_t rail : groups[k])
        {
            for (uint32_t s = 0; s < servers; ++s)
            {
                groupGpus[k].push_back(shape.GpuAt(s, rail));
                nodes.Add(t.gpus.Get(groupGpus[k].back()));
            }
        }
        OcsHelper& helper = groupOnOcs[k] ? m_fabric : m_electrical;
        groupDevices[k] = helper.Install(nodes);
        for (uint32_t i = 0; i < nodes.GetN(); ++i)
        {
            nic[groupGpus[k][i]] = groupDevices[k].Get(i);
        }
        if (groupOnOcs[k])
        {
            t.planes.push_back(helper.GetSwitch());
        }
        t.railEps.push_back(helper.GetEps());
    }
    std::vector<NetDeviceContainer> serverNvlink(servers);
    for (uint32_t s = 0; s < servers; ++s)
    {
        NodeContainer nodes;
        for (uint32_t l = 0; l < g; ++l)
        {
            nodes.Add(t.gpus.Get(shape.GpuAt(s, l)));
        }
        serverNvlink[s] = m_nvlink.Install(nodes);
        t.nvlinkDevices.Add(serverNvlink[s]);
        t.nvswitches.push_back(m_nvlink.GetEps());
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        t.devices.Add(nic[i]);
    }

    InternetStackHelper internet;
    internet.Install(t.gpus);
    std::vector<Ipv4Address> address(n);
    for (std::size_t k = 0; k < groups.size(); ++k)
    {
        Ipv4AddressHelper ip(Ipv4Address(static_cast<uint32_t>(0x0A010000U + (k << 16))),
                             Ipv4Mask("255.255.0.0"));
        const Ipv4InterfaceContainer assigned = ip.Assign(groupDevices[k]);
        for (uint32_t i = 0; i < groupDevices[k].GetN(); ++i)
        {
            address[groupGpus[k][i]] = assigned.GetAddress(i);
        }
        OcsHelper::PopulateArpCaches(groupDevices[k]); // no ARP broadcasts over circuits
    }
    // The NVLink port carries the GPU's own address too (one /8 over all groups, so that the
    // GPUs of a server share a subnet on their NVSwitch).
    std::vector<uint32_t> nicIf(n);
    std::vector<uint32_t> nvlinkIf(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<Ipv4> ipv4 = t.gpus.Get(i)->GetObject<Ipv4>();
        nicIf[i] = static_cast<uint32_t>(ipv4->GetInterfaceForDevice(nic[i]));
        const Ptr<NetDevice> port = t.nvlinkDevices.Get(i);
        nvlinkIf[i] = ipv4->AddInterface(port);
        ipv4->AddAddress(nvlinkIf[i], Ipv4InterfaceAddress(address[i], Ipv4Mask("255.0.0.0")));
        ipv4->SetMetric(nvlinkIf[i], 1);
        ipv4->SetUp(nvlinkIf[i]);
        t.interfaces.Add(ipv4, nicIf[i]);
        t.endpoints.push_back({t.gpus.Get(i), address[i]});
    }
    for (uint32_t s = 0; s < servers; ++s)
    {
        OcsHelper::PopulateArpCaches(serverNvlink[s]);
    }
    // Host routes: the next hop of every destination under the forwarding rule.
    Ipv4StaticRoutingHelper routingHelper;
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<Ipv4StaticRouting> routing =
            routingHelper.GetStaticRouting(t.gpus.Get(i)->GetObject<Ipv4>());
        for (uint32_t j = 0; j < n; ++j)
        {
            if (j == i)
            {
                continue;
            }
            const pmoe::ClusterHop hop = pmoe::NextHop(shape, rule, i, j);
            const uint32_t iface = hop.nvlink ? nvlinkIf[i] : nicIf[i];
            if (hop.gpu == j)
            {
                routing->AddHostRouteTo(address[j], iface);
            }
            else
            {
                routing->AddHostRouteTo(address[j], address[hop.gpu], iface);
            }
        }
    }
    return t;
}

int64_t
MoeClusterTopologyHelper::AssignStreams(const MoeTopology& topology, int64_t stream)
{
    const int64_t used = m_fabric.AssignStreams(topology.devices, stream);
    return used + m_nvlink.AssignStreams(topology.nvlinkDevices, stream + used);
}

} // namespace ns3
