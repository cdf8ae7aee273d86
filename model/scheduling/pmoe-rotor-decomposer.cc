/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-rotor-decomposer.h"

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

// 128-bit intermediates for configuration counts.
__extension__ typedef __int128 Wide; // __extension__: no -Wpedantic warning

/// Largest number of configurations rotor may produce (guards a tiny rotorSlotBytes).
const Wide kMaxRotorConfigurations = 1000000;

} // namespace

std::vector<std::vector<Circuit>>
RotorRounds(std::size_t n, CircuitModel model)
{
    std::vector<std::vector<Circuit>> rounds;
    if (model == CircuitModel::UNIDIRECTIONAL)
    {
        for (std::size_t k = 1; k < n; ++k)
        {
            std::vector<Circuit> r;
            for (std::size_t i = 0; i < n; ++i)
            {
                r.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>((i + k) % n)});
            }
            rounds.push_back(std::move(r));
        }
        return rounds;
    }
    // Round-robin tournament, circle method: m players (a phantom one if n is odd, whose
    // partner idles), player m-1 fixed, the others rotating.
    const std::size_t m = n + (n % 2);
    for (std::size_t r = 0; r + 1 < m; ++r)
    {
        std::vector<Circuit> round;
        auto pair = [&](std::size_t u, std::size_t v) {
            if (u < n && v < n)
            {
                round.push_back(
                    {static_cast<uint32_t>(std::min(u, v)), static_cast<uint32_t>(std::max(u, v))});
            }
        };
        pair(m - 1, r);
        for (std::size_t k = 1; k < m / 2; ++k)
        {
            pair((r + k) % (m - 1), (r + m - 1 - k) % (m - 1));
        }
        std::sort(round.begin(), round.end());
        rounds.push_back(std::move(round));
    }
    return rounds;
}

Schedule
RotorSchedule(std::size_t n, CircuitModel model, Ns slotNs)
{
    if (n < 2 || slotNs < 0)
    {
        throw InputError("RotorSchedule: needs at least 2 ports and a slot >= 0, got " +
                         std::to_string(n) + " ports and " + std::to_string(slotNs) + " ns");
    }
    Schedule s(n, model);
    for (auto& circuits : RotorRounds(n, model))
    {
        Configuration c;
        c.circuits = std::move(circuits);
        c.durationNs = slotNs;
        s.Append(std::move(c));
    }
    s.algorithm = "rotor";
    return s;
}

std::string
RotorDecomposer::Name() const
{
    return "rotor";
}

Schedule
RotorDecomposer::Run(const DemandMatrix& demand, const DecompositionParams& params)
{
    ValidateDecompositionInputs(demand, params);
    ScheduleBuilder b(demand, params, Name());
    if (demand.IsZero())
    {
        return b.Finish();
    }
    const std::vector<std::vector<Circuit>> rounds = RotorRounds(demand.Size(), params.model);
    const Bytes maxEntry = demand.MaxEntry();
    const Bytes slot = params.rotorSlotBytes > 0 ? params.rotorSlotBytes : maxEntry;
    Wide cycles = (static_cast<Wide>(maxEntry) + slot - 1) / slot;
    Wide needed = cycles * static_cast<Wide>(rounds.size());
    if (params.maxMatchings > 0 && params.residualPolicy != ResidualPolicy::APPEND)
    {
        needed = std::min(needed, static_cast<Wide>(params.maxMatchings));
    }
    if (needed > kMaxRotorConfigurations)
    {
        throw InputError("rotorSlotBytes " + std::to_string(params.rotorSlotBytes) +
                         " is too small for the largest entry " + std::to_string(maxEntry) +
                         ": rotor would need more than " +
                         std::to_string(static_cast<int64_t>(kMaxRotorConfigurations)) +
                         " configurations");
    }
    for (std::size_t idx = 0; b.RemainingBytes() > 0 && b.HasRoomForConfiguration(); ++idx)
    {
        b.AddConfiguration(rounds[idx % rounds.size()], slot);
    }
    return b.Finish();
}

} // namespace pmoe
} // namespace ns3
