/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_GPU_APPLICATION_HELPER_H
#define MOE_GPU_APPLICATION_HELPER_H

#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/moe-gpu-application.h"
#include "ns3/moe-transport.h"
#include "ns3/moe-workload-data.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * Aggregates a GpuComputeModel (the expert compute of one GPU) to each node.
 *
 * @code
 *   GpuComputeModelHelper compute;
 *   compute.SetAttribute("Preset", StringValue("deepseek-v3"));
 *   compute.SetAttribute("FixedCost", TimeValue(MicroSeconds(10)));
 *   compute.Install(gpus);
 * @endcode
 */
class GpuComputeModelHelper
{
  public:
    GpuComputeModelHelper();

    /**
     * @param name a GpuComputeModel attribute
     * @param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Aggregate a new GpuComputeModel to every node.
     * @param nodes the GPU nodes (none may have a compute model already)
     * @throws pmoe::InputError on an invalid configuration or a node that has one
     */
    void Install(const NodeContainer& nodes) const;

  private:
    ObjectFactory m_factory; //!< GpuComputeModel factory
};

/**
 * @ingroup photonic-moe
 * Installs one MoeGpuApplication per GPU node, in the idiom of ns-3's application helpers:
 * application attributes, the transport and the batch policy (each GPU gets its own
 * instance of both) are set first, then Install() creates the applications, binds them to
 * the workload and to the GPUs' endpoints (GPU i = node i) and adds them to the nodes.
 *
 * @code
 *   MoeGpuApplicationHelper gpuApps;
 *   gpuApps.SetTransport("ns3::MoeUdpTransport", "Rate", DataRateValue(DataRate("400Gbps")));
 *   gpuApps.SetBatchPolicy("ns3::MoeThresholdBatchPolicy", "Copies", UintegerValue(512));
 *   ApplicationContainer apps = gpuApps.Install(topology.gpus, workload, topology.endpoints);
 * @endcode
 *
 * Without a circuit scheduler the applications release their traffic at once (the ideal
 * fabric); CircuitSchedulerHelper::Install() connects them to a scheduler.
 */
class MoeGpuApplicationHelper
{
  public:
    MoeGpuApplicationHelper();

    /**
     * @param name a MoeGpuApplication attribute
     * @param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Give each application its own transport of this type.
     * @param type TypeId name of a MoeTransport subclass, e.g. "ns3::MoeSharedTcpTransport"
     * @param args name and AttributeValue pairs for the transport's attributes
     * @throws pmoe::InputError if @p type is not a MoeTransport
     */
    template <typename... Args>
    void SetTransport(const std::string& type, Args&&... args)
    {
        m_transport = MakeFactory(type, MoeTransport::GetTypeId(), "SetTransport");
        m_transport.Set(std::forward<Args>(args)...);
    }

    /**
     * Give each application its own batch policy of this type.
     * @param type TypeId name of a MoeBatchPolicy subclass, e.g. "ns3::MoeThresholdBatchPolicy"
     * @param args name and AttributeValue pairs for the policy's attributes
     * @throws pmoe::InputError if @p type is not a MoeBatchPolicy
     */
    template <typename... Args>
    void SetBatchPolicy(const std::string& type, Args&&... args)
    {
        m_batchPolicy = MakeFactory(type, MoeBatchPolicy::GetTypeId(), "SetBatchPolicy");
        m_batchPolicy.Set(std::forward<Args>(args)...);
    }

    /**
     * Create one application per node and add it to the node (start time 0).
     * @param gpus the GPU nodes, GPU i = node i; each needs a GpuComputeModel before the
     *        simulation starts (GpuComputeModelHelper)
     * @param workload the run's workload, for workload->numGpus GPUs
     * @param endpoints how to reach every GPU (MoeTopology::endpoints)
     * @return the applications, in GPU order
     * @throws pmoe::InputError on inconsistent sizes or data
     */
    ApplicationContainer Install(const NodeContainer& gpus,
                                 std::shared_ptr<const MoeWorkloadData> workload,
                                 const std::vector<MoeEndpoint>& endpoints) const;

    /**
     * Assign fixed random variable streams. The applications, transports and batch
     * policies of this module draw no random numbers.
     * @param apps applications installed by this helper
     * @param stream first stream index
     * @return 0, the number of streams used
     */
    int64_t AssignStreams(const ApplicationContainer& apps, int64_t stream) const;

  private:
    /**
     * @param type a TypeId name
     * @param base the base class it must derive from
     * @param who the setter, for the message
     * @return a factory for @p type
     * @throws pmoe::InputError if @p type is not a constructible @p base
     */
    static ObjectFactory MakeFactory(const std::string& type, TypeId base, const std::string& who);

    ObjectFactory m_app;         //!< MoeGpuApplication factory
    ObjectFactory m_transport;   //!< transport factory (unset: the application's attribute)
    ObjectFactory m_batchPolicy; //!< batch policy factory (unset: the application's attribute)
};

} // namespace ns3

#endif /* MOE_GPU_APPLICATION_HELPER_H */
