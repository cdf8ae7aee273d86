/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Tests of the "no-future-circuit" EPS policy (OpticalCircuitSwitch::GetNextLitTime,
// OcsNetDevice moving VOQ frames to the EPS) and of strict priority for control packets on
// the electrical fabric (OcsNetDevice EPS queue, ElectricalPacketSwitch egress).

#include "photonic-moe-test-util.h"

#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/electrical-packet-switch.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/ocs-eps-policy.h"
#include "ns3/ocs-helper.h"
#include "ns3/ocs-net-device.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/packet.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/type-id.h"
#include "ns3/uinteger.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace pmoe
{
namespace tests
{

/**
 * @ingroup photonic-moe
 * OpticalCircuitSwitch::GetNextLitTime / HasFutureCircuit against times worked by hand:
 * rest of a non-looped schedule, wrap-around of a looped one, a schedule waiting for its
 * start, a circuit kept across steps in changed-only mode (not a new circuit), duplex symmetry.
 */
class OcsNextLitTimeTestCase : public TestCase
{
  public:
    OcsNextLitTimeTestCase()
        : TestCase("OCS GetNextLitTime: future circuits of running and pending schedules")
    {
    }

  private:
    void DoRun() override
    {
        const Time slot = MicroSeconds(10);
        const Time delta = MicroSeconds(1);
        // Unidirectional, all-stop, not looped: c0 {0->1, 1->2, 2->0}, c1 {0->2, 1->0, 2->1}.
        // c0 lit [1, 11) us, c1 lit [12, 22) us.
        {
            OcsHelper ocs;
            ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(delta));
            NetDeviceContainer devs = InstallHosts(ocs, 3);
            Ptr<OpticalCircuitSwitch> sw = ocs.GetSwitch();
            Schedule s = MakeSchedule(3,
                                      CircuitModel::UNIDIRECTIONAL,
                                      {{{0, 1}, {1, 2}, {2, 0}}, {{0, 2}, {1, 0}, {2, 1}}},
                                      slot);
            sw->RunSchedule(s, Seconds(0), false);
            ScheduleFunction(NanoSeconds(500), [&]() {
                NS_TEST_EXPECT_MSG_EQ(sw->GetNextLitTime(0, 2),
                                      MicroSeconds(12),
                                      "0->2 lights in step 1");
                NS_TEST_EXPECT_MSG_EQ(sw->GetNextLitTime(0, 1),
                                      Time::Max(),
                                      "the current circuit is not a future one");
                NS_TEST_EXPECT_MSG_EQ(sw->HasFutureCircuit(1, 0), true, "1->0 in step 1");
                NS_TEST_EXPECT_MSG_EQ(sw->HasFutureCircuit(2, 0), false, "2->0 only now");
            });
            ScheduleFunction(MicroSeconds(15), [&]() {
                NS_TEST_EXPECT_MSG_EQ(sw->HasFutureCircuit(0, 1), false, "schedule ends");
                NS_TEST_EXPECT_MSG_EQ(sw->HasFutureCircuit(0, 2), false, "current only");
                // A schedule waiting for its start at 30 us: c0 lights at 31 us, c1 at 42 us.
                sw->RunSchedule(s, MicroSeconds(30), false);
                NS_TEST_EXPECT_MSG_EQ(sw->GetNextLitTime(0, 1),
                                      MicroSeconds(31),
                                      "pending schedule, first step");
                NS_TEST_EXPECT_MSG_EQ(sw->GetNextLitTime(0, 2),
                                      MicroSeconds(42),
                                      "pending schedule, second step");
            });
            Simulator::Run();
            Simulator::Destroy();
        }
        // Looped: from step 0, the next 0->1 is step 0 of the next cycle: 22 + 1 = 23 us.
        {
            OcsHelper ocs;
            ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(delta));
            NetDeviceContainer devs = InstallHosts(ocs, 3);
            Ptr<OpticalCircuitSwitch> sw = ocs.GetSwitch();
            sw->RunSchedule(MakeSchedule(3,
                                         CircuitModel::UNIDIRECTIONAL,
                                         {{{0, 1}, {1, 2}, {2, 0}}, {{0, 2}, {1, 0}, {2, 1}}},
                                         slot),
                            Seconds(0),
                            true);
            ScheduleFunction(NanoSeconds(500), [&]() {
                NS_TEST_EXPECT_MSG_EQ(sw->GetNextLitTime(0, 1),
                                      MicroSeconds(23),
                                      "looped: next cycle");
            });
            Simulator::Stop(MicroSeconds(30));
            Simulator::Run();
            Simulator::Destroy();
        }
        // Changed-only: c0 {0->1}, c1 {0->1, 2->0} (0->1 kept), c2 {0->2}, c3 {0->1}.
        // c0 lit [1, 11), c1 [12, 22) (0->1 kept throughout), c2 [23, 33), c3 lights at 34 us.
        {
            OcsHelper ocs;
            ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(delta));
            ocs.SetChannelAttribute("ReconfigurationMode", StringValue("changed-only"));
            NetDeviceContainer devs = InstallHosts(ocs, 3);
            Ptr<OpticalCircuitSwitch> sw = ocs.GetSwitch();
            sw->RunSchedule(MakeSchedule(3,
                                         CircuitModel::UNIDIRECTIONAL,
                                         {{{0, 1}}, {{0, 1}, {2, 0}}, {{0, 2}}, {{0, 1}}},
                                         slot),
                            Seconds(0),
                            false);
            ScheduleFunction(MicroSeconds(2), [&]() {
                NS_TEST_EXPECT_MSG_EQ(sw->GetNextLitTime(0, 1),
                                      MicroSeconds(34),
                                      "a kept circuit is not a new one");
                NS_TEST_EXPECT_MSG_EQ(sw->GetNextLitTime(2, 0), MicroSeconds(12), "2->0");
            });
            Simulator::Run();
            Simulator::Destroy();
        }
        // Duplex: c0 {0-1}, c1 {0-2}: both directions of 0-2 have a future circuit.
        {
            OcsHelper ocs;
            ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(delta));
            ocs.SetChannelAttribute("CircuitModel", StringValue("duplex"));
            NetDeviceContainer devs = InstallHosts(ocs, 3);
            Ptr<OpticalCircuitSwitch> sw = ocs.GetSwitch();
            sw->RunSchedule(MakeSchedule(3, CircuitModel::DUPLEX, {{{0, 1}}, {{0, 2}}}, slot),
                            Seconds(0),
                            false);
            ScheduleFunction(MicroSeconds(2), [&]() {
                NS_TEST_EXPECT_MSG_EQ(sw->GetNextLitTime(0, 2), MicroSeconds(12), "0->2");
                NS_TEST_EXPECT_MSG_EQ(sw->GetNextLitTime(2, 0), MicroSeconds(12), "2->0");
                NS_TEST_EXPECT_MSG_EQ(sw->HasFutureCircuit(1, 0), false, "1-0 only now");
            });
            Simulator::Run();
            Simulator::Destroy();
        }
    }
};

/**
 * @ingroup photonic-moe
 * "no-future-circuit": frames left in a VOQ whose destination has no later circuit are moved
 * to the EPS (at the guard's hold, or at teardown without the guard) and delivered, while
 * frames to a destination with a later circuit wait for it. With the older "no-circuit"
 * policy the same frames stay stranded in the VOQ (the case is able to fail).
 *
 * Host 0, 10 Gb/s, 1000-byte frames (800 ns), delta 1 us, schedule c0 {0->2} lit [1, 11) us,
 * c1 {0->1} lit [12, 22) us, not looped. At 2 us host 0 sends 20 frames to host 2 and 5 to
 * host 1. 11 frames to host 2 fit in c0 (2 + 11 x 0.8 = 10.8 <= 11).
 */
class OcsNoFutureCircuitTestCase : public TestCase
{
  public:
    /**
     * @param policy EpsPolicy of the devices
     * @param guard Guard attribute
     */
    OcsNoFutureCircuitTestCase(std::string policy, bool guard)
        : TestCase("OCS EPS policy " + policy + (guard ? " (guard)" : " (no guard)") +
                   ": frames with no later circuit reach the EPS"),
          m_policy(std::move(policy)),
          m_guard(guard)
    {
    }

  private:
    void DoRun() override
    {
        OcsHelper ocs;
        ocs.SetDeviceAttribute("DataRate", DataRateValue(DataRate("10Gbps")));
        ocs.SetDeviceAttribute("Guard", BooleanValue(m_guard));
        ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(MicroSeconds(1)));
        ocs.EnableEps(DataRate("10Gbps"), NanoSeconds(50), m_policy);
        NetDeviceContainer devs = InstallHosts(ocs, 3);
        Ptr<OpticalCircuitSwitch> sw = ocs.GetSwitch();
        sw->RunSchedule(
            MakeSchedule(3, CircuitModel::UNIDIRECTIONAL, {{{0, 2}}, {{0, 1}}}, MicroSeconds(10)),
            Seconds(0),
            false);
        std::vector<uint32_t> received(3, 0);
        Time last2;
        Time first1 = Time::Max();
        for (uint32_t h = 1; h < 3; ++h)
        {
            devs.Get(h)->SetReceiveCallback(
                FunctionCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>(
                    [&, h](Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&) {
                        ++received[h];
                        if (h == 2)
                        {
                            last2 = Simulator::Now();
                        }
                        else if (first1 == Time::Max())
                        {
                            first1 = Simulator::Now();
                        }
                        return true;
                    }));
        }
        ScheduleFunction(MicroSeconds(2), [&]() {
            SendRaw(devs.Get(0), devs.Get(2), 20, 986);
            SendRaw(devs.Get(0), devs.Get(1), 5, 986);
        });
        Simulator::Run();

        Ptr<OcsNetDevice> d0 = DynamicCast<OcsNetDevice>(devs.Get(0));
        OcsDeviceCounters c = d0->GetCounters();
        OcsDeviceCounters c1 = DynamicCast<OcsNetDevice>(devs.Get(1))->GetCounters();
        OcsDeviceCounters c2 = DynamicCast<OcsNetDevice>(devs.Get(2))->GetCounters();
        if (m_policy == "no-circuit")
        {
            // The 9 frames held at the end of c0 never leave the VOQ.
            NS_TEST_EXPECT_MSG_EQ(d0->GetVoqPackets(2), 9u, "no-circuit: 9 stranded frames");
            NS_TEST_EXPECT_MSG_EQ(received[2], 11u, "no-circuit: only the circuit's 11 arrive");
            NS_TEST_EXPECT_MSG_EQ(c.voqToEpsPackets, 0u, "no-circuit moves nothing");
            Simulator::Destroy();
            return;
        }
        const uint32_t tornDown = m_guard ? 0 : 1; // without the guard the 12th frame is lost
        const uint32_t moved = 20 - 11 - tornDown;
        NS_TEST_EXPECT_MSG_EQ(c.dropCircuitTornDown, tornDown, "torn-down frames");
        NS_TEST_EXPECT_MSG_EQ(c.voqToEpsPackets, moved, "frames moved to the EPS");
        NS_TEST_EXPECT_MSG_EQ(d0->GetVoqPackets(2), 0u, "nothing stranded");
        NS_TEST_EXPECT_MSG_EQ(received[2], 20u - tornDown, "all others delivered to host 2");
        NS_TEST_EXPECT_MSG_EQ(c2.epsRxPackets, moved, "the moved frames crossed the EPS");
        // Moved at the guard's hold (10.8 us) or at the teardown (11 us); the EPS delivers
        // them back to back, 800 ns each, within 2.2 us of the first: long before any RTO.
        const Time movedAt = m_guard ? NanoSeconds(10800) : MicroSeconds(11);
        NS_TEST_EXPECT_MSG_EQ(last2,
                              movedAt + NanoSeconds(2200) + NanoSeconds(800) * (moved - 1),
                              "moved frames delivered back to back over the EPS");
        // Host 1 has a later circuit (c1): its frames wait in the VOQ and use it.
        NS_TEST_EXPECT_MSG_EQ(received[1], 5u, "host 1 frames delivered");
        NS_TEST_EXPECT_MSG_EQ(c1.epsRxPackets, 0u, "host 1 frames used the circuit");
        NS_TEST_EXPECT_MSG_EQ(first1, MicroSeconds(12) + NanoSeconds(850), "at c1's light");
        Simulator::Destroy();
    }

    std::string m_policy; //!< EpsPolicy
    bool m_guard;         //!< Guard attribute
};

/**
 * @ingroup photonic-moe
 * Counters reconcile with traces under "no-future-circuit", including moves to the EPS and
 * "voq-to-eps-full" drops when the EPS queue overflows.
 */
class OcsNoFutureCircuitCountersTestCase : public TestCase
{
  public:
    OcsNoFutureCircuitCountersTestCase()
        : TestCase("OCS no-future-circuit: counters match traces (moves, EPS overflow)")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t n = 3;
        OcsHelper ocs;
        ocs.SetDeviceAttribute("DataRate", DataRateValue(DataRate("10Gbps")));
        ocs.SetDeviceAttribute("EpsQueueCapacity", UintegerValue(5000)); // 5 frames
        ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(MicroSeconds(1)));
        ocs.EnableEps(DataRate("10Gbps"), NanoSeconds(50), "no-future-circuit");
        NetDeviceContainer devs = InstallHosts(ocs, n);
        ocs.GetSwitch()->RunSchedule(MakeSchedule(n,
                                                  CircuitModel::UNIDIRECTIONAL,
                                                  {{{0, 2}, {1, 0}, {2, 1}}},
                                                  MicroSeconds(10)),
                                     Seconds(0),
                                     false);
        std::vector<DeviceTraceCounts> traced(n);
        ConnectDeviceTraces(devs, traced);
        // At 2 us every host sends 30 frames to each other host: 11 to its peer fit in the lit
        // period; the rest to the peer is moved at the guard's hold; the frames to the other
        // host have no circuit at all and go to the EPS at once (1 on the wire + 5 fit).
        ScheduleFunction(MicroSeconds(2), [&]() {
            for (uint32_t i = 0; i < n; ++i)
            {
                for (uint32_t j = 0; j < n; ++j)
                {
                    if (i != j)
                    {
                        SendRaw(devs.Get(i), devs.Get(j), 30, 986);
                    }
                }
            }
        });
        Simulator::Run();
        uint64_t rx = 0;
        uint64_t circuitFrames = 0;
        uint64_t tornDown = 0;
        for (uint32_t i = 0; i < n; ++i)
        {
            Ptr<OcsNetDevice> d = DynamicCast<OcsNetDevice>(devs.Get(i));
            OcsDeviceCounters c = d->GetCounters();
            const DeviceTraceCounts& t = traced[i];
            NS_TEST_EXPECT_MSG_EQ(TraceMismatch(c, t), "", "every counter equals its trace");
            NS_TEST_EXPECT_MSG_EQ(c.TotalDrops(),
                                  t.Drops("eps-queue-full") + t.Drops("voq-to-eps-full") +
                                      t.Drops("circuit-torn-down"),
                                  "no other drop");
            NS_TEST_EXPECT_MSG_EQ(c.macTxPackets,
                                  c.voqEnqueuePackets + c.epsEnqueuePackets + c.dropEpsQueueFull,
                                  "every packet handed down is queued or dropped");
            NS_TEST_EXPECT_MSG_EQ(c.phyTxBeginPackets,
                                  c.voqDequeuePackets + c.epsDequeuePackets,
                                  "every frame started left a queue");
            uint64_t inVoqs = 0;
            for (uint32_t j = 0; j < n; ++j)
            {
                inVoqs += d->GetVoqPackets(j);
            }
            NS_TEST_EXPECT_MSG_EQ(inVoqs, 0u, "nothing stranded");
            NS_TEST_EXPECT_MSG_EQ(c.voqEnqueuePackets,
                                  c.voqDequeuePackets + c.voqToEpsPackets + c.dropVoqToEpsFull +
                                      inVoqs,
                                  "every VOQ frame left for the wire or the EPS, or was dropped");
            NS_TEST_EXPECT_MSG_EQ(c.epsEnqueuePackets + c.voqToEpsPackets,
                                  c.epsDequeuePackets + d->GetEpsQueuePackets(),
                                  "EPS queue balance");
            NS_TEST_EXPECT_MSG_EQ(c.voqDequeuePackets, 11u, "11 frames fit the lit period");
            NS_TEST_EXPECT_MSG_GT(c.voqToEpsPackets, 0u, "frames moved to the EPS");
            NS_TEST_EXPECT_MSG_GT(c.dropVoqToEpsFull, 0u, "moved frames overflowed the EPS");
            // The first frame goes straight onto the EPS PHY, 5 more fit the queue.
            NS_TEST_EXPECT_MSG_EQ(c.dropEpsQueueFull, 24u, "30 frames, 1 + 5 accepted");
            rx += c.phyRxEndPackets;
            circuitFrames += c.voqDequeuePackets;
            tornDown += c.dropCircuitTornDown;
        }
        EpsCounters ec = ocs.GetEps()->GetCounters();
        NS_TEST_EXPECT_MSG_EQ(tornDown, 0u, "guard: nothing torn down");
        NS_TEST_EXPECT_MSG_EQ(rx, circuitFrames + ec.framesForwarded, "every frame received");
        Simulator::Destroy();
    }
};

/**
 * @ingroup photonic-moe
 * Strict priority for control packets on the electrical fabric, on and off.
 *
 * EPS policy "all", 5 hosts, 10 Gb/s: 1000-byte data frames take 800 ns, a 114-byte control
 * frame 92 ns. Switch egress: hosts 0 and 1 each send 20 data frames to host 3 from t = 0, so
 * its egress queue grows by one frame every 800 ns; at 5 us host 4 (idle) sends one control
 * packet to host 3. Host EPS queue: at t = 0 host 2 queues 20 data frames to host 0 and then
 * one control packet to host 0.
 */
class OcsEpsPriorityTestCase : public TestCase
{
  public:
    /** @param priority EpsControlPriority and ControlPriority */
    explicit OcsEpsPriorityTestCase(bool priority)
        : TestCase(
              std::string("OCS EPS: control packets ") +
              (priority ? "overtake data with priority" : "wait behind data without priority")),
          m_priority(priority)
    {
    }

  private:
    void DoRun() override
    {
        OcsHelper ocs;
        ocs.SetDeviceAttribute("EpsControlPriority", BooleanValue(m_priority));
        ocs.SetEpsAttribute("ControlPriority", BooleanValue(m_priority));
        ocs.EnableEps(DataRate("10Gbps"), NanoSeconds(50), "all");
        NetDeviceContainer devs = InstallHosts(ocs, 5);
        std::map<uint32_t, Time> controlRx; // receiving host -> arrival of its control packet
        for (uint32_t h : {0u, 3u})
        {
            devs.Get(h)->SetReceiveCallback(
                FunctionCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>(
                    [&, h](Ptr<NetDevice>, Ptr<const Packet> p, uint16_t, const Address&) {
                        if (p->GetSize() == 100)
                        {
                            controlRx[h] = Simulator::Now();
                        }
                        return true;
                    }));
        }
        SendRaw(devs.Get(0), devs.Get(3), 20, 986);
        SendRaw(devs.Get(1), devs.Get(3), 20, 986);
        SendRaw(devs.Get(2), devs.Get(0), 20, 986);
        SendRaw(devs.Get(2), devs.Get(0), 1, 100);
        ScheduleFunction(MicroSeconds(5), [&]() { SendRaw(devs.Get(4), devs.Get(3), 1, 100); });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(controlRx.size(), 2u, "both control packets delivered");
        // Unloaded control latency: 92 + 50 + 500 + 92 + 50 ns = 784 ns.
        const Time unloaded = NanoSeconds(784);
        const Time atEgress = controlRx[3] - MicroSeconds(5);
        const Time atHost = controlRx[0];
        EpsCounters ec = ocs.GetEps()->GetCounters();
        OcsDeviceCounters c2 = DynamicCast<OcsNetDevice>(devs.Get(2))->GetCounters();
        if (m_priority)
        {
            // Waits at most for the data frame being serialised (800 ns) at the switch, and
            // at host 2 also for the frame on its own EPS PHY.
            NS_TEST_EXPECT_MSG_LT_OR_EQ(atEgress,
                                        unloaded + NanoSeconds(800),
                                        "switch: control overtakes the queued data");
            NS_TEST_EXPECT_MSG_LT_OR_EQ(atHost,
                                        unloaded + NanoSeconds(1600),
                                        "host: control overtakes the queued data");
            NS_TEST_EXPECT_MSG_GT(ec.controlFirst, 0u, "switch counted a priority pass");
            NS_TEST_EXPECT_MSG_EQ(c2.epsControlFirst, 1u, "host 2 passed its data once");
        }
        else
        {
            // Behind at least 5 queued data frames at the switch, 20 at the host.
            NS_TEST_EXPECT_MSG_GT(atEgress,
                                  unloaded + NanoSeconds(5 * 800),
                                  "switch: control waits behind the data (FIFO)");
            NS_TEST_EXPECT_MSG_GT(atHost,
                                  unloaded + NanoSeconds(20 * 800),
                                  "host: control waits behind the data (FIFO)");
            NS_TEST_EXPECT_MSG_EQ(ec.controlFirst, 0u, "no priority pass");
            NS_TEST_EXPECT_MSG_EQ(c2.epsControlFirst, 0u, "no priority pass at the host");
        }
        Simulator::Destroy();
    }

    bool m_priority; //!< priority on
};

/**
 * @ingroup photonic-moe
 * EPS policies are types: OcsHelper::EnableEps takes the short names, OcsHelper::SetEpsPolicy
 * and the device's EpsPolicy attribute take TypeIds (TypeIdValue or the TypeId name); every
 * device gets its own policy object; the default is "none".
 */
class OcsEpsPolicySelectionTestCase : public TestCase
{
  public:
    OcsEpsPolicySelectionTestCase()
        : TestCase("OCS EPS policies selected by short name, TypeId name and TypeIdValue")
    {
    }

  private:
    void DoRun() override
    {
        const std::pair<const char*, TypeId> policies[] = {
            {"none", OcsNoEpsPolicy::GetTypeId()},
            {"control", OcsControlEpsPolicy::GetTypeId()},
            {"no-circuit", OcsNoCircuitEpsPolicy::GetTypeId()},
            {"all", OcsAllEpsPolicy::GetTypeId()},
            {"no-future-circuit", OcsNoFutureCircuitEpsPolicy::GetTypeId()}};
        for (const auto& [name, tid] : policies)
        {
            NS_TEST_EXPECT_MSG_EQ(OcsEpsPolicyTypeName(name), tid.GetName(), "type of " << name);
            OcsHelper ocs;
            ocs.EnableEps(DataRate("10Gbps"), NanoSeconds(50), name);
            NetDeviceContainer devs = InstallHosts(ocs, 2);
            Ptr<OcsNetDevice> d0 = DynamicCast<OcsNetDevice>(devs.Get(0));
            Ptr<OcsNetDevice> d1 = DynamicCast<OcsNetDevice>(devs.Get(1));
            NS_TEST_EXPECT_MSG_EQ(d0->GetEpsPolicy()->GetInstanceTypeId(), tid, name);
            NS_TEST_EXPECT_MSG_EQ(d0->GetEpsPolicy()->GetName(), name, "short name");
            NS_TEST_EXPECT_MSG_EQ((d0->GetEpsPolicy() != d1->GetEpsPolicy()),
                                  true,
                                  "a policy object per device");
        }
        NS_TEST_EXPECT_MSG_EQ(Throws([]() { OcsEpsPolicyTypeName("sometimes"); }, "sometimes"),
                              true,
                              "unknown short name");

        OcsHelper byType;
        byType.EnableEps();
        byType.SetEpsPolicy("ns3::OcsNoFutureCircuitEpsPolicy");
        NetDeviceContainer devs = InstallHosts(byType, 2);
        Ptr<OcsNetDevice> d = DynamicCast<OcsNetDevice>(devs.Get(0));
        NS_TEST_EXPECT_MSG_EQ(d->GetEpsPolicy()->GetName(), "no-future-circuit", "SetEpsPolicy");
        NS_TEST_EXPECT_MSG_EQ(d->GetEpsPolicy()->MovesStrandedFrames(), true, "moves frames");
        d->SetAttribute("EpsPolicy", StringValue("ns3::OcsAllEpsPolicy"));
        NS_TEST_EXPECT_MSG_EQ(d->GetEpsPolicy()->GetName(), "all", "attribute by TypeId name");
        d->SetAttribute("EpsPolicy", TypeIdValue(OcsControlEpsPolicy::GetTypeId()));
        NS_TEST_EXPECT_MSG_EQ(d->GetEpsPolicy()->GetName(), "control", "attribute by TypeIdValue");
        NS_TEST_EXPECT_MSG_EQ(d->GetEpsPolicy()->MovesStrandedFrames(), false, "keeps frames");

        Ptr<OcsNetDevice> fresh = CreateObject<OcsNetDevice>();
        NS_TEST_EXPECT_MSG_EQ(fresh->GetEpsPolicy()->GetName(), "none", "default policy");
        NS_TEST_EXPECT_MSG_EQ(fresh->GetEpsPolicy()->AllowsEps(), false, "none allows no EPS");
        Simulator::Destroy();
    }
};

void
AddOcsEpsPolicyTestCases(PmoeTestSuite& suite)
{
    suite.AddQuick(new OcsNextLitTimeTestCase);
    suite.AddQuick(new OcsEpsPolicySelectionTestCase);
    suite.AddQuick(new OcsNoFutureCircuitTestCase("no-future-circuit", true));
    suite.AddQuick(new OcsNoFutureCircuitTestCase("no-future-circuit", false));
    suite.AddQuick(new OcsNoFutureCircuitTestCase("no-circuit", true));
    suite.AddQuick(new OcsNoFutureCircuitCountersTestCase);
    suite.AddQuick(new OcsEpsPriorityTestCase(true));
    suite.AddQuick(new OcsEpsPriorityTestCase(false));
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
