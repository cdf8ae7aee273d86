/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-relay-residual.h"

#include <algorithm>
#include <utility>

namespace ns3
{
namespace pmoe
{

Bytes
RelayResidual(DemandMatrix& remaining, std::vector<CircuitLoad>& loads, Schedule& schedule)
{
    struct Pending
    {
        Bytes bytes;
        uint32_t src;
        uint32_t dst;
    };

    const std::size_t n = remaining.Size();
    std::vector<Pending> pending;
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            if (remaining.At(i, j) > 0)
            {
                pending.push_back(
                    {remaining.At(i, j), static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
            }
        }
    }
    std::sort(pending.begin(), pending.end(), [](const Pending& x, const Pending& y) {
        if (x.bytes != y.bytes)
        {
            return x.bytes > y.bytes;
        }
        return std::make_pair(x.src, x.dst) < std::make_pair(y.src, y.dst);
    });
    const std::size_t configs = loads.size();
    auto& cfgs = schedule.MutableConfigurations();
    Bytes relayed = 0;
    for (const Pending& p : pending)
    {
        Bytes res = p.bytes;
        for (std::size_t a = 0; a < configs && res > 0; ++a)
        {
            CircuitLoad& first = loads[a];
            int32_t via = first.peer[p.src];
            if (via < 0 || static_cast<uint32_t>(via) == p.dst)
            {
                continue;
            }
            const std::size_t k = static_cast<std::size_t>(via);
            for (std::size_t b = a + 1; b < configs && res > 0; ++b)
            {
                CircuitLoad& second = loads[b];
                Bytes spare1 = first.capacity - first.used[p.src];
                if (spare1 <= 0)
                {
                    break;
                }
                if (second.peer[k] != static_cast<int32_t>(p.dst))
                {
                    continue;
                }
                Bytes spare2 = second.capacity - second.used[k];
                Bytes amount = std::min({res, spare1, spare2});
                if (amount <= 0)
                {
                    continue;
                }
                first.used[p.src] += amount;
                second.used[k] += amount;
                cfgs[a].plannedBytes += amount;
                cfgs[b].plannedBytes += amount;
                res -= amount;
                schedule.relays.push_back({p.src,
                                           static_cast<uint32_t>(k),
                                           p.dst,
                                           amount,
                                           static_cast<uint32_t>(a),
                                           static_cast<uint32_t>(b)});
            }
        }
        remaining.Set(p.src, p.dst, res);
        relayed += p.bytes - res;
    }
    return relayed;
}

} // namespace pmoe
} // namespace ns3
