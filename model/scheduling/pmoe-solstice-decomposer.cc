/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-solstice-decomposer.h"

#include "pmoe-bottleneck-matching.h"
#include "pmoe-schedule-builder.h"
#include "pmoe-stuffing.h"

#include <algorithm>
#include <vector>

namespace ns3
{
namespace pmoe
{

namespace
{

// 128-bit accumulators.
__extension__ typedef __int128 Wide; // __extension__: no -Wpedantic warning

} // namespace

std::string
SolsticeDecomposer::Name() const
{
    return "solstice";
}

Schedule
SolsticeDecomposer::Run(const DemandMatrix& demand, const DecompositionParams& params)
{
    ValidateDecompositionInputs(demand, params);
    ScheduleBuilder b(demand, params, Name());
    if (demand.IsZero())
    {
        return b.Finish();
    }
    const std::size_t n = demand.Size();
    QuickStuffResult q = QuickStuff(demand);
    std::vector<Bytes>& m = q.matrix;
    Bytes maxEntry = *std::max_element(m.begin(), m.end());
    Bytes r = 1;
    while (r <= maxEntry / 2)
    {
        r *= 2;
    }
    Wide mass = static_cast<Wide>(q.lineSum) * static_cast<Wide>(n);
    BottleneckMatcher<Bytes> matcher(n);
    bool full = false;
    while (mass > 0 && b.RemainingBytes() > 0 && !full)
    {
        // Perfect matching among entries >= r; halve r until one exists (r = 1 always
        // succeeds: a matrix with equal line sums has one on its support).
        while (!matcher.Repair(m, r - 1))
        {
            if (r == 1)
            {
                throw InputError("solstice: no perfect matching on the stuffed support "
                                 "(internal error)");
            }
            r /= 2;
        }
        const std::vector<int32_t>& mate = matcher.MateRow();
        Bytes t = matcher.MinEntry(m);
        std::vector<uint32_t> perm(n);
        for (std::size_t i = 0; i < n; ++i)
        {
            perm[i] = static_cast<uint32_t>(mate[i]);
            m[i * n + perm[i]] -= t;
        }
        mass -= static_cast<Wide>(t) * static_cast<Wide>(n);
        full = !b.AddPermutation(perm, t);
    }
    return b.Finish();
}

} // namespace pmoe
} // namespace ns3
