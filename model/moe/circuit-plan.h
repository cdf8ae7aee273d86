/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef CIRCUIT_PLAN_H
#define CIRCUIT_PLAN_H

#include "ns3/nstime.h"
#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-schedule-timeline.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * What the circuit scheduler tells the hosts about one schedule it runs on the switch: its
 * timeline (when each circuit carries light: the same pmoe::ScheduleTimeline the switch runs,
 * in absolute nanoseconds) and how many bytes of each pair each configuration is planned to
 * carry, plus the residual left for the electrical fabric.
 *
 * A host releases the bytes planned for configuration k of a pair when its circuit starts
 * carrying light (ScheduleTimeline::CircuitLitFromNs: the step start for a circuit kept
 * through the reconfiguration, otherwise after delta), and the residual after the pair's
 * last circuit.
 */
struct CircuitPlan
{
    uint32_t layer{0};                       //!< layer index
    bool combine{false};                     //!< combine (true) or dispatch (false) traffic
    Time start;                              //!< when the schedule starts (first step)
    pmoe::ScheduleTimeline timeline;         //!< steps and circuits, absolute times (ns)
    std::vector<pmoe::DemandMatrix> planned; //!< per configuration: bytes planned per pair
    pmoe::DemandMatrix residual;             //!< bytes left for the electrical fabric
};

} // namespace ns3

#endif /* CIRCUIT_PLAN_H */
