/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_TRACE_IMPORT_H
#define PMOE_TRACE_IMPORT_H

/**
 * @file
 * @ingroup photonic-moe
 * Importers from routing logs of serving and training systems into a RoutingTrace:
 * per-token top-k logs as JSON lines, per-layer expert-selection text logs and per-rank
 * tokens-per-expert count matrices. Tokens are mapped to GPUs as data-parallel ranks hold
 * them (contiguous blocks of tokens per GPU). The formats and options are described in
 * doc/trace-import.rst.
 */

#include "pmoe-enum-names.h"
#include "pmoe-moe-config.h"

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * The input format of ImportRoutingTrace().
 */
enum class TraceFormat
{
    NATIVE,    //!< the module's own trace format (ParseRoutingTrace())
    JSONL,     //!< JSON lines: one object per token, per batch of tokens or per request
    SELECTION, //!< text lines "LAYER TOKEN EXPERT..." (one token of one layer per line)
    COUNTS,    //!< per-rank tokens-per-expert matrices, one block per layer ("Megatron-style")
};

/**
 * @ingroup photonic-moe
 * Names of TraceFormat (case-insensitive): native, jsonl, selection, counts.
 */
template <>
struct EnumTable<TraceFormat>
{
    static constexpr const char* kNoun = "trace format"; //!< for messages
    static constexpr bool kIgnoreCase = true;            //!< "JSONL" is accepted
    /** The names. */
    static constexpr EnumName<TraceFormat> kNames[] = {
        {TraceFormat::NATIVE, "native"},
        {TraceFormat::JSONL, "jsonl"},
        {TraceFormat::SELECTION, "selection"},
        {TraceFormat::COUNTS, "counts"},
    };
};

/** Most expert ids held for balanced blocks (TraceImportOptions::tokensPerGpu = 0). */
constexpr uint64_t kMaxImportHeldIds = 1ULL << 25;

/**
 * @ingroup photonic-moe
 * What ImportRoutingTrace() reads and how it maps tokens to GPUs.
 */
struct TraceImportOptions
{
    TraceFormat format{TraceFormat::NATIVE}; //!< input format
    uint32_t numGpus{0};       //!< N: GPUs (data-parallel ranks); token formats: required, >= 2;
                               //!< counts and native: 0 = as in the file
    uint32_t numExperts{0};    //!< E: 0 = from the file (token formats: largest expert id + 1)
    int64_t layer{-1};         //!< the one model layer imported (-1 = every layer in the file)
    uint64_t skipTokens{0};    //!< token formats: warm-up tokens dropped first, per layer
    bool havePadExpert{false}; //!< padExpert is set
    int64_t padExpert{-1};     //!< token formats: an expert id meaning "no expert" (dropped)
    uint64_t tokensPerGpu{0};  //!< T, token formats: 0 = all tokens of a layer in N balanced
                               //!< blocks; T > 0: windows of N x T tokens, T per GPU
    uint32_t windows{1};       //!< with T > 0: windows per layer (each a trace layer; 0 = as
                               //!< many whole windows as every layer holds)
    uint64_t skipBlocks{0};    //!< counts: matrices dropped first (after the layer choice)

    /**
     * Check the options against each other and the format.
     * @throws InputError naming the option, e.g. "skipBlocks applies to format counts only"
     */
    void Validate() const;
};

/**
 * @ingroup photonic-moe
 * Set one option by name (the names of the converter's and the layer driver's options):
 * format, gpus, experts, layer, skipTokens, padExpert, tokensPerGpu, windows, skipBlocks.
 * @param options the options to change
 * @param key the option's name
 * @param value its value as text
 * @throws InputError for an unknown key or a malformed or out-of-range value, naming both
 */
void SetTraceImportOption(TraceImportOptions& options,
                          const std::string& key,
                          const std::string& value);

/**
 * @ingroup photonic-moe
 * Set options from a comma-separated list "key=value,key=value" (see SetTraceImportOption()).
 * @param options the options to change
 * @param list the list (empty: nothing changes)
 * @throws InputError for an item without '=' or a bad key or value
 */
void SetTraceImportOptions(TraceImportOptions& options, const std::string& list);

/**
 * @ingroup photonic-moe
 * What an import read, kept and dropped.
 */
struct TraceImportSummary
{
    std::vector<int64_t> layerOfTraceLayer;   //!< model layer (or block label) of each trace layer
    std::vector<uint32_t> windowOfTraceLayer; //!< window of each trace layer (0 without windows)
    uint64_t records{0};       //!< token records (tokens of all layers) or count blocks read
    uint64_t otherLayer{0};    //!< records of layers not chosen
    uint64_t metadataLines{0}; //!< JSON objects with a "type" other than "route"
    uint64_t warmupTokens{0};  //!< tokens dropped by skipTokens (or blocks by skipBlocks)
    uint64_t dummyTokens{0};   //!< tokens with token index -1
    uint64_t paddingTokens{0}; //!< tokens whose every expert id is padExpert
    uint64_t paddingIds{0};    //!< expert ids equal to padExpert, dropped
    uint64_t unusedTokens{0};  //!< kept tokens beyond the last whole window
    uint64_t tokens{0};        //!< tokens in the trace (summed over its layers)
    uint64_t copies{0};        //!< token copies in the trace (summed over its layers)
};

/**
 * @ingroup photonic-moe
 * Import a routing log into a trace.
 *
 * Token formats (JSONL, SELECTION): per model layer, the tokens that are kept (after
 * skipTokens, token index -1 and all-padding tokens are dropped) are taken in file order;
 * with tokensPerGpu = 0 they are cut into N contiguous blocks, GPU g holding tokens
 * [floor(g M / N), floor((g+1) M / N)) of the M kept; with tokensPerGpu = T, window w holds
 * tokens [w N T, (w+1) N T) and GPU g its tokens [g T, (g+1) T). Trace layers: for each
 * window, the chosen model layers in increasing order. Each expert id of a token adds one
 * copy to (GPU, expert).
 *
 * COUNTS: every block (one matrix, rows = ranks, columns = experts) of the chosen layer is
 * one trace layer, in file order; with N < ranks, GPU g sums ranks [g R / N, (g+1) R / N)
 * (N must divide R).
 *
 * @param in the text
 * @param name the file name used in error messages
 * @param options format and mapping (validated here)
 * @param summary if not null, filled with what was read and dropped
 * @return the trace (at least one layer)
 * @throws InputError "NAME:LINE:COL: message" or "NAME:LINE: message" on malformed input,
 *         "NAME: message" for a problem of the whole file (no tokens, a missing layer)
 */
RoutingTrace ImportRoutingTrace(std::istream& in,
                                const std::string& name,
                                const TraceImportOptions& options,
                                TraceImportSummary* summary = nullptr);

/**
 * @ingroup photonic-moe
 * Import a routing log file (see ImportRoutingTrace()).
 * @param path file path
 * @param options format and mapping
 * @param summary if not null, filled with what was read and dropped
 * @return the trace
 * @throws InputError if the file cannot be opened or does not import
 */
RoutingTrace ImportRoutingTraceFile(const std::string& path,
                                    const TraceImportOptions& options,
                                    TraceImportSummary* summary = nullptr);

/**
 * @ingroup photonic-moe
 * A one-paragraph account of an import for the user (tokens kept and dropped, layers).
 * @param trace the imported trace
 * @param summary its summary
 * @return the text, ending with a newline
 */
std::string DescribeTraceImport(const RoutingTrace& trace, const TraceImportSummary& summary);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_TRACE_IMPORT_H */
