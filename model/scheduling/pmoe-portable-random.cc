/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-portable-random.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace pmoe
{

namespace
{

/** ln 2, to more digits than a double holds. */
constexpr double kLn2 = 0.6931471805599453094172321;

} // namespace

uint64_t
Mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

uint64_t
DeriveSeed(uint64_t seed, uint64_t purpose, uint64_t index)
{
    return Mix64(Mix64(seed ^ Mix64(purpose)) + index);
}

double
PortableLog(double x)
{
    int e = 0;
    double m = std::frexp(x, &e); // x = m * 2^e, m in [0.5, 1)
    if (m < 0.70710678118654752440)
    {
        m *= 2.0;
        --e;
    }
    // ln m = 2 atanh(z), z = (m - 1) / (m + 1), |z| <= 0.172
    double z = (m - 1.0) / (m + 1.0);
    double z2 = z * z;
    double term = z;
    double sum = 0.0;
    for (int k = 1; k <= 41; k += 2)
    {
        sum += term / k;
        term *= z2;
    }
    return e * kLn2 + 2.0 * sum;
}

double
PortableExp(double y)
{
    if (y < -745.0)
    {
        return 0.0;
    }
    double k = std::floor(y / kLn2 + 0.5);
    double r = y - k * kLn2; // |r| <= ~0.35
    double term = 1.0;
    double sum = 1.0;
    for (int n = 1; n <= 24; ++n)
    {
        term *= r / n;
        sum += term;
    }
    return std::ldexp(sum, static_cast<int>(k));
}

uint64_t
ZipfWeight(uint64_t rank, double s)
{
    constexpr double kScale = 1099511627776.0; // 2^40
    if (s == 0.0 || rank == 1)
    {
        return static_cast<uint64_t>(kScale);
    }
    double w = kScale * PortableExp(-s * PortableLog(static_cast<double>(rank)));
    uint64_t q = static_cast<uint64_t>(std::floor(w));
    return std::max<uint64_t>(q, 1);
}

} // namespace pmoe
} // namespace ns3
