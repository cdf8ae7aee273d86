/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-sunflow-decomposer.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <tuple>
#include <vector>

namespace ns3
{
namespace pmoe
{

std::string
SunflowDecomposer::Name() const
{
    return "sunflow";
}

namespace
{

constexpr Ns kNotBusy = std::numeric_limits<Ns>::min(); //!< a port free since ever

/** The state of the switch between steps: who is joined to whom. */
struct SunflowState
{
    std::size_t n;
    bool duplex;
    std::vector<int32_t> out; //!< unidirectional: out[i] = j; duplex: peer of i
    std::vector<int32_t> in;  //!< unidirectional: in[j] = i; duplex: unused

    /** @return the circuits, sorted by (src, dst) */
    std::vector<Circuit> Circuits() const
    {
        std::vector<Circuit> c;
        for (std::size_t i = 0; i < n; ++i)
        {
            if (out[i] >= 0 && (!duplex || static_cast<std::size_t>(out[i]) > i))
            {
                c.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(out[i])});
            }
        }
        return c;
    }

    /** Join @p s and @p t, dropping the (idle) circuits their ports had. */
    void Join(uint32_t s, uint32_t t)
    {
        if (duplex)
        {
            for (uint32_t p : {s, t})
            {
                if (out[p] >= 0)
                {
                    out[out[p]] = -1;
                    out[p] = -1;
                }
            }
            out[s] = static_cast<int32_t>(t);
            out[t] = static_cast<int32_t>(s);
            return;
        }
        if (out[s] >= 0)
        {
            in[out[s]] = -1;
        }
        if (in[t] >= 0)
        {
            out[in[t]] = -1;
        }
        out[s] = static_cast<int32_t>(t);
        in[t] = static_cast<int32_t>(s);
    }
};

} // namespace

Schedule
SunflowDecomposer::Run(const DemandMatrix& demand, const DecompositionParams& params)
{
    ValidateDecompositionInputs(demand, params);
    const std::size_t n = demand.Size();
    const bool duplex = params.model == CircuitModel::DUPLEX;
    const Bps rate = params.linkRateBps;
    const Ns delta = params.reconfigDelayNs;
    const bool budget = params.maxMatchings > 0 && params.residualPolicy != ResidualPolicy::APPEND;

    DemandMatrix rem = demand;
    Bytes remBytes = demand.Total();
    Schedule s(n, params.model);
    s.algorithm = Name();
    SunflowState st{n, duplex, std::vector<int32_t>(n, -1), std::vector<int32_t>(n, -1)};
    std::vector<Circuit> prev;
    std::vector<bool> isNew(n, false); // by circuit source port
    Ns now = 0;

    // Bytes per direction a circuit from s to t still has to carry.
    auto need = [&](uint32_t a, uint32_t b) {
        return duplex ? std::max(rem.At(a, b), rem.At(b, a)) : rem.At(a, b);
    };
    while (remBytes > 0 && !(budget && s.NumConfigurations() >= params.maxMatchings))
    {
        // Ports busy with an unfinished circuit; the others are free.
        std::vector<bool> outBusy(n, false);
        std::vector<bool> inBusy(n, false);
        for (const Circuit& c : st.Circuits())
        {
            if (need(c.src, c.dst) > 0)
            {
                outBusy[c.src] = inBusy[c.dst] = true;
                if (duplex)
                {
                    outBusy[c.dst] = inBusy[c.src] = true;
                }
            }
        }
        // Greedy matching of the free ports by remaining demand.
        std::vector<std::tuple<Bytes, uint32_t, uint32_t>> cand;
        for (uint32_t i = 0; i < n; ++i)
        {
            for (uint32_t j = duplex ? i + 1 : 0; j < n; ++j)
            {
                if (i == j || outBusy[i] || inBusy[j])
                {
                    continue;
                }
                Bytes w = duplex ? rem.At(i, j) + rem.At(j, i) : rem.At(i, j);
                if (w > 0)
                {
                    cand.emplace_back(-w, i, j);
                }
            }
        }
        std::sort(cand.begin(), cand.end());
        std::fill(isNew.begin(), isNew.end(), false);
        for (const auto& [w, i, j] : cand)
        {
            if (outBusy[i] || inBusy[j])
            {
                continue;
            }
            st.Join(i, j);
            isNew[i] = true;
            outBusy[i] = inBusy[j] = true;
            if (duplex)
            {
                outBusy[j] = inBusy[i] = true;
            }
        }
        const std::vector<Circuit> circuits = st.Circuits();
        const bool reconfigures = circuits != prev;
        const Ns litStart = now + (reconfigures ? delta : 0);
        // When each busy port finishes, and when the step ends: at the first moment a pair
        // with demand has both ports finished (greedy left no such pair free now), or when
        // every circuit is done.
        std::vector<Ns> outFree(n, kNotBusy);
        std::vector<Ns> inFree(n, kNotBusy);
        Ns lastFinish = litStart;
        for (const Circuit& c : circuits)
        {
            const Bytes b = need(c.src, c.dst);
            if (b == 0)
            {
                continue;
            }
            const Ns from = isNew[c.src] ? litStart : now;
            const Ns f = from + TransmissionTimeNs(b, rate);
            outFree[c.src] = inFree[c.dst] = f;
            if (duplex)
            {
                outFree[c.dst] = inFree[c.src] = f;
            }
            lastFinish = std::max(lastFinish, f);
        }
        Ns end = lastFinish;
        for (uint32_t i = 0; i < n; ++i)
        {
            for (uint32_t j = duplex ? i + 1 : 0; j < n; ++j)
            {
                if (i == j || (duplex ? rem.At(i, j) + rem.At(j, i) : rem.At(i, j)) == 0)
                {
                    continue;
                }
                const bool inCircuit = st.out[i] == static_cast<int32_t>(j);
                if (!inCircuit)
                {
                    end = std::min(end, std::max(outFree[i], inFree[j]));
                }
            }
        }
        end = std::max(end, litStart + 1);
        // Serve: every circuit direction carries min(remaining, lit time x rate).
        Configuration config;
        config.circuits = circuits;
        config.durationNs = end - litStart;
        auto serve = [&](uint32_t a, uint32_t b, Bytes cap) {
            const Bytes x = std::min(rem.At(a, b), cap);
            if (x > 0)
            {
                rem.Set(a, b, rem.At(a, b) - x);
                remBytes -= x;
                config.plannedBytes += x;
            }
        };
        for (const Circuit& c : circuits)
        {
            const Ns from = isNew[c.src] ? litStart : now;
            const Bytes cap = BytesInNs(end - from, rate);
            serve(c.src, c.dst, cap);
            if (duplex)
            {
                serve(c.dst, c.src, cap);
            }
        }
        s.Append(std::move(config));
        prev = circuits;
        now = end;
    }
    if (params.maxMatchings > 0 && s.NumConfigurations() > params.maxMatchings)
    {
        s.algorithm += "+append";
    }
    s.residual = rem;
    return s;
}

} // namespace pmoe
} // namespace ns3
