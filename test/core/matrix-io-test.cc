/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-matrix-io.h"
#include "ns3/pmoe-units.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <random>
#include <sstream>
#include <string>

using namespace ns3::pmoe;

namespace
{

DemandMatrix
Parse(const std::string& text)
{
    std::istringstream in(text);
    return ParseDemandMatrix(in, "m.csv");
}

/** The InputError message of parsing @p text, or "" if it parses. */
std::string
ErrorOf(const std::string& text)
{
    try
    {
        Parse(text);
    }
    catch (const InputError& e)
    {
        return e.what();
    }
    return "";
}

/** Expect parsing to fail with a message that starts with @p prefix. */
void
ExpectError(const std::string& text, const std::string& prefix)
{
    std::string msg = ErrorOf(text);
    EXPECT_EQ(msg.substr(0, prefix.size()), prefix) << "input: " << text << "\nmessage: " << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

} // namespace

TEST(MatrixIo, CommasSpacesAndMixed)
{
    DemandMatrix expected({{0, 1, 2}, {3, 0, 4}, {5, 6, 0}});
    EXPECT_EQ(Parse("0,1,2\n3,0,4\n5,6,0\n"), expected);
    EXPECT_EQ(Parse("0 1 2\n3 0 4\n5 6 0"), expected); // no final newline
    EXPECT_EQ(Parse("0\t1  2\n 3 ,0,  4\n5, 6 ,0\n"), expected);
    EXPECT_EQ(Parse("0, 1, 2,\n3, 0, 4,\n5, 6, 0,\n"), expected); // one trailing comma
}

TEST(MatrixIo, CommentsBlankLinesCrlfAndBom)
{
    DemandMatrix expected({{7, 10}, {20, 0}});
    EXPECT_EQ(Parse("# header\n\n  \n7, 10 # first row\n# between\n20, 0\n\n# end\n"), expected);
    EXPECT_EQ(Parse("7,10\r\n20,0\r\n"), expected);
    EXPECT_EQ(Parse("7 10   \t\n20 0  \r\n\r\n"), expected);
    EXPECT_EQ(Parse("\xEF\xBB\xBF"
                    "7,10\n20,0\n"),
              expected);
    EXPECT_EQ(Parse("7,10#no space before the comment\n20,0,#\n"), expected);
    DemandMatrix d = Parse("7 10\n20 0\n");
    EXPECT_EQ(d.LocalBytes(0), 7); // the diagonal is kept as local bytes
    EXPECT_EQ(d.At(0, 0), 0);
    EXPECT_EQ(d.Total(), 30);
}

TEST(MatrixIo, IntegerForms)
{
    DemandMatrix d = Parse("0 1e6 +5\n2.5e3 0 1.0\n100e-2 0E9 0\n");
    EXPECT_EQ(d.At(0, 1), 1000000);
    EXPECT_EQ(d.At(0, 2), 5);
    EXPECT_EQ(d.At(1, 0), 2500);
    EXPECT_EQ(d.At(1, 2), 1);
    EXPECT_EQ(d.At(2, 0), 1);
    EXPECT_EQ(d.At(2, 1), 0);
    EXPECT_EQ(Parse("-0 9007199254740992\n0 0\n").At(0, 1), kMaxMatrixEntryBytes);
    EXPECT_EQ(Parse("0 9.007199254740992e15\n0 0\n").At(0, 1), kMaxMatrixEntryBytes);
    EXPECT_EQ(Parse("0 000000000000000000000000000012\n0 0\n").At(0, 1), 12);
}

TEST(MatrixIo, BadEntriesNameLineColumnAndToken)
{
    ExpectError("0, 1\n2, abc\n", "m.csv:2:4: non-numeric entry 'abc'");
    ExpectError("0 1\n# c\n2 -3\n", "m.csv:3:3: negative entry '-3'");
    ExpectError("0 nan\n1 0\n", "m.csv:1:3: entry 'nan' is not a finite number");
    ExpectError("0 1\n-INF 0\n", "m.csv:2:1: entry '-INF' is not a finite number");
    ExpectError("0 1\ninfinity 0\n", "m.csv:2:1: entry 'infinity' is not a finite number");
    ExpectError("0  1.5\n1 0\n", "m.csv:1:4: fractional entry '1.5'");
    ExpectError("0 1e-3\n1 0\n", "m.csv:1:3: fractional entry '1e-3'");
    ExpectError("0 1\n1 0.25e1\n", "m.csv:2:3: fractional entry '0.25e1'");
    ExpectError("0 9007199254740993\n1 0\n", "m.csv:1:3: entry '9007199254740993' is too large");
    ExpectError("0 99999999999999999999999\n1 0\n", "m.csv:1:3: entry '99999999999999999999999'");
    ExpectError("0 1e999999999999999\n1 0\n", "m.csv:1:3: entry '1e999999999999999' is too large");
    ExpectError("0 1e-999999999999\n1 0\n", "m.csv:1:3: fractional entry");
    ExpectError("0 0x10\n1 0\n", "m.csv:1:3: non-numeric entry '0x10'");
    ExpectError("0 1_000\n1 0\n", "m.csv:1:3: non-numeric entry '1_000'");
    ExpectError("0 1e\n1 0\n", "m.csv:1:3: non-numeric entry '1e'");
    ExpectError("0 .\n1 0\n", "m.csv:1:3: non-numeric entry '.'");
    ExpectError("0 +\n1 0\n", "m.csv:1:3: non-numeric entry '+'");
    ExpectError("0 1..2\n1 0\n", "m.csv:1:3: non-numeric entry '1..2'");
    ExpectError("0 1;2\n1 0\n", "m.csv:1:3: non-numeric entry '1;2'");
    // Unprintable bytes are escaped so that the message stays on one line.
    ExpectError(std::string("0 1\x01x\n1 0\n"), "m.csv:1:3: non-numeric entry '1\\x01x'");
    ExpectError(std::string("0 \xff\n1 0\n", 8), "m.csv:1:3: non-numeric entry '\\xff'");
    ExpectError(std::string("0 a\0b\n1 0\n", 10), "m.csv:1:3: non-numeric entry 'a\\x00b'");
    // Long tokens are cut short.
    std::string longToken(1000, 'z');
    std::string msg = ErrorOf("0 " + longToken + "\n1 0\n");
    EXPECT_LT(msg.size(), 120u) << msg;
    EXPECT_NE(msg.find("zzz...'"), std::string::npos) << msg;
}

TEST(MatrixIo, EmptyFields)
{
    ExpectError("0,,1\n1,0\n", "m.csv:1:3: empty field before ','");
    ExpectError("0,1\n,1,0\n", "m.csv:2:1: empty field before ','");
    ExpectError("0,1,,\n1,0\n", "m.csv:1:5: empty field before ','");
    ExpectError("0, ,1\n1,0\n", "m.csv:1:4: empty field before ','");
}

TEST(MatrixIo, ShapeErrors)
{
    // Short row: points just past its last entry.
    ExpectError("1 2 3\n4 5\n6 7 8\n",
                "m.csv:2:4: row 2 has 2 entries, expected 3 (as in the "
                "first row, line 1)");
    // Long row: points at the first extra entry.
    ExpectError("# c\n1 2\n3 4 5\n", "m.csv:3:5: row 2 has more than 2 entries (extra entry '5'");
    // More rows than columns: points at the extra row.
    ExpectError("1 2\n3 4\n\n5 6\n", "m.csv:4:1: matrix is not square: row 3 found");
    // Fewer rows than columns: points at the last row.
    ExpectError("1 2 3\n4 5 6 # two rows\n\n# eof\n",
                "m.csv:2:1: matrix is not square: 2 rows of 3 entries");
    ExpectError("", "m.csv:1:1: empty matrix");
    ExpectError("\n\n  \n# only comments\n", "m.csv:1:1: empty matrix");
    ExpectError("\xEF\xBB\xBF", "m.csv:1:1: empty matrix");
    ExpectError("# one port\n5\n", "m.csv:2:1: matrix is 1x1; at least 2 ports are needed");
    ExpectError("5\n6\n", "m.csv:2:1: matrix is not square: row 2 found, but rows have 1 entry");
}

TEST(MatrixIo, SizeAndSumLimits)
{
    // The first row may hold at most kMaxMatrixPorts entries: error at the next one.
    std::string row;
    for (std::size_t k = 0; k <= kMaxMatrixPorts; ++k)
    {
        row += "0 ";
    }
    std::string expectedCol = std::to_string(2 * kMaxMatrixPorts + 1);
    ExpectError(row + "\n", "m.csv:1:" + expectedCol + ": too many entries in a row at '0'");
    // Each entry is <= 2^53 but the sum is not.
    ExpectError("0 9007199254740992\n1 0\n",
                "m.csv:2:1: sum of the entries exceeds 2^53 = 9007199254740992 bytes at entry '1'");
    EXPECT_EQ(Parse("0 9007199254740991\n1 0\n").Total(), kMaxMatrixEntryBytes);
}

TEST(MatrixIo, WriteThenParseRoundTrip)
{
    std::mt19937_64 rng(42);
    for (int trial = 0; trial < 20; ++trial)
    {
        std::size_t n = 2 + rng() % 9;
        DemandMatrix d(n);
        for (std::size_t i = 0; i < n; ++i)
        {
            for (std::size_t j = 0; j < n; ++j)
            {
                d.Set(i, j, (rng() % 3 == 0) ? 0 : static_cast<Bytes>(rng() % 1000000007));
            }
        }
        std::ostringstream out;
        WriteDemandMatrix(out, d);
        EXPECT_EQ(Parse(out.str()), d) << out.str();
    }
}

TEST(MatrixIo, ReadFileErrors)
{
    try
    {
        ReadDemandMatrix("/nonexistent/dir/m.csv");
        FAIL() << "no error for a missing file";
    }
    catch (const InputError& e)
    {
        EXPECT_EQ(std::string(e.what()),
                  "/nonexistent/dir/m.csv: cannot open matrix file: No such file or directory");
    }
    try
    {
        ReadDemandMatrix(PMOE_SOURCE_DIR "/test");
        FAIL() << "no error for a directory";
    }
    catch (const InputError& e)
    {
        EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
    }
    DemandMatrix d = ReadDemandMatrix(PMOE_SOURCE_DIR "/test/data/hand-3.csv");
    EXPECT_EQ(d.Size(), 3u);
}

TEST(MatrixIo, MutatedInputsOnlyEverThrowInputError)
{
    // A cheap stand-in for the fuzzer: valid matrices with random byte edits (replace,
    // insert, delete) from an alphabet rich in the parser's special characters either parse
    // or fail with a one-line InputError; nothing else escapes.
    const char kAlphabet[] = "0123456789 ,#\n\r\t.eE+-naifxNAIF\xEF\xBB\xBF\x00\xff";
    const std::string alphabet(kAlphabet, sizeof(kAlphabet) - 1);
    const std::string seeds[] = {"0,1,2\n3,0,4\n5,6,0\n",
                                 "# c\n7 10\r\n20 0\n",
                                 "0 1e6\n2.5e3 0\n"};
    std::mt19937 rng(7);
    int parsed = 0;
    int failed = 0;
    for (int trial = 0; trial < 20000; ++trial)
    {
        std::string text = seeds[rng() % 3];
        int edits = 1 + static_cast<int>(rng() % 3);
        for (int e = 0; e < edits; ++e)
        {
            std::size_t pos = rng() % (text.size() + 1);
            char c = alphabet[rng() % alphabet.size()];
            switch (rng() % 3)
            {
            case 0:
                if (pos < text.size())
                {
                    text[pos] = c;
                }
                break;
            case 1:
                text.insert(pos, 1, c);
                break;
            default:
                if (pos < text.size())
                {
                    text.erase(pos, 1);
                }
                break;
            }
        }
        try
        {
            DemandMatrix d = Parse(text);
            EXPECT_GE(d.Size(), 2u);
            ++parsed;
        }
        catch (const InputError& e)
        {
            std::string msg = e.what();
            EXPECT_EQ(msg.rfind("m.csv:", 0), 0u) << msg;
            EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
            ++failed;
        }
    }
    EXPECT_GT(parsed, 100);
    EXPECT_GT(failed, 100);
}
