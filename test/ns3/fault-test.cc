/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Fault injection (issue 7): port failure, reconfiguration jitter, lost and late control
// messages, VOQ overflow. Every layer-level case runs the same small layer with and without
// the fault, so that the fault counter is > 0 only with the fault, and checks that the layer
// completes with every byte delivered exactly once per pair.

#include "photonic-moe-test-util.h"

#include "ns3/callback.h"
#include "ns3/moe-layer-scenario.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/ocs-helper.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"
#include "ns3/test.h"

#include <cstdint>
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
 * @ingroup photonic-moe
 * OpticalCircuitSwitch::FailPort: circuits from and to the port are dark for the interval and
 * light again afterwards; counters and the PortFailure trace agree.
 */
class SwitchPortFailureTestCase : public TestCase
{
  public:
    SwitchPortFailureTestCase()
        : TestCase("Fault: FailPort darkens the port's circuits for the interval")
    {
    }

  private:
    /** @param port port @param failed state */
    void OnFailure(uint32_t port, bool failed)
    {
        m_events.push_back(failed ? static_cast<int>(port) : -1 - static_cast<int>(port));
    }

    /** Sample IsLit of every port. */
    void Sample()
    {
        std::string s;
        for (uint32_t p = 0; p < m_switch->GetNPorts(); ++p)
        {
            s += m_switch->IsLit(p) ? '1' : '0';
        }
        m_samples.push_back(s);
    }

    void DoRun() override
    {
        NodeContainer nodes(4);
        OcsHelper ocs;
        ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(MicroSeconds(1)));
        ocs.Install(nodes);
        m_switch = ocs.GetSwitch();
        m_switch->TraceConnectWithoutContext(
            "PortFailure",
            MakeCallback(&SwitchPortFailureTestCase::OnFailure, this));
        // 0 -> 1, 1 -> 0, 2 -> 3, 3 -> 2
        m_switch->ApplyConfiguration({{0, 1}, {1, 0}, {2, 3}, {3, 2}});
        m_switch->FailPort(1, MicroSeconds(10), MicroSeconds(5));
        for (int64_t t : {5, 12, 20})
        {
            Simulator::Schedule(MicroSeconds(t), &SwitchPortFailureTestCase::Sample, this);
        }
        bool threw = false;
        try
        {
            m_switch->FailPort(4, MicroSeconds(1), MicroSeconds(1));
        }
        catch (const InputError&)
        {
            threw = true;
        }
        NS_TEST_EXPECT_MSG_EQ(threw, true, "a port beyond the switch is rejected");
        threw = false;
        try
        {
            m_switch->FailPort(0, MicroSeconds(1), Time(0));
        }
        catch (const InputError&)
        {
            threw = true;
        }
        NS_TEST_EXPECT_MSG_EQ(threw, true, "a zero duration is rejected");
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(m_samples.size(), 3, "three samples");
        NS_TEST_EXPECT_MSG_EQ(m_samples[0], "1111", "all lit before the failure");
        NS_TEST_EXPECT_MSG_EQ(m_samples[1], "0011", "0 -> 1 and 1 -> 0 dark during it");
        NS_TEST_EXPECT_MSG_EQ(m_samples[2], "1111", "lit again after it");
        const OcsSwitchCounters c = m_switch->GetCounters();
        NS_TEST_EXPECT_MSG_EQ(c.portFailures, 1, "one failure");
        NS_TEST_EXPECT_MSG_EQ(c.failureDarkenings, 2, "two circuits darkened");
        NS_TEST_ASSERT_MSG_EQ(m_events.size(), 2, "start and end traced");
        NS_TEST_EXPECT_MSG_EQ(m_events[0], 1, "failure of port 1 starts");
        NS_TEST_EXPECT_MSG_EQ(m_events[1], -2, "failure of port 1 ends");
        m_switch = nullptr;
        Simulator::Destroy();
    }

    Ptr<OpticalCircuitSwitch> m_switch; //!< the switch
    std::vector<std::string> m_samples; //!< IsLit per port at the sample times
    std::vector<int> m_events;          //!< port (start) or -1 - port (end)
};

/**
 * @ingroup photonic-moe
 * The CircuitState trace reports what the switch does: through a port failure that spans a
 * reconfiguration, the state rebuilt from the trace equals IsLit() of every port at every
 * sample (a circuit that is configured while its port is failed is reported lit only when
 * the failure ends).
 */
class CircuitStateTraceTestCase : public TestCase
{
  public:
    CircuitStateTraceTestCase()
        : TestCase("Fault: CircuitState trace agrees with IsLit through a failure and a "
                   "reconfiguration")
    {
    }

  private:
    /**
     * CircuitState sink.
     * @param port transmitting port
     * @param peer receiving port
     * @param lit new state
     */
    void OnState(uint32_t port, int32_t peer, bool lit)
    {
        (void)peer;
        m_traced[port] = lit ? '1' : '0';
    }

    /** Second configuration, applied while port 1 is failed. */
    void Reconfigure()
    {
        // 0 -> 2, 2 -> 0, 1 -> 3, 3 -> 1
        m_switch->ApplyConfiguration({{0, 2}, {2, 0}, {1, 3}, {3, 1}});
    }

    /** Compare the traced state with IsLit() of every port. */
    void Sample()
    {
        std::string real;
        for (uint32_t p = 0; p < m_switch->GetNPorts(); ++p)
        {
            real += m_switch->IsLit(p) ? '1' : '0';
        }
        m_real.push_back(real);
        m_fromTrace.push_back(m_traced);
    }

    void DoRun() override
    {
        NodeContainer nodes(4);
        OcsHelper ocs;
        ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(MicroSeconds(1)));
        ocs.Install(nodes);
        m_switch = ocs.GetSwitch();
        m_traced = "0000";
        m_switch->TraceConnectWithoutContext(
            "CircuitState",
            MakeCallback(&CircuitStateTraceTestCase::OnState, this));
        m_switch->ApplyConfiguration({{0, 1}, {1, 0}, {2, 3}, {3, 2}});
        m_switch->FailPort(1, MicroSeconds(10), MicroSeconds(10));
        Simulator::Schedule(MicroSeconds(13), &CircuitStateTraceTestCase::Reconfigure, this);
        for (int64_t t : {5, 12, 13, 15, 25})
        {
            Simulator::Schedule(MicroSeconds(t) + NanoSeconds(500),
                                &CircuitStateTraceTestCase::Sample,
                                this);
        }
        Simulator::Run();
        const std::vector<std::string> expected = {"1111", "0011", "0000", "1010", "1111"};
        NS_TEST_ASSERT_MSG_EQ(m_real.size(), expected.size(), "every sample taken");
        for (std::size_t i = 0; i < expected.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(m_real[i], expected[i], "IsLit at sample " << i);
            NS_TEST_EXPECT_MSG_EQ(m_fromTrace[i],
                                  m_real[i],
                                  "CircuitState trace agrees with IsLit at sample " << i);
        }
        m_switch = nullptr;
        Simulator::Destroy();
    }

    Ptr<OpticalCircuitSwitch> m_switch;   //!< the switch
    std::string m_traced;                 //!< per port: '1' lit, '0' dark, from the trace
    std::vector<std::string> m_real;      //!< IsLit per port at each sample
    std::vector<std::string> m_fromTrace; //!< traced state at each sample
};

/**
 * @ingroup photonic-moe
 * A port fails during the dispatch schedule: its traffic falls back to the EPS, frames on its
 * circuits are lost and retransmitted by TCP, the layer completes with conservation.
 */
class LayerPortFailureTestCase : public TestCase
{
  public:
    LayerPortFailureTestCase()
        : TestCase("Fault: port failure during a layer; EPS fallback, conservation")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = SmallScenario();
        const MoeLayerRunResult base = RunSeeded(sc);
        NS_TEST_ASSERT_MSG_EQ(PairConservation(base), "", "baseline conserves bytes");
        NS_TEST_EXPECT_MSG_EQ(base.faults.portFailures, 0, "no failure without the fault");
        NS_TEST_EXPECT_MSG_EQ(base.faults.failoverToEpsPackets, 0, "no failover without it");

        sc.failPort = 1;
        sc.failStart = MicroSeconds(150); // inside the dispatch schedule (lit from ~135 us)
        sc.failDuration = MicroSeconds(100);
        const MoeLayerRunResult r = RunSeeded(sc);
        NS_TEST_ASSERT_MSG_EQ(PairConservation(r), "", "port failure: conservation");
        NS_TEST_EXPECT_MSG_EQ(r.faults.portFailures, 1, "the failure is recorded");
        NS_TEST_EXPECT_MSG_GT(r.faults.failoverToEpsPackets, 0, "traffic fell back to the EPS");
        NS_TEST_EXPECT_MSG_GT(r.faults.failureDarkenings, 0, "lit circuits went dark");
        NS_TEST_EXPECT_MSG_GT(r.total.layerTimeNs, base.total.layerTimeNs, "the layer is slower");
    }
};

/**
 * @ingroup photonic-moe
 * Reconfiguration jitter: some reconfigurations take longer than delta while the hosts keep
 * the nominal plan; nothing is lost and the extra dark time is recorded.
 */
class ReconfigurationJitterTestCase : public TestCase
{
  public:
    ReconfigurationJitterTestCase()
        : TestCase("Fault: reconfiguration jitter; hosts on the nominal plan lose nothing")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = SmallScenario();
        const MoeLayerRunResult base = RunSeeded(sc);
        NS_TEST_EXPECT_MSG_EQ(base.faults.lateReconfigurations, 0, "no jitter, none late");
        NS_TEST_EXPECT_MSG_EQ(base.faults.reconfigExtraDarkNs, 0, "no extra dark time");

        sc.reconfigJitter = MicroSeconds(20);
        const MoeLayerRunResult r = RunSeeded(sc);
        NS_TEST_ASSERT_MSG_EQ(PairConservation(r), "", "jitter: conservation");
        NS_TEST_EXPECT_MSG_GT(r.faults.lateReconfigurations, 0, "late reconfigurations counted");
        NS_TEST_EXPECT_MSG_GT(r.faults.reconfigExtraDarkNs, 0, "extra dark time recorded");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(r.faults.reconfigExtraDarkNs,
                                    static_cast<int64_t>(r.faults.lateReconfigurations) * 20000,
                                    "each extra <= the jitter bound");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(r.faults.lateReconfigurations,
                                    r.switchReconfigurations,
                                    "late <= all reconfigurations");
        NS_TEST_EXPECT_MSG_EQ(r.faults.framesTornDown, 0, "the guard follows the real switch");
    }
};

/**
 * @ingroup photonic-moe
 * Lost and late control messages: retries after ControlTimeout, duplicates ignored, and with
 * no retries the fallback (EPS control path; a lost commit sends the layer over the EPS).
 */
class ControlFaultTestCase : public TestCase
{
  public:
    ControlFaultTestCase()
        : TestCase("Fault: lost and late control messages; retry, fallback, conservation")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = SmallScenario();
        sc.layers = 2;
        const MoeLayerRunResult base = RunSeeded(sc);
        NS_TEST_ASSERT_MSG_EQ(PairConservation(base), "", "baseline conserves bytes");
        NS_TEST_EXPECT_MSG_GT(base.faults.controlMessages, 0, "control messages counted");
        NS_TEST_EXPECT_MSG_EQ(base.faults.controlLost + base.faults.controlLate +
                                  base.faults.controlRetries + base.faults.controlDuplicates,
                              0,
                              "no control faults without injection");

        sc.controlLossProbability = 0.3;
        sc.controlLateProbability = 0.3;
        sc.controlExtraDelay = MicroSeconds(30); // > ControlTimeout (20 us): duplicates
        const MoeLayerRunResult r = RunSeeded(sc);
        NS_TEST_ASSERT_MSG_EQ(PairConservation(r), "", "lost/late control: conservation");
        NS_TEST_EXPECT_MSG_GT(r.faults.controlLost, 0, "losses recorded");
        NS_TEST_EXPECT_MSG_GT(r.faults.controlLate, 0, "late messages recorded");
        NS_TEST_EXPECT_MSG_GT(r.faults.controlRetries, 0, "retries recorded");
        NS_TEST_EXPECT_MSG_EQ(r.faults.controlMessages,
                              base.faults.controlMessages,
                              "same number of messages, whatever their fate");

        sc.controlLateProbability = 0;
        sc.controlLossProbability = 0.5;
        sc.controlMaxRetries = 0;
        sc.layers = 3;
        const MoeLayerRunResult f = RunSeeded(sc);
        NS_TEST_ASSERT_MSG_EQ(PairConservation(f), "", "fallback: conservation");
        NS_TEST_EXPECT_MSG_GT(f.faults.controlFallbacks, 0, "fallbacks recorded");
        NS_TEST_EXPECT_MSG_EQ(f.faults.controlRetries, 0, "no retries allowed");
        NS_TEST_EXPECT_MSG_EQ(f.faults.controlFallbacks, f.faults.controlLost, "lost = fallback");
    }
};

/**
 * @ingroup photonic-moe
 * VOQ overflow: with a small VoqCapacity packets are dropped ("voq-full") and TCP
 * retransmits them, or (VoqOverflowToEps) they cross the EPS; either way conservation holds.
 */
class VoqOverflowTestCase : public TestCase
{
  public:
    VoqOverflowTestCase()
        : TestCase("Fault: VOQ overflow; drops retransmitted by TCP, or overflow to the EPS")
    {
    }

  private:
    void DoRun() override
    {
        MoeLayerScenario sc = SmallScenario();
        const MoeLayerRunResult base = RunSeeded(sc);
        NS_TEST_EXPECT_MSG_EQ(base.faults.voqOverflowDrops + base.faults.voqOverflowToEps,
                              0,
                              "no overflow with the default capacity");

        sc.voqCapacity = 20000; // two jumbo frames
        const MoeLayerRunResult drop = RunSeeded(sc);
        NS_TEST_ASSERT_MSG_EQ(PairConservation(drop), "", "drop: TCP recovers every byte");
        NS_TEST_EXPECT_MSG_GT(drop.faults.voqOverflowDrops, 0, "drops counted");
        const auto it = drop.dropsByReason.find("voq-full");
        NS_TEST_ASSERT_MSG_EQ((it != drop.dropsByReason.end()), true, "reported by reason");
        NS_TEST_EXPECT_MSG_EQ(it->second, drop.faults.voqOverflowDrops, "counters reconcile");

        sc.voqOverflow = "eps";
        const MoeLayerRunResult eps = RunSeeded(sc);
        NS_TEST_ASSERT_MSG_EQ(PairConservation(eps), "", "eps: conservation");
        NS_TEST_EXPECT_MSG_GT(eps.faults.voqOverflowToEps, 0, "overflow sent to the EPS");
        NS_TEST_EXPECT_MSG_EQ(eps.faults.voqOverflowDrops, 0, "nothing dropped");
    }
};

} // namespace

void
AddFaultTestCases(PmoeTestSuite& suite)
{
    suite.AddQuick(new SwitchPortFailureTestCase);
    suite.AddQuick(new CircuitStateTraceTestCase);
    suite.AddExtensive(new LayerPortFailureTestCase);
    suite.AddExtensive(new ReconfigurationJitterTestCase);
    suite.AddExtensive(new ControlFaultTestCase);
    suite.AddExtensive(new VoqOverflowTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
