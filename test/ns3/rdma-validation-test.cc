/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Bad input to the RDMA transport, the DCQCN parameters and the EPS's ECN and PFC
// attributes: each is refused with a one-line pmoe::InputError that names the value.

#include "rdma-test-util.h"

#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/nstime.h"
#include "ns3/rdma-dcqcn.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

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

void
AddRdmaValidationTestCases(RdmaTestSuite& suite)
{
    suite.AddQuick(new RdmaBadInputTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
