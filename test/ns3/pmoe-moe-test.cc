/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// MoE workload and GPU compute model checks inside the ns-3 suite (standalone, the GoogleTest
// files test/core/moe-workload-test.cc and compute-model-test.cc cover them in depth).

#include "pmoe-test-cases.h"

#include "ns3/object.h"
#include "ns3/pmoe-compute-model.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-units.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/rng-seed-manager.h"

#include <cstdint>
#include <sstream>
#include <string>

namespace ns3
{
namespace pmoe
{
namespace tests
{

namespace
{

/// A 64-bit workload seed drawn from ns-3 random stream @p stream, as the ns-3 wrapper does.
uint64_t
SeedFromStream(int64_t stream)
{
    Ptr<UniformRandomVariable> u = CreateObject<UniformRandomVariable>();
    u->SetStream(stream);
    uint64_t hi = u->GetInteger(0, 0xFFFFFFFFU);
    uint64_t lo = u->GetInteger(0, 0xFFFFFFFFU);
    return (hi << 32) | lo;
}

} // namespace

/**
 * @ingroup photonic-moe
 * Token conservation and bytes on a fixed seed: N T k copies without dedup, fewer with it,
 * dispatch bytes = copies x h x bytes per element, combine = dispatch transposed.
 */
class MoeConservationTestCase : public TestCase
{
  public:
    MoeConservationTestCase()
        : TestCase("MoE workload: token conservation, dedup and bytes")
    {
    }

  private:
    void DoRun() override
    {
        MoeConfig c;
        c.numGpus = 8;
        c.numExperts = 32;
        c.topK = 4;
        c.tokensPerGpu = 128;
        c.hiddenSize = 2048;
        c.routing = RoutingKind::ZIPF;
        c.zipfExponent = 0.8;
        LayerWorkload l = MoeWorkload(c, 7).Generate(0);
        NS_TEST_EXPECT_MSG_EQ(l.tokens.Total(), 8u * 128 * 4, "N T k token copies");
        NS_TEST_EXPECT_MSG_EQ(l.copies.Total(), 8u * 128 * 4, "no dedup: one copy per choice");
        Bytes all = l.dispatch.Total();
        for (uint32_t i = 0; i < 8; ++i)
        {
            all += l.dispatch.LocalBytes(i);
            NS_TEST_EXPECT_MSG_EQ(l.tokens.RowSum(i), 128u * 4, "row sum T k");
        }
        NS_TEST_EXPECT_MSG_EQ(all, static_cast<Bytes>(8 * 128 * 4) * 2048 * 2, "dispatch bytes");
        NS_TEST_EXPECT_MSG_EQ((l.combine == l.dispatch.Transposed()), true, "combine = D^T");

        c.dedup = true;
        LayerWorkload d = MoeWorkload(c, 7).Generate(0);
        NS_TEST_EXPECT_MSG_EQ((d.tokens == l.tokens), true, "dedup does not change routing");
        NS_TEST_EXPECT_MSG_LT(d.copies.Total(), l.copies.Total(), "dedup merges copies");
        for (uint32_t i = 0; i < 8; ++i)
        {
            for (uint32_t g = 0; g < 8; ++g)
            {
                NS_TEST_EXPECT_MSG_LT_OR_EQ(d.copies.At(i, g), 128u, "one copy per token");
            }
        }
    }
};

/**
 * @ingroup photonic-moe
 * Determinism: a seed drawn from the same ns-3 stream gives identical matrices; another
 * stream gives different ones; the Zipf ranking persists within a re-draw period.
 */
class MoeDeterminismTestCase : public TestCase
{
  public:
    MoeDeterminismTestCase()
        : TestCase("MoE workload: determinism from ns-3 streams, re-draw period")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        uint64_t s1 = SeedFromStream(10);
        uint64_t s1again = SeedFromStream(10);
        uint64_t s2 = SeedFromStream(11);
        NS_TEST_EXPECT_MSG_EQ(s1, s1again, "same stream, same seed");
        NS_TEST_EXPECT_MSG_NE(s1, s2, "different streams, different seeds");

        MoeConfig c;
        c.numGpus = 4;
        c.numExperts = 16;
        c.topK = 2;
        c.tokensPerGpu = 64;
        c.hiddenSize = 64;
        c.routing = RoutingKind::ZIPF;
        c.zipfExponent = 1.2;
        c.redrawPeriod = 2;
        MoeWorkload a(c, s1);
        MoeWorkload b(c, s1again);
        MoeWorkload other(c, s2);
        NS_TEST_EXPECT_MSG_EQ((a.Generate(1).tokens == b.Generate(1).tokens),
                              true,
                              "same seed, identical tokens");
        NS_TEST_EXPECT_MSG_EQ((a.Generate(1).dispatch == b.Generate(1).dispatch),
                              true,
                              "same seed, identical dispatch");
        NS_TEST_EXPECT_MSG_EQ((a.Generate(1).tokens == other.Generate(1).tokens),
                              false,
                              "different seed, different tokens");
        NS_TEST_EXPECT_MSG_EQ((a.ExpertRanking(0) == a.ExpertRanking(1)),
                              true,
                              "ranking constant within a period");
        NS_TEST_EXPECT_MSG_EQ((a.ExpertRanking(1) == a.ExpertRanking(2)),
                              false,
                              "ranking re-drawn at the period boundary");
    }
};

/**
 * @ingroup photonic-moe
 * Compute model worked examples (hand arithmetic in test/core/compute-model-test.cc) and a
 * routing-trace error with file:line:column.
 */
class MoeComputeAndTraceTestCase : public TestCase
{
  public:
    MoeComputeAndTraceTestCase()
        : TestCase("GPU compute model worked examples; routing trace errors")
    {
    }

  private:
    void DoRun() override
    {
        // DeepSeek-V3: 10,000 + ceil(512 x 88,080,384 / 613,180 = 73,546.36) ns
        ComputeModel v3(ComputeParams::FromPreset("deepseek-v3"));
        NS_TEST_EXPECT_MSG_EQ(v3.BatchTimeNs(512), 83547, "DeepSeek-V3 t(512)");
        NS_TEST_EXPECT_MSG_EQ(v3.BatchTimeNs(1), 46537, "DeepSeek-V3 t(1)");
        // Mixtral 8x7B: 10,000 + ceil((352,321,536 + 128 x 131,072) / 2,412 = 153,026.02) ns
        ComputeModel mixtral(ComputeParams::FromPreset("mixtral-8x7b"));
        NS_TEST_EXPECT_MSG_EQ(mixtral.BatchTimeNs(128), 163027, "Mixtral t(128)");
        NS_TEST_EXPECT_MSG_EQ(v3.GroupedBatchTimeNs({0, 512, 0}), 83547, "grouped, one expert");
        NS_TEST_EXPECT_MSG_EQ(v3.BatchTimeNs(0), 0, "no tokens, no launch");

        std::istringstream in("gpus 2 experts 3\nlayer 0\n1 2 3\n4 x 6\n");
        std::string msg;
        try
        {
            ParseRoutingTrace(in, "bad.trace");
        }
        catch (const InputError& e)
        {
            msg = e.what();
        }
        NS_TEST_EXPECT_MSG_EQ(msg.rfind("bad.trace:4:3: ", 0), 0u, "file:line:col, got " + msg);
    }
};

void
AddMoeTestCases(const AddTestCaseFn& add)
{
    add(new MoeConservationTestCase);
    add(new MoeDeterminismTestCase);
    add(new MoeComputeAndTraceTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
