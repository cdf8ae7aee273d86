/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef CIRCUIT_SCHEDULER_HELPER_H
#define CIRCUIT_SCHEDULER_HELPER_H

#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/node.h"
#include "ns3/object-factory.h"
#include "ns3/optical-circuit-switch.h"

#include <string>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * Installs a CircuitSchedulerApplication on a controller node and connects it to an optical
 * circuit switch and to the GPU applications it schedules.
 *
 * @code
 *   CircuitSchedulerHelper schedulerHelper;
 *   schedulerHelper.SetAttribute("Algorithm", StringValue("greedy"));
 *   schedulerHelper.SetAttribute("MaxMatchings", UintegerValue(8));
 *   ApplicationContainer scheduler =
 *       schedulerHelper.Install(CreateObject<Node>(), topology.ocs, gpuApps);
 *   schedulerHelper.AssignStreams(scheduler, 100);
 * @endcode
 */
class CircuitSchedulerHelper
{
  public:
    CircuitSchedulerHelper();

    /**
     * @param name a CircuitSchedulerApplication attribute
     * @param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Create the scheduler, add it to @p controller (start time 0), and tell every GPU
     * application (MoeGpuApplicationHelper::Install, before the simulation starts) to report
     * to it and follow its plans.
     * @param controller the controller node
     * @param sw the switch it programs, one port per GPU in GPU order
     * @param gpuApps the MoeGpuApplications, in GPU order, all with the same workload
     * @return the scheduler
     * @throws pmoe::InputError on inconsistent sizes or attributes
     */
    ApplicationContainer Install(Ptr<Node> controller,
                                 Ptr<OpticalCircuitSwitch> sw,
                                 const ApplicationContainer& gpuApps) const;

    /**
     * Assign fixed random variable streams to the control-path faults of the schedulers.
     * @param schedulers schedulers installed by this helper
     * @param stream first stream index
     * @return the number of streams used (one per scheduler)
     */
    int64_t AssignStreams(const ApplicationContainer& schedulers, int64_t stream) const;

  private:
    ObjectFactory m_factory; //!< CircuitSchedulerApplication factory
};

} // namespace ns3

#endif /* CIRCUIT_SCHEDULER_HELPER_H */
