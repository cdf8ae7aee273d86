/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-test-util.h"

#include "ns3/pmoe-compute-model.h"
#include "ns3/pmoe-units.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace ns3::pmoe;
using ns3::pmoe::tests::ErrorOf;

namespace
{

/// |value - reference| / reference
double
RelErr(Ns value, double reference)
{
    return std::abs(static_cast<double>(value) - reference) / reference;
}

} // namespace

// Hand computation, H100 BF16 defaults (H100 datasheet: 989 TFLOP/s, 3.35 TB/s; efficiencies
// fitted to public grouped-GEMM measurements). The "public estimate" figures are the
// roofline-with-fixed-cost estimates for these experts at t_fix = 10 us. eta_c P = 0.62 x 989e12 =
// 613.18e12 FLOP/s = 613,180 FLOP/ns; eta_m BW = 0.72 x 3.35e12 = 2.412e12 B/s = 2,412 B/ns; t_fix
// = 10,000 ns.
//
// DeepSeek-V3 expert, h = 7168, I = 2048:
//   h I = 14,680,064; FLOP/token 6 h I = 88,080,384 -> 88,080,384 / 613,180 = 143.645 ns/token
//   weights 3 h I s_w = 88,080,384 B -> 36,517.57 ns
//   activations (2h + 4I) s_a = (14,336 + 8,192) x 2 = 45,056 B/token -> 18.680 ns/token
//   t(1)    = 10,000 + ceil(max(143.6, (88,080,384 + 45,056) / 2,412 = 36,536.25))
//           = 10,000 + 36,537 = 46,537 ns                   (public estimate: ~46 us)
//   t(128)  = 10,000 + ceil(max(18,386.59, (88,080,384 + 5,767,168) / 2,412 = 38,908.60))
//           = 48,909 ns
//   t(512)  = 10,000 + ceil(max(512 x 143.645 = 73,546.36, 111,149,056 / 2,412 = 46,081.70))
//           = 83,547 ns                                     (public estimate: ~84 us)
//   t(4096) = 10,000 + ceil(max(4096 x 143.645 = 588,370.87, 272,629,760 / 2,412 = 113,030.58))
//           = 598,371 ns                                    (public estimate: ~0.6 ms)
//
// Mixtral 8x7B expert, h = 4096, I = 14,336:
//   6 h I = 352,321,536 FLOP/token -> 574.581 ns/token
//   weights 3 h I s_w = 352,321,536 B -> 146,070.28 ns; activations (8,192 + 57,344) x 2 =
//   131,072 B/token -> 54.342 ns/token
//   t(128)  = 10,000 + ceil(max(73,546.36, (352,321,536 + 16,777,216) / 2,412 = 153,026.02))
//           = 163,027 ns                                    (public estimate: ~163 us)
//   t(4096) = 10,000 + ceil(max(2,353,483.50, 889,192,448 / 2,412 = 368,653.59))
//           = 2,363,484 ns                                  (public estimate: ~2.4 ms)
//
// Qwen3-235B-A22B expert, h = 4096, I = 1536:
//   6 h I = 37,748,736 FLOP/token -> 61.562 ns/token; weights 37,748,736 B -> 15,650.39 ns;
//   activations (8,192 + 6,144) x 2 = 28,672 B/token -> 11.887 ns/token
//   t(128)  = 10,000 + ceil(max(7,879.97, (37,748,736 + 3,670,016) / 2,412 = 17,171.95))
//           = 27,172 ns
//   t(4096) = 10,000 + ceil(max(252,158.95, 155,189,248 / 2,412 = 64,340.48)) = 262,159 ns
TEST(ComputeModel, WorkedExamplesByHand)
{
    ComputeModel v3(ComputeParams::FromPreset("deepseek-v3"));
    EXPECT_EQ(v3.BatchTimeNs(1), 46537);
    EXPECT_EQ(v3.BatchTimeNs(128), 48909);
    EXPECT_EQ(v3.BatchTimeNs(512), 83547);
    EXPECT_EQ(v3.BatchTimeNs(4096), 598371);
    EXPECT_LT(RelErr(v3.BatchTimeNs(1), 46e3), 0.05);
    EXPECT_LT(RelErr(v3.BatchTimeNs(512), 84e3), 0.05);
    EXPECT_LT(RelErr(v3.BatchTimeNs(4096), 0.6e6), 0.05);

    ComputeModel mixtral(ComputeParams::FromPreset("mixtral-8x7b"));
    EXPECT_EQ(mixtral.BatchTimeNs(128), 163027);
    EXPECT_EQ(mixtral.BatchTimeNs(4096), 2363484);
    EXPECT_LT(RelErr(mixtral.BatchTimeNs(128), 163e3), 0.05);
    EXPECT_LT(RelErr(mixtral.BatchTimeNs(4096), 2.4e6), 0.05);

    ComputeModel qwen(ComputeParams::FromPreset("qwen3-235b-a22b"));
    EXPECT_EQ(qwen.BatchTimeNs(128), 27172);
    EXPECT_EQ(qwen.BatchTimeNs(4096), 262159);

    // The default parameters are DeepSeek-V3's expert on an H100.
    EXPECT_EQ(ComputeModel().BatchTimeNs(512), 83547);
    // Unrounded terms.
    EXPECT_NEAR(v3.ComputeSeconds(512) * 1e9, 73546.359, 1e-3);
    EXPECT_NEAR(v3.MemorySeconds(512) * 1e9, 46081.698, 1e-3);
}

TEST(ComputeModel, RidgeAndSmallBatchEfficiency)
{
    // DeepSeek-V3: b* = 36,517.57 / (143.645 - 18.680) = 292.2 tokens. (The commonly quoted
    // "~250 tokens per expert on H100" is the weights-only crossover 36,517.57 / 143.645 =
    // 254.2.)
    ComputeModel v3(ComputeParams::FromPreset("deepseek-v3"));
    EXPECT_NEAR(v3.RidgeTokens(), 292.23, 0.05);
    // H200 (4.8 TB/s, H200 datasheet): 88,080,384 / 3,456 = 25,486.22 ns of weights;
    // b* = 25,486.22 / (143.645 - 45,056 / 3,456 = 13.037) = 195.1 (weights only: 177.4, the
    // commonly quoted "~180" for H200).
    ComputeParams h200 = ComputeParams::FromPreset("deepseek-v3");
    h200.memBandwidth = 4.8e12;
    EXPECT_NEAR(ComputeModel(h200).RidgeTokens(), 195.13, 0.05);

    // "A batch of 128 tokens runs at roughly 30-45% of the efficiency of a large batch":
    // per-token time at b = 128 vs b = 4096.
    double small = static_cast<double>(v3.BatchTimeNs(128)) / 128;
    double large = static_cast<double>(v3.BatchTimeNs(4096)) / 4096;
    double efficiency = large / small; // 146.09 / 382.10 = 0.382
    EXPECT_GT(efficiency, 0.30);
    EXPECT_LT(efficiency, 0.45);

    // Memory always dominates when compute is free enough.
    ComputeParams fast = ComputeParams::FromPreset("deepseek-v3");
    fast.peakFlops = 1e20;
    EXPECT_TRUE(std::isinf(ComputeModel(fast).RidgeTokens()));
}

TEST(ComputeModel, MonotoneAndSubadditive)
{
    ComputeModel m(ComputeParams::FromPreset("mixtral-8x7b"));
    EXPECT_EQ(m.BatchTimeNs(0), 0);
    Ns prev = 0;
    for (uint64_t b = 1; b <= 5000; ++b)
    {
        Ns t = m.BatchTimeNs(b);
        ASSERT_GE(t, prev) << "b = " << b;
        ASSERT_GT(t, 10000) << "b = " << b;
        prev = t;
    }
    // Splitting a batch never saves time: t(a) + t(b) >= t(a + b) (fixed seed).
    std::mt19937_64 gen(3);
    for (int k = 0; k < 1000; ++k)
    {
        uint64_t a = 1 + gen() % 3000;
        uint64_t b = 1 + gen() % 3000;
        EXPECT_GE(m.BatchTimeNs(a) + m.BatchTimeNs(b), m.BatchTimeNs(a + b));
    }
}

TEST(ComputeModel, GroupedLaunch)
{
    ComputeModel v3(ComputeParams::FromPreset("deepseek-v3"));
    EXPECT_EQ(v3.GroupedBatchTimeNs({}), 0);
    EXPECT_EQ(v3.GroupedBatchTimeNs({0, 0, 0}), 0);
    for (uint64_t b : {1, 77, 512, 4096})
    {
        EXPECT_EQ(v3.GroupedBatchTimeNs({0, b, 0}), v3.BatchTimeNs(b));
    }
    // Four experts with 100 tokens each, one launch (hand): compute 400 x 143.645 =
    // 57,458.09 ns; memory (4 x 88,080,384 + 400 x 45,056) / 2,412 = 153,542.26 ns;
    // t = 10,000 + 153,543 = 163,543 ns (memory-bound: four experts' weights).
    EXPECT_EQ(v3.GroupedBatchTimeNs({100, 100, 100, 100}), 163543);
    // Per-expert launches: 4 x t(100) = 4 x (10,000 + ceil((88,080,384 + 4,505,600) / 2,412 =
    // 38,385.57)) = 4 x 48,386 = 193,544 ns.
    EXPECT_EQ(v3.BatchSetTimeNs({100, 100, 100, 100}, LaunchMode::PER_EXPERT), 193544);
    EXPECT_EQ(v3.BatchSetTimeNs({100, 100, 100, 100}, LaunchMode::GROUPED), 163543);
    // Only experts with tokens load weights: {1000, 0, 0} -> one expert's weights;
    // compute 143,645.23 > memory (88,080,384 + 45,056,000) / 2,412 = 55,197.51
    EXPECT_EQ(v3.GroupedBatchTimeNs({1000, 0, 0}), 10000 + 143646);
    EXPECT_LE(v3.GroupedBatchTimeNs({7, 300, 2000}),
              v3.BatchSetTimeNs({7, 300, 2000}, LaunchMode::PER_EXPERT));
    EXPECT_EQ(FromString<LaunchMode>("Grouped"), LaunchMode::GROUPED);
    EXPECT_EQ(ToString(FromString<LaunchMode>("per-expert")), "per-expert");
    EXPECT_THROW(FromString<LaunchMode>("fused"), InputError);
}

TEST(ComputeModel, IdealIsALowerBoundOnSplitBatches)
{
    // Compute efficiency = ideal / actual <= 1 whatever the split, in both launch modes.
    ComputeModel m(ComputeParams::FromPreset("qwen3-235b-a22b"));
    std::mt19937_64 gen(17);
    for (LaunchMode mode : {LaunchMode::PER_EXPERT, LaunchMode::GROUPED})
    {
        for (int trial = 0; trial < 200; ++trial)
        {
            const std::size_t experts = 1 + gen() % 6;
            std::vector<uint64_t> total(experts, 0);
            Ns actual = 0;
            const int batches = 1 + static_cast<int>(gen() % 8);
            for (int k = 0; k < batches; ++k)
            {
                std::vector<uint64_t> batch(experts);
                for (auto& b : batch)
                {
                    b = gen() % 3 == 0 ? 0 : gen() % 700;
                }
                for (std::size_t e = 0; e < experts; ++e)
                {
                    total[e] += batch[e];
                }
                actual += m.BatchSetTimeNs(batch, mode);
            }
            Ns ideal = m.IdealComputeTimeNs(total, mode);
            EXPECT_LE(ideal, actual) << ToString(mode);
        }
    }
    // Example: 1024 tokens of one expert in 8 batches of 128 vs one batch (DeepSeek-V3):
    // 8 x 48,909 = 391,272 ns vs t(1024) = 10,000 + ceil(1024 x 143.645 = 147,092.72) =
    // 157,093 ns -> efficiency 0.401.
    ComputeModel v3(ComputeParams::FromPreset("deepseek-v3"));
    EXPECT_EQ(v3.IdealComputeTimeNs({1024}, LaunchMode::PER_EXPERT), 157093);
    EXPECT_EQ(8 * v3.BatchTimeNs(128), 391272);
}

TEST(ComputeModel, FixedCostAndFp8)
{
    ComputeParams p = ComputeParams::FromPreset("deepseek-v3");
    p.fixedCostNs = 0; // ablation: no fixed cost
    EXPECT_EQ(ComputeModel(p).BatchTimeNs(512), 73547);
    p.fixedCostNs = 25000;
    EXPECT_EQ(ComputeModel(p).BatchTimeNs(512), 98547);
    // FP8 weights and activations at 1979 TFLOP/s: compute 88,080,384 / (0.62 x 1,979,000) =
    // 71.786 ns/token; weights 44,040,192 / 2,412 = 18,258.79 ns; activations 22,528 B/token
    // -> 9.340 ns/token. t(512) = 10,000 + ceil(max(36,754.60, 23,040.85)) = 46,755 ns.
    ComputeParams fp8 = ComputeParams::FromPreset("deepseek-v3");
    fp8.peakFlops = 1979e12;
    fp8.weightBytes = 1;
    fp8.activationBytes = 1;
    EXPECT_EQ(ComputeModel(fp8).BatchTimeNs(512), 46755);
}

TEST(ComputeModel, ValidationNamesTheField)
{
    struct Case
    {
        const char* expect;
        void (*mutate)(ComputeParams&);
    };

    const Case cases[] = {
        {"hiddenSize", [](ComputeParams& p) { p.hiddenSize = 0; }},
        {"ffnSize", [](ComputeParams& p) { p.ffnSize = 0; }},
        {"peakFlops", [](ComputeParams& p) { p.peakFlops = 0; }},
        {"peakFlops", [](ComputeParams& p) { p.peakFlops = std::nan(""); }},
        {"memBandwidth", [](ComputeParams& p) { p.memBandwidth = -3.35e12; }},
        {"memBandwidth",
         [](ComputeParams& p) { p.memBandwidth = std::numeric_limits<double>::infinity(); }},
        {"computeEfficiency", [](ComputeParams& p) { p.computeEfficiency = 1.2; }},
        {"memoryEfficiency", [](ComputeParams& p) { p.memoryEfficiency = 0; }},
        {"weightBytes", [](ComputeParams& p) { p.weightBytes = 0; }},
        {"activationBytes", [](ComputeParams& p) { p.activationBytes = -1; }},
        {"fixedCostNs", [](ComputeParams& p) { p.fixedCostNs = -1; }},
    };
    for (const Case& k : cases)
    {
        ComputeParams p;
        k.mutate(p);
        std::string msg = ErrorOf([&] { ComputeModel m(p); });
        EXPECT_NE(msg.find(k.expect), std::string::npos)
            << "expected '" << k.expect << "' in: '" << msg << "'";
    }
    EXPECT_NO_THROW(ComputeModel{ComputeParams{}});
    EXPECT_THROW(ComputeParams::FromPreset("gpt-5"), InputError);
    // Absurd batch sizes are an error, not an overflow.
    ComputeParams slow;
    slow.peakFlops = 1;
    slow.memBandwidth = 1;
    EXPECT_THROW(ComputeModel(slow).BatchTimeNs(1ULL << 40), InputError);
}
