/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-workload-data.h"

#include "ns3/pmoe-units.h"
#include "ns3/random-variable-stream.h"

#include <functional>

namespace ns3
{

namespace
{

/**
 * The workload data of @p layers layers, the seed drawn from an ns-3 stream.
 * @param config the workload configuration (validated)
 * @param layers number of layers, >= 1
 * @param stream the ns-3 stream that draws the 64-bit seed
 * @param generate makes layer l of a workload
 * @return the data
 */
std::shared_ptr<const MoeWorkloadData>
GenerateLayers(
    const pmoe::MoeConfig& config,
    uint32_t layers,
    int64_t stream,
    const std::function<pmoe::LayerWorkload(const pmoe::MoeWorkload&, uint32_t)>& generate)
{
    if (layers == 0)
    {
        throw pmoe::InputError("MoeWorkloadData::Generate: layers must be >= 1");
    }
    Ptr<UniformRandomVariable> u = CreateObject<UniformRandomVariable>();
    u->SetStream(stream);
    const uint64_t seed = (static_cast<uint64_t>(u->GetInteger(0, 0xFFFFFFFFu)) << 32) |
                          static_cast<uint64_t>(u->GetInteger(0, 0xFFFFFFFFu));
    const pmoe::MoeWorkload workload(config, seed);
    auto data = std::make_shared<MoeWorkloadData>();
    data->numGpus = config.numGpus;
    for (uint32_t l = 0; l < layers; ++l)
    {
        data->layers.push_back(generate(workload, l));
    }
    for (uint32_t g = 0; g < config.numGpus; ++g)
    {
        data->localExperts.push_back(workload.LocalExperts(g));
    }
    data->dispatchBytesPerCopy =
        config.hiddenSize * config.bytesPerElementDispatch + config.dispatchExtraBytesPerCopy;
    data->combineBytesPerCopy = config.hiddenSize * config.bytesPerElementCombine;
    return data;
}

} // namespace

std::shared_ptr<const MoeWorkloadData>
MoeWorkloadData::Generate(const pmoe::MoeConfig& config, uint32_t layers, int64_t stream)
{
    return GenerateLayers(
        config,
        layers,
        stream,
        [](const pmoe::MoeWorkload& workload, uint32_t layer) { return workload.Generate(layer); });
}

std::shared_ptr<const MoeWorkloadData>
MoeWorkloadData::GenerateNodeLimited(const pmoe::MoeConfig& config,
                                     const pmoe::ClusterShape& shape,
                                     uint32_t maxServers,
                                     uint32_t layers,
                                     int64_t stream)
{
    pmoe::CheckNodeLimited(config, shape, maxServers);
    return GenerateLayers(config,
                          layers,
                          stream,
                          [&shape, maxServers](const pmoe::MoeWorkload& workload, uint32_t layer) {
                              return pmoe::NodeLimitedLayer(workload, shape, maxServers, layer);
                          });
}

void
MoeWorkloadData::Check(const std::string& who) const
{
    if (numGpus < 2 || localExperts.size() != numGpus || dispatchBytesPerCopy == 0 ||
        combineBytesPerCopy == 0)
    {
        throw pmoe::InputError(who + ": inconsistent workload data (" + std::to_string(numGpus) +
                               " GPUs, " + std::to_string(localExperts.size()) + " expert lists, " +
                               std::to_string(dispatchBytesPerCopy) + "/" +
                               std::to_string(combineBytesPerCopy) + " bytes per copy)");
    }
    for (const auto& w : layers)
    {
        if (w.dispatch.Size() != numGpus || w.combine.Size() != numGpus)
        {
            throw pmoe::InputError(who + ": layer " + std::to_string(w.layer) +
                                   " has matrices for " + std::to_string(w.dispatch.Size()) +
                                   " GPUs, not " + std::to_string(numGpus));
        }
    }
}

} // namespace ns3
