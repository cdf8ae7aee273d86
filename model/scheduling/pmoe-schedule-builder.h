/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_SCHEDULE_BUILDER_H
#define PMOE_SCHEDULE_BUILDER_H

/**
 * @file
 * @ingroup photonic-moe
 * What every decomposition shares: the one rule that serves remaining demand with a
 * configuration (ServeConfiguration()), the ScheduleBuilder that appends configurations under
 * it and applies the residual policy, and PlannedService(), which replays the rule.
 */

#include "pmoe-decomposer.h"
#include "pmoe-demand-matrix.h"
#include "pmoe-matching.h"
#include "pmoe-relay-residual.h"
#include "pmoe-schedule.h"
#include "pmoe-units.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * Serve the remaining direct demand of one configuration: each circuit direction carries
 * min(remaining, capacity). This is the single serving rule shared by the decompositions and
 * PlannedService(), so both agree byte for byte.
 * @param remaining remaining demand, updated
 * @param circuits circuits of the configuration
 * @param model circuit model (duplex: both directions)
 * @param capacity capacity per circuit direction in bytes
 * @param onServe called as onServe(src, dst, bytes) for every direction (bytes may be 0)
 */
template <typename F>
void
ServeConfiguration(DemandMatrix& remaining,
                   const std::vector<Circuit>& circuits,
                   CircuitModel model,
                   Bytes capacity,
                   F&& onServe)
{
    auto serve = [&](uint32_t s, uint32_t t) {
        Bytes r = remaining.At(s, t);
        Bytes x = std::min(r, capacity);
        if (x > 0)
        {
            remaining.Set(s, t, r - x);
        }
        onServe(s, t, x);
    };
    for (const Circuit& c : circuits)
    {
        serve(c.src, c.dst);
        if (model == CircuitModel::DUPLEX)
        {
            serve(c.dst, c.src);
        }
    }
}

/**
 * @ingroup photonic-moe
 * Compare bytes served per (time + delta) exactly: served1 / (time1 + delta) against
 * served2 / (time2 + delta).
 * @param served1 bytes of the first choice
 * @param time1 its duration
 * @param served2 bytes of the second choice
 * @param time2 its duration
 * @param delta reconfiguration delay
 * @return true if the first serves at least as fast
 */
bool ServesAtLeastAsFast(Bytes served1, Ns time1, Bytes served2, Ns time2, Ns delta);

/**
 * @ingroup photonic-moe
 * Builds a schedule while tracking the remaining demand with the shared serving rule, and
 * (for the relay policy) the load of every circuit direction. A decomposer makes one per
 * Run(), adds configurations, and returns Finish().
 */
class ScheduleBuilder
{
  public:
    /**
     * @param demand demand
     * @param params validated parameters
     * @param name algorithm name recorded in the schedule
     */
    ScheduleBuilder(const DemandMatrix& demand,
                    const DecompositionParams& params,
                    const std::string& name);

    /** @return parameters */
    const DecompositionParams& Params() const
    {
        return m_params;
    }

    /** @return remaining (unplanned) demand */
    const DemandMatrix& Remaining() const
    {
        return m_remaining;
    }

    /** @return remaining (unplanned) bytes: the sum of Remaining() */
    Bytes RemainingBytes() const
    {
        return m_remainingBytes;
    }

    /** @return configurations so far */
    std::size_t NumConfigurations() const
    {
        return m_schedule.NumConfigurations();
    }

    /** @return true if another configuration fits the budget K (always under APPEND) */
    bool HasRoomForConfiguration() const;

    /** @return the reused matching workspace */
    MaxWeightMatcher& Matcher()
    {
        return m_matcher;
    }

    /**
     * Append a configuration whose circuits hold for @p slotBytes per direction (duration
     * rounded up to a whole ns; the capacity is what that duration carries) and serve the
     * remaining demand with it.
     * @param circuits the matching (non-empty)
     * @param slotBytes bytes per circuit direction, > 0
     * @return real bytes served
     */
    Bytes AddConfiguration(std::vector<Circuit> circuits, Bytes slotBytes);

    /**
     * Slot (bytes per circuit direction) of a matching under a duration policy. The need of a
     * circuit is its larger remaining direction (duplex: both directions are served at once).
     * WHOLE_PAIR: the largest need; MIN_ENTRY: the smallest need; DELTA_AWARE: among the
     * matched directional entries t, the one maximising sum(min(entry, t)) / (t_ns + delta),
     * ties to the larger t.
     * @param circuits the matching
     * @param policy duration policy
     * @return slot bytes, > 0
     */
    Bytes SlotBytesFor(const std::vector<Circuit>& circuits, DurationPolicy policy) const;

    /**
     * Add one maximum-weight matching of the remaining demand, held per @p policy.
     * @param policy duration policy
     * @return false if the matching is empty (nothing left to match)
     */
    bool AddMaxWeightMatching(DurationPolicy policy);

    /**
     * Add maximum-weight matchings (AddMaxWeightMatching()) until nothing is left or, when
     * @p withinBudget, the budget K is spent.
     * @param policy duration policy
     * @param withinBudget whether the budget K applies
     */
    void AddMaxWeightMatchings(DurationPolicy policy, bool withinBudget);

    /**
     * Realise a permutation of a stuffed decomposition (BvN, Solstice) with configurations
     * of @p slotBytes each: unidirectional, one configuration (fixed points idle); duplex, a
     * 2-cycle needs one circuit and the edges of a longer cycle are coloured alternately (a
     * third colour for the last edge of an odd cycle), up to three configurations. Their slot
     * capacity on the permutation arcs beyond the real demand they carry is counted as
     * Schedule::stuffedBytes.
     * @param perm perm[i] = j; perm[i] == i means port i idles
     * @param slotBytes bytes per circuit direction
     * @return false if the budget K ran out before every configuration was added
     */
    bool AddPermutation(const std::vector<uint32_t>& perm, Bytes slotBytes);

    /**
     * Apply the residual policy (APPEND: whole-pair greedy matchings until everything is
     * served; RELAY: RelayResidual()), record the residual, the stuffed bytes and "+append"
     * when K was exceeded, and hand over the schedule. Call once, last.
     * @return the schedule
     */
    Schedule Finish();

  private:
    // 128-bit accumulators of the stuffed-byte accounting.
    __extension__ typedef __int128 Wide; //!< __extension__: no -Wpedantic warning

    DecompositionParams m_params;    //!< parameters
    std::size_t m_n;                 //!< ports
    DemandMatrix m_remaining;        //!< demand not planned yet
    Schedule m_schedule;             //!< the schedule being built
    Bytes m_remainingBytes;          //!< sum of m_remaining
    MaxWeightMatcher m_matcher;      //!< matching workspace
    std::vector<CircuitLoad> m_load; //!< per configuration (relay policy only)
    Wide m_permutationArcBytes{0};   //!< slot bytes reserved for permutation arcs
    Wide m_permutationRealBytes{0};  //!< real bytes those configurations carry
};

/**
 * @ingroup photonic-moe
 * Bytes each configuration of @p schedule delivers to each pair when its circuits serve the
 * demand in order (direct traffic only), as planned by the decomposition
 * (ServeConfiguration()). Used by tests and by the packet-level scheduler to tell hosts what
 * to send in each phase.
 * @param demand the demand
 * @param schedule the schedule
 * @param linkRateBps circuit rate
 * @return per configuration, an N x N matrix of bytes served
 * @throws InputError if the schedule does not fit the demand or the rate is not positive
 */
std::vector<DemandMatrix> PlannedService(const DemandMatrix& demand,
                                         const Schedule& schedule,
                                         Bps linkRateBps);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_SCHEDULE_BUILDER_H */
