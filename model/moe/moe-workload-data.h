/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MOE_WORKLOAD_DATA_H
#define MOE_WORKLOAD_DATA_H

#include "ns3/pmoe-cluster.h"
#include "ns3/pmoe-moe-workload.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * The generated workload of a run, shared read-only by the GPU applications, the circuit
 * scheduler and the statistics collector: every layer's routing and traffic, the expert
 * placement and the size of a token copy on the wire.
 */
struct MoeWorkloadData
{
    uint32_t numGpus{0};                             //!< N
    std::vector<pmoe::LayerWorkload> layers;         //!< one per layer, in order
    std::vector<std::vector<uint32_t>> localExperts; //!< experts of each GPU
    uint64_t dispatchBytesPerCopy{0};                //!< bytes of one dispatched token copy
    uint64_t combineBytesPerCopy{0};                 //!< bytes of one combined token copy

    /**
     * Generate @p layers layers of @p config. The routing seed comes from an ns-3 random
     * stream (so that RngRun changes the routing and AssignStreams fixes it).
     * @param config the workload configuration (validated)
     * @param layers number of layers, >= 1
     * @param stream the ns-3 stream that draws the 64-bit seed
     * @return the data
     * @throws pmoe::InputError on an invalid configuration
     */
    static std::shared_ptr<const MoeWorkloadData> Generate(const pmoe::MoeConfig& config,
                                                           uint32_t layers,
                                                           int64_t stream);

    /**
     * Generate @p layers layers of @p config under node-limited routing
     * (pmoe::NodeLimitedLayer(): every token's experts on at most @p maxServers servers of
     * @p shape); config.routing is not used. The seed is drawn as Generate() draws it.
     * @param config the workload configuration (validated)
     * @param shape the cluster shape
     * @param maxServers M >= 1
     * @param layers number of layers, >= 1
     * @param stream the ns-3 stream that draws the 64-bit seed
     * @return the data
     * @throws pmoe::InputError on an invalid configuration, shape or M
     */
    static std::shared_ptr<const MoeWorkloadData> GenerateNodeLimited(
        const pmoe::MoeConfig& config,
        const pmoe::ClusterShape& shape,
        uint32_t maxServers,
        uint32_t layers,
        int64_t stream);

    /**
     * Check that the data is consistent (matrix sizes, placement, bytes per copy).
     * @param who the caller, for the message
     * @throws pmoe::InputError otherwise
     */
    void Check(const std::string& who) const;
};

} // namespace ns3

#endif /* MOE_WORKLOAD_DATA_H */
