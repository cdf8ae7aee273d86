/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_FLUID_EVALUATOR_H
#define PMOE_FLUID_EVALUATOR_H

#include "pmoe-demand-matrix.h"
#include "pmoe-schedule-timeline.h"
#include "pmoe-schedule.h"

#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**

 * @ingroup photonic-moe

 * Parameters of the fluid (flow-level) evaluation.

 */
struct FluidParams
{
    Ns reconfigDelayNs{10000};                 //!< delta before every configuration
    Bps linkRateBps{400000000000};             //!< circuit rate per port
    ReconfigMode mode{ReconfigMode::ALL_STOP}; //!< reconfiguration mode
    Bps epsRateBps{0}; //!< electrical fabric rate per port for residual; 0 = none
};

/**

 * @ingroup photonic-moe

 * What one configuration achieved.

 */
struct ConfigurationResult
{
    Ns startNs{0};          //!< when its new circuits light up
    Ns endNs{0};            //!< when it ends
    Bytes bytesServed{0};   //!< bytes carried (direct and relayed hops)
    Bytes capacityBytes{0}; //!< circuits x lit time x rate
    Ns bubbleNs{0};         //!< sum over its circuits of lit time with nothing to send
};

/**

 * @ingroup photonic-moe

 * Result of evaluating a schedule on a demand.

 */
struct FluidResult
{
    Ns makespanNs{0};        //!< max(circuit makespan, electrical time)
    Ns circuitMakespanNs{0}; //!< end of the last configuration (with deltas)
    Ns epsTimeNs{0};         //!< time for the residual on the electrical fabric (0: none)
    /// when the last demand byte is through: the latest lit start + carried bytes / rate of a
    /// circuit that carries bytes (bytes go out as soon as a circuit to their destination is
    /// lit), or epsTimeNs; configurations after it carry nothing
    Ns lastByteNs{0};
    Bytes bytesServed{0};            //!< demand bytes delivered over circuits
    Bytes residualBytes{0};          //!< demand bytes not delivered over circuits
    Bytes relayedBytes{0};           //!< demand bytes delivered over two hops
    std::size_t reconfigurations{0}; //!< number of reconfigurations (one per configuration
                                     //!< that changes something, including the first)
    Ns reconfigTimeNs{0};            //!< total time spent reconfiguring
    Ns bubbleNs{0};                  //!< sum over circuits of lit time with nothing to send
    double bubbleFraction{0};        //!< bubbleNs / total circuit lit time
    double utilisation{0};           //!< bytes carried / capacity of all circuits
    Ns lowerBoundNs{0};              //!< rho / r
    Ns lowerBoundReconfigNs{0};      //!< rho / r + Delta * delta
    DemandMatrix residual;           //!< per-pair residual
    std::vector<ConfigurationResult> configs; //!< per configuration
    bool epsUnavailable{false}; //!< residual left but no electrical fabric (makespan infinite)
};

/**
 * Serve @p demand with @p schedule: each configuration's circuits carry, in order, the
 * remaining direct demand of their pair, then planned relay first hops, then relay second
 * hops already stored at the intermediate port. Residual goes to the electrical fabric, which
 * runs in parallel with the circuits (each port limited to epsRateBps).
 *
 * Timeline: delta precedes every configuration under ALL_STOP. Under CHANGED_ONLY a
 * configuration whose circuit set equals the previous one costs no delta and no
 * reconfiguration; otherwise delta is spent, and circuits kept from the previous
 * configuration stay lit through it (their lit time is delta + duration and they carry
 * traffic meanwhile); new circuits light up after delta. A circuit direction carries
 * BytesInNs(lit time, rate); a duplex circuit carries both directions, each at full rate.
 * Relay first hops take at most the flow's planned bytes and the pair's remaining demand;
 * second hops forward what the intermediate port stores. Bytes stranded at an intermediate
 * port (second hop short of capacity) count as residual. With ALL_STOP the result reproduces
 * the decomposition's plan exactly (per configuration bytesServed == plannedBytes).
 *
 * Accounting: ConfigurationResult::bytesServed counts hop bytes (a relayed byte counts in
 * both configurations); FluidResult::bytesServed counts demand bytes delivered, so
 * bytesServed + residualBytes == demand total. capacityBytes counts both directions of a
 * duplex circuit. The bubble of a circuit is its lit time minus the time its carried bytes
 * need (duplex: the busier direction); bubbleFraction = bubbleNs / total lit time of all
 * circuits; utilisation = carried bytes / capacity. epsTimeNs = TransmissionTimeNs(largest
 * row or column sum of the residual, epsRateBps); if residual is left and epsRateBps is 0,
 * epsUnavailable is set and makespanNs is the circuit makespan alone (the true makespan is
 * unbounded). lowerBoundReconfigNs = rho / r + Delta x delta is a bound only when all demand
 * rides circuits under ALL_STOP; it is reported regardless.
 * @param demand demand matrix
 * @param schedule schedule for the same port count
 * @param params evaluation parameters
 * @return the result
 * @throws InputError on a port-count mismatch or bad parameters
 */
FluidResult EvaluateSchedule(const DemandMatrix& demand,
                             const Schedule& schedule,
                             const FluidParams& params);

/**
 * Lower bound rho / r on any schedule's makespan.
 * @param demand demand
 * @param linkRateBps rate
 * @return ceil(rho * 8e9 / r) ns
 */
Ns LoadLowerBoundNs(const DemandMatrix& demand, Bps linkRateBps);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_FLUID_EVALUATOR_H */
