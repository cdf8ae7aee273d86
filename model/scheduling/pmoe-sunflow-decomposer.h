/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_SUNFLOW_DECOMPOSER_H
#define PMOE_SUNFLOW_DECOMPOSER_H

/**
 * @file
 * @ingroup photonic-moe
 * Sunflow-style non-preemptive circuit scheduling for a switch that reconfigures per port.
 */

#include "pmoe-decomposer.h"

#include <string>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * A Sunflow-style baseline (after Huang et al., "Sunflow: Efficient Optical Circuit
 * Scheduling for Coflows", CoNEXT 2016): non-preemptive circuits on a switch that
 * reconfigures only the ports whose circuit changes (ReconfigMode::CHANGED_ONLY).
 *
 * Rules. A circuit, once set up, stays until its pair's demand (duplex: both directions) is
 * served; it is never torn down earlier. Whenever ports become free, the free ports are
 * matched greedily by remaining demand (largest pair first, ties to the lower (src, dst)); a
 * pair gets exactly one circuit. A finished circuit stays in place (idle, at no cost) until
 * one of its ports is needed by a new circuit.
 *
 * The schedule is expressed as configurations on the changed-only timeline
 * (ScheduleTimeline): a configuration that adds circuits spends delta, during which the
 * circuits it keeps go on carrying traffic; its new circuits light after delta. A
 * configuration ends at the first moment a new circuit can be set up (a pair with remaining
 * demand whose ports have both finished), or when everything is served. Because a step's new
 * circuits must light before the next step begins, a circuit that finishes during another
 * port's reconfiguration waits for that delta to end (the model's only departure from a fully
 * asynchronous switch).
 *
 * Plan: Configuration::plannedBytes and Schedule::residual are what the fluid evaluator in
 * CHANGED_ONLY mode delivers, byte for byte; evaluated all-stop, kept circuits lose the
 * capacity of every delta and demand is left over. Budget: K configurations (the rest is
 * residual); APPEND ignores K; RELAY does not relay (the rest is residual, as with EPS).
 */
class SunflowDecomposer : public Decomposer
{
  public:
    /** @return "sunflow" */
    std::string Name() const override;

    /**
     * @param demand the demand
     * @param params parameters (reconfigDelayNs, linkRateBps, model, maxMatchings,
     *        residualPolicy are used)
     * @return the schedule, planned for a changed-only switch
     */
    Schedule Run(const DemandMatrix& demand, const DecompositionParams& params) override;
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_SUNFLOW_DECOMPOSER_H */
