/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Importers of routing logs (pmoe-trace-import.h): per-token JSON lines, expert-selection
// text logs and per-rank count matrices, mapped to GPUs as data-parallel ranks hold tokens;
// warm-up, dummy and padding tokens; windows; every error with its line; the example files
// under data/traces; the converter photonic-moe-trace-import.

#include "pmoe-test-util.h"

#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-trace-import.h"
#include "ns3/pmoe-workload-io.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace ns3::pmoe;
using ns3::pmoe::tests::ErrorOf;

namespace
{

const std::string kSource = PMOE_SOURCE_DIR;

/** Options for @p format with N GPUs and E experts (0 = from the file). */
TraceImportOptions
Options(TraceFormat format, uint32_t gpus, uint32_t experts = 0)
{
    TraceImportOptions o;
    o.format = format;
    o.numGpus = gpus;
    o.numExperts = experts;
    return o;
}

/** Import @p text named "t". */
RoutingTrace
Import(const std::string& text, const TraceImportOptions& o, TraceImportSummary* s = nullptr)
{
    std::istringstream in(text);
    return ImportRoutingTrace(in, "t", o, s);
}

/** The error of importing @p text ("" if it imports). */
std::string
ImportError(const std::string& text, const TraceImportOptions& o)
{
    return ErrorOf([&] { Import(text, o); });
}

/** A matrix from rows. */
TokenMatrix
Matrix(const std::vector<std::vector<uint64_t>>& rows)
{
    TokenMatrix m(rows.size(), rows.at(0).size());
    for (std::size_t i = 0; i < rows.size(); ++i)
    {
        for (std::size_t j = 0; j < rows[i].size(); ++j)
        {
            m.Add(i, j, rows[i][j]);
        }
    }
    return m;
}

// The tiny log of the hand-computed tests: 6 tokens of layer 0, top-2 of 4 experts.
//   t0 {0,1}  t1 {1,2}  t2 {3,0}  t3 {2,3}  t4 {1,3}  t5 {0,2}
const std::vector<std::vector<int>> kTiny = {{0, 1}, {1, 2}, {3, 0}, {2, 3}, {1, 3}, {0, 2}};

/** The tiny log as one JSON object per token. */
std::string
TinyPerToken()
{
    std::string s = "{\"type\": \"meta\", \"top_k\": 2}\n";
    for (std::size_t t = 0; t < kTiny.size(); ++t)
    {
        s += "{\"type\": \"route\", \"token_idx\": " + std::to_string(t) +
             ", \"layer\": 0, \"topk_ids\": [" + std::to_string(kTiny[t][0]) + ", " +
             std::to_string(kTiny[t][1]) + "]}\n";
    }
    return s;
}

/** The tiny log as a selection log. */
std::string
TinySelection()
{
    std::string s = "layer token experts\n";
    for (std::size_t t = 0; t < kTiny.size(); ++t)
    {
        s += "0 " + std::to_string(t) + " " + std::to_string(kTiny[t][0]) + " " +
             std::to_string(kTiny[t][1]) + "\n";
    }
    return s;
}

std::string
Slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Token formats, by hand

TEST(TraceImport, TinyLogInBalancedBlocksByHand)
{
    // 6 tokens on 2 GPUs: GPU 0 holds t0..t2, GPU 1 holds t3..t5.
    //   GPU 0: expert 0 <- t0, t2; 1 <- t0, t1; 2 <- t1; 3 <- t2.
    //   GPU 1: expert 0 <- t5; 1 <- t4; 2 <- t3, t5; 3 <- t3, t4.
    const TokenMatrix expected = Matrix({{2, 2, 1, 1}, {1, 1, 2, 2}});
    TraceImportSummary s;
    RoutingTrace t = Import(TinyPerToken(), Options(TraceFormat::JSONL, 2, 4), &s);
    ASSERT_EQ(t.numGpus, 2u);
    ASSERT_EQ(t.numExperts, 4u);
    ASSERT_EQ(t.layers.size(), 1u);
    EXPECT_EQ(t.layers[0], expected);
    EXPECT_EQ(s.records, 6u);
    EXPECT_EQ(s.metadataLines, 1u);
    EXPECT_EQ(s.tokens, 6u);
    EXPECT_EQ(s.copies, 12u);
    EXPECT_EQ(s.layerOfTraceLayer, std::vector<int64_t>{0});

    // The same tokens as a selection log, and with the experts inferred (largest id 3).
    EXPECT_EQ(Import(TinySelection(), Options(TraceFormat::SELECTION, 2, 4)).layers[0], expected);
    RoutingTrace inferred = Import(TinySelection(), Options(TraceFormat::SELECTION, 2));
    EXPECT_EQ(inferred.numExperts, 4u);
    EXPECT_EQ(inferred.layers[0], expected);

    // Skipping the first token leaves 5: GPU 0 holds floor(5/2) = 2 (t1, t2), GPU 1 three.
    TraceImportOptions o = Options(TraceFormat::JSONL, 2, 4);
    o.skipTokens = 1;
    RoutingTrace skipped = Import(TinyPerToken(), o, &s);
    EXPECT_EQ(skipped.layers[0], Matrix({{1, 1, 1, 1}, {1, 1, 2, 2}}));
    EXPECT_EQ(s.warmupTokens, 1u);
    EXPECT_EQ(s.tokens, 5u);

    // On 4 GPUs, 6 tokens split 1, 2, 1, 2 (boundaries floor(g 6 / 4) = 0, 1, 3, 4, 6).
    RoutingTrace four = Import(TinyPerToken(), Options(TraceFormat::JSONL, 4, 4));
    EXPECT_EQ(four.layers[0], Matrix({{1, 1, 0, 0}, {1, 1, 1, 1}, {0, 0, 1, 1}, {1, 1, 1, 1}}));
}

TEST(TraceImport, TinyLogGivesTheHandComputedDemand)
{
    // Contiguous placement of 4 experts on 2 GPUs: experts 0, 1 on GPU 0 and 2, 3 on GPU 1.
    // GPU 0 sends its copies of experts 2 and 3 (1 + 1) to GPU 1; GPU 1 sends 1 + 1 to GPU 0;
    // 2 + 2 copies stay local on each. One copy is 64 x 2 = 128 bytes.
    RoutingTrace t = Import(TinyPerToken(), Options(TraceFormat::JSONL, 2, 4));
    MoeConfig c;
    c.numGpus = 2;
    c.numExperts = 4;
    c.hiddenSize = 64;
    c.routing = RoutingKind::TRACE;
    c.trace = std::make_shared<RoutingTrace>(t);
    LayerWorkload l = MoeWorkload(c, 1).Generate(0);
    EXPECT_EQ(l.copies.At(0, 1), 2u);
    EXPECT_EQ(l.copies.At(1, 0), 2u);
    EXPECT_EQ(l.dispatch.At(0, 1), 2 * 128);
    EXPECT_EQ(l.dispatch.At(1, 0), 2 * 128);
    EXPECT_EQ(l.combine.At(1, 0), 2 * 128);
    EXPECT_EQ(l.dispatch.LocalBytes(0), 4 * 128);
    EXPECT_EQ(l.dispatch.LocalBytes(1), 4 * 128);
    EXPECT_EQ(l.expertTokens, (std::vector<uint64_t>{3, 3, 3, 3}));
}

TEST(TraceImport, BatchAndRequestRecordsEqualPerTokenRecords)
{
    const TokenMatrix expected = Matrix({{2, 2, 1, 1}, {1, 1, 2, 2}});
    // One batch object per forward pass (vLLM's topk_ids tensor as a list).
    const std::string batches = "{\"layer\": 0, \"topk_ids\": [[0, 1], [1, 2], [3, 0]]}\n"
                                "{\"layer\": 0, \"experts\": [[2, 3], [1, 3], [0, 2]]}\n";
    EXPECT_EQ(Import(batches, Options(TraceFormat::JSONL, 2, 4)).layers[0], expected);

    // One object per request with routed_experts[token][layer][k] (two layers here: layer 1
    // routes every token to expert 3 and 2).
    const std::string request = "{\"routed_experts\": [[[0, 1], [3, 2]], [[1, 2], [3, 2]], "
                                "[[3, 0], [3, 2]], [[2, 3], [3, 2]], [[1, 3], [3, 2]], "
                                "[[0, 2], [3, 2]]]}\n";
    TraceImportSummary s;
    RoutingTrace t = Import(request, Options(TraceFormat::JSONL, 2, 4), &s);
    ASSERT_EQ(t.layers.size(), 2u);
    EXPECT_EQ(t.layers[0], expected);
    EXPECT_EQ(t.layers[1], Matrix({{0, 0, 3, 3}, {0, 0, 3, 3}}));
    EXPECT_EQ(s.layerOfTraceLayer, (std::vector<int64_t>{0, 1}));

    // Choosing layer 1 only.
    TraceImportOptions o = Options(TraceFormat::JSONL, 2, 4);
    o.layer = 1;
    RoutingTrace one = Import(request, o, &s);
    ASSERT_EQ(one.layers.size(), 1u);
    EXPECT_EQ(one.layers[0], Matrix({{0, 0, 3, 3}, {0, 0, 3, 3}}));
    EXPECT_EQ(s.otherLayer, 6u);
}

TEST(TraceImport, LayersAreCollectedInFileOrderAndSortedByNumber)
{
    // Interleaved layers (as a per-token, all-layers log writes them): layer 5 first in the
    // file, but trace layer 0 is model layer 2.
    const std::string log = "5 0 1\n2 0 0\n5 1 1\n2 1 1\n5 2 0\n2 2 0\n5 3 0\n2 3 1\n";
    TraceImportSummary s;
    RoutingTrace t = Import(log, Options(TraceFormat::SELECTION, 2, 2), &s);
    ASSERT_EQ(t.layers.size(), 2u);
    EXPECT_EQ(s.layerOfTraceLayer, (std::vector<int64_t>{2, 5}));
    EXPECT_EQ(t.layers[0], Matrix({{1, 1}, {1, 1}})); // layer 2: 0 1 | 0 1
    EXPECT_EQ(t.layers[1], Matrix({{0, 2}, {2, 0}})); // layer 5: 1 1 | 0 0
}

TEST(TraceImport, DummyPaddingAndWarmupTokensAreDropped)
{
    const std::string log = "{\"type\": \"meta\"}\n"
                            "{\"layer\": 0, \"topk_ids\": [[7, 7], [7, 7]]}\n" // warm-up
                            "{\"token_idx\": -1, \"layer\": 0, \"topk_ids\": [0, 1]}\n"
                            "{\"token_idx\": 0, \"layer\": 0, \"topk_ids\": [0, 1]}\n"
                            "{\"token_idx\": 1, \"layer\": 0, \"topk_ids\": [-1, -1]}\n"
                            "{\"token_idx\": 2, \"layer\": 0, \"topk_ids\": [2, -1]}\n"
                            "{\"token\": 3, \"layer\": 0, \"experts\": [3, 1]}\n";
    TraceImportOptions o = Options(TraceFormat::JSONL, 2, 4);
    o.skipTokens = 2; // the two warm-up tokens (their repeated id would be an error)
    o.havePadExpert = true;
    o.padExpert = -1;
    TraceImportSummary s;
    RoutingTrace t = Import(log, o, &s);
    // Kept: {0,1}, {2}, {3,1} -> GPU 0 holds 1 token, GPU 1 two.
    EXPECT_EQ(t.layers[0], Matrix({{1, 1, 0, 0}, {0, 1, 1, 1}}));
    EXPECT_EQ(s.records, 7u);
    EXPECT_EQ(s.warmupTokens, 2u);
    EXPECT_EQ(s.dummyTokens, 1u);
    EXPECT_EQ(s.paddingTokens, 1u);
    EXPECT_EQ(s.paddingIds, 1u);
    EXPECT_EQ(s.tokens, 3u);
    EXPECT_EQ(s.copies, 5u);
    const std::string text = DescribeTraceImport(t, s);
    EXPECT_NE(text.find("3 tokens, 5 token copies"), std::string::npos) << text;
    EXPECT_NE(text.find("2 warm-up, 1 dummy (token -1), 1 all-padding"), std::string::npos) << text;

    // Without padExpert the -1 is an error naming the line and the place.
    o.havePadExpert = false;
    EXPECT_EQ(ImportError(log, o),
              "t:5: topk_ids[0]: negative expert id -1 (set padExpert to drop an id that marks "
              "padding)");
    // A padding id other than -1 (e.g. E, as some kernels pad with).
    const std::string padded = "0 0 0 4\n0 1 4 4\n0 2 1 2\n0 3 3 0\n";
    TraceImportOptions p = Options(TraceFormat::SELECTION, 2, 4);
    p.havePadExpert = true;
    p.padExpert = 4;
    EXPECT_EQ(Import(padded, p).layers[0], Matrix({{1, 0, 0, 0}, {1, 1, 1, 1}}));
}

TEST(TraceImport, WindowsOfTokensPerGpu)
{
    // 6 tokens, 2 GPUs x 1 token per window: windows {t0 | t1}, {t2 | t3}, {t4 | t5}.
    TraceImportOptions o = Options(TraceFormat::JSONL, 2, 4);
    o.tokensPerGpu = 1;
    o.windows = 3;
    TraceImportSummary s;
    RoutingTrace t = Import(TinyPerToken(), o, &s);
    ASSERT_EQ(t.layers.size(), 3u);
    EXPECT_EQ(t.layers[0], Matrix({{1, 1, 0, 0}, {0, 1, 1, 0}}));
    EXPECT_EQ(t.layers[1], Matrix({{1, 0, 0, 1}, {0, 0, 1, 1}}));
    EXPECT_EQ(t.layers[2], Matrix({{0, 1, 0, 1}, {1, 0, 1, 0}}));
    EXPECT_EQ(s.windowOfTraceLayer, (std::vector<uint32_t>{0, 1, 2}));
    EXPECT_EQ(s.tokens, 6u);

    // windows = 0: as many whole windows as there are; 2 x 2 tokens fit once, 2 are unused.
    o.tokensPerGpu = 2;
    o.windows = 0;
    RoutingTrace w = Import(TinyPerToken(), o, &s);
    ASSERT_EQ(w.layers.size(), 1u);
    EXPECT_EQ(w.layers[0], Matrix({{1, 2, 1, 0}, {1, 0, 1, 2}}));
    EXPECT_EQ(s.unusedTokens, 2u);

    // Asking for more windows than the log holds is an error.
    o.windows = 2;
    EXPECT_EQ(ImportError(TinyPerToken(), o),
              "t: layer 0 has 6 tokens after skipping, fewer than 2 window(s) of 2 GPUs x 2 "
              "tokens");

    // Window-major order over two layers: (w0, l0), (w0, l1), (w1, l0), (w1, l1).
    const std::string two = "0 0 0\n1 0 1\n0 1 1\n1 1 0\n0 2 1\n1 2 1\n0 3 0\n1 3 0\n";
    TraceImportOptions q = Options(TraceFormat::SELECTION, 2, 2);
    q.tokensPerGpu = 1;
    q.windows = 2;
    RoutingTrace ww = Import(two, q, &s);
    ASSERT_EQ(ww.layers.size(), 4u);
    EXPECT_EQ(ww.layers[0], Matrix({{1, 0}, {0, 1}}));
    EXPECT_EQ(ww.layers[1], Matrix({{0, 1}, {1, 0}}));
    EXPECT_EQ(ww.layers[2], Matrix({{0, 1}, {1, 0}}));
    EXPECT_EQ(ww.layers[3], Matrix({{0, 1}, {1, 0}}));
    EXPECT_EQ(s.layerOfTraceLayer, (std::vector<int64_t>{0, 1, 0, 1}));
    EXPECT_EQ(s.windowOfTraceLayer, (std::vector<uint32_t>{0, 0, 1, 1}));
}

// ---------------------------------------------------------------------------------------------
// Counts

TEST(TraceImport, CountMatricesByHand)
{
    const std::string counts = "# 4 ranks x 3 experts\n"
                               "layer 0\n1 2 3\n4 5 6\n7 8 9\n10 11 12\n"
                               "layer 1\n0,0,1\n0,1,0\n1,0,0\n2,2,2\n"
                               "layer 0\n1 1 1\n1 1 1\n1 1 1\n1 1 1\n";
    TraceImportSummary s;
    RoutingTrace t = Import(counts, Options(TraceFormat::COUNTS, 0), &s);
    ASSERT_EQ(t.numGpus, 4u);
    ASSERT_EQ(t.numExperts, 3u);
    ASSERT_EQ(t.layers.size(), 3u);
    EXPECT_EQ(t.layers[0], Matrix({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}}));
    EXPECT_EQ(s.layerOfTraceLayer, (std::vector<int64_t>{0, 1, 0}));
    EXPECT_EQ(s.copies, 78u + 9 + 12);

    // Two GPUs: GPU 0 sums ranks 0 and 1, GPU 1 ranks 2 and 3; layer 0 only, first block
    // skipped as warm-up.
    TraceImportOptions o = Options(TraceFormat::COUNTS, 2, 3);
    o.layer = 0;
    RoutingTrace two = Import(counts, o, &s);
    ASSERT_EQ(two.layers.size(), 2u);
    EXPECT_EQ(two.layers[0], Matrix({{5, 7, 9}, {17, 19, 21}}));
    EXPECT_EQ(two.layers[1], Matrix({{2, 2, 2}, {2, 2, 2}}));
    EXPECT_EQ(s.otherLayer, 1u);
    o.skipBlocks = 1;
    RoutingTrace skipped = Import(counts, o, &s);
    ASSERT_EQ(skipped.layers.size(), 1u);
    EXPECT_EQ(skipped.layers[0], Matrix({{2, 2, 2}, {2, 2, 2}}));
    EXPECT_EQ(s.warmupTokens, 1u);

    // A single matrix without a header is layer 0.
    RoutingTrace bare = Import("3 0\n0 3\n", Options(TraceFormat::COUNTS, 0));
    EXPECT_EQ(bare.layers.at(0), Matrix({{3, 0}, {0, 3}}));
}

// ---------------------------------------------------------------------------------------------
// Round trips and the example files

TEST(TraceImport, RoundTripsThroughTheTraceFormat)
{
    TraceImportOptions o = Options(TraceFormat::JSONL, 2, 4);
    RoutingTrace t = Import(TinyPerToken(), o);
    std::ostringstream out;
    WriteRoutingTrace(out, t);
    // The written trace reads back with the parser and with the native importer.
    std::istringstream back(out.str());
    RoutingTrace parsed = ParseRoutingTrace(back, "back");
    EXPECT_EQ(parsed.layers, t.layers);
    RoutingTrace native = Import(out.str(), Options(TraceFormat::NATIVE, 2, 4));
    EXPECT_EQ(native.layers, t.layers);
    // A trace written as counts (its rows are the GPUs' tokens per expert) imports unchanged.
    std::string counts;
    for (const TokenMatrix& m : t.layers)
    {
        counts += "layer 0\n";
        for (std::size_t i = 0; i < m.Rows(); ++i)
        {
            for (std::size_t e = 0; e < m.Cols(); ++e)
            {
                counts += std::to_string(m.At(i, e)) + " ";
            }
            counts += "\n";
        }
    }
    EXPECT_EQ(Import(counts, Options(TraceFormat::COUNTS, 0)).layers, t.layers);
    // The native importer checks the sizes and can choose a layer.
    EXPECT_EQ(ImportError(out.str(), Options(TraceFormat::NATIVE, 4)),
              "t: the trace is for 2 GPUs, but gpus = 4");
    TraceImportOptions n = Options(TraceFormat::NATIVE, 0);
    n.layer = 1;
    EXPECT_EQ(ImportError(out.str(), n), "t: no layer 1 (the trace has 1)");
}

TEST(TraceImport, ExampleFiles)
{
    const std::string dir = kSource + "/data/traces/";
    // The JSON lines example: 4 warm-up tokens per layer, a dummy token, a padded token.
    TraceImportOptions o = Options(TraceFormat::JSONL, 4, 8);
    o.skipTokens = 4;
    o.havePadExpert = true;
    o.padExpert = -1;
    TraceImportSummary s;
    RoutingTrace j = ImportRoutingTraceFile(dir + "example-vllm-routing.jsonl", o, &s);
    ASSERT_EQ(j.layers.size(), 2u);
    EXPECT_EQ(s.warmupTokens, 8u);
    EXPECT_EQ(s.dummyTokens, 1u);
    EXPECT_EQ(s.paddingIds, 2u);
    EXPECT_EQ(s.metadataLines, 1u);
    EXPECT_EQ(s.tokens, 34u);             // 16 + 1 tokens in each layer
    EXPECT_EQ(s.copies, 2u * 16 * 2 + 2); // top-2, and one id of each padded token
    // Layer 0: 17 tokens in blocks of 4, 4, 4, 5.
    EXPECT_EQ(j.layers[0].RowSum(0), 8u);
    EXPECT_EQ(j.layers[0].RowSum(3), 9u);

    // The selection example holds the same 16 tokens per layer (and the same dummy token):
    // with 4 tokens per GPU both give the same single window.
    o.tokensPerGpu = 4;
    RoutingTrace jw = ImportRoutingTraceFile(dir + "example-vllm-routing.jsonl", o, &s);
    EXPECT_EQ(s.unusedTokens, 2u);
    TraceImportOptions sel = Options(TraceFormat::SELECTION, 4, 8);
    sel.tokensPerGpu = 4;
    RoutingTrace sw = ImportRoutingTraceFile(dir + "example-selection.txt", sel, &s);
    EXPECT_EQ(s.dummyTokens, 1u);
    EXPECT_EQ(sw.layers, jw.layers);
    for (const TokenMatrix& m : sw.layers)
    {
        for (uint32_t g = 0; g < 4; ++g)
        {
            EXPECT_EQ(m.RowSum(g), 8u); // 4 tokens x top-2
        }
    }

    // The counts example: 8 ranks of 32 tokens, top-2, layers 0 and 1 of two iterations;
    // grouped onto 4 GPUs every row holds 2 x 64 copies.
    TraceImportOptions c = Options(TraceFormat::COUNTS, 4, 8);
    c.layer = 1;
    RoutingTrace ct = ImportRoutingTraceFile(dir + "example-megatron-counts.txt", c, &s);
    ASSERT_EQ(ct.layers.size(), 2u);
    EXPECT_EQ(s.layerOfTraceLayer, (std::vector<int64_t>{1, 1}));
    for (const TokenMatrix& m : ct.layers)
    {
        for (uint32_t g = 0; g < 4; ++g)
        {
            EXPECT_EQ(m.RowSum(g), 128u);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST(TraceImport, EveryErrorNamesItsLine)
{
    struct Case
    {
        TraceFormat format;
        std::string text;
        std::string error; // the whole message
    };

    const TraceFormat J = TraceFormat::JSONL;
    const TraceFormat S = TraceFormat::SELECTION;
    const TraceFormat C = TraceFormat::COUNTS;
    const std::string ok = "{\"topk_ids\": [0, 1]}\n";
    const std::vector<Case> cases = {
        // JSON lines
        {J,
         ok + "{\"topk_ids\": [0, 1]\n",
         "t:2:20: invalid JSON: syntax error while parsing "
         "object - unexpected end of input; expected '}'"},
        {J, ok + "[1, 2]\n", "t:2: expected a JSON object, got array"},
        {J,
         ok + ok + "{\"layer\": 0}\n",
         "t:3: no expert ids: expected one of the keys 'experts', 'topk_ids', 'expert_ids', "
         "'indices' or 'routed_experts' (or a \"type\" other than \"route\")"},
        {J, "{\"type\": 3, \"topk_ids\": [0]}\n", "t:1: 'type' must be a string, got 3"},
        {J,
         "{\"experts\": [0], \"topk_ids\": [1]}\n",
         "t:1: keys 'experts' and 'topk_ids' both hold expert ids"},
        {J, "{\"topk_ids\": []}\n", "t:1: 'topk_ids' must be a non-empty array, got []"},
        {J, "{\"topk_ids\": 3}\n", "t:1: 'topk_ids' must be a non-empty array, got 3"},
        {J,
         ok + "{\"topk_ids\": [0, 1.5]}\n",
         "t:2: topk_ids[1] must be an integer expert id, got 1.5"},
        {J,
         "{\"topk_ids\": [0, \"1\"]}\n",
         "t:1: topk_ids[1] must be an integer expert id, got \"1\""},
        {J,
         "{\"topk_ids\": [[0, 1], 2]}\n",
         "t:1: topk_ids[1] must be a non-empty array of expert ids, got 2"},
        {J,
         "{\"topk_ids\": [[0, 1], []]}\n",
         "t:1: topk_ids[1] must be a non-empty array of expert ids, got []"},
        {J,
         ok + ok + "{\"topk_ids\": [4, 1]}\n",
         "t:3: topk_ids[0]: expert id 4 is out of range: there are 4 experts"},
        {J, "{\"topk_ids\": [2, 2]}\n", "t:1: topk_ids[1]: expert 2 appears twice for one token"},
        {J,
         "{\"layer\": -2, \"topk_ids\": [0]}\n",
         "t:1: 'layer' must be an integer in [0, 2147483647], got -2"},
        {J,
         "{\"layer\": \"0\", \"topk_ids\": [0]}\n",
         "t:1: 'layer' must be an integer in [0, 2147483647], got \"0\""},
        {J,
         "{\"token_idx\": -2, \"topk_ids\": [0]}\n",
         "t:1: 'token_idx' must be an integer >= -1, got -2"},
        {J,
         "{\"token\": 0, \"token_idx\": 0, \"topk_ids\": [0]}\n",
         "t:1: keys 'token' and 'token_idx' both give the token index"},
        {J,
         "{\"token_idx\": 0, \"topk_ids\": [[0], [1]]}\n",
         "t:1: 'token_idx' names one token, but 'topk_ids' holds several"},
        {J,
         "{\"layer\": 0, \"routed_experts\": [[[0]]]}\n",
         "t:1: 'layer' cannot go with 'routed_experts', whose second index is the layer"},
        {J,
         "{\"routed_experts\": [[[0], [1]], 5]}\n",
         "t:1: routed_experts[1] must be an array of layers, got 5"},
        {J,
         "{\"routed_experts\": [[[0], [9]]]}\n",
         "t:1: routed_experts[0][1][0]: expert id 9 is out of range: there are 4 experts"},
        {J, "{\"topk_ids\": [0, 1e999]}\n", "t:1: invalid JSON: number overflow parsing '1e999'"},
        {J, "\n\n", "t:3:1: no token records"},
        {J, "{\"type\": \"meta\"}\n", "t:2:1: no token records"},
        // selection
        {S, "0 0 1\n0 1\n", "t:2:4: expected 'LAYER TOKEN EXPERT...', got 2 field(s)"},
        {S, "0 0 1\nx 1 2\n", "t:2:1: expected a non-negative integer layer, got 'x'"},
        {S, "0 0 1\n0 -3 2\n", "t:2:3: token index must be >= -1 (-1: a dummy token), got -3"},
        {S, "0 0 1\n0 1 2 q\n", "t:2:7: expected an integer expert id, got 'q'"},
        {S,
         "0 0 1\n0 1 2 -1\n",
         "t:2:7: negative expert id -1 (set padExpert to drop an id that marks padding)"},
        {S, "0 0 1 1\n", "t:1:7: expert 1 appears twice for one token"},
        {S, "0 0 1\n0 1 3 7\n", "t:2:7: expert id 7 is out of range: there are 4 experts"},
        {S,
         "0 0 1\n0 1 99999999999999999999\n",
         "t:2:5: expert id 99999999999999999999 is too "
         "large"},
        {S,
         "layer token experts\nlayer token experts\n",
         "t:2:1: expected a non-negative integer layer, got 'layer'"},
        {S, "# only a comment\n", "t:2:1: no token records"},
        // counts
        {C, "1 2 3 4\n1 2 3\n", "t:2:6: row 1 has 3 entries, expected 4"},
        {C,
         "1 2 3 4\n1 2 3 4 5\n",
         "t:2:9: row 1 has more than 4 entries (the first row, line 1, has 4)"},
        {C, "1 2 3\n", "t:1:1: rows have 3 entries (one per expert), but experts = 4"},
        {C, "1 2 3 4\n1 -2 3 4\n", "t:2:3: token count must be non-negative, got '-2'"},
        {C, "1 2 3 4\n1 x 3 4\n", "t:2:3: expected a non-negative integer token count, got 'x'"},
        {C,
         "1 2 3 4\nlayer 1\n",
         "t:2:1: a 'layer' line after rows without one: start every block with 'layer L'"},
        {C, "layer 0\nlayer 1\n1 2 3 4\n", "t:2:1: layer 0 (line 1) has no rows"},
        {C,
         "layer 0\n1 2 3 4\n1 2 3 4\nlayer 1\n1 2 3 4\n",
         "t:6:1: the block of layer 1 (line 4) has 1 rows, the first block has 2 (one row per "
         "rank)"},
        {C,
         "layer 0\n1 2 3 4\n1 2 3 4\nlayer 1\n1 2 3 4\n1 2 3 4\n1 2 3 4\n",
         "t:7:1: the block of layer 1 (line 4) has more than 2 rows, as many as the first block"},
        {C, "layer\n1 2 3 4\n", "t:1:1: expected 'layer L'"},
        {C, "layer 0 1\n1 2 3 4\n", "t:1:9: expected 'layer L'"},
        {C, "# nothing\n", "t:2:1: no count matrix (expected rows of token counts per expert)"},
        {C,
         "1 2 3 4\n",
         "t: 1 rank(s) cannot be grouped onto 2 GPUs (at least 2 GPUs, and "
         "their number must divide the ranks)"},
        {C,
         "1 2 3 4\n1 2 3 4\n1 2 3 4\n",
         "t: 3 rank(s) cannot be grouped onto 2 GPUs (at "
         "least 2 GPUs, and their number must divide the "
         "ranks)"},
    };
    for (const Case& c : cases)
    {
        TraceImportOptions o = Options(c.format, 2, 4);
        EXPECT_EQ(ImportError(c.text, o), c.error) << c.text;
    }
}

TEST(TraceImport, WholeFileErrors)
{
    TraceImportOptions o = Options(TraceFormat::SELECTION, 2, 4);
    o.layer = 3;
    EXPECT_EQ(ImportError("0 0 1\n1 0 2\n", o),
              "t: no token of layer 3 (layers in the file: 0, 1)");
    o.layer = -1;
    o.skipTokens = 2;
    EXPECT_EQ(ImportError("0 0 1\n0 1 2\n1 0 1\n1 1 1\n1 2 1\n", o),
              "t: layer 0 has no tokens left after skipping (2 read)");
    TraceImportOptions c = Options(TraceFormat::COUNTS, 0);
    c.layer = 2;
    EXPECT_EQ(ImportError("1 2\n3 4\n", c), "t: no block of layer 2");
    c.layer = 0;
    c.skipBlocks = 1;
    EXPECT_EQ(ImportError("1 2\n3 4\n", c),
              "t: skipBlocks = 1 leaves no block of layer 0 (1 in "
              "the file)");
    EXPECT_EQ(ErrorOf([] {
                  ImportRoutingTraceFile("/nonexistent/x.jsonl", Options(TraceFormat::JSONL, 2));
              }),
              "cannot open routing log '/nonexistent/x.jsonl'");
    // A line too long is refused before it is parsed.
    std::string longLine(kMaxInputLineBytes + 1, ' ');
    EXPECT_EQ(ImportError("0 0 1\n" + longLine, o), "t:2:1: line longer than 4194304 bytes");
}

TEST(TraceImport, OptionsByNameAndTheirChecks)
{
    TraceImportOptions o;
    SetTraceImportOptions(o,
                          "format=JSONL, gpus=8,experts=64,layer=3,skipTokens=8448,"
                          "padExpert=-1,tokensPerGpu=128,windows=2");
    EXPECT_EQ(o.format, TraceFormat::JSONL);
    EXPECT_EQ(o.numGpus, 8u);
    EXPECT_EQ(o.numExperts, 64u);
    EXPECT_EQ(o.layer, 3);
    EXPECT_EQ(o.skipTokens, 8448u);
    EXPECT_TRUE(o.havePadExpert);
    EXPECT_EQ(o.padExpert, -1);
    EXPECT_EQ(o.tokensPerGpu, 128u);
    EXPECT_EQ(o.windows, 2u);
    EXPECT_NO_THROW(o.Validate());
    SetTraceImportOption(o, "layer", "-1");
    EXPECT_EQ(o.layer, -1);

    const std::vector<std::pair<std::string, std::string>> bad = {
        {"format=csv", "unknown trace format 'csv' (expected native, jsonl, selection or counts)"},
        {"gpus=-1", "trace import option gpus must be a non-negative integer, got '-1'"},
        {"gpus=5000", "trace import option gpus = 5000 is too large (max 4096)"},
        {"layer=-2", "trace import option layer must be in [-1, 2147483647], got '-2'"},
        {"padExpert=x", "trace import option padExpert must be an integer, got 'x'"},
        {"tokens=3",
         "unknown trace import option 'tokens' (expected format, gpus, experts, layer, "
         "skipTokens, padExpert, tokensPerGpu, windows or skipBlocks)"},
        {"gpus", "trace import option 'gpus' must be written key=value"},
    };
    for (const auto& [list, error] : bad)
    {
        TraceImportOptions x;
        EXPECT_EQ(ErrorOf([&] { SetTraceImportOptions(x, list); }), error) << list;
    }

    const std::vector<std::pair<std::string, std::string>> invalid = {
        {"format=jsonl",
         "trace import: format jsonl needs gpus (the number of data-parallel ranks the tokens "
         "are spread over)"},
        {"format=counts,gpus=1",
         "trace import: gpus must be in [2, 4096] (or 0 = from the file), got 1"},
        {"format=counts,skipTokens=3",
         "trace import: skipTokens applies to the formats jsonl and selection only, not counts"},
        {"format=native,padExpert=-1",
         "trace import: padExpert applies to the formats jsonl and selection only, not native"},
        {"format=selection,gpus=2,skipBlocks=1",
         "trace import: skipBlocks applies to the format counts only, not selection"},
        {"format=jsonl,gpus=2,windows=2",
         "trace import: windows needs tokensPerGpu (the tokens of each GPU in a window)"},
    };
    for (const auto& [list, error] : invalid)
    {
        TraceImportOptions x;
        SetTraceImportOptions(x, list);
        EXPECT_EQ(ErrorOf([&] { x.Validate(); }), error) << list;
        EXPECT_EQ(ImportError("", x), error) << list; // the importer validates too
    }
}

TEST(TraceImport, MutatedLogsImportOrRaiseInputError)
{
    // Deterministic byte edits of the example logs: every result is a trace or an InputError.
    const std::string dir = kSource + "/data/traces/";
    const std::vector<std::pair<std::string, TraceFormat>> files = {
        {"example-vllm-routing.jsonl", TraceFormat::JSONL},
        {"example-selection.txt", TraceFormat::SELECTION},
        {"example-megatron-counts.txt", TraceFormat::COUNTS},
    };
    const char edits[] = {'-', '1', '9', ',', ' ', '[', ']', '{', '"', '\n', '#', 'x', '\0'};
    uint64_t state = 12345;
    auto next = [&]() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 33;
    };
    int parsed = 0;
    int refused = 0;
    for (const auto& [file, format] : files)
    {
        const std::string original = Slurp(dir + file);
        ASSERT_FALSE(original.empty());
        for (int round = 0; round < 300; ++round)
        {
            std::string text = original;
            const int n = 1 + static_cast<int>(next() % 3);
            for (int k = 0; k < n; ++k)
            {
                const std::size_t at = next() % text.size();
                const char c = edits[next() % sizeof(edits)];
                switch (next() % 3)
                {
                case 0:
                    text[at] = c;
                    break;
                case 1:
                    text.insert(at, 1, c);
                    break;
                default:
                    text.erase(at, 1);
                    break;
                }
            }
            TraceImportOptions o = Options(format, format == TraceFormat::COUNTS ? 0 : 4);
            o.havePadExpert = format != TraceFormat::COUNTS;
            try
            {
                RoutingTrace t = Import(text, o);
                ASSERT_FALSE(t.layers.empty());
                std::ostringstream out;
                WriteRoutingTrace(out, t);
                std::istringstream back(out.str());
                EXPECT_EQ(ParseRoutingTrace(back, "back").layers, t.layers);
                ++parsed;
            }
            catch (const InputError&)
            {
                ++refused;
            }
        }
    }
    EXPECT_GT(parsed, 0);
    EXPECT_GT(refused, 0);
}

// ---------------------------------------------------------------------------------------------
// The converter

namespace
{

struct ConverterRun
{
    int status{-1};
    std::string out;
    std::string err;
};

/** Run photonic-moe-trace-import with @p args (quoted by the caller). */
ConverterRun
RunConverter(const std::string& args)
{
    static int counter = 0;
    const std::string base = ::testing::TempDir() + "pmoe-trace-import-" +
                             std::to_string(getpid()) + "-" + std::to_string(counter++);
    const std::string cmd = std::string("'") + PMOE_TRACE_IMPORT_CLI + "' " + args + " >'" + base +
                            ".out' 2>'" + base + ".err' </dev/null";
    const int raw = std::system(cmd.c_str());
    ConverterRun r;
    if (raw != -1 && WIFEXITED(raw))
    {
        r.status = WEXITSTATUS(raw);
    }
    r.out = Slurp(base + ".out");
    r.err = Slurp(base + ".err");
    std::remove((base + ".out").c_str());
    std::remove((base + ".err").c_str());
    return r;
}

} // namespace

TEST(TraceImportCli, WritesTheTraceTheLibraryImports)
{
    const std::string file = kSource + "/data/traces/example-vllm-routing.jsonl";
    ConverterRun r = RunConverter(
        "--format=jsonl --gpus=4 --experts=8 --skipTokens=4 --padExpert=-1 '" + file + "'");
    ASSERT_EQ(r.status, 0) << r.err;
    TraceImportOptions o = Options(TraceFormat::JSONL, 4, 8);
    o.skipTokens = 4;
    o.havePadExpert = true;
    o.padExpert = -1;
    TraceImportSummary s;
    RoutingTrace t = ImportRoutingTraceFile(file, o, &s);
    std::ostringstream expected;
    WriteRoutingTrace(expected, t);
    EXPECT_EQ(r.out, expected.str());
    EXPECT_NE(r.err.find("2 trace layer(s) for 4 GPUs x 8 experts"), std::string::npos) << r.err;

    // --output writes the file; --quiet drops the account on stderr.
    const std::string path =
        ::testing::TempDir() + "pmoe-trace-import-" + std::to_string(getpid()) + ".trace";
    ConverterRun w = RunConverter("--quiet --format=counts --gpus=4 --layer=0 --output='" + path +
                                  "' '" + kSource + "/data/traces/example-megatron-counts.txt'");
    ASSERT_EQ(w.status, 0) << w.err;
    EXPECT_EQ(w.out, "");
    EXPECT_EQ(w.err, "");
    RoutingTrace back = ReadRoutingTrace(path);
    EXPECT_EQ(back.numGpus, 4u);
    EXPECT_EQ(back.layers.size(), 2u);
    std::remove(path.c_str());
}

TEST(TraceImportCli, BadInputIsOneLineAndStatus2)
{
    const std::string path =
        ::testing::TempDir() + "pmoe-trace-import-bad-" + std::to_string(getpid()) + ".jsonl";
    {
        std::ofstream f(path);
        f << "{\"topk_ids\": [0, 1]}\n{\"topk_ids\": [0, 1.5]}\n";
    }
    ConverterRun r = RunConverter("--format=jsonl --gpus=2 '" + path + "'");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err,
              "photonic-moe-trace-import: error: " + path +
                  ":2: topk_ids[1] must be an integer expert id, got 1.5\n");
    std::remove(path.c_str());

    ConverterRun u = RunConverter("--format=jsonl --gpus=2 --bogus=1 x");
    EXPECT_EQ(u.status, 2);
    EXPECT_NE(u.err.find("unknown trace import option 'bogus'"), std::string::npos) << u.err;
    ConverterRun none = RunConverter("--format=jsonl --gpus=2");
    EXPECT_EQ(none.status, 2);
    EXPECT_NE(none.err.find("expected one input file"), std::string::npos) << none.err;
    ConverterRun help = RunConverter("--help");
    EXPECT_EQ(help.status, 0);
    EXPECT_NE(help.out.find("--tokensPerGpu"), std::string::npos);
}
