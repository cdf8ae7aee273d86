/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Input validation (issue 7): every bad value named in the issue gives pmoe::InputError with
// a message naming the value, before any simulation starts.

#include "photonic-moe-test-util.h"

#include "ns3/circuit-scheduler-application.h"
#include "ns3/double.h"
#include "ns3/electrical-packet-switch.h"
#include "ns3/mac48-address.h"
#include "ns3/moe-layer-scenario.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/ocs-helper.h"
#include "ns3/ocs-net-device.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-schedule-json.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <sstream>
#include <string>

namespace ns3
{
namespace pmoe
{
namespace tests
{
namespace
{

/**
 * @ingroup photonic-moe
 * MoeLayerScenario::Validate rejects each bad value with a message that names it.
 */
class ScenarioValidationTestCase : public TestCase
{
  public:
    ScenarioValidationTestCase()
        : TestCase("Validation: scenario values named in issue 7 are rejected by name")
    {
    }

  private:
    /**
     * Expect Validate() to throw with a message containing @p needle.
     * @param sc scenario
     * @param needle expected substring
     */
    void Expect(const MoeLayerScenario& sc, const std::string& needle)
    {
        const std::string msg = ErrorOf([&sc]() { sc.Validate(); });
        NS_TEST_EXPECT_MSG_NE(msg, "", "rejected: " << needle);
        NS_TEST_EXPECT_MSG_NE(msg.find(needle), std::string::npos, msg << " names " << needle);
    }

    void DoRun() override
    {
        NS_TEST_EXPECT_MSG_EQ(ErrorOf([]() { SmallScenario(64).Validate(); }), "", "valid");
        MoeLayerScenario sc = SmallScenario(64);
        sc.delta = NanoSeconds(-1);
        Expect(sc, "delta must be >= 0, got -1 ns");
        sc = SmallScenario(64);
        sc.rate = DataRate(0);
        Expect(sc, "rate must be > 0");
        sc = SmallScenario(64);
        sc.epsRate = DataRate(0);
        Expect(sc, "EPS rate must be > 0");
        sc = SmallScenario(64);
        sc.moe.tokensPerGpu = 0;
        Expect(sc, "tokensPerGpu must be in [1, 16777216], got 0");
        sc = SmallScenario(64);
        sc.moe.topK = 17;
        Expect(sc, "topK must be in [1, min(numExperts = 16");
        sc = SmallScenario(64);
        sc.stopTime = Time(0);
        Expect(sc, "stop time must be > 0, got 0 ns");
        sc = SmallScenario(64);
        sc.failPort = 4;
        Expect(sc, "failPort must name a GPU port in [0, 3] or be -1, got 4");
        sc = SmallScenario(64);
        sc.failPort = 0;
        sc.failDuration = Time(0);
        Expect(sc, "duration 0 ns");
        sc = SmallScenario(64);
        sc.reconfigJitter = NanoSeconds(-5);
        Expect(sc, "jitter must be >= 0, got -5 ns");
        sc = SmallScenario(64);
        sc.controlLossProbability = 1;
        Expect(sc, "control loss probability must be in [0, 1), got 1");
        sc = SmallScenario(64);
        sc.controlTimeout = Time(0);
        Expect(sc, "control timeout > 0");
        sc = SmallScenario(64);
        sc.voqOverflow = "spill";
        Expect(sc, "'spill'");
        sc = SmallScenario(64);
        sc.voqCapacity = 100;
        Expect(sc, "got 100");
        // Unbounded allocation from numbers: many layers of a large scenario.
        sc = SmallScenario(64);
        sc.moe.numGpus = 4096;
        sc.moe.numExperts = 4096;
        sc.layers = 100;
        Expect(sc, "scenario too large: layers (100)");
        // A trace for a different N.
        sc = SmallScenario(64);
        auto trace = std::make_shared<RoutingTrace>();
        trace->numGpus = 8;
        trace->numExperts = 16;
        trace->layers.emplace_back(8, 16);
        sc.moe.routing = RoutingKind::TRACE;
        sc.moe.trace = trace;
        Expect(sc, "trace is for 8 GPUs");
        // A placement naming a GPU >= N.
        std::istringstream placement("0\n1\n2\n7\n");
        const std::string msg = ErrorOf([&placement]() { ParsePlacement(placement, "p", 4); });
        NS_TEST_EXPECT_MSG_NE(msg.find("placed on GPU 7, but there are only 4 GPUs"),
                              std::string::npos,
                              msg);
    }
};

/**
 * @ingroup photonic-moe
 * ns-3 attributes with bad values are rejected with an error naming the value; a schedule
 * for a different port count (e.g. loaded from JSON) is rejected by the switch.
 */
class AttributeValidationTestCase : public TestCase
{
  public:
    AttributeValidationTestCase()
        : TestCase("Validation: attributes and a schedule for another port count")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<OpticalCircuitSwitch> sw = CreateObject<OpticalCircuitSwitch>();
        std::string msg = ErrorOf(
            [sw]() { sw->SetAttribute("ReconfigurationDelay", TimeValue(NanoSeconds(-3))); });
        NS_TEST_EXPECT_MSG_NE(msg.find("-3"), std::string::npos, "negative delta: " << msg);
        msg = ErrorOf(
            [sw]() { sw->SetAttribute("ReconfigurationJitter", TimeValue(NanoSeconds(-4))); });
        NS_TEST_EXPECT_MSG_NE(msg.find("-4"), std::string::npos, "negative jitter: " << msg);
        Ptr<OcsNetDevice> dev = CreateObject<OcsNetDevice>();
        msg = ErrorOf([dev]() { dev->SetAttribute("DataRate", DataRateValue(DataRate(0))); });
        NS_TEST_EXPECT_MSG_NE(msg.find("DataRate must be > 0"), std::string::npos, msg);
        msg = ErrorOf([dev]() { dev->SetAttribute("VoqCapacity", UintegerValue(0)); });
        NS_TEST_EXPECT_MSG_NE(msg.find("VoqCapacity must be > 0"), std::string::npos, msg);

        // A 3-port schedule, through JSON, on a 4-port switch.
        NodeContainer nodes(4);
        OcsHelper ocs;
        ocs.Install(nodes);
        Schedule s(3, CircuitModel::UNIDIRECTIONAL);
        s.Append(Configuration{{{0, 1}, {1, 2}, {2, 0}}, 1000});
        std::istringstream json(ScheduleToJsonText(s));
        const Schedule loaded = ParseScheduleJson(json, "three.json");
        msg = ErrorOf([&ocs, &loaded]() { ocs.GetSwitch()->RunSchedule(loaded, Time(0)); });
        NS_TEST_EXPECT_MSG_NE(msg.find("the schedule has 3 ports but the switch has 4"),
                              std::string::npos,
                              msg);
        msg = ErrorOf([&ocs]() { ocs.GetSwitch()->FailPort(9, Time(0), MicroSeconds(1)); });
        NS_TEST_EXPECT_MSG_NE(msg.find("port 9 does not exist"), std::string::npos, msg);

        // Attaching a null device or one whose MAC address is attached already, to either
        // switch channel, is an error naming the channel and the address.
        Ptr<OcsNetDevice> attached = ocs.GetSwitch()->GetPortDevice(0);
        msg = ErrorOf([&ocs, attached]() { ocs.GetSwitch()->Attach(attached); });
        NS_TEST_EXPECT_MSG_NE(msg.find("OpticalCircuitSwitch::Attach: MAC address"),
                              std::string::npos,
                              msg);
        NS_TEST_EXPECT_MSG_NE(msg.find("is already attached"), std::string::npos, msg);
        NS_TEST_EXPECT_MSG_EQ(ocs.GetSwitch()->GetNPorts(), 4, "no port added: " << msg);
        Ptr<ElectricalPacketSwitch> eps = CreateObject<ElectricalPacketSwitch>();
        NS_TEST_EXPECT_MSG_EQ(eps->Attach(attached), 0, "first port of the EPS");
        msg = ErrorOf([eps, attached]() { eps->Attach(attached); });
        NS_TEST_EXPECT_MSG_NE(msg.find("ElectricalPacketSwitch::Attach: MAC address"),
                              std::string::npos,
                              msg);
        msg = ErrorOf([eps]() { eps->Attach(nullptr); });
        NS_TEST_EXPECT_MSG_NE(msg.find("ElectricalPacketSwitch::Attach: null device"),
                              std::string::npos,
                              msg);
        NS_TEST_EXPECT_MSG_EQ(eps->GetNDevices(), 1, "one device attached");
        NS_TEST_EXPECT_MSG_EQ(
            eps->GetPortOfAddress(Mac48Address::ConvertFrom(attached->GetAddress())),
            0,
            "its address maps to port 0");
        Simulator::Destroy();
    }
};

} // namespace

void
AddValidationTestCases(PmoeTestSuite& suite)
{
    suite.AddQuick(new ScenarioValidationTestCase);
    suite.AddQuick(new AttributeValidationTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
