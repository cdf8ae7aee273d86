/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_ECLIPSE_DECOMPOSER_H
#define PMOE_ECLIPSE_DECOMPOSER_H

/**
 * @file
 * @ingroup photonic-moe
 * Eclipse-style greedy: the (matching, duration) with most bytes per (duration + delta).
 */

#include "pmoe-decomposer.h"

#include <string>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * Eclipse-style greedy: the (matching, duration) with most bytes per (duration + delta).
 *
 * Repeat (up to K): candidate slots t = the distinct remaining entries, or 32 quantiles of
 * them when there are more than 32 (speed); for each, M_t = maximum-weight matching of
 * min(remaining, t) and value = sum over M_t of min(entry, t) / (t_ns + delta); take the best
 * (ties to the larger t). With delta = 0 this favours many short slots.
 */
class EclipseDecomposer : public Decomposer
{
  public:
    /** @return "eclipse" */
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

#endif /* PMOE_ECLIPSE_DECOMPOSER_H */
