/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_UNITS_H
#define PMOE_UNITS_H

/**
 * @defgroup photonic-moe Photonic MoE
 * Packet-level simulation of Mixture-of-Experts expert-parallel layers over a reconfigurable
 * optical circuit switch: the scheduling core (model/scheduling, namespace ns3::pmoe: demand
 * matrices, schedules and their timeline, matchings, decompositions, fluid evaluator, MoE
 * workload and compute model), the network model (model/ocs: OpticalCircuitSwitch,
 * OcsNetDevice, ElectricalPacketSwitch, OcsEpsPolicy) and the MoE layer (model/moe:
 * MoeGpuApplication, CircuitSchedulerApplication, GpuComputeModel, MoeTransport,
 * MoeBatchPolicy), with helpers in helper/. See doc/architecture.rst.
 */

/**
 * @file
 * @ingroup photonic-moe
 * Integer units of the scheduling core. The core has no ns-3 types: ns-3 classes convert
 * Time and DataRate to these at the boundary.
 */

#include <cstdint>
#include <stdexcept>
#include <string>

namespace ns3
{
namespace pmoe
{

using Bytes = int64_t; //!< a byte count (non-negative wherever it is a demand)
using Ns = int64_t;    //!< a duration or instant in nanoseconds
using Bps = int64_t;   //!< a data rate in bits per second

/**
 * @ingroup photonic-moe
 * Error raised by the scheduling core for invalid input (bad matrix, bad parameter).
 * The message names the offending value.
 */
class InputError : public std::invalid_argument
{
  public:
    using std::invalid_argument::invalid_argument;
};

/**
 * Time to serialise @p bytes at @p rate, rounded up to a whole nanosecond.
 * @param bytes byte count, >= 0
 * @param rate rate in bit/s, > 0
 * @return ceil(bytes * 8e9 / rate) in ns
 */
Ns TransmissionTimeNs(Bytes bytes, Bps rate);

/**
 * Bytes that fit in @p duration at @p rate, rounded down.
 * @param duration duration in ns, >= 0
 * @param rate rate in bit/s, > 0
 * @return floor(duration * rate / 8e9)
 */
Bytes BytesInNs(Ns duration, Bps rate);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_UNITS_H */
