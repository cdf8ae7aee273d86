/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-decomposer.h"

namespace ns3
{
namespace pmoe
{

namespace
{

// 128-bit intermediates for byte x time products and overflow checks.
__extension__ typedef __int128 Wide; // __extension__: no -Wpedantic warning

const Wide kMaxTotalBytes = Wide{1} << 62; //!< largest total demand accepted
const Wide kMaxTimeNs = Wide{1} << 61;     //!< largest circuit time accepted

/**
 * @param value an enum value
 * @throws InputError "unknown <noun> value N" if @p value has no name
 */
template <typename E>
void
RequireNamedValue(E value)
{
    if (!IsNamedValue(value))
    {
        throw InputError(std::string("unknown ") + EnumTable<E>::kNoun + " value " +
                         std::to_string(static_cast<int>(value)));
    }
}

} // namespace

void
ValidateDecompositionInputs(const DemandMatrix& d, const DecompositionParams& p)
{
    if (d.Size() < 2)
    {
        throw InputError("a decomposition needs at least 2 ports, got a demand matrix with N = " +
                         std::to_string(d.Size()));
    }
    if (p.linkRateBps <= 0)
    {
        throw InputError("linkRateBps must be positive, got " + std::to_string(p.linkRateBps));
    }
    if (p.reconfigDelayNs < 0)
    {
        throw InputError("reconfigDelayNs must be >= 0, got " + std::to_string(p.reconfigDelayNs));
    }
    if (!(p.bvnTolerance > 0.0 && p.bvnTolerance < 1.0))
    {
        throw InputError("bvnTolerance must be in (0, 1), got " + std::to_string(p.bvnTolerance));
    }
    if (p.rotorSlotBytes < 0)
    {
        throw InputError("rotorSlotBytes must be >= 0, got " + std::to_string(p.rotorSlotBytes));
    }
    if (p.epsRateBps < 0)
    {
        throw InputError("epsRateBps must be >= 0, got " + std::to_string(p.epsRateBps));
    }
    RequireNamedValue(p.model);
    RequireNamedValue(p.reconfigMode);
    RequireNamedValue(p.durationPolicy);
    RequireNamedValue(p.residualPolicy);
    RequireNamedValue(p.matching);
    RequireNamedValue(p.stuffing);
    Wide total = 0;
    for (Bytes b : d.Data())
    {
        total += b;
    }
    if (total > kMaxTotalBytes)
    {
        throw InputError("total demand is too large for the scheduling core (more than 2^62 "
                         "bytes)");
    }
    if (total * 8000000000 / p.linkRateBps > kMaxTimeNs)
    {
        throw InputError("total demand of " + std::to_string(static_cast<Bytes>(total)) +
                         " bytes at linkRateBps " + std::to_string(p.linkRateBps) +
                         " exceeds the representable time range");
    }
}

} // namespace pmoe
} // namespace ns3
