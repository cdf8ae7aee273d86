/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/*
 * The per-token formats of the routing-log importers: JSON lines (TraceFormat::JSONL) and
 * expert-selection text logs (TraceFormat::SELECTION). Both feed a TokenMapper, which keeps
 * the chosen model layers, drops warm-up, dummy and padding tokens, and maps the tokens to
 * GPUs in balanced contiguous blocks or in windows of tokensPerGpu tokens per GPU. The
 * options, the entry points and the matrix formats are in pmoe-trace-import.cc.
 */

#include "pmoe-trace-import-detail.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

namespace ns3
{
namespace pmoe
{
namespace detail
{

namespace
{

using Json = nlohmann::json;

/** The JSON keys that hold expert ids, in the order they are looked for. */
const char* const kExpertKeys[] = {"experts",
                                   "topk_ids",
                                   "expert_ids",
                                   "indices",
                                   "routed_experts"};

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

} // namespace

RoutingTrace
ReadJsonLinesTrace(std::istream& in,
                   const std::string& name,
                   const TraceImportOptions& options,
                   TraceImportSummary& summary)
{
    TextReader reader(in, name, ReaderOptions(false));
    TokenMapper mapper(name, options, summary);
    JsonLinesReader(reader, mapper, summary).Run();
    FailOnReadError(reader);
    return mapper.Finish(reader.LineNumber() + 1);
}

RoutingTrace
ReadSelectionTrace(std::istream& in,
                   const std::string& name,
                   const TraceImportOptions& options,
                   TraceImportSummary& summary)
{
    TextReader reader(in, name, ReaderOptions(true));
    TokenMapper mapper(name, options, summary);
    ReadSelection(reader, mapper);
    return mapper.Finish(reader.LineNumber() + 1);
}

} // namespace detail
} // namespace pmoe
} // namespace ns3
