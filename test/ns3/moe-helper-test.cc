/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Tests of the pieces a MoE layer is composed of: transports and batch policies chosen by
// attribute, MoeGpuApplicationHelper, the helpers' AssignStreams, MoeStatsCollector, and a
// layer built by hand from the helpers against MoeLayerScenario::Run.

#include "photonic-moe-test-util.h"

#include "ns3/application-container.h"
#include "ns3/circuit-scheduler-application.h"
#include "ns3/circuit-scheduler-helper.h"
#include "ns3/data-rate.h"
#include "ns3/gpu-compute-model.h"
#include "ns3/ipv4-address.h"
#include "ns3/moe-batch-policy.h"
#include "ns3/moe-gpu-application-helper.h"
#include "ns3/moe-gpu-application.h"
#include "ns3/moe-layer-scenario.h"
#include "ns3/moe-stats-collector.h"
#include "ns3/moe-tcp-transport.h"
#include "ns3/moe-topology-helper.h"
#include "ns3/moe-transport.h"
#include "ns3/moe-udp-transport.h"
#include "ns3/moe-workload-data.h"
#include "ns3/node-container.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/type-id.h"
#include "ns3/uinteger.h"

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{
namespace tests
{
namespace
{

/**
 * @param gpus GPUs
 * @param stream the ns-3 stream that seeds the routing
 * @return a small workload (16 experts, top-2, 64 tokens per GPU) for @p gpus GPUs
 */
std::shared_ptr<const MoeWorkloadData>
SmallWorkload(uint32_t gpus, int64_t stream = 1)
{
    MoeConfig c = SmallScenario(64).moe;
    c.numGpus = gpus;
    return MoeWorkloadData::Generate(c, 1, stream);
}

/**
 * @param nodes GPU nodes (no IP stack needed: the transports open sockets only at start)
 * @return one endpoint per node, addresses 10.0.0.1, 10.0.0.2, ...
 */
std::vector<MoeEndpoint>
Endpoints(const NodeContainer& nodes)
{
    std::vector<MoeEndpoint> endpoints;
    for (uint32_t g = 0; g < nodes.GetN(); ++g)
    {
        endpoints.push_back({nodes.Get(g), Ipv4Address(0x0a000001 + g)});
    }
    return endpoints;
}

/**
 * @param apps applications of MoeGpuApplicationHelper::Install
 * @param g a GPU
 * @return its application
 */
Ptr<MoeGpuApplication>
App(const ApplicationContainer& apps, uint32_t g)
{
    return DynamicCast<MoeGpuApplication>(apps.Get(g));
}

} // namespace

/**
 * @ingroup photonic-moe
 * MoeGpuApplication's Transport and BatchPolicy attributes select the classes by TypeId,
 * given as TypeIdValue or as StringValue with the TypeId name; a TypeId that is not a
 * constructible transport or policy is rejected with a pmoe::InputError naming it, and an
 * unknown TypeId name makes SetAttributeFailSafe return false.
 */
class TransportAndPolicyAttributesTestCase : public TestCase
{
  public:
    TransportAndPolicyAttributesTestCase()
        : TestCase("MoeGpuApplication: Transport and BatchPolicy selected by TypeId attribute")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<MoeGpuApplication> app = CreateObject<MoeGpuApplication>();
        NS_TEST_EXPECT_MSG_EQ(app->GetTransport()->GetInstanceTypeId(),
                              MoeTcpTransport::GetTypeId(),
                              "default transport: one TCP connection per pair and kind");
        NS_TEST_EXPECT_MSG_EQ(app->GetBatchPolicy()->GetInstanceTypeId(),
                              MoeNoOverlapBatchPolicy::GetTypeId(),
                              "default batch policy: no overlap");

        app->SetAttribute("Transport", TypeIdValue(MoeUdpTransport::GetTypeId()));
        NS_TEST_EXPECT_MSG_EQ(bool(DynamicCast<MoeUdpTransport>(app->GetTransport())),
                              true,
                              "TypeIdValue: UDP");
        app->SetAttribute("Transport", StringValue("ns3::MoeSharedTcpTransport"));
        NS_TEST_EXPECT_MSG_EQ(app->GetTransport()->GetInstanceTypeId(),
                              MoeSharedTcpTransport::GetTypeId(),
                              "StringValue: shared TCP");
        app->SetAttribute("Transport", StringValue("ns3::MoeUdpTransport"));
        NS_TEST_EXPECT_MSG_EQ(bool(DynamicCast<MoeUdpTransport>(app->GetTransport())),
                              true,
                              "StringValue: UDP");
        TypeIdValue transport;
        app->GetAttribute("Transport", transport);
        NS_TEST_EXPECT_MSG_EQ(transport.Get(), MoeUdpTransport::GetTypeId(), "read back");

        app->SetAttribute("BatchPolicy", TypeIdValue(MoePerMatchingBatchPolicy::GetTypeId()));
        NS_TEST_EXPECT_MSG_EQ(app->GetBatchPolicy()->GetName(),
                              "per-matching",
                              "TypeIdValue: per-matching");
        app->SetAttribute("BatchPolicy", StringValue("ns3::MoeThresholdBatchPolicy"));
        NS_TEST_EXPECT_MSG_EQ(bool(DynamicCast<MoeThresholdBatchPolicy>(app->GetBatchPolicy())),
                              true,
                              "StringValue: threshold");
        TypeIdValue policy;
        app->GetAttribute("BatchPolicy", policy);
        NS_TEST_EXPECT_MSG_EQ(policy.Get(), MoeThresholdBatchPolicy::GetTypeId(), "read back");

        // TypeIds that are not a constructible transport or policy, by name.
        NS_TEST_EXPECT_MSG_EQ(
            Throws(
                [&]() {
                    app->SetAttribute("Transport", TypeIdValue(MoeGpuApplication::GetTypeId()));
                },
                "ns3::MoeGpuApplication"),
            true,
            "an application is not a transport");
        NS_TEST_EXPECT_MSG_EQ(
            Throws(
                [&]() {
                    app->SetAttribute("Transport", StringValue("ns3::MoeThresholdBatchPolicy"));
                },
                "ns3::MoeThresholdBatchPolicy"),
            true,
            "a batch policy is not a transport");
        NS_TEST_EXPECT_MSG_EQ(
            Throws(
                [&]() { app->SetAttribute("Transport", TypeIdValue(MoeTransport::GetTypeId())); },
                "ns3::MoeTransport"),
            true,
            "the abstract transport cannot be constructed");
        NS_TEST_EXPECT_MSG_EQ(Throws(
                                  [&]() {
                                      app->SetAttribute("BatchPolicy",
                                                        TypeIdValue(MoeUdpTransport::GetTypeId()));
                                  },
                                  "ns3::MoeUdpTransport"),
                              true,
                              "a transport is not a batch policy");
        NS_TEST_EXPECT_MSG_EQ(Throws(
                                  [&]() {
                                      app->SetAttribute("BatchPolicy",
                                                        TypeIdValue(MoeBatchPolicy::GetTypeId()));
                                  },
                                  "ns3::MoeBatchPolicy"),
                              true,
                              "the abstract policy cannot be constructed");
        NS_TEST_EXPECT_MSG_EQ(bool(DynamicCast<MoeUdpTransport>(app->GetTransport())),
                              true,
                              "a rejected value leaves the transport as it was");
        NS_TEST_EXPECT_MSG_EQ(
            app->SetAttributeFailSafe("Transport", StringValue("ns3::NoSuchTransport")),
            false,
            "unknown TypeId name: Transport");
        NS_TEST_EXPECT_MSG_EQ(
            app->SetAttributeFailSafe("BatchPolicy", StringValue("ns3::NoSuchPolicy")),
            false,
            "unknown TypeId name: BatchPolicy");
        NS_TEST_EXPECT_MSG_EQ(MoeBatchPolicyTypeName("threshold"),
                              "ns3::MoeThresholdBatchPolicy",
                              "short name to TypeId name");
        NS_TEST_EXPECT_MSG_EQ(Throws([]() { MoeBatchPolicyTypeName("eager"); }, "eager"),
                              true,
                              "unknown short name");
    }
};

/**
 * @ingroup photonic-moe
 * MoeGpuApplicationHelper installs one application per node, GPU i on node i, each with its
 * own transport and batch policy carrying the attributes given to SetTransport and
 * SetBatchPolicy; a type that is not a transport or policy is rejected by name; the
 * applications draw no random numbers (AssignStreams uses none).
 */
class GpuApplicationHelperTestCase : public TestCase
{
  public:
    GpuApplicationHelperTestCase()
        : TestCase("MoeGpuApplicationHelper: one application per GPU, own transport and policy")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t n = 3;
        NodeContainer gpus(n);
        MoeGpuApplicationHelper helper;
        helper.SetAttribute("NonMoeTime", TimeValue(MicroSeconds(7)));
        helper.SetTransport("ns3::MoeUdpTransport",
                            "Rate",
                            DataRateValue(DataRate("123Gbps")),
                            "PayloadSize",
                            UintegerValue(4000));
        helper.SetBatchPolicy("ns3::MoeThresholdBatchPolicy",
                              "Copies",
                              UintegerValue(77),
                              "Timeout",
                              TimeValue(MicroSeconds(33)));
        const auto workload = SmallWorkload(n);
        const ApplicationContainer apps = helper.Install(gpus, workload, Endpoints(gpus));
        NS_TEST_ASSERT_MSG_EQ(apps.GetN(), n, "one application per node");
        std::set<MoeTransport*> transports;
        std::set<MoeBatchPolicy*> policies;
        for (uint32_t g = 0; g < n; ++g)
        {
            Ptr<MoeGpuApplication> app = App(apps, g);
            NS_TEST_ASSERT_MSG_EQ(bool(app), true, "a MoeGpuApplication");
            NS_TEST_EXPECT_MSG_EQ(app->GetNode(), gpus.Get(g), "GPU " << g << " on node " << g);
            NS_TEST_EXPECT_MSG_EQ(gpus.Get(g)->GetNApplications(), 1u, "added to its node");
            NS_TEST_EXPECT_MSG_EQ(app->GetIndex(), g, "its index");
            NS_TEST_EXPECT_MSG_EQ((app->GetWorkload() == workload), true, "the workload");
            TimeValue nonMoe;
            app->GetAttribute("NonMoeTime", nonMoe);
            NS_TEST_EXPECT_MSG_EQ(nonMoe.Get(), MicroSeconds(7), "application attribute");

            Ptr<MoeUdpTransport> udp = DynamicCast<MoeUdpTransport>(app->GetTransport());
            NS_TEST_ASSERT_MSG_EQ(bool(udp), true, "UDP transport");
            DataRateValue rate;
            UintegerValue payload;
            udp->GetAttribute("Rate", rate);
            udp->GetAttribute("PayloadSize", payload);
            NS_TEST_EXPECT_MSG_EQ(rate.Get(), DataRate("123Gbps"), "transport attribute Rate");
            NS_TEST_EXPECT_MSG_EQ(payload.Get(), 4000u, "transport attribute PayloadSize");
            NS_TEST_EXPECT_MSG_EQ(udp->GetSelf(), g, "transport bound to its GPU");
            NS_TEST_EXPECT_MSG_EQ(udp->GetNGpus(), n, "transport knows every GPU");

            Ptr<MoeThresholdBatchPolicy> threshold =
                DynamicCast<MoeThresholdBatchPolicy>(app->GetBatchPolicy());
            NS_TEST_ASSERT_MSG_EQ(bool(threshold), true, "threshold policy");
            NS_TEST_EXPECT_MSG_EQ(threshold->BatchNow(76), false, "Copies 77: 76 wait");
            NS_TEST_EXPECT_MSG_EQ(threshold->BatchNow(77), true, "Copies 77: 77 batch");
            NS_TEST_EXPECT_MSG_EQ(threshold->MaxWait(), MicroSeconds(33), "Timeout");
            transports.insert(PeekPointer(app->GetTransport()));
            policies.insert(PeekPointer(app->GetBatchPolicy()));
        }
        NS_TEST_EXPECT_MSG_EQ(transports.size(), n, "a transport per GPU");
        NS_TEST_EXPECT_MSG_EQ(policies.size(), n, "a batch policy per GPU");
        NS_TEST_EXPECT_MSG_EQ(helper.AssignStreams(apps, 5), 0, "no random numbers");

        // Wrong types and sizes, by name.
        NS_TEST_EXPECT_MSG_EQ(
            Throws([&]() { helper.SetTransport("ns3::MoeThresholdBatchPolicy"); },
                   "'ns3::MoeThresholdBatchPolicy' is not the TypeId name of a constructible "
                   "ns3::MoeTransport"),
            true,
            "SetTransport: not a transport");
        NS_TEST_EXPECT_MSG_EQ(
            Throws([&]() { helper.SetBatchPolicy("ns3::NoSuchPolicy"); }, "ns3::NoSuchPolicy"),
            true,
            "SetBatchPolicy: unknown TypeId");
        NodeContainer two(2);
        NS_TEST_EXPECT_MSG_EQ(
            Throws([&]() { helper.Install(two, workload, Endpoints(two)); }, "2 nodes"),
            true,
            "a workload for 3 GPUs on 2 nodes");
        Simulator::Destroy();
    }
};

/**
 * @ingroup photonic-moe
 * CircuitSchedulerHelper: AssignStreams uses one stream per scheduler (the control-path
 * faults); Install needs the GPU applications. (The fabric helpers' AssignStreams are tested
 * in the "photonic-moe" suite.)
 */
class SchedulerHelperTestCase : public TestCase
{
  public:
    SchedulerHelperTestCase()
        : TestCase("CircuitSchedulerHelper: one stream per scheduler; needs the GPUs")
    {
    }

  private:
    void DoRun() override
    {
        // Two schedulers on the same GPUs: two streams.
        const uint32_t n = 2;
        MoeTopologyHelper topologyHelper;
        const MoeTopology topology = topologyHelper.Install(n);
        MoeGpuApplicationHelper gpuHelper;
        const ApplicationContainer apps =
            gpuHelper.Install(topology.gpus, SmallWorkload(n), topology.endpoints);
        CircuitSchedulerHelper schedulerHelper;
        ApplicationContainer schedulers;
        schedulers.Add(schedulerHelper.Install(CreateObject<Node>(), topology.ocs, apps));
        NS_TEST_EXPECT_MSG_EQ(schedulerHelper.AssignStreams(schedulers, 9), 1, "one scheduler");
        schedulers.Add(schedulerHelper.Install(CreateObject<Node>(), topology.ocs, apps));
        NS_TEST_EXPECT_MSG_EQ(schedulerHelper.AssignStreams(schedulers, 9), 2, "two schedulers");
        NS_TEST_EXPECT_MSG_EQ(Throws(
                                  [&]() {
                                      schedulerHelper.Install(CreateObject<Node>(),
                                                              topology.ocs,
                                                              ApplicationContainer());
                                  },
                                  "CircuitSchedulerHelper::Install"),
                              true,
                              "no GPU applications");
        Simulator::Destroy();
    }
};

/**
 * @ingroup photonic-moe
 * MoeStatsCollector::Install accepts only the MoeGpuApplications of one workload in GPU
 * order: applications in another order (whose traces would be counted for the wrong GPU),
 * too few of them (none at all included), or two workloads are rejected with an error; so is
 * a scheduler installed before the GPUs.
 */
class StatsCollectorInstallTestCase : public TestCase
{
  public:
    StatsCollectorInstallTestCase()
        : TestCase("MoeStatsCollector::Install rejects applications out of GPU order")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t n = 3;
        NodeContainer gpus(n);
        MoeGpuApplicationHelper helper;
        const ApplicationContainer apps = helper.Install(gpus, SmallWorkload(n), Endpoints(gpus));
        ApplicationContainer reversed;
        for (uint32_t g = n; g-- > 0;)
        {
            reversed.Add(apps.Get(g));
        }
        {
            MoeStatsCollector stats;
            NS_TEST_EXPECT_MSG_EQ(Throws([&]() { stats.Install(reversed); },
                                         "application 0 is not the MoeGpuApplication of GPU 0"),
                                  true,
                                  "reversed order");
        }
        {
            ApplicationContainer two(apps.Get(0));
            two.Add(apps.Get(1));
            MoeStatsCollector stats;
            NS_TEST_EXPECT_MSG_EQ(
                Throws([&]() { stats.Install(two); }, "2 applications for 3 GPUs"),
                true,
                "too few applications");
        }
        {
            NodeContainer others(n);
            const ApplicationContainer otherApps =
                helper.Install(others, SmallWorkload(n, 2), Endpoints(others));
            ApplicationContainer mixed(apps.Get(0));
            mixed.Add(apps.Get(1));
            mixed.Add(otherApps.Get(2));
            MoeStatsCollector stats;
            NS_TEST_EXPECT_MSG_EQ(Throws([&]() { stats.Install(mixed); }, "of one workload"),
                                  true,
                                  "two workloads");
        }
        {
            MoeStatsCollector stats;
            NS_TEST_EXPECT_MSG_EQ(Throws([&]() { stats.Install(ApplicationContainer()); },
                                         "the application container is empty (0 applications"),
                                  true,
                                  "empty container");
        }
        {
            MoeStatsCollector stats;
            Ptr<CircuitSchedulerApplication> scheduler =
                CreateObject<CircuitSchedulerApplication>();
            Ptr<OpticalCircuitSwitch> sw = CreateObject<OpticalCircuitSwitch>();
            NS_TEST_EXPECT_MSG_EQ(Throws([&]() { stats.Install(scheduler, sw); },
                                         "install the GPU applications first"),
                                  true,
                                  "scheduler before the GPUs");
        }
        {
            MoeStatsCollector stats;
            NS_TEST_EXPECT_MSG_EQ(ErrorOf([&]() { stats.Install(apps); }), "", "GPU order");
        }
        Simulator::Destroy();
    }
};

/**
 * @ingroup photonic-moe
 * MoeStatsCollector on a 2-GPU layer over the ideal fabric, built by hand from the helpers:
 * what it measures per GPU equals the workload it ran - dispatch and combine bytes sent and
 * received (with 2 GPUs, exactly the pair's entries), expert tokens computed and their ideal
 * compute time - and conservation holds.
 */
class StatsCollectorBytesTestCase : public TestCase
{
  public:
    StatsCollectorBytesTestCase()
        : TestCase("MoeStatsCollector: per-GPU bytes of a 2-GPU ideal layer equal the workload")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = SmallScenario();
        sc.moe.numGpus = 2;
        sc.moe.numExperts = 8;
        sc.moe.routing = RoutingKind::ZIPF;
        sc.fabric = "ideal";
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(4);
        const HandBuiltLayer run = RunLayerByHand(sc);
        const MoeLayerRunResult& r = run.result;
        NS_TEST_ASSERT_MSG_EQ(r.conserved, true, "conserved");
        NS_TEST_EXPECT_MSG_EQ(PairConservation(r), "", "every pair");
        NS_TEST_ASSERT_MSG_EQ(r.layers.size(), 1u, "one layer");
        NS_TEST_ASSERT_MSG_EQ(r.gpus.size(), 2u, "two GPUs");
        const LayerWorkload& w = run.workload->layers[0];
        NS_TEST_EXPECT_MSG_GT(w.dispatch.At(0, 1), 0, "traffic 0 -> 1");
        NS_TEST_EXPECT_MSG_NE(w.dispatch.At(0, 1), w.dispatch.At(1, 0), "skewed routing");
        NS_TEST_EXPECT_MSG_EQ(r.layers[0].dispatchBytesExpected,
                              static_cast<uint64_t>(w.dispatch.Total()),
                              "dispatch demand");
        NS_TEST_EXPECT_MSG_EQ(r.layers[0].combineBytesExpected,
                              static_cast<uint64_t>(w.combine.Total()),
                              "combine demand");
        Ptr<GpuComputeModel> model = CreateObject<GpuComputeModel>();
        model->SetAttribute("HiddenSize", UintegerValue(sc.moe.hiddenSize));
        for (uint32_t g = 0; g < 2; ++g)
        {
            const uint32_t peer = 1 - g;
            const MoeGpuMeasurement& m = r.gpus[g];
            NS_TEST_EXPECT_MSG_EQ(m.gpu, g, "GPU order");
            NS_TEST_EXPECT_MSG_EQ(m.dispatchBytesSent,
                                  static_cast<uint64_t>(w.dispatch.At(g, peer)),
                                  "GPU " << g << " dispatch sent");
            NS_TEST_EXPECT_MSG_EQ(m.dispatchBytesReceived,
                                  static_cast<uint64_t>(w.dispatch.At(peer, g)),
                                  "GPU " << g << " dispatch received");
            NS_TEST_EXPECT_MSG_EQ(m.combineBytesSent,
                                  static_cast<uint64_t>(w.combine.At(g, peer)),
                                  "GPU " << g << " combine sent");
            NS_TEST_EXPECT_MSG_EQ(m.combineBytesReceived,
                                  static_cast<uint64_t>(w.combine.At(peer, g)),
                                  "GPU " << g << " combine received");
            uint64_t tokens = 0;
            for (uint64_t t : w.gpuExpertTokens[g])
            {
                tokens += t;
            }
            NS_TEST_EXPECT_MSG_EQ(m.tokens, tokens, "GPU " << g << " expert tokens");
            NS_TEST_EXPECT_MSG_EQ(m.idealComputeNs,
                                  model->IdealTime(w.gpuExpertTokens[g]).GetNanoSeconds(),
                                  "GPU " << g << " ideal compute");
            NS_TEST_EXPECT_MSG_EQ(m.batches, 1u, "overlap none: one batch");
            NS_TEST_EXPECT_MSG_GT(m.doneNs, m.startNs, "GPU " << g << " finished");
        }
        NS_TEST_EXPECT_MSG_EQ(r.layers[0].numMatchings, 0u, "no scheduler on the ideal fabric");
        NS_TEST_EXPECT_MSG_EQ(r.deviceDrops, 0u, "no drops");
    }
};

/**
 * @ingroup photonic-moe
 * The pieces compose: a 4-GPU layer built by hand from MoeTopologyHelper,
 * GpuComputeModelHelper, MoeGpuApplicationHelper, CircuitSchedulerHelper and
 * MoeStatsCollector gives the same MoeLayerRunResult, field by field, as
 * MoeLayerScenario::Run with the same parameters and seed - on the OCS (TCP, per-matching
 * overlap) and on the ideal fabric (UDP).
 */
class HandBuiltLayerTestCase : public TestCase
{
  public:
    HandBuiltLayerTestCase()
        : TestCase("MoE layer built by hand from the helpers = MoeLayerScenario::Run")
    {
    }

  private:
    void DoRun() override
    {
        for (const char* fabric : {"ocs", "ideal"})
        {
            MoeLayerScenario sc = SmallScenario();
            sc.moe.routing = RoutingKind::ZIPF;
            sc.fabric = fabric;
            sc.overlap = sc.fabric == "ocs" ? "per-matching" : "none";
            sc.transport = sc.fabric == "ocs" ? "tcp" : "udp";
            const MoeLayerRunResult expected = RunSeeded(sc, 9);
            RngSeedManager::SetRun(9);
            const MoeLayerRunResult byHand = RunLayerByHand(sc).result;
            NS_TEST_ASSERT_MSG_EQ(expected.conserved, true, fabric << ": conserved");
            NS_TEST_EXPECT_MSG_EQ(FirstDifference(byHand, expected),
                                  "",
                                  fabric << ": by hand = MoeLayerScenario::Run");
        }
    }
};

void
AddMoeHelperTestCases(PmoeTestSuite& suite)
{
    suite.AddQuick(new TransportAndPolicyAttributesTestCase);
    suite.AddQuick(new GpuApplicationHelperTestCase);
    suite.AddQuick(new SchedulerHelperTestCase);
    suite.AddQuick(new StatsCollectorInstallTestCase);
    suite.AddExtensive(new StatsCollectorBytesTestCase);
    suite.AddExtensive(new HandBuiltLayerTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
