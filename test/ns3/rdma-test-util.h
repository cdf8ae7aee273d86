/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef RDMA_TEST_UTIL_H
#define RDMA_TEST_UTIL_H

// Fixtures of the "photonic-moe-rdma" TestSuite: the suite (a PmoeTestSuite, with the
// module's portable QUICK/EXTENSIVE durations), a small fabric of hosts with RDMA NICs, and a
// recorder of the NICs' traces.

#include "photonic-moe-test-util.h"

#include "ns3/electrical-packet-switch.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/ocs-helper.h"
#include "ns3/ocs-net-device.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/rdma-nic.h"
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

/**
 * @ingroup photonic-moe
 * The TestSuite "photonic-moe-rdma" (AddQuick, AddExtensive from PmoeTestSuite).
 */
class RdmaTestSuite : public PmoeTestSuite
{
  public:
    RdmaTestSuite();
};

/** Header and queue-pair state machine (rdma-header-test.cc). */
void AddRdmaHeaderTestCases(RdmaTestSuite& suite);
/** Reliability and timing on idle and lossy links (rdma-transport-test.cc). */
void AddRdmaTransportTestCases(RdmaTestSuite& suite);
/** DCQCN, ECN marking and PFC on the EPS (rdma-congestion-test.cc). */
void AddRdmaCongestionTestCases(RdmaTestSuite& suite);
/** Circuits, the EPS fallback and whole MoE layers (rdma-ocs-test.cc). */
void AddRdmaOcsTestCases(RdmaTestSuite& suite);
/** Bad input (rdma-validation-test.cc). */
void AddRdmaValidationTestCases(RdmaTestSuite& suite);

/**
 * @ingroup photonic-moe
 * Hosts on one OCS (and an EPS if the helper enables one), each with an RdmaNic.
 */
struct RdmaTestbed
{
    NodeContainer nodes;             //!< the hosts
    NetDeviceContainer devices;      //!< their OcsNetDevices
    Ptr<OpticalCircuitSwitch> ocs;   //!< the circuit switch
    Ptr<ElectricalPacketSwitch> eps; //!< the electrical switch (null if none)
    std::vector<Ptr<RdmaNic>> nics;  //!< the NICs, in host order

    /**
     * @param i a host
     * @return its device
     */
    Ptr<OcsNetDevice> Device(uint32_t i) const;

    /**
     * Connect queue pair @p qpn of host @p a with queue pair @p qpn of host @p b.
     * @param a a host
     * @param b another host
     * @param qpn the number on both sides
     * @param psnA first PSN a sends (b expects it)
     * @param psnB first PSN b sends (a expects it)
     */
    void Connect(uint32_t a, uint32_t b, uint32_t qpn, uint32_t psnA = 0, uint32_t psnB = 0);
};

/**
 * Build a testbed.
 * @param helper the fabric, configured (EPS enabled or not)
 * @param n hosts
 * @param nic factory of the NICs (TypeId ns3::RdmaNic and attributes)
 * @return the testbed
 */
RdmaTestbed BuildRdmaTestbed(OcsHelper& helper, uint32_t n, const ObjectFactory& nic);

/** @return a factory of RdmaNic with default attributes */
ObjectFactory RdmaNicFactory();

/**
 * @ingroup photonic-moe
 * Records the traces of the NICs it is connected to.
 */
struct RdmaRecorder
{
    /** One completed message. */
    struct Message
    {
        uint32_t qpn{0};   //!< queue pair
        uint64_t bytes{0}; //!< size
        int64_t timeNs{0}; //!< completion time
    };

    std::vector<Message> received; //!< ReceiveComplete, in order
    std::vector<Message> sent;     //!< SendComplete, in order
    uint64_t rxBytes{0};           //!< RxBytes total
    uint64_t goBacks{0};           //!< GoBackN events
    uint64_t goBackPackets{0};     //!< packets they rewound

    /**
     * Connect to a NIC's traces.
     * @param nic the NIC
     */
    void Connect(Ptr<RdmaNic> nic);

    /**
     * @param qpn queue pair @param tag tag @param bytes bytes
     */
    void OnRxBytes(uint32_t qpn, uint16_t tag, uint64_t bytes);
    /**
     * @param qpn queue pair @param tag tag @param bytes message size
     */
    void OnReceiveComplete(uint32_t qpn, uint16_t tag, uint64_t bytes);
    /**
     * @param qpn queue pair @param id work request @param bytes size
     */
    void OnSendComplete(uint32_t qpn, uint64_t id, uint64_t bytes);
    /**
     * @param qpn queue pair @param psn PSN @param packets rewound @param timeout timeout
     */
    void OnGoBack(uint32_t qpn, uint64_t psn, uint64_t packets, bool timeout);
};

/**
 * @param devices devices
 * @return the sum of their drops
 */
uint64_t TotalDeviceDrops(const NetDeviceContainer& devices);

/**
 * @param f a function that should throw pmoe::InputError
 * @return the error's message, or "" if it did not throw
 */
template <typename F>
std::string
InputErrorOf(F f)
{
    try
    {
        f();
    }
    catch (const std::exception& e)
    {
        return e.what();
    }
    return "";
}

} // namespace tests
} // namespace pmoe
} // namespace ns3

#endif /* RDMA_TEST_UTIL_H */
