/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Matching benchmarks on seeded random integer matrices. The matrices come from the LCG
// below, which bench/scipy_lsa.py reproduces exactly so that SciPy's
// linear_sum_assignment can be timed on the same inputs (see doc/benchmarks.md).

#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-matching.h"

#include <benchmark/benchmark.h>
#include <cstdint>
#include <vector>

using namespace ns3::pmoe;

namespace
{

/// Matrices per size; each benchmark iteration solves the next one in turn.
constexpr int kMatrices = 5;

/**
 * Matrix @p index of size @p n: entries uniform in [0, 10^6) from the 64-bit LCG
 * x <- x * 6364136223846793005 + 1442695040888963407 (mod 2^64), value (x >> 33) % 10^6,
 * seeded with x = 1000003 * n + index, drawn row-major; the diagonal draw is discarded (0).
 * @param n size
 * @param index matrix number
 * @return the matrix
 */
DemandMatrix
LcgMatrix(std::size_t n, int index)
{
    uint64_t x = 1000003ULL * n + static_cast<uint64_t>(index);
    DemandMatrix d(n);
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            if (i != j)
            {
                d.Set(i, j, static_cast<Bytes>((x >> 33) % 1000000));
            }
        }
    }
    return d;
}

std::vector<DemandMatrix>
Matrices(std::size_t n, bool pairSums)
{
    std::vector<DemandMatrix> out;
    for (int k = 0; k < kMatrices; ++k)
    {
        out.push_back(pairSums ? LcgMatrix(n, k).PairSums() : LcgMatrix(n, k));
    }
    return out;
}

Bytes
MateWeight(const DemandMatrix& w, const std::vector<int32_t>& mate, bool symmetric)
{
    Bytes sum = 0;
    for (std::size_t i = 0; i < mate.size(); ++i)
    {
        if (mate[i] >= 0 && (!symmetric || static_cast<std::size_t>(mate[i]) > i))
        {
            sum += w.At(i, static_cast<std::size_t>(mate[i]));
        }
    }
    return sum;
}

void
BM_BipartiteExact(benchmark::State& state)
{
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::vector<DemandMatrix> ms = Matrices(n, false);
    BipartiteMatcher matcher;
    int k = 0;
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(matcher.Solve(ms[static_cast<std::size_t>(k)]).data());
        k = (k + 1) % kMatrices;
    }
    // Optimum of matrix 0, to compare with SciPy's.
    state.counters["weight0"] = static_cast<double>(MateWeight(ms[0], matcher.Solve(ms[0]), false));
}

void
BM_GeneralExact(benchmark::State& state)
{
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::vector<DemandMatrix> ms = Matrices(n, true);
    GeneralMatcher matcher;
    int k = 0;
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(matcher.Solve(ms[static_cast<std::size_t>(k)]).data());
        k = (k + 1) % kMatrices;
    }
    state.counters["weight0"] = static_cast<double>(MateWeight(ms[0], matcher.Solve(ms[0]), true));
}

void
BM_GreedyUnidirectional(benchmark::State& state)
{
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::vector<DemandMatrix> ms = Matrices(n, false);
    int k = 0;
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(
            GreedyMatching(ms[static_cast<std::size_t>(k)], CircuitModel::UNIDIRECTIONAL).data());
        k = (k + 1) % kMatrices;
    }
    state.counters["weight0"] = static_cast<double>(
        MateWeight(ms[0], GreedyMatching(ms[0], CircuitModel::UNIDIRECTIONAL), false));
}

void
BM_GreedyDuplex(benchmark::State& state)
{
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::vector<DemandMatrix> ms = Matrices(n, true);
    int k = 0;
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(
            GreedyMatching(ms[static_cast<std::size_t>(k)], CircuitModel::DUPLEX).data());
        k = (k + 1) % kMatrices;
    }
    state.counters["weight0"] =
        static_cast<double>(MateWeight(ms[0], GreedyMatching(ms[0], CircuitModel::DUPLEX), true));
}

} // namespace

BENCHMARK(BM_BipartiteExact)->RangeMultiplier(2)->Range(16, 512)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GeneralExact)->RangeMultiplier(2)->Range(16, 512)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GreedyUnidirectional)
    ->RangeMultiplier(2)
    ->Range(16, 512)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GreedyDuplex)->RangeMultiplier(2)->Range(16, 512)->Unit(benchmark::kMicrosecond);
