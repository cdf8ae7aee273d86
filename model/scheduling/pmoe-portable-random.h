/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_PORTABLE_RANDOM_H
#define PMOE_PORTABLE_RANDOM_H

/**
 * @file
 * @ingroup photonic-moe
 * Randomness that gives the same numbers with every compiler and standard library: the raw
 * 64-bit outputs of std::mt19937_64 (specified bit for bit by the standard) with the module's
 * own transforms, never std::*_distribution (implementation-defined). Used by the MoE
 * workload generator (pmoe-moe-workload.h).
 */

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * SplitMix64 finaliser: a bijective 64-bit mix.
 * @param x a value
 * @return the mixed value
 */
uint64_t Mix64(uint64_t x);

/**
 * @ingroup photonic-moe
 * An independent seed for (purpose, index) under a user's seed.
 * @param seed the user's seed
 * @param purpose what the stream is for (a small constant per use)
 * @param index e.g. the layer
 * @return the derived seed
 */
uint64_t DeriveSeed(uint64_t seed, uint64_t purpose, uint64_t index);

/**
 * @ingroup photonic-moe
 * A std::mt19937_64 with portable uniform transforms.
 */
class PortableRng
{
  public:
    /** @param seed the seed of the Mersenne Twister */
    explicit PortableRng(uint64_t seed)
        : m_gen(seed)
    {
    }

    /**
     * @param n the number of values, >= 1
     * @return a uniform integer in [0, n) (rejection sampling: exactly unbiased)
     */
    uint64_t UniformInt(uint64_t n)
    {
        const uint64_t threshold = (0 - n) % n; // 2^64 mod n
        while (true)
        {
            uint64_t x = m_gen();
            if (x >= threshold)
            {
                return x % n;
            }
        }
    }

    /** @return a uniform double in [0, 1) with 53 random bits */
    double UniformReal()
    {
        return static_cast<double>(m_gen() >> 11) * 0x1.0p-53;
    }

  private:
    std::mt19937_64 m_gen; //!< the generator
};

/**
 * @ingroup photonic-moe
 * Natural logarithm from + - * / and exact frexp only (no libm).
 * @param x a finite value > 0
 * @return ln x
 */
double PortableLog(double x);

/**
 * @ingroup photonic-moe
 * Exponential from + - * / and exact floor/ldexp only (no libm).
 * @param y a value <= 0
 * @return e^y (0 below -745)
 */
double PortableExp(double y);

/**
 * @ingroup photonic-moe
 * Zipf weight of a rank, quantised: max(1, floor(2^40 r^-s)).
 * @param rank r >= 1 (1 = hottest)
 * @param s the exponent, >= 0
 * @return the weight
 */
uint64_t ZipfWeight(uint64_t rank, double s);

/**
 * @ingroup photonic-moe
 * Fenwick tree over integer weights: sampling without replacement with exact arithmetic.
 */
class FenwickTree
{
  public:
    /** @param weights the initial weight of each index */
    explicit FenwickTree(const std::vector<uint64_t>& weights)
        : m_n(weights.size()),
          m_tree(weights.size() + 1, 0)
    {
        for (std::size_t i = 1; i <= m_n; ++i)
        {
            m_tree[i] += weights[i - 1];
            std::size_t j = i + (i & (~i + 1));
            if (j <= m_n)
            {
                m_tree[j] += m_tree[i];
            }
        }
        while (m_top * 2 <= m_n)
        {
            m_top *= 2;
        }
    }

    /**
     * @param index an index
     * @param delta weight added to it
     */
    void Add(std::size_t index, uint64_t delta)
    {
        for (std::size_t i = index + 1; i <= m_n; i += i & (~i + 1))
        {
            m_tree[i] += delta;
        }
    }

    /**
     * @param index an index
     * @param delta weight taken from it (at most its weight)
     */
    void Sub(std::size_t index, uint64_t delta)
    {
        for (std::size_t i = index + 1; i <= m_n; i += i & (~i + 1))
        {
            m_tree[i] -= delta;
        }
    }

    /**
     * @param x a value below the total weight
     * @return the index whose cumulative interval contains @p x
     */
    std::size_t Find(uint64_t x) const
    {
        std::size_t pos = 0;
        for (std::size_t step = m_top; step > 0; step /= 2)
        {
            if (pos + step <= m_n && m_tree[pos + step] <= x)
            {
                pos += step;
                x -= m_tree[pos];
            }
        }
        return pos;
    }

  private:
    std::size_t m_n;              //!< number of indices
    std::size_t m_top{1};         //!< largest power of two <= m_n
    std::vector<uint64_t> m_tree; //!< the tree, 1-based
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_PORTABLE_RANDOM_H */
