/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Google Benchmark of the decompositions and the fluid evaluator on MoE-like demand:
// destination popularity Zipf(0.8) with per-pair noise, tokens of 7 KiB (DeepSeek-V3 FP8
// dispatch is about 7 KiB per token copy), seeded. Reported counters: configs = matchings in
// the schedule, makespan_us = fluid makespan at 400 Gb/s and delta = 10 us (all-stop) with the
// residual on a 100 Gb/s electrical fabric in parallel, residual_frac = share of the demand
// left to that fabric.
// Run: photonic-moe-bench --benchmark_filter=Decomp

#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-fluid-evaluator.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace
{

using namespace ns3::pmoe;

/**
 * MoE-like demand: 4096 tokens per source spread over destinations by Zipf(0.8)
 * popularity (random ranks), +-50% noise per pair, 7168 bytes per token.
 * @param n ports
 * @param seed seed
 * @return the matrix
 */
DemandMatrix
MoeDemand(std::size_t n, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<std::size_t> rank(n);
    for (std::size_t j = 0; j < n; ++j)
    {
        rank[j] = j;
    }
    std::shuffle(rank.begin(), rank.end(), rng);
    std::vector<double> pop(n);
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j)
    {
        pop[j] = 1.0 / std::pow(static_cast<double>(rank[j] + 1), 0.8);
        sum += pop[j];
    }
    DemandMatrix d(n);
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            if (i != j)
            {
                double tokens = 4096.0 * pop[j] / sum * (0.5 + u(rng));
                d.Set(i, j, static_cast<Bytes>(std::llround(tokens)) * 7168);
            }
        }
    }
    return d;
}

/** Run one decomposition configuration as a benchmark. */
void
RunDecomposition(benchmark::State& state, DecompositionParams p)
{
    const std::size_t n = static_cast<std::size_t>(state.range(0));
    DemandMatrix d = MoeDemand(n, 2605 + n);
    Schedule s;
    for (auto _ : state)
    {
        s = Decompose(d, p);
        benchmark::DoNotOptimize(s);
    }
    FluidParams f;
    f.linkRateBps = p.linkRateBps;
    f.reconfigDelayNs = p.reconfigDelayNs;
    f.epsRateBps = 100000000000;
    FluidResult r = EvaluateSchedule(d, s, f);
    state.counters["configs"] = static_cast<double>(s.NumConfigurations());
    state.counters["makespan_us"] = static_cast<double>(r.makespanNs) / 1000.0;
    state.counters["residual_frac"] =
        static_cast<double>(r.residualBytes) / static_cast<double>(std::max<Bytes>(1, d.Total()));
}

void
BM_DecompGreedyK16(benchmark::State& state)
{
    DecompositionParams p;
    p.algorithm = "greedy";
    p.maxMatchings = 16;
    RunDecomposition(state, p);
}

void
BM_DecompGreedyK16Duplex(benchmark::State& state)
{
    DecompositionParams p;
    p.algorithm = "greedy";
    p.maxMatchings = 16;
    p.model = CircuitModel::DUPLEX;
    RunDecomposition(state, p);
}

void
BM_DecompGreedyUnbounded(benchmark::State& state)
{
    DecompositionParams p;
    p.algorithm = "greedy";
    RunDecomposition(state, p);
}

void
BM_DecompBvnSinkhorn(benchmark::State& state)
{
    DecompositionParams p;
    p.algorithm = "bvn";
    RunDecomposition(state, p);
}

void
BM_DecompBvnQuick(benchmark::State& state)
{
    DecompositionParams p;
    p.algorithm = "bvn";
    p.stuffing = StuffingMethod::QUICK;
    RunDecomposition(state, p);
}

void
BM_DecompSolstice(benchmark::State& state)
{
    DecompositionParams p;
    p.algorithm = "solstice";
    RunDecomposition(state, p);
}

void
BM_DecompEclipseK16(benchmark::State& state)
{
    DecompositionParams p;
    p.algorithm = "eclipse";
    p.maxMatchings = 16;
    RunDecomposition(state, p);
}

void
BM_DecompEclipseUnbounded(benchmark::State& state)
{
    DecompositionParams p;
    p.algorithm = "eclipse";
    RunDecomposition(state, p);
}

void
BM_DecompGreedyK16Relay(benchmark::State& state)
{
    DecompositionParams p;
    p.algorithm = "greedy";
    p.maxMatchings = 16;
    p.residualPolicy = ResidualPolicy::RELAY;
    RunDecomposition(state, p);
}

/** The fluid evaluator on an unbounded greedy schedule (with relays none). */
void
BM_DecompEvaluateGreedy(benchmark::State& state)
{
    const std::size_t n = static_cast<std::size_t>(state.range(0));
    DemandMatrix d = MoeDemand(n, 2605 + n);
    DecompositionParams p;
    p.algorithm = "greedy";
    Schedule s = Decompose(d, p);
    FluidParams f;
    for (auto _ : state)
    {
        FluidResult r = EvaluateSchedule(d, s, f);
        benchmark::DoNotOptimize(r);
    }
    state.counters["configs"] = static_cast<double>(s.NumConfigurations());
}

} // namespace

BENCHMARK(BM_DecompGreedyK16)->RangeMultiplier(2)->Range(16, 512)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecompGreedyK16Duplex)
    ->RangeMultiplier(2)
    ->Range(16, 256)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecompGreedyUnbounded)
    ->RangeMultiplier(2)
    ->Range(16, 128)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecompGreedyK16Relay)
    ->RangeMultiplier(2)
    ->Range(16, 128)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecompBvnSinkhorn)->RangeMultiplier(2)->Range(16, 128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecompBvnQuick)->RangeMultiplier(2)->Range(16, 128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecompSolstice)->RangeMultiplier(2)->Range(16, 128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecompEclipseK16)->RangeMultiplier(2)->Range(16, 128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecompEclipseUnbounded)
    ->RangeMultiplier(2)
    ->Range(16, 64)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecompEvaluateGreedy)
    ->RangeMultiplier(4)
    ->Range(32, 512)
    ->Unit(benchmark::kMillisecond);
