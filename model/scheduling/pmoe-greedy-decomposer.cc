/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-greedy-decomposer.h"

#include "pmoe-schedule-builder.h"

namespace ns3
{
namespace pmoe
{

std::string
GreedyDecomposer::Name() const
{
    return "greedy";
}

Schedule
GreedyDecomposer::Run(const DemandMatrix& demand, const DecompositionParams& params)
{
    ValidateDecompositionInputs(demand, params);
    ScheduleBuilder b(demand, params, Name());
    b.AddMaxWeightMatchings(params.durationPolicy, true);
    return b.Finish();
}

} // namespace pmoe
} // namespace ns3
