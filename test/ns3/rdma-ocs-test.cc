/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The RDMA transport on the optical circuit switch: frames wait in the queue pairs while
// their circuit is dark (nothing lost, nothing resent), data moves to the EPS when the EPS
// policy says so (no circuit now or later), and whole MoE layers built by hand like
// MoeLayerScenario::Run() with MoeRdmaTransport, on the OCS and on the ideal fabric.

#include "rdma-test-util.h"

#include "ns3/abort.h"
#include "ns3/application-container.h"
#include "ns3/boolean.h"
#include "ns3/circuit-scheduler-application.h"
#include "ns3/circuit-scheduler-helper.h"
#include "ns3/data-rate.h"
#include "ns3/moe-batch-policy.h"
#include "ns3/moe-gpu-application-helper.h"
#include "ns3/moe-gpu-application.h"
#include "ns3/moe-layer-scenario.h"
#include "ns3/moe-rdma-transport.h"
#include "ns3/moe-stats-collector.h"
#include "ns3/moe-topology-helper.h"
#include "ns3/moe-workload-data.h"
#include "ns3/nstime.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/rdma-header.h"
#include "ns3/rdma-nic.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <iostream>
#include <memory>
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
 * Three hosts on a unidirectional all-stop OCS at 400 Gb/s (delta = 1 us, 100 ns delay) with
 * a 100 Gb/s EPS under the "no-future-circuit" policy (ACKs cross the EPS).
 * @return the helper
 */
OcsHelper
OcsFabric()
{
    OcsHelper ocs;
    ocs.SetDeviceAttribute("DataRate", DataRateValue(DataRate("400Gbps")));
    ocs.SetChannelAttribute("Delay", TimeValue(NanoSeconds(100)));
    ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(MicroSeconds(1)));
    ocs.EnableEps(DataRate("100Gbps"), NanoSeconds(50), "no-future-circuit");
    return ocs;
}

/**
 * Configurations c0 = {0->1, 1->2, 2->0} and c1 = {0->2, 1->0, 2->1} of 10 us each.
 * @param both both configurations (else c0 only)
 * @return the schedule
 */
Schedule
ThreeHostSchedule(bool both)
{
    std::vector<std::vector<Circuit>> configs = {{{0, 1}, {1, 2}, {2, 0}}};
    if (both)
    {
        configs.push_back({{0, 2}, {1, 0}, {2, 1}});
    }
    return MakeSchedule(3, CircuitModel::UNIDIRECTIONAL, configs, MicroSeconds(10));
}

} // namespace

/**
 * @ingroup photonic-moe
 * Circuits go dark mid-message and nothing is lost: a looped schedule lights 0 -> 1 for
 * 10 us out of every 22 us (delta = 1 us before each 10-us configuration). Host 0 sends a
 * 2 MB message to host 1 and host 1 a 1 MB message to host 0 (over c1's 1 -> 0). At
 * 400 Gb/s a window carries under 500 KB, so the 2 MB message needs 5 windows: it completes
 * in the fifth lit window of 0 -> 1, [89, 99) us. Between windows its frames wait in the
 * queue pair (not in a VOQ), the guard never lets a frame overlap a teardown: zero drops,
 * zero frames torn down, zero retransmissions and timeouts, every byte delivered, and no
 * data over the EPS (every destination has a later circuit).
 */
class RdmaOcsDarkCircuitTestCase : public TestCase
{
  public:
    RdmaOcsDarkCircuitTestCase()
        : TestCase("RDMA on the OCS: circuits dark mid-message lose and resend nothing")
    {
    }

  private:
    void DoRun() override
    {
        OcsHelper ocs = OcsFabric();
        RdmaTestbed tb = BuildRdmaTestbed(ocs, 3, RdmaNicFactory());
        tb.Connect(0, 1, 1);
        tb.Connect(1, 0, 2);
        RdmaRecorder rec0;
        RdmaRecorder rec1;
        rec0.Connect(tb.nics[0]);
        rec1.Connect(tb.nics[1]);
        tb.ocs->RunSchedule(ThreeHostSchedule(true), Seconds(0), true);
        tb.nics[0]->PostSend(1, 1, 2000000, 0);
        tb.nics[1]->PostSend(2, 1, 1000000, 0);
        Simulator::Stop(MicroSeconds(300));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(rec1.received.size(), 1u, "2 MB message received");
        NS_TEST_ASSERT_MSG_EQ(rec0.received.size(), 1u, "1 MB message received");
        NS_TEST_EXPECT_MSG_EQ(rec1.rxBytes, 2000000u, "every byte of 0 -> 1");
        NS_TEST_EXPECT_MSG_EQ(rec0.rxBytes, 1000000u, "every byte of 1 -> 0");
        const int64_t done = rec1.received[0].timeNs;
        NS_TEST_EXPECT_MSG_GT_OR_EQ(done, 89000, "in the fifth window of 0 -> 1");
        NS_TEST_EXPECT_MSG_LT(done, 99000, "in the fifth window of 0 -> 1");
        NS_TEST_EXPECT_MSG_EQ(TotalDeviceDrops(tb.devices), 0u, "no device drop");
        NS_TEST_EXPECT_MSG_EQ(tb.ocs->GetCounters().framesTornDown, 0u, "no frame torn down");
        NS_TEST_EXPECT_MSG_EQ(tb.eps->GetCounters().dropEgressFull, 0u, "no EPS drop");
        for (uint32_t i = 0; i < 2; ++i)
        {
            const RdmaQpCounters c = tb.nics[i]->GetCounters();
            NS_TEST_EXPECT_MSG_EQ(c.retransmittedPackets, 0u, "no retransmission");
            NS_TEST_EXPECT_MSG_EQ(c.timeouts, 0u, "no timeout");
            NS_TEST_EXPECT_MSG_EQ(c.naksSent, 0u, "no NAK");
            const OcsDeviceCounters d = tb.Device(i)->GetCounters();
            NS_TEST_EXPECT_MSG_EQ(d.pulledEpsPackets, 0u, "no data over the EPS");
            NS_TEST_EXPECT_MSG_EQ(d.voqEnqueuePackets, 0u, "nothing waits in a VOQ");
            NS_TEST_EXPECT_MSG_EQ(d.pulledCircuitPackets, c.dataPacketsSent, "data on circuits");
            NS_TEST_EXPECT_MSG_EQ(d.phyTxBeginPackets,
                                  d.voqDequeuePackets + d.epsDequeuePackets +
                                      d.pulledCircuitPackets + d.pulledEpsPackets,
                                  "PhyTxBegin reconciles with the queues and pulls");
        }
        Simulator::Destroy();
    }
};

/**
 * @ingroup photonic-moe
 * The EPS takes over when the policy says so: one 10-us configuration (0 -> 1 lit over
 * [1, 11) us, not looped). Host 0 posts 2 MB to host 1 at 0: its queue pair waits for the
 * circuit (a future circuit exists), sends what fits by 11 us over it, and when the circuit
 * goes dark with no later one ("no-future-circuit") the rest crosses the EPS. Both paths
 * carry data, every byte arrives once, nothing is dropped or resent.
 */
class RdmaOcsEpsFallbackTestCase : public TestCase
{
  public:
    RdmaOcsEpsFallbackTestCase()
        : TestCase("RDMA on the OCS: data moves to the EPS after the last circuit")
    {
    }

  private:
    void DoRun() override
    {
        OcsHelper ocs = OcsFabric();
        RdmaTestbed tb = BuildRdmaTestbed(ocs, 3, RdmaNicFactory());
        tb.Connect(0, 1, 1);
        RdmaRecorder rec;
        rec.Connect(tb.nics[1]);
        tb.ocs->RunSchedule(ThreeHostSchedule(false), Seconds(0), false);
        tb.nics[0]->PostSend(1, 1, 2000000, 0);
        NS_TEST_EXPECT_MSG_EQ(tb.nics[0]->IsQpViaEps(1), false, "waits for its circuit");
        Simulator::Run();
        const OcsDeviceCounters d = tb.Device(0)->GetCounters();
        const RdmaQpCounters c = tb.nics[0]->GetQpCounters(1);
        NS_TEST_EXPECT_MSG_EQ(rec.rxBytes, 2000000u, "every byte");
        NS_TEST_EXPECT_MSG_EQ(rec.received.size(), 1u, "the message");
        NS_TEST_EXPECT_MSG_GT(d.pulledCircuitPackets, 100u, "part over the circuit");
        NS_TEST_EXPECT_MSG_GT(d.pulledEpsPackets, 100u, "the rest over the EPS");
        NS_TEST_EXPECT_MSG_EQ(d.pulledCircuitPackets + d.pulledEpsPackets,
                              c.dataPacketsSent,
                              "every data packet pulled once");
        NS_TEST_EXPECT_MSG_EQ(c.retransmittedPackets, 0u, "no retransmission");
        NS_TEST_EXPECT_MSG_EQ(TotalDeviceDrops(tb.devices), 0u, "no drop");
        NS_TEST_EXPECT_MSG_EQ(tb.nics[0]->IsQpViaEps(1), true, "ended on the EPS");
        Simulator::Destroy();
    }
};

namespace
{

/**
 * Build and run a small MoE layer the way MoeLayerScenario::Run() does, with
 * MoeRdmaTransport: 4 GPUs, 8 experts, top-2, 128 tokens per GPU, hidden size 2048, two
 * layers, 400 Gb/s; OCS fabric (greedy, delta 10 us, 100 Gb/s EPS "no-future-circuit") or
 * the ideal fabric (EPS "all" at 400 Gb/s).
 * @param ocsFabric OCS (else ideal)
 * @param sharedQp MoeRdmaTransport::SharedQp
 * @param transport receives the sum of the transports' counters
 * @return the measurements
 */
MoeLayerRunResult
RunRdmaLayer(bool ocsFabric, bool sharedQp, MoeTransportCounters& transport)
{
    pmoe::MoeConfig moe;
    moe.numGpus = 4;
    moe.numExperts = 8;
    moe.topK = 2;
    moe.tokensPerGpu = 128;
    moe.hiddenSize = 2048;
    const uint32_t layers = 2;
    const std::shared_ptr<const MoeWorkloadData> workload =
        MoeWorkloadData::Generate(moe, layers, 1);

    MoeTopologyHelper topologyHelper;
    OcsHelper& ocs = topologyHelper.GetFabricHelper();
    ocs.SetDeviceAttribute("DataRate", DataRateValue(DataRate("400Gbps")));
    ocs.SetChannelAttribute("Delay", TimeValue(NanoSeconds(100)));
    ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(MicroSeconds(10)));
    if (ocsFabric)
    {
        ocs.SetDeviceAttribute("VoqCapacity", UintegerValue(64 << 20));
        ocs.SetDeviceAttribute("EpsQueueCapacity", UintegerValue(64 << 20));
        ocs.SetEpsAttribute("EgressQueueCapacity", UintegerValue(64 << 20));
        ocs.EnableEps(DataRate("100Gbps"), NanoSeconds(50), "no-future-circuit");
    }
    else
    {
        ocs.SetDeviceAttribute("EpsQueueCapacity", UintegerValue(1 << 30));
        ocs.SetEpsAttribute("EgressQueueCapacity", UintegerValue(1 << 30));
        ocs.EnableEps(DataRate("400Gbps"), NanoSeconds(50), "all");
    }
    const MoeTopology topology = topologyHelper.Install(moe.numGpus);

    GpuComputeModelHelper compute;
    compute.SetAttribute("HiddenSize", UintegerValue(moe.hiddenSize));
    compute.Install(topology.gpus);

    MoeGpuApplicationHelper gpuHelper;
    gpuHelper.SetTransport("ns3::MoeRdmaTransport", "SharedQp", BooleanValue(sharedQp));
    gpuHelper.SetBatchPolicy(MoeBatchPolicyTypeName("none"));
    const ApplicationContainer apps =
        gpuHelper.Install(topology.gpus, workload, topology.endpoints);
    MoeStatsCollector stats;
    stats.Install(apps);
    if (ocsFabric)
    {
        CircuitSchedulerHelper schedulerHelper;
        schedulerHelper.SetAttribute("CircuitRate", DataRateValue(DataRate("400Gbps")));
        schedulerHelper.SetAttribute("EpsRate", DataRateValue(DataRate("100Gbps")));
        const ApplicationContainer scheduler =
            schedulerHelper.Install(CreateObject<Node>(), topology.ocs, apps);
        stats.Install(DynamicCast<CircuitSchedulerApplication>(scheduler.Get(0)), topology.ocs);
    }
    stats.SetFabric(topology.devices, topology.ocs, topology.eps);
    Simulator::Stop(MilliSeconds(50));
    Simulator::Run();
    MoeLayerRunResult result = stats.Collect();
    result.events = Simulator::GetEventCount();
    transport = MoeTransportCounters();
    for (uint32_t g = 0; g < apps.GetN(); ++g)
    {
        const MoeTransportCounters c =
            DynamicCast<MoeGpuApplication>(apps.Get(g))->GetTransport()->GetCounters();
        transport.timeouts += c.timeouts;
        transport.retransmittedPackets += c.retransmittedPackets;
        transport.unexpectedBytes += c.unexpectedBytes;
        transport.naks += c.naks;
    }
    for (uint32_t g = 0; g < apps.GetN(); ++g)
    {
        NS_ABORT_MSG_IF(DynamicCast<MoeGpuApplication>(apps.Get(g))->GetLayersDone() != layers,
                        "GPU " << g << " did not finish every layer");
    }
    Simulator::Destroy();
    return result;
}

} // namespace

/**
 * @ingroup photonic-moe
 * Whole MoE layers over MoeRdmaTransport, built by hand like MoeLayerScenario::Run(): two
 * layers on the OCS fabric (greedy schedule, EPS for ACKs and residual), on the ideal
 * fabric, and on the ideal fabric with one queue pair per peer for both kinds. Each run
 * completes every layer at every GPU, conserves every byte (the collector's check: sent =
 * delivered = demand per layer), and needs no retransmission.
 */
class RdmaMoeLayerTestCase : public TestCase
{
  public:
    RdmaMoeLayerTestCase()
        : TestCase("MoeRdmaTransport: whole layers on the OCS and the ideal fabric")
    {
    }

  private:
    void DoRun() override
    {
        const struct
        {
            bool ocs;
            bool shared;
            const char* name;
        } runs[] = {{true, false, "OCS"},
                    {false, false, "ideal"},
                    {false, true, "ideal shared QP"}};

        for (const auto& run : runs)
        {
            MoeTransportCounters c;
            const MoeLayerRunResult r = RunRdmaLayer(run.ocs, run.shared, c);
            NS_TEST_EXPECT_MSG_EQ(r.conserved, true, run.name << ": bytes conserved");
            NS_TEST_EXPECT_MSG_EQ(r.layers.size(), 2u, run.name << ": two layers");
            NS_TEST_EXPECT_MSG_GT(r.total.dispatchBytesDelivered, 0u, run.name << ": traffic");
            NS_TEST_EXPECT_MSG_EQ(r.total.dispatchBytesDelivered,
                                  r.total.dispatchBytesExpected,
                                  run.name << ": dispatch delivered");
            NS_TEST_EXPECT_MSG_EQ(r.total.combineBytesDelivered,
                                  r.total.combineBytesExpected,
                                  run.name << ": combine delivered");
            NS_TEST_EXPECT_MSG_EQ(c.retransmittedPackets, 0u, run.name << ": nothing resent");
            NS_TEST_EXPECT_MSG_EQ(c.timeouts, 0u, run.name << ": no timeout");
            NS_TEST_EXPECT_MSG_EQ(c.unexpectedBytes, 0u, run.name << ": no stray bytes");
            NS_TEST_EXPECT_MSG_EQ(r.deviceDrops, 0u, run.name << ": no drop");
            std::cout << "    layer " << run.name << ": " << r.total.layerTimeNs
                      << " ns for 2 layers, " << r.events << " events" << std::endl;
        }
    }
};

/**
 * The layer's RDMA defaults (chosen from measurements, doc/rdma.rst "Simulation cost"): ACK
 * every 16 packets, MTU 4096, a queue pair per peer and kind; and the NIC's receive hook:
 * it consumes frames of its EtherType (a packet for a queue pair it does not have is counted
 * as unknown) and leaves other EtherTypes to the node.
 */
class RdmaLayerDefaultsTestCase : public TestCase
{
  public:
    RdmaLayerDefaultsTestCase()
        : TestCase("RDMA layer defaults; the NIC consumes only its EtherType")
    {
    }

  private:
    void DoRun() override
    {
        const MoeLayerScenario sc;
        NS_TEST_EXPECT_MSG_EQ(sc.transport, "rdma", "RDMA is the layer's default transport");
        NS_TEST_EXPECT_MSG_EQ(sc.rdmaAckInterval, 16u, "layer ACK interval");
        NS_TEST_EXPECT_MSG_EQ(sc.rdmaRetransmitTimeout,
                              NanoSeconds(4096LL << 18),
                              "NCCL's default local ACK timeout");
        NS_TEST_EXPECT_MSG_EQ(sc.rdmaMtu, 4096u, "layer MTU");
        NS_TEST_EXPECT_MSG_EQ(sc.rdmaSharedQp, false, "a queue pair per peer and kind");
        // ECN thresholds: the DCQCN paper's 5 KB / 200 KB at 40 Gb/s scaled with the EPS rate.
        const auto at400 = MoeLayerScenario::ScaledEcnThresholds(DataRate("400Gbps"));
        NS_TEST_EXPECT_MSG_EQ(at400.first, 50000u, "Kmin at 400 Gb/s");
        NS_TEST_EXPECT_MSG_EQ(at400.second, 2000000u, "Kmax at 400 Gb/s");
        const auto at40 = MoeLayerScenario::ScaledEcnThresholds(DataRate("40Gbps"));
        NS_TEST_EXPECT_MSG_EQ(at40.first, 5000u, "the paper's Kmin at 40 Gb/s");
        NS_TEST_EXPECT_MSG_EQ(at40.second, 200000u, "the paper's Kmax at 40 Gb/s");
        MoeLayerScenario rdma;
        rdma.transport = "rdma";
        rdma.fabric = "ocs"; // the EPS beside the OCS: epsRate, 100 Gb/s
        NS_TEST_EXPECT_MSG_EQ(rdma.EpsEcnThresholds().first.value_or(0), 12500u, "OCS Kmin");
        NS_TEST_EXPECT_MSG_EQ(rdma.EpsEcnThresholds().second.value_or(0), 500000u, "OCS Kmax");
        rdma.fabric = "ideal"; // the ideal fabric: the host rate, 400 Gb/s
        rdma.epsEcnKmax = 3000000;
        NS_TEST_EXPECT_MSG_EQ(rdma.EpsEcnThresholds().first.value_or(0), 50000u, "ideal Kmin");
        NS_TEST_EXPECT_MSG_EQ(rdma.EpsEcnThresholds().second.value_or(0),
                              3000000u,
                              "explicit Kmax");
        MoeLayerScenario tcp;
        tcp.transport = "tcp";
        NS_TEST_EXPECT_MSG_EQ(tcp.EpsEcnThresholds().first.has_value(),
                              false,
                              "TCP keeps the switch's thresholds");

        Ptr<RdmaNic> nic = CreateObject<RdmaNic>();
        UintegerValue ack;
        nic->GetAttribute("AckInterval", ack);
        NS_TEST_EXPECT_MSG_EQ(ack.Get(), 1u, "the NIC attribute keeps an ACK per packet");
        RdmaHeader h;
        h.SetOpcode(RdmaHeader::SEND_ONLY);
        h.SetDestQpn(5);
        Ptr<Packet> p = Create<Packet>(100);
        p->AddHeader(h);
        NS_TEST_EXPECT_MSG_EQ(nic->ReceiveFrame(p, 0x0800), false, "IPv4 is the node's");
        NS_TEST_EXPECT_MSG_EQ(nic->GetUnknownQpPackets(), 0u, "IPv4 frame not looked at");
        NS_TEST_EXPECT_MSG_EQ(nic->ReceiveFrame(p, RdmaNic::ETHER_TYPE),
                              true,
                              "0x8915 is the NIC's");
        NS_TEST_EXPECT_MSG_EQ(nic->GetUnknownQpPackets(), 1u, "no queue pair 5: counted");
        nic->Dispose();
    }
};

void
AddRdmaOcsTestCases(RdmaTestSuite& suite)
{
    suite.AddQuick(new RdmaLayerDefaultsTestCase);
    suite.AddQuick(new RdmaOcsDarkCircuitTestCase);
    suite.AddQuick(new RdmaOcsEpsFallbackTestCase);
    suite.AddExtensive(new RdmaMoeLayerTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
