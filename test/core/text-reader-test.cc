/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// TextReader, the line reader behind the matrix, trace and placement parsers: lines, comments,
// fields and their columns, the byte-order mark, empty fields, the length cap, integers and
// the "NAME:LINE:COL: message" errors.

#include "pmoe-test-util.h"

#include "ns3/pmoe-matrix-io.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-text-reader.h"
#include "ns3/pmoe-units.h"

#include <cstdint>
#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <vector>

using namespace ns3::pmoe;
using ns3::pmoe::tests::ErrorOf;

namespace
{

/** A line as (text, column) pairs. */
using Fields = std::vector<std::pair<std::string, std::size_t>>;

/** @return every line's fields of @p text read with @p options */
std::vector<Fields>
ReadAll(const std::string& text, TextReader::Options options = {})
{
    std::istringstream in(text);
    TextReader reader(in, "t.txt", options);
    std::vector<Fields> lines;
    while (reader.NextLine())
    {
        Fields f;
        for (const TextField& field : reader.Fields())
        {
            f.emplace_back(std::string(field.text), field.column);
        }
        lines.push_back(f);
        EXPECT_EQ(reader.LineNumber(), lines.size());
    }
    EXPECT_FALSE(reader.ReadFailed());
    EXPECT_FALSE(reader.NextLine()); // stays at the end
    return lines;
}

/** A stream buffer that hands out some bytes and then throws, as a failing file does. */
class FailingBuffer : public std::streambuf
{
  public:
    explicit FailingBuffer(std::string text)
        : m_text(std::move(text))
    {
        setg(m_text.data(), m_text.data(), m_text.data() + m_text.size());
    }

  protected:
    int_type underflow() override
    {
        throw std::runtime_error("device error");
    }

  private:
    std::string m_text;
};

} // namespace

TEST(TextReader, LinesCommentsFieldsAndColumns)
{
    auto lines = ReadAll("a b\t c\n\n# only a comment\nx,y , z # tail\r\n  12#34\nlast");
    ASSERT_EQ(lines.size(), 6u);
    EXPECT_EQ(lines[0], (Fields{{"a", 1}, {"b", 3}, {"c", 6}}));
    EXPECT_TRUE(lines[1].empty());
    EXPECT_TRUE(lines[2].empty());
    EXPECT_EQ(lines[3], (Fields{{"x", 1}, {"y", 3}, {"z", 7}}));
    EXPECT_EQ(lines[4], (Fields{{"12", 3}}));
    EXPECT_EQ(lines[5], (Fields{{"last", 1}})); // no final newline
    EXPECT_TRUE(ReadAll("").empty());
    EXPECT_EQ(ReadAll("\n").size(), 1u);
    // '\r', '\v', '\f' separate fields too.
    EXPECT_EQ(ReadAll("1\r2\v3\f4")[0], (Fields{{"1", 1}, {"2", 3}, {"3", 5}, {"4", 7}}));
}

TEST(TextReader, ByteOrderMarkOnlyWhenAskedAndOnlyOnLineOne)
{
    const std::string bom = "\xEF\xBB\xBF";
    EXPECT_EQ(ReadAll(bom + "7 8")[0], (Fields{{bom + "7", 1}, {"8", 6}}));
    TextReader::Options options;
    options.skipByteOrderMark = true;
    auto lines = ReadAll(bom + "7 8\n" + bom + "9", options);
    EXPECT_EQ(lines[0], (Fields{{"7", 1}, {"8", 3}})); // columns count after the mark
    EXPECT_EQ(lines[1], (Fields{{bom + "9", 1}}));
}

TEST(TextReader, EmptyFieldsAreReportedOnlyWhenAsked)
{
    EXPECT_EQ(ReadAll(",1,,2,")[0], (Fields{{"1", 2}, {"2", 5}}));
    TextReader::Options options;
    options.reportEmptyFields = true;
    // An empty field is a ',' with no field since the line start or the previous ','; one
    // trailing ',' after a field is not one.
    EXPECT_EQ(ReadAll(",1,,2,", options)[0], (Fields{{"", 1}, {"1", 2}, {"", 4}, {"2", 5}}));
    EXPECT_EQ(ReadAll("1 , , 2", options)[0], (Fields{{"1", 1}, {"", 5}, {"2", 7}}));
    EXPECT_EQ(ReadAll("1,2,,", options)[0], (Fields{{"1", 1}, {"2", 3}, {"", 5}}));
    EXPECT_EQ(ReadAll("1, # ,", options)[0], (Fields{{"1", 1}}));
}

TEST(TextReader, LineLengthCap)
{
    TextReader::Options options;
    options.maxLineBytes = 8;
    EXPECT_EQ(ReadAll("12345678\n1234", options).size(), 2u); // exactly the cap is fine
    EXPECT_EQ(ErrorOf([&] { ReadAll("1\n123456789\n", options); }),
              "t.txt:2:1: line longer than 8 bytes");
    // Without a cap, lines longer than the read block (64 KiB) are read whole.
    std::string wide(200000, '7');
    auto lines = ReadAll("1 " + wide + " 2\n3");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], (Fields{{"1", 1}, {wide, 3}, {"2", wide.size() + 4}}));
    EXPECT_EQ(lines[1], (Fields{{"3", 1}}));
}

TEST(TextReader, ManyLinesAcrossReadBlocks)
{
    std::string text;
    for (int i = 0; i < 50000; ++i)
    {
        text += std::to_string(i) + " x\n";
    }
    auto lines = ReadAll(text);
    ASSERT_EQ(lines.size(), 50000u);
    for (int i = 0; i < 50000; i += 997)
    {
        EXPECT_EQ(lines[i][0].first, std::to_string(i));
    }
}

TEST(TextReader, UnsignedIntegers)
{
    uint64_t v = 0;
    EXPECT_EQ(TextReader::ReadUnsigned("0", 10, v), UnsignedStatus::OK);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(TextReader::ReadUnsigned("0010", 10, v), UnsignedStatus::OK);
    EXPECT_EQ(v, 10u);
    EXPECT_EQ(TextReader::ReadUnsigned("11", 10, v), UnsignedStatus::OUT_OF_RANGE);
    EXPECT_EQ(TextReader::ReadUnsigned("18446744073709551615", UINT64_MAX, v), UnsignedStatus::OK);
    EXPECT_EQ(v, UINT64_MAX);
    EXPECT_EQ(TextReader::ReadUnsigned("18446744073709551616", UINT64_MAX, v),
              UnsignedStatus::OUT_OF_RANGE);
    EXPECT_EQ(TextReader::ReadUnsigned("-1", 10, v), UnsignedStatus::NEGATIVE);
    EXPECT_EQ(TextReader::ReadUnsigned("+1", 10, v), UnsignedStatus::NOT_DIGITS);
    EXPECT_EQ(TextReader::ReadUnsigned("1e3", 10000, v), UnsignedStatus::NOT_DIGITS);
    EXPECT_EQ(TextReader::ReadUnsigned("", 10, v), UnsignedStatus::NOT_DIGITS);
    EXPECT_EQ(TextReader::ReadUnsigned(std::string(30, '0'), 10, v), UnsignedStatus::OK);
    EXPECT_EQ(TextReader::ReadUnsigned(std::string(31, '0'), 10, v), UnsignedStatus::NOT_DIGITS);
    EXPECT_TRUE(TextReader::IsDecimalDigits(std::string(31, '0')));
    EXPECT_FALSE(TextReader::IsDecimalDigits(""));
    EXPECT_FALSE(TextReader::IsDecimalDigits("1a"));

    std::istringstream in("x 7 -3 abc 99 \x01");
    TextReader reader(in, "n.txt", {});
    ASSERT_TRUE(reader.NextLine());
    const auto& f = reader.Fields();
    EXPECT_EQ(reader.ParseUnsigned(f[1], 10, "count"), 7u);
    EXPECT_EQ(ErrorOf([&] { reader.ParseUnsigned(f[2], 10, "count"); }),
              "n.txt:1:5: count must be non-negative, got '-3'");
    EXPECT_EQ(ErrorOf([&] { reader.ParseUnsigned(f[3], 10, "count"); }),
              "n.txt:1:8: expected a non-negative integer count, got 'abc'");
    EXPECT_EQ(ErrorOf([&] { reader.ParseUnsigned(f[4], 10, "count"); }),
              "n.txt:1:12: count 99 is too large (max 10)");
    EXPECT_EQ(ErrorOf([&] { reader.ParseUnsigned(f[5], 10, "count"); }),
              "n.txt:1:15: expected a non-negative integer count, got '\\x01'");
    EXPECT_EQ(reader.Where(f[0]), "n.txt:1:1: ");
    EXPECT_EQ(reader.Where(4, 2), "n.txt:4:2: ");
    EXPECT_EQ(ErrorOf([&] { reader.Fail(3, 9, "bad"); }), "n.txt:3:9: bad");
    EXPECT_EQ(reader.Name(), "n.txt");
}

TEST(TextReader, EscapeForMessage)
{
    EXPECT_EQ(EscapeForMessage("ab\x01'\\", 10, QuoteStyle::BARE), "ab\\x01'\\");
    EXPECT_EQ(EscapeForMessage("ab\x01'\\", 10, QuoteStyle::QUOTED), "'ab\\x01\\x27\\x5c'");
    EXPECT_EQ(EscapeForMessage("abcdef", 3, QuoteStyle::BARE), "abc...");
    EXPECT_EQ(EscapeForMessage("abcdef", 3, QuoteStyle::QUOTED), "'abc...'");
    EXPECT_EQ(EscapeForMessage("abc", 3, QuoteStyle::BARE), "abc");
    EXPECT_EQ(EscapeForMessage("\xff", 3, QuoteStyle::BARE), "\\xff");
}

TEST(TextReader, ReadErrorsEndTheInputAndAreReported)
{
    FailingBuffer buffer("1 2\n3 4\n");
    std::istream in(&buffer);
    TextReader reader(in, "dev", {});
    EXPECT_TRUE(reader.NextLine());
    EXPECT_TRUE(reader.NextLine());
    EXPECT_FALSE(reader.NextLine());
    EXPECT_TRUE(reader.ReadFailed());
    EXPECT_EQ(reader.LineNumber(), 2u);

    // The parsers report it (they used to let std::ios_base::failure escape for traces and
    // placements read from a directory).
    FailingBuffer b1("0 1\n1 0\n");
    std::istream m(&b1);
    EXPECT_EQ(ErrorOf([&] { ParseDemandMatrix(m, "m.csv"); }), "m.csv: read error after line 2");
    FailingBuffer b2("gpus 2 experts 1\n");
    std::istream t(&b2);
    EXPECT_EQ(ErrorOf([&] { ParseRoutingTrace(t, "t.trace"); }),
              "t.trace: read error after line 1");
    FailingBuffer b3("0 1\n");
    std::istream p(&b3);
    EXPECT_EQ(ErrorOf([&] { ParsePlacement(p, "p.txt", 0); }), "p.txt: read error after line 1");
    const std::string dir = std::filesystem::temp_directory_path().string();
    EXPECT_NE(ErrorOf([&] { ReadRoutingTrace(dir); }), "");
    EXPECT_NE(ErrorOf([&] { ReadPlacement(dir, 4); }), "");
}
