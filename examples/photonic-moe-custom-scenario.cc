/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * @ingroup photonic-moe
 * A custom MoE experiment assembled from the module's pieces, the way a user writes their
 * own scenario instead of using the photonic-moe-layer driver.
 *
 * The routing is written by hand: 8 GPUs with 2 experts each; every GPU keeps a quarter of
 * its tokens local and sends the rest to the experts of its two ring neighbours, with GPU 0's
 * experts twice as popular (a hot spot). The fabric is an OCS with duplex circuits that keep
 * lit what the next configuration keeps (changed-only), 1 us reconfiguration, an electrical
 * packet switch for ACKs and the residual; the scheduler runs greedy with at most 4
 * matchings; the GPUs overlap compute with each matching's arrivals and talk paced UDP (which
 * never retransmits, so the electrical queues get room for the residual's incast).
 *
 * Run: ./ns3 run photonic-moe-custom-scenario   (or build/examples/... standalone)
 */

#include "ns3/circuit-scheduler-application.h"
#include "ns3/circuit-scheduler-helper.h"
#include "ns3/core-module.h"
#include "ns3/moe-gpu-application-helper.h"
#include "ns3/moe-stats-collector.h"
#include "ns3/moe-topology-helper.h"
#include "ns3/moe-workload-data.h"

#include <iostream>
#include <memory>

using namespace ns3;

int
main(int argc, char* argv[])
{
    uint32_t tokens = 512; // tokens per GPU
    CommandLine cmd(__FILE__);
    cmd.AddValue("tokens", "tokens per GPU per layer", tokens);
    cmd.Parse(argc, argv);

    // 1. Routing by hand: token copies GPU i sends to expert e, as a one-layer trace.
    const uint32_t gpus = 8;
    const uint32_t experts = 2 * gpus; // contiguous placement: experts 2g, 2g+1 on GPU g
    auto trace = std::make_shared<pmoe::RoutingTrace>();
    trace->numGpus = gpus;
    trace->numExperts = experts;
    pmoe::TokenMatrix copies(gpus, experts);
    for (uint32_t g = 0; g < gpus; ++g)
    {
        const uint32_t left = (g + gpus - 1) % gpus;
        const uint32_t right = (g + 1) % gpus;
        copies.Add(g, 2 * g, tokens / 4); // local
        copies.Add(g, 2 * left, tokens / 4);
        copies.Add(g, 2 * right + 1, tokens / 4);
        copies.Add(g, 0, tokens / 4); // the hot expert on GPU 0
    }
    trace->layers.push_back(copies);
    pmoe::MoeConfig config;
    config.numGpus = gpus;
    config.numExperts = experts;
    config.topK = 1;
    config.tokensPerGpu = tokens;
    config.routing = pmoe::RoutingKind::TRACE;
    config.trace = trace;
    const auto workload = MoeWorkloadData::Generate(config, 1, /* stream */ 1);

    // 2. The fabric: GPUs on a duplex, changed-only OCS with an electrical packet switch.
    MoeTopologyHelper topologyHelper;
    OcsHelper& fabric = topologyHelper.GetFabricHelper();
    fabric.SetDeviceAttribute("DataRate", DataRateValue(DataRate("400Gbps")));
    fabric.SetChannelAttribute("CircuitModel", StringValue("duplex"));
    fabric.SetChannelAttribute("ReconfigurationMode", StringValue("changed-only"));
    fabric.SetChannelAttribute("ReconfigurationDelay", TimeValue(MicroSeconds(1)));
    fabric.EnableEps(DataRate("100Gbps"), NanoSeconds(50), "no-future-circuit");
    // UDP does not retransmit: give the electrical queues room for the residual's incast.
    fabric.SetDeviceAttribute("EpsQueueCapacity", UintegerValue(64 << 20));
    fabric.SetEpsAttribute("EgressQueueCapacity", UintegerValue(64 << 20));
    const MoeTopology topology = topologyHelper.Install(gpus);
    topologyHelper.AssignStreams(topology, 10);

    // 3. Expert compute, GPU applications, circuit scheduler.
    GpuComputeModelHelper compute;
    compute.SetAttribute("Preset", StringValue("deepseek-v3"));
    compute.Install(topology.gpus);
    MoeGpuApplicationHelper gpuHelper;
    gpuHelper.SetTransport("ns3::MoeUdpTransport");
    gpuHelper.SetBatchPolicy("ns3::MoePerMatchingBatchPolicy");
    const ApplicationContainer apps =
        gpuHelper.Install(topology.gpus, workload, topology.endpoints);
    CircuitSchedulerHelper schedulerHelper;
    schedulerHelper.SetAttribute("Algorithm", StringValue("greedy"));
    schedulerHelper.SetAttribute("MaxMatchings", UintegerValue(4));
    const ApplicationContainer scheduler =
        schedulerHelper.Install(CreateObject<Node>(), topology.ocs, apps);
    schedulerHelper.AssignStreams(scheduler, 20);

    // 4. Statistics from the trace sources; run; report.
    MoeStatsCollector stats;
    stats.Install(apps);
    stats.Install(DynamicCast<CircuitSchedulerApplication>(scheduler.Get(0)), topology.ocs);
    stats.SetFabric(topology.devices, topology.ocs, topology.eps);
    Simulator::Stop(MilliSeconds(100));
    Simulator::Run();
    const MoeLayerRunResult r = stats.Collect();
    Simulator::Destroy();

    const MoeLayerMeasurement& m = r.layers.at(0);
    std::cout << "layer time " << m.layerTimeNs / 1000.0 << " us (load bound "
              << m.loadBoundNs / 1000.0 << " us), " << m.numMatchings << " matchings, "
              << m.residualBytes << " residual bytes over the EPS, " << m.batches
              << " batches, compute efficiency " << m.computeEfficiency << '\n';
    for (const auto& g : r.gpus)
    {
        std::cout << "  GPU " << g.gpu << ": done at " << g.doneNs / 1000.0 << " us, " << g.batches
                  << " batches, " << g.tokens << " tokens\n";
    }
    if (!r.conserved)
    {
        std::cerr << "byte conservation violated: " << r.conservationErrors.front() << '\n';
        return 2;
    }
    return 0;
}
