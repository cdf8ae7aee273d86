/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_DECOMPOSITION_H
#define PMOE_DECOMPOSITION_H

/**
 * @file
 * @ingroup photonic-moe
 * The entry point of the decompositions: the registry of algorithms by name,
 * MakeDecomposer(), DecomposerNames() and Decompose(). Includes everything a caller needs:
 * the parameters and the Decomposer interface (pmoe-decomposer.h), each algorithm
 * (pmoe-NAME-decomposer.h), the ScheduleBuilder and PlannedService()
 * (pmoe-schedule-builder.h), stuffing (pmoe-stuffing.h) and the Birkhoff decomposition
 * (pmoe-birkhoff.h).
 */

#include "pmoe-auto-scheduler.h"
#include "pmoe-birkhoff.h"
#include "pmoe-bvn-decomposer.h"
#include "pmoe-decomposer.h"
#include "pmoe-demand-matrix.h"
#include "pmoe-eclipse-decomposer.h"
#include "pmoe-greedy-decomposer.h"
#include "pmoe-matching.h"
#include "pmoe-rotor-decomposer.h"
#include "pmoe-schedule-builder.h"
#include "pmoe-schedule.h"
#include "pmoe-solstice-decomposer.h"
#include "pmoe-static-decomposer.h"
#include "pmoe-stuffing.h"
#include "pmoe-sunflow-decomposer.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * Decomposition algorithms by name. A new registry knows the built-in algorithms; Default()
 * is the one MakeDecomposer(), DecomposerNames() and Decompose() use, and the place to
 * register a new algorithm (see Decomposer, "How to add a decomposer"). Like ns-3's TypeId
 * registry, it is meant to be extended at start-up, before decompositions run.
 */
class DecomposerRegistry
{
  public:
    /** Makes a new decomposer. */
    using Factory = std::function<std::unique_ptr<Decomposer>()>;

    /** A registry with greedy, bvn, solstice, eclipse, rotor, static, sunflow and auto, in that
     *  order. */
    DecomposerRegistry();

    /** @return the registry MakeDecomposer(), DecomposerNames() and Decompose() use */
    static DecomposerRegistry& Default();

    /**
     * Register an algorithm.
     * @param name its name (non-empty, not registered yet)
     * @param factory makes a new instance
     * @throws InputError on an empty or taken name or an empty factory
     */
    void Add(const std::string& name, Factory factory);

    /**
     * @param name a registered name
     * @return a new decomposer
     * @throws InputError "unknown decomposition algorithm 'x' (expected greedy, bvn, ...)"
     */
    std::unique_ptr<Decomposer> Make(const std::string& name) const;

    /** @return every registered name, in registration order */
    std::vector<std::string> Names() const;

  private:
    std::vector<std::pair<std::string, Factory>> m_factories; //!< in registration order
};

/**
 * @ingroup photonic-moe
 * @param name a name DecomposerNames() lists: greedy | bvn | solstice | eclipse | rotor |
 *        static | sunflow | auto, or one registered since
 * @return a new decomposer
 * @throws InputError naming @p name if unknown
 */
std::unique_ptr<Decomposer> MakeDecomposer(const std::string& name);

/**
 * @ingroup photonic-moe
 * @return names of every algorithm MakeDecomposer() knows
 */
std::vector<std::string> DecomposerNames();

/**
 * @ingroup photonic-moe
 * Validate @p params and @p demand, then run the named algorithm.
 * @param demand demand matrix (N >= 2)
 * @param params parameters
 * @return the schedule
 * @throws InputError naming the offending value
 */
Schedule Decompose(const DemandMatrix& demand, const DecompositionParams& params);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_DECOMPOSITION_H */
