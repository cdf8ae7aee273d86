/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_DECOMPOSER_H
#define PMOE_DECOMPOSER_H

/**
 * @file
 * @ingroup photonic-moe
 * The decomposition interface: parameters and policies, and the Decomposer base class. The
 * algorithms are in pmoe-NAME-decomposer.h, the shared ScheduleBuilder in
 * pmoe-schedule-builder.h, the registry and Decompose() in pmoe-decomposition.h.
 */

#include "pmoe-demand-matrix.h"
#include "pmoe-enum-names.h"
#include "pmoe-matching.h"
#include "pmoe-schedule-timeline.h"
#include "pmoe-schedule.h"
#include "pmoe-units.h"

#include <cstddef>
#include <string>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * How long a greedy matching is held.
 */
enum class DurationPolicy
{
    WHOLE_PAIR, //!< until its largest matched pair is fully served (one batch per pair)
    MIN_ENTRY,  //!< until its smallest matched pair is served (BvN-like)
    DELTA_AWARE //!< the duration maximising bytes served per (duration + delta) (Eclipse)
};

/**
 * @ingroup photonic-moe
 * Names of DurationPolicy: whole-pair, min-entry, delta-aware.
 */
template <>
struct EnumTable<DurationPolicy>
{
    static constexpr const char* kNoun = "duration policy"; //!< for messages
    static constexpr bool kIgnoreCase = false;              //!< names match exactly
    /** The names. */
    static constexpr EnumName<DurationPolicy> kNames[] = {
        {DurationPolicy::WHOLE_PAIR, "whole-pair"},
        {DurationPolicy::MIN_ENTRY, "min-entry"},
        {DurationPolicy::DELTA_AWARE, "delta-aware"},
    };
};

/**
 * @ingroup photonic-moe
 * What happens to demand left when the matching budget K is spent.
 */
enum class ResidualPolicy
{
    EPS,    //!< leave it for the electrical fabric; reported in Schedule::residual
    APPEND, //!< append matchings beyond K until everything is served
    RELAY   //!< relay over two hops through spare capacity of circuits in the schedule;
            //!< what cannot be relayed is left for the electrical fabric
};

/**
 * @ingroup photonic-moe
 * Names of ResidualPolicy: eps, append, relay.
 */
template <>
struct EnumTable<ResidualPolicy>
{
    static constexpr const char* kNoun = "residual policy"; //!< for messages
    static constexpr bool kIgnoreCase = false;              //!< names match exactly
    /** The names. */
    static constexpr EnumName<ResidualPolicy> kNames[] = {
        {ResidualPolicy::EPS, "eps"},
        {ResidualPolicy::APPEND, "append"},
        {ResidualPolicy::RELAY, "relay"},
    };
};

/**
 * @ingroup photonic-moe
 * How BvN and Solstice stuff a matrix to equal line sums.
 */
enum class StuffingMethod
{
    SINKHORN, //!< Sinkhorn-Knopp scaling to doubly stochastic, as in TMS (Mordia)
    QUICK     //!< Solstice's quick-stuff: add dummy demand up to the largest line sum
};

/**
 * @ingroup photonic-moe
 * Names of StuffingMethod: sinkhorn, quick.
 */
template <>
struct EnumTable<StuffingMethod>
{
    static constexpr const char* kNoun = "stuffing method"; //!< for messages
    static constexpr bool kIgnoreCase = false;              //!< names match exactly
    /** The names. */
    static constexpr EnumName<StuffingMethod> kNames[] = {
        {StuffingMethod::SINKHORN, "sinkhorn"},
        {StuffingMethod::QUICK, "quick"},
    };
};

/**
 * @ingroup photonic-moe
 * Parameters of a decomposition.
 */
struct DecompositionParams
{
    std::string algorithm{"greedy"};                           //!< a name DecomposerNames() lists
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
    ReconfigMode reconfigMode{ReconfigMode::ALL_STOP}; //!< switch mode "auto" plans for
    Bps epsRateBps{0}; //!< electrical rate per port "auto" may offload to; 0 = none
};

/**
 * @ingroup photonic-moe
 * Check everything a decomposition relies on: N >= 2, a positive rate, delta >= 0, a
 * tolerance in (0, 1), rotorSlotBytes >= 0, named enum values, and a total demand whose
 * bytes (<= 2^62) and circuit time (<= 2^61 ns) the core can represent.
 * @param demand the demand
 * @param params the parameters (the algorithm name is not checked here)
 * @throws InputError naming the offending value
 */
void ValidateDecompositionInputs(const DemandMatrix& demand, const DecompositionParams& params);

/**
 * @ingroup photonic-moe
 * A decomposition algorithm: turns a demand matrix into a Schedule. Subclasses are small:
 * they choose matchings and durations and leave the bookkeeping to a ScheduleBuilder
 * (pmoe-schedule-builder.h). MakeDecomposer() (pmoe-decomposition.h) selects one by name.
 *
 * @section pmoe-decomp-common Common rules
 * Everything is in bytes. A configuration holds its circuits for a slot of b bytes per circuit
 * direction: durationNs = TransmissionTimeNs(b, rate), and what it can carry is
 * BytesInNs(durationNs, rate) >= b. Every algorithm serves the remaining direct demand with one
 * rule (each circuit direction carries min(remaining, capacity); a duplex circuit carries both
 * directions, each at full rate: ServeConfiguration()), the same rule PlannedService()
 * applies, so for every pair planned direct bytes + relayed bytes + Schedule::residual ==
 * demand, exactly. Configuration::plannedBytes = direct bytes it serves + relay hop bytes it
 * carries (a relayed byte counts in both of its configurations); the fluid evaluator
 * (all-stop) reproduces it. The budget K = DecompositionParams::maxMatchings counts
 * configurations. Residual policies once K is spent: EPS leaves the rest in
 * Schedule::residual; APPEND ignores K (the algorithm keeps going; demand still left - BvN
 * tolerance crumbs, static - is served by greedy whole-pair matchings) and, if the schedule
 * exceeds K, appends "+append" to Schedule::algorithm; RELAY routes the rest over two hops
 * through spare capacity (RelayResidual(), pmoe-relay-residual.h) and leaves what does not
 * fit in the residual. An all-zero demand gives an empty schedule.
 *
 * The algorithms: GreedyDecomposer, BvnDecomposer, SolsticeDecomposer, EclipseDecomposer,
 * RotorDecomposer, StaticDecomposer.
 *
 * @section pmoe-decomp-add How to add a decomposer
 * 1. Declare a subclass in its own header, pmoe-NAME-decomposer.h, and implement Name()
 *    and Run() in the .cc; list both files in cmake/sources-scheduling.cmake.
 * 2. In Run(): call ValidateDecompositionInputs(), make a ScheduleBuilder, add
 *    configurations with ScheduleBuilder::AddConfiguration() (or AddMaxWeightMatching(),
 *    AddPermutation()) while ScheduleBuilder::RemainingBytes() > 0 and
 *    ScheduleBuilder::HasRoomForConfiguration(), and return ScheduleBuilder::Finish(), which
 *    applies the residual policy. The serving rule and the invariants above then hold.
 * 3. Register it: DecomposerRegistry::Default().Add("name", factory) makes it known to
 *    MakeDecomposer(), DecomposerNames(), Decompose() and everything built on them (the
 *    command line, the circuit scheduler application); a built-in algorithm is added in
 *    DecomposerRegistry's constructor (pmoe-decomposition.cc) instead.
 * 4. Add it to AllCombos() in test/core/decomposition-test.cc: the property test checks the
 *    invariants above for every combination listed there, and a test fails for a built-in
 *    algorithm missing from it.
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

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_DECOMPOSER_H */
