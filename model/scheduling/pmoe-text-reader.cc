/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-text-reader.h"

#include <algorithm>
#include <utility>

namespace ns3
{
namespace pmoe
{

namespace
{

/** Longest piece of a line read from the stream at a time. */
constexpr std::size_t kChunkBytes = 1 << 16;

/** Longest field quoted in the messages of ParseUnsigned(). */
constexpr std::size_t kMaxQuotedField = 32;

/** Longest digit string ReadUnsigned() looks at. */
constexpr std::size_t kMaxDigits = 30;

/** @param c a byte @return true for the blanks that separate fields */
bool
IsBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

} // namespace

std::string
EscapeForMessage(std::string_view text, std::size_t maxBytes, QuoteStyle style)
{
    static constexpr char kHex[] = "0123456789abcdef";
    const bool quoted = style == QuoteStyle::QUOTED;
    std::string out = quoted ? "'" : "";
    const std::size_t shown = std::min(text.size(), maxBytes);
    for (std::size_t k = 0; k < shown; ++k)
    {
        auto b = static_cast<unsigned char>(text[k]);
        if (b < 0x20 || b >= 0x7f || (quoted && (b == '\\' || b == '\'')))
        {
            out += "\\x";
            out += kHex[b >> 4];
            out += kHex[b & 0xf];
        }
        else
        {
            out += static_cast<char>(b);
        }
    }
    if (text.size() > shown)
    {
        out += "...";
    }
    if (quoted)
    {
        out += "'";
    }
    return out;
}

TextReader::TextReader(std::istream& in, std::string name, Options options)
    : m_in(in),
      m_name(std::move(name)),
      m_options(options),
      m_chunk(kChunkBytes),
      m_endOfInput(!in.good()),
      m_readFailed(in.bad())
{
}

bool
TextReader::NextLine()
{
    m_line.clear();
    m_fields.clear();
    bool any = false;
    while (!m_endOfInput)
    {
        // istream::getline catches what the stream buffer throws (e.g. reading a directory)
        // and sets badbit instead; it extracts the '\n' but does not store it.
        m_in.getline(m_chunk.data(), static_cast<std::streamsize>(m_chunk.size()));
        const auto got = static_cast<std::size_t>(m_in.gcount());
        const bool endOfLine = m_in.good();
        const std::size_t stored = endOfLine ? got - 1 : got;
        any = any || got > 0;
        if (m_options.maxLineBytes > 0 && m_line.size() + stored > m_options.maxLineBytes)
        {
            Fail(m_lineNumber + 1,
                 1,
                 "line longer than " + std::to_string(m_options.maxLineBytes) + " bytes");
        }
        m_line.append(m_chunk.data(), stored);
        if (endOfLine)
        {
            break;
        }
        if (m_in.bad() || m_in.eof())
        {
            m_endOfInput = true;
            m_readFailed = m_in.bad();
            break;
        }
        m_in.clear(m_in.rdstate() & ~std::ios::failbit); // the chunk is full: read on
    }
    if (!any)
    {
        return false;
    }
    ++m_lineNumber;
    if (m_options.splitFields)
    {
        Split();
    }
    return true;
}

std::string_view
TextReader::Line() const
{
    std::string_view line(m_line);
    if (m_lineNumber == 1 && m_options.skipByteOrderMark && line.substr(0, 3) == "\xEF\xBB\xBF")
    {
        line.remove_prefix(3);
    }
    return line;
}

void
TextReader::Split()
{
    std::string_view line(m_line);
    if (m_lineNumber == 1 && m_options.skipByteOrderMark && line.substr(0, 3) == "\xEF\xBB\xBF")
    {
        line.remove_prefix(3);
    }
    const std::size_t end = std::min(line.find('#'), line.size());
    bool fieldSinceComma = false;
    std::size_t i = 0;
    while (i < end)
    {
        if (line[i] == ',')
        {
            if (m_options.reportEmptyFields && !fieldSinceComma)
            {
                m_fields.push_back({line.substr(i, 0), i + 1});
            }
            fieldSinceComma = false;
            ++i;
            continue;
        }
        if (IsBlank(line[i]))
        {
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < end && line[i] != ',' && !IsBlank(line[i]))
        {
            ++i;
        }
        m_fields.push_back({line.substr(start, i - start), start + 1});
        fieldSinceComma = true;
    }
}

std::string
TextReader::Where(uint64_t line, std::size_t column) const
{
    return m_name + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

std::string
TextReader::Where(const TextField& field) const
{
    return Where(m_lineNumber, field.column);
}

void
TextReader::Fail(uint64_t line, std::size_t column, const std::string& what) const
{
    throw InputError(Where(line, column) + what);
}

void
TextReader::Fail(const TextField& field, const std::string& what) const
{
    throw InputError(Where(field) + what);
}

UnsignedStatus
TextReader::ReadUnsigned(std::string_view text, uint64_t max, uint64_t& value)
{
    if (!IsDecimalDigits(text) || text.size() > kMaxDigits)
    {
        return !text.empty() && text[0] == '-' ? UnsignedStatus::NEGATIVE
                                               : UnsignedStatus::NOT_DIGITS;
    }
    uint64_t v = 0;
    for (char c : text)
    {
        auto d = static_cast<uint64_t>(c - '0');
        if (d > max || v > (max - d) / 10)
        {
            return UnsignedStatus::OUT_OF_RANGE;
        }
        v = v * 10 + d;
    }
    value = v;
    return UnsignedStatus::OK;
}

uint64_t
TextReader::ParseUnsigned(const TextField& field, uint64_t max, const std::string& what) const
{
    uint64_t value = 0;
    const UnsignedStatus status = ReadUnsigned(field.text, max, value);
    if (status != UnsignedStatus::OK)
    {
        FailUnsigned(field, status, max, what);
    }
    return value;
}

void
TextReader::FailUnsigned(const TextField& field,
                         UnsignedStatus status,
                         uint64_t max,
                         const std::string& what) const
{
    const std::string shown = EscapeForMessage(field.text, kMaxQuotedField, QuoteStyle::BARE);
    if (status == UnsignedStatus::NEGATIVE)
    {
        Fail(field, what + " must be non-negative, got '" + shown + "'");
    }
    if (status == UnsignedStatus::NOT_DIGITS)
    {
        Fail(field, "expected a non-negative integer " + what + ", got '" + shown + "'");
    }
    Fail(field, what + " " + shown + " is too large (max " + std::to_string(max) + ")");
}

bool
TextReader::IsDecimalDigits(std::string_view text)
{
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace pmoe
} // namespace ns3
