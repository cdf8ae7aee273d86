/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * libFuzzer target: ns3::pmoe::ParseRoutingTrace() and ns3::pmoe::ParsePlacement() on
 * arbitrary bytes. The first byte selects the parser (even: trace; odd: placement, with the
 * GPU count numGpus = first byte / 2, so that 0 = no bound is covered too); the rest is the
 * text. Only InputError may escape; a parsed trace must round-trip through
 * WriteRoutingTrace().
 */

#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-units.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    if (size == 0)
    {
        return 0;
    }
    const uint8_t selector = data[0];
    std::istringstream in(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
    try
    {
        if (selector % 2 == 0)
        {
            ns3::pmoe::RoutingTrace t = ns3::pmoe::ParseRoutingTrace(in, "fuzz");
            if (t.layers.empty())
            {
                std::abort(); // documented: at least one layer
            }
            std::ostringstream out;
            ns3::pmoe::WriteRoutingTrace(out, t);
            std::istringstream back(out.str());
            ns3::pmoe::RoutingTrace u = ns3::pmoe::ParseRoutingTrace(back, "round-trip");
            if (u.numGpus != t.numGpus || u.numExperts != t.numExperts ||
                u.layers.size() != t.layers.size())
            {
                std::abort(); // the writer and the parser disagree
            }
        }
        else
        {
            const uint32_t numGpus = selector / 2;
            std::vector<uint32_t> p = ns3::pmoe::ParsePlacement(in, "fuzz", numGpus);
            if (p.empty())
            {
                std::abort(); // documented: an empty placement is an error
            }
            for (uint32_t g : p)
            {
                if (numGpus > 0 && g >= numGpus)
                {
                    std::abort(); // an out-of-range GPU was accepted
                }
            }
        }
    }
    catch (const ns3::pmoe::InputError&)
    {
    }
    return 0;
}
