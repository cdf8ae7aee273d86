/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Congestion control on the electrical fabric: the DCQCN rate controller against values
// worked by hand, DCQCN with ECN marking in a 2:1 incast, and PFC making the EPS lossless.

#include "rdma-test-util.h"

#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/rdma-dcqcn.h"
#include "ns3/rdma-header.h"
#include "ns3/simulator.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <cstdint>
#include <iostream>
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
 * An OcsHelper for an electrical fabric that every packet crosses, 100 Gb/s ports.
 * @return the helper
 */
OcsHelper
EpsFabric()
{
    OcsHelper ocs;
    ocs.SetDeviceAttribute("DataRate", DataRateValue(DataRate("100Gbps")));
    ocs.EnableEps(DataRate("100Gbps"), NanoSeconds(50), "all");
    return ocs;
}

} // namespace

/**
 * @ingroup photonic-moe
 * RdmaDcqcn on its own (no simulation: times are passed in). Line rate 100 Gb/s, defaults
 * except R_AI = 1 Mb/s and R_HAI = 10 Mb/s so that the increase stages last long enough to
 * be seen. A CNP at 0 halves the rate (alpha = 1): R_C = 50 Gb/s, R_T = 100 Gb/s. Six
 * byte-counter events at 0 (6 x 10 MB sent): five of fast recovery (R_T unchanged), the
 * sixth additive (j = 6 > F = 5, i = 0): R_T = 100.001 Gb/s. Reading the rate at 6 T: timer
 * events i = 1..5 are additive (max(i, j) > 5 >= min(i, j)), i = 6 is hyper (min = 6 > 5):
 * R_T = 100.001 + 5 x 0.001 + 1 x 0.010 = 100.016 Gb/s. A second CNP two increase periods
 * (110 us) after the first finds alpha = (1 - g)^110 (it was 1 after the first CNP; 110
 * periods of the default 1-us alpha timer) and cuts R_C to R_C (1 - alpha / 2).
 */
class RdmaDcqcnStagesTestCase : public TestCase
{
  public:
    RdmaDcqcnStagesTestCase()
        : TestCase("RdmaDcqcn: fast recovery, additive and hyper increase, alpha decay")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<RdmaDcqcn> cc = CreateObject<RdmaDcqcn>();
        cc->SetAttribute("RateAi", DataRateValue(DataRate("1Mbps")));
        cc->SetAttribute("RateHai", DataRateValue(DataRate("10Mbps")));
        RdmaDcqcnState s;
        cc->Init(s, DataRate("100Gbps"));
        cc->OnCnp(s, Time(0));
        NS_TEST_EXPECT_MSG_EQ(s.rc, 50e9, "first CNP halves the rate");
        NS_TEST_EXPECT_MSG_EQ(s.rt, 100e9, "target = rate before the cut");
        NS_TEST_EXPECT_MSG_EQ(s.alpha, 1.0, "alpha = (1 - g) 1 + g = 1");
        cc->OnSent(s, 6 * 10000000ULL, Time(0));
        NS_TEST_EXPECT_MSG_EQ(s.byteEvents, 6u, "six byte-counter events");
        NS_TEST_EXPECT_MSG_EQ(s.rt, 100.001e9, "five fast recoveries, one additive");
        NS_TEST_EXPECT_MSG_EQ(s.rc, (100.001e9 + 98.4375e9) / 2, "R_C after them");
        cc->Update(s, MicroSeconds(6 * 55));
        NS_TEST_EXPECT_MSG_EQ(s.timerEvents, 6u, "six timer events");
        NS_TEST_EXPECT_MSG_EQ(s.rt, 100.016e9, "five additive, one hyper increase");
        NS_TEST_EXPECT_MSG_EQ(s.limited, true, "still below line rate");

        RdmaDcqcnState a;
        cc->Init(a, DataRate("100Gbps"));
        cc->OnCnp(a, Time(0));
        cc->OnCnp(a, MicroSeconds(2 * 55));
        // Two fast recoveries (75, 87.5 Gb/s) before the second cut; 110 alpha periods.
        TimeValue alphaTimer;
        cc->GetAttribute("AlphaTimer", alphaTimer);
        NS_TEST_EXPECT_MSG_EQ(alphaTimer.Get(), MicroSeconds(1), "default alpha timer");
        const double alpha = std::pow(1 - 1.0 / 256, 110);
        NS_TEST_EXPECT_MSG_EQ_TOL(a.rc, 87.5e9 * (1 - alpha / 2), 1.0, "second cut");
        NS_TEST_EXPECT_MSG_EQ_TOL(a.alpha, (1 - 1.0 / 256) * alpha + 1.0 / 256, 1e-12, "alpha");
        NS_TEST_EXPECT_MSG_EQ(a.rateCuts, 2u, "two cuts");
    }
};

/**
 * @ingroup photonic-moe
 * DCQCN in a NIC: host 1 sends one CNP to host 0's queue pair at 10 us over the ideal EPS at
 * 100 Gb/s; it arrives at 10 + 0.005 + 0.55 + 0.005 + 0.05 = 10.61 us and, with the default
 * alpha of 1, halves the queue pair's rate to 50 Gb/s. With no further CNP and nothing sent,
 * only the 55-us timer raises it (R_AI = 40 Mb/s): fast recovery 75, 87.5, 93.75, 96.875,
 * 98.4375; additive 99.23875, 99.659375, 99.8896875 (R_T = 100.12), then
 * (100.16 + 99.8896875) / 2 > 100: the line rate after exactly 9 periods (495 us), not 8.
 */
class RdmaDcqcnCnpTestCase : public TestCase
{
  public:
    RdmaDcqcnCnpTestCase()
        : TestCase("RDMA DCQCN: one CNP halves the rate, line rate 9 timer periods later")
    {
    }

  private:
    /** Host 1 sends a CNP to host 0's queue pair 5. */
    void SendCnp()
    {
        Ptr<Packet> p = Create<Packet>(RdmaNic::CONTROL_PACKET_BYTES - RdmaHeader::SIZE);
        RdmaHeader h;
        h.SetOpcode(RdmaHeader::CNP);
        h.SetDestQpn(5);
        p->AddHeader(h);
        m_tb.Device(1)->SendToPort(p, m_tb.Device(0)->GetPort(), RdmaNic::ETHER_TYPE);
    }

    /** @param k timer periods since the cut */
    void Check(uint32_t k)
    {
        m_rates.push_back(m_tb.nics[0]->GetQpRate(5).GetBitRate());
        NS_TEST_EXPECT_MSG_EQ(m_rates.back(), kExpected[k], "rate after " << k << " periods");
    }

    /**
     * RateChange trace.
     * @param qpn queue pair @param oldBps old rate @param newBps new rate
     */
    void OnRate(uint32_t /* qpn */, uint64_t oldBps, uint64_t newBps)
    {
        if (newBps < oldBps)
        {
            m_cutNs = Simulator::Now().GetNanoSeconds();
        }
    }

    void DoRun() override
    {
        OcsHelper ocs = EpsFabric();
        m_tb = BuildRdmaTestbed(ocs, 2, RdmaNicFactory());
        m_tb.Connect(0, 1, 5);
        m_tb.nics[0]->TraceConnectWithoutContext("RateChange",
                                                 MakeCallback(&RdmaDcqcnCnpTestCase::OnRate, this));
        Simulator::Schedule(MicroSeconds(10), &RdmaDcqcnCnpTestCase::SendCnp, this);
        const Time cut = NanoSeconds(10610);
        for (uint32_t k = 0; k <= 9; ++k)
        {
            Simulator::Schedule(cut + MicroSeconds(55 * k) + NanoSeconds(1),
                                &RdmaDcqcnCnpTestCase::Check,
                                this,
                                k);
        }
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(m_cutNs, 10610, "CNP arrives and cuts at 10.61 us");
        const RdmaQpCounters c = m_tb.nics[0]->GetQpCounters(5);
        NS_TEST_EXPECT_MSG_EQ(c.cnpsReceived, 1u, "one CNP");
        NS_TEST_EXPECT_MSG_EQ(c.rateCuts, 1u, "one cut");
        NS_TEST_EXPECT_MSG_EQ(m_rates.size(), 10u, "ten readings");
        Simulator::Destroy();
        m_tb = RdmaTestbed();
    }

    /// Expected rate (bit/s) after k timer periods.
    static constexpr uint64_t kExpected[10] = {50000000000,
                                               75000000000,
                                               87500000000,
                                               93750000000,
                                               96875000000,
                                               98437500000,
                                               99238750000,
                                               99659375000,
                                               99889687500,
                                               100000000000};

    RdmaTestbed m_tb;              //!< the hosts
    std::vector<uint64_t> m_rates; //!< rates read
    int64_t m_cutNs{-1};           //!< time of the cut
};

/**
 * @ingroup photonic-moe
 * DCQCN with ECN marking at the EPS in a 2:1 incast: hosts 0 and 2 each send 4 MB to host 1
 * at 100 Gb/s through one egress port (EcnMarking on, DCQCN defaults). The switch marks,
 * host 1 sends CNPs (at most one per 50 us per queue pair), both senders cut their rates;
 * every byte arrives and nothing is dropped. After a sender's last cut (R_T = its rate
 * before the cut, R_C after it; RateChange trace) nothing more is sent than 4 MB < the
 * 10 MB byte counter, so only the timer raises the rate: five fast recoveries, then additive
 * increases of 40 Mb/s, which the test steps through to find the period N at which R_C
 * reaches the line rate. The queue pair is below the line rate two periods before N and at
 * it one period after (the trace reports rates rounded down to whole bit/s).
 */
class RdmaDcqcnIncastTestCase : public TestCase
{
  public:
    RdmaDcqcnIncastTestCase()
        : TestCase("RDMA DCQCN: 2:1 incast with ECN marking cuts, then recovers on time")
    {
    }

  private:
    /** One sender's last cut. */
    struct Cut
    {
        int64_t timeNs{-1}; //!< when
        double rt{0};       //!< R_T after it (the rate before it)
        double rc{0};       //!< R_C after it
    };

    /**
     * @param cut a cut
     * @return timer periods after it until R_C reaches 100 Gb/s (no byte-counter event)
     */
    static uint32_t PeriodsToLine(const Cut& cut)
    {
        const double line = 100e9;
        double rt = cut.rt;
        double rc = cut.rc;
        for (uint32_t i = 1;; ++i)
        {
            if (i > 5)
            {
                rt += 40e6; // additive increase (R_AI)
            }
            rc = (rt + rc) / 2;
            if (rc >= line)
            {
                return i;
            }
        }
    }

    /**
     * RateChange trace of a sender.
     * @param sender 0 or 1
     * @param qpn queue pair
     * @param oldBps old rate
     * @param newBps new rate
     */
    void OnRate(uint32_t sender, uint32_t /* qpn */, uint64_t oldBps, uint64_t newBps)
    {
        if (newBps < oldBps)
        {
            m_cut[sender] = {Simulator::Now().GetNanoSeconds(),
                             static_cast<double>(oldBps),
                             static_cast<double>(newBps)};
        }
    }

    /** @param sender read a sender's rate at its checkpoints */
    void Read(uint32_t sender)
    {
        const uint32_t qpn = sender == 0 ? 1 : 2;
        m_rates[sender].push_back(m_tb.nics[sender == 0 ? 0 : 2]->GetQpRate(qpn).GetBitRate());
    }

    /** After the transfers: schedule the checkpoints from each sender's last cut. */
    void ScheduleChecks()
    {
        const Time now = Simulator::Now();
        for (uint32_t s = 0; s < 2; ++s)
        {
            m_periods[s] = PeriodsToLine(m_cut[s]);
            const Time cut = NanoSeconds(m_cut[s].timeNs);
            for (const Time& at : {cut + MicroSeconds(55 * (m_periods[s] - 2)),
                                   cut + MicroSeconds(55 * (m_periods[s] + 1))})
            {
                Simulator::Schedule(at + NanoSeconds(1) - now,
                                    &RdmaDcqcnIncastTestCase::Read,
                                    this,
                                    s);
            }
        }
    }

    void DoRun() override
    {
        OcsHelper ocs = EpsFabric();
        ocs.EnableEpsEcn(5000, 200000, 0.01); // the DCQCN paper's Kmin, Kmax, Pmax
        ocs.SetEpsAttribute("EgressQueueCapacity", UintegerValue(64 << 20));
        m_tb = BuildRdmaTestbed(ocs, 3, RdmaNicFactory());
        NS_TEST_EXPECT_MSG_EQ(ocs.AssignStreams(m_tb.devices, 11), 2, "OCS and EPS streams");
        m_tb.Connect(0, 1, 1);
        m_tb.Connect(2, 1, 2);
        m_tb.nics[0]->TraceConnectWithoutContext(
            "RateChange",
            MakeBoundCallback(&RdmaDcqcnIncastTestCase::OnRateOf, this, 0U));
        m_tb.nics[2]->TraceConnectWithoutContext(
            "RateChange",
            MakeBoundCallback(&RdmaDcqcnIncastTestCase::OnRateOf, this, 1U));
        RdmaRecorder rec;
        rec.Connect(m_tb.nics[1]);
        m_tb.nics[0]->PostSend(1, 1, 4000000, 0);
        m_tb.nics[2]->PostSend(2, 1, 4000000, 0);
        // The transfers take well under 5 ms; no CNP comes after them.
        Simulator::Schedule(MilliSeconds(5), &RdmaDcqcnIncastTestCase::ScheduleChecks, this);
        Simulator::Run();
        const RdmaQpCounters a = m_tb.nics[0]->GetQpCounters(1);
        const RdmaQpCounters b = m_tb.nics[2]->GetQpCounters(2);
        const RdmaQpCounters r = m_tb.nics[1]->GetCounters();
        NS_TEST_EXPECT_MSG_EQ(rec.rxBytes, 8000000u, "every byte");
        NS_TEST_ASSERT_MSG_EQ(rec.received.size(), 2u, "both messages");
        NS_TEST_EXPECT_MSG_GT(m_tb.eps->GetCounters().ecnMarked, 0u, "the switch marked");
        NS_TEST_EXPECT_MSG_GT(r.cnpsSent, 0u, "the receiver sent CNPs");
        NS_TEST_EXPECT_MSG_GT(a.rateCuts, 0u, "sender 0 cut its rate");
        NS_TEST_EXPECT_MSG_GT(b.rateCuts, 0u, "sender 2 cut its rate");
        NS_TEST_EXPECT_MSG_EQ(a.cnpsReceived + b.cnpsReceived, r.cnpsSent, "CNPs reconcile");
        NS_TEST_EXPECT_MSG_EQ(m_tb.eps->GetCounters().dropEgressFull, 0u, "no drop");
        NS_TEST_EXPECT_MSG_EQ(a.retransmittedPackets + b.retransmittedPackets, 0u, "no resend");
        for (uint32_t s = 0; s < 2; ++s)
        {
            NS_TEST_ASSERT_MSG_EQ(m_rates[s].size(), 2u, "two readings");
            NS_TEST_EXPECT_MSG_LT(m_rates[s][0], 100000000000u, "below line rate at N - 2");
            NS_TEST_EXPECT_MSG_EQ(m_rates[s][1], 100000000000u, "line rate at N + 1");
        }
        std::cout << "    incast: " << m_tb.eps->GetCounters().ecnMarked << " marks, " << r.cnpsSent
                  << " CNPs, rate cuts " << a.rateCuts << " + " << b.rateCuts << ", done at "
                  << rec.received.back().timeNs << " ns; line rate " << m_periods[0] << " and "
                  << m_periods[1] << " periods after the last cuts" << std::endl;
        Simulator::Destroy();
        m_tb = RdmaTestbed();
    }

    /**
     * RateChange sink bound to a test case and a sender.
     * @param self the test case
     * @param sender 0 or 1
     * @param qpn queue pair
     * @param oldBps old rate
     * @param newBps new rate
     */
    static void OnRateOf(RdmaDcqcnIncastTestCase* self,
                         uint32_t sender,
                         uint32_t qpn,
                         uint64_t oldBps,
                         uint64_t newBps)
    {
        self->OnRate(sender, qpn, oldBps, newBps);
    }

    RdmaTestbed m_tb;                 //!< the hosts
    Cut m_cut[2];                     //!< each sender's last cut
    uint32_t m_periods[2]{0, 0};      //!< periods to line rate after it
    std::vector<uint64_t> m_rates[2]; //!< readings
};

/**
 * @ingroup photonic-moe
 * PFC on a 2:1 incast over the EPS: hosts 0 and 2 each send 2 MB to host 1 at 100 Gb/s into
 * an egress FIFO of 300 KB (no DCQCN marking). Without PFC the FIFO overflows: drops, and
 * go-back-N retransmissions deliver every byte anyway. With PFC (defaults: XOFF 256 KiB,
 * XON XOFF - 3 KiB, automatic headroom) the switch pauses the senders (PAUSE frames sent and
 * received, each followed by a RESUME), nothing is dropped and nothing retransmitted.
 */
class RdmaPfcIncastTestCase : public TestCase
{
  public:
    RdmaPfcIncastTestCase()
        : TestCase("RDMA PFC: 2:1 incast loses frames without PFC and none with it")
    {
    }

  private:
    /** What one run measured. */
    struct Outcome
    {
        uint64_t rxBytes{0};       //!< bytes delivered
        uint64_t drops{0};         //!< switch drops (any reason)
        uint64_t retransmitted{0}; //!< data packets sent again
        uint64_t pauses{0};        //!< PAUSE frames sent by the switch
        uint64_t resumes{0};       //!< RESUME frames sent by the switch
        uint64_t hostPauses{0};    //!< PAUSE frames received by the senders
        int64_t doneNs{0};         //!< last message received
    };

    /**
     * @param pfc PFC on
     * @return the outcome
     */
    Outcome Run(bool pfc)
    {
        OcsHelper ocs = EpsFabric();
        ocs.SetEpsAttribute("EgressQueueCapacity", UintegerValue(300000));
        if (pfc)
        {
            ocs.EnableEpsPfc(256 << 10, (256 << 10) - (3 << 10)); // the defaults
        }
        RdmaTestbed tb = BuildRdmaTestbed(ocs, 3, RdmaNicFactory());
        tb.Connect(0, 1, 1);
        tb.Connect(2, 1, 2);
        RdmaRecorder rec;
        rec.Connect(tb.nics[1]);
        tb.nics[0]->PostSend(1, 1, 2000000, 0);
        tb.nics[2]->PostSend(2, 1, 2000000, 0);
        Simulator::Run();
        Outcome o;
        o.rxBytes = rec.rxBytes;
        const EpsCounters e = tb.eps->GetCounters();
        o.drops = e.dropEgressFull + e.dropPfcHeadroom;
        o.retransmitted = tb.nics[0]->GetCounters().retransmittedPackets +
                          tb.nics[2]->GetCounters().retransmittedPackets;
        o.pauses = e.pauseFrames;
        o.resumes = e.resumeFrames;
        o.hostPauses =
            tb.Device(0)->GetCounters().epsPauseFrames + tb.Device(2)->GetCounters().epsPauseFrames;
        o.doneNs = rec.received.empty() ? -1 : rec.received.back().timeNs;
        Simulator::Destroy();
        return o;
    }

    void DoRun() override
    {
        const Outcome off = Run(false);
        NS_TEST_EXPECT_MSG_GT(off.drops, 0u, "without PFC the egress FIFO overflows");
        NS_TEST_EXPECT_MSG_GT(off.retransmitted, 0u, "and go-back-N resends");
        NS_TEST_EXPECT_MSG_EQ(off.rxBytes, 4000000u, "every byte still arrives");
        NS_TEST_EXPECT_MSG_EQ(off.pauses, 0u, "no PAUSE without PFC");
        const Outcome on = Run(true);
        NS_TEST_EXPECT_MSG_EQ(on.drops, 0u, "PFC: no drop");
        NS_TEST_EXPECT_MSG_GT(on.pauses, 0u, "PFC: the switch paused");
        NS_TEST_EXPECT_MSG_EQ(on.hostPauses, on.pauses, "every PAUSE reached a sender");
        NS_TEST_EXPECT_MSG_EQ(on.resumes, on.pauses, "every PAUSE was followed by a RESUME");
        NS_TEST_EXPECT_MSG_EQ(on.retransmitted, 0u, "PFC: nothing resent");
        NS_TEST_EXPECT_MSG_EQ(on.rxBytes, 4000000u, "PFC: every byte");
        std::cout << "    PFC off: " << off.drops << " drops, " << off.retransmitted
                  << " retransmitted, done at " << off.doneNs << " ns; PFC on: " << on.pauses
                  << " PAUSE frames, done at " << on.doneNs << " ns" << std::endl;
    }
};

void
AddRdmaCongestionTestCases(RdmaTestSuite& suite)
{
    suite.AddQuick(new RdmaDcqcnStagesTestCase);
    suite.AddQuick(new RdmaDcqcnCnpTestCase);
    suite.AddQuick(new RdmaDcqcnIncastTestCase);
    suite.AddQuick(new RdmaPfcIncastTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
