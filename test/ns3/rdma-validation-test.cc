/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Bad input to the RDMA transport, the DCQCN parameters and the EPS's ECN and PFC
// attributes: each is refused with a one-line pmoe::InputError that names the value. And the
// validation of whole RDMA layers against the fluid evaluator and rho / r (doc/rdma.rst,
// "Validation").

#include "rdma-test-util.h"

#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/moe-layer-scenario.h"
#include "ns3/moe-workload-data.h"
#include "ns3/nstime.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/rdma-dcqcn.h"
#include "ns3/rdma-header.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <iostream>
#include <string>

namespace ns3
{
namespace pmoe
{
namespace tests
{

/**
 * @ingroup photonic-moe
 * Every bad value gets a one-line InputError naming it: zero MTU, an MTU beyond the device's,
 * zero ACK interval, zero timeout, a negative CNP interval, an unknown congestion-control
 * name, zero rates and timers and out-of-range gain and alpha of DCQCN, Pmax outside [0, 1],
 * Kmin > Kmax and XON > XOFF at the switch (when a device attaches, and when set on an
 * attached switch), and queue-pair misuse (number in use, own port, unknown queue pair).
 */
class RdmaBadInputTestCase : public TestCase
{
  public:
    RdmaBadInputTestCase()
        : TestCase("RDMA, DCQCN, ECN and PFC: bad input is refused naming the value")
    {
    }

  private:
    /**
     * @param message the error message
     * @param expected a part it must contain
     */
    void Expect(const std::string& message, const std::string& expected)
    {
        NS_TEST_EXPECT_MSG_NE(message.find(expected),
                              std::string::npos,
                              "'" << message << "' should contain '" << expected << "'");
        NS_TEST_EXPECT_MSG_EQ(message.find('\n'), std::string::npos, "one line: " << message);
    }

    void DoRun() override
    {
        Ptr<RdmaNic> nic = CreateObject<RdmaNic>();
        Expect(InputErrorOf([&] { nic->SetAttribute("Mtu", UintegerValue(0)); }),
               "RdmaNic::Mtu must be > 0 bytes, got 0");
        Expect(InputErrorOf([&] { nic->SetAttribute("AckInterval", UintegerValue(0)); }),
               "RdmaNic::AckInterval must be > 0 packets, got 0");
        Expect(InputErrorOf([&] { nic->SetAttribute("RetransmitTimeout", TimeValue(Time(0))); }),
               "RdmaNic::RetransmitTimeout must be > 0, got 0 ns");
        Expect(InputErrorOf([&] { nic->SetAttribute("CnpInterval", TimeValue(NanoSeconds(-5))); }),
               "RdmaNic::CnpInterval must be >= 0, got -5 ns");
        Expect(InputErrorOf([&] { nic->SetAttribute("CongestionControl", StringValue("timely")); }),
               "RdmaNic::CongestionControl must be dcqcn or none, got 'timely'");

        Ptr<RdmaDcqcn> cc = CreateObject<RdmaDcqcn>();
        Expect(InputErrorOf([&] { cc->SetAttribute("RateAi", DataRateValue(DataRate(0))); }),
               "RdmaDcqcn::RateAi must be > 0 bit/s, got 0");
        Expect(InputErrorOf([&] { cc->SetAttribute("MinRate", DataRateValue(DataRate(0))); }),
               "RdmaDcqcn::MinRate must be > 0 bit/s, got 0");
        Expect(InputErrorOf([&] { cc->SetAttribute("Gain", DoubleValue(1.5)); }),
               "RdmaDcqcn::Gain must be in (0, 1], got 1.5");
        Expect(InputErrorOf([&] { cc->SetAttribute("InitialAlpha", DoubleValue(-0.5)); }),
               "RdmaDcqcn::InitialAlpha must be in [0, 1], got -0.5");
        Expect(InputErrorOf([&] { cc->SetAttribute("IncreaseTimer", TimeValue(Time(0))); }),
               "RdmaDcqcn::IncreaseTimer must be > 0, got 0 ns");
        Expect(InputErrorOf([&] { cc->SetAttribute("ByteCounter", UintegerValue(0)); }),
               "RdmaDcqcn::ByteCounter must be > 0 bytes, got 0");

        Ptr<ElectricalPacketSwitch> eps = CreateObject<ElectricalPacketSwitch>();
        Expect(InputErrorOf([&] { eps->SetAttribute("EcnPmax", DoubleValue(1.5)); }),
               "ElectricalPacketSwitch::EcnPmax must be in [0, 1], got 1.5");
        Expect(InputErrorOf([&] { eps->SetAttribute("EcnPmax", DoubleValue(-0.1)); }),
               "ElectricalPacketSwitch::EcnPmax must be in [0, 1], got -0.1");
        Expect(InputErrorOf([&] { eps->SetAttribute("DataRate", DataRateValue(DataRate(0))); }),
               "ElectricalPacketSwitch::DataRate must be > 0 bit/s");
        {
            // Thresholds are checked against one another when a device attaches.
            OcsHelper ocs;
            ocs.EnableEps(DataRate("100Gbps"), NanoSeconds(50), "all");
            ocs.SetEpsAttribute("EcnKmin", UintegerValue(300000));
            NodeContainer nodes(2);
            Expect(InputErrorOf([&] { ocs.Install(nodes); }),
                   "ElectricalPacketSwitch::EcnKmin (300000 bytes) must not exceed EcnKmax "
                   "(200000 bytes)");
        }
        {
            OcsHelper ocs;
            ocs.EnableEps(DataRate("100Gbps"), NanoSeconds(50), "all");
            ocs.SetEpsAttribute("PfcXon", UintegerValue(500000));
            NodeContainer nodes(2);
            Expect(InputErrorOf([&] { ocs.Install(nodes); }),
                   "ElectricalPacketSwitch::PfcXon (500000 bytes) must not exceed PfcXoff "
                   "(262144 bytes)");
        }
        {
            OcsHelper ocs;
            ocs.EnableEps(DataRate("100Gbps"), NanoSeconds(50), "all");
            RdmaTestbed tb = BuildRdmaTestbed(ocs, 2, RdmaNicFactory());
            // ... and whenever they are set on a switch with devices.
            Expect(InputErrorOf([&] { tb.eps->SetAttribute("EcnKmax", UintegerValue(1000)); }),
                   "EcnKmin (5000 bytes) must not exceed EcnKmax (1000 bytes)");
            Expect(InputErrorOf([&] { tb.eps->SetAttribute("PfcXoff", UintegerValue(1000)); }),
                   "PfcXon (259072 bytes) must not exceed PfcXoff (1000 bytes)");
            Expect(InputErrorOf([&] { tb.nics[0]->SetAttribute("Mtu", UintegerValue(9000)); }),
                   "RdmaNic::Mtu 9000 + 12 header bytes exceeds the device MTU 9000");
            tb.Connect(0, 1, 4);
            Expect(InputErrorOf([&] { tb.nics[0]->CreateQp(4, 4, 1); }),
                   "RdmaNic::CreateQp: queue pair 4 exists already");
            Expect(InputErrorOf([&] { tb.nics[0]->CreateQp(5, 5, 0); }),
                   "RdmaNic::CreateQp: peer port 0 is not another port of the switch (2 ports)");
            Expect(InputErrorOf([&] { tb.nics[0]->CreateQp(0, 5, 1); }),
                   "RdmaNic::CreateQp: queue pair numbers must be in [1, 2^24), got 0 and 5");
            Expect(InputErrorOf([&] { tb.nics[0]->PostSend(8, 1, 100, 0); }),
                   "RdmaNic: no queue pair 8");
            Expect(InputErrorOf([&] { CreateObject<RdmaNic>()->Attach(tb.Device(0)); }),
                   "has an RdmaNic already");
            Simulator::Destroy();
        }
    }
};

/**
 * @ingroup photonic-moe
 * Whole RDMA layers against the models they are validated with (doc/rdma.rst, "Validation"):
 * 4 GPUs, 16 experts, top-2, 512 tokens per GPU, Zipf 0.6, delta = 1 us, 400 Gb/s.
 *
 * OCS, greedy: the prediction is computed here from the scheduling core, not read from the
 * run: the same workload (MoeWorkloadData with the scenario's seed and stream), decomposed as
 * the circuit scheduler does (planning at 0.97 r) and evaluated by EvaluateSchedule at the full
 * rate r. The packet-level makespan of the dispatch and of the combine schedule must lie within
 * 1% of the fluid makespan and not before the fluid time of the last planned byte (frames
 * carry the same bytes plus headers); nothing may be retransmitted or moved to the EPS (no
 * congestion control over circuits, nothing lost).
 *
 * Ideal fabric, with the layer's defaults: the dispatch must take at least rho / r x
 * (4096 + 26) / 4096 (the frame overhead at the default MTU) and at most 1.03 rho / r, rho / r
 * computed here from the workload; the ideal fabric neither marks nor pauses (its queues never
 * fill), and the RDMA layer takes at most 2% longer than the paced-UDP layer on the same
 * workload. With PFC on the ideal fabric (the default before 2026-12-06) the RDMA layer took
 * 20% longer than UDP's on the 16-GPU Zipf layer: pauses block a host's port behind its
 * busiest destination.
 */
class RdmaFluidValidationTestCase : public TestCase
{
  public:
    RdmaFluidValidationTestCase()
        : TestCase("RDMA validation: OCS within 1% of the fluid evaluator, ideal fabric within "
                   "3% of rho over r")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc;
        sc.moe.numGpus = 4;
        sc.moe.numExperts = 16;
        sc.moe.topK = 2;
        sc.moe.tokensPerGpu = 512;
        sc.moe.routing = RoutingKind::ZIPF;
        sc.moe.zipfExponent = 0.6;
        sc.transport = "rdma";
        sc.fabric = "ocs";
        sc.algorithm = "greedy";
        sc.delta = MicroSeconds(1);
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        const MoeLayerRunResult r = sc.Run();

        // The prediction, from the core: same seed, run and stream give the same workload.
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        const auto w = MoeWorkloadData::Generate(sc.moe, 1, sc.workloadSeedStream);
        const LayerWorkload& lw = w->layers.at(0);
        DecompositionParams dp;
        dp.algorithm = sc.algorithm;
        dp.reconfigDelayNs = sc.delta.GetNanoSeconds();
        dp.linkRateBps =
            static_cast<Bps>(static_cast<double>(sc.rate.GetBitRate()) * sc.planningEfficiency);
        FluidParams fp;
        fp.reconfigDelayNs = sc.delta.GetNanoSeconds();
        fp.linkRateBps = static_cast<Bps>(sc.rate.GetBitRate());
        fp.mode = sc.reconfigMode;
        fp.epsRateBps = static_cast<Bps>(sc.epsRate.GetBitRate());
        const FluidResult fd = EvaluateSchedule(lw.dispatch, Decompose(lw.dispatch, dp), fp);
        const FluidResult fc = EvaluateSchedule(lw.combine, Decompose(lw.combine, dp), fp);
        const Ns rhoOverR = LoadLowerBoundNs(lw.dispatch, fp.linkRateBps);

        NS_TEST_ASSERT_MSG_EQ(r.conserved, true, "OCS: every byte delivered");
        NS_TEST_ASSERT_MSG_EQ(r.layers.size(), 1, "one layer");
        const MoeLayerMeasurement& m = r.layers[0];
        NS_TEST_EXPECT_MSG_EQ(m.dispatchBytesExpected,
                              static_cast<uint64_t>(lw.dispatch.Total()),
                              "the run's workload is the one predicted");
        NS_TEST_EXPECT_MSG_EQ(m.loadBoundNs, rhoOverR, "same rho/r");
        NS_TEST_EXPECT_MSG_EQ(fd.residualBytes, 0, "all dispatch on circuits");
        NS_TEST_EXPECT_MSG_EQ(fc.residualBytes, 0, "all combine on circuits");
        NS_TEST_EXPECT_MSG_EQ(r.voqToEpsPackets, 0, "nothing moved to the EPS");
        NS_TEST_EXPECT_MSG_EQ(r.transportCounters.retransmittedPackets, 0, "no retransmission");
        NS_TEST_EXPECT_MSG_EQ(r.transportCounters.timeouts, 0, "no timeout");
        NS_TEST_EXPECT_MSG_EQ(r.deviceDrops, 0, "no drop");

        const struct
        {
            const char* phase;
            int64_t packet;
            Ns fluid;
            int64_t lastByte;
        } phases[] = {{"dispatch", m.dispatchCommNs, fd.makespanNs, m.dispatchFluidLastByteNs},
                      {"combine", m.combineCommNs, fc.makespanNs, m.combineFluidLastByteNs}};

        for (const auto& p : phases)
        {
            NS_TEST_ASSERT_MSG_GT(p.fluid, 0, p.phase << ": fluid makespan computed");
            NS_TEST_EXPECT_MSG_GT_OR_EQ(p.packet,
                                        p.lastByte,
                                        p.phase << ": not before the fluid last byte");
            const double gap =
                std::abs(static_cast<double>(p.packet - p.fluid)) / static_cast<double>(p.fluid);
            NS_TEST_EXPECT_MSG_LT_OR_EQ(gap,
                                        0.01,
                                        p.phase << ": packet " << p.packet << " ns against fluid "
                                                << p.fluid << " ns");
        }

        // The ideal fabric against rho / r, with the layer's defaults.
        sc.fabric = "ideal";
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        const MoeLayerRunResult ideal = sc.Run();
        NS_TEST_ASSERT_MSG_EQ(ideal.conserved, true, "ideal: every byte delivered");
        NS_TEST_EXPECT_MSG_EQ(ideal.deviceDrops, 0, "ideal: no drop");
        NS_TEST_EXPECT_MSG_EQ(ideal.epsPauseFrames, 0, "ideal: PFC off by default");
        NS_TEST_EXPECT_MSG_EQ(ideal.epsEcnMarked, 0, "ideal: ECN off by default");
        NS_TEST_EXPECT_MSG_EQ(ideal.transportCounters.retransmittedPackets,
                              0,
                              "ideal: no retransmission");
        const double packet = static_cast<double>(ideal.layers.at(0).dispatchCommNs);
        const double bound = static_cast<double>(rhoOverR);
        const double frameOverhead =
            static_cast<double>(sc.rdmaMtu + RdmaHeader::SIZE + 14) / sc.rdmaMtu;
        NS_TEST_EXPECT_MSG_GT_OR_EQ(packet,
                                    bound * frameOverhead,
                                    "ideal: not faster than rho/r with the frame overhead");
        std::cout << "    validation: dispatch " << m.dispatchCommNs << " / fluid " << fd.makespanNs
                  << " ns, combine " << m.combineCommNs << " / " << fc.makespanNs << " ns; ideal "
                  << ideal.layers.at(0).dispatchCommNs << " / rho/r " << rhoOverR << " ns"
                  << std::endl;
        NS_TEST_EXPECT_MSG_LT_OR_EQ(packet,
                                    1.03 * bound,
                                    "ideal: " << packet << " ns against rho/r " << bound << " ns");

        // The whole layer on the ideal fabric against the paced-UDP transport.
        sc.transport = "udp";
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        const MoeLayerRunResult udp = sc.Run();
        NS_TEST_ASSERT_MSG_EQ(udp.conserved, true, "ideal UDP: every byte delivered");
        const double rdmaLayer = static_cast<double>(ideal.layers.at(0).layerTimeNs);
        const double udpLayer = static_cast<double>(udp.layers.at(0).layerTimeNs);
        std::cout << "    ideal layer: RDMA " << rdmaLayer << " ns, UDP " << udpLayer << " ns"
                  << std::endl;
        NS_TEST_EXPECT_MSG_LT_OR_EQ(rdmaLayer,
                                    1.02 * udpLayer,
                                    "ideal: RDMA layer " << rdmaLayer << " ns against UDP "
                                                         << udpLayer << " ns");
    }
};

void
AddRdmaValidationTestCases(RdmaTestSuite& suite)
{
    suite.AddQuick(new RdmaBadInputTestCase);
    suite.AddExtensive(new RdmaFluidValidationTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
