/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_ENUM_NAMES_H
#define PMOE_ENUM_NAMES_H

/**
 * @file
 * @ingroup photonic-moe
 * Names of the core's enums, from one table per enum: ToString(value), FromString<E>(name),
 * EnumNameList<E>() and the error "unknown <noun> '<name>' (expected a, b or c)".
 *
 * An enum gets names by a specialisation of EnumTable next to its declaration:
 * @code
 * template <>
 * struct EnumTable<CircuitModel>
 * {
 *     static constexpr const char* kNoun = "circuit model"; // for messages
 *     static constexpr bool kIgnoreCase = false;            // FromString() matches exactly
 *     static constexpr EnumName<CircuitModel> kNames[] = {
 *         {CircuitModel::UNIDIRECTIONAL, "unidirectional"},
 *         {CircuitModel::DUPLEX, "duplex"},
 *     };
 * };
 * @endcode
 * The order of kNames is the order of EnumNameList() and of the error message.
 */

#include "pmoe-units.h"

#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * One entry of an EnumTable: a value and its name.
 */
template <typename E>
struct EnumName
{
    E value;          //!< the enumerator
    const char* name; //!< its name (command line, attributes, JSON)
};

/**
 * @ingroup photonic-moe
 * The names of enum @p E. Empty for an enum without names; specialise it (see
 * pmoe-enum-names.h) with kNoun, kIgnoreCase and kNames.
 */
template <typename E>
struct EnumTable
{
};

/**
 * @ingroup photonic-moe
 * @param names names in order
 * @return "a", "a or b", "a, b or c", ... ("" for no names)
 */
std::string JoinAlternatives(const std::vector<std::string>& names);

/**
 * @ingroup photonic-moe
 * @param names names in order
 * @param separator what goes between two names
 * @return the names joined, e.g. "a|b|c"
 */
std::string JoinNames(const std::vector<std::string>& names, const std::string& separator);

/**
 * @ingroup photonic-moe
 * A name read from a user, made safe for a one-line message: printable ASCII kept, other
 * bytes written as \\xNN, at most 64 bytes shown (then "...").
 * @param name the name
 * @return the printable form
 */
std::string PrintableName(const std::string& name);

/**
 * @ingroup photonic-moe
 * @param noun what the name names, e.g. "circuit model"
 * @param name the unknown name
 * @param expected the known names
 * @return InputError("unknown <noun> '<name>' (expected a, b or c)")
 */
InputError UnknownNameError(const std::string& noun,
                            const std::string& name,
                            const std::vector<std::string>& expected);

/**
 * @ingroup photonic-moe
 * @param text a name read from a user
 * @param name a known name
 * @param ignoreCase compare ASCII letters without case
 * @return true if @p text is @p name
 */
bool NameMatches(const std::string& text, const char* name, bool ignoreCase);

/**
 * @ingroup photonic-moe
 * @tparam E an enum with an EnumTable
 * @return every name of @p E, in table order
 */
template <typename E, typename Table = EnumTable<E>, typename = decltype(Table::kNames)>
std::vector<std::string>
EnumNameList()
{
    std::vector<std::string> names;
    for (const EnumName<E>& entry : Table::kNames)
    {
        names.emplace_back(entry.name);
    }
    return names;
}

/**
 * @ingroup photonic-moe
 * @tparam E an enum with an EnumTable
 * @param value a value
 * @return true if @p value has a name (a valid enumerator)
 */
template <typename E, typename Table = EnumTable<E>, typename = decltype(Table::kNames)>
bool
IsNamedValue(E value)
{
    for (const EnumName<E>& entry : Table::kNames)
    {
        if (entry.value == value)
        {
            return true;
        }
    }
    return false;
}

/**
 * @ingroup photonic-moe
 * @tparam E an enum with an EnumTable
 * @param value a value
 * @return its name, or "unknown" for a value without one
 */
template <typename E, typename Table = EnumTable<E>, typename = decltype(Table::kNames)>
std::string
ToString(E value)
{
    for (const EnumName<E>& entry : Table::kNames)
    {
        if (entry.value == value)
        {
            return entry.name;
        }
    }
    return "unknown";
}

/**
 * @ingroup photonic-moe
 * @tparam E an enum with an EnumTable
 * @param text a name (ASCII case ignored if the table says so)
 * @return the value named @p text
 * @throws InputError "unknown <noun> '<text>' (expected a, b or c)"
 */
template <typename E, typename Table = EnumTable<E>, typename = decltype(Table::kNames)>
E
FromString(const std::string& text)
{
    for (const EnumName<E>& entry : Table::kNames)
    {
        if (NameMatches(text, entry.name, Table::kIgnoreCase))
        {
            return entry.value;
        }
    }
    throw UnknownNameError(Table::kNoun, text, EnumNameList<E>());
}

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_ENUM_NAMES_H */
