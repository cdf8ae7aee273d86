/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * libFuzzer target: ns3::pmoe::ImportRoutingTrace() on arbitrary bytes. The first byte
 * selects the format (bits 0-1: native, jsonl, selection, counts) and the GPUs (bits 2-3:
 * 0 = from the file, where allowed, else 2, 3 or 4); the second byte the other options
 * (bit 0: padExpert = -1; bit 1: skipTokens or skipBlocks = 1; bit 2: layer = 0; bits 3-4:
 * tokensPerGpu 0-3; bits 5-6: windows 0-3 when tokensPerGpu > 0). The rest is the text.
 * Only InputError may escape; an imported trace must be non-empty, have the GPUs asked for,
 * and round-trip through WriteRoutingTrace() and ParseRoutingTrace().
 */

#include "ns3/pmoe-trace-import.h"
#include "ns3/pmoe-units.h"
#include "ns3/pmoe-workload-io.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    using namespace ns3::pmoe;
    if (size < 2)
    {
        return 0;
    }
    const uint8_t a = data[0];
    const uint8_t b = data[1];
    TraceImportOptions o;
    o.format = static_cast<TraceFormat>(a & 3);
    const bool tokens = o.format == TraceFormat::JSONL || o.format == TraceFormat::SELECTION;
    const uint32_t gpuBits = (a >> 2) & 3;
    o.numGpus = gpuBits == 0 && !tokens ? 0 : gpuBits + 1 + (gpuBits == 0 ? 1 : 0);
    if (tokens)
    {
        o.havePadExpert = (b & 1) != 0;
        o.skipTokens = (b >> 1) & 1;
        o.tokensPerGpu = (b >> 3) & 3;
        o.windows = o.tokensPerGpu > 0 ? (b >> 5) & 3 : 1;
    }
    else if (o.format == TraceFormat::COUNTS)
    {
        o.skipBlocks = (b >> 1) & 1;
    }
    o.layer = (b & 4) != 0 ? 0 : -1;
    std::istringstream in(std::string(reinterpret_cast<const char*>(data + 2), size - 2));
    try
    {
        RoutingTrace t = ImportRoutingTrace(in, "fuzz", o);
        if (t.layers.empty() || (o.numGpus > 0 && t.numGpus != o.numGpus))
        {
            std::abort(); // documented: at least one layer, on the GPUs asked for
        }
        std::ostringstream out;
        WriteRoutingTrace(out, t);
        std::istringstream back(out.str());
        RoutingTrace u = ParseRoutingTrace(back, "round-trip");
        if (u.numGpus != t.numGpus || u.numExperts != t.numExperts || u.layers != t.layers)
        {
            std::abort(); // the importer made a trace the parser does not read back
        }
    }
    catch (const InputError&)
    {
    }
    return 0;
}
