/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_TEXT_READER_H
#define PMOE_TEXT_READER_H

/**
 * @file
 * @ingroup photonic-moe
 * The line reader shared by the core's text parsers (demand matrices, routing traces,
 * placements): lines with a length cap, '#' comments, fields split on spaces, tabs and
 * commas, range-checked integers, and errors "NAME:LINE:COL: message".
 */

#include "pmoe-units.h"

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * How EscapeForMessage() presents a piece of input.
 */
enum class QuoteStyle
{
    BARE,  //!< non-printable bytes as \\xNN, no quotes
    QUOTED //!< in single quotes; quotes and backslashes are escaped as well
};

/**
 * @ingroup photonic-moe
 * A piece of input made safe for a one-line error message: printable ASCII kept, other
 * bytes written as \\xNN, cut after @p maxBytes bytes (then "...").
 * @param text the input
 * @param maxBytes the longest part shown
 * @param style bare or quoted
 * @return the escaped text
 */
std::string EscapeForMessage(std::string_view text, std::size_t maxBytes, QuoteStyle style);

/**
 * @ingroup photonic-moe
 * One field of a line.
 */
struct TextField
{
    std::string_view text; //!< the field (valid until the next TextReader::NextLine());
                           //!< empty only for an empty field before a ','
    std::size_t column{0}; //!< 1-based byte column of its first byte (empty field: the ',')
};

/**
 * @ingroup photonic-moe
 * Outcome of TextReader::ReadUnsigned().
 */
enum class UnsignedStatus
{
    OK,          //!< a value in range
    NEGATIVE,    //!< not digits, starts with '-'
    NOT_DIGITS,  //!< empty, not all decimal digits, or more than 30 digits
    OUT_OF_RANGE //!< digits, but above the maximum
};

/**
 * @ingroup photonic-moe
 * Reads a text line by line and splits each line into fields.
 *
 * A line ends at '\\n'; a last line without one counts. '#' starts a comment that runs to the
 * end of the line. Fields are separated by spaces, tabs, '\\r', '\\v', '\\f' and commas.
 * Errors are InputError "NAME:LINE:COL: message" (1-based, COL counts bytes).
 */
class TextReader
{
  public:
    /**
     * @ingroup photonic-moe
     * What a reader accepts.
     */
    struct Options
    {
        std::size_t maxLineBytes{0};   //!< longest line accepted; 0 = no limit
        bool skipByteOrderMark{false}; //!< drop a UTF-8 byte-order mark starting line 1
                                       //!< (columns of line 1 then count after it)
        bool reportEmptyFields{false}; //!< a ',' with no field since the line start or the
                                       //!< previous ',' yields an empty field at the ','
        bool splitFields{true};        //!< split lines into Fields(); false: only Line()
                                       //!< (e.g. JSON lines, where '#' and ',' are data)
    };

    /**
     * @param in the text (arbitrary bytes are fine); a stream that is not good() gives no
     *        lines
     * @param name the input's name in error messages
     * @param options what is accepted
     */
    TextReader(std::istream& in, std::string name, Options options);

    /**
     * Read the next line and split it into fields.
     * @return false at the end of the input, or when the stream fails (see ReadFailed();
     *         the lines read until then are kept)
     * @throws InputError "NAME:LINE:1: line longer than N bytes" beyond the length cap
     */
    bool NextLine();

    /** @return the fields of the current line, comment removed (empty for a blank line) */
    const std::vector<TextField>& Fields() const
    {
        return m_fields;
    }

    /**
     * @return the current line without its '\\n' (and without a byte-order mark skipped on
     *         line 1), comment included; valid until the next NextLine()
     */
    std::string_view Line() const;

    /** @return number of the current line (1-based; 0 before the first NextLine()) */
    uint64_t LineNumber() const
    {
        return m_lineNumber;
    }

    /** @return true if the stream reported a read error (the input ended early) */
    bool ReadFailed() const
    {
        return m_readFailed;
    }

    /** @return the input's name */
    const std::string& Name() const
    {
        return m_name;
    }

    /**
     * @param line a line number
     * @param column a column
     * @return "NAME:LINE:COL: "
     */
    std::string Where(uint64_t line, std::size_t column) const;

    /**
     * @param field a field of the current line
     * @return "NAME:LINE:COL: " of the field
     */
    std::string Where(const TextField& field) const;

    /**
     * @param line a line number
     * @param column a column
     * @param what the message
     * @throws InputError "NAME:LINE:COL: what"
     */
    [[noreturn]] void Fail(uint64_t line, std::size_t column, const std::string& what) const;

    /**
     * @param field a field of the current line
     * @param what the message
     * @throws InputError "NAME:LINE:COL: what" at the field
     */
    [[noreturn]] void Fail(const TextField& field, const std::string& what) const;

    /**
     * Read a non-negative decimal integer: 1 to 30 digits, nothing else.
     * @param text the field
     * @param max largest accepted value
     * @param value set on success
     * @return the outcome
     */
    static UnsignedStatus ReadUnsigned(std::string_view text, uint64_t max, uint64_t& value);

    /**
     * A field as a non-negative decimal integer in [0, max] (see ReadUnsigned()).
     * @param field a field of the current line
     * @param max largest accepted value
     * @param what what the number is, for messages (e.g. "token count")
     * @return the value
     * @throws InputError at the field: "<what> must be non-negative, got '-1'",
     *         "expected a non-negative integer <what>, got 'x'" or
     *         "<what> 99 is too large (max 10)"
     */
    uint64_t ParseUnsigned(const TextField& field, uint64_t max, const std::string& what) const;

    /**
     * The error ParseUnsigned() gives for a field ReadUnsigned() did not accept.
     * @param field a field of the current line
     * @param status what ReadUnsigned() returned (not OK)
     * @param max largest accepted value
     * @param what what the number is, for messages
     * @throws InputError at the field (see ParseUnsigned())
     */
    [[noreturn]] void FailUnsigned(const TextField& field,
                                   UnsignedStatus status,
                                   uint64_t max,
                                   const std::string& what) const;

    /**
     * @param text a field
     * @return true if it is non-empty and all decimal digits (of any length)
     */
    static bool IsDecimalDigits(std::string_view text);

  private:
    /** Split m_line into m_fields. */
    void Split();

    std::istream& m_in;              //!< the text
    std::string m_name;              //!< its name in messages
    Options m_options;               //!< what is accepted
    std::vector<char> m_chunk;       //!< buffer of istream::getline()
    bool m_endOfInput;               //!< nothing more to read
    bool m_readFailed;               //!< the stream reported an error
    std::string m_line;              //!< the current line without its '\n'
    uint64_t m_lineNumber{0};        //!< number of the current line
    std::vector<TextField> m_fields; //!< fields of the current line
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_TEXT_READER_H */
