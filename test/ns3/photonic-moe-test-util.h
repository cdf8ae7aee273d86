/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PHOTONIC_MOE_TEST_UTIL_H
#define PHOTONIC_MOE_TEST_UTIL_H

// Shared fixtures of the module's ns-3 TestSuites: the suite base class with a portable
// EXTENSIVE duration, the functions that fill each suite, raw-frame helpers for the network
// model, small MoE scenarios, a layer built by hand from the helpers, and the field-by-field
// comparison of two runs.

#include "../core/pmoe-test-util.h"
#include "pmoe-test-callback.h"

#include "ns3/ipv4-interface-container.h"
#include "ns3/moe-layer-scenario.h"
#include "ns3/moe-stats-collector.h"
#include "ns3/moe-workload-data.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/ocs-helper.h"
#include "ns3/ocs-net-device.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/test.h"

#include <cstdint>
#include <map>
#include <memory>
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
 * A TestSuite of the module (type UNIT) that adds cases as QUICK or EXTENSIVE on every
 * supported ns-3: 3.35/3.37 spell the duration TestCase::EXTENSIVE (unscoped enum
 * TestDuration), 3.42 and later TestCase::Duration::EXTENSIVE (scoped enum Duration). Its
 * type is read off TestCase::AddTestCase's second parameter; EXTENSIVE is 2 in every version.
 * Run every case with test.py's or the runner's --fullness=EXTENSIVE.
 */
class PmoeTestSuite : public TestSuite
{
  public:
    /** @param name the suite's name (test.py -s NAME) */
    explicit PmoeTestSuite(const std::string& name);

    /** @param testCase a case that runs in well under a second (QUICK) */
    void AddQuick(TestCase* testCase);

    /** @param testCase a case that simulates whole MoE layers (EXTENSIVE) */
    void AddExtensive(TestCase* testCase);
};

// Cases of each suite, one function per file (photonic-moe-test-suite.cc registers the suites).

/** "photonic-moe": switch, host port device, EPS, helper (ocs-test.cc). */
void AddOcsTestCases(PmoeTestSuite& suite);
/** "photonic-moe": EPS policies and EPS priority (ocs-eps-policy-test.cc). */
void AddOcsEpsPolicyTestCases(PmoeTestSuite& suite);
/** "photonic-moe": switch timing against ScheduleTimeline (ocs-timeline-test.cc). */
void AddOcsTimelineTestCases(PmoeTestSuite& suite);
/** "photonic-moe-layer": GPU application, scheduler, whole layers (moe-layer-test.cc). */
void AddMoeLayerTestCases(PmoeTestSuite& suite);
/** "photonic-moe-layer": transports, batch policies, helpers, collector (moe-helper-test.cc). */
void AddMoeHelperTestCases(PmoeTestSuite& suite);
/** "photonic-moe-layer": streaming policy, layer-time lower bound (ideal-baseline-test.cc). */
void AddIdealBaselineTestCases(PmoeTestSuite& suite);
/** @param suite "photonic-moe-layer": clusters of multi-GPU servers */
void AddClusterTestCases(PmoeTestSuite& suite);
/** "photonic-moe-faults": fault injection (fault-test.cc). */
void AddFaultTestCases(PmoeTestSuite& suite);
/** "photonic-moe-validation": bad input (validation-test.cc). */
void AddValidationTestCases(PmoeTestSuite& suite);
/** "photonic-moe-validation": packet level vs fluid, determinism (study-validation-test.cc). */
void AddStudyValidationTestCases(PmoeTestSuite& suite);

/**
 * @param f an action expected to throw
 * @param needle text the message must contain (not empty)
 * @return true if @p f threw a pmoe::InputError whose message contains @p needle
 */
template <typename F>
bool
Throws(F f, const std::string& needle)
{
    const std::string msg = ErrorOf(f);
    return !msg.empty() && msg.find(needle) != std::string::npos;
}

// ---- Network model fixtures (raw frames, no application) ----

/// EtherType of the raw frames the tests send.
constexpr uint16_t kIpv4EtherType = 0x0800;

/**
 * Send @p count raw frames of @p payload bytes from @p from to @p to (the frame adds 14 bytes).
 * @param from sender
 * @param to receiver
 * @param count number of packets
 * @param payload packet size
 */
void SendRaw(Ptr<NetDevice> from, Ptr<NetDevice> to, uint32_t count, uint32_t payload);

/**
 * A schedule from a list of configurations of equal length.
 * @param n ports
 * @param model circuit model
 * @param configs circuits of each configuration
 * @param slot lit duration of each configuration
 * @return the schedule
 */
Schedule MakeSchedule(uint32_t n,
                      CircuitModel model,
                      const std::vector<std::vector<Circuit>>& configs,
                      Time slot);

/**
 * Unidirectional rotor: configuration k (k = 1 .. n-1) connects port i to (i + k) mod n.
 * @param n ports
 * @param slot lit duration of each configuration
 * @return the schedule
 */
Schedule RotorSchedule(uint32_t n, Time slot);

/**
 * Install @p n OCS host devices (raw frames, no IP stack).
 * @param ocs the helper (attributes already set)
 * @param n hosts
 * @return the devices
 */
NetDeviceContainer InstallHosts(OcsHelper& ocs, uint32_t n);

/**
 * Give every node an IPv4 stack and an address on 10.1.1.0/24, fill the ARP caches
 * statically.
 * @param nodes nodes
 * @param devices their OCS devices
 * @return the interfaces
 */
Ipv4InterfaceContainer SetUpIp(const NodeContainer& nodes, const NetDeviceContainer& devices);

/**
 * @param devices OCS devices
 * @return the sum of their counters
 */
OcsDeviceCounters SumCounters(const NetDeviceContainer& devices);

/**
 * What the trace sources of one OcsNetDevice reported.
 */
struct DeviceTraceCounts
{
    uint64_t macTx{0};                      //!< MacTx
    uint64_t macRx{0};                      //!< MacRx
    uint64_t phyTxBegin{0};                 //!< PhyTxBegin
    uint64_t phyTxEnd{0};                   //!< PhyTxEnd
    uint64_t phyRxEnd{0};                   //!< PhyRxEnd
    uint64_t voqEnqueue{0};                 //!< VoqEnqueue
    uint64_t voqDequeue{0};                 //!< VoqDequeue
    uint64_t voqToEps{0};                   //!< VoqToEps
    std::map<std::string, uint64_t> drops;  //!< Drop, by reason
    std::map<uint32_t, uint64_t> voqLength; //!< last VoqLength, by destination port

    /**
     * @param reason a drop reason
     * @return drops traced with it
     */
    uint64_t Drops(const std::string& reason) const;

    /** @return drops traced with any reason */
    uint64_t AllDrops() const;
};

/**
 * Count the trace sources of every device into @p counts (one entry per device; the vector
 * must not be resized and must outlive the simulation).
 * @param devices OCS devices
 * @param counts as many entries as devices
 */
void ConnectDeviceTraces(const NetDeviceContainer& devices, std::vector<DeviceTraceCounts>& counts);

/**
 * @param c a device's counters
 * @param t its traces
 * @return "" if every counter that has a trace source (MacTx, MacRx, PhyTxBegin, PhyTxEnd,
 *         PhyRxEnd, VoqEnqueue, VoqDequeue, VoqToEps, each drop reason) equals it, else the
 *         first that differs
 */
std::string TraceMismatch(const OcsDeviceCounters& c, const DeviceTraceCounts& t);

/**
 * Loop a rotor schedule on @p sw from now until @p until (Simulator::Run) and record the extra
 * dark time of every late reconfiguration (ReconfigurationLate trace). The caller destroys the
 * simulator.
 * @param sw a switch with ReconfigurationJitter set, its hosts attached
 * @param until when to stop
 * @return the extra times in ns, in order
 */
std::vector<int64_t> RecordLateReconfigurations(Ptr<OpticalCircuitSwitch> sw, Time until);

// ---- MoE layer fixtures ----

/**
 * A small layer: 4 GPUs, 16 experts, top-2, @p tokensPerGpu tokens per GPU, greedy on the
 * OCS (the scenario's defaults otherwise); 256 tokens is 3.6 MB per GPU and well under a
 * second per run.
 * @param tokensPerGpu tokens per GPU
 * @return the scenario
 */
MoeLayerScenario SmallScenario(uint64_t tokensPerGpu = 256);

/**
 * A routing trace where every GPU sends @p perExpert copies to every expert (one expert per
 * GPU): the dispatch demand is exactly uniform.
 * @param gpus number of GPUs (= experts)
 * @param perExpert token copies per (GPU, expert)
 * @return the trace
 */
std::shared_ptr<const RoutingTrace> UniformTrace(uint32_t gpus, uint64_t perExpert);

/**
 * Run with a pinned seed (RngSeedManager seed 1, run @p run).
 * @param sc scenario
 * @param run RngRun
 * @return the result
 */
MoeLayerRunResult RunSeeded(const MoeLayerScenario& sc, uint32_t run = 1);

/**
 * Per-pair conservation, independent of MoeLayerRunResult::conserved: for every layer the
 * bytes sent and delivered equal the demand, and every GPU finished every layer.
 * @param r a run
 * @return "", or the first violation
 */
std::string PairConservation(const MoeLayerRunResult& r);

/**
 * Compare two runs field by field: every field of MoeLayerRunResult, of each
 * MoeLayerMeasurement (per layer and the total), MoeGpuMeasurement, MoeFaultCounters and
 * MoeTimelineInterval. Doubles are compared exactly (a deterministic run repeats them to the
 * bit). The measurements of the host rather than the simulation - wallSeconds, rssBytes,
 * heapBytes and schedulerWallNs (what photonic-moe-layer writes only with --hostTiming) - are
 * compared only if @p hostTiming.
 * @param a a run
 * @param b another run
 * @param hostTiming compare the host measurements too
 * @return "" if equal, else the first field that differs with both values, e.g.
 *         "layers[0].layerTimeNs: 1200 != 1300"
 */
std::string FirstDifference(const MoeLayerRunResult& a,
                            const MoeLayerRunResult& b,
                            bool hostTiming = false);

/** A layer built by hand from the helpers (RunLayerByHand). */
struct HandBuiltLayer
{
    std::shared_ptr<const MoeWorkloadData> workload; //!< the workload it ran
    MoeLayerRunResult result;                        //!< what the collector measured
};

/**
 * Build and run the experiment of @p sc by hand from the module's pieces, as a user would -
 * MoeWorkloadData, MoeTopologyHelper, GpuComputeModelHelper, MoeGpuApplicationHelper,
 * CircuitSchedulerHelper (OCS fabric) and MoeStatsCollector - then destroy the simulator.
 * Supports what the tests vary: GPUs, routing, fabric (ocs or ideal), rate, delta, transport
 * (tcp, udp), overlap, algorithm and K; every other field must keep its default.
 * @param sc the scenario
 * @return the workload and the result (fabric, algorithm, simulatedNs and events filled in
 *         as MoeLayerScenario::Run does)
 */
HandBuiltLayer RunLayerByHand(const MoeLayerScenario& sc);

} // namespace tests
} // namespace pmoe
} // namespace ns3

#endif /* PHOTONIC_MOE_TEST_UTIL_H */
