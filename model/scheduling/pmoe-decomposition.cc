/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-decomposition.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <type_traits>
#include <utility>

namespace ns3
{
namespace pmoe
{

// ---------------------------------------------------------------------------------------------
// Names

std::string
ToString(DurationPolicy p)
{
    switch (p)
    {
    case DurationPolicy::WHOLE_PAIR:
        return "whole-pair";
    case DurationPolicy::MIN_ENTRY:
        return "min-entry";
    case DurationPolicy::DELTA_AWARE:
        return "delta-aware";
    }
    return "unknown";
}

std::string
ToString(ResidualPolicy p)
{
    switch (p)
    {
    case ResidualPolicy::EPS:
        return "eps";
    case ResidualPolicy::APPEND:
        return "append";
    case ResidualPolicy::RELAY:
        return "relay";
    }
    return "unknown";
}

std::string
ToString(StuffingMethod p)
{
    switch (p)
    {
    case StuffingMethod::SINKHORN:
        return "sinkhorn";
    case StuffingMethod::QUICK:
        return "quick";
    }
    return "unknown";
}

DurationPolicy
DurationPolicyFromString(const std::string& s)
{
    if (s == "whole-pair")
    {
        return DurationPolicy::WHOLE_PAIR;
    }
    if (s == "min-entry")
    {
        return DurationPolicy::MIN_ENTRY;
    }
    if (s == "delta-aware")
    {
        return DurationPolicy::DELTA_AWARE;
    }
    throw InputError("unknown duration policy '" + s +
                     "' (expected whole-pair, min-entry or delta-aware)");
}

ResidualPolicy
ResidualPolicyFromString(const std::string& s)
{
    if (s == "eps")
    {
        return ResidualPolicy::EPS;
    }
    if (s == "append")
    {
        return ResidualPolicy::APPEND;
    }
    if (s == "relay")
    {
        return ResidualPolicy::RELAY;
    }
    throw InputError("unknown residual policy '" + s + "' (expected eps, append or relay)");
}

StuffingMethod
StuffingMethodFromString(const std::string& s)
{
    if (s == "sinkhorn")
    {
        return StuffingMethod::SINKHORN;
    }
    if (s == "quick")
    {
        return StuffingMethod::QUICK;
    }
    throw InputError("unknown stuffing method '" + s + "' (expected sinkhorn or quick)");
}

namespace
{

// 128-bit intermediates for byte x time products and overflow checks.
__extension__ typedef __int128 Wide; // __extension__: no -Wpedantic warning

const Wide kMaxTotalBytes = Wide{1} << 62; //!< largest total demand accepted
const Wide kMaxTimeNs = Wide{1} << 61;     //!< largest circuit time accepted

/// Largest number of configurations rotor may produce (guards a tiny rotorSlotBytes).
const Wide kMaxRotorConfigurations = 1000000;

/// Eclipse evaluates at most this many candidate durations per step (quantiles).
const std::size_t kEclipseCandidates = 32;

/**
 * Validate everything a decomposition relies on.
 * @param d demand
 * @param p parameters
 */
void
ValidateInputs(const DemandMatrix& d, const DecompositionParams& p)
{
    if (d.Size() < 2)
    {
        throw InputError("a decomposition needs at least 2 ports, got a demand matrix with N = " +
                         std::to_string(d.Size()));
    }
    if (p.linkRateBps <= 0)
    {
        throw InputError("linkRateBps must be positive, got " + std::to_string(p.linkRateBps));
    }
    if (p.reconfigDelayNs < 0)
    {
        throw InputError("reconfigDelayNs must be >= 0, got " + std::to_string(p.reconfigDelayNs));
    }
    if (!(p.bvnTolerance > 0.0 && p.bvnTolerance < 1.0))
    {
        throw InputError("bvnTolerance must be in (0, 1), got " + std::to_string(p.bvnTolerance));
    }
    if (p.rotorSlotBytes < 0)
    {
        throw InputError("rotorSlotBytes must be >= 0, got " + std::to_string(p.rotorSlotBytes));
    }
    if (p.model != CircuitModel::UNIDIRECTIONAL && p.model != CircuitModel::DUPLEX)
    {
        throw InputError("unknown circuit model value " +
                         std::to_string(static_cast<int>(p.model)));
    }
    if (p.durationPolicy != DurationPolicy::WHOLE_PAIR &&
        p.durationPolicy != DurationPolicy::MIN_ENTRY &&
        p.durationPolicy != DurationPolicy::DELTA_AWARE)
    {
        throw InputError("unknown duration policy value " +
                         std::to_string(static_cast<int>(p.durationPolicy)));
    }
    if (p.residualPolicy != ResidualPolicy::EPS && p.residualPolicy != ResidualPolicy::APPEND &&
        p.residualPolicy != ResidualPolicy::RELAY)
    {
        throw InputError("unknown residual policy value " +
                         std::to_string(static_cast<int>(p.residualPolicy)));
    }
    if (p.matching != MatchingAlgorithm::EXACT && p.matching != MatchingAlgorithm::GREEDY)
    {
        throw InputError("unknown matching algorithm value " +
                         std::to_string(static_cast<int>(p.matching)));
    }
    if (p.stuffing != StuffingMethod::SINKHORN && p.stuffing != StuffingMethod::QUICK)
    {
        throw InputError("unknown stuffing method value " +
                         std::to_string(static_cast<int>(p.stuffing)));
    }
    Wide total = 0;
    for (Bytes b : d.Data())
    {
        total += b;
    }
    if (total > kMaxTotalBytes)
    {
        throw InputError("total demand is too large for the scheduling core (more than 2^62 "
                         "bytes)");
    }
    if (total * 8000000000 / p.linkRateBps > kMaxTimeNs)
    {
        throw InputError("total demand of " + std::to_string(static_cast<Bytes>(total)) +
                         " bytes at linkRateBps " + std::to_string(p.linkRateBps) +
                         " exceeds the representable time range");
    }
}

/**
 * Serve the remaining direct demand of one configuration: each circuit direction carries
 * min(remaining, capacity). This is the single serving rule shared by the decompositions and
 * PlannedService(), so both agree byte for byte.
 * @param rem remaining demand, updated
 * @param circuits circuits of the configuration
 * @param model circuit model (duplex: both directions)
 * @param cap capacity per circuit direction in bytes
 * @param onServe called as onServe(src, dst, bytes) for every direction (bytes may be 0)
 */
template <typename F>
void
ServeConfiguration(DemandMatrix& rem,
                   const std::vector<Circuit>& circuits,
                   CircuitModel model,
                   Bytes cap,
                   F&& onServe)
{
    auto serve = [&](uint32_t s, uint32_t t) {
        Bytes r = rem.At(s, t);
        Bytes x = std::min(r, cap);
        if (x > 0)
        {
            rem.Set(s, t, r - x);
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
 * Maximum-weight matching with reused workspaces (same output as MaxWeightMatching()).
 */
class MatchingEngine
{
  public:
    /**
     * @param d demand (duplex: pair sums are taken here)
     * @param model circuit model
     * @param algo exact or greedy
     * @return circuits sorted by (src, dst), positive weight only
     */
    std::vector<Circuit> Solve(const DemandMatrix& d, CircuitModel model, MatchingAlgorithm algo)
    {
        std::vector<Circuit> out;
        const std::size_t n = d.Size();
        if (model == CircuitModel::UNIDIRECTIONAL)
        {
            if (algo == MatchingAlgorithm::EXACT)
            {
                m_mate = m_bipartite.Solve(d);
            }
            else
            {
                m_mate = GreedyMatching(d, model);
            }
            for (std::size_t i = 0; i < n && i < m_mate.size(); ++i)
            {
                int32_t j = m_mate[i];
                if (j >= 0 && static_cast<std::size_t>(j) < n &&
                    d.At(i, static_cast<std::size_t>(j)) > 0)
                {
                    out.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
                }
            }
        }
        else
        {
            DemandMatrix w = d.PairSums();
            if (algo == MatchingAlgorithm::EXACT)
            {
                m_mate = m_general.Solve(w);
            }
            else
            {
                m_mate = GreedyMatching(w, model);
            }
            for (std::size_t i = 0; i < n && i < m_mate.size(); ++i)
            {
                int32_t j = m_mate[i];
                if (j > static_cast<int32_t>(i) && static_cast<std::size_t>(j) < n &&
                    w.At(i, static_cast<std::size_t>(j)) > 0)
                {
                    out.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
                }
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }

  private:
    BipartiteMatcher m_bipartite; //!< reused across calls
    GeneralMatcher m_general;     //!< reused across calls
    std::vector<int32_t> m_mate;  //!< last result
};

/**
 * Perfect matchings on a dense square matrix whose entries above a floor are the allowed
 * edges (the diagonal is allowed: a port paired with itself idles). The matching is kept
 * between calls, so that after a small change to the matrix only the broken rows are
 * re-augmented (warm start).
 */
template <typename T>
class DenseMatcher
{
  public:
    /** @param n matrix size */
    explicit DenseMatcher(std::size_t n)
        : m_n(n),
          m_mateRow(n, -1),
          m_mateCol(n, -1),
          m_parentRow(n, 0),
          m_seenCol(n, 0),
          m_queue(n, 0)
    {
    }

    /**
     * Drop matched edges whose entry is <= @p floor, then augment every free row using only
     * entries > @p floor. Stops at the first row that cannot be matched: no perfect matching
     * exists on that edge set, and the state is a valid (partial) matching that a later call
     * with a lower floor continues from.
     * @param a row-major matrix
     * @param floor entries > floor are edges
     * @return true if the matching is perfect
     */
    bool Repair(const std::vector<T>& a, T floor)
    {
        for (std::size_t i = 0; i < m_n; ++i)
        {
            int32_t j = m_mateRow[i];
            if (j >= 0 && !(a[i * m_n + static_cast<std::size_t>(j)] > floor))
            {
                m_mateRow[i] = -1;
                m_mateCol[static_cast<std::size_t>(j)] = -1;
            }
        }
        for (std::size_t i = 0; i < m_n; ++i)
        {
            if (m_mateRow[i] < 0 && !Augment(a, i, floor))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * A bottleneck perfect matching on the entries > @p floor: among the perfect matchings,
     * one whose smallest entry is largest. Starts from the warm matching (repaired), then
     * binary-searches the threshold t over the distinct entries between its smallest entry
     * and an upper bound (the smallest line maximum), testing "is there a perfect matching
     * on the entries >= t" by a warm-started Repair(); each successful test raises the lower
     * end to the smallest entry of the matching it found.
     * @param a row-major matrix
     * @param floor entries > floor are edges
     * @return false if there is no perfect matching at all
     */
    bool Bottleneck(const std::vector<T>& a, T floor)
    {
        if (!Repair(a, floor))
        {
            return false;
        }
        T best = MinEntry(a);
        // Upper bound: every row and every column needs one entry >= the bottleneck.
        T upper = std::numeric_limits<T>::max();
        m_colMax.assign(m_n, T{});
        for (std::size_t i = 0; i < m_n; ++i)
        {
            T rowMax = T{};
            for (std::size_t j = 0; j < m_n; ++j)
            {
                T v = a[i * m_n + j];
                rowMax = std::max(rowMax, v);
                m_colMax[j] = std::max(m_colMax[j], v);
            }
            upper = std::min(upper, rowMax);
        }
        for (std::size_t j = 0; j < m_n; ++j)
        {
            upper = std::min(upper, m_colMax[j]);
        }
        m_candidates.clear();
        for (T v : a)
        {
            if (v > best && !(v > upper))
            {
                m_candidates.push_back(v);
            }
        }
        m_saveRow = m_mateRow;
        m_saveCol = m_mateCol;
        while (!m_candidates.empty())
        {
            std::size_t mid = m_candidates.size() / 2;
            std::nth_element(m_candidates.begin(), m_candidates.begin() + mid, m_candidates.end());
            T t = m_candidates[mid];
            if (Repair(a, Below(t)))
            {
                best = MinEntry(a);
                m_saveRow = m_mateRow;
                m_saveCol = m_mateCol;
                // Keep the candidates above the new bottleneck (all were >= t past mid).
                std::size_t w = 0;
                for (std::size_t k = mid + 1; k < m_candidates.size(); ++k)
                {
                    if (m_candidates[k] > best)
                    {
                        m_candidates[w++] = m_candidates[k];
                    }
                }
                m_candidates.resize(w);
            }
            else
            {
                m_mateRow = m_saveRow;
                m_mateCol = m_saveCol;
                // Keep the candidates below t (all were <= t before mid).
                std::size_t w = 0;
                for (std::size_t k = 0; k < mid; ++k)
                {
                    if (m_candidates[k] < t)
                    {
                        m_candidates[w++] = m_candidates[k];
                    }
                }
                m_candidates.resize(w);
            }
        }
        return true;
    }

    /** @param a matrix @return the smallest entry on the (perfect) matching */
    T MinEntry(const std::vector<T>& a) const
    {
        T m = std::numeric_limits<T>::max();
        for (std::size_t i = 0; i < m_n; ++i)
        {
            m = std::min(m, a[i * m_n + static_cast<std::size_t>(m_mateRow[i])]);
        }
        return m;
    }

    /** @return mate of every row (a perfect matching after a successful call) */
    const std::vector<int32_t>& MateRow() const
    {
        return m_mateRow;
    }

  private:
    /**
     * @param v a value
     * @return the largest value below @p v (entries > it are exactly the entries >= v)
     */
    static T Below(T v)
    {
        if constexpr (std::is_integral_v<T>)
        {
            return v - 1;
        }
        else
        {
            return std::nextafter(v, -std::numeric_limits<T>::infinity());
        }
    }

    /**
     * Breadth-first search for an augmenting path from free row @p root.
     * @param a matrix
     * @param root free row
     * @param floor entries > floor are edges
     * @return true if the matching grew
     */
    bool Augment(const std::vector<T>& a, std::size_t root, T floor)
    {
        std::fill(m_seenCol.begin(), m_seenCol.end(), 0);
        std::size_t head = 0;
        std::size_t tail = 0;
        m_queue[tail++] = static_cast<int32_t>(root);
        while (head < tail)
        {
            std::size_t i = static_cast<std::size_t>(m_queue[head++]);
            const T* row = a.data() + i * m_n;
            for (std::size_t j = 0; j < m_n; ++j)
            {
                if (m_seenCol[j] || !(row[j] > floor))
                {
                    continue;
                }
                m_seenCol[j] = 1;
                m_parentRow[j] = static_cast<int32_t>(i);
                if (m_mateCol[j] < 0)
                {
                    // Flip the path back to the root.
                    std::size_t col = j;
                    while (true)
                    {
                        std::size_t r = static_cast<std::size_t>(m_parentRow[col]);
                        int32_t next = m_mateRow[r];
                        m_mateRow[r] = static_cast<int32_t>(col);
                        m_mateCol[col] = static_cast<int32_t>(r);
                        if (r == root)
                        {
                            return true;
                        }
                        col = static_cast<std::size_t>(next);
                    }
                }
                m_queue[tail++] = m_mateCol[j];
            }
        }
        return false;
    }

    std::size_t m_n;
    std::vector<int32_t> m_mateRow;
    std::vector<int32_t> m_mateCol;
    std::vector<int32_t> m_parentRow;
    std::vector<char> m_seenCol;
    std::vector<int32_t> m_queue;
    std::vector<int32_t> m_saveRow;
    std::vector<int32_t> m_saveCol;
    std::vector<T> m_candidates; //!< thresholds still to test (bottleneck search)
    std::vector<T> m_colMax;     //!< column maxima (bottleneck upper bound)
};

/**
 * Builds a schedule while tracking the remaining demand with the shared serving rule, and
 * (for the relay policy) the load of every circuit direction.
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
                    const std::string& name)
        : m_params(params),
          m_n(demand.Size()),
          m_remaining(demand),
          m_schedule(demand.Size(), params.model),
          m_left(demand.Total())
    {
        m_schedule.algorithm = name;
    }

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

    /** @return remaining bytes */
    Bytes Left() const
    {
        return m_left;
    }

    /** @return configurations so far */
    std::size_t Count() const
    {
        return m_schedule.NumConfigurations();
    }

    /** @return true if another configuration fits the budget K (always under APPEND) */
    bool Budget() const
    {
        return m_params.residualPolicy == ResidualPolicy::APPEND || m_params.maxMatchings == 0 ||
               Count() < m_params.maxMatchings;
    }

    /** @return the reused matching workspace */
    MatchingEngine& Matcher()
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
    Bytes Add(std::vector<Circuit> circuits, Bytes slotBytes)
    {
        Configuration config;
        config.circuits = std::move(circuits);
        std::sort(config.circuits.begin(), config.circuits.end());
        config.durationNs = TransmissionTimeNs(slotBytes, m_params.linkRateBps);
        Bytes cap = BytesInNs(config.durationNs, m_params.linkRateBps);
        bool track = m_params.residualPolicy == ResidualPolicy::RELAY;
        if (track)
        {
            m_out.emplace_back(m_n, -1);
            m_used.emplace_back(m_n, 0);
            m_cap.push_back(cap);
        }
        Bytes served = 0;
        ServeConfiguration(m_remaining,
                           config.circuits,
                           m_params.model,
                           cap,
                           [&](uint32_t s, uint32_t t, Bytes x) {
                               served += x;
                               if (track)
                               {
                                   m_out.back()[s] = static_cast<int32_t>(t);
                                   m_used.back()[s] = x;
                               }
                           });
        config.plannedBytes = served;
        m_left -= served;
        m_schedule.Append(std::move(config));
        return served;
    }

    /**
     * Route the remaining demand over two hops through spare circuit capacity (residual
     * policy "relay"): pairs by decreasing remaining bytes (ties by (src, dst)); for each,
     * first hops src -> k in configuration a (ascending), second hops k -> dst in any later
     * configuration b (ascending), each taking min(remaining, spare of both hops).
     */
    void Relay()
    {
        struct Pending
        {
            Bytes bytes;
            uint32_t src;
            uint32_t dst;
        };

        std::vector<Pending> pending;
        for (std::size_t i = 0; i < m_n; ++i)
        {
            for (std::size_t j = 0; j < m_n; ++j)
            {
                if (m_remaining.At(i, j) > 0)
                {
                    pending.push_back(
                        {m_remaining.At(i, j), static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
                }
            }
        }
        std::sort(pending.begin(), pending.end(), [](const Pending& x, const Pending& y) {
            if (x.bytes != y.bytes)
            {
                return x.bytes > y.bytes;
            }
            return std::make_pair(x.src, x.dst) < std::make_pair(y.src, y.dst);
        });
        const std::size_t configs = m_out.size();
        auto& cfgs = m_schedule.MutableConfigurations();
        for (const Pending& p : pending)
        {
            Bytes res = p.bytes;
            for (std::size_t a = 0; a < configs && res > 0; ++a)
            {
                int32_t via = m_out[a][p.src];
                if (via < 0 || static_cast<uint32_t>(via) == p.dst)
                {
                    continue;
                }
                const std::size_t k = static_cast<std::size_t>(via);
                for (std::size_t b = a + 1; b < configs && res > 0; ++b)
                {
                    Bytes spare1 = m_cap[a] - m_used[a][p.src];
                    if (spare1 <= 0)
                    {
                        break;
                    }
                    if (m_out[b][k] != static_cast<int32_t>(p.dst))
                    {
                        continue;
                    }
                    Bytes spare2 = m_cap[b] - m_used[b][k];
                    Bytes amount = std::min({res, spare1, spare2});
                    if (amount <= 0)
                    {
                        continue;
                    }
                    m_used[a][p.src] += amount;
                    m_used[b][k] += amount;
                    cfgs[a].plannedBytes += amount;
                    cfgs[b].plannedBytes += amount;
                    res -= amount;
                    m_schedule.relays.push_back({p.src,
                                                 static_cast<uint32_t>(k),
                                                 p.dst,
                                                 amount,
                                                 static_cast<uint32_t>(a),
                                                 static_cast<uint32_t>(b)});
                }
            }
            m_remaining.Set(p.src, p.dst, res);
            m_left -= p.bytes - res;
        }
    }

    /** @param bytes stuffed (dummy) bytes carried, recorded in the schedule */
    void SetStuffedBytes(Bytes bytes)
    {
        m_schedule.stuffedBytes = bytes;
    }

    /**
     * Record the residual and the algorithm bookkeeping and hand over the schedule.
     * @return the schedule
     */
    Schedule Take()
    {
        DemandMatrix residual(m_n);
        for (std::size_t i = 0; i < m_n; ++i)
        {
            for (std::size_t j = 0; j < m_n; ++j)
            {
                if (i != j && m_remaining.At(i, j) > 0)
                {
                    residual.Set(i, j, m_remaining.At(i, j));
                }
            }
        }
        m_schedule.residual = std::move(residual);
        if (m_params.maxMatchings > 0 && Count() > m_params.maxMatchings)
        {
            m_schedule.algorithm += "+append";
        }
        return std::move(m_schedule);
    }

  private:
    DecompositionParams m_params;
    std::size_t m_n;
    DemandMatrix m_remaining;
    Schedule m_schedule;
    Bytes m_left;
    MatchingEngine m_matcher;
    // Relay bookkeeping per configuration: where each port transmits, bytes it carries, and
    // the capacity of every circuit direction.
    std::vector<std::vector<int32_t>> m_out;
    std::vector<std::vector<Bytes>> m_used;
    std::vector<Bytes> m_cap;
};

/**
 * Compare served1 / (time1 + delta) with served2 / (time2 + delta) exactly.
 * @return true if the first is at least as good
 */
bool
AtLeastAsGood(Bytes served1, Ns time1, Bytes served2, Ns time2, Ns delta)
{
    return static_cast<Wide>(served1) * (time2 + delta) >=
           static_cast<Wide>(served2) * (time1 + delta);
}

/**
 * Duration (bytes per circuit direction) of a greedy matching under a duration policy.
 * The need of a circuit is its largest direction (duplex: both directions are served at once).
 * @param rem remaining demand
 * @param circuits the matching
 * @param params parameters (model, delta, rate)
 * @param policy duration policy
 * @return slot bytes, > 0
 */
Bytes
ChooseSlot(const DemandMatrix& rem,
           const std::vector<Circuit>& circuits,
           const DecompositionParams& params,
           DurationPolicy policy)
{
    const bool duplex = params.model == CircuitModel::DUPLEX;
    Bytes maxNeed = 0;
    Bytes minNeed = std::numeric_limits<Bytes>::max();
    std::vector<Bytes> entries;
    for (const Circuit& c : circuits)
    {
        Bytes fwd = rem.At(c.src, c.dst);
        Bytes rev = duplex ? rem.At(c.dst, c.src) : 0;
        Bytes need = std::max(fwd, rev);
        if (need <= 0)
        {
            continue;
        }
        maxNeed = std::max(maxNeed, need);
        minNeed = std::min(minNeed, need);
        if (fwd > 0)
        {
            entries.push_back(fwd);
        }
        if (rev > 0)
        {
            entries.push_back(rev);
        }
    }
    if (policy == DurationPolicy::WHOLE_PAIR || entries.empty())
    {
        return maxNeed;
    }
    if (policy == DurationPolicy::MIN_ENTRY)
    {
        return minNeed;
    }
    // DELTA_AWARE: t among the matched entries maximising served(t) / (t_ns + delta), with
    // served(t) = sum of min(entry, t); ties go to the larger t (fewer configurations).
    std::sort(entries.begin(), entries.end());
    const std::size_t m = entries.size();
    Bytes prefix = 0;
    Bytes bestT = 0;
    Bytes bestServed = 0;
    Ns bestTime = 0;
    for (std::size_t k = 0; k < m; ++k)
    {
        prefix += entries[k];
        if (k + 1 < m && entries[k + 1] == entries[k])
        {
            continue;
        }
        Bytes t = entries[k];
        Bytes served = prefix + static_cast<Bytes>(m - 1 - k) * t;
        Ns time = TransmissionTimeNs(t, params.linkRateBps);
        if (bestT == 0 || AtLeastAsGood(served, time, bestServed, bestTime, params.reconfigDelayNs))
        {
            bestT = t;
            bestServed = served;
            bestTime = time;
        }
    }
    return bestT;
}

/**
 * The greedy loop: take a maximum-weight matching of the remaining demand and hold it for the
 * policy's duration, until nothing is left or (when @p bounded) the budget is spent.
 * @param b builder
 * @param policy duration policy
 * @param bounded whether the budget K applies
 */
void
GreedyLoop(ScheduleBuilder& b, DurationPolicy policy, bool bounded)
{
    const DecompositionParams& p = b.Params();
    while (b.Left() > 0 && (!bounded || b.Budget()))
    {
        std::vector<Circuit> circuits = b.Matcher().Solve(b.Remaining(), p.model, p.matching);
        if (circuits.empty())
        {
            break; // cannot happen with demand left; guards against an endless loop
        }
        Bytes slot = ChooseSlot(b.Remaining(), circuits, p, policy);
        b.Add(std::move(circuits), slot);
    }
}

/**
 * Apply the residual policy and hand over the schedule.
 * @param b builder
 * @return the schedule
 */
Schedule
Finish(ScheduleBuilder& b)
{
    if (b.Params().residualPolicy == ResidualPolicy::APPEND && b.Left() > 0)
    {
        GreedyLoop(b, DurationPolicy::WHOLE_PAIR, false);
    }
    if (b.Params().residualPolicy == ResidualPolicy::RELAY && b.Left() > 0)
    {
        b.Relay();
    }
    return b.Take();
}

/** Circuits realising (part of) a permutation, and how many permutation arcs they carry. */
struct PermutationConfig
{
    std::vector<Circuit> circuits; //!< a valid matching
    std::size_t arcs{0};           //!< arcs i -> perm[i] realised
};

/**
 * The configurations that realise permutation @p perm. Unidirectional: one configuration
 * (fixed points idle). Duplex: a duplex circuit {i, j} carries both i -> j and j -> i, so
 * 2-cycles need one circuit; the edges of a longer cycle are coloured alternately (an odd
 * cycle needs a third colour for its last edge), giving up to three configurations.
 * @param perm permutation
 * @param model circuit model
 * @return non-empty configurations
 */
std::vector<PermutationConfig>
PermutationConfigs(const std::vector<uint32_t>& perm, CircuitModel model)
{
    const std::size_t n = perm.size();
    if (model == CircuitModel::UNIDIRECTIONAL)
    {
        PermutationConfig pc;
        for (std::size_t i = 0; i < n; ++i)
        {
            if (perm[i] != i)
            {
                pc.circuits.push_back({static_cast<uint32_t>(i), perm[i]});
            }
        }
        pc.arcs = pc.circuits.size();
        if (pc.circuits.empty())
        {
            return {};
        }
        return {pc};
    }
    std::vector<PermutationConfig> colours(3);
    std::vector<char> seen(n, 0);
    std::vector<uint32_t> cycle;
    for (std::size_t start = 0; start < n; ++start)
    {
        if (seen[start] || perm[start] == start)
        {
            continue;
        }
        cycle.clear();
        for (uint32_t v = static_cast<uint32_t>(start); !seen[v]; v = perm[v])
        {
            seen[v] = 1;
            cycle.push_back(v);
        }
        const std::size_t len = cycle.size();
        if (len == 2)
        {
            colours[0].circuits.push_back(
                {std::min(cycle[0], cycle[1]), std::max(cycle[0], cycle[1])});
            colours[0].arcs += 2;
            continue;
        }
        for (std::size_t t = 0; t < len; ++t)
        {
            std::size_t colour = (len % 2 == 1 && t == len - 1) ? 2 : t % 2;
            uint32_t u = cycle[t];
            uint32_t v = cycle[(t + 1) % len];
            colours[colour].circuits.push_back({std::min(u, v), std::max(u, v)});
            colours[colour].arcs += 1;
        }
    }
    std::vector<PermutationConfig> out;
    for (auto& c : colours)
    {
        if (!c.circuits.empty())
        {
            out.push_back(std::move(c));
        }
    }
    return out;
}

/**
 * Slot bytes for a real-valued slot: round to the nearest integer when within 1e-9 (relative)
 * of it (floating-point noise), otherwise round up so that the slot covers its share.
 * @param x slot in bytes (>= 0)
 * @return bytes
 */
Bytes
SlotBytes(double x)
{
    if (!(x <= 4.0e18))
    {
        throw InputError("a BvN slot of " + std::to_string(x) +
                         " bytes does not fit the core's integer range (demand too skewed)");
    }
    double r = std::round(x);
    if (std::fabs(x - r) <= 1e-9 * std::max(1.0, x))
    {
        return static_cast<Bytes>(r);
    }
    return static_cast<Bytes>(std::ceil(x));
}

/** A slot of a stuffed decomposition: bytes per circuit direction and its permutation. */
struct StuffedSlot
{
    Bytes bytes;                //!< slot length in bytes
    std::vector<uint32_t> perm; //!< permutation (fixed points idle)
};

/**
 * Slot lengths for the terms c_k P_k of a Sinkhorn-BvN decomposition that cover every pair's
 * demand: slot_k = c_k x s + e_k, where s is one scale for all terms and e_k an extension.
 *
 * Pair (i, j) is covered by the terms whose permutation has the arc i -> j (total
 * coefficient C_ij); with the single scale s = max D_ij / C_ij (the textbook choice) one pair
 * whose share of the scaled matrix is tiny - typical when epsilon had to be added - inflates
 * every slot by orders of magnitude. Instead, a pair with D_ij > s C_ij extends the
 * largest-coefficient term that covers it by the deficit, and s is chosen to minimise the
 * total slot time f(s) = s sum(c_k) + sum_k e_k(s). f is convex; it is minimised over the
 * breakpoints D_ij / C_ij by binary search (ties: the larger s). Integer slots are then
 * checked pair by pair and any rounding deficit is added to that pair's largest term, so the
 * slots cover every pair that appears in some term exactly. Pairs in no term (the tolerance
 * cut the decomposition short) are left uncovered.
 * @param d demand
 * @param terms Birkhoff terms of the Sinkhorn matrix
 * @return slots (bytes > 0) in term order
 */
std::vector<StuffedSlot>
CoveringSlots(const DemandMatrix& d, std::vector<BirkhoffTerm<double>> terms)
{
    const std::size_t n = d.Size();
    const std::size_t nt = terms.size();
    std::vector<double> cover(n * n, 0.0);
    std::vector<int32_t> largest(n * n, -1);
    double total = 0;
    for (std::size_t k = 0; k < nt; ++k)
    {
        total += terms[k].coefficient;
        for (std::size_t i = 0; i < n; ++i)
        {
            std::size_t j = terms[k].perm[i];
            if (i == j)
            {
                continue;
            }
            std::size_t idx = i * n + j;
            cover[idx] += terms[k].coefficient;
            if (largest[idx] < 0 ||
                terms[k].coefficient > terms[static_cast<std::size_t>(largest[idx])].coefficient)
            {
                largest[idx] = static_cast<int32_t>(k);
            }
        }
    }

    struct Need
    {
        double bytes;
        double cover;
        std::size_t term;
    };

    std::vector<Need> needs;
    std::vector<double> breakpoints;
    for (std::size_t idx = 0; idx < n * n; ++idx)
    {
        Bytes b = d.Data()[idx];
        if (b > 0 && largest[idx] >= 0 && cover[idx] > 0)
        {
            needs.push_back(
                {static_cast<double>(b), cover[idx], static_cast<std::size_t>(largest[idx])});
            breakpoints.push_back(static_cast<double>(b) / cover[idx]);
        }
    }
    if (needs.empty())
    {
        return {};
    }
    std::sort(breakpoints.begin(), breakpoints.end());
    breakpoints.erase(std::unique(breakpoints.begin(), breakpoints.end()), breakpoints.end());
    std::vector<double> extra(nt);
    auto cost = [&](double s) {
        std::fill(extra.begin(), extra.end(), 0.0);
        for (const Need& x : needs)
        {
            extra[x.term] = std::max(extra[x.term], x.bytes - s * x.cover);
        }
        return s * total + std::accumulate(extra.begin(), extra.end(), 0.0);
    };
    std::size_t lo = 0;
    std::size_t hi = breakpoints.size() - 1;
    while (lo < hi)
    {
        std::size_t mid = (lo + hi) / 2;
        if (cost(breakpoints[mid + 1]) <= cost(breakpoints[mid]))
        {
            lo = mid + 1;
        }
        else
        {
            hi = mid;
        }
    }
    const double scale = breakpoints[lo];
    std::vector<Bytes> slot(nt);
    for (std::size_t k = 0; k < nt; ++k)
    {
        slot[k] = SlotBytes(terms[k].coefficient * scale);
    }
    // Exact integer coverage check, pair by pair.
    std::vector<Bytes> covered(n * n, 0);
    for (std::size_t k = 0; k < nt; ++k)
    {
        for (std::size_t i = 0; i < n; ++i)
        {
            covered[i * n + terms[k].perm[i]] += slot[k];
        }
    }
    for (std::size_t idx = 0; idx < n * n; ++idx)
    {
        Bytes deficit = d.Data()[idx] - covered[idx];
        if (deficit > 0 && largest[idx] >= 0)
        {
            std::size_t k = static_cast<std::size_t>(largest[idx]);
            slot[k] += deficit;
            for (std::size_t i = 0; i < n; ++i)
            {
                covered[i * n + terms[k].perm[i]] += deficit;
            }
        }
    }
    std::vector<StuffedSlot> out;
    for (std::size_t k = 0; k < nt; ++k)
    {
        if (slot[k] > 0)
        {
            out.push_back({slot[k], std::move(terms[k].perm)});
        }
    }
    return out;
}

/**
 * Append stuffed slots (BvN, Solstice) in the given order until the real demand is served or
 * the budget is spent, and record the stuffed bytes: slot capacity reserved for the
 * permutation arcs minus the real demand those configurations carry.
 * @param b builder
 * @param slots slots in order
 */
void
AppendStuffedSlots(ScheduleBuilder& b, const std::vector<StuffedSlot>& slots)
{
    Wide arcCapacity = 0;
    Wide real = 0;
    for (const StuffedSlot& s : slots)
    {
        if (b.Left() == 0)
        {
            break;
        }
        bool full = false;
        for (PermutationConfig& pc : PermutationConfigs(s.perm, b.Params().model))
        {
            if (!b.Budget())
            {
                full = true;
                break;
            }
            real += b.Add(std::move(pc.circuits), s.bytes);
            arcCapacity += static_cast<Wide>(s.bytes) * static_cast<Wide>(pc.arcs);
        }
        if (full)
        {
            break;
        }
    }
    Wide stuffed = arcCapacity - real;
    if (stuffed < 0)
    {
        stuffed = 0;
    }
    if (stuffed > static_cast<Wide>(std::numeric_limits<Bytes>::max()))
    {
        stuffed = std::numeric_limits<Bytes>::max();
    }
    b.SetStuffedBytes(static_cast<Bytes>(stuffed));
}

// ---------------------------------------------------------------------------------------------
// The algorithms

/** Greedy max-weight decomposition (seed paper). */
class GreedyDecomposer : public Decomposer
{
  public:
    std::string Name() const override
    {
        return "greedy";
    }

    Schedule Run(const DemandMatrix& demand, const DecompositionParams& params) override
    {
        ValidateInputs(demand, params);
        ScheduleBuilder b(demand, params, Name());
        GreedyLoop(b, params.durationPolicy, true);
        return Finish(b);
    }
};

/** Birkhoff-von Neumann decomposition after Sinkhorn or quick stuffing. */
class BvnDecomposer : public Decomposer
{
  public:
    std::string Name() const override
    {
        return "bvn";
    }

    Schedule Run(const DemandMatrix& demand, const DecompositionParams& params) override
    {
        ValidateInputs(demand, params);
        ScheduleBuilder b(demand, params, Name());
        if (demand.IsZero())
        {
            return Finish(b);
        }
        const std::size_t n = demand.Size();
        std::vector<StuffedSlot> slots;
        if (params.stuffing == StuffingMethod::SINKHORN)
        {
            SinkhornResult s = SinkhornStuff(demand, params.bvnTolerance);
            slots = CoveringSlots(demand, BirkhoffDecompose(s.matrix, n, params.bvnTolerance));
        }
        else
        {
            QuickStuffResult q = QuickStuff(demand);
            for (auto& t : BirkhoffDecompose(q.matrix, n))
            {
                slots.push_back({t.coefficient, std::move(t.perm)});
            }
        }
        // Largest slices first: with a budget K the K largest terms are kept.
        std::stable_sort(
            slots.begin(),
            slots.end(),
            [](const StuffedSlot& x, const StuffedSlot& y) { return x.bytes > y.bytes; });
        AppendStuffedSlots(b, slots);
        return Finish(b);
    }
};

/** Solstice: quick-stuff, then big slices by halving thresholds. */
class SolsticeDecomposer : public Decomposer
{
  public:
    std::string Name() const override
    {
        return "solstice";
    }

    Schedule Run(const DemandMatrix& demand, const DecompositionParams& params) override
    {
        ValidateInputs(demand, params);
        ScheduleBuilder b(demand, params, Name());
        if (demand.IsZero())
        {
            return Finish(b);
        }
        const std::size_t n = demand.Size();
        QuickStuffResult q = QuickStuff(demand);
        std::vector<Bytes>& m = q.matrix;
        Bytes maxEntry = *std::max_element(m.begin(), m.end());
        Bytes r = 1;
        while (r <= maxEntry / 2)
        {
            r *= 2;
        }
        Wide mass = static_cast<Wide>(q.lineSum) * static_cast<Wide>(n);
        DenseMatcher<Bytes> matcher(n);
        Wide arcCapacity = 0;
        Wide real = 0;
        bool full = false;
        while (mass > 0 && b.Left() > 0 && !full)
        {
            // Perfect matching among entries >= r; halve r until one exists (r = 1 always
            // succeeds: a matrix with equal line sums has one on its support).
            while (!matcher.Repair(m, r - 1))
            {
                if (r == 1)
                {
                    throw InputError("solstice: no perfect matching on the stuffed support "
                                     "(internal error)");
                }
                r /= 2;
            }
            const std::vector<int32_t>& mate = matcher.MateRow();
            Bytes t = matcher.MinEntry(m);
            std::vector<uint32_t> perm(n);
            for (std::size_t i = 0; i < n; ++i)
            {
                perm[i] = static_cast<uint32_t>(mate[i]);
                m[i * n + perm[i]] -= t;
            }
            mass -= static_cast<Wide>(t) * static_cast<Wide>(n);
            for (PermutationConfig& pc : PermutationConfigs(perm, params.model))
            {
                if (!b.Budget())
                {
                    full = true;
                    break;
                }
                real += b.Add(std::move(pc.circuits), t);
                arcCapacity += static_cast<Wide>(t) * static_cast<Wide>(pc.arcs);
            }
        }
        Wide stuffed = std::max(Wide{0}, arcCapacity - real);
        b.SetStuffedBytes(static_cast<Bytes>(
            std::min(stuffed, static_cast<Wide>(std::numeric_limits<Bytes>::max()))));
        return Finish(b);
    }
};

/** Eclipse-style greedy: the (matching, duration) with most bytes per (duration + delta). */
class EclipseDecomposer : public Decomposer
{
  public:
    std::string Name() const override
    {
        return "eclipse";
    }

    Schedule Run(const DemandMatrix& demand, const DecompositionParams& params) override
    {
        ValidateInputs(demand, params);
        ScheduleBuilder b(demand, params, Name());
        const std::size_t n = demand.Size();
        const bool duplex = params.model == CircuitModel::DUPLEX;
        std::vector<Bytes> values;
        std::vector<Bytes> candidates;
        while (b.Left() > 0 && b.Budget())
        {
            const DemandMatrix& rem = b.Remaining();
            values.clear();
            for (Bytes v : rem.Data())
            {
                if (v > 0)
                {
                    values.push_back(v);
                }
            }
            std::sort(values.begin(), values.end());
            values.erase(std::unique(values.begin(), values.end()), values.end());
            candidates.clear();
            if (values.size() <= kEclipseCandidates)
            {
                candidates = values;
            }
            else
            {
                for (std::size_t q = 1; q <= kEclipseCandidates; ++q)
                {
                    candidates.push_back(values[q * values.size() / kEclipseCandidates - 1]);
                }
            }
            std::vector<Circuit> best;
            Bytes bestT = 0;
            Bytes bestServed = 0;
            Ns bestTime = 0;
            for (Bytes t : candidates)
            {
                DemandMatrix clipped(n);
                for (std::size_t i = 0; i < n; ++i)
                {
                    for (std::size_t j = 0; j < n; ++j)
                    {
                        if (i != j && rem.At(i, j) > 0)
                        {
                            clipped.Set(i, j, std::min(rem.At(i, j), t));
                        }
                    }
                }
                std::vector<Circuit> circuits =
                    b.Matcher().Solve(clipped, params.model, params.matching);
                Bytes served = 0;
                for (const Circuit& c : circuits)
                {
                    served += clipped.At(c.src, c.dst);
                    if (duplex)
                    {
                        served += clipped.At(c.dst, c.src);
                    }
                }
                Ns time = TransmissionTimeNs(t, params.linkRateBps);
                if (served > 0 &&
                    (best.empty() ||
                     AtLeastAsGood(served, time, bestServed, bestTime, params.reconfigDelayNs)))
                {
                    best = std::move(circuits);
                    bestT = t;
                    bestServed = served;
                    bestTime = time;
                }
            }
            if (best.empty())
            {
                break;
            }
            b.Add(std::move(best), bestT);
        }
        return Finish(b);
    }
};

/** Demand-oblivious rotor: a fixed cycle of matchings with equal slots. */
class RotorDecomposer : public Decomposer
{
  public:
    std::string Name() const override
    {
        return "rotor";
    }

    Schedule Run(const DemandMatrix& demand, const DecompositionParams& params) override
    {
        ValidateInputs(demand, params);
        ScheduleBuilder b(demand, params, Name());
        if (demand.IsZero())
        {
            return Finish(b);
        }
        const std::size_t n = demand.Size();
        std::vector<std::vector<Circuit>> rounds;
        if (params.model == CircuitModel::UNIDIRECTIONAL)
        {
            for (std::size_t k = 1; k < n; ++k)
            {
                std::vector<Circuit> r;
                for (std::size_t i = 0; i < n; ++i)
                {
                    r.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>((i + k) % n)});
                }
                rounds.push_back(std::move(r));
            }
        }
        else
        {
            // Round-robin tournament, circle method: m players (a phantom one if n is odd,
            // whose partner idles), player m-1 fixed, the others rotating.
            const std::size_t m = n + (n % 2);
            for (std::size_t r = 0; r + 1 < m; ++r)
            {
                std::vector<Circuit> round;
                auto pair = [&](std::size_t u, std::size_t v) {
                    if (u < n && v < n)
                    {
                        round.push_back({static_cast<uint32_t>(std::min(u, v)),
                                         static_cast<uint32_t>(std::max(u, v))});
                    }
                };
                pair(m - 1, r);
                for (std::size_t k = 1; k < m / 2; ++k)
                {
                    pair((r + k) % (m - 1), (r + m - 1 - k) % (m - 1));
                }
                rounds.push_back(std::move(round));
            }
        }
        const Bytes maxEntry = demand.MaxEntry();
        const Bytes slot = params.rotorSlotBytes > 0 ? params.rotorSlotBytes : maxEntry;
        Wide cycles = (static_cast<Wide>(maxEntry) + slot - 1) / slot;
        Wide needed = cycles * static_cast<Wide>(rounds.size());
        if (params.maxMatchings > 0 && params.residualPolicy != ResidualPolicy::APPEND)
        {
            needed = std::min(needed, static_cast<Wide>(params.maxMatchings));
        }
        if (needed > kMaxRotorConfigurations)
        {
            throw InputError("rotorSlotBytes " + std::to_string(params.rotorSlotBytes) +
                             " is too small for the largest entry " + std::to_string(maxEntry) +
                             ": rotor would need more than " +
                             std::to_string(static_cast<int64_t>(kMaxRotorConfigurations)) +
                             " configurations");
        }
        for (std::size_t idx = 0; b.Left() > 0 && b.Budget(); ++idx)
        {
            b.Add(rounds[idx % rounds.size()], slot);
        }
        return Finish(b);
    }
};

/** A static topology: one max-weight matching held until its largest pair is served. */
class StaticDecomposer : public Decomposer
{
  public:
    std::string Name() const override
    {
        return "static";
    }

    Schedule Run(const DemandMatrix& demand, const DecompositionParams& params) override
    {
        ValidateInputs(demand, params);
        ScheduleBuilder b(demand, params, Name());
        if (!demand.IsZero())
        {
            std::vector<Circuit> circuits =
                b.Matcher().Solve(b.Remaining(), params.model, params.matching);
            if (!circuits.empty())
            {
                Bytes slot =
                    ChooseSlot(b.Remaining(), circuits, params, DurationPolicy::WHOLE_PAIR);
                b.Add(std::move(circuits), slot);
            }
        }
        return Finish(b);
    }
};

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
    DenseMatcher<T> matcher(n);
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

// ---------------------------------------------------------------------------------------------
// Stuffing and Birkhoff decomposition

SinkhornResult
SinkhornStuff(const DemandMatrix& d, double tolerance)
{
    const std::size_t n = d.Size();
    if (n < 2)
    {
        throw InputError("Sinkhorn stuffing needs N >= 2, got N = " + std::to_string(n));
    }
    if (!(tolerance > 0.0 && tolerance < 1.0))
    {
        throw InputError("Sinkhorn tolerance must be in (0, 1), got " + std::to_string(tolerance));
    }
    const double maxEntry = static_cast<double>(d.MaxEntry());
    std::vector<double> base(n * n, 0.0);
    bool zeroLine = maxEntry <= 0;
    for (std::size_t i = 0; i < n && !zeroLine; ++i)
    {
        zeroLine = d.RowSum(i) == 0 || d.ColSum(i) == 0;
    }
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            if (maxEntry > 0)
            {
                base[i * n + j] = static_cast<double>(d.At(i, j)) / maxEntry;
            }
        }
    }
    const double lineTol = tolerance / 10;
    std::vector<double> rowSum(n);
    std::vector<double> colSum(n);
    auto lineError = [&](const std::vector<double>& m) {
        std::fill(rowSum.begin(), rowSum.end(), 0.0);
        std::fill(colSum.begin(), colSum.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i)
        {
            for (std::size_t j = 0; j < n; ++j)
            {
                rowSum[i] += m[i * n + j];
                colSum[j] += m[i * n + j];
            }
        }
        double err = 0;
        for (std::size_t i = 0; i < n; ++i)
        {
            err = std::max({err, std::fabs(rowSum[i] - 1.0), std::fabs(colSum[i] - 1.0)});
        }
        return err;
    };
    auto run = [&](std::vector<double> m, std::size_t cap, SinkhornResult& res) {
        res.iterations = 0;
        for (std::size_t it = 1; it <= cap; ++it)
        {
            res.iterations = it;
            for (std::size_t i = 0; i < n; ++i)
            {
                double s = 0;
                for (std::size_t j = 0; j < n; ++j)
                {
                    s += m[i * n + j];
                }
                if (s > 0)
                {
                    for (std::size_t j = 0; j < n; ++j)
                    {
                        m[i * n + j] /= s;
                    }
                }
            }
            std::fill(colSum.begin(), colSum.end(), 0.0);
            for (std::size_t i = 0; i < n; ++i)
            {
                for (std::size_t j = 0; j < n; ++j)
                {
                    colSum[j] += m[i * n + j];
                }
            }
            double err = 0;
            for (std::size_t i = 0; i < n; ++i)
            {
                double s = 0;
                for (std::size_t j = 0; j < n; ++j)
                {
                    if (colSum[j] > 0)
                    {
                        m[i * n + j] /= colSum[j];
                    }
                    s += m[i * n + j];
                }
                err = std::max(err, std::fabs(s - 1.0));
            }
            if (err <= lineTol)
            {
                break;
            }
        }
        res.matrix = std::move(m);
        res.maxLineError = lineError(res.matrix);
    };
    SinkhornResult res;
    res.n = n;
    if (!zeroLine)
    {
        run(base, 5000, res);
        if (res.maxLineError <= lineTol)
        {
            return res;
        }
    }
    const double eps = 1e-6;
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            if (i != j)
            {
                base[i * n + j] += eps;
            }
        }
    }
    res.epsilonAdded = true;
    run(base, 20000, res);
    return res;
}

QuickStuffResult
QuickStuff(const DemandMatrix& d)
{
    const std::size_t n = d.Size();
    QuickStuffResult q;
    q.n = n;
    q.matrix = d.Data();
    q.lineSum = d.MaxLineSum();
    std::vector<Bytes> rowDef(n);
    std::vector<Bytes> colDef(n);
    for (std::size_t i = 0; i < n; ++i)
    {
        rowDef[i] = q.lineSum - d.RowSum(i);
        colDef[i] = q.lineSum - d.ColSum(i);
    }
    auto fill = [&](std::size_t i, std::size_t j) {
        Bytes add = std::min(rowDef[i], colDef[j]);
        if (add > 0)
        {
            q.matrix[i * n + j] += add;
            rowDef[i] -= add;
            colDef[j] -= add;
            if (i == j)
            {
                q.diagonalDummyBytes += add;
            }
            else
            {
                q.dummyBytes += add;
            }
        }
    };
    for (int pass = 0; pass < 2; ++pass)
    {
        for (std::size_t i = 0; i < n; ++i)
        {
            for (std::size_t j = 0; j < n; ++j)
            {
                if (i != j && (d.At(i, j) > 0) == (pass == 0))
                {
                    fill(i, j);
                }
            }
        }
    }
    for (std::size_t i = 0; i < n; ++i)
    {
        fill(i, i);
    }
    return q;
}

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

// ---------------------------------------------------------------------------------------------
// Factory and entry points

std::unique_ptr<Decomposer>
MakeDecomposer(const std::string& name)
{
    if (name == "greedy")
    {
        return std::make_unique<GreedyDecomposer>();
    }
    if (name == "bvn")
    {
        return std::make_unique<BvnDecomposer>();
    }
    if (name == "solstice")
    {
        return std::make_unique<SolsticeDecomposer>();
    }
    if (name == "eclipse")
    {
        return std::make_unique<EclipseDecomposer>();
    }
    if (name == "rotor")
    {
        return std::make_unique<RotorDecomposer>();
    }
    if (name == "static")
    {
        return std::make_unique<StaticDecomposer>();
    }
    throw InputError("unknown decomposition algorithm '" + name +
                     "' (expected greedy, bvn, solstice, eclipse, rotor or static)");
}

std::vector<std::string>
DecomposerNames()
{
    return {"greedy", "bvn", "solstice", "eclipse", "rotor", "static"};
}

Schedule
Decompose(const DemandMatrix& demand, const DecompositionParams& params)
{
    ValidateInputs(demand, params);
    return MakeDecomposer(params.algorithm)->Run(demand, params);
}

std::vector<DemandMatrix>
PlannedService(const DemandMatrix& demand, const Schedule& schedule, Bps linkRateBps)
{
    if (schedule.Ports() != demand.Size())
    {
        throw InputError("schedule has " + std::to_string(schedule.Ports()) +
                         " ports but the demand matrix has " + std::to_string(demand.Size()));
    }
    if (linkRateBps <= 0)
    {
        throw InputError("linkRateBps must be positive, got " + std::to_string(linkRateBps));
    }
    schedule.Validate();
    DemandMatrix rem = demand;
    std::vector<DemandMatrix> out;
    out.reserve(schedule.NumConfigurations());
    for (const Configuration& c : schedule.Configurations())
    {
        DemandMatrix served(demand.Size());
        ServeConfiguration(rem,
                           c.circuits,
                           schedule.Model(),
                           BytesInNs(c.durationNs, linkRateBps),
                           [&](uint32_t s, uint32_t t, Bytes x) {
                               if (x > 0)
                               {
                                   served.Set(s, t, x);
                               }
                           });
        out.push_back(std::move(served));
    }
    return out;
}

} // namespace pmoe
} // namespace ns3
