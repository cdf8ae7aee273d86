/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-static-decomposer.h"

#include "pmoe-schedule-builder.h"

namespace ns3
{
namespace pmoe
{

std::string
StaticDecomposer::Name() const
{
    return "static";
}

Schedule
StaticDecomposer::Run(const DemandMatrix& demand, const DecompositionParams& params)
{
    ValidateDecompositionInputs(demand, params);
    ScheduleBuilder b(demand, params, Name());
    if (b.RemainingBytes() > 0)
    {
        b.AddMaxWeightMatching(DurationPolicy::WHOLE_PAIR);
    }
    return b.Finish();
}

} // namespace pmoe
} // namespace ns3
