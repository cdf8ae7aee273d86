/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * libFuzzer target: ns3::pmoe::ParseScheduleJson() (JSON text, then the schedule loader) on
 * arbitrary bytes. Only InputError may escape. A schedule that loads must survive
 * ScheduleToJsonText() and load again with the same shape.
 */

#include "ns3/pmoe-schedule-json.h"
#include "ns3/pmoe-schedule.h"
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
        ns3::pmoe::Schedule s = ns3::pmoe::ParseScheduleJson(in, "fuzz");
        std::istringstream text(ns3::pmoe::ScheduleToJsonText(s));
        ns3::pmoe::Schedule back = ns3::pmoe::ParseScheduleJson(text, "round-trip");
        if (back.NumConfigurations() != s.NumConfigurations() || back.Ports() != s.Ports())
        {
            std::abort(); // the writer and the loader disagree
        }
    }
    catch (const ns3::pmoe::InputError&)
    {
    }
    return 0;
}
