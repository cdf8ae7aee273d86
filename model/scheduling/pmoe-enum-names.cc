/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-enum-names.h"

#include "pmoe-text-reader.h"

namespace ns3
{
namespace pmoe
{

namespace
{

/** Longest part of an unknown name quoted in a message. */
constexpr std::size_t kMaxQuotedName = 64;

/** @param c a byte @return its lower-case form (ASCII letters only) */
char
LowerAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

std::string
JoinAlternatives(const std::vector<std::string>& names)
{
    std::string out;
    for (std::size_t k = 0; k < names.size(); ++k)
    {
        if (k > 0)
        {
            out += k + 1 == names.size() ? " or " : ", ";
        }
        out += names[k];
    }
    return out;
}

std::string
JoinNames(const std::vector<std::string>& names, const std::string& separator)
{
    std::string out;
    for (std::size_t k = 0; k < names.size(); ++k)
    {
        out += (k > 0 ? separator : "") + names[k];
    }
    return out;
}

std::string
PrintableName(const std::string& name)
{
    return EscapeForMessage(name, kMaxQuotedName, QuoteStyle::BARE);
}

InputError
UnknownNameError(const std::string& noun,
                 const std::string& name,
                 const std::vector<std::string>& expected)
{
    return InputError("unknown " + noun + " '" + PrintableName(name) + "' (expected " +
                      JoinAlternatives(expected) + ")");
}

bool
NameMatches(const std::string& text, const char* name, bool ignoreCase)
{
    std::size_t k = 0;
    for (; k < text.size() && name[k] != '\0'; ++k)
    {
        char c = ignoreCase ? LowerAscii(text[k]) : text[k];
        if (c != name[k])
        {
            return false;
        }
    }
    return k == text.size() && name[k] == '\0';
}

} // namespace pmoe
} // namespace ns3
