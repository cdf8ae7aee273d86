/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// MoeStatsCollector for clusters of multi-GPU servers: the NVLink ports, the electrical
// switches and the OCS planes (the rest of the class is in moe-stats-collector.cc).

#include "moe-stats-collector.h"

namespace ns3
{

void
MoeStatsCollector::SetClusterFabric(const NetDeviceContainer& nvlinkDevices,
                                    const std::vector<Ptr<ElectricalPacketSwitch>>& switches,
                                    uint32_t gpusPerServer)
{
    m_nvlinkDevices = nvlinkDevices;
    m_clusterSwitches = switches;
    m_gpusPerServer = gpusPerServer;
}

void
MoeStatsCollector::SetPlanes(const std::vector<Ptr<OpticalCircuitSwitch>>& planes,
                             const std::vector<uint32_t>& railsPerPlane)
{
    m_planes = planes;
    m_planeStats.assign(planes.size(), MoePlaneMeasurement());
    for (uint32_t p = 0; p < planes.size(); ++p)
    {
        m_planeStats[p].plane = p;
        m_planeStats[p].rails = railsPerPlane.at(p);
    }
}

void
MoeStatsCollector::OnClusterSchedules(const CircuitLayerSchedules& schedules, SchedulerLayer& s)
{
    s.dispatchMatchings = 0;
    s.combineMatchings = 0;
    s.reconfigurations = 0;
    s.reconfigTimeNs = 0;
    s.residualBytes = 0;
    int64_t dispatchLit = 0;
    int64_t dispatchBubble = 0;
    for (uint32_t c = 0; c < 2; ++c)
    {
        const std::vector<pmoe::Schedule>& planes =
            c == 0 ? schedules.planeDispatch : schedules.planeCombine;
        const pmoe::ClusterFluidResult& fluid =
            c == 0 ? schedules.clusterDispatchFluid : schedules.clusterCombineFluid;
        s.clusterFluidNs[c] = fluid.makespanNs;
        s.clusterOverlappedNs[c] = fluid.overlappedNs;
        s.clusterLastByteNs[c] = fluid.overlappedLastByteNs;
        s.fluidNs[c] = fluid.makespanNs;
        for (uint32_t p = 0; p < planes.size() && p < fluid.planes.size(); ++p)
        {
            const pmoe::PlaneFluidResult& pf = fluid.planes[p];
            MoePlaneMeasurement* m = p < m_planeStats.size() ? &m_planeStats[p] : nullptr;
            const int64_t rails = m ? m->rails : 1;
            int64_t lit = 0;
            for (const auto& k : planes[p].Configurations())
            {
                lit += rails * static_cast<int64_t>(k.circuits.size()) * k.durationNs;
            }
            const auto bubble =
                static_cast<int64_t>(pf.bubbleFraction * static_cast<double>(lit) + 0.5);
            (c == 0 ? s.dispatchMatchings : s.combineMatchings) +=
                static_cast<uint32_t>(pf.matchings);
            s.reconfigurations += static_cast<uint32_t>(pf.reconfigurations);
            s.residualBytes += static_cast<uint64_t>(pf.residualBytes);
            s.litNs += lit;
            s.bubbleNs += bubble;
            if (c == 0)
            {
                dispatchLit += lit;
                dispatchBubble += bubble;
            }
            if (m)
            {
                m->matchings += pf.matchings;
                m->demandBytes += static_cast<uint64_t>(pf.bytes);
                m->residualBytes += static_cast<uint64_t>(pf.residualBytes);
                m->litNs += lit;
                m->bubbleNs += bubble;
            }
        }
    }
    s.dispatchBubbleFraction =
        dispatchLit > 0 ? static_cast<double>(dispatchBubble) / static_cast<double>(dispatchLit)
                        : 0.0;
}

} // namespace ns3
