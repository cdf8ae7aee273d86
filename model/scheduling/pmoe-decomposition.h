/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_DECOMPOSITION_H
#define PMOE_DECOMPOSITION_H

#include "pmoe-demand-matrix.h"
#include "pmoe-matching.h"
#include "pmoe-schedule.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**

 * @ingroup photonic-moe

 * How long a greedy matching is held.

 */
enum class DurationPolicy
{
    WHOLE_PAIR, //!< until its largest matched pair is fully served (one batch per pair)
    MIN_ENTRY,  //!< until its smallest matched pair is served (BvN-like)
    DELTA_AWARE //!< the duration maximising bytes served per (duration + delta) (Eclipse)
};

/**

 * @ingroup photonic-moe

 * What happens to demand left when the matching budget K is spent.

 */
enum class ResidualPolicy
{
    EPS,    //!< leave it for the electrical fabric; reported in Schedule::residual
    APPEND, //!< append matchings beyond K until everything is served
    RELAY   //!< relay over two hops through spare capacity of circuits in the schedule;
            //!< what cannot be relayed is left for the electrical fabric
};

/**

 * @ingroup photonic-moe

 * How BvN and Solstice stuff a matrix to equal line sums.

 */
enum class StuffingMethod
{
    SINKHORN, //!< Sinkhorn-Knopp scaling to doubly stochastic, as in TMS (Mordia)
    QUICK     //!< Solstice's quick-stuff: add dummy demand up to the largest line sum
};

/**

 * @ingroup photonic-moe

 * Parameters of a decomposition.

 */
struct DecompositionParams
{
    std::string algorithm{"greedy"}; //!< greedy | bvn | solstice | eclipse | rotor | static
    CircuitModel model{CircuitModel::UNIDIRECTIONAL};          //!< circuit model
    std::size_t maxMatchings{0};                               //!< K; 0 = unbounded
    DurationPolicy durationPolicy{DurationPolicy::WHOLE_PAIR}; //!< greedy duration policy
    ResidualPolicy residualPolicy{ResidualPolicy::EPS};        //!< residual policy
    MatchingAlgorithm matching{MatchingAlgorithm::EXACT};      //!< exact or greedy matching
    StuffingMethod stuffing{StuffingMethod::SINKHORN};         //!< BvN stuffing
    double bvnTolerance{1e-6};     //!< BvN stops when the remaining mass < tolerance x total
    Ns reconfigDelayNs{10000};     //!< delta, used by delta-aware choices (eclipse)
    Bps linkRateBps{400000000000}; //!< circuit rate, converts bytes to durations
    Bytes rotorSlotBytes{0};       //!< rotor slot in bytes; 0 = the largest entry (one cycle)
};

/** @param p policy @return its name */
std::string ToString(DurationPolicy p);
/** @param p policy @return its name */
std::string ToString(ResidualPolicy p);
/** @param p method @return its name */
std::string ToString(StuffingMethod p);
/** @param s name @return the policy @throws InputError naming @p s */
DurationPolicy DurationPolicyFromString(const std::string& s);
/** @param s name @return the policy @throws InputError naming @p s */
ResidualPolicy ResidualPolicyFromString(const std::string& s);
/** @param s name @return the method @throws InputError naming @p s */
StuffingMethod StuffingMethodFromString(const std::string& s);

/**
 * @ingroup photonic-moe
 * A decomposition algorithm: turns a demand matrix into a Schedule. Subclasses are small;
 * MakeDecomposer() selects one by name.
 *
 * @section pmoe-decomp-common Common rules
 * Everything is in bytes. A configuration holds its circuits for a slot of b bytes per circuit
 * direction: durationNs = TransmissionTimeNs(b, rate), and what it can carry is
 * BytesInNs(durationNs, rate) >= b. Every algorithm serves the remaining direct demand with one
 * rule (each circuit direction carries min(remaining, capacity); a duplex circuit carries both
 * directions, each at full rate), the same rule PlannedService() applies, so for every pair
 * planned direct bytes + relayed bytes + Schedule::residual == demand, exactly.
 * Configuration::plannedBytes = direct bytes it serves + relay hop bytes it carries (a relayed
 * byte counts in both of its configurations); the fluid evaluator (all-stop) reproduces it.
 * The budget K = DecompositionParams::maxMatchings counts configurations. Residual policies
 * once K is spent: EPS leaves the rest in Schedule::residual; APPEND ignores K (the algorithm
 * keeps going; demand still left - BvN tolerance crumbs, static - is served by greedy
 * whole-pair matchings) and, if the schedule exceeds K, appends "+append" to
 * Schedule::algorithm; RELAY routes the rest over two hops through spare capacity (see below)
 * and leaves what does not fit in the residual. An all-zero demand gives an empty schedule.
 *
 * @section pmoe-decomp-greedy greedy (seed paper)
 * Repeat (up to K): M = maximum-weight matching of the remaining demand (duplex: pair weight
 * D(i,j) + D(j,i)); hold it per DurationPolicy. A circuit's need is its larger direction.
 * WHOLE_PAIR: the largest need (every matched pair is served completely in this matching);
 * MIN_ENTRY: the smallest need; DELTA_AWARE: among the matched directional entries t, the one
 * maximising sum(min(entry, t)) / (t_ns + delta), ties to the larger t. Matcher workspaces
 * are reused between iterations.
 *
 * @section pmoe-decomp-bvn bvn (Birkhoff-von Neumann)
 * SINKHORN (TMS-style): SinkhornStuff(), BirkhoffDecompose() with bottleneck matchings, then
 * slot_k = c_k x s + e_k: one scale s for all terms plus per-term extensions so that every
 * pair covered by some term is served completely, with s minimising the total slot time (see
 * the .cc; the textbook s = max D/S lets one tiny entry of S inflate every slot). QUICK
 * (Solstice's stuffing): QuickStuff(), exact integer BirkhoffDecompose(), slot = coefficient.
 * Terms are scheduled in decreasing slot order (with K > 0 the K largest are kept) and
 * scheduling stops once the real demand is served (later terms would carry only dummy
 * demand). Schedule::stuffedBytes = slot bytes reserved for the permutation arcs of the
 * scheduled configurations minus the real demand those configurations carry (>= 0): the
 * dummy demand the schedule carries. The circuit capacity left unused by real demand in
 * general (bubbles) is what the fluid evaluator reports. Duplex: each permutation is realised
 * with duplex circuits - a 2-cycle i <-> j by one circuit, a longer cycle by colouring its
 * edges (two configurations, three for an odd cycle) - all with the term's slot.
 *
 * @section pmoe-decomp-solstice solstice
 * QuickStuff(), then with r = the largest power of two <= the largest stuffed entry: while a
 * perfect matching on the stuffed entries >= r exists, take it (warm-started augmenting
 * paths, deterministic) with slot = its smallest stuffed entry (>= r) and subtract; otherwise
 * halve r. Stops when the stuffed matrix or the real demand is exhausted, or at K.
 * stuffedBytes as for bvn.
 *
 * @section pmoe-decomp-eclipse eclipse
 * Repeat (up to K): candidate slots t = the distinct remaining entries, or 32 quantiles of
 * them when there are more than 32 (speed); for each, M_t = maximum-weight matching of
 * min(remaining, t) and value = sum over M_t of min(entry, t) / (t_ns + delta); take the best
 * (ties to the larger t). With delta = 0 this favours many short slots.
 *
 * @section pmoe-decomp-rotor rotor
 * Demand-oblivious: unidirectional shifts sigma_k(i) = (i + k) mod N, k = 1..N-1; duplex:
 * round-robin tournament rounds (circle method; N odd: one port idles per round, N rounds).
 * Equal slots of rotorSlotBytes (0: the largest entry, so one cycle serves everything),
 * cycling until all is served or K. A slot needing more than 10^6 configurations is rejected.
 *
 * @section pmoe-decomp-static static
 * One maximum-weight matching held until its largest pair is served; K is ignored.
 *
 * @section pmoe-decomp-relay Residual policy RELAY
 * Pairs by decreasing remaining bytes (ties by (src, dst)); for each, first hops src -> k in
 * configuration a (ascending) and second hops k -> dst in a later configuration b
 * (ascending), each flow taking min(remaining, spare of both circuit directions), where spare
 * = capacity - planned load; durations are never extended.
 */
class Decomposer
{
  public:
    virtual ~Decomposer() = default;

    /** @return the algorithm's name as used on the command line */
    virtual std::string Name() const = 0;

    /**
     * Decompose @p demand.
     * @param demand the demand (validated)
     * @param params parameters (validated by Decompose())
     * @return the schedule, with residual, stuffed bytes and relays filled in; for every pair
     *         the bytes planned on circuits (direct and relayed) plus the residual equal the
     *         demand exactly
     */
    virtual Schedule Run(const DemandMatrix& demand, const DecompositionParams& params) = 0;
};

/**
 * @param name greedy | bvn | solstice | eclipse | rotor | static
 * @return a new decomposer
 * @throws InputError naming @p name if unknown
 */
std::unique_ptr<Decomposer> MakeDecomposer(const std::string& name);

/** @return names of every algorithm MakeDecomposer() knows */
std::vector<std::string> DecomposerNames();

/**
 * Validate @p params and @p demand, then run the named algorithm.
 * @param demand demand matrix (N >= 2)
 * @param params parameters
 * @return the schedule
 * @throws InputError naming the offending value
 */
Schedule Decompose(const DemandMatrix& demand, const DecompositionParams& params);

/**
 * Bytes each configuration of @p schedule delivers to each pair when its circuits serve the
 * demand in order (direct traffic only), as planned by the decomposition.
 * Used by tests and by the packet-level scheduler to tell hosts what to send in each phase.
 * @param demand the demand
 * @param schedule the schedule
 * @param linkRateBps circuit rate
 * @return per configuration, an N x N matrix of bytes served
 */
std::vector<DemandMatrix> PlannedService(const DemandMatrix& demand,
                                         const Schedule& schedule,
                                         Bps linkRateBps);

/**
 * @ingroup photonic-moe
 * A matrix scaled to (approximately) doubly stochastic form by Sinkhorn-Knopp, as TMS (Mordia)
 * stuffs demand before its Birkhoff-von Neumann decomposition. See SinkhornStuff().
 */
struct SinkhornResult
{
    std::size_t n{0};           //!< ports
    std::vector<double> matrix; //!< row-major n x n, zero diagonal, every line sum close to 1
    bool epsilonAdded{false};   //!< whether a small epsilon was added to all off-diagonal
                                //!< entries (zero line, or a support without total support)
    std::size_t iterations{0};  //!< row+column normalisation rounds of the accepted run
    double maxLineError{0};     //!< max over rows and columns of |line sum - 1|
};

/**
 * Sinkhorn-Knopp scaling: the off-diagonal demand (divided by its largest entry) is scaled
 * by alternate row and column normalisation until every line sum is within
 * tolerance / 10 of 1, or 5,000 rounds. Sinkhorn converges to a doubly stochastic matrix
 * with the same zero pattern only if the support has total support (every nonzero lies on a
 * perfect matching of the support). If a row or column is zero, or the first run does not
 * converge within the cap (the symptom of a support without total support), a small
 * epsilon (1e-6 of the largest entry) is added to every off-diagonal entry and the scaling
 * is rerun (up to 20,000 rounds): the result is then fully indecomposable (N >= 3) and
 * Sinkhorn converges; pairs without demand get (small or, for an idle port, large) stuffed
 * capacity. An all-zero demand gives the uniform matrix 1 / (N - 1) off the diagonal.
 * @param d demand (N >= 2)
 * @param tolerance target accuracy, in (0, 1)
 * @return the scaled matrix
 */
SinkhornResult SinkhornStuff(const DemandMatrix& d, double tolerance);

/**
 * @ingroup photonic-moe
 * A demand matrix stuffed with integer dummy demand to equal line sums (Solstice's
 * quick-stuff). See QuickStuff().
 */
struct QuickStuffResult
{
    std::size_t n{0};            //!< ports
    std::vector<Bytes> matrix;   //!< row-major n x n; every row and column sums to lineSum;
                                 //!< the diagonal may hold dummy demand (that port idles)
    Bytes lineSum{0};            //!< rho of the demand
    Bytes dummyBytes{0};         //!< off-diagonal dummy bytes added
    Bytes diagonalDummyBytes{0}; //!< dummy bytes put on the diagonal
};

/**
 * Solstice's quick-stuff: raise every line sum to rho (the largest line sum) with integer
 * dummy demand, visiting entries in row-major order and adding min(row deficit, column
 * deficit): first to entries that already carry demand (the support does not grow), then to
 * zero off-diagonal entries, and last to the diagonal. The diagonal is needed only when one
 * port is left with both a row and a column deficit that no off-diagonal entry can absorb
 * (e.g. an idle port while every other line is full); a diagonal entry in a permutation
 * means that port has no circuit in that configuration.
 * @param d demand
 * @return the stuffed matrix
 */
QuickStuffResult QuickStuff(const DemandMatrix& d);

/**
 * @ingroup photonic-moe
 * One term of a Birkhoff-von Neumann decomposition: coefficient x permutation matrix.
 */
template <typename T>
struct BirkhoffTerm
{
    T coefficient{};            //!< weight of the permutation
    std::vector<uint32_t> perm; //!< perm[i] = j; perm[i] == i means port i idles
};

/**
 * Birkhoff-von Neumann decomposition of a nonnegative matrix with (nearly) equal line sums.
 * Each term takes a bottleneck perfect matching on the support of the remaining matrix (the
 * perfect matching whose smallest entry is largest; found by warm-started augmenting paths
 * and raising the threshold until no perfect matching survives), subtracts its smallest
 * entry, and zeroes entries below 1e-13 of the largest line sum. It stops when the remaining
 * mass is below @p tolerance x the initial mass, when no perfect matching remains on the
 * support (rounding), or after N^2 - 2N + 2 terms. The diagonal is allowed (port idle).
 * @param m row-major n x n matrix
 * @param n size
 * @param tolerance relative mass left undecomposed, in (0, 1)
 * @return the terms in the order found (coefficients non-increasing in practice)
 */
std::vector<BirkhoffTerm<double>> BirkhoffDecompose(const std::vector<double>& m,
                                                    std::size_t n,
                                                    double tolerance);

/**
 * Exact integer Birkhoff-von Neumann decomposition (same bottleneck choice as the double
 * version); the matrix must have equal line sums (e.g. QuickStuff()).
 * @param m row-major n x n matrix with equal line sums
 * @param n size
 * @return terms whose weighted sum is exactly @p m
 * @throws InputError if the line sums are not equal
 */
std::vector<BirkhoffTerm<Bytes>> BirkhoffDecompose(const std::vector<Bytes>& m, std::size_t n);

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_DECOMPOSITION_H */
