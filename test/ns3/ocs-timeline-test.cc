/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The switch's timing against pmoe::ScheduleTimeline (the one definition of when a circuit is
// lit, which the circuit scheduler sends to the hosts), and the reproducibility of the
// switch's reconfiguration jitter through the fabric helpers' AssignStreams.

#include "photonic-moe-test-util.h"

#include "ns3/moe-topology-helper.h"
#include "ns3/net-device-container.h"
#include "ns3/nstime.h"
#include "ns3/ocs-helper.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/pmoe-schedule-timeline.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{
namespace pmoe
{
namespace tests
{
namespace
{

/** A circuit carrying light from one port to another over [startNs, endNs). */
struct LitInterval
{
    uint32_t port{0};   //!< transmitting port
    int32_t peer{-1};   //!< receiving port
    int64_t startNs{0}; //!< lights
    int64_t endNs{0};   //!< goes dark

    /** @param o another interval @return true if equal */
    bool operator==(const LitInterval& o) const
    {
        return std::tie(port, peer, startNs, endNs) == std::tie(o.port, o.peer, o.startNs, o.endNs);
    }

    /** @param o another interval @return true if this one sorts first */
    bool operator<(const LitInterval& o) const
    {
        return std::tie(port, peer, startNs, endNs) < std::tie(o.port, o.peer, o.startNs, o.endNs);
    }
};

/**
 * @param v intervals
 * @return them sorted, as text ("port->peer [start, end) ns; ...")
 */
std::string
Describe(std::vector<LitInterval> v)
{
    std::sort(v.begin(), v.end());
    std::ostringstream os;
    for (const auto& i : v)
    {
        os << i.port << "->" << i.peer << " [" << i.startNs << ", " << i.endNs << ") ";
    }
    return os.str();
}

} // namespace

/**
 * @ingroup photonic-moe
 * Plan timing agrees with the switch: every interval in which the switch's CircuitState trace
 * reports a circuit lit is exactly [ScheduleTimeline::CircuitLitFromNs, TeardownNs) of the
 * step that lights it, in the timeline the circuit scheduler sends the hosts
 * (pmoe::ScheduleTimeline(schedule, delta, mode, start)); a circuit kept through a
 * reconfiguration is lit from its step's start in that timeline and torn down with the
 * interval that carries it.
 *
 * 4 ports, delta 10 us, start 5 us: C0 {0->1, 2->3} 20 us, C1 {0->1, 3->2} 20 us (0->1 kept in
 * changed-only mode), C2 = C1 15 us (changed-only: no reconfiguration), C3 {1->0, 2->3} 10 us.
 * In changed-only mode the old view of the plans - every circuit of step k lit at
 * T_k + delta, T_{k+1} = T_k + delta + d_k - disagrees with the switch (the test pins the
 * fix); in all-stop mode the two views are the same.
 */
class OcsTimelineAgreementTestCase : public TestCase
{
  public:
    /** @param mode "changed-only" or "all-stop" */
    explicit OcsTimelineAgreementTestCase(std::string mode)
        : TestCase("OCS switch lights each circuit exactly as ScheduleTimeline says, " + mode),
          m_mode(std::move(mode))
    {
    }

  private:
    void DoRun() override
    {
        const bool changedOnly = m_mode == "changed-only";
        const Time delta = MicroSeconds(10);
        const Time start = MicroSeconds(5);
        OcsHelper ocs;
        ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(delta));
        ocs.SetChannelAttribute("ReconfigurationMode", StringValue(m_mode));
        InstallHosts(ocs, 4);
        Ptr<OpticalCircuitSwitch> sw = ocs.GetSwitch();
        Schedule s(4, CircuitModel::UNIDIRECTIONAL);
        s.Append({{{0, 1}, {2, 3}}, 20000, 0});
        s.Append({{{0, 1}, {3, 2}}, 20000, 0});
        s.Append({{{0, 1}, {3, 2}}, 15000, 0});
        s.Append({{{1, 0}, {2, 3}}, 10000, 0});

        // Lit intervals from the trace: a port lights, then goes dark.
        std::vector<LitInterval> traced;
        std::vector<LitInterval> open(4);
        std::vector<bool> isOpen(4, false);
        uint32_t anomalies = 0;
        sw->TraceConnectWithoutContext(
            "CircuitState",
            FunctionCallback<void, uint32_t, int32_t, bool>(
                [&](uint32_t port, int32_t peer, bool lit) {
                    const int64_t now = Simulator::Now().GetNanoSeconds();
                    if (lit == isOpen[port] || (!lit && peer != open[port].peer))
                    {
                        ++anomalies; // lit twice, dark while dark, or dark on another peer
                    }
                    if (lit)
                    {
                        open[port] = {port, peer, now, 0};
                    }
                    else
                    {
                        open[port].endNs = now;
                        traced.push_back(open[port]);
                    }
                    isOpen[port] = lit;
                }));
        sw->RunSchedule(s, start);
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(anomalies, 0u, "lit and dark alternate per port, same peer");
        NS_TEST_EXPECT_MSG_EQ(std::count(isOpen.begin(), isOpen.end(), true),
                              0,
                              "every port dark after the schedule");

        // What the scheduler would send the hosts.
        const ScheduleTimeline timeline(s,
                                        delta.GetNanoSeconds(),
                                        FromString<ReconfigMode>(m_mode),
                                        start.GetNanoSeconds());
        std::vector<LitInterval> planned;
        uint32_t kept = 0;
        for (std::size_t k = 0; k < timeline.Steps(); ++k)
        {
            for (const Circuit& c : s.Configurations()[k].circuits)
            {
                const LitInterval lit{c.src,
                                      static_cast<int32_t>(c.dst),
                                      timeline.CircuitLitFromNs(k, c.src),
                                      timeline.TeardownNs(k, c.src)};
                if (!timeline.IsKept(k, c.src))
                {
                    planned.push_back(lit);
                    continue;
                }
                // A kept circuit serves this step from its start, inside the interval that
                // the circuit lit earlier and with that interval's teardown.
                ++kept;
                NS_TEST_EXPECT_MSG_EQ(lit.startNs,
                                      timeline.Step(k).startNs,
                                      "kept circuit of step " << k << " lit from the step start");
                const bool inside =
                    std::any_of(traced.begin(), traced.end(), [&lit](const LitInterval& t) {
                        return t.port == lit.port && t.peer == lit.peer &&
                               t.startNs < lit.startNs && t.endNs == lit.endNs;
                    });
                NS_TEST_EXPECT_MSG_EQ(inside,
                                      true,
                                      "kept circuit " << c.src << "->" << c.dst << " of step " << k
                                                      << " lies in a traced interval");
            }
        }
        NS_TEST_EXPECT_MSG_EQ(kept, (changedOnly ? 3U : 0U), "kept circuits (0->1 twice, 3->2)");
        NS_TEST_EXPECT_MSG_EQ(Describe(traced), Describe(planned), "switch = timeline");

        // The old view of the plans: every circuit lit at T_k + delta for d_k.
        std::vector<LitInterval> oldView;
        int64_t t = start.GetNanoSeconds();
        for (const auto& config : s.Configurations())
        {
            const int64_t lit = t + delta.GetNanoSeconds();
            for (const Circuit& c : config.circuits)
            {
                oldView.push_back(
                    {c.src, static_cast<int32_t>(c.dst), lit, lit + config.durationNs});
            }
            t = lit + config.durationNs;
        }
        if (changedOnly)
        {
            NS_TEST_EXPECT_MSG_NE(Describe(oldView),
                                  Describe(traced),
                                  "changed-only: the all-stop view disagrees with the switch");
            // The kept circuit 0->1 of C1 carries traffic from T1, not T1 + delta.
            NS_TEST_EXPECT_MSG_EQ(timeline.CircuitLitFromNs(1, 0),
                                  timeline.Step(1).startNs,
                                  "C1's 0->1 lit from T1");
            NS_TEST_EXPECT_MSG_EQ(timeline.Step(2).reconfigures, false, "C2 repeats C1: no delta");
            NS_TEST_EXPECT_MSG_EQ(timeline.EndNs(), MicroSeconds(100).GetNanoSeconds(), "end");
        }
        else
        {
            NS_TEST_EXPECT_MSG_EQ(Describe(oldView),
                                  Describe(traced),
                                  "all-stop: both views agree with the switch");
            NS_TEST_EXPECT_MSG_EQ(timeline.EndNs(), MicroSeconds(110).GetNanoSeconds(), "end");
        }
        Simulator::Destroy();
    }

    std::string m_mode; //!< reconfiguration mode
};

/**
 * @ingroup photonic-moe
 * OcsHelper::AssignStreams and MoeTopologyHelper::AssignStreams use one stream for the one
 * switch and make its reconfiguration jitter reproducible: the same stream gives the same
 * late reconfigurations, another stream other ones.
 */
class OcsJitterStreamsTestCase : public TestCase
{
  public:
    OcsJitterStreamsTestCase()
        : TestCase("OcsHelper and MoeTopologyHelper AssignStreams: reproducible jitter")
    {
    }

  private:
    /**
     * Build 4 hosts on a switch with delta 1 us and jitter up to 5 us, assign streams, and
     * loop a rotor over 300 us.
     * @param topology build with MoeTopologyHelper (else OcsHelper alone)
     * @param stream the stream to assign
     * @param used set to what AssignStreams returned
     * @return the extra dark times of the late reconfigurations
     */
    static std::vector<int64_t> Run(bool topology, int64_t stream, int64_t& used)
    {
        MoeTopologyHelper topologyHelper;
        OcsHelper& ocs = topologyHelper.GetFabricHelper();
        ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(MicroSeconds(1)));
        ocs.SetChannelAttribute("ReconfigurationJitter", TimeValue(MicroSeconds(5)));
        Ptr<OpticalCircuitSwitch> sw;
        if (topology)
        {
            const MoeTopology built = topologyHelper.Install(4);
            used = topologyHelper.AssignStreams(built, stream);
            sw = built.ocs;
        }
        else
        {
            used = ocs.AssignStreams(InstallHosts(ocs, 4), stream);
            sw = ocs.GetSwitch();
        }
        const std::vector<int64_t> extras = RecordLateReconfigurations(sw, MicroSeconds(300));
        Simulator::Destroy();
        return extras;
    }

    void DoRun() override
    {
        for (bool topology : {false, true})
        {
            const std::string helper = topology ? "MoeTopologyHelper" : "OcsHelper";
            RngSeedManager::SetSeed(1);
            RngSeedManager::SetRun(1);
            int64_t used = 0;
            const std::vector<int64_t> a = Run(topology, 40, used);
            NS_TEST_EXPECT_MSG_EQ(used, 1, helper << ": one stream, one switch");
            const std::vector<int64_t> b = Run(topology, 40, used);
            const std::vector<int64_t> c = Run(topology, 41, used);
            NS_TEST_ASSERT_MSG_GT(a.size(), 10u, helper << ": reconfigurations were late");
            for (int64_t extra : a)
            {
                NS_TEST_EXPECT_MSG_GT(extra, 0, "late by more than 0");
                NS_TEST_EXPECT_MSG_LT_OR_EQ(extra, 5000, "late by at most the jitter");
            }
            NS_TEST_EXPECT_MSG_EQ((a == b), true, helper << ": same stream, same jitter");
            NS_TEST_EXPECT_MSG_EQ((a != c), true, helper << ": another stream, other jitter");
        }
    }
};

void
AddOcsTimelineTestCases(PmoeTestSuite& suite)
{
    suite.AddQuick(new OcsTimelineAgreementTestCase("changed-only"));
    suite.AddQuick(new OcsTimelineAgreementTestCase("all-stop"));
    suite.AddQuick(new OcsJitterStreamsTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
