/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_LAYER_BOUND_H
#define PMOE_LAYER_BOUND_H

/**
 * @file
 * @ingroup photonic-moe
 * A lower bound on the time of one MoE layer (first dispatch byte sent -> last combine byte
 * received) that holds for every schedule, fabric of the given host capacity and batch
 * (overlap) policy. Plain C++17, no ns-3 types. The proof is in doc/scheduling.rst, "Layer-time
 * lower bound".
 */

#include "pmoe-compute-model.h"
#include "pmoe-moe-workload.h"
#include "pmoe-units.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * What the bound assumes about the hosts.
 */
struct LayerBoundParams
{
    /// Sum of the rates of one host's links to the fabric, in each direction (the ideal
    /// fabric: the host rate r; the OCS fabric: r plus the electrical packet switch port)
    Bps hostRateBps{400000000000};
    LaunchMode launchMode{LaunchMode::GROUPED}; //!< how a GPU launches its batches
    uint32_t streams{1};                        //!< batches a GPU runs at once, >= 1
};

/**
 * @ingroup photonic-moe
 * The lower bound and its three parts (each a lower bound on its own). R is the host
 * capacity, d and c the smallest dispatch and combine bytes of one token copy into / out of
 * the GPU, S the streams.
 */
struct LayerBound
{
    Ns lowerBoundNs{0}; //!< max of the parts below
    /// max over hosts of max(dispatch + combine bytes in, dispatch + combine bytes out) / R
    Ns portBoundNs{0};
    /// max over GPUs of (d + c) / R + ideal compute of the tokens of its experts that come from
    /// other GPUs / S (a GPU's local tokens may be computed before the first byte is sent)
    Ns computeBoundNs{0};
    /// max over GPUs of (dispatch bytes in + c) / R + the shortest batch (one token)
    Ns lastCopyBoundNs{0};
    uint32_t portGpu{0};     //!< the GPU that sets portBoundNs
    uint32_t computeGpu{0};  //!< the GPU that sets computeBoundNs
    uint32_t lastCopyGpu{0}; //!< the GPU that sets lastCopyBoundNs
};

/**
 * Lower bound on the layer time of @p layer: no schedule, fabric whose hosts have at most
 * params.hostRateBps per direction, or batch policy finishes the layer sooner. Token copies
 * are the units of arrival and compute (a copy is computable once all its bytes arrived),
 * every copy's combine bytes are non-zero, and batch times follow @p model
 * (ComputeModel::BatchSetTimeNs, which is subadditive: splitting never saves time).
 * @param layer the layer's routing and traffic
 * @param localExperts the experts of every GPU (MoeWorkload::LocalExperts)
 * @param model the GPUs' compute model
 * @param params host capacity, launch mode and streams
 * @return the bound and its parts
 * @throws InputError on inconsistent sizes, a non-positive rate or zero streams
 */
LayerBound LayerTimeLowerBound(const LayerWorkload& layer,
                               const std::vector<std::vector<uint32_t>>& localExperts,
                               const ComputeModel& model,
                               const LayerBoundParams& params);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_LAYER_BOUND_H */
