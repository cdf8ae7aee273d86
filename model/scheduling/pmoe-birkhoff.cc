/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-birkhoff.h"

#include "pmoe-bottleneck-matching.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace ns3
{
namespace pmoe
{

namespace
{

/**
 * Shared body of the two Birkhoff decompositions.
 * @param r remaining matrix (consumed)
 * @param n size
 * @param floor entries <= floor count as zero
 * @param stopMass stop when the remaining mass is <= this
 * @param maxTerms term cap
 * @return terms
 */
template <typename T>
std::vector<BirkhoffTerm<T>>
BirkhoffLoop(std::vector<T>& r, std::size_t n, T floor, T stopMass, std::size_t maxTerms)
{
    std::vector<BirkhoffTerm<T>> terms;
    T mass = T{};
    for (T& v : r)
    {
        if (!(v > floor))
        {
            v = T{};
        }
        mass += v;
    }
    BottleneckMatcher<T> matcher(n);
    while (mass > stopMass && terms.size() < maxTerms)
    {
        if (!matcher.Bottleneck(r, T{}))
        {
            break;
        }
        const std::vector<int32_t>& mate = matcher.MateRow();
        BirkhoffTerm<T> term;
        term.coefficient = matcher.MinEntry(r);
        term.perm.resize(n);
        for (std::size_t i = 0; i < n; ++i)
        {
            term.perm[i] = static_cast<uint32_t>(mate[i]);
            T& v = r[i * n + term.perm[i]];
            T before = v;
            v -= term.coefficient;
            if (!(v > floor))
            {
                v = T{};
            }
            mass -= before - v;
        }
        terms.push_back(std::move(term));
    }
    return terms;
}

} // namespace

std::vector<BirkhoffTerm<double>>
BirkhoffDecompose(const std::vector<double>& m, std::size_t n, double tolerance)
{
    if (m.size() != n * n)
    {
        throw InputError("BirkhoffDecompose: matrix has " + std::to_string(m.size()) +
                         " entries, expected " + std::to_string(n * n));
    }
    if (!(tolerance > 0.0 && tolerance < 1.0))
    {
        throw InputError("BirkhoffDecompose: tolerance must be in (0, 1), got " +
                         std::to_string(tolerance));
    }
    double mass = 0;
    double maxLine = 0;
    for (std::size_t i = 0; i < n; ++i)
    {
        double rs = 0;
        double cs = 0;
        for (std::size_t j = 0; j < n; ++j)
        {
            if (!(m[i * n + j] >= 0.0) || !std::isfinite(m[i * n + j]))
            {
                throw InputError("BirkhoffDecompose: entry (" + std::to_string(i) + ", " +
                                 std::to_string(j) + ") = " + std::to_string(m[i * n + j]) +
                                 " is negative or not finite");
            }
            rs += m[i * n + j];
            cs += m[j * n + i];
        }
        mass += rs;
        maxLine = std::max({maxLine, rs, cs});
    }
    std::vector<double> r = m;
    std::size_t maxTerms = n >= 2 ? n * n - 2 * n + 2 : 1;
    return BirkhoffLoop<double>(r, n, 1e-13 * maxLine, tolerance * mass, maxTerms);
}

std::vector<BirkhoffTerm<Bytes>>
BirkhoffDecompose(const std::vector<Bytes>& m, std::size_t n)
{
    if (m.size() != n * n)
    {
        throw InputError("BirkhoffDecompose: matrix has " + std::to_string(m.size()) +
                         " entries, expected " + std::to_string(n * n));
    }
    Bytes line = -1;
    for (std::size_t i = 0; i < n; ++i)
    {
        Bytes rs = 0;
        Bytes cs = 0;
        for (std::size_t j = 0; j < n; ++j)
        {
            if (m[i * n + j] < 0)
            {
                throw InputError("BirkhoffDecompose: negative entry at (" + std::to_string(i) +
                                 ", " + std::to_string(j) + ")");
            }
            rs += m[i * n + j];
            cs += m[j * n + i];
        }
        if (line < 0)
        {
            line = rs;
        }
        if (rs != line || cs != line)
        {
            throw InputError("BirkhoffDecompose: line sums differ (row/column " +
                             std::to_string(i) + " sums to " + std::to_string(rs) + "/" +
                             std::to_string(cs) + ", expected " + std::to_string(line) + ")");
        }
    }
    std::vector<Bytes> r = m;
    // Exact arithmetic: each term zeroes at least one entry, so the support bounds the count.
    return BirkhoffLoop<Bytes>(r, n, 0, 0, n * n + 1);
}

} // namespace pmoe
} // namespace ns3
