/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_MOE_WORKLOAD_H
#define PMOE_MOE_WORKLOAD_H

/**
 * @file
 * @ingroup photonic-moe
 * MoE routing workload: which tokens go to which experts, and the dispatch and combine byte
 * demands that follow. Plain C++17 (no ns-3 types); the ns-3 wrapper seeds it from an ns-3
 * random stream through MoeWorkload::SetSeed().
 *
 * The configuration (MoeConfig, presets, placement and routing kinds) is in
 * pmoe-moe-config.h, trace and placement files in pmoe-workload-io.h; both are included here.
 * Randomness is portable (pmoe-portable-random.h): the same seed gives the same matrices with
 * every compiler and standard library.
 */

#include "pmoe-demand-matrix.h"
#include "pmoe-moe-config.h"
#include "pmoe-units.h"
#include "pmoe-workload-io.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * One MoE layer's routing and the traffic it causes.
 */
struct LayerWorkload
{
    uint32_t layer{0}; //!< layer index
    /** N x E: token copies that source GPU i sends to expert e (one per token and expert). */
    TokenMatrix tokens;
    /**
     * N x N: token vectors sent from GPU i to GPU g (after de-duplication when enabled;
     * otherwise the sum of tokens over g's experts). The diagonal is local.
     */
    TokenMatrix copies;
    /** Dispatch bytes: copies x (h x bytesPerElementDispatch + extra). Local on the diagonal. */
    DemandMatrix dispatch;
    /** Combine bytes: copies transposed x h x bytesPerElementCombine. */
    DemandMatrix combine;
    /** Per expert: tokens it receives (column sums of tokens). */
    std::vector<uint64_t> expertTokens;
    /** Per GPU: tokens received by each of its local experts, in expert-index order. */
    std::vector<std::vector<uint64_t>> gpuExpertTokens;
};

/**
 * @ingroup photonic-moe
 * Generates the routing of MoE layers. Generate(layer) depends only on the configuration,
 * the seed and the layer index (not on which layers were generated before).
 */
class MoeWorkload
{
  public:
    /**
     * @param config the configuration (validated here)
     * @param seed the random seed
     * @throws InputError if the configuration is invalid
     */
    explicit MoeWorkload(const MoeConfig& config, uint64_t seed = 1);

    /** @param seed the new random seed (the ns-3 wrapper draws it from an ns-3 stream) */
    void SetSeed(uint64_t seed)
    {
        m_seed = seed;
    }

    /** @return the seed */
    uint64_t GetSeed() const
    {
        return m_seed;
    }

    /** @return the configuration */
    const MoeConfig& GetConfig() const
    {
        return m_config;
    }

    /** @return the GPU of every expert */
    const std::vector<uint32_t>& ExpertToGpu() const
    {
        return m_expertGpu;
    }

    /** @param gpu a GPU @return its experts, in increasing index order */
    const std::vector<uint32_t>& LocalExperts(uint32_t gpu) const;

    /**
     * The experts ranked by popularity for a layer (ZIPF: rank 0 is the hottest; HOT_EXPERT:
     * the first H are the hot set). Constant within a re-draw period.
     * @param layer layer index
     * @return a permutation of 0..E-1
     */
    std::vector<uint32_t> ExpertRanking(uint32_t layer) const;

    /**
     * Generate one layer. A trace is replayed cyclically (layer mod number of trace layers).
     * @param layer layer index
     * @return the layer's routing and traffic
     * @throws InputError if a byte total would exceed kMaxDemandBytes
     */
    LayerWorkload Generate(uint32_t layer) const;

    /**
     * A layer from a routing drawn elsewhere (e.g. NodeLimitedLayer() in pmoe-cluster.h):
     * the dispatch and combine bytes of @p copies and the expert loads of @p tokens, as
     * Generate() derives them from its own routing.
     * @param layer layer index
     * @param tokens N x E token copies per expert (LayerWorkload::tokens)
     * @param copies N x N token copies per GPU pair (LayerWorkload::copies)
     * @return the layer
     * @throws InputError on a size mismatch or if a byte total would exceed kMaxDemandBytes
     */
    LayerWorkload LayerFromRouting(uint32_t layer, TokenMatrix tokens, TokenMatrix copies) const;

  private:
    /**
     * Route every token of a layer.
     * @param layer layer index
     * @param copies set to the N x N token copies (see LayerWorkload::copies)
     * @return the N x E token copies per expert
     */
    TokenMatrix RouteTokens(uint32_t layer, TokenMatrix& copies) const;

    MoeConfig m_config;                                //!< the configuration
    uint64_t m_seed;                                   //!< the random seed
    std::vector<uint32_t> m_expertGpu;                 //!< GPU of every expert
    std::vector<std::vector<uint32_t>> m_localExperts; //!< experts of every GPU
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_MOE_WORKLOAD_H */
