/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/*
 * The routing-log importers' options (TraceImportOptions, SetTraceImportOption()), their
 * entry points (ImportRoutingTrace(), ImportRoutingTraceFile(), DescribeTraceImport()), the
 * reader of per-rank tokens-per-expert count matrices (TraceFormat::COUNTS) and of the
 * module's own trace format (TraceFormat::NATIVE), and the helpers shared with the per-token
 * formats (pmoe-trace-import-tokens.cc, through pmoe-trace-import-detail.h).
 */

#include "pmoe-trace-import.h"

#include "pmoe-text-reader.h"
#include "pmoe-trace-import-detail.h"
#include "pmoe-workload-io.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <utility>

namespace ns3
{
namespace pmoe
{

namespace detail
{

std::string
Printable(std::string_view text)
{
    return EscapeForMessage(text, kMaxQuoted, QuoteStyle::BARE);
}

TextReader::Options
ReaderOptions(bool splitFields)
{
    TextReader::Options options;
    options.maxLineBytes = kMaxInputLineBytes;
    options.skipByteOrderMark = true;
    options.splitFields = splitFields;
    return options;
}

void
FailOnReadError(const TextReader& reader)
{
    if (reader.ReadFailed())
    {
        throw InputError(reader.Name() + ": read error after line " +
                         std::to_string(reader.LineNumber()));
    }
}

} // namespace detail

using detail::FailOnReadError;
using detail::kMaxIdMagnitude;
using detail::kMaxLayerLabel;
using detail::kMaxListedLayers;
using detail::Printable;
using detail::ReaderOptions;

namespace
{

/** Largest token index accepted. */
constexpr uint64_t kMaxTokenIndex = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

/** @param format a format @return true for the formats with one record per token */
bool
IsTokenFormat(TraceFormat format)
{
    return format == TraceFormat::JSONL || format == TraceFormat::SELECTION;
}

/**
 * Parse an unsigned option value: decimal digits only.
 * @param key the option, for messages
 * @param value its text
 * @param max largest accepted value
 * @return the value
 */
uint64_t
OptionUnsigned(const std::string& key, const std::string& value, uint64_t max)
{
    uint64_t v = 0;
    switch (TextReader::ReadUnsigned(value, max, v))
    {
    case UnsignedStatus::OK:
        return v;
    case UnsignedStatus::OUT_OF_RANGE:
        throw InputError("trace import option " + key + " = " + Printable(value) +
                         " is too large (max " + std::to_string(max) + ")");
    default:
        throw InputError("trace import option " + key + " must be a non-negative integer, got '" +
                         Printable(value) + "'");
    }
}

/**
 * Parse a signed option value: an optional '-' and decimal digits.
 * @param key the option, for messages
 * @param value its text
 * @param min smallest accepted value (>= -2^62)
 * @param max largest accepted value (<= 2^62)
 * @return the value
 */
int64_t
OptionSigned(const std::string& key, const std::string& value, int64_t min, int64_t max)
{
    const bool negative = !value.empty() && value[0] == '-';
    uint64_t magnitude = 0;
    const UnsignedStatus status =
        TextReader::ReadUnsigned(negative ? value.substr(1) : value, kMaxIdMagnitude, magnitude);
    if (status != UnsignedStatus::OK && status != UnsignedStatus::OUT_OF_RANGE)
    {
        throw InputError("trace import option " + key + " must be an integer, got '" +
                         Printable(value) + "'");
    }
    const int64_t v = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
    if (status == UnsignedStatus::OUT_OF_RANGE || v < min || v > max)
    {
        throw InputError("trace import option " + key + " must be in [" + std::to_string(min) +
                         ", " + std::to_string(max) + "], got '" + Printable(value) + "'");
    }
    return v;
}

/**
 * Read per-rank tokens-per-expert matrices.
 * @param reader the line reader
 * @param options the validated options
 * @param summary filled
 * @return the trace
 */
RoutingTrace
ReadCounts(TextReader& reader, const TraceImportOptions& options, TraceImportSummary& summary)
{
    struct Block
    {
        int64_t label{0};             //!< its layer
        uint64_t line{0};             //!< line of its "layer" header (or first row)
        uint64_t rows{0};             //!< rows read
        bool keep{false};             //!< chosen and not skipped
        std::vector<uint64_t> values; //!< its entries (if kept), row-major
    };

    std::vector<Block> blocks;
    bool headed = false;  // blocks start with "layer L"
    uint64_t columns = 0; // entries per row (set by the first row)
    uint64_t firstRowLine = 0;
    uint64_t rowsPerBlock = 0; // rows of the first block
    uint64_t chosenSeen = 0;   // blocks of the chosen layer so far
    uint64_t cells = 0;        // kept cells
    std::set<int64_t> labels;

    auto closeBlock = [&](uint64_t atLine, std::size_t atColumn) {
        if (blocks.empty())
        {
            return;
        }
        const Block& b = blocks.back();
        if (b.rows == 0)
        {
            reader.Fail(atLine,
                        atColumn,
                        "layer " + std::to_string(b.label) + " (line " + std::to_string(b.line) +
                            ") has no rows");
        }
        if (rowsPerBlock == 0)
        {
            rowsPerBlock = b.rows;
        }
        else if (b.rows != rowsPerBlock)
        {
            reader.Fail(atLine,
                        atColumn,
                        "the block of layer " + std::to_string(b.label) + " (line " +
                            std::to_string(b.line) + ") has " + std::to_string(b.rows) +
                            " rows, the first block has " + std::to_string(rowsPerBlock) +
                            " (one row per rank)");
        }
    };
    auto openBlock = [&](int64_t label, uint64_t line, const TextField& at) {
        Block b;
        b.label = label;
        b.line = line;
        labels.insert(label);
        ++summary.records;
        if (options.layer >= 0 && label != options.layer)
        {
            ++summary.otherLayer;
        }
        else if (chosenSeen++ < options.skipBlocks)
        {
            ++summary.warmupTokens;
        }
        else
        {
            b.keep = true;
        }
        if (blocks.size() >= kMaxTraceLayers)
        {
            reader.Fail(at, "more than " + std::to_string(kMaxTraceLayers) + " blocks");
        }
        blocks.push_back(std::move(b));
    };

    while (reader.NextLine())
    {
        const std::vector<TextField>& fields = reader.Fields();
        if (fields.empty())
        {
            continue;
        }
        if (fields[0].text == "layer")
        {
            if (!blocks.empty() && !headed)
            {
                reader.Fail(fields[0],
                            "a 'layer' line after rows without one: start every block with "
                            "'layer L'");
            }
            if (fields.size() != 2)
            {
                reader.Fail(fields.size() < 2 ? fields[0] : fields[2], "expected 'layer L'");
            }
            const auto label =
                static_cast<int64_t>(reader.ParseUnsigned(fields[1], kMaxLayerLabel, "layer"));
            closeBlock(reader.LineNumber(), fields[0].column);
            headed = true;
            openBlock(label, reader.LineNumber(), fields[0]);
            continue;
        }
        if (blocks.empty())
        {
            openBlock(0, reader.LineNumber(), fields[0]); // one matrix without a header
        }
        Block& b = blocks.back();
        if (columns == 0)
        {
            if (fields.size() > kMaxMoeExperts)
            {
                reader.Fail(fields[kMaxMoeExperts],
                            "more than " + std::to_string(kMaxMoeExperts) + " experts");
            }
            columns = fields.size();
            firstRowLine = reader.LineNumber();
            if (options.numExperts > 0 && columns != options.numExperts)
            {
                reader.Fail(fields[0],
                            "rows have " + std::to_string(columns) +
                                " entries (one per expert), but experts = " +
                                std::to_string(options.numExperts));
            }
        }
        if (fields.size() > columns)
        {
            reader.Fail(fields[columns],
                        "row " + std::to_string(b.rows) + " has more than " +
                            std::to_string(columns) + " entries (the first row, line " +
                            std::to_string(firstRowLine) + ", has " + std::to_string(columns) +
                            ")");
        }
        if (fields.size() < columns)
        {
            const TextField& last = fields.back();
            reader.Fail(reader.LineNumber(),
                        last.column + last.text.size(),
                        "row " + std::to_string(b.rows) + " has " + std::to_string(fields.size()) +
                            " entries, expected " + std::to_string(columns));
        }
        if (b.rows >= kMaxMoeGpus)
        {
            reader.Fail(fields[0], "more than " + std::to_string(kMaxMoeGpus) + " rows (ranks)");
        }
        if (rowsPerBlock > 0 && b.rows >= rowsPerBlock)
        {
            reader.Fail(fields[0],
                        "the block of layer " + std::to_string(b.label) + " (line " +
                            std::to_string(b.line) + ") has more than " +
                            std::to_string(rowsPerBlock) + " rows, as many as the first block");
        }
        if (b.keep)
        {
            if (cells + columns > kMaxTraceCells)
            {
                reader.Fail(fields[0],
                            "trace too large: more than " + std::to_string(kMaxTraceCells) +
                                " cells");
            }
            cells += columns;
        }
        for (const TextField& f : fields)
        {
            const uint64_t v = reader.ParseUnsigned(f, kMaxTraceCount, "token count");
            if (b.keep)
            {
                b.values.push_back(v);
            }
        }
        ++b.rows;
    }
    FailOnReadError(reader);
    const uint64_t endLine = reader.LineNumber() + 1;
    closeBlock(endLine, 1);
    if (blocks.empty())
    {
        reader.Fail(endLine, 1, "no count matrix (expected rows of token counts per expert)");
    }
    if (options.layer >= 0 && labels.count(options.layer) == 0)
    {
        throw InputError(reader.Name() + ": no block of layer " + std::to_string(options.layer));
    }
    const uint64_t ranks = rowsPerBlock;
    const uint32_t numGpus = options.numGpus > 0 ? options.numGpus : static_cast<uint32_t>(ranks);
    if (numGpus < 2 || numGpus > ranks || ranks % numGpus != 0)
    {
        throw InputError(reader.Name() + ": " + std::to_string(ranks) +
                         " rank(s) cannot be grouped onto " + std::to_string(numGpus) +
                         " GPUs (at least 2 GPUs, and their number must divide the ranks)");
    }
    RoutingTrace trace;
    trace.numGpus = numGpus;
    trace.numExperts = static_cast<uint32_t>(columns);
    const uint64_t ranksPerGpu = ranks / numGpus;
    for (const Block& b : blocks)
    {
        if (!b.keep)
        {
            continue;
        }
        TokenMatrix m(numGpus, columns);
        for (uint64_t r = 0; r < ranks; ++r)
        {
            for (uint64_t e = 0; e < columns; ++e)
            {
                m.Add(r / ranksPerGpu, e, b.values[r * columns + e]);
            }
        }
        for (uint64_t v : m.Data())
        {
            if (v > kMaxTraceCount)
            {
                throw InputError(reader.Name() + ": layer " + std::to_string(b.label) + " (line " +
                                 std::to_string(b.line) + "): a GPU's count exceeds " +
                                 std::to_string(kMaxTraceCount) + " after grouping ranks");
            }
        }
        summary.copies += m.Total();
        trace.layers.push_back(std::move(m));
        summary.layerOfTraceLayer.push_back(b.label);
        summary.windowOfTraceLayer.push_back(0);
    }
    if (trace.layers.empty())
    {
        throw InputError(
            reader.Name() + ": skipBlocks = " + std::to_string(options.skipBlocks) +
            " leaves no block" +
            (options.layer >= 0 ? " of layer " + std::to_string(options.layer) : std::string()) +
            " (" + std::to_string(chosenSeen) + " in the file)");
    }
    return trace;
}

/**
 * Read a trace in the module's own format.
 * @param in the text
 * @param name its name
 * @param options the validated options
 * @param summary filled
 * @return the trace
 */
RoutingTrace
ReadNative(std::istream& in,
           const std::string& name,
           const TraceImportOptions& options,
           TraceImportSummary& summary)
{
    RoutingTrace trace = ParseRoutingTrace(in, name);
    if (options.numGpus > 0 && trace.numGpus != options.numGpus)
    {
        throw InputError(name + ": the trace is for " + std::to_string(trace.numGpus) +
                         " GPUs, but gpus = " + std::to_string(options.numGpus));
    }
    if (options.numExperts > 0 && trace.numExperts != options.numExperts)
    {
        throw InputError(name + ": the trace is for " + std::to_string(trace.numExperts) +
                         " experts, but experts = " + std::to_string(options.numExperts));
    }
    summary.records = trace.layers.size();
    if (options.layer >= 0)
    {
        if (static_cast<uint64_t>(options.layer) >= trace.layers.size())
        {
            throw InputError(name + ": no layer " + std::to_string(options.layer) +
                             " (the trace has " + std::to_string(trace.layers.size()) + ")");
        }
        summary.otherLayer = trace.layers.size() - 1;
        TokenMatrix chosen = trace.layers[static_cast<std::size_t>(options.layer)];
        trace.layers.assign(1, std::move(chosen));
        summary.layerOfTraceLayer.push_back(options.layer);
    }
    else
    {
        for (std::size_t l = 0; l < trace.layers.size(); ++l)
        {
            summary.layerOfTraceLayer.push_back(static_cast<int64_t>(l));
        }
    }
    summary.windowOfTraceLayer.assign(trace.layers.size(), 0);
    for (const TokenMatrix& m : trace.layers)
    {
        summary.copies += m.Total();
    }
    return trace;
}

} // namespace

void
TraceImportOptions::Validate() const
{
    const std::string formatName = ToString(format);
    auto fail = [](const std::string& what) { throw InputError("trace import: " + what); };
    if (!IsNamedValue(format))
    {
        fail("unknown format");
    }
    if (numGpus == 1 || numGpus > kMaxMoeGpus)
    {
        fail("gpus must be in [2, " + std::to_string(kMaxMoeGpus) +
             "] (or 0 = from the file), got " + std::to_string(numGpus));
    }
    if (IsTokenFormat(format) && numGpus == 0)
    {
        fail("format " + formatName +
             " needs gpus (the number of data-parallel ranks the tokens are spread over)");
    }
    if (numExperts > kMaxMoeExperts)
    {
        fail("experts must be at most " + std::to_string(kMaxMoeExperts) + ", got " +
             std::to_string(numExperts));
    }
    if (layer < -1 || layer > static_cast<int64_t>(kMaxLayerLabel))
    {
        fail("layer must be -1 (every layer) or in [0, " + std::to_string(kMaxLayerLabel) +
             "], got " + std::to_string(layer));
    }
    if (!IsTokenFormat(format))
    {
        const char* tokenOnly = skipTokens > 0     ? "skipTokens"
                                : havePadExpert    ? "padExpert"
                                : tokensPerGpu > 0 ? "tokensPerGpu"
                                : windows != 1     ? "windows"
                                                   : nullptr;
        if (tokenOnly)
        {
            fail(std::string(tokenOnly) + " applies to the formats jsonl and selection only, not " +
                 formatName);
        }
    }
    if (format != TraceFormat::COUNTS && skipBlocks > 0)
    {
        fail("skipBlocks applies to the format counts only, not " + formatName);
    }
    if (windows != 1 && tokensPerGpu == 0)
    {
        fail("windows needs tokensPerGpu (the tokens of each GPU in a window)");
    }
    if (tokensPerGpu > kMaxTokensPerGpu)
    {
        fail("tokensPerGpu must be at most " + std::to_string(kMaxTokensPerGpu) + ", got " +
             std::to_string(tokensPerGpu));
    }
    if (windows > kMaxTraceLayers)
    {
        fail("windows must be at most " + std::to_string(kMaxTraceLayers) + ", got " +
             std::to_string(windows));
    }
}

void
SetTraceImportOption(TraceImportOptions& options, const std::string& key, const std::string& value)
{
    if (key == "format")
    {
        options.format = FromString<TraceFormat>(value);
    }
    else if (key == "gpus")
    {
        options.numGpus = static_cast<uint32_t>(OptionUnsigned(key, value, kMaxMoeGpus));
    }
    else if (key == "experts")
    {
        options.numExperts = static_cast<uint32_t>(OptionUnsigned(key, value, kMaxMoeExperts));
    }
    else if (key == "layer")
    {
        options.layer = OptionSigned(key, value, -1, static_cast<int64_t>(kMaxLayerLabel));
    }
    else if (key == "skipTokens")
    {
        options.skipTokens = OptionUnsigned(key, value, kMaxTokenIndex);
    }
    else if (key == "padExpert")
    {
        options.padExpert = OptionSigned(key,
                                         value,
                                         -static_cast<int64_t>(kMaxIdMagnitude),
                                         static_cast<int64_t>(kMaxIdMagnitude));
        options.havePadExpert = true;
    }
    else if (key == "tokensPerGpu")
    {
        options.tokensPerGpu = OptionUnsigned(key, value, kMaxTokensPerGpu);
    }
    else if (key == "windows")
    {
        options.windows = static_cast<uint32_t>(OptionUnsigned(key, value, kMaxTraceLayers));
    }
    else if (key == "skipBlocks")
    {
        options.skipBlocks = OptionUnsigned(key, value, kMaxTokenIndex);
    }
    else
    {
        throw InputError("unknown trace import option '" + Printable(key) +
                         "' (expected format, gpus, experts, layer, skipTokens, padExpert, "
                         "tokensPerGpu, windows or skipBlocks)");
    }
}

void
SetTraceImportOptions(TraceImportOptions& options, const std::string& list)
{
    std::stringstream items(list);
    std::string item;
    while (std::getline(items, item, ','))
    {
        const std::size_t begin = item.find_first_not_of(' ');
        if (begin == std::string::npos)
        {
            continue;
        }
        const std::size_t end = item.find_last_not_of(' ');
        item = item.substr(begin, end - begin + 1);
        const std::size_t eq = item.find('=');
        if (eq == std::string::npos)
        {
            throw InputError("trace import option '" + Printable(item) +
                             "' must be written key=value");
        }
        SetTraceImportOption(options, item.substr(0, eq), item.substr(eq + 1));
    }
}

RoutingTrace
ImportRoutingTrace(std::istream& in,
                   const std::string& name,
                   const TraceImportOptions& options,
                   TraceImportSummary* summary)
{
    options.Validate();
    TraceImportSummary local;
    TraceImportSummary& s = summary ? *summary : local;
    s = TraceImportSummary();
    switch (options.format)
    {
    case TraceFormat::NATIVE:
        return ReadNative(in, name, options, s);
    case TraceFormat::COUNTS: {
        TextReader reader(in, name, ReaderOptions(true));
        return ReadCounts(reader, options, s);
    }
    case TraceFormat::JSONL:
        return detail::ReadJsonLinesTrace(in, name, options, s);
    case TraceFormat::SELECTION:
    default:
        return detail::ReadSelectionTrace(in, name, options, s);
    }
}

RoutingTrace
ImportRoutingTraceFile(const std::string& path,
                       const TraceImportOptions& options,
                       TraceImportSummary* summary)
{
    options.Validate();
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw InputError("cannot open routing log '" + path + "'");
    }
    return ImportRoutingTrace(in, path, options, summary);
}

std::string
DescribeTraceImport(const RoutingTrace& trace, const TraceImportSummary& summary)
{
    std::ostringstream s;
    s << trace.layers.size() << " trace layer(s) for " << trace.numGpus << " GPUs x "
      << trace.numExperts << " experts";
    if (!summary.layerOfTraceLayer.empty())
    {
        s << " (model layers";
        std::set<int64_t> distinct(summary.layerOfTraceLayer.begin(),
                                   summary.layerOfTraceLayer.end());
        std::size_t listed = 0;
        for (int64_t l : distinct)
        {
            if (listed++ == kMaxListedLayers)
            {
                s << " ...";
                break;
            }
            s << " " << l;
        }
        s << ")";
    }
    s << ": ";
    if (summary.tokens > 0)
    {
        s << summary.tokens << " tokens, ";
    }
    s << summary.copies << " token copies; read " << summary.records << " record(s)";
    if (summary.otherLayer > 0)
    {
        s << ", " << summary.otherLayer << " of other layers";
    }
    if (summary.metadataLines > 0)
    {
        s << ", " << summary.metadataLines << " metadata line(s)";
    }
    s << "; dropped " << summary.warmupTokens << " warm-up, " << summary.dummyTokens
      << " dummy (token -1), " << summary.paddingTokens << " all-padding, " << summary.unusedTokens
      << " beyond the last window; " << summary.paddingIds << " padding id(s) removed\n";
    return s.str();
}

} // namespace pmoe
} // namespace ns3
