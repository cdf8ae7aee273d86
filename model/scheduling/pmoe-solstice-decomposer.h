/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_SOLSTICE_DECOMPOSER_H
#define PMOE_SOLSTICE_DECOMPOSER_H

/**
 * @file
 * @ingroup photonic-moe
 * Solstice: quick-stuff, then big slices by halving thresholds.
 */

#include "pmoe-decomposer.h"

#include <string>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * Solstice: QuickStuff(), then with r = the largest power of two <= the largest stuffed
 * entry: while a perfect matching on the stuffed entries >= r exists, take it (warm-started
 * augmenting paths, deterministic) with slot = its smallest stuffed entry (>= r) and
 * subtract; otherwise halve r. Stops when the stuffed matrix or the real demand is exhausted,
 * or at K. Schedule::stuffedBytes as for BvnDecomposer.
 */
class SolsticeDecomposer : public Decomposer
{
  public:
    /** @return "solstice" */
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

#endif /* PMOE_SOLSTICE_DECOMPOSER_H */
