/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_BVN_DECOMPOSER_H
#define PMOE_BVN_DECOMPOSER_H

/**
 * @file
 * @ingroup photonic-moe
 * Birkhoff-von Neumann decomposition after Sinkhorn or quick stuffing.
 */

#include "pmoe-decomposer.h"

#include <string>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * Birkhoff-von Neumann decomposition after stuffing (pmoe-stuffing.h, pmoe-birkhoff.h).
 *
 * SINKHORN (TMS-style): SinkhornStuff(), BirkhoffDecompose() with bottleneck matchings, then
 * slot_k = c_k x s + e_k: one scale s for all terms plus per-term extensions so that every
 * pair covered by some term is served completely, with s minimising the total slot time (see
 * the .cc; the textbook s = max D/S lets one tiny entry of S inflate every slot). QUICK
 * (Solstice's stuffing): QuickStuff(), exact integer BirkhoffDecompose(), slot = coefficient.
 * Terms are scheduled in decreasing slot order (with K > 0 the K largest are kept) and
 * scheduling stops once the real demand is served (later terms would carry only dummy
 * demand). Schedule::stuffedBytes = slot bytes reserved for the permutation arcs of the
 * scheduled configurations minus the real demand those configurations carry (>= 0): the
 * dummy demand the schedule carries. The circuit capacity left unused by real demand in
 * general (bubbles) is what the fluid evaluator reports. Duplex: each permutation is realised
 * with duplex circuits (ScheduleBuilder::AddPermutation()): a 2-cycle i <-> j by one circuit,
 * a longer cycle by colouring its edges (two configurations, three for an odd cycle), all
 * with the term's slot.
 */
class BvnDecomposer : public Decomposer
{
  public:
    /** @return "bvn" */
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

#endif /* PMOE_BVN_DECOMPOSER_H */
