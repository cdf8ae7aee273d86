/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Reliability and timing of the RDMA transport on idle and lossy links: completion times
// derived by hand to the nanosecond, PSN wrap-around with a loss across it, an exact
// go-back-N count for a hand-made loss, and in-order exactly-once delivery under 1% loss of
// data and ACKs.

#include "rdma-test-util.h"

#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/error-model.h"
#include "ns3/nstime.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pointer.h"
#include "ns3/rdma-header.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <iostream>
#include <list>
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
 * An OcsHelper for the ideal electrical fabric: every packet crosses an EPS at @p rate
 * (50 ns links, 500 ns switch latency).
 * @param rate port rate
 * @return the helper
 */
OcsHelper
IdealFabric(DataRate rate)
{
    OcsHelper ocs;
    ocs.SetDeviceAttribute("DataRate", DataRateValue(rate));
    ocs.EnableEps(rate, NanoSeconds(50), "all");
    return ocs;
}

/**
 * Two hosts on the ideal EPS at 100 Gb/s, one queue pair between them; host 1 loses one data
 * frame (ReceiveListErrorModel).
 * @param lost position of the lost frame among the frames host 1 receives (0-based)
 * @param qpn the queue pair's number on both hosts
 * @param psn first PSN of both directions
 * @param rec connected to both NICs
 * @return the testbed
 */
RdmaTestbed
LossyPair(uint32_t lost, uint32_t qpn, uint32_t psn, RdmaRecorder& rec)
{
    OcsHelper ocs = IdealFabric(DataRate("100Gbps"));
    RdmaTestbed tb = BuildRdmaTestbed(ocs, 2, RdmaNicFactory());
    Ptr<ReceiveListErrorModel> em = CreateObject<ReceiveListErrorModel>();
    em->SetList({lost});
    tb.Device(1)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    tb.Connect(0, 1, qpn, psn, psn);
    rec.Connect(tb.nics[0]);
    rec.Connect(tb.nics[1]);
    return tb;
}

/**
 * Count drops of one reason.
 */
struct DropCounter
{
    uint64_t rxErrors{0}; //!< drops "rx-error"

    /**
     * @param packet the packet
     * @param reason the reason
     */
    void OnDrop(Ptr<const Packet> /* packet */, const char* reason)
    {
        if (std::string(reason) == OcsNetDevice::DROP_RX_ERROR)
        {
            ++rxErrors;
        }
    }
};

} // namespace

/**
 * @ingroup photonic-moe
 * Completion time of one 10,000-byte message on an idle path, worked by hand. MTU 4096:
 * packets of 4096, 4096 and 1808 bytes; frames add the 12-byte RDMA and 14-byte Ethernet
 * headers: 4122, 4122, 1834 bytes. At 100 Gb/s they take ceil(329.76) = 330, 330 and
 * ceil(146.72) = 147 ns; an ACK frame (60 bytes) takes ceil(4.8) = 5 ns.
 *
 * - Duplex circuit, delay d = 100 ns, lit at 1 us (delta after ApplyConfiguration at 0); the
 *   message is posted at 0 and waits. Last byte at the receiver: 1000 + 330 + 330 + 147 +
 *   100 = 1907 ns. Its ACK crosses back over the circuit: 1907 + 5 + 100 = 2012 ns.
 * - Ideal EPS (store and forward), link delay d = 50 ns, switch latency L = 500 ns, posted at
 *   0: the switch's egress serialises back to back from the first frame's arrival
 *   (330 + 550 = 880 ns), so the last frame arrives at 880 + 330 + 330 + 147 + 50 = 1737 ns;
 *   its ACK: 1737 + 5 (host) + 550 + 5 (egress) + 50 = 2347 ns.
 */
class RdmaExactCompletionTestCase : public TestCase
{
  public:
    RdmaExactCompletionTestCase()
        : TestCase("RDMA: completion of a message on an idle circuit and EPS, to the ns")
    {
    }

  private:
    /**
     * Send one 10,000-byte message from host 0 to host 1, posted at 0, and check when it
     * completes.
     * @param ocs the fabric
     * @param circuit true if the data crosses a circuit (else the EPS)
     * @param rxNs expected time of its last byte at the receiver
     * @param txNs expected time of its acknowledgement at the sender
     */
    void RunOne(OcsHelper& ocs, bool circuit, int64_t rxNs, int64_t txNs)
    {
        RdmaTestbed tb = BuildRdmaTestbed(ocs, 2, RdmaNicFactory());
        tb.Connect(0, 1, 7);
        RdmaRecorder rec;
        rec.Connect(tb.nics[0]);
        rec.Connect(tb.nics[1]);
        if (circuit)
        {
            tb.ocs->ApplyConfiguration({{0, 1}});
        }
        tb.nics[0]->PostSend(7, 1, 10000, 0);
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(rec.received.size(), 1u, "one message received");
        NS_TEST_EXPECT_MSG_EQ(rec.received[0].bytes, 10000u, "its size");
        NS_TEST_EXPECT_MSG_EQ(rec.received[0].timeNs, rxNs, "last byte at the receiver");
        NS_TEST_ASSERT_MSG_EQ(rec.sent.size(), 1u, "one message acknowledged");
        NS_TEST_EXPECT_MSG_EQ(rec.sent[0].timeNs, txNs, "acknowledged at the sender");
        const OcsDeviceCounters tx = tb.Device(0)->GetCounters();
        NS_TEST_EXPECT_MSG_EQ((circuit ? tx.pulledCircuitPackets : tx.pulledEpsPackets),
                              3u,
                              "three data frames pulled");
        NS_TEST_EXPECT_MSG_EQ(tx.voqEnqueuePackets + tx.epsEnqueuePackets,
                              0u,
                              "data never waits in a device queue");
        const OcsDeviceCounters rx = tb.Device(1)->GetCounters();
        NS_TEST_EXPECT_MSG_EQ(rx.macTxPackets,
                              rx.voqEnqueuePackets + rx.epsEnqueuePackets +
                                  rx.pulledCircuitPackets + rx.pulledEpsPackets + rx.TotalDrops(),
                              "MacTx reconciles with the queues and pulls");
        NS_TEST_EXPECT_MSG_EQ(rx.macTxPackets, 3u, "three ACKs through the device queues");
        Simulator::Destroy();
    }

    void DoRun() override
    {
        OcsHelper circuit;
        circuit.SetDeviceAttribute("DataRate", DataRateValue(DataRate("100Gbps")));
        circuit.SetChannelAttribute("Delay", TimeValue(NanoSeconds(100)));
        circuit.SetChannelAttribute("ReconfigurationDelay", TimeValue(MicroSeconds(1)));
        circuit.SetChannelAttribute("CircuitModel", StringValue("duplex"));
        RunOne(circuit, true, 1907, 2012);
        OcsHelper eps = IdealFabric(DataRate("100Gbps"));
        RunOne(eps, false, 1737, 2347);
    }
};

/**
 * @ingroup photonic-moe
 * Go-back-N after one hand-made loss, counted exactly. Ideal EPS at 100 Gb/s (d = 50 ns,
 * L = 500 ns), one 50-packet message of 4096-byte packets (frames of 4122 bytes, tau =
 * 330 ns). The receiver's error model drops the fifth data frame it receives (PSN 4). The
 * sender starts frame i at i tau. Frame i reaches the receiver at 880 + (i + 1) 330 + 50 ns
 * (the egress serialises back to back from 880 ns), so PSN 5 arrives at 2910 ns, out of
 * order: one NAK for PSN 4, 60 bytes, 5 ns per serialisation: at the sender at 2910 + 5 +
 * 550 + 5 + 50 = 3520 ns. The sender is then sending PSN 10 (started at 3300 ns, 3630 ns
 * would be the next); it goes back to 4, so PSNs 4..10 are sent again: 7 retransmissions,
 * one NAK, no timeout, and PSNs 5..10 arrive once out of order (6 discarded).
 */
class RdmaGoBackNExactTestCase : public TestCase
{
  public:
    RdmaGoBackNExactTestCase()
        : TestCase("RDMA: go-back-N after one loss resends exactly the packets in flight")
    {
    }

  private:
    void DoRun() override
    {
        RdmaRecorder rec;
        RdmaTestbed tb = LossyPair(4, 3, 0, rec); // loses the fifth frame, PSN 4
        tb.nics[0]->PostSend(3, 1, 50 * 4096, 0);
        Simulator::Run();
        const RdmaQpCounters tx = tb.nics[0]->GetQpCounters(3);
        const RdmaQpCounters rx = tb.nics[1]->GetQpCounters(3);
        NS_TEST_EXPECT_MSG_EQ(tb.Device(1)->GetCounters().dropRxError, 1u, "one frame lost");
        NS_TEST_EXPECT_MSG_EQ(tx.retransmittedPackets, 7u, "PSNs 4..10 sent again");
        NS_TEST_EXPECT_MSG_EQ(tx.naksReceived, 1u, "one NAK");
        NS_TEST_EXPECT_MSG_EQ(rx.naksSent, 1u, "one NAK sent");
        NS_TEST_EXPECT_MSG_EQ(rx.outOfOrderPackets, 6u, "PSNs 5..10 discarded once");
        NS_TEST_EXPECT_MSG_EQ(tx.timeouts, 0u, "no timeout");
        NS_TEST_EXPECT_MSG_EQ(tx.dataPacketsSent, 57u, "50 + 7 data packets");
        NS_TEST_EXPECT_MSG_EQ(rec.rxBytes, 50u * 4096, "every byte once");
        NS_TEST_ASSERT_MSG_EQ(rec.received.size(), 1u, "message received");
        NS_TEST_EXPECT_MSG_EQ(rec.sent.size(), 1u, "message acknowledged");
        NS_TEST_EXPECT_MSG_EQ(rec.goBackPackets, 7u, "GoBackN trace");
        Simulator::Destroy();
    }
};

/**
 * @ingroup photonic-moe
 * PSN wrap-around in a simulation: the queue pairs start at PSN 2^24 - 3, a 10-packet
 * message crosses the wrap (wire PSNs 16777213..16777215, 0..6), and the receiver drops the
 * fourth data frame, wire PSN 0, so the NAK and the go-back-N happen across the wrap too.
 * Every byte arrives once, in one message; a second message after it also completes.
 */
class RdmaPsnWrapTestCase : public TestCase
{
  public:
    RdmaPsnWrapTestCase()
        : TestCase("RDMA: a message across the 24-bit PSN wrap, with a loss at PSN 0")
    {
    }

  private:
    void DoRun() override
    {
        RdmaRecorder rec;
        // Starts at PSN 2^24 - 3 and loses the fourth frame: wire PSN 0.
        RdmaTestbed tb = LossyPair(3, 9, RdmaHeader::PSN_MODULUS - 3, rec);
        tb.nics[0]->PostSend(9, 1, 10 * 4096, 1);
        tb.nics[0]->PostSend(9, 2, 5000, 1);
        Simulator::Run();
        const RdmaQpCounters tx = tb.nics[0]->GetQpCounters(9);
        NS_TEST_EXPECT_MSG_EQ(rec.rxBytes, 10u * 4096 + 5000, "every byte once");
        NS_TEST_ASSERT_MSG_EQ(rec.received.size(), 2u, "two messages");
        NS_TEST_EXPECT_MSG_EQ(rec.received[0].bytes, 10u * 4096, "first across the wrap");
        NS_TEST_EXPECT_MSG_EQ(rec.received[1].bytes, 5000u, "second after it");
        NS_TEST_EXPECT_MSG_EQ(rec.sent.size(), 2u, "both acknowledged");
        NS_TEST_EXPECT_MSG_EQ(tx.naksReceived, 1u, "NAK for wire PSN 0");
        NS_TEST_EXPECT_MSG_EQ(tx.timeouts, 0u, "no timeout");
        NS_TEST_EXPECT_MSG_GT(tx.retransmittedPackets, 0u, "go-back-N across the wrap");
        Simulator::Destroy();
    }
};

/**
 * @ingroup photonic-moe
 * Random loss: every device drops 1% of the frames it receives (data at the receivers, ACKs
 * and NAKs at the senders; RateErrorModel, seeded). Three queue pairs in a ring (0 -> 1,
 * 1 -> 2, 2 -> 0: no egress is shared by two senders, so nothing queues for long) send 40
 * messages each of 1 to 100,000 bytes. Every message is received exactly
 * once, in posting order, with its size; every byte once (RxBytes); every message is
 * acknowledged. Go-back-N resends about a window per loss: with the numbers of
 * RdmaGoBackNExactTestCase (7 packets in flight when a NAK arrives) the retransmissions lie
 * within [0.5, 1.5] x 7 x data frames lost (a lost retransmission is a lost data frame and
 * costs another window: the receiver NAKs again when a PSN past the gap comes a second
 * time), plus a window per timeout (a lost tail or a lost NAK).
 */
class RdmaRandomLossTestCase : public TestCase
{
  public:
    RdmaRandomLossTestCase()
        : TestCase("RDMA: exactly-once in-order delivery under 1% loss of data and ACKs")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(7);
        RngSeedManager::SetRun(1);
        OcsHelper ocs = IdealFabric(DataRate("100Gbps"));
        RdmaTestbed tb = BuildRdmaTestbed(ocs, 3, RdmaNicFactory());
        std::vector<DropCounter> drops(3);
        for (uint32_t i = 0; i < 3; ++i)
        {
            Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
            em->SetRate(0.01);
            em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
            em->AssignStreams(100 + i);
            tb.Device(i)->SetAttribute("ReceiveErrorModel", PointerValue(em));
            tb.Device(i)->TraceConnectWithoutContext("Drop",
                                                     MakeCallback(&DropCounter::OnDrop, &drops[i]));
        }
        // Queue pair q connects senders[q] -> receivers[q].
        const uint32_t senders[] = {0, 1, 2};
        const uint32_t receivers[] = {1, 2, 0};
        for (uint32_t q = 0; q < 3; ++q)
        {
            tb.Connect(senders[q], receivers[q], 10 + q);
        }
        std::vector<RdmaRecorder> rec(3);
        for (uint32_t i = 0; i < 3; ++i)
        {
            rec[i].Connect(tb.nics[i]);
        }
        std::vector<std::vector<uint64_t>> posted(3);
        uint64_t total = 0;
        for (uint32_t m = 0; m < 40; ++m)
        {
            for (uint32_t q = 0; q < 3; ++q)
            {
                const uint64_t bytes = 1 + (m * 7919 + q * 104729) % 100000;
                posted[q].push_back(bytes);
                total += bytes;
                tb.nics[senders[q]]->PostSend(10 + q, m, bytes, 0);
            }
        }
        Simulator::Run();
        // Received messages per queue pair, in order.
        std::vector<std::vector<uint64_t>> got(3);
        uint64_t rxBytes = 0;
        for (uint32_t i = 0; i < 3; ++i)
        {
            rxBytes += rec[i].rxBytes;
            for (const auto& msg : rec[i].received)
            {
                got[msg.qpn - 10].push_back(msg.bytes);
            }
        }
        uint64_t lostData = 0;
        uint64_t retransmitted = 0;
        uint64_t timeouts = 0;
        for (uint32_t q = 0; q < 3; ++q)
        {
            NS_TEST_EXPECT_MSG_EQ((got[q] == posted[q]), true, "queue pair messages in order");
            const RdmaQpCounters tx = tb.nics[senders[q]]->GetQpCounters(10 + q);
            NS_TEST_EXPECT_MSG_EQ(tx.messagesSent, 40u, "every message acknowledged");
            retransmitted += tx.retransmittedPackets;
            timeouts += tx.timeouts;
        }
        NS_TEST_EXPECT_MSG_EQ(rxBytes, total, "every byte exactly once");
        uint64_t framesLost = 0;
        for (uint32_t i = 0; i < 3; ++i)
        {
            framesLost += drops[i].rxErrors;
            NS_TEST_EXPECT_MSG_EQ(tb.Device(i)->GetCounters().dropRxError,
                                  drops[i].rxErrors,
                                  "Drop trace reconciles with the counter");
        }
        // Data frames lost = data frames sent - data frames that reached a receiver's NIC.
        uint64_t sent = 0;
        uint64_t arrived = 0;
        for (uint32_t i = 0; i < 3; ++i)
        {
            const RdmaQpCounters c = tb.nics[i]->GetCounters();
            sent += c.dataPacketsSent;
            arrived += c.packetsReceived + c.duplicatePackets + c.outOfOrderPackets;
        }
        lostData = sent - arrived;
        NS_TEST_EXPECT_MSG_GT(lostData, 5u, "losses happened");
        NS_TEST_EXPECT_MSG_GT(framesLost, lostData, "ACKs were lost too");
        const double window = 7;
        const double perLoss = static_cast<double>(retransmitted) / static_cast<double>(lostData);
        NS_TEST_EXPECT_MSG_GT_OR_EQ(retransmitted, lostData, "every lost packet sent again");
        NS_TEST_EXPECT_MSG_GT_OR_EQ(static_cast<double>(retransmitted),
                                    0.5 * window * static_cast<double>(lostData),
                                    "about a window per loss (low)");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(static_cast<double>(retransmitted),
                                    1.5 * window * static_cast<double>(lostData + timeouts),
                                    "about a window per loss (high)");
        std::cout << "    random loss: " << framesLost << " frames lost (" << lostData << " data), "
                  << retransmitted << " retransmitted (" << perLoss << " per data loss), "
                  << timeouts << " timeouts" << std::endl;
        Simulator::Destroy();
    }
};

/**
 * @ingroup photonic-moe
 * A short RDMA data packet keeps its place behind its queue pair's earlier packets at a
 * congested EPS egress. Two hosts send to a third over the ideal EPS at 100 Gb/s (a 2:1
 * incast, so the egress FIFO fills); every message is 3 x 4096 + 64 bytes, so its last packet
 * is a 90-byte frame, below the switch's ControlMaxFrameBytes (142). Before the fix the switch
 * put such a frame in the control priority class: it overtook the full frames queued ahead of
 * it, the receiver saw a gap and NAKed, and the sender went back (the NAKs without drops of the
 * RDMA validation's BvN runs). Now: no NAK, no retransmission, every message once, in order.
 */
class RdmaShortPacketOrderTestCase : public TestCase
{
  public:
    RdmaShortPacketOrderTestCase()
        : TestCase("RDMA over a congested EPS: a message's short last packet does not overtake "
                   "its data")
    {
    }

  private:
    void DoRun() override
    {
        OcsHelper ocs = IdealFabric(DataRate("100Gbps"));
        RdmaTestbed tb = BuildRdmaTestbed(ocs, 3, RdmaNicFactory());
        tb.Connect(0, 2, 5);
        tb.Connect(1, 2, 6);
        RdmaRecorder rec;
        rec.Connect(tb.nics[2]);
        const uint64_t bytes = 3 * 4096 + 64;
        const uint32_t messages = 20;
        for (uint32_t m = 0; m < messages; ++m)
        {
            tb.nics[0]->PostSend(5, m, bytes, 0);
            tb.nics[1]->PostSend(6, m, bytes, 0);
        }
        Simulator::Run();
        const RdmaQpCounters a = tb.nics[0]->GetQpCounters(5);
        const RdmaQpCounters b = tb.nics[1]->GetQpCounters(6);
        const RdmaQpCounters rx = tb.nics[2]->GetCounters();
        NS_TEST_EXPECT_MSG_EQ(rx.outOfOrderPackets, 0u, "no packet past a gap");
        NS_TEST_EXPECT_MSG_EQ(rx.naksSent, 0u, "no NAK");
        NS_TEST_EXPECT_MSG_EQ(a.retransmittedPackets + b.retransmittedPackets,
                              0u,
                              "no retransmission");
        NS_TEST_EXPECT_MSG_EQ(rec.rxBytes, 2 * messages * bytes, "every byte once");
        NS_TEST_ASSERT_MSG_EQ(rec.received.size(), 2u * messages, "every message received");
        for (const auto& r : rec.received)
        {
            NS_TEST_EXPECT_MSG_EQ(r.bytes, bytes, "message size");
        }
        NS_TEST_EXPECT_MSG_EQ(a.messagesSent + b.messagesSent, 2u * messages, "all acknowledged");
        Simulator::Destroy();
    }
};

/**
 * @ingroup photonic-moe
 * NICs per device and coalesced posting. Two hosts on two ideal EPS fabrics at 100 Gb/s
 * (each host has a device on each, as a cluster GPU's NIC and NVLink port): GetOrCreate() of
 * a device gives one NIC per device, none aggregated to the node, Find() returns it, and a
 * second NIC on the same device is refused by both attachments. On fabric A a 1 MB message
 * is posted at 0 with PostSendCoalesced(); at 1 us, while it is being sent, 100 bytes then
 * 200 bytes: the first starts a new message (packets of the 1 MB one left already), the
 * second joins it, so the receiver completes exactly two messages, 1 MB and 300 bytes
 * (PostSend() would make three). Fabric B carries its own 5000-byte message meanwhile.
 */
class RdmaNicPerDeviceTestCase : public TestCase
{
  public:
    RdmaNicPerDeviceTestCase()
        : TestCase("RDMA: one NIC per device of a node; coalesced posting joins unsent bytes")
    {
    }

  private:
    void DoRun() override
    {
        NodeContainer hosts;
        hosts.Create(2);
        OcsHelper fabricA = IdealFabric(DataRate("100Gbps"));
        OcsHelper fabricB = IdealFabric(DataRate("100Gbps"));
        const NetDeviceContainer a = fabricA.Install(hosts);
        const NetDeviceContainer b = fabricB.Install(hosts);
        std::vector<Ptr<RdmaNic>> nicA;
        std::vector<Ptr<RdmaNic>> nicB;
        for (uint32_t i = 0; i < 2; ++i)
        {
            nicA.push_back(RdmaNic::GetOrCreate(DynamicCast<OcsNetDevice>(a.Get(i))));
            nicB.push_back(RdmaNic::GetOrCreate(DynamicCast<OcsNetDevice>(b.Get(i))));
            NS_TEST_EXPECT_MSG_NE(nicA[i], nicB[i], "one NIC per device");
            NS_TEST_EXPECT_MSG_EQ(RdmaNic::GetOrCreate(DynamicCast<OcsNetDevice>(a.Get(i))),
                                  nicA[i],
                                  "found again");
            NS_TEST_EXPECT_MSG_EQ(RdmaNic::Find(DynamicCast<OcsNetDevice>(b.Get(i))),
                                  nicB[i],
                                  "Find");
            NS_TEST_EXPECT_MSG_EQ(hosts.Get(i)->GetObject<RdmaNic>(), nullptr, "not aggregated");
        }
        const std::string again = InputErrorOf(
            [&] { CreateObject<RdmaNic>()->AttachToDevice(DynamicCast<OcsNetDevice>(a.Get(0))); });
        NS_TEST_EXPECT_MSG_NE(again.find("has a frame source already"), std::string::npos, again);
        const std::string aggregated = InputErrorOf(
            [&] { CreateObject<RdmaNic>()->Attach(DynamicCast<OcsNetDevice>(b.Get(1))); });
        NS_TEST_EXPECT_MSG_NE(aggregated.find("has an RdmaNic already"),
                              std::string::npos,
                              aggregated);
        nicA[0]->CreateQp(5, 5, 1);
        nicA[1]->CreateQp(5, 5, 0);
        nicB[0]->CreateQp(9, 9, 1);
        nicB[1]->CreateQp(9, 9, 0);
        RdmaRecorder recA;
        RdmaRecorder recB;
        recA.Connect(nicA[1]);
        recB.Connect(nicB[1]);
        nicA[0]->PostSendCoalesced(5, 1, 1 << 20, 0);
        nicB[0]->PostSendCoalesced(9, 1, 5000, 1);
        Simulator::Schedule(MicroSeconds(1), [&] {
            nicA[0]->PostSendCoalesced(5, 2, 100, 0);
            nicA[0]->PostSendCoalesced(5, 3, 200, 0);
        });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(recA.received.size(), 2u, "two messages on fabric A");
        NS_TEST_EXPECT_MSG_EQ(recA.received[0].bytes, 1u << 20, "the first");
        NS_TEST_EXPECT_MSG_EQ(recA.received[1].bytes, 300u, "100 and 200 bytes joined");
        NS_TEST_EXPECT_MSG_EQ(recA.rxBytes, (1u << 20) + 300u, "every byte");
        NS_TEST_ASSERT_MSG_EQ(recB.received.size(), 1u, "one message on fabric B");
        NS_TEST_EXPECT_MSG_EQ(recB.received[0].bytes, 5000u, "its size");
        NS_TEST_EXPECT_MSG_EQ(nicA[0]->GetCounters().retransmittedPackets, 0u, "no loss");
        Simulator::Destroy();
    }
};

void
AddRdmaTransportTestCases(RdmaTestSuite& suite)
{
    suite.AddQuick(new RdmaExactCompletionTestCase);
    suite.AddQuick(new RdmaGoBackNExactTestCase);
    suite.AddQuick(new RdmaPsnWrapTestCase);
    suite.AddQuick(new RdmaRandomLossTestCase);
    suite.AddQuick(new RdmaShortPacketOrderTestCase);
    suite.AddQuick(new RdmaNicPerDeviceTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
