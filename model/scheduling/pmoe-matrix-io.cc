/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-matrix-io.h"

#include <algorithm>
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
IsBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

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

/**
 * Quote a token for an error message: printable ASCII verbatim, everything else as \xNN,
 * long tokens cut short.
 */
std::string
Quote(std::string_view token)
{
    static const char kHex[] = "0123456789abcdef";
    std::string out = "'";
    std::size_t shown = std::min(token.size(), kMaxQuotedToken);
    for (std::size_t k = 0; k < shown; ++k)
    {
        auto b = static_cast<unsigned char>(token[k]);
        if (b < 0x20 || b >= 0x7f || b == '\\' || b == '\'')
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
    if (token.size() > shown)
    {
        out += "...";
    }
    out += "'";
    return out;
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

/** Incremental parser state; one instance per ParseDemandMatrix() call. */
class MatrixParser
{
  public:
    explicit MatrixParser(const std::string& name)
        : m_name(name)
    {
    }

    /** Parse one physical line (without its '\n'). */
    void Line(std::string_view line, std::size_t lineNo);

    /** Finish: check the shape and build the matrix. */
    DemandMatrix Finish();

  private:
    [[noreturn]] void Fail(std::size_t line, std::size_t col, const std::string& what) const
    {
        throw InputError(m_name + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " +
                         what);
    }

    void Entry(std::string_view token, std::size_t lineNo, std::size_t col);

    std::string m_name;
    std::size_t m_cols{0};         //!< entries per row (set by the first row)
    std::size_t m_rows{0};         //!< complete rows so far
    std::size_t m_firstRowLine{0}; //!< line of the first row
    std::size_t m_lastRowLine{0};  //!< line of the latest row
    std::size_t m_rowEntries{0};   //!< entries in the row being read
    Bytes m_total{0};              //!< sum of all entries so far (<= 2^53)
    std::vector<Bytes> m_values;   //!< row-major entries read so far
};

void
MatrixParser::Entry(std::string_view token, std::size_t lineNo, std::size_t col)
{
    if (m_rowEntries == 0 && m_rows > 0 && m_rows == m_cols)
    {
        Fail(lineNo,
             col,
             "matrix is not square: row " + std::to_string(m_rows + 1) + " found, but rows have " +
                 Entries(m_cols));
    }
    if (m_rows == 0 && m_rowEntries == kMaxMatrixPorts)
    {
        Fail(lineNo,
             col,
             "too many entries in a row at " + Quote(token) + " (at most " +
                 std::to_string(kMaxMatrixPorts) + " ports)");
    }
    if (m_rows > 0 && m_rowEntries == m_cols)
    {
        Fail(lineNo,
             col,
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
        Fail(lineNo, col, "non-numeric entry " + Quote(token));
    case EntryStatus::NOT_FINITE:
        Fail(lineNo, col, "entry " + Quote(token) + " is not a finite number");
    case EntryStatus::NEGATIVE:
        Fail(lineNo, col, "negative entry " + Quote(token) + " (demands are bytes, >= 0)");
    case EntryStatus::FRACTIONAL:
        Fail(lineNo, col, "fractional entry " + Quote(token) + " (demands are whole bytes)");
    case EntryStatus::TOO_LARGE:
        Fail(lineNo,
             col,
             "entry " + Quote(token) + " is too large (at most 2^53 = " +
                 std::to_string(kMaxMatrixEntryBytes) + " bytes)");
    }
    if (v > kMaxMatrixEntryBytes - m_total)
    {
        Fail(lineNo,
             col,
             "sum of the entries exceeds 2^53 = " + std::to_string(kMaxMatrixEntryBytes) +
                 " bytes at entry " + Quote(token));
    }
    m_total += v;
    m_values.push_back(v);
    ++m_rowEntries;
}

void
MatrixParser::Line(std::string_view line, std::size_t lineNo)
{
    std::size_t p = 0;
    const std::size_t n = line.size();
    bool anyEntry = false;
    bool pendingComma = false; // a comma seen since the last entry
    while (true)
    {
        while (p < n && IsBlank(line[p]))
        {
            ++p;
        }
        if (p >= n || line[p] == '#')
        {
            break;
        }
        if (line[p] == ',')
        {
            if (!anyEntry || pendingComma)
            {
                Fail(lineNo, p + 1, "empty field before ','");
            }
            pendingComma = true;
            ++p;
            continue;
        }
        std::size_t start = p;
        while (p < n && !IsBlank(line[p]) && line[p] != ',' && line[p] != '#')
        {
            ++p;
        }
        if (!anyEntry)
        {
            if (m_rows == 0)
            {
                m_firstRowLine = lineNo;
            }
            m_lastRowLine = lineNo;
        }
        Entry(line.substr(start, p - start), lineNo, start + 1);
        anyEntry = true;
        pendingComma = false;
    }
    // A single trailing comma (pendingComma still set) is tolerated.
    if (!anyEntry)
    {
        return; // blank or comment-only line
    }
    if (m_rows == 0)
    {
        m_cols = m_rowEntries;
    }
    else if (m_rowEntries != m_cols)
    {
        // The row is short (long rows fail in Entry()); point just past its last entry.
        std::size_t end = n;
        std::size_t hash = line.find('#');
        if (hash != std::string_view::npos)
        {
            end = hash;
        }
        while (end > 0 && (IsBlank(line[end - 1]) || line[end - 1] == ','))
        {
            --end;
        }
        Fail(lineNo,
             end + 1,
             "row " + std::to_string(m_rows + 1) + " has " + Entries(m_rowEntries) + ", expected " +
                 std::to_string(m_cols) + " (as in the first row, line " +
                 std::to_string(m_firstRowLine) + ")");
    }
    ++m_rows;
    m_rowEntries = 0;
}

DemandMatrix
MatrixParser::Finish()
{
    if (m_rows == 0)
    {
        Fail(1, 1, "empty matrix: no rows (only blank lines and comments)");
    }
    if (m_cols < 2)
    {
        Fail(m_firstRowLine,
             1,
             "matrix is " + std::to_string(m_rows) + "x" + std::to_string(m_cols) +
                 "; at least 2 ports are needed");
    }
    if (m_rows != m_cols)
    {
        Fail(m_lastRowLine,
             1,
             "matrix is not square: " + std::to_string(m_rows) + " rows of " + Entries(m_cols) +
                 " (missing row " + std::to_string(m_rows + 1) + " after this line)");
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
    MatrixParser parser(name);
    std::string line;
    std::size_t lineNo = 0;
    while (std::getline(in, line))
    {
        ++lineNo;
        std::string_view view(line);
        if (lineNo == 1 && view.substr(0, 3) == "\xEF\xBB\xBF")
        {
            view.remove_prefix(3); // UTF-8 byte-order mark
        }
        parser.Line(view, lineNo);
    }
    if (in.bad())
    {
        throw InputError(name + ": read error after line " + std::to_string(lineNo));
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
