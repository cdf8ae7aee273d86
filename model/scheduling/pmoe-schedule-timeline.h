/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_SCHEDULE_TIMELINE_H
#define PMOE_SCHEDULE_TIMELINE_H

/**
 * @file
 * @ingroup photonic-moe
 * When each configuration of a schedule is dark and when each of its circuits carries light:
 * the one place where reconfiguration timing is defined. The fluid evaluator, the switch, the
 * circuit scheduler application, the hosts' plans and the timeline output all read it.
 */

#include "pmoe-enum-names.h"
#include "pmoe-schedule.h"
#include "pmoe-units.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * What goes dark when the switch reconfigures.
 */
enum class ReconfigMode
{
    ALL_STOP,    //!< every port is dark for delta before each configuration
    CHANGED_ONLY //!< circuits kept by the next configuration stay lit through delta
};

/**
 * @ingroup photonic-moe
 * Names of ReconfigMode: all-stop, changed-only.
 */
template <>
struct EnumTable<ReconfigMode>
{
    static constexpr const char* kNoun = "reconfiguration mode"; //!< for messages
    static constexpr bool kIgnoreCase = false;                   //!< names match exactly
    /** The names. */
    static constexpr EnumName<ReconfigMode> kNames[] = {
        {ReconfigMode::ALL_STOP, "all-stop"},
        {ReconfigMode::CHANGED_ONLY, "changed-only"},
    };
};

/// A time that never comes (no teardown, no later circuit).
constexpr Ns kNeverNs = std::numeric_limits<Ns>::max();

/**
 * @ingroup photonic-moe
 * Timing of one step (one configuration held once) of a schedule.
 */
struct StepTiming
{
    Ns startNs{0};            //!< T_k: the step begins (its reconfiguration, if any, starts)
    bool reconfigures{false}; //!< it spends delta (all-stop: always; changed-only: if it differs)
    Ns litStartNs{0};      //!< its new circuits light: T_k + delta, or T_k without reconfiguration
    Ns endNs{0};           //!< its lit period ends: litStartNs + d_k = T_{k+1}
    std::size_t config{0}; //!< index of its configuration in the schedule
};

/**
 * @ingroup photonic-moe
 * The timeline of a schedule run from a start time: the single definition of "configuration k
 * is dark for delta, then lit for d_k".
 *
 * Step k begins at T_k (T_0 = start). If it reconfigures, the ports whose circuit changes
 * (all-stop: every port) are dark during [T_k, T_k + delta) and its circuits light at
 * T_k + delta; otherwise (changed-only mode, same circuits as the previous step) it lights
 * at T_k. It ends at T_{k+1} = lit start + d_k. All-stop mode reconfigures before every step;
 * changed-only mode only when the circuits differ from the previous step's, and a circuit that
 * both steps have stays lit through the reconfiguration (kept). The first step compares with
 * the circuits lit before the schedule starts (none by default).
 *
 * A looped schedule repeats forever: step s is configuration s mod K, and from the second
 * cycle on the first configuration compares with the last. Steps are indexed 0, 1, 2, ...
 * across cycles; a step's timing is computed in O(1).
 *
 * Per port, the timeline answers when the port's circuit in a step starts carrying light
 * (CircuitLitFromNs: the step start for a kept circuit, the lit start otherwise), when it is
 * torn down (TeardownNs: the start of the first later step that changes it), and when a
 * circuit to a given peer next lights (NextLitNs).
 */
class ScheduleTimeline
{
  public:
    /** An empty timeline (no step). */
    ScheduleTimeline() = default;

    /**
     * @param schedule the schedule (validated by the caller)
     * @param deltaNs reconfiguration delay, >= 0
     * @param mode reconfiguration mode
     * @param startNs when the first step begins
     * @param loop the schedule repeats forever
     * @param initialPeers peer of every port lit before the schedule starts (-1: none); empty:
     *        every port dark
     * @throws InputError on a negative delta, a looped schedule of zero length, a span beyond
     *         2^62 ns, or initial peers of the wrong size
     */
    ScheduleTimeline(const Schedule& schedule,
                     Ns deltaNs,
                     ReconfigMode mode,
                     Ns startNs = 0,
                     bool loop = false,
                     const std::vector<int32_t>& initialPeers = {});

    /**
     * The same schedule started again: at @p startNs, from the circuits @p initialPeers.
     * @param startNs when the first step begins
     * @param initialPeers peer of every port lit before the start (-1: none); empty: all dark
     * @throws InputError as the constructor
     */
    void Restart(Ns startNs, const std::vector<int32_t>& initialPeers = {});

    /** @return number of ports */
    std::size_t Ports() const
    {
        return m_ports;
    }

    /** @return number of configurations of the schedule (steps of one cycle) */
    std::size_t Configurations() const
    {
        return m_configs;
    }

    /** @return true if the schedule repeats forever */
    bool Loops() const
    {
        return m_loop;
    }

    /** @return the number of steps (kNeverNs-like: SIZE_MAX when looped) */
    std::size_t Steps() const
    {
        return m_loop ? std::numeric_limits<std::size_t>::max() : m_configs;
    }

    /**
     * @param step a step index (< Steps())
     * @return its timing
     */
    StepTiming Step(std::size_t step) const;

    /** @return end of the last step (kNeverNs when looped; the start when empty) */
    Ns EndNs() const;

    /** @return reconfigurations of one pass through a non-looped schedule */
    std::size_t Reconfigurations() const;

    /**
     * @param step a step
     * @param port a port
     * @return the peer its circuit reaches in that step (duplex: both ends), -1 if none
     */
    int32_t Peer(std::size_t step, uint32_t port) const;

    /**
     * @param step a step
     * @param port a port
     * @return true if the port's circuit in @p step was lit in the step before and stays lit
     *         through its reconfiguration (changed-only mode)
     */
    bool IsKept(std::size_t step, uint32_t port) const;

    /**
     * @param step a step
     * @param port a port with a circuit in @p step
     * @return from when that circuit carries light for the step's traffic: the step start if
     *         kept, its lit start otherwise
     */
    Ns CircuitLitFromNs(std::size_t step, uint32_t port) const;

    /**
     * @param step a step
     * @param port a port with a circuit in @p step
     * @return when that circuit goes dark: the start of the first later step that changes it
     *         (all-stop: every step), the end of the schedule, or kNeverNs (kept forever by a
     *         looped schedule)
     */
    Ns TeardownNs(std::size_t step, uint32_t port) const;

    /**
     * The next time a circuit from @p port to @p peer starts carrying light after step
     * @p afterStep (a later step that has it and does not keep it from the step before).
     * @param afterStep a step (its own circuit does not count)
     * @param port transmitting port
     * @param peer receiving port
     * @param untilNs only steps that begin before this time count
     * @return its lit start, or kNeverNs
     */
    Ns NextLitNs(std::size_t afterStep, uint32_t port, uint32_t peer, Ns untilNs = kNeverNs) const;

    /**
     * As NextLitNs() for a timeline that has not started: the first step that lights a circuit
     * from @p port to @p peer (a circuit lit before the start and kept does not count).
     * @param port transmitting port
     * @param peer receiving port
     * @return its lit start, or kNeverNs
     */
    Ns FirstLitNs(uint32_t port, uint32_t peer) const;

  private:
    /** Compute the step times from the peers, durations, start and initial peers. */
    void ComputeTimes();

    /**
     * @param step a step
     * @return the configuration of the step before it (-1: the initial state)
     */
    int64_t PreviousConfig(std::size_t step) const;

    std::size_t m_ports{0};
    std::size_t m_configs{0};
    bool m_loop{false};
    ReconfigMode m_mode{ReconfigMode::ALL_STOP};
    Ns m_delta{0};
    std::vector<int32_t> m_peer;      //!< peer[k * ports + p] of configuration k
    std::vector<int32_t> m_initial;   //!< peers before the start (size ports; -1: dark)
    std::vector<Ns> m_duration;       //!< d_k
    std::vector<Ns> m_first;          //!< T_k of the first cycle, relative to the start
    std::vector<Ns> m_steady;         //!< T_k of a later cycle, relative to that cycle
    std::vector<char> m_reconfFirst;  //!< step k of the first cycle reconfigures
    std::vector<char> m_reconfSteady; //!< configuration k reconfigures in later cycles
    Ns m_start{0};                    //!< T_0
    Ns m_firstCycle{0};               //!< length of the first cycle
    Ns m_cycle{0};                    //!< length of every later cycle
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_SCHEDULE_TIMELINE_H */
