/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * libFuzzer target: ns3::pmoe::ParseDemandMatrix() on arbitrary bytes.
 * Only InputError may escape the parser; anything else (another exception, a crash, a
 * sanitizer report) is a finding. A parsed matrix must satisfy the documented limits.
 */

#include "ns3/pmoe-matrix-io.h"
#include "ns3/pmoe-units.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    try
    {
        ns3::pmoe::DemandMatrix m = ns3::pmoe::ParseDemandMatrix(in, "fuzz");
        if (m.Size() < 2 || m.Size() > ns3::pmoe::kMaxMatrixPorts ||
            m.Total() > ns3::pmoe::kMaxMatrixEntryBytes)
        {
            std::abort(); // a matrix outside the documented limits was accepted
        }
    }
    catch (const ns3::pmoe::InputError&)
    {
    }
    return 0;
}
