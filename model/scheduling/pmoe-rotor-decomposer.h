/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_ROTOR_DECOMPOSER_H
#define PMOE_ROTOR_DECOMPOSER_H

/**
 * @file
 * @ingroup photonic-moe
 * Demand-oblivious rotor: a fixed cycle of matchings with equal slots.
 */

#include "pmoe-decomposer.h"

#include <cstddef>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * The matchings of one rotor cycle. Unidirectional: the shifts sigma_k(i) = (i + k) mod n,
 * k = 1..n-1. Duplex: the rounds of a round-robin tournament (circle method; n odd: one port
 * idles per round, n rounds), circuits sorted.
 * @param n number of ports
 * @param model circuit model
 * @return the rounds in order
 */
std::vector<std::vector<Circuit>> RotorRounds(std::size_t n, CircuitModel model);

/**
 * @ingroup photonic-moe
 * One rotor cycle as a demand-oblivious schedule: every round of RotorRounds() held for the
 * same slot (to loop it on a switch: OpticalCircuitSwitch::RunSchedule with loop).
 * @param n number of ports, >= 2
 * @param model circuit model
 * @param slotNs lit time of each configuration, >= 0
 * @return the schedule (algorithm "rotor")
 * @throws InputError on n < 2 or a negative slot
 */
Schedule RotorSchedule(std::size_t n, CircuitModel model, Ns slotNs);

/**
 * @ingroup photonic-moe
 * Demand-oblivious rotor: a fixed cycle of matchings with equal slots.
 *
 * Unidirectional shifts sigma_k(i) = (i + k) mod N, k = 1..N-1; duplex: round-robin
 * tournament rounds (circle method; N odd: one port idles per round, N rounds). Equal slots
 * of rotorSlotBytes (0: the largest entry, so one cycle serves everything), cycling until
 * all is served or K. A slot needing more than 10^6 configurations is rejected.
 */
class RotorDecomposer : public Decomposer
{
  public:
    /** @return "rotor" */
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

#endif /* PMOE_ROTOR_DECOMPOSER_H */
