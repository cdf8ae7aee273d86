/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * @ingroup photonic-moe
 * Compare circuit schedules on one MoE dispatch matrix with the fluid evaluator.
 *
 * The matrix is either read from a file (--matrix, the format of photonic-moe-schedule) or
 * generated: an expert-parallel layer with --gpus GPUs, --experts experts placed contiguously,
 * --tokens tokens per GPU, top---topK routing with Zipf(--zipf) expert popularity and hidden
 * size --hidden in BF16 (defaults: 16 GPUs, 64 experts, 1024 tokens, top-4, s = 0.6,
 * h = 7168, as DeepSeek-V3's hidden size). Every algorithm in --algorithms decomposes it; the
 * table shows matchings, makespan against the lower bounds rho/r and rho/r + Delta*delta,
 * bubbles and residual.
 *
 *     ./ns3 run "photonic-moe-compare --algorithms=greedy,bvn --reconfigDelay=10us"
 */

#include "ns3/command-line.h"
#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-matrix-io.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-schedule-json.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/** Split "a,b,c" into its parts. */
std::vector<std::string>
SplitList(const std::string& s)
{
    std::vector<std::string> parts;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        if (!item.empty())
        {
            parts.push_back(item);
        }
    }
    return parts;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string matrixFile;
    uint32_t gpus = 16;
    uint32_t experts = 64;
    uint32_t tokens = 1024;
    uint32_t topK = 4;
    double zipf = 0.6;
    uint32_t hidden = 7168;
    uint32_t seed = 1;
    std::string algorithms = "greedy,bvn,solstice,eclipse,rotor,static";
    uint32_t maxMatchings = 0;
    std::string circuitModel = "unidirectional";
    std::string durationPolicy = "whole-pair";
    std::string residualPolicy = "eps";
    std::string reconfigMode = "all-stop";
    Time reconfigDelay = MicroSeconds(10);
    DataRate linkRate("400Gbps");
    DataRate epsRate("100Gbps");
    bool json = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("matrix", "Demand matrix file (bytes); empty: generate an MoE layer", matrixFile);
    cmd.AddValue("gpus", "Generated layer: number of GPUs", gpus);
    cmd.AddValue("experts", "Generated layer: number of experts", experts);
    cmd.AddValue("tokens", "Generated layer: tokens per GPU", tokens);
    cmd.AddValue("topK", "Generated layer: experts per token", topK);
    cmd.AddValue("zipf", "Generated layer: Zipf exponent of expert popularity", zipf);
    cmd.AddValue("hidden", "Generated layer: hidden size (BF16 elements per token)", hidden);
    cmd.AddValue("seed", "Generated layer: routing seed", seed);
    cmd.AddValue("algorithms", "Comma-separated algorithms to compare", algorithms);
    cmd.AddValue("maxMatchings", "K, the matching budget (0 = unbounded)", maxMatchings);
    cmd.AddValue("circuitModel", "unidirectional | duplex", circuitModel);
    cmd.AddValue("durationPolicy", "whole-pair | min-entry | delta-aware", durationPolicy);
    cmd.AddValue("residualPolicy", "eps | append | relay", residualPolicy);
    cmd.AddValue("reconfigMode", "all-stop | changed-only", reconfigMode);
    cmd.AddValue("reconfigDelay", "Reconfiguration delay delta", reconfigDelay);
    cmd.AddValue("linkRate", "Circuit rate per port", linkRate);
    cmd.AddValue("epsRate", "Electrical fabric rate per port for residual (0 = none)", epsRate);
    cmd.AddValue("json",
                 "Print one JSON array (one object per algorithm) instead of a table",
                 json);
    cmd.Parse(argc, argv);

    try
    {
        pmoe::DemandMatrix demand;
        std::string source;
        if (!matrixFile.empty())
        {
            demand = pmoe::ReadDemandMatrix(matrixFile);
            source = matrixFile;
        }
        else
        {
            pmoe::MoeConfig moe;
            moe.numGpus = gpus;
            moe.numExperts = experts;
            moe.tokensPerGpu = tokens;
            moe.topK = topK;
            moe.hiddenSize = hidden;
            moe.routing = pmoe::RoutingKind::ZIPF;
            moe.zipfExponent = zipf;
            pmoe::MoeWorkload workload(moe, seed);
            demand = workload.Generate(0).dispatch;
            std::ostringstream os;
            os << "generated MoE layer: " << gpus << " GPUs, " << experts << " experts, top-"
               << topK << ", " << tokens << " tokens/GPU, Zipf s=" << zipf << ", seed " << seed;
            source = os.str();
        }

        pmoe::DecompositionParams params;
        params.model = pmoe::FromString<pmoe::CircuitModel>(circuitModel);
        params.maxMatchings = maxMatchings;
        params.durationPolicy = pmoe::FromString<pmoe::DurationPolicy>(durationPolicy);
        params.residualPolicy = pmoe::FromString<pmoe::ResidualPolicy>(residualPolicy);
        params.reconfigDelayNs = reconfigDelay.GetNanoSeconds();
        params.linkRateBps = static_cast<pmoe::Bps>(linkRate.GetBitRate());

        pmoe::FluidParams fluid;
        fluid.reconfigDelayNs = params.reconfigDelayNs;
        fluid.linkRateBps = params.linkRateBps;
        fluid.mode = pmoe::FromString<pmoe::ReconfigMode>(reconfigMode);
        fluid.epsRateBps = static_cast<pmoe::Bps>(epsRate.GetBitRate());

        nlohmann::json runs = nlohmann::json::array();
        if (!json)
        {
            std::cout << "photonic-moe-compare: " << source << "\n"
                      << "  " << demand.Size() << " ports, " << demand.Total() << " bytes, rho "
                      << demand.MaxLineSum() << " B, Delta " << demand.MaxLineNonZeros()
                      << ", delta " << reconfigDelay.GetNanoSeconds() / 1e3 << " us, rate "
                      << linkRate.GetBitRate() / 1e9 << " Gb/s\n\n";
            std::printf("%-9s %9s %12s %9s %9s %8s %9s %12s\n",
                        "algorithm",
                        "matchings",
                        "makespan_us",
                        "vs_rho/r",
                        "vs_LB+Dd",
                        "bubble%",
                        "residual%",
                        "stuffed_MB");
        }
        for (const std::string& algorithm : SplitList(algorithms))
        {
            params.algorithm = algorithm;
            pmoe::Schedule schedule = pmoe::Decompose(demand, params);
            pmoe::FluidResult r = pmoe::EvaluateSchedule(demand, schedule, fluid);
            if (r.bytesServed + r.residualBytes != demand.Total())
            {
                std::cerr << "photonic-moe-compare: error: conservation violated for " << algorithm
                          << ": served " << r.bytesServed << " + residual " << r.residualBytes
                          << " != demand " << demand.Total() << "\n";
                return 1;
            }
            if (json)
            {
                runs.push_back(nlohmann::json::parse(
                    pmoe::ScheduleToJsonText(schedule, demand, r, params, fluid)));
                continue;
            }
            std::printf("%-9s %9zu %12.1f %9.3f %9.3f %8.1f %9.2f %12.2f\n",
                        algorithm.c_str(),
                        schedule.NumConfigurations(),
                        r.makespanNs / 1e3,
                        static_cast<double>(r.makespanNs) / r.lowerBoundNs,
                        static_cast<double>(r.makespanNs) / r.lowerBoundReconfigNs,
                        100.0 * r.bubbleFraction,
                        100.0 * r.residualBytes / demand.Total(),
                        schedule.stuffedBytes / 1e6);
        }
        if (json)
        {
            std::cout << runs.dump(2) << "\n";
        }
        else
        {
            std::cout << "\nrho/r = " << pmoe::LoadLowerBoundNs(demand, params.linkRateBps) / 1e3
                      << " us; residual is carried by the electrical fabric at "
                      << epsRate.GetBitRate() / 1e9 << " Gb/s per port, in parallel.\n";
        }
    }
    catch (const pmoe::InputError& e)
    {
        std::cerr << "photonic-moe-compare: error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
