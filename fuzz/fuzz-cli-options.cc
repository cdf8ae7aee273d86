/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * libFuzzer target: the option parsing and validation of photonic-moe-schedule
 * (ns3::pmoe::ParseScheduleCliOptions(), utils/schedule-cli-options.h) on arbitrary
 * command lines. The input is split at '\n' into arguments (one argument per line, like the
 * seed corpus). Only CliUsageError may escape; accepted options must satisfy the limits the
 * parser promises.
 */

#include "schedule-cli-options.h"

#include "ns3/pmoe-units.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    std::vector<std::string> args;
    std::string current;
    for (std::size_t i = 0; i < size; ++i)
    {
        if (data[i] == '\n')
        {
            args.push_back(current);
            current.clear();
        }
        else
        {
            current.push_back(static_cast<char>(data[i]));
        }
    }
    if (!current.empty())
    {
        args.push_back(current);
    }
    try
    {
        ns3::pmoe::ScheduleCliOptions o = ns3::pmoe::ParseScheduleCliOptions(args);
        if (o.earlyOutput.empty() &&
            (o.matrixPath.empty() || o.decomposition.linkRateBps <= 0 || o.fluid.epsRateBps < 0 ||
             o.decomposition.reconfigDelayNs < 0 ||
             o.fluid.linkRateBps != o.decomposition.linkRateBps))
        {
            std::abort(); // accepted options that the parser promises to reject
        }
    }
    catch (const ns3::pmoe::CliUsageError&)
    {
    }
    return 0;
}
