/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "circuit-scheduler-helper.h"

#include "ns3/circuit-scheduler-application.h"
#include "ns3/moe-gpu-application.h"
#include "ns3/pmoe-units.h"

#include <vector>

namespace ns3
{

CircuitSchedulerHelper::CircuitSchedulerHelper()
{
    m_factory.SetTypeId(CircuitSchedulerApplication::GetTypeId());
}

void
CircuitSchedulerHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
CircuitSchedulerHelper::Install(Ptr<Node> controller,
                                Ptr<OpticalCircuitSwitch> sw,
                                const ApplicationContainer& gpuApps) const
{
    if (!controller || !sw || gpuApps.GetN() == 0)
    {
        throw pmoe::InputError("CircuitSchedulerHelper::Install: needs a controller node, a "
                               "switch and the GPU applications");
    }
    std::vector<Ptr<MoeGpuApplication>> hosts;
    for (uint32_t g = 0; g < gpuApps.GetN(); ++g)
    {
        Ptr<MoeGpuApplication> app = DynamicCast<MoeGpuApplication>(gpuApps.Get(g));
        if (!app || app->GetIndex() != g || !app->GetWorkload())
        {
            throw pmoe::InputError("CircuitSchedulerHelper::Install: application " +
                                   std::to_string(g) + " is not the MoeGpuApplication of GPU " +
                                   std::to_string(g));
        }
        hosts.push_back(app);
    }
    Ptr<CircuitSchedulerApplication> scheduler = m_factory.Create<CircuitSchedulerApplication>();
    controller->AddApplication(scheduler);
    scheduler->SetStartTime(Time(0));
    scheduler->Setup(hosts.front()->GetWorkload(), sw, hosts);
    for (const auto& host : hosts)
    {
        host->SetScheduler(scheduler);
    }
    return ApplicationContainer(scheduler);
}

int64_t
CircuitSchedulerHelper::AssignStreams(const ApplicationContainer& schedulers, int64_t stream) const
{
    int64_t used = 0;
    for (uint32_t i = 0; i < schedulers.GetN(); ++i)
    {
        Ptr<CircuitSchedulerApplication> s =
            DynamicCast<CircuitSchedulerApplication>(schedulers.Get(i));
        if (s)
        {
            used += s->AssignStreams(stream + used);
        }
    }
    return used;
}

} // namespace ns3
