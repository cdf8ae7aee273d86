/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_TEST_UTIL_H
#define PMOE_TEST_UTIL_H

#include "ns3/pmoe-units.h"

#include <string>

namespace ns3
{
namespace pmoe
{
namespace tests
{

/**
 * @param f an action
 * @return the message of the InputError f threw, or "" if it threw none
 */
template <typename F>
std::string
ErrorOf(F f)
{
    try
    {
        f();
    }
    catch (const InputError& e)
    {
        return e.what();
    }
    return "";
}

} // namespace tests
} // namespace pmoe
} // namespace ns3

#endif // PMOE_TEST_UTIL_H
