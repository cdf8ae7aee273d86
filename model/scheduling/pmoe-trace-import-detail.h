/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_TRACE_IMPORT_DETAIL_H
#define PMOE_TRACE_IMPORT_DETAIL_H

/**
 * @file
 * Internal to the routing-log importers (not installed, not part of the public API): the
 * limits and message helpers shared by pmoe-trace-import.cc (options, entry points, the
 * count-matrix and native formats) and pmoe-trace-import-tokens.cc (the per-token formats,
 * JSON lines and selection logs, and their mapping of tokens to GPUs).
 */

#include "pmoe-moe-config.h"
#include "pmoe-text-reader.h"
#include "pmoe-trace-import.h"

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

namespace ns3
{
namespace pmoe
{
/** Internals of the routing-log importers, shared by their source files. */
namespace detail
{

/** Longest part of a field or value quoted in a message. */
inline constexpr std::size_t kMaxQuoted = 32;

/** Largest model layer number accepted. */
inline constexpr uint64_t kMaxLayerLabel = (1ULL << 31) - 1;

/** Largest magnitude of an expert id read before the range checks. */
inline constexpr uint64_t kMaxIdMagnitude = 1ULL << 62;

/** Layers listed in a "no token of layer L" message. */
inline constexpr std::size_t kMaxListedLayers = 12;

/** @param text a piece of input @return it made printable for a message */
std::string Printable(std::string_view text);

/**
 * @param splitFields true to split lines into fields
 * @return the options of every text reader here: lines capped, byte-order mark skipped
 */
TextReader::Options ReaderOptions(bool splitFields);

/**
 * @param reader a reader at the end of its input
 * @throws InputError "NAME: read error after line N" if the stream failed
 */
void FailOnReadError(const TextReader& reader);

/**
 * Read per-token JSON lines (TraceFormat::JSONL).
 * @param in the text
 * @param name its name, for messages
 * @param options the validated options
 * @param summary filled
 * @return the trace
 */
RoutingTrace ReadJsonLinesTrace(std::istream& in,
                                const std::string& name,
                                const TraceImportOptions& options,
                                TraceImportSummary& summary);

/**
 * Read a per-layer expert-selection text log (TraceFormat::SELECTION).
 * @param in the text
 * @param name its name, for messages
 * @param options the validated options
 * @param summary filled
 * @return the trace
 */
RoutingTrace ReadSelectionTrace(std::istream& in,
                                const std::string& name,
                                const TraceImportOptions& options,
                                TraceImportSummary& summary);

} // namespace detail
} // namespace pmoe
} // namespace ns3

#endif /* PMOE_TRACE_IMPORT_DETAIL_H */
