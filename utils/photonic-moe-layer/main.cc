/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * @ingroup photonic-moe
 * photonic-moe-layer: the full-featured scenario driver. A whole MoE layer at packet level -
 * dispatch -> expert compute -> combine - over the optical circuit switch with each
 * requested schedule, and over the ideal non-blocking electrical fabric, side by side.
 *
 * With no arguments: 16 GPUs, 64 experts, top-4, 1024 tokens per GPU (DeepSeek-V3 hidden
 * size, BF16), 400 Gb/s, delta = 10 us; greedy (OCS), BvN (OCS) and the ideal fabric.
 * --json=FILE writes one object per run; per-layer, per-GPU and fault-counter CSV
 * (layers.csv, gpus.csv, faults.csv; clusters also planes.csv and servers.csv) go under
 * --outputDir; --timeline=FILE writes circuit and compute intervals. --PrintHelp lists every
 * option.
 *
 * Exit status: 0 on success; 1 on bad input (one-line error naming the value); 2 if a run
 * violated byte conservation (some byte sent was not delivered, or a layer did not finish).
 */

#include "layer-options.h"
#include "layer-report.h"

#include "ns3/moe-layer-scenario.h"
#include "ns3/pmoe-units.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/**
 * Open a file for writing.
 * @param path the file
 * @param what what it holds, for the message
 * @return the stream
 * @throws pmoe::InputError if it cannot be opened
 */
std::ofstream
OpenOutput(const std::string& path, const std::string& what)
{
    std::ofstream os(path);
    if (!os)
    {
        throw pmoe::InputError("cannot write " + what + " '" + path + "'");
    }
    return os;
}

/**
 * The strongest ideal baseline: the ideal fabric run under every overlap policy (the run
 * already in @p runs is reused for its own policy); the fastest wins, ties to the earlier
 * policy in the list none, per-matching, threshold, streaming.
 * @param program what the command line asks for
 * @param runs the runs done so far (the ideal run among them, if any)
 * @return the baseline; not valid if the program has no ideal-fabric scenario or a run did
 *         not conserve its bytes
 */
layer::IdealBaseline
RunIdealBaseline(const layer::LayerProgram& program, const std::vector<MoeLayerRunResult>& runs)
{
    layer::IdealBaseline best;
    const MoeLayerScenario* ideal = nullptr;
    const MoeLayerRunResult* idealRun = nullptr;
    for (std::size_t i = 0; i < program.scenarios.size() && i < runs.size(); ++i)
    {
        if (program.scenarios[i].fabric == "ideal")
        {
            ideal = &program.scenarios[i];
            idealRun = &runs[i];
        }
    }
    if (!ideal)
    {
        return best;
    }
    bool conserved = true;
    for (const std::string policy : {"none", "per-matching", "threshold", "streaming"})
    {
        int64_t ns = 0;
        if (policy == ideal->overlap)
        {
            ns = idealRun->total.layerTimeNs;
            conserved = conserved && idealRun->conserved;
        }
        else
        {
            MoeLayerScenario s = *ideal;
            s.overlap = policy;
            s.showProgress = false;
            s.recordTimeline = false;
            s.sampleRss = false;
            if (!program.quiet)
            {
                std::cerr << "running ideal (overlap " << policy << ") for the baseline ..."
                          << std::endl;
            }
            const MoeLayerRunResult r = s.Run();
            for (const auto& e : r.conservationErrors)
            {
                std::cerr << "conservation violated (ideal, overlap " << policy << "): " << e
                          << '\n';
            }
            conserved = conserved && r.conserved;
            ns = r.total.layerTimeNs;
        }
        best.byPolicy.emplace_back(policy, ns);
        if (best.policy.empty() || ns < best.layerTimeNs)
        {
            best.layerTimeNs = ns;
            best.policy = policy;
        }
    }
    best.valid = conserved;
    return best;
}

/**
 * Run every scenario and write the outputs.
 * @param program what the command line asks for
 * @return the exit status
 */
int
RunProgram(const layer::LayerProgram& program)
{
    for (const auto& s : program.scenarios)
    {
        s.Validate(); // fail before running anything
    }
    std::vector<MoeLayerRunResult> runs;
    bool conserved = true;
    for (const auto& s : program.scenarios)
    {
        if (!program.quiet)
        {
            std::cerr << "running " << s.fabric << (s.fabric == "ocs" ? ":" + s.algorithm : "")
                      << " ..." << std::endl;
        }
        runs.push_back(s.Run());
        const MoeLayerRunResult& r = runs.back();
        for (const auto& e : r.conservationErrors)
        {
            std::cerr << "conservation violated (" << r.fabric << ":" << r.algorithm << "): " << e
                      << '\n';
        }
        conserved = conserved && r.conserved;
        if (!program.quiet)
        {
            std::cerr << "  done in " << std::fixed << std::setprecision(2) << r.wallSeconds
                      << " s wall clock" << std::endl;
        }
    }
    const layer::IdealBaseline idealBest =
        program.idealBest ? RunIdealBaseline(program, runs) : layer::IdealBaseline();
    if (!program.quiet)
    {
        layer::PrintTable(runs);
        if (idealBest.valid)
        {
            std::cout << "ideal best: " << std::fixed << std::setprecision(1)
                      << static_cast<double>(idealBest.layerTimeNs) / 1000.0 << " us ("
                      << idealBest.policy << "; ";
            for (std::size_t i = 0; i < idealBest.byPolicy.size(); ++i)
            {
                std::cout << (i ? ", " : "") << idealBest.byPolicy[i].first << " "
                          << static_cast<double>(idealBest.byPolicy[i].second) / 1000.0;
            }
            std::cout << ")\n";
        }
    }
    if (!program.outputDir.empty() && program.outputDir != "none")
    {
        std::filesystem::create_directories(program.outputDir);
        std::ofstream layers = OpenOutput(program.outputDir + "/layers.csv", "CSV file");
        std::ofstream gpus = OpenOutput(program.outputDir + "/gpus.csv", "CSV file");
        std::ofstream faults = OpenOutput(program.outputDir + "/faults.csv", "CSV file");
        layer::WriteLayerCsv(layers, runs);
        layer::WriteGpuCsv(gpus, runs);
        layer::WriteFaultCsv(faults, runs);
        if (std::any_of(runs.begin(), runs.end(), [](const MoeLayerRunResult& r) {
                return !r.planes.empty();
            }))
        {
            std::ofstream planes = OpenOutput(program.outputDir + "/planes.csv", "CSV file");
            layer::WritePlaneCsv(planes, runs);
        }
        if (std::any_of(runs.begin(), runs.end(), [](const MoeLayerRunResult& r) {
                return !r.servers.empty();
            }))
        {
            std::ofstream servers = OpenOutput(program.outputDir + "/servers.csv", "CSV file");
            layer::WriteServerCsv(servers, runs);
        }
        if (program.sampleMemory)
        {
            std::ofstream rss = OpenOutput(program.outputDir + "/rss.csv", "CSV file");
            layer::WriteMemoryCsv(rss, runs);
        }
    }
    if (!program.jsonFile.empty())
    {
        std::ofstream js = OpenOutput(program.jsonFile, "JSON file");
        layer::WriteJson(js, runs, program.hostTiming, idealBest);
    }
    if (!program.timelineFile.empty())
    {
        std::ofstream tl = OpenOutput(program.timelineFile, "timeline file");
        layer::WriteTimelineCsv(tl, runs);
    }
    if (!conserved)
    {
        std::cerr << "error: byte conservation violated (see above)\n";
        return 2;
    }
    return 0;
}

} // namespace

/**
 * The program.
 * @param argc argument count
 * @param argv arguments (--PrintHelp lists them)
 * @return the exit status
 */
int
main(int argc, char* argv[])
{
    try
    {
        return RunProgram(layer::ParseLayerOptions(argc, argv));
    }
    catch (const std::exception& e)
    {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
}
