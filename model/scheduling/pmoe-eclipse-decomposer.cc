/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-eclipse-decomposer.h"

#include "pmoe-schedule-builder.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace ns3
{
namespace pmoe
{

namespace
{

/// Eclipse evaluates at most this many candidate durations per step (quantiles).
const std::size_t kEclipseCandidates = 32;

} // namespace

std::string
EclipseDecomposer::Name() const
{
    return "eclipse";
}

Schedule
EclipseDecomposer::Run(const DemandMatrix& demand, const DecompositionParams& params)
{
    ValidateDecompositionInputs(demand, params);
    ScheduleBuilder b(demand, params, Name());
    const std::size_t n = demand.Size();
    const bool duplex = params.model == CircuitModel::DUPLEX;
    std::vector<Bytes> values;
    std::vector<Bytes> candidates;
    while (b.RemainingBytes() > 0 && b.HasRoomForConfiguration())
    {
        const DemandMatrix& rem = b.Remaining();
        values.clear();
        for (Bytes v : rem.Data())
        {
            if (v > 0)
            {
                values.push_back(v);
            }
        }
        std::sort(values.begin(), values.end());
        values.erase(std::unique(values.begin(), values.end()), values.end());
        candidates.clear();
        if (values.size() <= kEclipseCandidates)
        {
            candidates = values;
        }
        else
        {
            for (std::size_t q = 1; q <= kEclipseCandidates; ++q)
            {
                candidates.push_back(values[q * values.size() / kEclipseCandidates - 1]);
            }
        }
        std::vector<Circuit> best;
        Bytes bestT = 0;
        Bytes bestServed = 0;
        Ns bestTime = 0;
        for (Bytes t : candidates)
        {
            DemandMatrix clipped(n);
            for (std::size_t i = 0; i < n; ++i)
            {
                for (std::size_t j = 0; j < n; ++j)
                {
                    if (i != j && rem.At(i, j) > 0)
                    {
                        clipped.Set(i, j, std::min(rem.At(i, j), t));
                    }
                }
            }
            std::vector<Circuit> circuits =
                b.Matcher().Solve(clipped, params.model, params.matching);
            Bytes served = 0;
            for (const Circuit& c : circuits)
            {
                served += clipped.At(c.src, c.dst);
                if (duplex)
                {
                    served += clipped.At(c.dst, c.src);
                }
            }
            Ns time = TransmissionTimeNs(t, params.linkRateBps);
            if (served > 0 &&
                (best.empty() ||
                 ServesAtLeastAsFast(served, time, bestServed, bestTime, params.reconfigDelayNs)))
            {
                best = std::move(circuits);
                bestT = t;
                bestServed = served;
                bestTime = time;
            }
        }
        if (best.empty())
        {
            break;
        }
        b.AddConfiguration(std::move(best), bestT);
    }
    return b.Finish();
}

} // namespace pmoe
} // namespace ns3
