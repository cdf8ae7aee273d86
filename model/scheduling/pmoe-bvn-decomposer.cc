/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-bvn-decomposer.h"

#include "pmoe-birkhoff.h"
#include "pmoe-schedule-builder.h"
#include "pmoe-stuffing.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>
#include <vector>

namespace ns3
{
namespace pmoe
{

namespace
{

/**
 * Slot bytes for a real-valued slot: round to the nearest integer when within 1e-9 (relative)
 * of it (floating-point noise), otherwise round up so that the slot covers its share.
 * @param x slot in bytes (>= 0)
 * @return bytes
 */
Bytes
SlotBytes(double x)
{
    if (!(x <= 4.0e18))
    {
        throw InputError("a BvN slot of " + std::to_string(x) +
                         " bytes does not fit the core's integer range (demand too skewed)");
    }
    double r = std::round(x);
    if (std::fabs(x - r) <= 1e-9 * std::max(1.0, x))
    {
        return static_cast<Bytes>(r);
    }
    return static_cast<Bytes>(std::ceil(x));
}

/** A slot of a stuffed decomposition: bytes per circuit direction and its permutation. */
struct StuffedSlot
{
    Bytes bytes;                //!< slot length in bytes
    std::vector<uint32_t> perm; //!< permutation (fixed points idle)
};

/**
 * Slot lengths for the terms c_k P_k of a Sinkhorn-BvN decomposition that cover every pair's
 * demand: slot_k = c_k x s + e_k, where s is one scale for all terms and e_k an extension.
 *
 * Pair (i, j) is covered by the terms whose permutation has the arc i -> j (total
 * coefficient C_ij); with the single scale s = max D_ij / C_ij (the textbook choice) one pair
 * whose share of the scaled matrix is tiny - typical when epsilon had to be added - inflates
 * every slot by orders of magnitude. Instead, a pair with D_ij > s C_ij extends the
 * largest-coefficient term that covers it by the deficit, and s is chosen to minimise the
 * total slot time f(s) = s sum(c_k) + sum_k e_k(s). f is convex; it is minimised over the
 * breakpoints D_ij / C_ij by binary search (ties: the larger s). Integer slots are then
 * checked pair by pair and any rounding deficit is added to that pair's largest term, so the
 * slots cover every pair that appears in some term exactly. Pairs in no term (the tolerance
 * cut the decomposition short) are left uncovered.
 * @param d demand
 * @param terms Birkhoff terms of the Sinkhorn matrix
 * @return slots (bytes > 0) in term order
 */
std::vector<StuffedSlot>
CoveringSlots(const DemandMatrix& d, std::vector<BirkhoffTerm<double>> terms)
{
    const std::size_t n = d.Size();
    const std::size_t nt = terms.size();
    std::vector<double> cover(n * n, 0.0);
    std::vector<int32_t> largest(n * n, -1);
    double total = 0;
    for (std::size_t k = 0; k < nt; ++k)
    {
        total += terms[k].coefficient;
        for (std::size_t i = 0; i < n; ++i)
        {
            std::size_t j = terms[k].perm[i];
            if (i == j)
            {
                continue;
            }
            std::size_t idx = i * n + j;
            cover[idx] += terms[k].coefficient;
            if (largest[idx] < 0 ||
                terms[k].coefficient > terms[static_cast<std::size_t>(largest[idx])].coefficient)
            {
                largest[idx] = static_cast<int32_t>(k);
            }
        }
    }

    struct Need
    {
        double bytes;
        double cover;
        std::size_t term;
    };

    std::vector<Need> needs;
    std::vector<double> breakpoints;
    for (std::size_t idx = 0; idx < n * n; ++idx)
    {
        Bytes b = d.Data()[idx];
        if (b > 0 && largest[idx] >= 0 && cover[idx] > 0)
        {
            needs.push_back(
                {static_cast<double>(b), cover[idx], static_cast<std::size_t>(largest[idx])});
            breakpoints.push_back(static_cast<double>(b) / cover[idx]);
        }
    }
    if (needs.empty())
    {
        return {};
    }
    std::sort(breakpoints.begin(), breakpoints.end());
    breakpoints.erase(std::unique(breakpoints.begin(), breakpoints.end()), breakpoints.end());
    std::vector<double> extra(nt);
    auto cost = [&](double s) {
        std::fill(extra.begin(), extra.end(), 0.0);
        for (const Need& x : needs)
        {
            extra[x.term] = std::max(extra[x.term], x.bytes - s * x.cover);
        }
        return s * total + std::accumulate(extra.begin(), extra.end(), 0.0);
    };
    std::size_t lo = 0;
    std::size_t hi = breakpoints.size() - 1;
    while (lo < hi)
    {
        std::size_t mid = (lo + hi) / 2;
        if (cost(breakpoints[mid + 1]) <= cost(breakpoints[mid]))
        {
            lo = mid + 1;
        }
        else
        {
            hi = mid;
        }
    }
    const double scale = breakpoints[lo];
    std::vector<Bytes> slot(nt);
    for (std::size_t k = 0; k < nt; ++k)
    {
        slot[k] = SlotBytes(terms[k].coefficient * scale);
    }
    // Exact integer coverage check, pair by pair.
    std::vector<Bytes> covered(n * n, 0);
    for (std::size_t k = 0; k < nt; ++k)
    {
        for (std::size_t i = 0; i < n; ++i)
        {
            covered[i * n + terms[k].perm[i]] += slot[k];
        }
    }
    for (std::size_t idx = 0; idx < n * n; ++idx)
    {
        Bytes deficit = d.Data()[idx] - covered[idx];
        if (deficit > 0 && largest[idx] >= 0)
        {
            std::size_t k = static_cast<std::size_t>(largest[idx]);
            slot[k] += deficit;
            for (std::size_t i = 0; i < n; ++i)
            {
                covered[i * n + terms[k].perm[i]] += deficit;
            }
        }
    }
    std::vector<StuffedSlot> out;
    for (std::size_t k = 0; k < nt; ++k)
    {
        if (slot[k] > 0)
        {
            out.push_back({slot[k], std::move(terms[k].perm)});
        }
    }
    return out;
}

} // namespace

std::string
BvnDecomposer::Name() const
{
    return "bvn";
}

Schedule
BvnDecomposer::Run(const DemandMatrix& demand, const DecompositionParams& params)
{
    ValidateDecompositionInputs(demand, params);
    ScheduleBuilder b(demand, params, Name());
    if (demand.IsZero())
    {
        return b.Finish();
    }
    const std::size_t n = demand.Size();
    std::vector<StuffedSlot> slots;
    if (params.stuffing == StuffingMethod::SINKHORN)
    {
        SinkhornResult s = SinkhornStuff(demand, params.bvnTolerance);
        slots = CoveringSlots(demand, BirkhoffDecompose(s.matrix, n, params.bvnTolerance));
    }
    else
    {
        QuickStuffResult q = QuickStuff(demand);
        for (auto& t : BirkhoffDecompose(q.matrix, n))
        {
            slots.push_back({t.coefficient, std::move(t.perm)});
        }
    }
    // Largest slices first: with a budget K the K largest terms are kept.
    std::stable_sort(slots.begin(), slots.end(), [](const StuffedSlot& x, const StuffedSlot& y) {
        return x.bytes > y.bytes;
    });
    // Until the real demand is served (later terms would carry only dummy demand) or K.
    for (const StuffedSlot& s : slots)
    {
        if (b.RemainingBytes() == 0 || !b.AddPermutation(s.perm, s.bytes))
        {
            break;
        }
    }
    return b.Finish();
}

} // namespace pmoe
} // namespace ns3
