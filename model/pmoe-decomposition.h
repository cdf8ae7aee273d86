/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_DECOMPOSITION_H
#define PMOE_DECOMPOSITION_H

#include "pmoe-demand-matrix.h"
#include "pmoe-matching.h"
#include "pmoe-schedule.h"

#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/** @ingroup photonic-moe How long a greedy matching is held. */
enum class DurationPolicy
{
    WHOLE_PAIR, //!< until its largest matched pair is fully served (one batch per pair)
    MIN_ENTRY,  //!< until its smallest matched pair is served (BvN-like)
    DELTA_AWARE //!< the duration maximising bytes served per (duration + delta) (Eclipse)
};

/** @ingroup photonic-moe What happens to demand left when the matching budget K is spent. */
enum class ResidualPolicy
{
    EPS,    //!< leave it for the electrical fabric; reported in Schedule::residual
    APPEND, //!< append matchings beyond K until everything is served
    RELAY   //!< relay over two hops through spare capacity of circuits in the schedule;
            //!< what cannot be relayed is left for the electrical fabric
};

/** @ingroup photonic-moe How BvN and Solstice stuff a matrix to equal line sums. */
enum class StuffingMethod
{
    SINKHORN, //!< Sinkhorn-Knopp scaling to doubly stochastic, as in TMS (Mordia)
    QUICK     //!< Solstice's quick-stuff: add dummy demand up to the largest line sum
};

/** @ingroup photonic-moe Parameters of a decomposition. */
struct DecompositionParams
{
    std::string algorithm{"greedy"}; //!< greedy | bvn | solstice | eclipse | rotor | static
    CircuitModel model{CircuitModel::UNIDIRECTIONAL};          //!< circuit model
    std::size_t maxMatchings{0};                               //!< K; 0 = unbounded
    DurationPolicy durationPolicy{DurationPolicy::WHOLE_PAIR}; //!< greedy duration policy
    ResidualPolicy residualPolicy{ResidualPolicy::EPS};        //!< residual policy
    MatchingAlgorithm matching{MatchingAlgorithm::EXACT};      //!< exact or greedy matching
    StuffingMethod stuffing{StuffingMethod::SINKHORN};         //!< BvN stuffing
    double bvnTolerance{1e-6};     //!< BvN stops when the remaining mass < tolerance x total
    Ns reconfigDelayNs{10000};     //!< delta, used by delta-aware choices (eclipse)
    Bps linkRateBps{400000000000}; //!< circuit rate, converts bytes to durations
    Bytes rotorSlotBytes{0};       //!< rotor slot in bytes; 0 = the largest entry (one cycle)
};

/** @param p policy @return its name */
std::string ToString(DurationPolicy p);
/** @param p policy @return its name */
std::string ToString(ResidualPolicy p);
/** @param p method @return its name */
std::string ToString(StuffingMethod p);
/** @param s name @return the policy @throws InputError naming @p s */
DurationPolicy DurationPolicyFromString(const std::string& s);
/** @param s name @return the policy @throws InputError naming @p s */
ResidualPolicy ResidualPolicyFromString(const std::string& s);
/** @param s name @return the method @throws InputError naming @p s */
StuffingMethod StuffingMethodFromString(const std::string& s);

/**
 * @ingroup photonic-moe
 * A decomposition algorithm: turns a demand matrix into a Schedule. Subclasses are small;
 * MakeDecomposer() selects one by name.
 */
class Decomposer
{
  public:
    virtual ~Decomposer() = default;

    /** @return the algorithm's name as used on the command line */
    virtual std::string Name() const = 0;

    /**
     * Decompose @p demand.
     * @param demand the demand (validated)
     * @param params parameters (validated by Decompose())
     * @return the schedule, with residual, stuffed bytes and relays filled in; for every pair
     *         the bytes planned on circuits (direct and relayed) plus the residual equal the
     *         demand exactly
     */
    virtual Schedule Run(const DemandMatrix& demand, const DecompositionParams& params) = 0;
};

/**
 * @param name greedy | bvn | solstice | eclipse | rotor | static
 * @return a new decomposer
 * @throws InputError naming @p name if unknown
 */
std::unique_ptr<Decomposer> MakeDecomposer(const std::string& name);

/** @return names of every algorithm MakeDecomposer() knows */
std::vector<std::string> DecomposerNames();

/**
 * Validate @p params and @p demand, then run the named algorithm.
 * @param demand demand matrix (N >= 2)
 * @param params parameters
 * @return the schedule
 * @throws InputError naming the offending value
 */
Schedule Decompose(const DemandMatrix& demand, const DecompositionParams& params);

/**
 * Bytes each configuration of @p schedule delivers to each pair when its circuits serve the
 * demand in order (direct traffic only), as planned by the decomposition.
 * Used by tests and by the packet-level scheduler to tell hosts what to send in each phase.
 * @param demand the demand
 * @param schedule the schedule
 * @param linkRateBps circuit rate
 * @return per configuration, an N x N matrix of bytes served
 */
std::vector<DemandMatrix> PlannedService(const DemandMatrix& demand,
                                         const Schedule& schedule,
                                         Bps linkRateBps);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_DECOMPOSITION_H */
