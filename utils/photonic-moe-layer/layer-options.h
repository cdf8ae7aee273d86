/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PHOTONIC_MOE_LAYER_OPTIONS_H
#define PHOTONIC_MOE_LAYER_OPTIONS_H

/**
 * @file
 * @ingroup photonic-moe
 * The command line of the photonic-moe-layer program: every option of a MoeLayerScenario,
 * the fabrics and algorithms to run, and where the results go.
 */

#include "ns3/moe-layer-scenario.h"

#include <string>
#include <vector>

namespace ns3
{
namespace layer
{

/** What the command line asks for. */
struct LayerProgram
{
    std::vector<MoeLayerScenario> scenarios;         //!< runs, in order (OCS runs, then ideal)
    std::string outputDir{"photonic-moe-layer-out"}; //!< CSV directory ("none": no CSV)
    std::string jsonFile;                            //!< JSON output ("": none)
    std::string timelineFile;                        //!< timeline CSV ("": none)
    bool hostTiming{false};                          //!< wall-clock fields in the JSON
    bool quiet{false};                               //!< no table, no progress
    bool sampleMemory{false};                        //!< rss.csv under outputDir
    /// also run the ideal fabric under every overlap policy and report the fastest
    /// (ideal_best_* in the JSON) when the ideal fabric is run
    bool idealBest{true};
};

/**
 * Parse the command line (ns-3 CommandLine; --PrintHelp lists every option).
 * @param argc argument count
 * @param argv arguments
 * @return the runs and outputs
 * @throws pmoe::InputError naming a bad option value (unknown options and values CommandLine
 *         cannot parse end the process with its own message)
 */
LayerProgram ParseLayerOptions(int argc, char* argv[]);

} // namespace layer
} // namespace ns3

#endif /* PHOTONIC_MOE_LAYER_OPTIONS_H */
