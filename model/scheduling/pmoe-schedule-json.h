/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_SCHEDULE_JSON_H
#define PMOE_SCHEDULE_JSON_H

/**
 * @file
 * @ingroup photonic-moe
 * A schedule (and its evaluation) as JSON, and back. The packet-level simulator replays
 * schedules saved this way.
 *
 * Schedule part (written by both ScheduleToJsonText() overloads, read by ParseScheduleJson()):
 * @code{.json}
 * {
 *   "format": "photonic-moe-schedule", "format_version": 1,
 *   "ports": 4, "circuit_model": "unidirectional", "algorithm": "greedy",
 *   "matchings": [ { "index": 0, "duration_ns": 1000, "circuits": [[0, 1], [1, 2]],
 *                    "planned_bytes": 100000 } ],
 *   "relays": [ { "src": 0, "via": 1, "dst": 2, "bytes": 10,
 *                 "first_config": 0, "second_config": 1 } ],
 *   "stuffed_bytes": 0,
 *   "residual_pairs": [[0, 3, 500]]          // nonzero residual entries [src, dst, bytes]
 * }
 * @endcode
 * Circuits are [src, dst]; in the duplex model src < dst and the circuit carries both ways.
 *
 * The evaluated form adds, per matching, "start_ns", "end_ns", "bytes_served",
 * "capacity_bytes", "bubble_ns", "utilisation"; and at the top level "demand_bytes",
 * "rho_bytes", "max_line_nonzeros", "bytes_served", "residual_bytes", "relayed_bytes",
 * "makespan_ns" (null when residual is left with no electrical fabric), "circuit_makespan_ns",
 * "eps_time_ns", "eps_unavailable", "lower_bound_ns" (rho / r), "lower_bound_reconfig_ns"
 * (rho / r + Delta x delta), "optimality_gap" (makespan / (rho / r) - 1, or null),
 * "reconfigurations", "reconfig_time_ns", "bubble_ns", "bubble_fraction", "utilisation",
 * and "parameters" echoing every decomposition and evaluation parameter.
 * Non-finite ratios are written as null.
 */

#include "pmoe-decomposition.h"
#include "pmoe-fluid-evaluator.h"
#include "pmoe-schedule.h"

#include <istream>
#include <string>

namespace ns3
{
namespace pmoe
{

/** Value of the "format" key of schedule files. */
constexpr const char* kScheduleJsonFormat = "photonic-moe-schedule";

/** Value of the "format_version" key written by this version. */
constexpr int kScheduleJsonVersion = 1;

/**
 * @ingroup photonic-moe
 * The schedule part alone (no evaluation): enough for ParseScheduleJson().
 * @param schedule the schedule
 * @param indent spaces per level; < 0: one line
 * @return JSON text of an object
 */
std::string ScheduleToJsonText(const Schedule& schedule, int indent = -1);

/**
 * @ingroup photonic-moe
 * A schedule with its fluid evaluation and every parameter that produced it.
 * @param schedule the schedule
 * @param demand the demand it was computed for
 * @param result EvaluateSchedule(demand, schedule, fluid)
 * @param decomposition parameters of the decomposition
 * @param fluid parameters of the evaluation
 * @param indent spaces per level; < 0: one line
 * @return JSON text of an object (see the file documentation for the keys)
 * @throws InputError if @p result does not belong to @p schedule (configuration counts differ)
 */
std::string ScheduleToJsonText(const Schedule& schedule,
                               const DemandMatrix& demand,
                               const FluidResult& result,
                               const DecompositionParams& decomposition,
                               const FluidParams& fluid,
                               int indent = -1);

/**
 * @ingroup photonic-moe
 * Load a schedule written by ScheduleToJsonText(): "ports" (2 ... kMaxMatrixPorts),
 * "circuit_model", "matchings" (each with "duration_ns" and "circuits"; "planned_bytes"
 * optional) are required; "algorithm", "relays", "stuffed_bytes" and "residual_pairs" are
 * optional; other keys (the evaluation) are ignored.
 * @param in the JSON text
 * @param name source name used in error messages
 * @return the validated schedule
 * @throws InputError "NAME: what" for a JSON syntax error (with its line and column);
 *         "NAME: PATH: what", e.g. "s.json: matchings[2].circuits[0]: port 9 is not below
 *         ports = 8", for a missing key, a wrong type, a non-integer or out-of-range number,
 *         an invalid matching or relay
 */
Schedule ParseScheduleJson(std::istream& in, const std::string& name);

/**
 * @ingroup photonic-moe
 * Read a schedule file (see ParseScheduleJson()).
 * @param path file path
 * @return the schedule
 * @throws InputError if the file cannot be opened or does not parse
 */
Schedule ReadScheduleJson(const std::string& path);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_SCHEDULE_JSON_H */
