/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_STATIC_DECOMPOSER_H
#define PMOE_STATIC_DECOMPOSER_H

/**
 * @file
 * @ingroup photonic-moe
 * A static topology: one max-weight matching held until its largest pair is served.
 */

#include "pmoe-decomposer.h"

#include <string>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * A static topology: one maximum-weight matching held until its largest pair is served; K is
 * ignored.
 */
class StaticDecomposer : public Decomposer
{
  public:
    /** @return "static" */
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

#endif /* PMOE_STATIC_DECOMPOSER_H */
