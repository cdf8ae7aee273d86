/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// CircuitSchedulerApplication on a cluster of multi-GPU servers: one schedule per OCS plane
// (doc/cluster.rst). The single-switch part of the class is in
// circuit-scheduler-application.cc.

#include "circuit-scheduler-application.h"

#include "ns3/log.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"

#include <chrono>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CircuitSchedulerCluster");

void
CircuitSchedulerApplication::SetCluster(const pmoe::ClusterShape& shape,
                                        pmoe::ForwardingRule rule,
                                        const std::vector<Ptr<OpticalCircuitSwitch>>& planes,
                                        const pmoe::ClusterFluidParams& fluid)
{
    shape.Validate(rule);
    if (planes.size() != shape.planes)
    {
        throw pmoe::InputError(
            "CircuitSchedulerApplication::SetCluster: " + std::to_string(planes.size()) +
            " plane switches for " + std::to_string(shape.planes) + " planes");
    }
    if (!m_workload || m_workload->numGpus != shape.Gpus() || planes.empty() ||
        planes[0] != m_switch)
    {
        throw pmoe::InputError("CircuitSchedulerApplication::SetCluster: call Setup() with "
                               "plane 0's switch and a workload of the shape's " +
                               std::to_string(shape.Gpus()) + " GPUs first");
    }
    for (uint32_t p = 0; p < planes.size(); ++p)
    {
        const uint32_t ports = static_cast<uint32_t>(shape.RailsOfPlane(p).size()) * shape.servers;
        if (!planes[p] || planes[p]->GetNPorts() != ports)
        {
            throw pmoe::InputError("CircuitSchedulerApplication::SetCluster: plane " +
                                   std::to_string(p) + " needs a switch of " +
                                   std::to_string(ports) + " ports");
        }
    }
    m_shape = shape;
    m_rule = rule;
    m_planes = planes;
    m_clusterFluid = fluid;
}

bool
CircuitSchedulerApplication::IsCluster() const
{
    return !m_planes.empty();
}

void
CircuitSchedulerApplication::ComputeClusterSchedules(uint32_t layer)
{
    const auto& w = m_workload->layers[layer];
    LayerState& st = m_layers[layer];
    const pmoe::DecompositionParams params = GetDecompositionParams();
    const auto t0 = std::chrono::steady_clock::now();
    const pmoe::ClusterDemand dispatch = pmoe::MapClusterDemand(w.dispatch, m_shape, m_rule);
    const pmoe::ClusterDemand combine = pmoe::MapClusterDemand(w.combine, m_shape, m_rule);
    CircuitLayerSchedules& out = st.schedules;
    out.planeDispatch = pmoe::ScheduleClusterPlanes(dispatch, params);
    out.planeCombine = pmoe::ScheduleClusterPlanes(combine, params);
    ReleaseFinished(layer);
    const auto t1 = std::chrono::steady_clock::now();
    out.measuredComputeNs = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
    if (m_computeAware)
    {
        pmoe::OrderPlanesComputeAware(out.planeDispatch, m_shape, m_rule, w.dispatch);
    }
    // The GPU-level schedules stay empty: the planes carry the circuits.
    for (pmoe::Schedule* s : {&out.dispatch, &out.combine})
    {
        *s = pmoe::Schedule(m_workload->numGpus, params.model);
        s->algorithm = params.algorithm;
        s->residual = pmoe::DemandMatrix(m_workload->numGpus);
    }
    pmoe::ClusterFluidParams fp = m_clusterFluid;
    fp.nicRateBps = static_cast<pmoe::Bps>(m_rate.GetBitRate());
    fp.reconfigDelayNs = params.reconfigDelayNs;
    fp.mode = m_switch->GetReconfigMode();
    fp.epsRateBps = static_cast<pmoe::Bps>(m_epsRate.GetBitRate());
    out.clusterDispatchFluid = pmoe::EvaluateCluster(dispatch, out.planeDispatch, fp);
    out.clusterCombineFluid = pmoe::EvaluateCluster(combine, out.planeCombine, fp);
    out.computeTime =
        m_computeTimeMode == SchedulerTimeMode::MEASURED
            ? NanoSeconds(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count())
            : m_computeTime;
    NS_LOG_INFO("layer " << layer << ": schedules of " << m_planes.size() << " planes");
    m_schedulesTrace(out);
    Simulator::Schedule(out.computeTime, &CircuitSchedulerApplication::Launch, this, layer, false);
}

bool
CircuitSchedulerApplication::HasCircuits(const CircuitLayerSchedules& s, bool combine) const
{
    if (!IsCluster())
    {
        return (combine ? s.combine : s.dispatch).NumConfigurations() > 0;
    }
    for (const pmoe::Schedule& p : combine ? s.planeCombine : s.planeDispatch)
    {
        if (p.NumConfigurations() > 0)
        {
            return true;
        }
    }
    return false;
}

void
CircuitSchedulerApplication::RunClusterSchedules(const CircuitLayerSchedules& s,
                                                 bool combine,
                                                 Time start)
{
    const std::vector<pmoe::Schedule>& planes = combine ? s.planeCombine : s.planeDispatch;
    for (uint32_t p = 0; p < m_planes.size(); ++p)
    {
        if (planes[p].NumConfigurations() > 0)
        {
            const auto rails = static_cast<uint32_t>(m_shape.RailsOfPlane(p).size());
            m_planes[p]->RunSchedule(pmoe::ExpandPlaneSchedule(planes[p], rails), start, false);
        }
    }
}

} // namespace ns3
