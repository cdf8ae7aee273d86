/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Cluster shapes: validation, per-rail and per-plane demand against hand-computed matrices
// (2 servers x 2 GPUs, both forwarding rules), intra-server bytes never on a NIC,
// conservation on seeded random demands, and the two-level fluid model on hand-made
// schedules.

#include "ns3/pmoe-cluster.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-portable-random.h"
#include "ns3/pmoe-units.h"

#include <algorithm>
#include <functional>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using namespace ns3::pmoe;

namespace
{

/// GPUs 0, 1 on server 0 and 2, 3 on server 1; D(i, j) = 10 i + j + 1 off the diagonal;
/// each GPU also keeps 5 bytes for itself.
DemandMatrix
TwoByTwo()
{
    DemandMatrix d(4);
    for (uint32_t i = 0; i < 4; ++i)
    {
        for (uint32_t j = 0; j < 4; ++j)
        {
            d.Set(i, j, i == j ? 5 : 10 * i + j + 1);
        }
    }
    return d;
}

DemandMatrix
Servers2(Bytes s0s1, Bytes s1s0)
{
    return DemandMatrix({{0, s0s1}, {s1s0, 0}});
}

std::string
ErrorOf(const std::function<void()>& f)
{
    try
    {
        f();
    }
    catch (const InputError& e)
    {
        return e.what();
    }
    return "";
}

bool
Contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST(ClusterShape, FromGpusAndIndexing)
{
    ClusterShape s = ClusterShape::FromGpus(16, 8, 4, 0);
    EXPECT_EQ(s.servers, 2u);
    EXPECT_EQ(s.ocsNics, 8u);
    EXPECT_EQ(s.Gpus(), 16u);
    EXPECT_EQ(s.ServerOf(11), 1u);
    EXPECT_EQ(s.LocalOf(11), 3u);
    EXPECT_EQ(s.GpuAt(1, 3), 11u);
    EXPECT_EQ(s.PlaneOfRail(6), 2u);
    EXPECT_EQ(s.RailsOfPlane(1), (std::vector<uint32_t>{1, 5}));
    ClusterShape m = ClusterShape::FromGpus(16, 8, 2, 5); // MixNet-like: 5 of 8 on the OCS
    EXPECT_EQ(m.RailsOfPlane(0), (std::vector<uint32_t>{0, 2, 4}));
    EXPECT_EQ(m.RailsOfPlane(1), (std::vector<uint32_t>{1, 3}));
    EXPECT_FALSE(m.RailOnOcs(5));
    EXPECT_TRUE(m.RailOnOcs(4));
}

TEST(ClusterShape, BadInputNamesTheValue)
{
    std::string e = ErrorOf([] { ClusterShape::FromGpus(12, 8, 1, 0); });
    EXPECT_TRUE(Contains(e, "gpusPerServer 8 does not divide the number of GPUs 12")) << e;
    e = ErrorOf([] { ClusterShape::FromGpus(16, 2, 4, 0); });
    EXPECT_TRUE(Contains(e, "planes 4 exceed gpusPerServer 2")) << e;
    e = ErrorOf([] { ClusterShape::FromGpus(16, 2, 1, 3); });
    EXPECT_TRUE(Contains(e, "ocsNics 3 exceed gpusPerServer 2")) << e;
    e = ErrorOf([] { ClusterShape::FromGpus(16, 8, 4, 2); });
    EXPECT_TRUE(Contains(e, "ocsNics 2 is fewer than planes 4")) << e;
    e = ErrorOf([] { ClusterShape::FromGpus(16, 0, 1, 0); });
    EXPECT_TRUE(Contains(e, "gpusPerServer must be >= 1, got 0")) << e;
    e = ErrorOf([] { ClusterShape::FromGpus(16, 4, 0, 0); });
    EXPECT_TRUE(Contains(e, "planes must be >= 1, got 0")) << e;
    e = ErrorOf([] {
        MapClusterDemand(TwoByTwo(), ClusterShape::FromGpus(4, 2, 2, 0), ForwardingRule::DIRECT);
    });
    EXPECT_TRUE(Contains(e, "forwarding rule 'direct' needs gpusPerServer 1, got 2")) << e;
    e = ErrorOf([] {
        MapClusterDemand(TwoByTwo(),
                         ClusterShape::FromGpus(8, 2, 2, 0),
                         ForwardingRule::RAIL_ALIGNED);
    });
    EXPECT_TRUE(Contains(e, "demand matrix has 4 GPUs but the cluster has 4 x 2 = 8")) << e;
    EXPECT_EQ(FromString<ForwardingRule>("network-first"), ForwardingRule::NETWORK_FIRST);
    e = ErrorOf([] { FromString<ForwardingRule>("rail"); });
    EXPECT_TRUE(Contains(e, "unknown forwarding rule 'rail'")) << e;
    // Every message is one line.
    EXPECT_FALSE(Contains(e, "\n"));
}

TEST(ClusterDemand, RailAlignedHandComputed)
{
    const ClusterShape shape = ClusterShape::FromGpus(4, 2, 2, 0);
    const ClusterDemand cd = MapClusterDemand(TwoByTwo(), shape, ForwardingRule::RAIL_ALIGNED);
    // Rail b carries everything bound to local GPU b of the other server.
    EXPECT_EQ(cd.rails[0], Servers2(3 + 13, 21 + 31));
    EXPECT_EQ(cd.rails[1], Servers2(4 + 14, 22 + 32));
    EXPECT_EQ(cd.PlaneDemand(0), cd.rails[0]);
    EXPECT_EQ(cd.PlaneDemand(1), cd.rails[1]);
    // NVLink: intra-server demand plus the hop to the destination's rail GPU.
    DemandMatrix nv(4);
    nv.Set(0, 1, 2 + 4);   // 0 -> 1 and 0 -> 3 (via 1)
    nv.Set(1, 0, 11 + 13); // 1 -> 0 and 1 -> 2 (via 0)
    nv.Set(2, 3, 24 + 22); // 2 -> 3 and 2 -> 1 (via 3)
    nv.Set(3, 2, 33 + 31); // 3 -> 2 and 3 -> 0 (via 2)
    EXPECT_EQ(cd.nvlink, nv);
    EXPECT_EQ(cd.localBytes, 20);
    EXPECT_EQ(cd.demandBytes, 210);
    EXPECT_EQ(cd.intraServerBytes, 2 + 11 + 24 + 33);
    EXPECT_EQ(cd.forwardedBytes, 4 + 13 + 22 + 31);
    EXPECT_EQ(cd.NicBytes(), 140);
    EXPECT_EQ(cd.EpsBytes(), 0);
    EXPECT_EQ(cd.NicSendBytes(1), 18); // NIC 1 of server 0
    EXPECT_EQ(cd.NicReceiveBytes(2), 16);
}

TEST(ClusterDemand, NetworkFirstHandComputed)
{
    const ClusterShape shape = ClusterShape::FromGpus(4, 2, 2, 0);
    const ClusterDemand cd = MapClusterDemand(TwoByTwo(), shape, ForwardingRule::NETWORK_FIRST);
    // Rail a carries everything sent by local GPU a to the other server.
    EXPECT_EQ(cd.rails[0], Servers2(3 + 4, 21 + 22));
    EXPECT_EQ(cd.rails[1], Servers2(13 + 14, 31 + 32));
    DemandMatrix nv(4);
    nv.Set(0, 1, 2 + 22);  // 0 -> 1 and 2 -> 1 (arrives at 0)
    nv.Set(1, 0, 11 + 31); // 1 -> 0 and 3 -> 0 (arrives at 1)
    nv.Set(2, 3, 24 + 4);  // 2 -> 3 and 0 -> 3 (arrives at 2)
    nv.Set(3, 2, 33 + 13); // 3 -> 2 and 1 -> 2 (arrives at 3)
    EXPECT_EQ(cd.nvlink, nv);
}

TEST(ClusterDemand, PlanesBundleRailsAndAlphaSendsRestToEps)
{
    // One plane for both rails: the plane carries the sum, is scheduled on the maximum.
    ClusterDemand one = MapClusterDemand(TwoByTwo(),
                                         ClusterShape::FromGpus(4, 2, 1, 0),
                                         ForwardingRule::RAIL_ALIGNED);
    EXPECT_EQ(one.PlaneDemand(0), Servers2(16 + 18, 52 + 54));
    EXPECT_EQ(one.PlaneScheduleDemand(0), Servers2(18, 54));
    EXPECT_EQ(one.PlaneBytes(0), 140);
    // alpha = 1: rail 1 goes to the electrical fabric.
    ClusterDemand mixed = MapClusterDemand(TwoByTwo(),
                                           ClusterShape::FromGpus(4, 2, 1, 1),
                                           ForwardingRule::RAIL_ALIGNED);
    EXPECT_EQ(mixed.PlaneDemand(0), Servers2(16, 52));
    EXPECT_EQ(mixed.EpsBytes(), 18 + 54);
    EXPECT_EQ(mixed.PlaneBytes(0) + mixed.EpsBytes(), 140);
}

TEST(ClusterDemand, IntraServerBytesNeverReachANic)
{
    // Only intra-server demand on 3 servers x 4 GPUs: no NIC byte under either rule.
    const ClusterShape shape = ClusterShape::FromGpus(12, 4, 2, 3);
    DemandMatrix d(12);
    for (uint32_t i = 0; i < 12; ++i)
    {
        for (uint32_t j = 0; j < 12; ++j)
        {
            if (shape.ServerOf(i) == shape.ServerOf(j) && i != j)
            {
                d.Set(i, j, 1000 + 7 * i + j);
            }
        }
    }
    for (ForwardingRule rule : {ForwardingRule::RAIL_ALIGNED, ForwardingRule::NETWORK_FIRST})
    {
        const ClusterDemand cd = MapClusterDemand(d, shape, rule);
        EXPECT_EQ(cd.NicBytes(), 0);
        EXPECT_EQ(cd.forwardedBytes, 0);
        EXPECT_EQ(cd.nvlink, d); // exactly one NVLink hop, source to destination
        EXPECT_EQ(cd.intraServerBytes, d.Total());
        for (uint32_t g = 0; g < 12; ++g)
        {
            EXPECT_EQ(cd.NicSendBytes(g), 0);
            EXPECT_EQ(cd.NicReceiveBytes(g), 0);
        }
    }
    // Adding intra-server demand to a network demand leaves every rail unchanged.
    DemandMatrix net(12);
    for (uint32_t i = 0; i < 12; ++i)
    {
        for (uint32_t j = 0; j < 12; ++j)
        {
            if (shape.ServerOf(i) != shape.ServerOf(j))
            {
                net.Set(i, j, 3 * i + 5 * j + 1);
            }
        }
    }
    DemandMatrix both = net;
    for (uint32_t i = 0; i < 12; ++i)
    {
        for (uint32_t j = 0; j < 12; ++j)
        {
            both.Add(i, j, d.At(i, j));
        }
    }
    for (ForwardingRule rule : {ForwardingRule::RAIL_ALIGNED, ForwardingRule::NETWORK_FIRST})
    {
        const ClusterDemand a = MapClusterDemand(net, shape, rule);
        const ClusterDemand b = MapClusterDemand(both, shape, rule);
        for (uint32_t l = 0; l < 4; ++l)
        {
            EXPECT_EQ(a.rails[l], b.rails[l]);
        }
        EXPECT_EQ(b.NvlinkBytes(), a.NvlinkBytes() + d.Total());
    }
}

TEST(ClusterDemand, OneGpuPerServerIsTheSingleSwitchModel)
{
    std::mt19937_64 rng(7);
    DemandMatrix d(6);
    for (uint32_t i = 0; i < 6; ++i)
    {
        for (uint32_t j = 0; j < 6; ++j)
        {
            if (i != j)
            {
                d.Set(i, j, static_cast<Bytes>(rng() % 1000));
            }
        }
    }
    const ClusterShape shape = ClusterShape::FromGpus(6, 1, 1, 0);
    for (ForwardingRule rule :
         {ForwardingRule::DIRECT, ForwardingRule::RAIL_ALIGNED, ForwardingRule::NETWORK_FIRST})
    {
        const ClusterDemand cd = MapClusterDemand(d, shape, rule);
        EXPECT_EQ(cd.rails[0], d);
        EXPECT_EQ(cd.PlaneScheduleDemand(0), d);
        EXPECT_EQ(cd.NvlinkBytes(), 0);
    }
}

TEST(ClusterDemand, ConservationOnRandomShapes)
{
    std::mt19937_64 rng(2026);

    struct Case
    {
        uint32_t n, g, p, alpha;
    };

    for (const Case& c : {Case{4, 2, 2, 0},
                          Case{8, 4, 2, 0},
                          Case{16, 8, 8, 0},
                          Case{16, 8, 3, 5},
                          Case{24, 8, 1, 8},
                          Case{12, 3, 1, 1}})
    {
        DemandMatrix d(c.n);
        for (uint32_t i = 0; i < c.n; ++i)
        {
            for (uint32_t j = 0; j < c.n; ++j)
            {
                d.Set(i, j, rng() % 3 == 0 ? 0 : static_cast<Bytes>(rng() % 100000));
            }
        }
        const ClusterShape shape = ClusterShape::FromGpus(c.n, c.g, c.p, c.alpha);
        for (ForwardingRule rule : {ForwardingRule::RAIL_ALIGNED, ForwardingRule::NETWORK_FIRST})
        {
            const ClusterDemand cd = MapClusterDemand(d, shape, rule);
            Bytes planes = 0;
            for (uint32_t p = 0; p < shape.planes; ++p)
            {
                planes += cd.PlaneBytes(p);
                EXPECT_EQ(cd.PlaneDemand(p).Total(), cd.PlaneBytes(p));
            }
            EXPECT_EQ(cd.intraServerBytes + planes + cd.EpsBytes(), d.Total());
            EXPECT_EQ(planes + cd.EpsBytes(), cd.NicBytes());
            EXPECT_EQ(cd.NvlinkBytes(), cd.intraServerBytes + cd.forwardedBytes);
            Bytes sent = 0;
            Bytes received = 0;
            for (uint32_t g = 0; g < c.n; ++g)
            {
                sent += cd.NicSendBytes(g);
                received += cd.NicReceiveBytes(g);
            }
            EXPECT_EQ(sent, cd.NicBytes());
            EXPECT_EQ(received, cd.NicBytes());
            // Forwarded bytes: network bytes whose source and destination local index differ.
            Bytes fwd = 0;
            for (uint32_t i = 0; i < c.n; ++i)
            {
                for (uint32_t j = 0; j < c.n; ++j)
                {
                    if (shape.ServerOf(i) != shape.ServerOf(j) &&
                        shape.LocalOf(i) != shape.LocalOf(j))
                    {
                        fwd += d.At(i, j);
                    }
                }
            }
            EXPECT_EQ(cd.forwardedBytes, fwd);
        }
    }
}

// The packet level routes hop by hop with NextHop(): following it from every source to
// every destination must take at most one NVLink hop and one rail hop and reproduce the rail
// and NVLink matrices MapClusterDemand() counts.
TEST(ClusterDemand, NextHopWalksTheMappedPaths)
{
    for (const auto& [n, g, p] : {std::tuple<uint32_t, uint32_t, uint32_t>{8, 4, 4},
                                  std::tuple<uint32_t, uint32_t, uint32_t>{12, 3, 1},
                                  std::tuple<uint32_t, uint32_t, uint32_t>{16, 8, 2}})
    {
        const ClusterShape shape = ClusterShape::FromGpus(n, g, p, 0);
        DemandMatrix d(n);
        for (uint32_t i = 0; i < n; ++i)
        {
            for (uint32_t j = 0; j < n; ++j)
            {
                d.Set(i, j, i == j ? 0 : 100 * i + j + 1);
            }
        }
        for (ForwardingRule rule : {ForwardingRule::RAIL_ALIGNED, ForwardingRule::NETWORK_FIRST})
        {
            const ClusterDemand cd = MapClusterDemand(d, shape, rule);
            std::vector<DemandMatrix> rails(g, DemandMatrix(shape.servers));
            DemandMatrix nvlink(n);
            for (uint32_t i = 0; i < n; ++i)
            {
                for (uint32_t j = 0; j < n; ++j)
                {
                    uint32_t at = i;
                    uint32_t nvlinkHops = 0;
                    uint32_t railHops = 0;
                    while (at != j && nvlinkHops + railHops < 3)
                    {
                        const ClusterHop hop = NextHop(shape, rule, at, j);
                        if (hop.nvlink)
                        {
                            EXPECT_EQ(shape.ServerOf(hop.gpu), shape.ServerOf(at));
                            nvlink.Add(at, hop.gpu, d.At(i, j));
                            ++nvlinkHops;
                        }
                        else
                        {
                            EXPECT_EQ(shape.LocalOf(hop.gpu), shape.LocalOf(at));
                            rails[shape.LocalOf(at)].Add(shape.ServerOf(at),
                                                         shape.ServerOf(hop.gpu),
                                                         d.At(i, j));
                            ++railHops;
                        }
                        at = hop.gpu;
                    }
                    EXPECT_EQ(at, j);
                    EXPECT_LE(nvlinkHops, 1U);
                    EXPECT_LE(railHops, 1U);
                }
            }
            for (uint32_t r = 0; r < g; ++r)
            {
                EXPECT_EQ(rails[r], cd.rails[r]) << "rail " << r;
            }
            EXPECT_EQ(nvlink, cd.nvlink);
        }
    }
    EXPECT_THROW(NextHop(ClusterShape::FromGpus(8, 4, 4, 0), ForwardingRule::RAIL_ALIGNED, 3, 3),
                 InputError);
    EXPECT_THROW(NextHop(ClusterShape::FromGpus(8, 4, 4, 0), ForwardingRule::RAIL_ALIGNED, 0, 8),
                 InputError);
}

// A plane of k rails runs its server-level matching as k parallel circuits, rail r on ports
// r x S .. r x S + S - 1.
TEST(ClusterSchedule, ExpandPlaneScheduleRunsOneCircuitPerRail)
{
    Schedule plane(3, CircuitModel::UNIDIRECTIONAL);
    plane.Append({{{0, 1}, {1, 2}, {2, 0}}, 1000, 50});
    plane.Append({{{0, 2}}, 500, 10});
    EXPECT_EQ(ExpandPlaneSchedule(plane, 1).NumConfigurations(), 2U);
    const Schedule two = ExpandPlaneSchedule(plane, 2);
    ASSERT_EQ(two.Ports(), 6U);
    ASSERT_EQ(two.NumConfigurations(), 2U);
    const std::vector<Circuit> first = {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 5}, {5, 3}};
    EXPECT_EQ(two.Configurations()[0].circuits, first);
    EXPECT_EQ(two.Configurations()[0].durationNs, 1000);
    EXPECT_EQ(two.Configurations()[1].circuits, (std::vector<Circuit>{{0, 2}, {3, 5}}));
    EXPECT_NO_THROW(two.Validate());
    EXPECT_THROW(ExpandPlaneSchedule(plane, 0), InputError);
}

TEST(ClusterFluid, TwoLevelModelOnHandMadeSchedules)
{
    const ClusterShape shape = ClusterShape::FromGpus(4, 2, 2, 0);
    const ClusterDemand cd = MapClusterDemand(TwoByTwo(), shape, ForwardingRule::RAIL_ALIGNED);
    // Plane 0 (rail 0: 16 and 52 bytes), plane 1 (rail 1: 18 and 54 bytes); one duplex-free
    // matching {0->1, 1->0} held for the larger entry.
    std::vector<Schedule> sched;
    for (Ns dur : {52, 54})
    {
        Schedule s(2, CircuitModel::UNIDIRECTIONAL);
        Configuration c;
        c.circuits = {{0, 1}, {1, 0}};
        c.durationNs = dur;
        s.Append(c);
        sched.push_back(s);
    }
    ClusterFluidParams p;
    p.nicRateBps = 8000000000;     // 1 byte/ns
    p.nvlinkRateBps = 64000000000; // 8 bytes/ns
    p.nvlinkLatencyNs = 10;
    p.reconfigDelayNs = 100;
    const ClusterFluidResult r = EvaluateCluster(cd, sched, p);
    ASSERT_EQ(r.planes.size(), 2u);
    EXPECT_EQ(r.planes[0].makespanNs, 152);
    EXPECT_EQ(r.planes[1].makespanNs, 154);
    EXPECT_EQ(r.planes[0].bytes, 68);
    EXPECT_EQ(r.planes[1].bytes, 72);
    EXPECT_EQ(r.planes[0].residualBytes, 0);
    EXPECT_EQ(r.planes[0].matchings, 1u);
    EXPECT_EQ(r.planes[0].reconfigurations, 1u);
    // Plane 0: 104 ns lit, carrying 16 + 52 bytes -> bubble (52 - 16) / 104.
    EXPECT_DOUBLE_EQ(r.planes[0].bubbleFraction, 36.0 / 104.0);
    EXPECT_EQ(r.planes[0].lowerBoundNs, 52);
    EXPECT_EQ(r.networkStageNs, 154);
    // Busiest NVLink GPU: GPU 3 sends 64 bytes (GPU 2 receives 64) -> 8 ns + 10 ns.
    EXPECT_EQ(r.nvlinkStageNs, 18);
    EXPECT_EQ(r.makespanNs, 172);
    EXPECT_EQ(r.overlappedNs, 154);
    EXPECT_EQ(r.idealNetworkNs, 54);
    EXPECT_EQ(r.idealMakespanNs, 72);
    EXPECT_EQ(r.nvlinkBytes, 140);
    EXPECT_EQ(r.nicBytes, 140);
    // A schedule too short for the rail with no fallback is an error naming the bytes.
    sched[1].MutableConfigurations()[0].durationNs = 50;
    const std::string e = ErrorOf([&] { EvaluateCluster(cd, sched, p); });
    EXPECT_TRUE(Contains(e, "plane 1 rail 1 leaves 4 bytes")) << e;
    p.epsRateBps = 8000000000;
    const ClusterFluidResult f = EvaluateCluster(cd, sched, p);
    EXPECT_EQ(f.planes[1].residualBytes, 4);
    EXPECT_EQ(f.planes[1].makespanNs, 150);
    // Wrong number of schedules.
    sched.pop_back();
    EXPECT_TRUE(Contains(ErrorOf([&] { EvaluateCluster(cd, sched, p); }),
                         "got 1 plane schedules for 2 planes"));
}

TEST(ClusterFluid, ElectricalRailsAreNicLimited)
{
    const ClusterDemand cd = MapClusterDemand(TwoByTwo(),
                                              ClusterShape::FromGpus(4, 2, 1, 1),
                                              ForwardingRule::RAIL_ALIGNED);
    std::vector<Schedule> sched(1, Schedule(2, CircuitModel::UNIDIRECTIONAL));
    Configuration c;
    c.circuits = {{0, 1}, {1, 0}};
    c.durationNs = 52;
    sched[0].Append(c);
    ClusterFluidParams p;
    p.nicRateBps = 8000000000;
    p.nvlinkRateBps = 64000000000;
    p.reconfigDelayNs = 100;
    const ClusterFluidResult r = EvaluateCluster(cd, sched, p);
    EXPECT_EQ(r.epsRailsNs, 54); // rail 1: 54 bytes from server 1 at 1 byte/ns
    EXPECT_EQ(r.epsBytes, 72);
    EXPECT_EQ(r.networkStageNs, 152);
}

TEST(ClusterFluid, SchedulesPerPlaneDeliverEverything)
{
    std::mt19937_64 rng(99);
    const ClusterShape shape = ClusterShape::FromGpus(32, 8, 4, 0); // 4 servers, 2 rails/plane
    DemandMatrix d(32);
    for (uint32_t i = 0; i < 32; ++i)
    {
        for (uint32_t j = 0; j < 32; ++j)
        {
            d.Set(i, j, static_cast<Bytes>(rng() % 50000));
        }
    }
    for (const char* algo : {"greedy", "bvn"})
    {
        for (ForwardingRule rule : {ForwardingRule::RAIL_ALIGNED, ForwardingRule::NETWORK_FIRST})
        {
            const ClusterDemand cd = MapClusterDemand(d, shape, rule);
            DecompositionParams dp;
            dp.algorithm = algo;
            dp.linkRateBps = 400000000000;
            dp.reconfigDelayNs = 1000;
            dp.residualPolicy = ResidualPolicy::APPEND;
            const std::vector<Schedule> sched = ScheduleClusterPlanes(cd, dp);
            ASSERT_EQ(sched.size(), 4u);
            ClusterFluidParams p;
            p.reconfigDelayNs = 1000;
            const ClusterFluidResult r = EvaluateCluster(cd, sched, p);
            Bytes planeBytes = 0;
            for (uint32_t q = 0; q < 4; ++q)
            {
                EXPECT_EQ(r.planes[q].residualBytes, 0) << algo << " plane " << q;
                EXPECT_GE(r.planes[q].makespanNs, r.planes[q].lowerBoundNs);
                EXPECT_GE(r.planes[q].matchings, 1u);
                planeBytes += r.planes[q].bytes;
            }
            EXPECT_EQ(planeBytes + cd.intraServerBytes, d.Total());
            EXPECT_GE(r.networkStageNs, r.idealNetworkNs);
            EXPECT_GE(r.makespanNs, r.overlappedNs);
            EXPECT_GE(r.makespanNs, r.idealMakespanNs);
        }
    }
}

TEST(ClusterRouting, NodeLimitedStaysOnMServers)
{
    MoeConfig cfg;
    cfg.numGpus = 32;
    cfg.numExperts = 256;
    cfg.topK = 8;
    cfg.tokensPerGpu = 1; // one token: its copies show which servers it chose
    const ClusterShape shape = ClusterShape::FromGpus(32, 4, 4, 0); // 8 servers
    for (uint64_t seed = 1; seed <= 20; ++seed)
    {
        const std::vector<uint64_t> c = NodeLimitedCopies(cfg, shape, 3, seed);
        for (uint32_t i = 0; i < 32; ++i)
        {
            std::vector<bool> used(8, false);
            uint64_t row = 0;
            for (uint32_t j = 0; j < 32; ++j)
            {
                row += c[i * 32 + j];
                if (c[i * 32 + j] > 0)
                {
                    used[shape.ServerOf(j)] = true;
                }
            }
            EXPECT_EQ(row, 8u);
            EXPECT_LE(std::count(used.begin(), used.end(), true), 3);
        }
    }
    cfg.tokensPerGpu = 64;
    EXPECT_EQ(NodeLimitedCopies(cfg, shape, 4, 9), NodeLimitedCopies(cfg, shape, 4, 9));
    EXPECT_NE(NodeLimitedCopies(cfg, shape, 4, 9), NodeLimitedCopies(cfg, shape, 4, 10));
    cfg.topK = 40; // 32 experts per server: one server holds too few
    const std::string e = ErrorOf([&] { NodeLimitedCopies(cfg, shape, 1, 1); });
    EXPECT_TRUE(Contains(e, "1 servers may hold only 32 experts, fewer than topK 40")) << e;
    EXPECT_TRUE(
        Contains(ErrorOf([&] { NodeLimitedCopies(cfg, shape, 0, 1); }), "maxServers >= 1, got 0"));
}

TEST(ClusterDemand, ServerDeduplicatedHandComputed)
{
    // GPU 0 (server 0) has two tokens: T1 -> experts on GPUs 2 and 3 (both on server 1),
    // T2 -> experts on GPUs 1 and 3. 10 bytes per copy.
    ClusterRouting r;
    r.copies.assign(16, 0);
    r.serverTokens.assign(8, 0);
    r.copies[0 * 4 + 1] = 1;
    r.copies[0 * 4 + 2] = 1;
    r.copies[0 * 4 + 3] = 2;
    r.serverTokens[0 * 2 + 0] = 1; // T2 has an expert on its own server
    r.serverTokens[0 * 2 + 1] = 2; // both tokens reach server 1
    const ClusterShape shape = ClusterShape::FromGpus(4, 2, 2, 0);
    const ClusterDemand d = MapServerDeduplicated(r, shape, 10, false);
    EXPECT_EQ(d.rails[0], Servers2(20, 0)); // one copy per token and server, on GPU 0's rail
    EXPECT_EQ(d.rails[1], Servers2(0, 0));
    DemandMatrix nv(4);
    nv.Set(0, 1, 10); // T2's copy for GPU 1
    nv.Set(2, 3, 20); // GPU 2 forwards both tokens' copies for GPU 3
    EXPECT_EQ(d.nvlink, nv);
    EXPECT_EQ(d.demandBytes, 40);
    EXPECT_EQ(d.intraServerBytes, 10);
    EXPECT_EQ(d.forwardedBytes, 20);
    EXPECT_EQ(d.deduplicatedBytes, 10); // T1's second copy to server 1
    EXPECT_EQ(d.intraServerBytes + d.NicBytes() + d.deduplicatedBytes, d.demandBytes);
    EXPECT_EQ(d.NvlinkBytes(), d.intraServerBytes + d.forwardedBytes);
    // Combine: the reverse path, reduced to one reply per token and server before the network.
    const ClusterDemand c = MapServerDeduplicated(r, shape, 10, true);
    EXPECT_EQ(c.rails[0], Servers2(0, 20));
    EXPECT_EQ(c.nvlink, nv.Transposed());
    EXPECT_EQ(c.deduplicatedBytes, 10);
}

TEST(ClusterDemand, ServerDeduplicatedConservesOnNodeLimitedRouting)
{
    MoeConfig cfg;
    cfg.numGpus = 32;
    cfg.numExperts = 64;
    cfg.topK = 8;
    cfg.tokensPerGpu = 200;
    const ClusterShape shape = ClusterShape::FromGpus(32, 8, 8, 0);
    const ClusterRouting r = NodeLimitedRouting(cfg, shape, 2, 5);
    EXPECT_EQ(r.copies, NodeLimitedCopies(cfg, shape, 2, 5));
    for (bool combine : {false, true})
    {
        const ClusterDemand d = MapServerDeduplicated(r, shape, 7392, combine);
        Bytes planes = 0;
        for (uint32_t p = 0; p < 8; ++p)
        {
            planes += d.PlaneBytes(p);
        }
        EXPECT_EQ(d.intraServerBytes + planes + d.deduplicatedBytes, d.demandBytes);
        EXPECT_EQ(d.NvlinkBytes(), d.intraServerBytes + d.forwardedBytes);
        EXPECT_GT(d.deduplicatedBytes, 0);
        // Network copies: per GPU, tokens with an expert on each other server.
        uint64_t tokens = 0;
        for (uint32_t i = 0; i < 32; ++i)
        {
            for (uint32_t t = 0; t < 4; ++t)
            {
                tokens += t == shape.ServerOf(i) ? 0 : r.serverTokens[i * 4 + t];
            }
            EXPECT_LE(r.serverTokens[i * 4 + 0] + r.serverTokens[i * 4 + 1] +
                          r.serverTokens[i * 4 + 2] + r.serverTokens[i * 4 + 3],
                      2u * 200u); // at most M = 2 servers per token
        }
        EXPECT_EQ(d.NicBytes(), static_cast<Bytes>(tokens) * 7392);
    }
}

TEST(ClusterRouting, DedupSendsOneCopyPerTokenAndGpu)
{
    MoeConfig cfg;
    cfg.numGpus = 16;
    cfg.numExperts = 64; // 4 experts per GPU: a token often picks two on one GPU
    cfg.topK = 8;
    cfg.tokensPerGpu = 1;
    cfg.dedup = true;
    const ClusterShape shape = ClusterShape::FromGpus(16, 8, 8, 0);
    bool sawFewer = false;
    for (uint64_t seed = 1; seed <= 10; ++seed)
    {
        const ClusterRouting r = NodeLimitedRouting(cfg, shape, 2, seed);
        for (uint32_t i = 0; i < 16; ++i)
        {
            uint64_t row = 0;
            for (uint32_t j = 0; j < 16; ++j)
            {
                EXPECT_LE(r.copies[i * 16 + j], 1u); // one token: at most one copy per GPU
                row += r.copies[i * 16 + j];
            }
            EXPECT_GE(row, 2u); // 8 experts over at most 2 servers of 8 GPUs x 4 experts
            EXPECT_LE(row, 8u);
            sawFewer = sawFewer || row < 8;
        }
    }
    EXPECT_TRUE(sawFewer);
}

TEST(ClusterRouting, NodeLimitedLayerIsTheRoutingOfItsLayer)
{
    MoeConfig cfg;
    cfg.numGpus = 16;
    cfg.numExperts = 32;
    cfg.topK = 4;
    cfg.tokensPerGpu = 50;
    cfg.hiddenSize = 64;
    cfg.dispatchExtraBytesPerCopy = 8;
    for (bool dedup : {false, true})
    {
        cfg.dedup = dedup;
        const ClusterShape shape = ClusterShape::FromGpus(16, 4, 4, 0); // 4 servers
        const MoeWorkload workload(cfg, 77);
        const std::vector<uint32_t> expertGpu = cfg.ExpertToGpu();
        for (uint32_t layer = 0; layer < 2; ++layer)
        {
            const LayerWorkload w = NodeLimitedLayer(workload, shape, 2, layer);
            // The core routing with the layer's own derived seed.
            const ClusterRouting r = NodeLimitedRouting(cfg, shape, 2, DeriveSeed(77, 3, layer));
            EXPECT_EQ(w.layer, layer);
            EXPECT_EQ(w.copies.Data(), r.copies);
            EXPECT_EQ(w.tokens, r.tokens);
            for (uint32_t i = 0; i < 16; ++i)
            {
                EXPECT_EQ(w.tokens.RowSum(i), 50u * 4u);
                for (uint32_t g = 0; g < 16; ++g)
                {
                    uint64_t toGpu = 0;
                    for (uint32_t e = 0; e < 32; ++e)
                    {
                        toGpu += expertGpu[e] == g ? w.tokens.At(i, e) : 0;
                    }
                    // One copy per token and expert, or per token and GPU with dedup.
                    if (dedup)
                    {
                        EXPECT_LE(w.copies.At(i, g), toGpu);
                        EXPECT_EQ(w.copies.At(i, g) > 0, toGpu > 0);
                    }
                    else
                    {
                        EXPECT_EQ(w.copies.At(i, g), toGpu);
                    }
                    const auto c = static_cast<Bytes>(w.copies.At(i, g));
                    EXPECT_EQ(i == g ? w.dispatch.LocalBytes(i) : w.dispatch.At(i, g),
                              c * (64 * 2 + 8));
                    EXPECT_EQ(i == g ? w.combine.LocalBytes(i) : w.combine.At(g, i), c * 64 * 2);
                }
            }
            for (uint32_t e = 0; e < 32; ++e)
            {
                EXPECT_EQ(w.expertTokens[e], w.tokens.ColSum(e));
            }
            EXPECT_EQ(w.gpuExpertTokens[0].size(), 2u);
            EXPECT_EQ(w.gpuExpertTokens[0][1], w.expertTokens[1]);
        }
        // Layers draw apart; the same workload seed gives the same layer.
        EXPECT_NE(NodeLimitedLayer(workload, shape, 2, 0).copies,
                  NodeLimitedLayer(workload, shape, 2, 1).copies);
        EXPECT_EQ(NodeLimitedLayer(MoeWorkload(cfg, 77), shape, 2, 1).dispatch,
                  NodeLimitedLayer(workload, shape, 2, 1).dispatch);
        EXPECT_TRUE(Contains(ErrorOf([&] { NodeLimitedLayer(workload, shape, 0, 0); }),
                             "maxServers >= 1, got 0"));
    }
    // What LayerFromRouting() is given must fit the configuration.
    const MoeWorkload workload(cfg, 1);
    EXPECT_TRUE(Contains(
        ErrorOf([&] { workload.LayerFromRouting(0, TokenMatrix(16, 31), TokenMatrix(16, 16)); }),
        "routing matrices of 16 x 31 and 16 x 16 for 16 GPUs and 32 experts"));
}

TEST(ClusterRouting, CheckNodeLimitedNamesTheValue)
{
    MoeConfig cfg;
    cfg.numGpus = 8;
    cfg.numExperts = 8;
    cfg.topK = 4;
    const ClusterShape shape = ClusterShape::FromGpus(8, 4, 4, 0);
    EXPECT_NO_THROW(CheckNodeLimited(cfg, shape, 1));
    EXPECT_TRUE(Contains(ErrorOf([&] { CheckNodeLimited(cfg, shape, 0); }),
                         "node-limited routing needs maxServers >= 1, got 0"));
    cfg.topK = 5;
    EXPECT_TRUE(Contains(ErrorOf([&] { CheckNodeLimited(cfg, shape, 1); }),
                         "1 servers may hold only 4 experts, fewer than topK 5"));
    EXPECT_NO_THROW(CheckNodeLimited(cfg, shape, 2));
    cfg.numGpus = 16;
    EXPECT_TRUE(Contains(ErrorOf([&] { CheckNodeLimited(cfg, shape, 2); }),
                         "MoE config has 16 GPUs but the cluster has 8"));
}

namespace
{

/// Two configurations of three servers, told apart by their duration (1: A, 2: B):
/// A = {0 -> 1, 1 -> 2, 2 -> 0}, B = {0 -> 2, 1 -> 0, 2 -> 1}.
Schedule
ThreeServerAB()
{
    Schedule s(3, CircuitModel::UNIDIRECTIONAL);
    s.Append({{{0, 1}, {1, 2}, {2, 0}}, 1, 0});
    s.Append({{{0, 2}, {1, 0}, {2, 1}}, 2, 0});
    return s;
}

/** @param s a schedule @return the durations of its configurations, in order */
std::vector<Ns>
Durations(const Schedule& s)
{
    std::vector<Ns> d;
    for (const auto& c : s.Configurations())
    {
        d.push_back(c.durationNs);
    }
    return d;
}

} // namespace

TEST(ClusterComputeAware, PlanesRankBytesByTheirDestinationsLoad)
{
    // 3 servers x 2 GPUs, one plane per rail. 10 bytes between every two GPUs of different
    // servers, and GPUs 0 and 1 (server 0) send 100 more to GPU 5 (server 2, local 1): GPU 5
    // is the hot one, and only circuit 0 -> 2 (in B) carries its extra bytes.
    const ClusterShape shape = ClusterShape::FromGpus(6, 2, 2, 0);
    DemandMatrix d(6);
    for (uint32_t i = 0; i < 6; ++i)
    {
        for (uint32_t j = 0; j < 6; ++j)
        {
            d.Set(i, j, shape.ServerOf(i) == shape.ServerOf(j) ? 0 : 10);
        }
    }
    d.Set(0, 5, 110);
    d.Set(1, 5, 110);
    const std::vector<Ns> ab{1, 2};
    const std::vector<Ns> ba{2, 1};
    // Rail-aligned: bytes for GPU 5 cross on rail 1 (plane 1); plane 0's circuits all carry
    // 20 bytes to GPUs of load 40 (a tie: the order stays).
    std::vector<Schedule> planes{ThreeServerAB(), ThreeServerAB()};
    OrderPlanesComputeAware(planes, shape, ForwardingRule::RAIL_ALIGNED, d);
    EXPECT_EQ(Durations(planes[0]), ab);
    EXPECT_EQ(Durations(planes[1]), ba);
    // Network-first: GPU 0's bytes cross on rail 0, GPU 1's on rail 1: both planes carry some.
    planes = {ThreeServerAB(), ThreeServerAB()};
    OrderPlanesComputeAware(planes, shape, ForwardingRule::NETWORK_FIRST, d);
    EXPECT_EQ(Durations(planes[0]), ba);
    EXPECT_EQ(Durations(planes[1]), ba);
    // Bytes on an electrical rail rank nothing: with rail 1 off the planes, plane 0 (rail 0)
    // under rail-aligned sees no bytes for GPU 5 and keeps the order.
    const ClusterShape onePlane = ClusterShape::FromGpus(6, 2, 1, 1);
    planes = {ThreeServerAB()};
    OrderPlanesComputeAware(planes, onePlane, ForwardingRule::RAIL_ALIGNED, d);
    EXPECT_EQ(Durations(planes[0]), ab);
    // Counts and sizes must match.
    planes = {ThreeServerAB()};
    EXPECT_TRUE(Contains(
        ErrorOf([&] { OrderPlanesComputeAware(planes, shape, ForwardingRule::RAIL_ALIGNED, d); }),
        "a demand of 6 GPUs and 1 schedules for 6 GPUs and 2 planes"));
}

TEST(ClusterComputeAware, OneGpuPerServerIsTheSingleSwitchRank)
{
    // G = 1: the rank of a configuration is the sum over its circuits of D(i, j) x ColSum(j).
    const ClusterShape shape = ClusterShape::FromGpus(3, 1, 1, 0);
    DemandMatrix d(3);
    d.Set(0, 1, 5);
    d.Set(0, 2, 1);
    d.Set(1, 0, 2);
    d.Set(1, 2, 1);
    d.Set(2, 0, 3);
    d.Set(2, 1, 4);
    // Loads (column sums): GPU 0: 5, GPU 1: 9, GPU 2: 2.
    // A = 5 x 9 + 1 x 2 + 3 x 5 = 62; B = 1 x 2 + 2 x 5 + 4 x 9 = 48: A first.
    std::vector<Schedule> planes{ThreeServerAB()};
    OrderPlanesComputeAware(planes, shape, ForwardingRule::DIRECT, d);
    EXPECT_EQ(Durations(planes[0]), (std::vector<Ns>{1, 2}));
    // D(0, 2) = 19 makes GPU 2's load 20: A = 45 + 1 x 20 + 15 = 80, B = 19 x 20 + 10 + 36 = 426.
    d.Set(0, 2, 19);
    planes = {ThreeServerAB()};
    OrderPlanesComputeAware(planes, shape, ForwardingRule::DIRECT, d);
    EXPECT_EQ(Durations(planes[0]), (std::vector<Ns>{2, 1}));
}
