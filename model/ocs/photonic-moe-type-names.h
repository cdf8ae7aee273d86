/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PHOTONIC_MOE_TYPE_NAMES_H
#define PHOTONIC_MOE_TYPE_NAMES_H

/**
 * @file
 * @ingroup photonic-moe
 * Short names of the module's built-in policy types (as the examples' command lines take
 * them) and their TypeId names, from one table per kind of policy.
 */

#include "ns3/pmoe-enum-names.h"

#include <cstddef>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * A built-in type's short name and its TypeId name.
 */
struct PmoeShortTypeName
{
    const char* name;     //!< short name, e.g. "no-future-circuit"
    const char* typeName; //!< TypeId name, e.g. "ns3::OcsNoFutureCircuitEpsPolicy"
};

/**
 * @ingroup photonic-moe
 * @param table the built-in types of one kind
 * @param name a short name
 * @param noun what they are, for the message (e.g. "EPS policy")
 * @return the TypeId name of @p name
 * @throws pmoe::InputError "unknown <noun> '<name>' (expected a, b or c)"
 */
template <std::size_t N>
std::string
PmoeTypeNameOf(const PmoeShortTypeName (&table)[N], const std::string& name, const char* noun)
{
    std::vector<std::string> names;
    for (const PmoeShortTypeName& entry : table)
    {
        if (name == entry.name)
        {
            return entry.typeName;
        }
        names.emplace_back(entry.name);
    }
    throw pmoe::UnknownNameError(noun, name, names);
}

} // namespace ns3

#endif /* PHOTONIC_MOE_TYPE_NAMES_H */
