/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-workload-io.h"

#include "pmoe-text-reader.h"

#include <fstream>
#include <utility>

namespace ns3
{
namespace pmoe
{

namespace
{

/** Longest part of a field quoted in a message. */
constexpr std::size_t kMaxQuotedField = 32;

/** @param text a field @return it made printable for a message */
std::string
Printable(std::string_view text)
{
    return EscapeForMessage(text, kMaxQuotedField, QuoteStyle::BARE);
}

/** @return the reader options of trace and placement files: lines capped, commas separate */
TextReader::Options
LineCap()
{
    TextReader::Options options;
    options.maxLineBytes = kMaxInputLineBytes;
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

} // namespace

RoutingTrace
ParseRoutingTrace(std::istream& in, const std::string& name)
{
    TextReader reader(in, name, LineCap());
    RoutingTrace trace;
    bool haveHeader = false;
    bool inLayer = false;
    uint64_t rows = 0;            // rows read for the open layer
    std::vector<uint64_t> values; // the open layer's values, grown as rows are read
    uint64_t openedAt = 0;        // line of the open layer's header
    uint64_t cells = 0;           // cells of all layers so far (cap kMaxTraceCells)

    auto closeLayer = [&]() {
        TokenMatrix m(trace.numGpus, trace.numExperts);
        for (std::size_t i = 0; i < trace.numGpus; ++i)
        {
            for (std::size_t e = 0; e < trace.numExperts; ++e)
            {
                m.Add(i, e, values[i * trace.numExperts + e]);
            }
        }
        trace.layers.push_back(std::move(m));
        values.clear();
        inLayer = false;
        rows = 0;
    };

    while (reader.NextLine())
    {
        const std::vector<TextField>& fields = reader.Fields();
        if (fields.empty())
        {
            continue;
        }
        const TextField& first = fields[0];
        if (!haveHeader)
        {
            if (first.text != "gpus")
            {
                reader.Fail(first,
                            "expected header 'gpus N experts E', got '" + Printable(first.text) +
                                "'");
            }
            if (fields.size() < 4 || fields[2].text != "experts")
            {
                const TextField& bad = fields.size() < 3 ? fields.back() : fields[2];
                reader.Fail(bad, "expected header 'gpus N experts E'");
            }
            if (fields.size() > 4)
            {
                reader.Fail(fields[4],
                            "unexpected '" + Printable(fields[4].text) + "' after the header");
            }
            uint64_t n = reader.ParseUnsigned(fields[1], kMaxMoeGpus, "number of GPUs");
            if (n < 2)
            {
                reader.Fail(fields[1], "number of GPUs must be >= 2, got " + std::to_string(n));
            }
            uint64_t e = reader.ParseUnsigned(fields[3], kMaxMoeExperts, "number of experts");
            if (e < 1)
            {
                reader.Fail(fields[3], "number of experts must be >= 1");
            }
            if (n * e > kMaxMoeCells)
            {
                reader.Fail(fields[3],
                            "GPUs x experts = " + std::to_string(n * e) + " exceeds " +
                                std::to_string(kMaxMoeCells));
            }
            trace.numGpus = static_cast<uint32_t>(n);
            trace.numExperts = static_cast<uint32_t>(e);
            haveHeader = true;
            continue;
        }
        if (first.text == "layer")
        {
            if (inLayer)
            {
                reader.Fail(first,
                            "layer " + std::to_string(trace.layers.size()) + " (line " +
                                std::to_string(openedAt) + ") has " + std::to_string(rows) +
                                " rows, expected " + std::to_string(trace.numGpus));
            }
            if (fields.size() < 2)
            {
                reader.Fail(first, "expected 'layer " + std::to_string(trace.layers.size()) + "'");
            }
            if (fields.size() > 2)
            {
                reader.Fail(fields[2],
                            "unexpected '" + Printable(fields[2].text) +
                                "' after the layer number");
            }
            uint64_t l = reader.ParseUnsigned(fields[1], kMaxTraceLayers, "layer number");
            if (l != trace.layers.size())
            {
                reader.Fail(fields[1],
                            "expected layer " + std::to_string(trace.layers.size()) +
                                ", got layer " + std::to_string(l) +
                                " (layers are numbered 0, 1, 2, ... in order)");
            }
            uint64_t layerCells = static_cast<uint64_t>(trace.numGpus) * trace.numExperts;
            if (l >= kMaxTraceLayers || cells + layerCells > kMaxTraceCells)
            {
                reader.Fail(first,
                            "trace too large: more than " + std::to_string(kMaxTraceCells) +
                                " cells or " + std::to_string(kMaxTraceLayers) + " layers");
            }
            cells += layerCells;
            inLayer = true;
            openedAt = reader.LineNumber();
            continue;
        }
        if (!inLayer)
        {
            reader.Fail(first,
                        "expected 'layer " + std::to_string(trace.layers.size()) + "', got '" +
                            Printable(first.text) + "'");
        }
        if (fields.size() > trace.numExperts)
        {
            reader.Fail(fields[trace.numExperts],
                        "row " + std::to_string(rows) + " of layer " +
                            std::to_string(trace.layers.size()) + " has more than " +
                            std::to_string(trace.numExperts) + " entries");
        }
        if (fields.size() < trace.numExperts)
        {
            const TextField& last = fields.back();
            reader.Fail(reader.LineNumber(),
                        last.column + last.text.size(),
                        "row " + std::to_string(rows) + " of layer " +
                            std::to_string(trace.layers.size()) + " has " +
                            std::to_string(fields.size()) + " entries, expected " +
                            std::to_string(trace.numExperts));
        }
        for (const TextField& f : fields)
        {
            values.push_back(reader.ParseUnsigned(f, kMaxTraceCount, "token count"));
        }
        ++rows;
        if (rows == trace.numGpus)
        {
            closeLayer();
        }
    }
    FailOnReadError(reader);
    uint64_t endLine = reader.LineNumber() + 1;
    if (!haveHeader)
    {
        reader.Fail(endLine, 1, "empty trace: expected header 'gpus N experts E'");
    }
    if (inLayer)
    {
        reader.Fail(endLine,
                    1,
                    "unexpected end of file: layer " + std::to_string(trace.layers.size()) +
                        " has " + std::to_string(rows) + " rows, expected " +
                        std::to_string(trace.numGpus));
    }
    if (trace.layers.empty())
    {
        reader.Fail(endLine, 1, "trace has no layers (expected 'layer 0')");
    }
    return trace;
}

RoutingTrace
ReadRoutingTrace(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw InputError("cannot open routing trace '" + path + "'");
    }
    return ParseRoutingTrace(in, path);
}

void
WriteRoutingTrace(std::ostream& out, const RoutingTrace& trace)
{
    out << "gpus " << trace.numGpus << " experts " << trace.numExperts << "\n";
    for (std::size_t l = 0; l < trace.layers.size(); ++l)
    {
        const TokenMatrix& m = trace.layers[l];
        out << "layer " << l << "\n";
        for (std::size_t i = 0; i < m.Rows(); ++i)
        {
            for (std::size_t e = 0; e < m.Cols(); ++e)
            {
                out << (e ? " " : "") << m.At(i, e);
            }
            out << "\n";
        }
    }
}

std::vector<uint32_t>
ParsePlacement(std::istream& in, const std::string& name, uint32_t numGpus)
{
    TextReader reader(in, name, LineCap());
    std::vector<uint32_t> gpuOf;
    uint64_t max = numGpus > 0 ? numGpus - 1 : kMaxMoeGpus - 1;
    while (reader.NextLine())
    {
        const std::vector<TextField>& fields = reader.Fields();
        for (const TextField& f : fields)
        {
            if (gpuOf.size() >= kMaxMoeExperts)
            {
                reader.Fail(f, "more than " + std::to_string(kMaxMoeExperts) + " experts");
            }
            uint64_t g = 0;
            const UnsignedStatus status = TextReader::ReadUnsigned(f.text, max, g);
            if (status != UnsignedStatus::OK)
            {
                if (numGpus > 0 && TextReader::IsDecimalDigits(f.text))
                {
                    // An index out of range: name the expert and the number of GPUs.
                    reader.Fail(f,
                                "expert " + std::to_string(gpuOf.size()) + " placed on GPU " +
                                    Printable(f.text) + ", but there are only " +
                                    std::to_string(numGpus) + " GPUs");
                }
                reader.FailUnsigned(f, status, max, "GPU index");
            }
            gpuOf.push_back(static_cast<uint32_t>(g));
        }
    }
    FailOnReadError(reader);
    if (gpuOf.empty())
    {
        reader.Fail(reader.LineNumber() + 1,
                    1,
                    "empty placement: expected one GPU index per expert");
    }
    return gpuOf;
}

std::vector<uint32_t>
ReadPlacement(const std::string& path, uint32_t numGpus)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw InputError("cannot open placement file '" + path + "'");
    }
    return ParsePlacement(in, path, numGpus);
}

} // namespace pmoe
} // namespace ns3
