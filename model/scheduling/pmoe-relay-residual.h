/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_RELAY_RESIDUAL_H
#define PMOE_RELAY_RESIDUAL_H

/**
 * @file
 * @ingroup photonic-moe
 * The residual policy RELAY (ResidualPolicy::RELAY): demand left when the budget K is spent
 * goes over two hops through the spare capacity of circuits already in the schedule.
 */

#include "pmoe-demand-matrix.h"
#include "pmoe-schedule.h"
#include "pmoe-units.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * The load of the circuit directions of one configuration, kept by ScheduleBuilder under the
 * relay policy.
 */
struct CircuitLoad
{
    std::vector<int32_t> peer; //!< per port: the port it transmits to, or -1
    std::vector<Bytes> used;   //!< per port: bytes planned on its transmitting direction
    Bytes capacity{0};         //!< what each circuit direction of the configuration carries
};

/**
 * @ingroup photonic-moe
 * Route remaining demand over two hops through spare circuit capacity. Pairs go by
 * decreasing remaining bytes (ties by (src, dst)); for each, first hops src -> k in
 * configuration a (ascending) and second hops k -> dst in a later configuration b
 * (ascending), each flow taking min(remaining, spare of both circuit directions), where
 * spare = capacity - planned load. Durations are never extended. Each relayed byte is added
 * to the plannedBytes of both configurations and recorded in Schedule::relays.
 * @param remaining demand still unplanned; reduced by what is relayed
 * @param loads one entry per configuration of @p schedule; updated
 * @param schedule the schedule; its configurations and relays are updated
 * @return the bytes relayed
 */
Bytes RelayResidual(DemandMatrix& remaining, std::vector<CircuitLoad>& loads, Schedule& schedule);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_RELAY_RESIDUAL_H */
