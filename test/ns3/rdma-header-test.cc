/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The RDMA header on the wire and the queue-pair state machine without a simulation:
// serialisation, segmentation, cumulative ACKs, go-back-N and PSN wrap-around.

#include "rdma-test-util.h"

#include "ns3/packet.h"
#include "ns3/rdma-header.h"
#include "ns3/rdma-queue-pair.h"
#include "ns3/test.h"

namespace ns3
{
namespace pmoe
{
namespace tests
{

/**
 * @ingroup photonic-moe
 * RdmaHeader: 12 bytes, every field survives a round trip through a packet, 24-bit fields
 * drop their high bits, and the ack-request bit does not disturb the PSN.
 */
class RdmaHeaderRoundTripTestCase : public TestCase
{
  public:
    RdmaHeaderRoundTripTestCase()
        : TestCase("RdmaHeader: 12-byte BTH-like layout survives serialisation")
    {
    }

  private:
    void DoRun() override
    {
        RdmaHeader h;
        h.SetOpcode(RdmaHeader::SEND_LAST);
        h.SetDestQpn(0x1234567); // 25 bits: the top one is dropped
        h.SetPsn(RdmaHeader::MASK_24);
        h.SetAckRequest(true);
        h.SetEcn(RdmaHeader::ECT0);
        h.SetTag(0xBEEF);
        Ptr<Packet> p = Create<Packet>(100);
        p->AddHeader(h);
        NS_TEST_ASSERT_MSG_EQ(p->GetSize(), 112u, "12-byte header");
        RdmaHeader r;
        p->RemoveHeader(r);
        NS_TEST_EXPECT_MSG_EQ(r.GetOpcode(), RdmaHeader::SEND_LAST, "opcode");
        NS_TEST_EXPECT_MSG_EQ(r.GetDestQpn(), 0x234567u, "24-bit QPN");
        NS_TEST_EXPECT_MSG_EQ(r.GetPsn(), RdmaHeader::MASK_24, "24-bit PSN");
        NS_TEST_EXPECT_MSG_EQ(r.GetAckRequest(), true, "ack request");
        NS_TEST_EXPECT_MSG_EQ(r.GetEcn(), RdmaHeader::ECT0, "ECN");
        NS_TEST_EXPECT_MSG_EQ(r.GetTag(), 0xBEEF, "tag");
        NS_TEST_EXPECT_MSG_EQ(RdmaHeader::IsData(RdmaHeader::SEND_MIDDLE), true, "data");
        NS_TEST_EXPECT_MSG_EQ(RdmaHeader::IsData(RdmaHeader::CNP), false, "control");
    }
};

/**
 * @ingroup photonic-moe
 * RdmaQueuePair send half: a 10,000-byte message at MTU 4096 is FIRST 4096, MIDDLE 4096,
 * LAST 1808 (ack request on LAST); a one-packet message is ONLY; cumulative ACKs complete
 * work requests in order; go-back-N resends exactly the rewound PSNs; an ACK beyond a rewind
 * moves the send point forward.
 */
class RdmaQpSendTestCase : public TestCase
{
  public:
    RdmaQpSendTestCase()
        : TestCase("RdmaQueuePair: segmentation, cumulative ACK, go-back-N")
    {
    }

  private:
    void DoRun() override
    {
        RdmaQueuePair qp;
        qp.Connect(5, 6, 1, 4096, 100, 0);
        qp.PostSend(1, 10000, 7);
        qp.PostSend(2, 10, 7);
        const RdmaHeader::Opcode ops[] = {RdmaHeader::SEND_FIRST,
                                          RdmaHeader::SEND_MIDDLE,
                                          RdmaHeader::SEND_LAST,
                                          RdmaHeader::SEND_ONLY};
        const uint32_t sizes[] = {4096, 4096, 1808, 10};
        for (uint32_t i = 0; i < 4; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(qp.HasDataToSend(), true, "data left");
            const RdmaTxPacket t = qp.TakeNext();
            NS_TEST_EXPECT_MSG_EQ(t.psn, 100u + i, "PSN");
            NS_TEST_EXPECT_MSG_EQ(t.opcode, ops[i], "opcode");
            NS_TEST_EXPECT_MSG_EQ(t.payload, sizes[i], "payload");
            NS_TEST_EXPECT_MSG_EQ(t.ackRequest, (i == 2 || i == 3), "ack request on the last");
            NS_TEST_EXPECT_MSG_EQ(t.retransmission, false, "first transmission");
        }
        NS_TEST_EXPECT_MSG_EQ(qp.HasDataToSend(), false, "all sent");
        // ACK up to 102 (PSNs 100, 101): nothing completes yet.
        NS_TEST_EXPECT_MSG_EQ(qp.Acknowledge(qp.ToAbsoluteSendPsn(102)), 2u, "two acked");
        RdmaWorkRequest wr;
        NS_TEST_EXPECT_MSG_EQ(qp.PopCompleted(wr), false, "message 1 not complete");
        // NAK at 102: resend 102 and 103.
        NS_TEST_EXPECT_MSG_EQ(qp.GoBack(102), 2u, "two rewound");
        RdmaTxPacket t = qp.TakeNext();
        NS_TEST_EXPECT_MSG_EQ(t.psn, 102u, "resend 102");
        NS_TEST_EXPECT_MSG_EQ(t.retransmission, true, "counted as retransmission");
        NS_TEST_EXPECT_MSG_EQ(t.payload, 1808u, "same size again");
        // An ACK for everything (the first 103 was not lost after all).
        NS_TEST_EXPECT_MSG_EQ(qp.Acknowledge(104), 2u, "cumulative");
        NS_TEST_EXPECT_MSG_EQ(qp.HasDataToSend(), false, "send point moved past the ACK");
        NS_TEST_EXPECT_MSG_EQ(qp.PopCompleted(wr), true, "message 1");
        NS_TEST_EXPECT_MSG_EQ(wr.id, 1u, "in order");
        NS_TEST_EXPECT_MSG_EQ(qp.PopCompleted(wr), true, "message 2");
        NS_TEST_EXPECT_MSG_EQ(wr.bytes, 10u, "size");
        NS_TEST_EXPECT_MSG_EQ(qp.Acknowledge(104), 0u, "duplicate ACK ignored");
        NS_TEST_EXPECT_MSG_EQ(qp.Acknowledge(200), 0u, "ACK beyond what was sent ignored");
    }
};

/**
 * @ingroup photonic-moe
 * PSN wrap-around in the queue-pair state machine: a sender starting at 2^24 - 2 sends wire
 * PSNs 16777214, 16777215, 0, 1 and takes ACKs carrying 0 and 2 as the absolute PSNs 2^24 and
 * 2^24 + 2; a receiver expecting 2^24 - 1 accepts 16777215 then 0, calls 16777214 a
 * duplicate and 5 out of order.
 */
class RdmaQpPsnWrapTestCase : public TestCase
{
  public:
    RdmaQpPsnWrapTestCase()
        : TestCase("RdmaQueuePair: 24-bit PSN wrap-around on both halves")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t start = RdmaHeader::PSN_MODULUS - 2;
        RdmaQueuePair tx;
        tx.Connect(1, 1, 1, 1000, start, 0);
        tx.PostSend(9, 4000, 0);
        const uint32_t wire[] = {16777214, 16777215, 0, 1};
        for (uint32_t w : wire)
        {
            const RdmaTxPacket t = tx.TakeNext();
            NS_TEST_EXPECT_MSG_EQ((static_cast<uint32_t>(t.psn) & RdmaHeader::MASK_24),
                                  w,
                                  "wire PSN");
        }
        NS_TEST_EXPECT_MSG_EQ(tx.ToAbsoluteSendPsn(0),
                              uint64_t{RdmaHeader::PSN_MODULUS},
                              "0 = 2^24");
        NS_TEST_EXPECT_MSG_EQ(tx.Acknowledge(tx.ToAbsoluteSendPsn(0)), 2u, "two acked");
        NS_TEST_EXPECT_MSG_EQ(tx.ToAbsoluteSendPsn(2),
                              uint64_t{RdmaHeader::PSN_MODULUS} + 2,
                              "2 = 2^24 + 2");
        NS_TEST_EXPECT_MSG_EQ(tx.Acknowledge(tx.ToAbsoluteSendPsn(2)), 2u, "two more");
        RdmaWorkRequest wr;
        NS_TEST_EXPECT_MSG_EQ(tx.PopCompleted(wr), true, "message across the wrap complete");

        RdmaQueuePair rx;
        rx.Connect(1, 1, 1, 1000, 0, RdmaHeader::MASK_24);
        uint64_t abs = 0;
        NS_TEST_EXPECT_MSG_EQ(rx.Receive(RdmaHeader::MASK_24, abs),
                              RdmaQueuePair::RX_IN_ORDER,
                              "last");
        NS_TEST_EXPECT_MSG_EQ(rx.Receive(0, abs), RdmaQueuePair::RX_IN_ORDER, "wraps to 0");
        NS_TEST_EXPECT_MSG_EQ(abs, uint64_t{RdmaHeader::PSN_MODULUS}, "0 is 2^24");
        NS_TEST_EXPECT_MSG_EQ(rx.Receive(16777214, abs), RdmaQueuePair::RX_DUPLICATE, "behind");
        NS_TEST_EXPECT_MSG_EQ(abs, uint64_t{RdmaHeader::PSN_MODULUS} - 2, "16777214");
        NS_TEST_EXPECT_MSG_EQ(rx.Receive(5, abs), RdmaQueuePair::RX_OUT_OF_ORDER, "ahead");
        NS_TEST_EXPECT_MSG_EQ(abs, uint64_t{RdmaHeader::PSN_MODULUS} + 5, "2^24 + 5");
        NS_TEST_EXPECT_MSG_EQ(rx.GetExpected(), uint64_t{RdmaHeader::PSN_MODULUS} + 1, "expects 1");
    }
};

void
AddRdmaHeaderTestCases(RdmaTestSuite& suite)
{
    suite.AddQuick(new RdmaHeaderRoundTripTestCase);
    suite.AddQuick(new RdmaQpSendTestCase);
    suite.AddQuick(new RdmaQpPsnWrapTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
