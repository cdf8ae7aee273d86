/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-matrix-io.h"

#include "pmoe-text-reader.h"

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>
#include <vector>

namespace ns3
{
namespace pmoe
{

namespace
{

/** Longest token quoted verbatim in an error message. */
constexpr std::size_t kMaxQuotedToken = 40;

/** Largest exponent magnitude tracked while parsing "1e6"-style entries (saturates). */
constexpr int64_t kExponentCap = 1000000000;

bool
IsDigit(char c)
{
    return c >= '0' && c <= '9';
}

/** @return "1 entry" or "N entries" */
std::string
Entries(std::size_t n)
{
    return std::to_string(n) + (n == 1 ? " entry" : " entries");
}

char
ToLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/** @param token a token @return it quoted for an error message, cut short when long */
std::string
Quote(std::string_view token)
{
    return EscapeForMessage(token, kMaxQuotedToken, QuoteStyle::QUOTED);
}

/** Outcome of reading one entry. */
enum class EntryStatus
{
    OK,
    NON_NUMERIC,
    NOT_FINITE,
    NEGATIVE,
    FRACTIONAL,
    TOO_LARGE
};

bool
EqualsLower(std::string_view s, std::string_view lower)
{
    if (s.size() != lower.size())
    {
        return false;
    }
    for (std::size_t k = 0; k < s.size(); ++k)
    {
        if (ToLower(s[k]) != lower[k])
        {
            return false;
        }
    }
    return true;
}

/**
 * Read one entry: [+-]digits[.digits][(e|E)[+-]digits], exact integers only, computed with
 * digit strings (no floating point), so that "1e6" is exactly 1000000 and "1.5" is rejected.
 */
EntryStatus
ReadEntry(std::string_view t, Bytes& value)
{
    std::size_t p = 0;
    bool negative = false;
    if (p < t.size() && (t[p] == '+' || t[p] == '-'))
    {
        negative = t[p] == '-';
        ++p;
    }
    std::string_view body = t.substr(p);
    if (EqualsLower(body, "nan") || EqualsLower(body, "inf") || EqualsLower(body, "infinity") ||
        (body.size() >= 4 && EqualsLower(body.substr(0, 4), "nan(") && body.back() == ')'))
    {
        return EntryStatus::NOT_FINITE;
    }
    std::size_t intStart = p;
    while (p < t.size() && IsDigit(t[p]))
    {
        ++p;
    }
    std::string_view intDigits = t.substr(intStart, p - intStart);
    std::string_view fracDigits;
    if (p < t.size() && t[p] == '.')
    {
        ++p;
        std::size_t fracStart = p;
        while (p < t.size() && IsDigit(t[p]))
        {
            ++p;
        }
        fracDigits = t.substr(fracStart, p - fracStart);
    }
    if (intDigits.empty() && fracDigits.empty())
    {
        return EntryStatus::NON_NUMERIC;
    }
    int64_t exponent = 0;
    if (p < t.size() && (t[p] == 'e' || t[p] == 'E'))
    {
        ++p;
        bool expNegative = false;
        if (p < t.size() && (t[p] == '+' || t[p] == '-'))
        {
            expNegative = t[p] == '-';
            ++p;
        }
        if (p >= t.size() || !IsDigit(t[p]))
        {
            return EntryStatus::NON_NUMERIC;
        }
        while (p < t.size() && IsDigit(t[p]))
        {
            if (exponent < kExponentCap)
            {
                exponent = exponent * 10 + (t[p] - '0');
            }
            ++p;
        }
        if (expNegative)
        {
            exponent = -exponent;
        }
    }
    if (p != t.size())
    {
        return EntryStatus::NON_NUMERIC;
    }

    // Significant digits and the power of ten that scales them.
    std::string digits;
    digits.reserve(intDigits.size() + fracDigits.size());
    digits.append(intDigits);
    digits.append(fracDigits);
    std::size_t firstNonZero = digits.find_first_not_of('0');
    if (firstNonZero == std::string::npos)
    {
        value = 0; // "0", "-0", "0.000", "0e99"
        return EntryStatus::OK;
    }
    if (negative)
    {
        return EntryStatus::NEGATIVE;
    }
    digits.erase(0, firstNonZero);
    // |exponent| <= 1e9 and the fraction is shorter than the input: no int64 overflow.
    int64_t scale = exponent - static_cast<int64_t>(fracDigits.size());
    if (scale < 0)
    {
        auto drop = static_cast<uint64_t>(-scale);
        if (drop >= digits.size())
        {
            return EntryStatus::FRACTIONAL; // the leading nonzero digit is after the point
        }
        std::size_t keep = digits.size() - static_cast<std::size_t>(drop);
        if (digits.find_first_not_of('0', keep) != std::string::npos)
        {
            return EntryStatus::FRACTIONAL;
        }
        digits.resize(keep);
        scale = 0;
    }
    // 2^53 has 16 digits: anything longer is too large, and 16 digits fit in uint64_t.
    if (static_cast<uint64_t>(scale) + digits.size() > 16)
    {
        return EntryStatus::TOO_LARGE;
    }
    uint64_t v = 0;
    for (char c : digits)
    {
        v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    for (int64_t k = 0; k < scale; ++k)
    {
        v *= 10;
    }
    if (v > static_cast<uint64_t>(kMaxMatrixEntryBytes))
    {
        return EntryStatus::TOO_LARGE;
    }
    value = static_cast<Bytes>(v);
    return EntryStatus::OK;
}

/** Builds the matrix from the lines of a TextReader; one instance per ParseDemandMatrix(). */
class MatrixParser
{
  public:
    /** @param reader the reader whose lines are parsed */
    explicit MatrixParser(const TextReader& reader)
        : m_reader(reader)
    {
    }

    /** Parse the reader's current line. */
    void Line();

    /** @return the matrix, once the shape is checked */
    DemandMatrix Finish() const;

  private:
    /** Add one entry of the current line. @param field the entry */
    void Entry(const TextField& field);

    const TextReader& m_reader;
    std::size_t m_cols{0};       //!< entries per row (set by the first row)
    std::size_t m_rows{0};       //!< complete rows so far
    uint64_t m_firstRowLine{0};  //!< line of the first row
    uint64_t m_lastRowLine{0};   //!< line of the latest row
    std::size_t m_rowEntries{0}; //!< entries in the row being read
    Bytes m_total{0};            //!< sum of all entries so far (<= 2^53)
    std::vector<Bytes> m_values; //!< row-major entries read so far
};

void
MatrixParser::Entry(const TextField& field)
{
    const std::string_view token = field.text;
    if (m_rowEntries == 0 && m_rows > 0 && m_rows == m_cols)
    {
        m_reader.Fail(field,
                      "matrix is not square: row " + std::to_string(m_rows + 1) +
                          " found, but rows have " + Entries(m_cols));
    }
    if (m_rows == 0 && m_rowEntries == kMaxMatrixPorts)
    {
        m_reader.Fail(field,
                      "too many entries in a row at " + Quote(token) + " (at most " +
                          std::to_string(kMaxMatrixPorts) + " ports)");
    }
    if (m_rows > 0 && m_rowEntries == m_cols)
    {
        m_reader.Fail(field,
                      "row " + std::to_string(m_rows + 1) + " has more than " + Entries(m_cols) +
                          " (extra entry " + Quote(token) + "; the first row, line " +
                          std::to_string(m_firstRowLine) + ", has " + Entries(m_cols) + ")");
    }
    Bytes v = 0;
    switch (ReadEntry(token, v))
    {
    case EntryStatus::OK:
        break;
    case EntryStatus::NON_NUMERIC:
        m_reader.Fail(field, "non-numeric entry " + Quote(token));
    case EntryStatus::NOT_FINITE:
        m_reader.Fail(field, "entry " + Quote(token) + " is not a finite number");
    case EntryStatus::NEGATIVE:
        m_reader.Fail(field, "negative entry " + Quote(token) + " (demands are bytes, >= 0)");
    case EntryStatus::FRACTIONAL:
        m_reader.Fail(field, "fractional entry " + Quote(token) + " (demands are whole bytes)");
    case EntryStatus::TOO_LARGE:
        m_reader.Fail(field,
                      "entry " + Quote(token) + " is too large (at most 2^53 = " +
                          std::to_string(kMaxMatrixEntryBytes) + " bytes)");
    }
    if (v > kMaxMatrixEntryBytes - m_total)
    {
        m_reader.Fail(field,
                      "sum of the entries exceeds 2^53 = " + std::to_string(kMaxMatrixEntryBytes) +
                          " bytes at entry " + Quote(token));
    }
    m_total += v;
    m_values.push_back(v);
    ++m_rowEntries;
}

void
MatrixParser::Line()
{
    const std::vector<TextField>& fields = m_reader.Fields();
    if (fields.empty())
    {
        return; // blank or comment-only line
    }
    for (const TextField& field : fields)
    {
        if (field.text.empty())
        {
            m_reader.Fail(field, "empty field before ','");
        }
        if (&field == &fields.front())
        {
            if (m_rows == 0)
            {
                m_firstRowLine = m_reader.LineNumber();
            }
            m_lastRowLine = m_reader.LineNumber();
        }
        Entry(field);
    }
    // A single trailing comma is tolerated (the reader reports only empty fields).
    if (m_rows == 0)
    {
        m_cols = m_rowEntries;
    }
    else if (m_rowEntries != m_cols)
    {
        // The row is short (long rows fail in Entry()); point just past its last entry.
        const TextField& last = fields.back();
        m_reader.Fail(m_reader.LineNumber(),
                      last.column + last.text.size(),
                      "row " + std::to_string(m_rows + 1) + " has " + Entries(m_rowEntries) +
                          ", expected " + std::to_string(m_cols) + " (as in the first row, line " +
                          std::to_string(m_firstRowLine) + ")");
    }
    ++m_rows;
    m_rowEntries = 0;
}

DemandMatrix
MatrixParser::Finish() const
{
    if (m_rows == 0)
    {
        m_reader.Fail(1, 1, "empty matrix: no rows (only blank lines and comments)");
    }
    if (m_cols < 2)
    {
        m_reader.Fail(m_firstRowLine,
                      1,
                      "matrix is " + std::to_string(m_rows) + "x" + std::to_string(m_cols) +
                          "; at least 2 ports are needed");
    }
    if (m_rows != m_cols)
    {
        m_reader.Fail(m_lastRowLine,
                      1,
                      "matrix is not square: " + std::to_string(m_rows) + " rows of " +
                          Entries(m_cols) + " (missing row " + std::to_string(m_rows + 1) +
                          " after this line)");
    }
    DemandMatrix d(m_cols);
    for (std::size_t i = 0; i < m_cols; ++i)
    {
        for (std::size_t j = 0; j < m_cols; ++j)
        {
            d.Set(i, j, m_values[i * m_cols + j]);
        }
    }
    return d;
}

} // namespace

DemandMatrix
ParseDemandMatrix(std::istream& in, const std::string& name)
{
    TextReader::Options options;
    options.skipByteOrderMark = true;
    options.reportEmptyFields = true;
    TextReader reader(in, name, options);
    MatrixParser parser(reader);
    while (reader.NextLine())
    {
        parser.Line();
    }
    if (reader.ReadFailed())
    {
        throw InputError(name + ": read error after line " + std::to_string(reader.LineNumber()));
    }
    return parser.Finish();
}

DemandMatrix
ReadDemandMatrix(const std::string& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
    {
        throw InputError(path + ": cannot read matrix: is a directory");
    }
    std::ifstream in(path, std::ios::in | std::ios::binary);
    if (!in)
    {
        int err = errno;
        throw InputError(path + ": cannot open matrix file: " +
                         (err != 0 ? std::generic_category().message(err) : "unknown error"));
    }
    return ParseDemandMatrix(in, path);
}

void
WriteDemandMatrix(std::ostream& out, const DemandMatrix& d)
{
    for (std::size_t i = 0; i < d.Size(); ++i)
    {
        for (std::size_t j = 0; j < d.Size(); ++j)
        {
            if (j > 0)
            {
                out << ", ";
            }
            out << (i == j ? d.LocalBytes(i) : d.At(i, j));
        }
        out << '\n';
    }
}

} // namespace pmoe
} // namespace ns3
