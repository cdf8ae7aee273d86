/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "photonic-moe-test-util.h"

#include "ns3/abort.h"
#include "ns3/application-container.h"
#include "ns3/circuit-scheduler-application.h"
#include "ns3/circuit-scheduler-helper.h"
#include "ns3/data-rate.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-generator.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/moe-batch-policy.h"
#include "ns3/moe-gpu-application-helper.h"
#include "ns3/moe-topology-helper.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <iomanip>
#include <sstream>
#include <type_traits>

namespace ns3
{
namespace pmoe
{
namespace tests
{

namespace
{

/**
 * The type of the second parameter of a member function (TestCase::AddTestCase's duration).
 * @tparam T a pointer to member function
 */
template <typename T>
struct SecondParameter;

/**
 * @tparam C class
 * @tparam R return type
 * @tparam A first parameter
 * @tparam B second parameter
 */
template <typename C, typename R, typename A, typename B>
struct SecondParameter<R (C::*)(A, B)>
{
    using Type = B; //!< the second parameter's type
};

} // namespace

PmoeTestSuite::PmoeTestSuite(const std::string& name)
    : TestSuite(name, TestSuite::Type::UNIT)
{
}

void
PmoeTestSuite::AddQuick(TestCase* testCase)
{
    AddTestCase(testCase);
}

void
PmoeTestSuite::AddExtensive(TestCase* testCase)
{
    using Duration = typename SecondParameter<decltype(&PmoeTestSuite::AddTestCase)>::Type;
    static_assert(std::is_enum<Duration>::value, "AddTestCase takes a duration enum");
    AddTestCase(testCase, static_cast<Duration>(2)); // EXTENSIVE in every ns-3 version
}

// ---- Network model fixtures ----

void
SendRaw(Ptr<NetDevice> from, Ptr<NetDevice> to, uint32_t count, uint32_t payload)
{
    for (uint32_t i = 0; i < count; ++i)
    {
        from->Send(Create<Packet>(payload), to->GetAddress(), kIpv4EtherType);
    }
}

Schedule
MakeSchedule(uint32_t n,
             CircuitModel model,
             const std::vector<std::vector<Circuit>>& configs,
             Time slot)
{
    Schedule s(n, model);
    for (const auto& circuits : configs)
    {
        Configuration c;
        c.circuits = circuits;
        c.durationNs = slot.GetNanoSeconds();
        s.Append(c);
    }
    return s;
}

Schedule
RotorSchedule(uint32_t n, Time slot)
{
    std::vector<std::vector<Circuit>> configs;
    for (uint32_t k = 1; k < n; ++k)
    {
        std::vector<Circuit> circuits;
        for (uint32_t i = 0; i < n; ++i)
        {
            circuits.push_back({i, (i + k) % n});
        }
        configs.push_back(circuits);
    }
    return MakeSchedule(n, CircuitModel::UNIDIRECTIONAL, configs, slot);
}

NetDeviceContainer
InstallHosts(OcsHelper& ocs, uint32_t n)
{
    NodeContainer nodes(n);
    return ocs.Install(nodes);
}

Ipv4InterfaceContainer
SetUpIp(const NodeContainer& nodes, const NetDeviceContainer& devices)
{
    Ipv4AddressGenerator::Reset();
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper ip("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = ip.Assign(devices);
    OcsHelper::PopulateArpCaches(devices);
    return ifs;
}

OcsDeviceCounters
SumCounters(const NetDeviceContainer& devices)
{
    OcsDeviceCounters t;
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        const OcsDeviceCounters c = DynamicCast<OcsNetDevice>(devices.Get(i))->GetCounters();
        t.macTxPackets += c.macTxPackets;
        t.macRxPackets += c.macRxPackets;
        t.phyTxBeginPackets += c.phyTxBeginPackets;
        t.phyTxEndPackets += c.phyTxEndPackets;
        t.phyRxEndPackets += c.phyRxEndPackets;
        t.voqEnqueuePackets += c.voqEnqueuePackets;
        t.voqDequeuePackets += c.voqDequeuePackets;
        t.epsEnqueuePackets += c.epsEnqueuePackets;
        t.epsDequeuePackets += c.epsDequeuePackets;
        t.epsRxPackets += c.epsRxPackets;
        t.ecnMarked += c.ecnMarked;
        t.guardHolds += c.guardHolds;
        t.dropVoqFull += c.dropVoqFull;
        t.dropCircuitTornDown += c.dropCircuitTornDown;
        t.dropNoRoute += c.dropNoRoute;
        t.dropBroadcast += c.dropBroadcast;
        t.dropEpsQueueFull += c.dropEpsQueueFull;
        t.dropTooBig += c.dropTooBig;
    }
    return t;
}

uint64_t
DeviceTraceCounts::Drops(const std::string& reason) const
{
    const auto it = drops.find(reason);
    return it == drops.end() ? 0 : it->second;
}

uint64_t
DeviceTraceCounts::AllDrops() const
{
    uint64_t n = 0;
    for (const auto& kv : drops)
    {
        n += kv.second;
    }
    return n;
}

namespace
{

/**
 * A Callback that adds one to a counter, whatever the arguments.
 * @tparam Args the trace's arguments
 * @param counter the counter (must outlive the Callback's use)
 * @return the Callback
 */
template <typename... Args>
Callback<void, Args...>
Counting(uint64_t& counter)
{
    return FunctionCallback<void, Args...>([&counter](Args...) { ++counter; });
}

} // namespace

void
ConnectDeviceTraces(const NetDeviceContainer& devices, std::vector<DeviceTraceCounts>& counts)
{
    NS_ABORT_MSG_UNLESS(counts.size() == devices.GetN(), "one DeviceTraceCounts per device");
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        Ptr<NetDevice> d = devices.Get(i);
        DeviceTraceCounts& t = counts[i];
        d->TraceConnectWithoutContext("MacTx", Counting<Ptr<const Packet>>(t.macTx));
        d->TraceConnectWithoutContext("MacRx", Counting<Ptr<const Packet>>(t.macRx));
        d->TraceConnectWithoutContext("PhyTxBegin", Counting<Ptr<const Packet>>(t.phyTxBegin));
        d->TraceConnectWithoutContext("PhyTxEnd", Counting<Ptr<const Packet>>(t.phyTxEnd));
        d->TraceConnectWithoutContext("PhyRxEnd", Counting<Ptr<const Packet>>(t.phyRxEnd));
        d->TraceConnectWithoutContext("VoqEnqueue",
                                      Counting<uint32_t, Ptr<const Packet>>(t.voqEnqueue));
        d->TraceConnectWithoutContext("VoqDequeue",
                                      Counting<uint32_t, Ptr<const Packet>>(t.voqDequeue));
        d->TraceConnectWithoutContext("VoqToEps",
                                      Counting<uint32_t, Ptr<const Packet>>(t.voqToEps));
        d->TraceConnectWithoutContext(
            "VoqLength",
            FunctionCallback<void, uint32_t, uint64_t>(
                [&t](uint32_t port, uint64_t bytes) { t.voqLength[port] = bytes; }));
        d->TraceConnectWithoutContext(
            "Drop",
            FunctionCallback<void, Ptr<const Packet>, const char*>(
                [&t](Ptr<const Packet>, const char* reason) { ++t.drops[reason]; }));
    }
}

std::string
TraceMismatch(const OcsDeviceCounters& c, const DeviceTraceCounts& t)
{
    const std::pair<const char*, std::pair<uint64_t, uint64_t>> pairs[] = {
        {"MacTx", {c.macTxPackets, t.macTx}},
        {"MacRx", {c.macRxPackets, t.macRx}},
        {"PhyTxBegin", {c.phyTxBeginPackets, t.phyTxBegin}},
        {"PhyTxEnd", {c.phyTxEndPackets, t.phyTxEnd}},
        {"PhyRxEnd", {c.phyRxEndPackets, t.phyRxEnd}},
        {"VoqEnqueue", {c.voqEnqueuePackets, t.voqEnqueue}},
        {"VoqDequeue", {c.voqDequeuePackets, t.voqDequeue}},
        {"VoqToEps", {c.voqToEpsPackets, t.voqToEps}},
        {OcsNetDevice::DROP_VOQ_FULL, {c.dropVoqFull, t.Drops(OcsNetDevice::DROP_VOQ_FULL)}},
        {OcsNetDevice::DROP_CIRCUIT_TORN_DOWN,
         {c.dropCircuitTornDown, t.Drops(OcsNetDevice::DROP_CIRCUIT_TORN_DOWN)}},
        {OcsNetDevice::DROP_NO_ROUTE, {c.dropNoRoute, t.Drops(OcsNetDevice::DROP_NO_ROUTE)}},
        {OcsNetDevice::DROP_BROADCAST, {c.dropBroadcast, t.Drops(OcsNetDevice::DROP_BROADCAST)}},
        {OcsNetDevice::DROP_EPS_QUEUE_FULL,
         {c.dropEpsQueueFull, t.Drops(OcsNetDevice::DROP_EPS_QUEUE_FULL)}},
        {OcsNetDevice::DROP_TOO_BIG, {c.dropTooBig, t.Drops(OcsNetDevice::DROP_TOO_BIG)}},
        {OcsNetDevice::DROP_VOQ_TO_EPS_FULL,
         {c.dropVoqToEpsFull, t.Drops(OcsNetDevice::DROP_VOQ_TO_EPS_FULL)}},
        {"drops of any reason", {c.TotalDrops(), t.AllDrops()}},
    };
    for (const auto& [name, values] : pairs)
    {
        if (values.first != values.second)
        {
            return std::string(name) + ": counter " + std::to_string(values.first) + ", trace " +
                   std::to_string(values.second);
        }
    }
    return "";
}

std::vector<int64_t>
RecordLateReconfigurations(Ptr<OpticalCircuitSwitch> sw, Time until)
{
    std::vector<int64_t> extras;
    sw->TraceConnectWithoutContext(
        "ReconfigurationLate",
        FunctionCallback<void, int64_t, Time>(
            [&extras](int64_t, Time extra) { extras.push_back(extra.GetNanoSeconds()); }));
    sw->RunSchedule(RotorSchedule(sw->GetNPorts(), MicroSeconds(10)), Simulator::Now(), true);
    Simulator::Stop(until - Simulator::Now());
    Simulator::Run();
    return extras;
}

// ---- MoE layer fixtures ----

MoeLayerScenario
SmallScenario(uint64_t tokensPerGpu)
{
    MoeLayerScenario sc;
    sc.moe.numGpus = 4;
    sc.moe.numExperts = 16;
    sc.moe.topK = 2;
    sc.moe.tokensPerGpu = tokensPerGpu;
    sc.fabric = "ocs";
    sc.algorithm = "greedy";
    sc.transport = "tcp"; // the TCP path (the layer's default transport is RDMA)
    return sc;
}

std::shared_ptr<const RoutingTrace>
UniformTrace(uint32_t gpus, uint64_t perExpert)
{
    auto t = std::make_shared<RoutingTrace>();
    t->numGpus = gpus;
    t->numExperts = gpus;
    TokenMatrix m(gpus, gpus);
    for (uint32_t i = 0; i < gpus; ++i)
    {
        for (uint32_t e = 0; e < gpus; ++e)
        {
            m.Add(i, e, perExpert);
        }
    }
    t->layers.push_back(m);
    return t;
}

MoeLayerRunResult
RunSeeded(const MoeLayerScenario& sc, uint32_t run)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(run);
    return sc.Run();
}

std::string
PairConservation(const MoeLayerRunResult& r)
{
    for (const auto& m : r.layers)
    {
        if (m.dispatchBytesSent != m.dispatchBytesExpected ||
            m.dispatchBytesDelivered != m.dispatchBytesExpected ||
            m.combineBytesSent != m.combineBytesExpected ||
            m.combineBytesDelivered != m.combineBytesExpected)
        {
            std::ostringstream os;
            os << "layer " << m.layer << ": dispatch " << m.dispatchBytesExpected << "/"
               << m.dispatchBytesSent << "/" << m.dispatchBytesDelivered << ", combine "
               << m.combineBytesExpected << "/" << m.combineBytesSent << "/"
               << m.combineBytesDelivered;
            return os.str();
        }
    }
    for (const auto& g : r.gpus)
    {
        if (g.doneNs < 0)
        {
            return "GPU " + std::to_string(g.gpu) + " did not finish layer " +
                   std::to_string(g.layer);
        }
    }
    return r.conserved ? std::string() : r.conservationErrors.front();
}

namespace
{

// Every field of these structs is compared below: a new field must be added to the comparison
// (and to these sizes). Checked on LP64 only, where the layouts are known.
static_assert(sizeof(void*) != 8 || sizeof(MoeFaultCounters) == 15 * 8,
              "MoeFaultCounters changed: update FirstDifference");
static_assert(sizeof(void*) != 8 || sizeof(MoeGpuMeasurement) == 2 * 4 + 12 * 8,
              "MoeGpuMeasurement changed: update FirstDifference");
static_assert(sizeof(void*) != 8 || sizeof(MoeLayerMeasurement) == 400,
              "MoeLayerMeasurement changed: update FirstDifference");
static_assert(sizeof(void*) != 8 || sizeof(MoePlaneMeasurement) == 2 * 4 + 8 * 8,
              "MoePlaneMeasurement changed: update FirstDifference");
static_assert(sizeof(void*) != 8 || sizeof(MoeServerMeasurement) == 8 + 4 * 8,
              "MoeServerMeasurement changed: update FirstDifference");

/** Records the first field in which two runs differ. */
class Differ
{
  public:
    /**
     * @param name the field's path
     * @param a its value in the first run
     * @param b its value in the second run
     */
    template <typename T>
    void Field(const std::string& name, const T& a, const T& b)
    {
        if (m_first.empty() && !(a == b))
        {
            std::ostringstream os;
            os << std::setprecision(17) << name << ": " << a << " != " << b;
            m_first = os.str();
        }
    }

    /**
     * Compare the sizes of two sequences.
     * @param name the sequence's path
     * @param a its size in the first run
     * @param b its size in the second run
     * @return true if equal (then compare the elements)
     */
    bool Size(const std::string& name, std::size_t a, std::size_t b)
    {
        Field(name + ".size()", a, b);
        return a == b;
    }

    /** @return the first difference, or "" */
    const std::string& First() const
    {
        return m_first;
    }

  private:
    std::string m_first; //!< the first difference
};

/// Compare field @p f of @p a and @p b under the path @p p.
#define PMOE_FIELD(d, p, a, b, f) (d).Field((p) + #f, (a).f, (b).f)

/**
 * @param d the differ
 * @param p path prefix
 * @param a a layer measurement
 * @param b the other
 * @param hostTiming compare schedulerWallNs
 */
void
CompareLayer(Differ& d,
             const std::string& p,
             const MoeLayerMeasurement& a,
             const MoeLayerMeasurement& b,
             bool hostTiming)
{
    PMOE_FIELD(d, p, a, b, layer);
    PMOE_FIELD(d, p, a, b, layerTimeNs);
    PMOE_FIELD(d, p, a, b, layerSpanNs);
    PMOE_FIELD(d, p, a, b, dispatchBytesExpected);
    PMOE_FIELD(d, p, a, b, dispatchBytesSent);
    PMOE_FIELD(d, p, a, b, dispatchBytesDelivered);
    PMOE_FIELD(d, p, a, b, combineBytesExpected);
    PMOE_FIELD(d, p, a, b, combineBytesSent);
    PMOE_FIELD(d, p, a, b, combineBytesDelivered);
    PMOE_FIELD(d, p, a, b, numMatchings);
    PMOE_FIELD(d, p, a, b, dispatchMatchings);
    PMOE_FIELD(d, p, a, b, dispatchBubbleFraction);
    PMOE_FIELD(d, p, a, b, reconfigurations);
    PMOE_FIELD(d, p, a, b, reconfigTimeNs);
    PMOE_FIELD(d, p, a, b, bubbleFraction);
    PMOE_FIELD(d, p, a, b, residualBytes);
    PMOE_FIELD(d, p, a, b, schedulerTimeNs);
    if (hostTiming)
    {
        PMOE_FIELD(d, p, a, b, schedulerWallNs);
    }
    PMOE_FIELD(d, p, a, b, loadBoundNs);
    PMOE_FIELD(d, p, a, b, computeBusyNs);
    PMOE_FIELD(d, p, a, b, idealComputeNs);
    PMOE_FIELD(d, p, a, b, maxGpuBusyNs);
    PMOE_FIELD(d, p, a, b, computeEfficiency);
    PMOE_FIELD(d, p, a, b, batches);
    PMOE_FIELD(d, p, a, b, meanBatchTokens);
    PMOE_FIELD(d, p, a, b, maxBatchTokens);
    PMOE_FIELD(d, p, a, b, dispatchCommNs);
    PMOE_FIELD(d, p, a, b, dispatchFluidNs);
    PMOE_FIELD(d, p, a, b, dispatchFluidLastByteNs);
    PMOE_FIELD(d, p, a, b, combineCommNs);
    PMOE_FIELD(d, p, a, b, combineFluidNs);
    PMOE_FIELD(d, p, a, b, combineFluidLastByteNs);
    PMOE_FIELD(d, p, a, b, dispatchClusterFluidNs);
    PMOE_FIELD(d, p, a, b, dispatchClusterOverlappedNs);
    PMOE_FIELD(d, p, a, b, combineClusterFluidNs);
    PMOE_FIELD(d, p, a, b, combineClusterOverlappedNs);
    PMOE_FIELD(d, p, a, b, dispatchClusterLastByteNs);
    PMOE_FIELD(d, p, a, b, combineClusterLastByteNs);
    PMOE_FIELD(d, p, a, b, predictedLayerTimeNs);
    PMOE_FIELD(d, p, a, b, predictedDispatchNs);
    PMOE_FIELD(d, p, a, b, predictedCombineNs);
    PMOE_FIELD(d, p, a, b, autoConfigurations);
    PMOE_FIELD(d, p, a, b, autoChoice);
    PMOE_FIELD(d, p, a, b, autoCombineChoice);
    // layerTimeLowerBoundNs is not compared: MoeLayerScenario::Run computes it from the
    // workload after the run (pmoe::LayerTimeLowerBound), a layer built by hand does not;
    // ideal-baseline-test.cc checks it.
}

/**
 * @param d the differ
 * @param p path prefix
 * @param a a GPU measurement
 * @param b the other
 */
void
CompareGpu(Differ& d, const std::string& p, const MoeGpuMeasurement& a, const MoeGpuMeasurement& b)
{
    PMOE_FIELD(d, p, a, b, layer);
    PMOE_FIELD(d, p, a, b, gpu);
    PMOE_FIELD(d, p, a, b, startNs);
    PMOE_FIELD(d, p, a, b, doneNs);
    PMOE_FIELD(d, p, a, b, dispatchDoneNs);
    PMOE_FIELD(d, p, a, b, computeDoneNs);
    PMOE_FIELD(d, p, a, b, dispatchBytesSent);
    PMOE_FIELD(d, p, a, b, dispatchBytesReceived);
    PMOE_FIELD(d, p, a, b, combineBytesSent);
    PMOE_FIELD(d, p, a, b, combineBytesReceived);
    PMOE_FIELD(d, p, a, b, computeBusyNs);
    PMOE_FIELD(d, p, a, b, idealComputeNs);
    PMOE_FIELD(d, p, a, b, batches);
    PMOE_FIELD(d, p, a, b, tokens);
}

/**
 * @param d the differ
 * @param p path prefix
 * @param a a plane measurement
 * @param b the other
 */
void
ComparePlane(Differ& d,
             const std::string& p,
             const MoePlaneMeasurement& a,
             const MoePlaneMeasurement& b)
{
    PMOE_FIELD(d, p, a, b, plane);
    PMOE_FIELD(d, p, a, b, rails);
    PMOE_FIELD(d, p, a, b, matchings);
    PMOE_FIELD(d, p, a, b, reconfigurations);
    PMOE_FIELD(d, p, a, b, bubbleFraction);
    PMOE_FIELD(d, p, a, b, bytes);
    PMOE_FIELD(d, p, a, b, demandBytes);
    PMOE_FIELD(d, p, a, b, residualBytes);
    PMOE_FIELD(d, p, a, b, litNs);
    PMOE_FIELD(d, p, a, b, bubbleNs);
}

/**
 * @param d the differ
 * @param p path prefix
 * @param a a server measurement
 * @param b the other
 */
void
CompareServer(Differ& d,
              const std::string& p,
              const MoeServerMeasurement& a,
              const MoeServerMeasurement& b)
{
    PMOE_FIELD(d, p, a, b, server);
    PMOE_FIELD(d, p, a, b, nicSendBytes);
    PMOE_FIELD(d, p, a, b, nicReceiveBytes);
    PMOE_FIELD(d, p, a, b, nvlinkOutBytes);
    PMOE_FIELD(d, p, a, b, nvlinkInBytes);
}

/**
 * @param d the differ
 * @param p path prefix
 * @param a fault counters
 * @param b the others
 */
void
CompareFaults(Differ& d, const std::string& p, const MoeFaultCounters& a, const MoeFaultCounters& b)
{
    PMOE_FIELD(d, p, a, b, portFailures);
    PMOE_FIELD(d, p, a, b, failureDarkenings);
    PMOE_FIELD(d, p, a, b, failoverToEpsPackets);
    PMOE_FIELD(d, p, a, b, lateReconfigurations);
    PMOE_FIELD(d, p, a, b, reconfigExtraDarkNs);
    PMOE_FIELD(d, p, a, b, controlMessages);
    PMOE_FIELD(d, p, a, b, controlLost);
    PMOE_FIELD(d, p, a, b, controlLate);
    PMOE_FIELD(d, p, a, b, controlRetries);
    PMOE_FIELD(d, p, a, b, controlFallbacks);
    PMOE_FIELD(d, p, a, b, controlDuplicates);
    PMOE_FIELD(d, p, a, b, commitFallbacks);
    PMOE_FIELD(d, p, a, b, voqOverflowDrops);
    PMOE_FIELD(d, p, a, b, voqOverflowToEps);
    PMOE_FIELD(d, p, a, b, framesTornDown);
}

/**
 * @param d the differ
 * @param p path prefix
 * @param a a timeline interval
 * @param b the other
 */
void
CompareInterval(Differ& d,
                const std::string& p,
                const MoeTimelineInterval& a,
                const MoeTimelineInterval& b)
{
    PMOE_FIELD(d, p, a, b, kind);
    PMOE_FIELD(d, p, a, b, layer);
    PMOE_FIELD(d, p, a, b, node);
    PMOE_FIELD(d, p, a, b, value);
    PMOE_FIELD(d, p, a, b, startNs);
    PMOE_FIELD(d, p, a, b, endNs);
}

/**
 * Compare two sequences element by element.
 * @param d the differ
 * @param name the sequence's path
 * @param a the first run's
 * @param b the second run's
 * @param compare compares two elements under a path
 */
template <typename T, typename F>
void
CompareEach(Differ& d,
            const std::string& name,
            const std::vector<T>& a,
            const std::vector<T>& b,
            F compare)
{
    if (d.Size(name, a.size(), b.size()))
    {
        for (std::size_t i = 0; i < a.size(); ++i)
        {
            compare(name + "[" + std::to_string(i) + "].", a[i], b[i]);
        }
    }
}

#undef PMOE_FIELD

} // namespace

std::string
FirstDifference(const MoeLayerRunResult& a, const MoeLayerRunResult& b, bool hostTiming)
{
    Differ d;
    d.Field("fabric", a.fabric, b.fabric);
    d.Field("algorithm", a.algorithm, b.algorithm);
    CompareEach(d, "layers", a.layers, b.layers, [&](const std::string& p, auto& x, auto& y) {
        CompareLayer(d, p, x, y, hostTiming);
    });
    CompareEach(d, "gpus", a.gpus, b.gpus, [&](const std::string& p, auto& x, auto& y) {
        CompareGpu(d, p, x, y);
    });
    CompareLayer(d, "total.", a.total, b.total, hostTiming);
    d.Field("conserved", a.conserved, b.conserved);
    CompareEach(d,
                "conservationErrors",
                a.conservationErrors,
                b.conservationErrors,
                [&](const std::string& p, auto& x, auto& y) { d.Field(p, x, y); });
    d.Field("deviceDrops", a.deviceDrops, b.deviceDrops);
    d.Field("strandedPackets", a.strandedPackets, b.strandedPackets);
    d.Field("voqToEpsPackets", a.voqToEpsPackets, b.voqToEpsPackets);
    if (d.Size("dropsByReason", a.dropsByReason.size(), b.dropsByReason.size()))
    {
        for (auto x = a.dropsByReason.begin(), y = b.dropsByReason.begin();
             x != a.dropsByReason.end();
             ++x, ++y)
        {
            d.Field("dropsByReason key", x->first, y->first);
            d.Field("dropsByReason[" + x->first + "]", x->second, y->second);
        }
    }
    d.Field("nicBytes", a.nicBytes, b.nicBytes);
    d.Field("nvlinkBytes", a.nvlinkBytes, b.nvlinkBytes);
    d.Field("gpusPerServer", a.gpusPerServer, b.gpusPerServer);
    d.Field("ocsNics", a.ocsNics, b.ocsNics);
    d.Field("forwarding", a.forwarding, b.forwarding);
    CompareEach(d, "planes", a.planes, b.planes, [&](const std::string& p, auto& x, auto& y) {
        ComparePlane(d, p, x, y);
    });
    CompareEach(d, "servers", a.servers, b.servers, [&](const std::string& p, auto& x, auto& y) {
        CompareServer(d, p, x, y);
    });
    d.Field("maxServers", a.maxServers, b.maxServers);
    d.Field("tcpTimeouts", a.tcpTimeouts, b.tcpTimeouts);
    d.Field("tcpFastRecoveries", a.tcpFastRecoveries, b.tcpFastRecoveries);
    d.Field("transport", a.transport, b.transport);
    d.Field("transportCounters.timeouts",
            a.transportCounters.timeouts,
            b.transportCounters.timeouts);
    d.Field("transportCounters.fastRecoveries",
            a.transportCounters.fastRecoveries,
            b.transportCounters.fastRecoveries);
    d.Field("transportCounters.retransmittedPackets",
            a.transportCounters.retransmittedPackets,
            b.transportCounters.retransmittedPackets);
    d.Field("transportCounters.naks", a.transportCounters.naks, b.transportCounters.naks);
    d.Field("transportCounters.cnps", a.transportCounters.cnps, b.transportCounters.cnps);
    d.Field("transportCounters.rateCuts",
            a.transportCounters.rateCuts,
            b.transportCounters.rateCuts);
    d.Field("transportCounters.pauseFrames",
            a.transportCounters.pauseFrames,
            b.transportCounters.pauseFrames);
    d.Field("epsEcnMarked", a.epsEcnMarked, b.epsEcnMarked);
    d.Field("epsPauseFrames", a.epsPauseFrames, b.epsPauseFrames);
    d.Field("switchReconfigurations", a.switchReconfigurations, b.switchReconfigurations);
    CompareFaults(d, "faults.", a.faults, b.faults);
    if (hostTiming)
    {
        CompareEach(d,
                    "rssBytes",
                    a.rssBytes,
                    b.rssBytes,
                    [&](const std::string& p, auto x, auto y) { d.Field(p, x, y); });
        CompareEach(d,
                    "heapBytes",
                    a.heapBytes,
                    b.heapBytes,
                    [&](const std::string& p, auto x, auto y) { d.Field(p, x, y); });
        d.Field("wallSeconds", a.wallSeconds, b.wallSeconds);
    }
    d.Field("simulatedNs", a.simulatedNs, b.simulatedNs);
    CompareEach(d, "timeline", a.timeline, b.timeline, [&](const std::string& p, auto& x, auto& y) {
        CompareInterval(d, p, x, y);
    });
    d.Field("events", a.events, b.events);
    return d.First();
}

namespace
{

/** Stops the simulation once every GPU has completed the last layer (as Run does). */
struct LastLayerDone
{
    uint32_t lastLayer{0}; //!< the last layer
    uint32_t gpus{0};      //!< number of GPUs
    uint32_t done{0};      //!< GPUs done with it

    /** @param layer a layer completed at one GPU */
    void OnLayerDone(uint32_t layer)
    {
        if (layer == lastLayer && ++done == gpus)
        {
            Simulator::Stop(MicroSeconds(1));
        }
    }
};

} // namespace

HandBuiltLayer
RunLayerByHand(const MoeLayerScenario& sc)
{
    const bool ocs = sc.fabric == "ocs";
    const auto stream = static_cast<int64_t>(sc.workloadSeedStream);
    HandBuiltLayer out;
    out.workload = MoeWorkloadData::Generate(sc.moe, sc.layers, stream);

    // The fabric: an OCS with 64 MiB VOQs and an EPS for ACKs and residual, or the ideal
    // non-blocking electrical switch (every packet over the EPS at the host rate).
    MoeTopologyHelper topologyHelper;
    OcsHelper& fabric = topologyHelper.GetFabricHelper();
    fabric.SetDeviceAttribute("DataRate", DataRateValue(sc.rate));
    fabric.SetChannelAttribute("Delay", TimeValue(sc.propagationDelay));
    fabric.SetChannelAttribute("ReconfigurationDelay", TimeValue(sc.delta));
    const uint64_t queueBytes = ocs ? 64ULL << 20 : 1ULL << 30;
    fabric.SetDeviceAttribute("EpsQueueCapacity", UintegerValue(queueBytes));
    fabric.SetEpsAttribute("EgressQueueCapacity", UintegerValue(queueBytes));
    if (ocs)
    {
        fabric.SetDeviceAttribute("VoqCapacity", UintegerValue(queueBytes));
        fabric.EnableEps(sc.epsRate, sc.epsDelay, "no-future-circuit");
    }
    else
    {
        fabric.EnableEps(sc.rate, sc.epsDelay, "all");
    }
    const MoeTopology topology = topologyHelper.Install(sc.moe.numGpus);
    if (ocs)
    {
        topologyHelper.AssignStreams(topology, stream + 1);
    }

    GpuComputeModelHelper compute;
    compute.SetAttribute("HiddenSize", UintegerValue(sc.moe.hiddenSize));
    compute.SetAttribute("FixedCost", TimeValue(sc.fixedCost));
    compute.Install(topology.gpus);

    MoeGpuApplicationHelper gpuHelper;
    if (sc.transport == "udp")
    {
        gpuHelper.SetTransport("ns3::MoeUdpTransport", "Rate", DataRateValue(sc.rate));
    }
    else
    {
        gpuHelper.SetTransport("ns3::MoeTcpTransport");
    }
    if (sc.overlap == "threshold")
    {
        gpuHelper.SetBatchPolicy("ns3::MoeThresholdBatchPolicy",
                                 "Copies",
                                 UintegerValue(sc.thresholdCopies),
                                 "Timeout",
                                 TimeValue(sc.thresholdTimeout));
    }
    else
    {
        gpuHelper.SetBatchPolicy(MoeBatchPolicyTypeName(sc.overlap));
    }
    const ApplicationContainer apps =
        gpuHelper.Install(topology.gpus, out.workload, topology.endpoints);

    MoeStatsCollector stats;
    stats.Install(apps);
    if (ocs)
    {
        CircuitSchedulerHelper schedulerHelper;
        schedulerHelper.SetAttribute("Algorithm", StringValue(sc.algorithm));
        schedulerHelper.SetAttribute("MaxMatchings", UintegerValue(sc.maxMatchings));
        schedulerHelper.SetAttribute("CircuitRate", DataRateValue(sc.rate));
        schedulerHelper.SetAttribute("EpsRate", DataRateValue(sc.epsRate));
        const ApplicationContainer scheduler =
            schedulerHelper.Install(CreateObject<Node>(), topology.ocs, apps);
        schedulerHelper.AssignStreams(scheduler, stream + 2);
        stats.Install(DynamicCast<CircuitSchedulerApplication>(scheduler.Get(0)), topology.ocs);
    }
    stats.SetFabric(topology.devices, topology.ocs, topology.eps);

    LastLayerDone lastLayer{sc.layers - 1, sc.moe.numGpus, 0};
    for (uint32_t g = 0; g < apps.GetN(); ++g)
    {
        apps.Get(g)->TraceConnectWithoutContext(
            "LayerDone",
            MakeCallback(&LastLayerDone::OnLayerDone, &lastLayer));
    }
    Simulator::Stop(sc.stopTime);
    Simulator::Run();
    out.result = stats.Collect();
    out.result.simulatedNs = Simulator::Now().GetNanoSeconds();
    out.result.events = Simulator::GetEventCount();
    Simulator::Destroy();
    out.result.fabric = sc.fabric;
    out.result.algorithm = ocs ? sc.algorithm : "ideal";
    out.result.transport = sc.transport;
    return out;
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
