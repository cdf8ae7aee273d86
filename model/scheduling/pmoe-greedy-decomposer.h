/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_GREEDY_DECOMPOSER_H
#define PMOE_GREEDY_DECOMPOSER_H

/**
 * @file
 * @ingroup photonic-moe
 * Greedy max-weight decomposition (seed paper).
 */

#include "pmoe-decomposer.h"

#include <string>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * The greedy max-weight decomposition of the seed paper ("Birkhoff Decompositions and
 * Photonic Interconnects Wait! Don't Forget the Compute!").
 *
 * Repeat (up to K): M = maximum-weight matching of the remaining demand (duplex: pair weight
 * D(i,j) + D(j,i)); hold it per DurationPolicy (ScheduleBuilder::SlotBytesFor()). A
 * circuit's need is its larger direction. WHOLE_PAIR: the largest need (every matched pair
 * is served completely in this matching); MIN_ENTRY: the smallest need; DELTA_AWARE: among
 * the matched directional entries t, the one maximising sum(min(entry, t)) / (t_ns + delta),
 * ties to the larger t. Matcher workspaces are reused between iterations.
 */
class GreedyDecomposer : public Decomposer
{
  public:
    /** @return "greedy" */
    std::string Name() const override;

    /**
     * @param demand the demand
     * @param params parameters
     * @return the schedule (see Decomposer::Run())
     */
    Schedule Run(const DemandMatrix& demand, const DecompositionParams& params) override;
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_GREEDY_DECOMPOSER_H */
