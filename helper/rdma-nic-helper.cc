/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "rdma-nic-helper.h"

#include "ns3/node.h"
#include "ns3/pmoe-units.h"
#include "ns3/pointer.h"
#include "ns3/rdma-dcqcn.h"
#include "ns3/rdma-nic.h"

namespace ns3
{

RdmaNicHelper::RdmaNicHelper()
{
    m_nic.SetTypeId(RdmaNic::GetTypeId());
    m_dcqcn.SetTypeId(RdmaDcqcn::GetTypeId());
}

void
RdmaNicHelper::SetNicAttribute(const std::string& name, const AttributeValue& value)
{
    m_nic.Set(name, value);
}

void
RdmaNicHelper::SetDcqcnAttribute(const std::string& name, const AttributeValue& value)
{
    m_dcqcn.Set(name, value);
}

void
RdmaNicHelper::Install(const NodeContainer& nodes) const
{
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<Node> node = nodes.Get(i);
        Ptr<OcsNetDevice> dev = RdmaNic::FindDevice(node);
        if (!dev)
        {
            throw pmoe::InputError("RdmaNicHelper::Install: node " + std::to_string(node->GetId()) +
                                   " has no OcsNetDevice");
        }
        Ptr<RdmaNic> nic = m_nic.Create<RdmaNic>();
        nic->SetAttribute("Dcqcn", PointerValue(m_dcqcn.Create<RdmaDcqcn>()));
        nic->Attach(dev);
    }
}

void
RdmaNicHelper::InstallOnDevices(const NetDeviceContainer& devices) const
{
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        Ptr<OcsNetDevice> dev = DynamicCast<OcsNetDevice>(devices.Get(i));
        if (!dev)
        {
            throw pmoe::InputError("RdmaNicHelper::InstallOnDevices: device " + std::to_string(i) +
                                   " is not an OcsNetDevice");
        }
        Ptr<RdmaNic> nic = m_nic.Create<RdmaNic>();
        nic->SetAttribute("Dcqcn", PointerValue(m_dcqcn.Create<RdmaDcqcn>()));
        nic->AttachToDevice(dev);
    }
}

} // namespace ns3
