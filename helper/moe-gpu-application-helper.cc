/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-gpu-application-helper.h"

#include "ns3/circuit-scheduler-application.h"
#include "ns3/gpu-compute-model.h"
#include "ns3/node.h"
#include "ns3/pmoe-units.h"

namespace ns3
{

GpuComputeModelHelper::GpuComputeModelHelper()
{
    m_factory.SetTypeId(GpuComputeModel::GetTypeId());
}

void
GpuComputeModelHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
GpuComputeModelHelper::Install(const NodeContainer& nodes) const
{
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<Node> node = nodes.Get(i);
        if (node->GetObject<GpuComputeModel>())
        {
            throw pmoe::InputError("GpuComputeModelHelper::Install: node " +
                                   std::to_string(node->GetId()) +
                                   " already has a GpuComputeModel");
        }
        Ptr<GpuComputeModel> gpu = m_factory.Create<GpuComputeModel>();
        gpu->GetParams(); // validates the preset and the constants
        node->AggregateObject(gpu);
    }
}

MoeGpuApplicationHelper::MoeGpuApplicationHelper()
{
    m_app.SetTypeId(MoeGpuApplication::GetTypeId());
}

void
MoeGpuApplicationHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_app.Set(name, value);
}

ObjectFactory
MoeGpuApplicationHelper::MakeFactory(const std::string& type, TypeId base, const std::string& who)
{
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(type, &tid) || !tid.IsChildOf(base) || !tid.HasConstructor())
    {
        throw pmoe::InputError("MoeGpuApplicationHelper::" + who + ": '" + type +
                               "' is not the TypeId name of a constructible " + base.GetName());
    }
    ObjectFactory factory;
    factory.SetTypeId(tid);
    return factory;
}

ApplicationContainer
MoeGpuApplicationHelper::Install(const NodeContainer& gpus,
                                 std::shared_ptr<const MoeWorkloadData> workload,
                                 const std::vector<MoeEndpoint>& endpoints) const
{
    if (!workload || gpus.GetN() != workload->numGpus || endpoints.size() != gpus.GetN())
    {
        throw pmoe::InputError("MoeGpuApplicationHelper::Install: " + std::to_string(gpus.GetN()) +
                               " nodes, " + std::to_string(endpoints.size()) +
                               " endpoints and a workload for " +
                               (workload ? std::to_string(workload->numGpus) : "no") + " GPUs");
    }
    ApplicationContainer apps;
    for (uint32_t g = 0; g < gpus.GetN(); ++g)
    {
        Ptr<MoeGpuApplication> app = m_app.Create<MoeGpuApplication>();
        if (m_transport.IsTypeIdSet())
        {
            app->SetTransport(m_transport.Create<MoeTransport>());
        }
        if (m_batchPolicy.IsTypeIdSet())
        {
            app->SetBatchPolicy(m_batchPolicy.Create<MoeBatchPolicy>());
        }
        app->Setup(workload, g, endpoints, nullptr);
        gpus.Get(g)->AddApplication(app);
        app->SetStartTime(Time(0));
        apps.Add(app);
    }
    return apps;
}

int64_t
MoeGpuApplicationHelper::AssignStreams(const ApplicationContainer& /* apps */,
                                       int64_t /* stream */) const
{
    return 0;
}

} // namespace ns3
