/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-trace-import.h"

#include "pmoe-text-reader.h"
#include "pmoe-workload-io.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <utility>

namespace ns3
{
namespace pmoe
{

namespace
{

using Json = nlohmann::json;

/** Longest part of a field or value quoted in a message. */
constexpr std::size_t kMaxQuoted = 32;

/** Largest model layer number accepted. */
constexpr uint64_t kMaxLayerLabel = (1ULL << 31) - 1;

/** Largest token index accepted. */
constexpr uint64_t kMaxTokenIndex = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

/** Largest magnitude of an expert id read before the range checks. */
constexpr uint64_t kMaxIdMagnitude = 1ULL << 62;

/** Layers listed in a "no token of layer L" message. */
constexpr std::size_t kMaxListedLayers = 12;

/** The JSON keys that hold expert ids, in the order they are looked for. */
const char* const kExpertKeys[] = {"experts",
                                   "topk_ids",
                                   "expert_ids",
                                   "indices",
                                   "routed_experts"};

/** @param text a piece of input @return it made printable for a message */
std::string
Printable(std::string_view text)
{
    return EscapeForMessage(text, kMaxQuoted, QuoteStyle::BARE);
}

/** @return the options of every text reader here: lines capped, byte-order mark skipped */
TextReader::Options
ReaderOptions(bool splitFields)
{
    TextReader::Options options;
    options.maxLineBytes = kMaxInputLineBytes;
    options.skipByteOrderMark = true;
    options.splitFields = splitFields;
    return options;
}

/**
 * @param reader a reader at the end of its input
 * @throws InputError "NAME: read error after line N" if the stream failed
 */
void
FailOnReadError(const TextReader& reader)
{
    if (reader.ReadFailed())
    {
        throw InputError(reader.Name() + ": read error after line " +
                         std::to_string(reader.LineNumber()));
    }
}

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

/** Called with the index of an expert id in its token and a message; throws. */
using IdFailure = std::function<void(std::size_t, const std::string&)>;

/**
 * Collects the tokens of the token formats per model layer and maps them to GPUs.
 */
class TokenMapper
{
  public:
    /**
     * @param name the input's name, for messages
     * @param options the validated options
     * @param summary filled as tokens arrive
     */
    TokenMapper(std::string name, const TraceImportOptions& options, TraceImportSummary& summary)
        : m_name(std::move(name)),
          m_options(options),
          m_summary(summary)
    {
    }

    /**
     * One token's record.
     * @param layer its model layer
     * @param dummy true if its token index is -1
     * @param ids its expert ids as read
     * @param fail throws the error for the id at an index
     */
    void AddToken(int64_t layer, bool dummy, const std::vector<int64_t>& ids, const IdFailure& fail)
    {
        if (m_options.layer >= 0 && layer != m_options.layer)
        {
            ++m_summary.otherLayer;
            m_otherLayers.insert(layer);
            return;
        }
        ++m_summary.records;
        Layer& acc = m_layers[layer];
        ++acc.records;
        if (acc.records <= m_options.skipTokens)
        {
            ++m_summary.warmupTokens;
            return;
        }
        if (dummy)
        {
            ++m_summary.dummyTokens;
            return;
        }
        m_kept.clear();
        uint64_t padding = 0;
        for (std::size_t j = 0; j < ids.size(); ++j)
        {
            const int64_t id = ids[j];
            if (m_options.havePadExpert && id == m_options.padExpert)
            {
                ++padding;
                continue;
            }
            if (id < 0)
            {
                fail(j,
                     "negative expert id " + std::to_string(id) +
                         " (set padExpert to drop an id that marks padding)");
            }
            if (m_options.numExperts > 0 && id >= static_cast<int64_t>(m_options.numExperts))
            {
                fail(j,
                     "expert id " + std::to_string(id) + " is out of range: there are " +
                         std::to_string(m_options.numExperts) + " experts");
            }
            if (id >= static_cast<int64_t>(kMaxMoeExperts))
            {
                fail(j,
                     "expert id " + std::to_string(id) + " is too large (max " +
                         std::to_string(kMaxMoeExperts - 1) + ")");
            }
            if (m_kept.size() >= kMaxTopK)
            {
                fail(j, "more than " + std::to_string(kMaxTopK) + " expert ids for one token");
            }
            const auto e = static_cast<uint32_t>(id);
            if (std::find(m_kept.begin(), m_kept.end(), e) != m_kept.end())
            {
                fail(j, "expert " + std::to_string(id) + " appears twice for one token");
            }
            m_kept.push_back(e);
        }
        if (m_kept.empty())
        {
            ++m_summary.paddingTokens;
            return;
        }
        m_summary.paddingIds += padding;
        for (uint32_t e : m_kept)
        {
            m_maxId = std::max<int64_t>(m_maxId, e);
        }
        const uint64_t k = acc.kept++;
        if (m_options.tokensPerGpu == 0)
        {
            if (m_held + m_kept.size() > kMaxImportHeldIds)
            {
                fail(0,
                     "more than " + std::to_string(kMaxImportHeldIds) +
                         " expert ids to hold for balanced blocks: set tokensPerGpu to stream "
                         "the tokens in windows");
            }
            m_held += m_kept.size();
            acc.ids.insert(acc.ids.end(), m_kept.begin(), m_kept.end());
            acc.ends.push_back(static_cast<uint32_t>(acc.ids.size()));
            return;
        }
        const uint64_t perWindow =
            static_cast<uint64_t>(m_options.numGpus) * m_options.tokensPerGpu;
        const uint64_t window = k / perWindow;
        if (m_options.windows > 0 && window >= m_options.windows)
        {
            return; // beyond the last window: counted as unused at the end
        }
        const std::size_t slot = static_cast<std::size_t>(window * m_options.numGpus +
                                                          (k % perWindow) / m_options.tokensPerGpu);
        if (slot >= acc.counts.size())
        {
            // Every (window, GPU) slot counts as a cell, so that unbounded windows stay capped.
            const std::size_t grow = slot + 1 - acc.counts.size();
            if (m_cells + grow > kMaxTraceCells)
            {
                fail(0,
                     "trace too large: more than " + std::to_string(kMaxTraceCells) +
                         " cells (set windows or choose a layer)");
            }
            m_cells += grow;
            acc.counts.resize(slot + 1);
        }
        std::vector<uint64_t>& row = acc.counts[slot];
        for (uint32_t e : m_kept)
        {
            if (e >= row.size())
            {
                const std::size_t grow = static_cast<std::size_t>(e) + 1 - row.size();
                if (m_cells + grow > kMaxTraceCells)
                {
                    fail(0,
                         "trace too large: more than " + std::to_string(kMaxTraceCells) +
                             " cells (set windows or choose a layer)");
                }
                m_cells += grow;
                row.resize(static_cast<std::size_t>(e) + 1, 0);
            }
            ++row[e];
        }
    }

    /**
     * Build the trace from the tokens read.
     * @param endLine the number of the line after the last, for messages
     * @return the trace
     */
    RoutingTrace Finish(uint64_t endLine)
    {
        if (m_options.layer >= 0 && m_layers.find(m_options.layer) == m_layers.end())
        {
            std::string seen;
            std::size_t listed = 0;
            for (int64_t l : m_otherLayers)
            {
                if (listed++ == kMaxListedLayers)
                {
                    seen += ", ...";
                    break;
                }
                seen += (seen.empty() ? "" : ", ") + std::to_string(l);
            }
            Fail("no token of layer " + std::to_string(m_options.layer) +
                 (seen.empty() ? std::string(" (the file holds no tokens)")
                               : " (layers in the file: " + seen + ")"));
        }
        if (m_layers.empty())
        {
            throw InputError(m_name + ":" + std::to_string(endLine) + ":1: no token records");
        }
        for (const auto& [label, acc] : m_layers)
        {
            if (acc.kept == 0)
            {
                Fail("layer " + std::to_string(label) + " has no tokens left after skipping (" +
                     std::to_string(acc.records) + " read)");
            }
        }
        const uint32_t numExperts =
            m_options.numExperts > 0 ? m_options.numExperts : static_cast<uint32_t>(m_maxId + 1);
        const uint32_t numGpus = m_options.numGpus;
        if (static_cast<uint64_t>(numGpus) * numExperts > kMaxMoeCells)
        {
            Fail("GPUs x experts = " + std::to_string(static_cast<uint64_t>(numGpus) * numExperts) +
                 " exceeds " + std::to_string(kMaxMoeCells));
        }
        RoutingTrace trace;
        trace.numGpus = numGpus;
        trace.numExperts = numExperts;
        const uint64_t layerCells = static_cast<uint64_t>(numGpus) * numExperts;
        if (m_options.tokensPerGpu == 0)
        {
            CheckSize(m_layers.size(), layerCells);
            for (const auto& [label, acc] : m_layers)
            {
                trace.layers.push_back(BalancedBlocks(acc, numGpus, numExperts));
                m_summary.layerOfTraceLayer.push_back(label);
                m_summary.windowOfTraceLayer.push_back(0);
                m_summary.tokens += acc.kept;
            }
        }
        else
        {
            const uint64_t perWindow = static_cast<uint64_t>(numGpus) * m_options.tokensPerGpu;
            uint64_t windows = m_options.windows;
            if (windows == 0)
            {
                windows = std::numeric_limits<uint64_t>::max();
                for (const auto& entry : m_layers)
                {
                    windows = std::min(windows, entry.second.kept / perWindow);
                }
            }
            for (const auto& [label, acc] : m_layers)
            {
                if (acc.kept < windows * perWindow || windows == 0)
                {
                    Fail("layer " + std::to_string(label) + " has " + std::to_string(acc.kept) +
                         " tokens after skipping, fewer than " +
                         std::to_string(std::max<uint64_t>(windows, 1)) + " window(s) of " +
                         std::to_string(numGpus) + " GPUs x " +
                         std::to_string(m_options.tokensPerGpu) + " tokens");
                }
                m_summary.unusedTokens += acc.kept - windows * perWindow;
            }
            CheckSize(windows * m_layers.size(), layerCells);
            for (uint64_t w = 0; w < windows; ++w)
            {
                for (const auto& [label, acc] : m_layers)
                {
                    TokenMatrix m(numGpus, numExperts);
                    for (uint32_t g = 0; g < numGpus; ++g)
                    {
                        const std::size_t slot = static_cast<std::size_t>(w * numGpus + g);
                        const std::vector<uint64_t>& row = acc.counts[slot];
                        for (std::size_t e = 0; e < row.size(); ++e)
                        {
                            m.Add(g, e, row[e]);
                        }
                    }
                    trace.layers.push_back(std::move(m));
                    m_summary.layerOfTraceLayer.push_back(label);
                    m_summary.windowOfTraceLayer.push_back(static_cast<uint32_t>(w));
                    m_summary.tokens += perWindow;
                }
            }
        }
        for (const TokenMatrix& m : trace.layers)
        {
            m_summary.copies += m.Total();
        }
        return trace;
    }

  private:
    /** The tokens of one model layer. */
    struct Layer
    {
        uint64_t records{0};                       //!< token records of this layer
        uint64_t kept{0};                          //!< tokens kept
        std::vector<uint32_t> ids;                 //!< balanced blocks: kept ids, token by token
        std::vector<uint32_t> ends;                //!< balanced blocks: end of each token in ids
        std::vector<std::vector<uint64_t>> counts; //!< windows: [w N + g][expert] copies
    };

    /**
     * @param what the message
     * @throws InputError "NAME: what"
     */
    [[noreturn]] void Fail(const std::string& what) const
    {
        throw InputError(m_name + ": " + what);
    }

    /**
     * @param layers trace layers to build
     * @param layerCells cells of each
     * @throws InputError if the trace would exceed the caps of a trace file
     */
    void CheckSize(uint64_t layers, uint64_t layerCells) const
    {
        if (layers > kMaxTraceLayers || layers * layerCells > kMaxTraceCells)
        {
            Fail("trace too large: " + std::to_string(layers) + " layers of " +
                 std::to_string(layerCells) + " cells (max " + std::to_string(kMaxTraceLayers) +
                 " layers, " + std::to_string(kMaxTraceCells) + " cells)");
        }
    }

    /**
     * @param acc a layer's held tokens
     * @param numGpus N
     * @param numExperts E
     * @return the N x E matrix of its tokens in N balanced contiguous blocks
     */
    static TokenMatrix BalancedBlocks(const Layer& acc, uint32_t numGpus, uint32_t numExperts)
    {
        TokenMatrix m(numGpus, numExperts);
        const uint64_t tokens = acc.kept;
        uint64_t begin = 0;
        for (uint32_t g = 0; g < numGpus; ++g)
        {
            const uint64_t end = (static_cast<uint64_t>(g) + 1) * tokens / numGpus;
            const std::size_t from = begin == 0 ? 0 : static_cast<std::size_t>(acc.ends[begin - 1]);
            const std::size_t to = end == 0 ? 0 : static_cast<std::size_t>(acc.ends[end - 1]);
            for (std::size_t i = from; i < to; ++i)
            {
                m.Add(g, acc.ids[i], 1);
            }
            begin = end;
        }
        return m;
    }

    std::string m_name;                  //!< the input's name
    const TraceImportOptions& m_options; //!< the options
    TraceImportSummary& m_summary;       //!< what was read and dropped
    std::map<int64_t, Layer> m_layers;   //!< chosen model layers, by number
    std::set<int64_t> m_otherLayers;     //!< layers seen but not chosen
    std::vector<uint32_t> m_kept;        //!< the current token's kept ids
    int64_t m_maxId{-1};                 //!< largest expert id kept
    uint64_t m_held{0};                  //!< ids held for balanced blocks
    uint64_t m_cells{0};                 //!< cells held for windows
};

/** Where a JSON line is, for messages: "NAME:LINE: ". */
std::string
JsonWhere(const TextReader& reader)
{
    return reader.Name() + ":" + std::to_string(reader.LineNumber()) + ": ";
}

/** @param j a JSON value @return it as compact text made printable, cut */
std::string
Shown(const Json& j)
{
    return Printable(j.dump());
}

/**
 * A JSON integer in [min, max].
 * @param j the value
 * @param min smallest accepted
 * @param max largest accepted
 * @param out set to the value
 * @return true if @p j is an integer in range
 */
bool
JsonInteger(const Json& j, int64_t min, int64_t max, int64_t& out)
{
    if (j.is_number_unsigned())
    {
        const auto v = j.get<uint64_t>();
        if (v > static_cast<uint64_t>(max))
        {
            return false;
        }
        out = static_cast<int64_t>(v);
        return out >= min;
    }
    if (j.is_number_integer())
    {
        out = j.get<int64_t>();
        return out >= min && out <= max;
    }
    return false;
}

/** Reads JSON lines into a TokenMapper. */
class JsonLinesReader
{
  public:
    /**
     * @param reader the line reader
     * @param mapper receives the tokens
     * @param summary counts metadata lines
     */
    JsonLinesReader(TextReader& reader, TokenMapper& mapper, TraceImportSummary& summary)
        : m_reader(reader),
          m_mapper(mapper),
          m_summary(summary)
    {
    }

    /** Read every line. */
    void Run()
    {
        while (m_reader.NextLine())
        {
            std::string_view line = m_reader.Line();
            const std::size_t first = line.find_first_not_of(" \t\r\v\f");
            if (first == std::string_view::npos)
            {
                continue;
            }
            Json j;
            try
            {
                j = Json::parse(line.begin(), line.end());
            }
            catch (const Json::parse_error& e)
            {
                m_reader.Fail(m_reader.LineNumber(),
                              std::max<std::size_t>(e.byte, 1),
                              "invalid JSON: " + Explained(e.what()));
            }
            catch (const Json::exception& e)
            {
                Fail("invalid JSON: " + Explained(e.what()));
            }
            Record(j);
        }
    }

  private:
    /** Longest parser message shown. */
    static constexpr std::size_t kMaxReason = 160;

    /**
     * @param what an nlohmann message
     * @return its reason made printable (see Reason())
     */
    static std::string Explained(const std::string& what)
    {
        return EscapeForMessage(Reason(what), kMaxReason, QuoteStyle::BARE);
    }

    /**
     * @param what an nlohmann message
     * @return it without the "[json.exception...] parse error at line 1, column 5: " prefix
     */
    static std::string Reason(const std::string& what)
    {
        std::size_t from = what.find("] ");
        from = from == std::string::npos ? 0 : from + 2;
        const std::size_t column = what.find("column ", from);
        if (column != std::string::npos)
        {
            const std::size_t colon = what.find(": ", column);
            if (colon != std::string::npos)
            {
                from = colon + 2;
            }
        }
        return what.substr(from);
    }

    /**
     * @param what the message
     * @throws InputError "NAME:LINE: what"
     */
    [[noreturn]] void Fail(const std::string& what) const
    {
        throw InputError(JsonWhere(m_reader) + what);
    }

    /**
     * One object.
     * @param j the parsed line
     */
    void Record(const Json& j)
    {
        if (!j.is_object())
        {
            Fail(std::string("expected a JSON object, got ") + j.type_name());
        }
        const auto type = j.find("type");
        if (type != j.end())
        {
            if (!type->is_string())
            {
                Fail("'type' must be a string, got " + Shown(*type));
            }
            if (type->get<std::string>() != "route")
            {
                ++m_summary.metadataLines;
                return;
            }
        }
        const char* key = nullptr;
        for (const char* candidate : kExpertKeys)
        {
            if (j.contains(candidate))
            {
                if (key)
                {
                    Fail(std::string("keys '") + key + "' and '" + candidate +
                         "' both hold expert ids");
                }
                key = candidate;
            }
        }
        if (!key)
        {
            Fail("no expert ids: expected one of the keys 'experts', 'topk_ids', 'expert_ids', "
                 "'indices' or 'routed_experts' (or a \"type\" other than \"route\")");
        }
        const Json& value = j.at(key);
        const std::string name(key);
        if (!value.is_array() || value.empty())
        {
            Fail("'" + name + "' must be a non-empty array, got " + Shown(value));
        }
        int64_t layer = 0;
        const auto layerIt = j.find("layer");
        if (layerIt != j.end())
        {
            if (name == "routed_experts")
            {
                Fail("'layer' cannot go with 'routed_experts', whose second index is the layer");
            }
            if (!JsonInteger(*layerIt, 0, static_cast<int64_t>(kMaxLayerLabel), layer))
            {
                Fail("'layer' must be an integer in [0, " + std::to_string(kMaxLayerLabel) +
                     "], got " + Shown(*layerIt));
            }
        }
        const char* tokenKey = j.contains("token") ? "token" : nullptr;
        if (j.contains("token_idx"))
        {
            if (tokenKey)
            {
                Fail("keys 'token' and 'token_idx' both give the token index");
            }
            tokenKey = "token_idx";
        }
        bool dummy = false;
        const bool batch = value.front().is_array();
        if (tokenKey)
        {
            if (batch)
            {
                Fail(std::string("'") + tokenKey + "' names one token, but '" + name +
                     "' holds several");
            }
            int64_t token = 0;
            if (!JsonInteger(j.at(tokenKey), -1, std::numeric_limits<int64_t>::max(), token))
            {
                Fail(std::string("'") + tokenKey + "' must be an integer >= -1, got " +
                     Shown(j.at(tokenKey)));
            }
            dummy = token == -1;
        }
        if (name == "routed_experts")
        {
            // [token][layer][k], as vLLM's CompletionOutput.routed_experts.
            for (std::size_t t = 0; t < value.size(); ++t)
            {
                const Json& layers = value[t];
                const std::string at = name + "[" + std::to_string(t) + "]";
                if (!layers.is_array())
                {
                    Fail(at + " must be an array of layers, got " + Shown(layers));
                }
                for (std::size_t l = 0; l < layers.size(); ++l)
                {
                    Token(static_cast<int64_t>(l),
                          false,
                          layers[l],
                          at + "[" + std::to_string(l) + "]");
                }
            }
            return;
        }
        if (batch)
        {
            for (std::size_t t = 0; t < value.size(); ++t)
            {
                Token(layer, false, value[t], name + "[" + std::to_string(t) + "]");
            }
            return;
        }
        Token(layer, dummy, value, name);
    }

    /**
     * One token's ids.
     * @param layer its layer
     * @param dummy its token index is -1
     * @param ids the array of ids
     * @param at where it is, for messages (e.g. "topk_ids[3]")
     */
    void Token(int64_t layer, bool dummy, const Json& ids, const std::string& at)
    {
        if (!ids.is_array() || ids.empty())
        {
            Fail(at + " must be a non-empty array of expert ids, got " + Shown(ids));
        }
        if (ids.size() > kMaxTopK + 1)
        {
            Fail(at + " has " + std::to_string(ids.size()) + " expert ids (max " +
                 std::to_string(kMaxTopK) + ")");
        }
        m_ids.clear();
        for (std::size_t k = 0; k < ids.size(); ++k)
        {
            int64_t id = 0;
            if (!JsonInteger(ids[k],
                             -static_cast<int64_t>(kMaxIdMagnitude),
                             static_cast<int64_t>(kMaxIdMagnitude),
                             id))
            {
                Fail(at + "[" + std::to_string(k) + "] must be an integer expert id, got " +
                     Shown(ids[k]));
            }
            m_ids.push_back(id);
        }
        m_mapper.AddToken(layer, dummy, m_ids, [&](std::size_t k, const std::string& what) {
            Fail(at + "[" + std::to_string(k) + "]: " + what);
        });
    }

    TextReader& m_reader;          //!< the lines
    TokenMapper& m_mapper;         //!< receives the tokens
    TraceImportSummary& m_summary; //!< counts metadata lines
    std::vector<int64_t> m_ids;    //!< the current token's ids
};

/**
 * A field as an integer in [-2^62, 2^62].
 * @param reader the reader
 * @param field the field
 * @param what what the number is, for messages
 * @return the value
 */
int64_t
FieldSigned(const TextReader& reader, const TextField& field, const std::string& what)
{
    const bool negative = !field.text.empty() && field.text[0] == '-';
    uint64_t magnitude = 0;
    const UnsignedStatus status =
        TextReader::ReadUnsigned(negative ? field.text.substr(1) : field.text,
                                 kMaxIdMagnitude,
                                 magnitude);
    if (status == UnsignedStatus::OUT_OF_RANGE)
    {
        reader.Fail(field, what + " " + Printable(field.text) + " is too large");
    }
    if (status != UnsignedStatus::OK)
    {
        reader.Fail(field, "expected an integer " + what + ", got '" + Printable(field.text) + "'");
    }
    return negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
}

/**
 * Read "LAYER TOKEN EXPERT..." lines into a TokenMapper.
 * @param reader the line reader
 * @param mapper receives the tokens
 */
void
ReadSelection(TextReader& reader, TokenMapper& mapper)
{
    bool first = true;
    std::vector<int64_t> ids;
    while (reader.NextLine())
    {
        const std::vector<TextField>& fields = reader.Fields();
        if (fields.empty())
        {
            continue;
        }
        if (first && fields[0].text == "layer")
        {
            first = false; // a header line such as "layer,token,experts"
            continue;
        }
        first = false;
        if (fields.size() < 3)
        {
            const TextField& last = fields.back();
            reader.Fail(reader.LineNumber(),
                        last.column + last.text.size(),
                        "expected 'LAYER TOKEN EXPERT...', got " + std::to_string(fields.size()) +
                            " field(s)");
        }
        const auto layer =
            static_cast<int64_t>(reader.ParseUnsigned(fields[0], kMaxLayerLabel, "layer"));
        const int64_t token = FieldSigned(reader, fields[1], "token index");
        if (token < -1)
        {
            reader.Fail(fields[1],
                        "token index must be >= -1 (-1: a dummy token), got " +
                            std::to_string(token));
        }
        if (fields.size() - 2 > kMaxTopK + 1)
        {
            reader.Fail(fields[kMaxTopK + 3],
                        "more than " + std::to_string(kMaxTopK) + " expert ids for one token");
        }
        ids.clear();
        for (std::size_t k = 2; k < fields.size(); ++k)
        {
            ids.push_back(FieldSigned(reader, fields[k], "expert id"));
        }
        mapper.AddToken(layer, token == -1, ids, [&](std::size_t k, const std::string& what) {
            reader.Fail(fields[k + 2], what);
        });
    }
    FailOnReadError(reader);
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
    case TraceFormat::JSONL: {
        TextReader reader(in, name, ReaderOptions(false));
        TokenMapper mapper(name, options, s);
        JsonLinesReader(reader, mapper, s).Run();
        FailOnReadError(reader);
        return mapper.Finish(reader.LineNumber() + 1);
    }
    case TraceFormat::SELECTION:
    default: {
        TextReader reader(in, name, ReaderOptions(true));
        TokenMapper mapper(name, options, s);
        ReadSelection(reader, mapper);
        return mapper.Finish(reader.LineNumber() + 1);
    }
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
