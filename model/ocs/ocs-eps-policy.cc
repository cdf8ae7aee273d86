/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ocs-eps-policy.h"

#include "ocs-net-device.h"
#include "optical-circuit-switch.h"

#include "ns3/photonic-moe-type-names.h"
#include "ns3/pmoe-units.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(OcsEpsPolicy);
NS_OBJECT_ENSURE_REGISTERED(OcsNoEpsPolicy);
NS_OBJECT_ENSURE_REGISTERED(OcsControlEpsPolicy);
NS_OBJECT_ENSURE_REGISTERED(OcsNoCircuitEpsPolicy);
NS_OBJECT_ENSURE_REGISTERED(OcsAllEpsPolicy);
NS_OBJECT_ENSURE_REGISTERED(OcsNoFutureCircuitEpsPolicy);

TypeId
OcsEpsPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OcsEpsPolicy").SetParent<Object>().SetGroupName("PhotonicMoe");
    return tid;
}

OcsEpsPolicy::~OcsEpsPolicy() = default;

bool
OcsEpsPolicy::MovesStrandedFrames() const
{
    return false;
}

bool
OcsEpsPolicy::AllowsEps() const
{
    return true;
}

TypeId
OcsNoEpsPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OcsNoEpsPolicy")
                            .SetParent<OcsEpsPolicy>()
                            .SetGroupName("PhotonicMoe")
                            .AddConstructor<OcsNoEpsPolicy>();
    return tid;
}

bool
OcsNoEpsPolicy::UseEps(const OcsNetDevice& /* device */,
                       Ptr<const Packet> /* packet */,
                       uint32_t /* port */) const
{
    return false;
}

bool
OcsNoEpsPolicy::AllowsEps() const
{
    return false;
}

std::string
OcsNoEpsPolicy::GetName() const
{
    return "none";
}

TypeId
OcsControlEpsPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OcsControlEpsPolicy")
                            .SetParent<OcsEpsPolicy>()
                            .SetGroupName("PhotonicMoe")
                            .AddConstructor<OcsControlEpsPolicy>();
    return tid;
}

bool
OcsControlEpsPolicy::UseEps(const OcsNetDevice& device,
                            Ptr<const Packet> packet,
                            uint32_t /* port */) const
{
    return device.IsControl(packet);
}

std::string
OcsControlEpsPolicy::GetName() const
{
    return "control";
}

TypeId
OcsNoCircuitEpsPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OcsNoCircuitEpsPolicy")
                            .SetParent<OcsEpsPolicy>()
                            .SetGroupName("PhotonicMoe")
                            .AddConstructor<OcsNoCircuitEpsPolicy>();
    return tid;
}

bool
OcsNoCircuitEpsPolicy::UseEps(const OcsNetDevice& device,
                              Ptr<const Packet> packet,
                              uint32_t port) const
{
    const Ptr<OpticalCircuitSwitch> sw = device.GetSwitch();
    const uint32_t self = device.GetPort();
    return device.IsControl(packet) || !sw->IsLit(self) ||
           sw->GetPeer(self) != static_cast<int32_t>(port);
}

std::string
OcsNoCircuitEpsPolicy::GetName() const
{
    return "no-circuit";
}

TypeId
OcsAllEpsPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OcsAllEpsPolicy")
                            .SetParent<OcsEpsPolicy>()
                            .SetGroupName("PhotonicMoe")
                            .AddConstructor<OcsAllEpsPolicy>();
    return tid;
}

bool
OcsAllEpsPolicy::UseEps(const OcsNetDevice& /* device */,
                        Ptr<const Packet> /* packet */,
                        uint32_t /* port */) const
{
    return true;
}

std::string
OcsAllEpsPolicy::GetName() const
{
    return "all";
}

TypeId
OcsNoFutureCircuitEpsPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OcsNoFutureCircuitEpsPolicy")
                            .SetParent<OcsEpsPolicy>()
                            .SetGroupName("PhotonicMoe")
                            .AddConstructor<OcsNoFutureCircuitEpsPolicy>();
    return tid;
}

bool
OcsNoFutureCircuitEpsPolicy::UseEps(const OcsNetDevice& device,
                                    Ptr<const Packet> packet,
                                    uint32_t port) const
{
    if (device.IsControl(packet))
    {
        return true;
    }
    const Ptr<OpticalCircuitSwitch> sw = device.GetSwitch();
    const uint32_t self = device.GetPort();
    if (sw->GetPeer(self) == static_cast<int32_t>(port))
    {
        // The current circuit reaches it; if the guard would hold the frame at the end of
        // this circuit and no later circuit comes, send it over the EPS right away.
        return device.GuardHolds(packet->GetSize()) && !sw->HasFutureCircuit(self, port);
    }
    return !sw->HasFutureCircuit(self, port);
}

bool
OcsNoFutureCircuitEpsPolicy::MovesStrandedFrames() const
{
    return true;
}

std::string
OcsNoFutureCircuitEpsPolicy::GetName() const
{
    return "no-future-circuit";
}

std::string
OcsEpsPolicyTypeName(const std::string& name)
{
    static const PmoeShortTypeName kPolicies[] = {
        {"none", "ns3::OcsNoEpsPolicy"},
        {"control", "ns3::OcsControlEpsPolicy"},
        {"no-circuit", "ns3::OcsNoCircuitEpsPolicy"},
        {"all", "ns3::OcsAllEpsPolicy"},
        {"no-future-circuit", "ns3::OcsNoFutureCircuitEpsPolicy"}};
    return PmoeTypeNameOf(kPolicies, name, "EPS policy");
}

} // namespace ns3
