/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-layer-bound.h"

#include <algorithm>
#include <limits>
#include <string>

namespace ns3
{
namespace pmoe
{

LayerBound
LayerTimeLowerBound(const LayerWorkload& layer,
                    const std::vector<std::vector<uint32_t>>& localExperts,
                    const ComputeModel& model,
                    const LayerBoundParams& params)
{
    const std::size_t n = layer.dispatch.Size();
    if (params.hostRateBps <= 0)
    {
        throw InputError("layer bound: host rate must be positive, got " +
                         std::to_string(params.hostRateBps) + " bit/s");
    }
    if (params.streams == 0)
    {
        throw InputError("layer bound: streams must be >= 1, got 0");
    }
    if (layer.combine.Size() != n || layer.copies.Rows() != n || layer.copies.Cols() != n ||
        layer.tokens.Rows() != n || localExperts.size() != n)
    {
        throw InputError("layer bound: the workload's matrices and placement disagree on the "
                         "number of GPUs (" +
                         std::to_string(n) + ")");
    }
    const Bps rate = params.hostRateBps;
    // The shortest batch that can hold a token: one token of one expert.
    const Ns shortestBatch = model.BatchSetTimeNs({1}, params.launchMode);
    LayerBound out;
    for (std::size_t g = 0; g < n; ++g)
    {
        // Port: every dispatch and combine byte into or out of g crosses g's links between the
        // first byte sent and the last combine byte received.
        const Bytes in = layer.dispatch.ColSum(g) + layer.combine.ColSum(g);
        const Bytes outBytes = layer.dispatch.RowSum(g) + layer.combine.RowSum(g);
        const Ns port = TransmissionTimeNs(std::max(in, outBytes), rate);
        if (port > out.portBoundNs)
        {
            out.portBoundNs = port;
            out.portGpu = static_cast<uint32_t>(g);
        }
        // Smallest copy into g (d) and its combine back (c), over the sources that send any.
        Bytes d = std::numeric_limits<Bytes>::max();
        Bytes c = std::numeric_limits<Bytes>::max();
        for (std::size_t s = 0; s < n; ++s)
        {
            const uint64_t copies = layer.copies.At(s, g);
            if (s == g || copies == 0)
            {
                continue;
            }
            d = std::min(d, layer.dispatch.At(s, g) / static_cast<Bytes>(copies));
            c = std::min(c, layer.combine.At(g, s) / static_cast<Bytes>(copies));
        }
        if (d == std::numeric_limits<Bytes>::max())
        {
            continue; // no remote copies: only the port bound applies to g
        }
        // Compute: the batches holding remote copies start after the first copy arrived, run
        // at most S at a time, take together at least the ideal time of the remote tokens, and
        // the last of them still has to send its combine bytes.
        std::vector<uint64_t> remote(localExperts[g].size(), 0);
        for (std::size_t q = 0; q < localExperts[g].size(); ++q)
        {
            const uint32_t e = localExperts[g][q];
            if (e >= layer.tokens.Cols())
            {
                throw InputError("layer bound: expert " + std::to_string(e) + " of GPU " +
                                 std::to_string(g) + " is out of range");
            }
            for (std::size_t s = 0; s < n; ++s)
            {
                if (s != g)
                {
                    remote[q] += layer.tokens.At(s, e);
                }
            }
        }
        const Ns work = model.BatchSetTimeNs(remote, params.launchMode);
        const Ns span = (work + params.streams - 1) / params.streams;
        const Ns compute = span + TransmissionTimeNs(d + c, rate);
        if (compute > out.computeBoundNs)
        {
            out.computeBoundNs = compute;
            out.computeGpu = static_cast<uint32_t>(g);
        }
        // Last copy: g's last dispatch byte arrives after all of g's dispatch crossed its
        // ingress; its copy is computed in a batch of at least one token, then combined back.
        const Ns last = TransmissionTimeNs(layer.dispatch.ColSum(g) + c, rate) + shortestBatch;
        if (last > out.lastCopyBoundNs)
        {
            out.lastCopyBoundNs = last;
            out.lastCopyGpu = static_cast<uint32_t>(g);
        }
    }
    out.lowerBoundNs = std::max({out.portBoundNs, out.computeBoundNs, out.lastCopyBoundNs});
    return out;
}

} // namespace pmoe
} // namespace ns3
