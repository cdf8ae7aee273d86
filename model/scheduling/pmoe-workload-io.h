/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_WORKLOAD_IO_H
#define PMOE_WORKLOAD_IO_H

/**
 * @file
 * @ingroup photonic-moe
 * Routing trace and expert placement files: parsers (on the shared TextReader,
 * pmoe-text-reader.h) and the trace writer.
 */

#include "pmoe-moe-config.h"

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * Parse a routing trace.
 *
 * @verbatim
 * # comment (anywhere; '#' to the end of the line)
 * gpus 4 experts 8        <- header, first non-blank line
 * layer 0                 <- layers numbered 0, 1, 2, ... in order
 * 10 0 3 5 0 0 2 4        <- N rows of E non-negative integers: token copies that
 * ...                        source GPU i sends to expert e (spaces, tabs or commas)
 * layer 1
 * ...
 * @endverbatim
 *
 * @param in the text (arbitrary bytes are rejected cleanly)
 * @param name the file name used in error messages
 * @return the trace (at least one layer)
 * @throws InputError "NAME:LINE:COL: message" on any malformed input: missing or bad
 *         header, sizes beyond the caps, a layer out of order, a row with the wrong number
 *         of entries, a missing row, a non-integer or too-large count, a line too long
 */
RoutingTrace ParseRoutingTrace(std::istream& in, const std::string& name);

/**
 * @ingroup photonic-moe
 * Read a routing trace file (see ParseRoutingTrace()).
 * @param path file path
 * @return the trace
 * @throws InputError if the file cannot be opened or does not parse
 */
RoutingTrace ReadRoutingTrace(const std::string& path);

/**
 * @ingroup photonic-moe
 * Write a trace in the format ParseRoutingTrace() reads.
 * @param out stream
 * @param trace the trace
 */
void WriteRoutingTrace(std::ostream& out, const RoutingTrace& trace);

/**
 * @ingroup photonic-moe
 * Parse an expert placement: one GPU index per expert, in expert order, separated by
 * whitespace, commas or newlines; '#' starts a comment.
 * @param in the text
 * @param name the file name used in error messages
 * @param numGpus if > 0, every index must be below it
 * @return the GPU of each expert
 * @throws InputError "NAME:LINE:COL: message" on a malformed or out-of-range index, more
 *         than kMaxMoeExperts entries, or an empty placement
 */
std::vector<uint32_t> ParsePlacement(std::istream& in, const std::string& name, uint32_t numGpus);

/**
 * @ingroup photonic-moe
 * Read a placement file (see ParsePlacement()).
 * @param path file path
 * @param numGpus if > 0, every index must be below it
 * @return the GPU of each expert
 * @throws InputError if the file cannot be opened or does not parse
 */
std::vector<uint32_t> ReadPlacement(const std::string& path, uint32_t numGpus);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_WORKLOAD_IO_H */
