/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The "photonic-moe-rdma" TestSuite: ./test.py -s photonic-moe-rdma in an ns-3 tree, or
// photonic-moe-test-runner --suite=photonic-moe-rdma standalone (add --fullness=EXTENSIVE
// for the whole-layer cases). Also the suite's fixtures (rdma-test-util.h).

#include "rdma-test-util.h"

#include "ns3/simulator.h"

namespace ns3
{
namespace pmoe
{
namespace tests
{

RdmaTestSuite::RdmaTestSuite()
    : PmoeTestSuite("photonic-moe-rdma")
{
    AddRdmaHeaderTestCases(*this);
    AddRdmaTransportTestCases(*this);
    AddRdmaCongestionTestCases(*this);
    AddRdmaOcsTestCases(*this);
    AddRdmaValidationTestCases(*this);
}

Ptr<OcsNetDevice>
RdmaTestbed::Device(uint32_t i) const
{
    return DynamicCast<OcsNetDevice>(devices.Get(i));
}

void
RdmaTestbed::Connect(uint32_t a, uint32_t b, uint32_t qpn, uint32_t psnA, uint32_t psnB)
{
    nics[a]->CreateQp(qpn, qpn, Device(b)->GetPort(), psnA, psnB);
    nics[b]->CreateQp(qpn, qpn, Device(a)->GetPort(), psnB, psnA);
}

RdmaTestbed
BuildRdmaTestbed(OcsHelper& helper, uint32_t n, const ObjectFactory& nic)
{
    RdmaTestbed tb;
    tb.nodes.Create(n);
    tb.devices = helper.Install(tb.nodes);
    tb.ocs = helper.GetSwitch();
    tb.eps = helper.GetEps();
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<RdmaNic> x = nic.Create<RdmaNic>();
        x->Attach(tb.Device(i));
        tb.nics.push_back(x);
    }
    return tb;
}

ObjectFactory
RdmaNicFactory()
{
    ObjectFactory f;
    f.SetTypeId("ns3::RdmaNic");
    return f;
}

void
RdmaRecorder::Connect(Ptr<RdmaNic> nic)
{
    nic->TraceConnectWithoutContext("RxBytes", MakeCallback(&RdmaRecorder::OnRxBytes, this));
    nic->TraceConnectWithoutContext("ReceiveComplete",
                                    MakeCallback(&RdmaRecorder::OnReceiveComplete, this));
    nic->TraceConnectWithoutContext("SendComplete",
                                    MakeCallback(&RdmaRecorder::OnSendComplete, this));
    nic->TraceConnectWithoutContext("GoBackN", MakeCallback(&RdmaRecorder::OnGoBack, this));
}

void
RdmaRecorder::OnRxBytes(uint32_t /* qpn */, uint16_t /* tag */, uint64_t bytes)
{
    rxBytes += bytes;
}

void
RdmaRecorder::OnReceiveComplete(uint32_t qpn, uint16_t /* tag */, uint64_t bytes)
{
    received.push_back({qpn, bytes, Simulator::Now().GetNanoSeconds()});
}

void
RdmaRecorder::OnSendComplete(uint32_t qpn, uint64_t /* id */, uint64_t bytes)
{
    sent.push_back({qpn, bytes, Simulator::Now().GetNanoSeconds()});
}

void
RdmaRecorder::OnGoBack(uint32_t /* qpn */, uint64_t /* psn */, uint64_t packets, bool /* t */)
{
    ++goBacks;
    goBackPackets += packets;
}

uint64_t
TotalDeviceDrops(const NetDeviceContainer& devices)
{
    uint64_t drops = 0;
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        drops += DynamicCast<OcsNetDevice>(devices.Get(i))->GetCounters().TotalDrops();
    }
    return drops;
}

/// The one instance, registered with the test runner.
static RdmaTestSuite g_rdmaTestSuite;

} // namespace tests
} // namespace pmoe
} // namespace ns3
