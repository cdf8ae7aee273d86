/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef OPTICAL_CIRCUIT_SWITCH_H
#define OPTICAL_CIRCUIT_SWITCH_H

#include "ocs-port-table.h"

#include "ns3/channel.h"
#include "ns3/event-id.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/pmoe-schedule-timeline.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

class NetDevice;
class OcsNetDevice;

/**
 * @ingroup photonic-moe
 * Counters of an OpticalCircuitSwitch.
 */
struct OcsSwitchCounters
{
    uint64_t reconfigurations{0}; //!< reconfigurations started (ApplyConfiguration, schedule steps)
    uint64_t circuitsLit{0};      //!< port transitions dark -> lit
    uint64_t circuitsDarkened{0}; //!< port transitions lit -> dark
    uint64_t framesDelivered{0};  //!< frames handed to a receiving port
    uint64_t framesTornDown{0};   //!< frames lost because their circuit went dark mid-frame
    uint64_t portFailures{0};     //!< port failure intervals started (FailPort)
    uint64_t failureDarkenings{0};    //!< lit circuits darkened by a port failure
    uint64_t lateReconfigurations{0}; //!< reconfigurations that took longer than delta (jitter)
    int64_t reconfigExtraDarkNs{0};   //!< total extra dark time beyond delta (jitter), ns
};

/**
 * @ingroup photonic-moe
 * An N-port optical circuit switch: the channel that the host port devices (OcsNetDevice)
 * attach to.
 *
 * **State.** Each port has a transmit circuit: a peer port (or none) and a flag saying
 * whether light passes now. Unidirectional model: circuit {i, j} carries port i's light to
 * port j. Duplex model: circuit {i, j} (i < j) carries both directions.
 *
 * **Reconfiguration.** ApplyConfiguration() and each step of RunSchedule() change the
 * configuration. The ports whose circuit changes (all-stop mode: every port) go dark at once;
 * the new circuits light up exactly ReconfigurationDelay (delta) later. In changed-only mode a
 * circuit that is lit and kept by the new configuration stays lit throughout. A port that was
 * still waiting for its light (delta not over) counts as changed.
 *
 * **Schedules.** RunSchedule(s, start, loop) runs the configurations of @p s back to back from
 * the absolute time @p start: step k begins at T_k with its reconfiguration (delta), its new
 * circuits carry light during [T_k + delta, T_k + delta + d_k), and
 * T_{k+1} = T_k + delta + d_k. As in the fluid evaluator (pmoe::EvaluateSchedule), all-stop
 * mode spends delta before every configuration, while changed-only mode skips the
 * reconfiguration (no delta, no trace) when a configuration equals the current one. Without
 * @p loop every port goes dark at the end of the last configuration; with it the schedule
 * repeats (configuration 0 follows the last). Because the schedule is known, every lit circuit
 * knows its teardown time (GetTeardownTime(): the start of the first reconfiguration that does
 * not keep it), which the devices' guard uses.
 *
 * **Loss.** A device starts a frame only on a lit circuit and reports its end with
 * TransmitEnd(); if the circuit went dark between the frame's start and its end (a dark
 * instant exactly at the end does not count) the frame is lost and the device drops it with
 * reason "circuit-torn-down". The teardown instant is taken at the transmitter. Otherwise the
 * frame arrives at the peer's device Delay after its end (ScheduleWithContext to the
 * receiver's node).
 *
 * **Faults.** FailPort(port, start, duration) takes a port's transceiver down for an
 * interval: every circuit from or to the port is dark while it is down (frames on such a
 * circuit when the failure starts are lost, "circuit-torn-down"), and circuits that the
 * configuration still holds light again when the interval ends. IsLit() reports the real,
 * failure-aware state; IsPortFailed() tells devices which ports are down (OcsNetDevice sends
 * their traffic over the EPS). ReconfigurationJitter makes a reconfiguration last delta plus a
 * uniform extra time in [0, jitter] (seeded, AssignStreams()); the schedule's clock does not
 * move, so a late reconfiguration shortens the lit period that follows. Both are counted
 * (OcsSwitchCounters) and traced (PortFailure, ReconfigurationLate).
 */
class OpticalCircuitSwitch : public Channel
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    OpticalCircuitSwitch();
    ~OpticalCircuitSwitch() override;

    OpticalCircuitSwitch(const OpticalCircuitSwitch&) = delete;
    OpticalCircuitSwitch& operator=(const OpticalCircuitSwitch&) = delete;

    // Channel
    /** @return the number of attached devices (ports) */
    std::size_t GetNDevices() const override;
    /**
     * @param i port index
     * @return the device attached at port i
     */
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

    /**
     * Attach a host port device (called by OcsNetDevice::Attach). The device's current MAC
     * address is entered in the switch's MAC-to-port table.
     * @param device the device
     * @return its port number (ports are numbered in attachment order from 0)
     * @throws pmoe::InputError if a configuration was already applied, or if the MAC address
     *         is already attached
     */
    uint32_t Attach(Ptr<OcsNetDevice> device);

    /** @return number of ports (attached devices) */
    uint32_t GetNPorts() const;

    /**
     * @param address a MAC address
     * @return the port of the device with that address, or -1 if none
     */
    int32_t GetPortOfAddress(Mac48Address address) const;

    /**
     * @param port a port
     * @return the device attached to @p port (null if out of range)
     */
    Ptr<OcsNetDevice> GetPortDevice(uint32_t port) const;

    /**
     * Change the configuration now: changed circuits go dark, and light up after delta. Stops
     * a running schedule (and cancels one that has not started yet). Teardown times of the
     * resulting circuits are unknown (Time::Max()).
     * @param circuits a matching valid for the port count and the circuit model
     * @throws pmoe::InputError naming the offending circuit otherwise
     */
    void ApplyConfiguration(const std::vector<pmoe::Circuit>& circuits);

    /**
     * Run a schedule from the absolute simulation time @p start (see the class description).
     * It replaces any schedule running at @p start; a schedule still waiting for its start is
     * cancelled.
     * @param schedule schedule with as many ports as the switch and the same circuit model
     * @param start absolute start time, >= now
     * @param loop repeat the schedule forever
     * @throws pmoe::InputError on a port-count or model mismatch, an invalid or empty
     *         schedule, a start in the past, or a looped schedule of zero length
     */
    void RunSchedule(const pmoe::Schedule& schedule, Time start, bool loop = false);

    /**
     * @param port a port
     * @return the peer its circuit transmits to (lit, or waiting for delta), or -1 if none
     */
    int32_t GetPeer(uint32_t port) const;

    /**
     * @param port a port
     * @return true if light passes from @p port to its peer now
     */
    bool IsLit(uint32_t port) const;

    /**
     * @param port a port
     * @return when the port's current circuit goes dark, if known from a schedule; Time::Max()
     *         if unknown (manual configuration), never, or the port has no circuit
     */
    Time GetTeardownTime(uint32_t port) const;

    /**
     * When does a circuit from @p port to @p peer next begin to carry light, after the current
     * one? Looks at the rest of the running schedule (wrapping around if it loops) and at a
     * schedule waiting for its start (which replaces the running one at its start). The
     * circuit that @p port has now (lit, or waiting for delta) does not count: see GetPeer().
     * A later step that keeps the current circuit without a reconfiguration (changed-only
     * mode) is part of the current circuit, not a new one. In the duplex model circuits are
     * symmetric, so (port, peer) and (peer, port) give the same answer.
     * @param port the transmitting port
     * @param peer the receiving port
     * @return the time the next such circuit lights (start of its step + delta), or
     *         Time::Max() if no known schedule has one (also after a manual configuration)
     */
    Time GetNextLitTime(uint32_t port, uint32_t peer) const;

    /**
     * @param port the transmitting port
     * @param peer the receiving port
     * @return true if GetNextLitTime(port, peer) is finite: the switch's schedules will light
     *         a circuit from @p port to @p peer after the current one
     */
    bool HasFutureCircuit(uint32_t port, uint32_t peer) const;

    /**
     * @param port a port
     * @return number of lit-to-dark transitions of @p port so far (used to detect teardown
     *         during a frame)
     */
    uint64_t GetEpoch(uint32_t port) const;

    /** @return propagation delay from transmitter to receiver */
    Time GetDelay() const;

    /** @return the reconfiguration delay delta */
    Time GetReconfigurationDelay() const;

    /** @return the circuit model */
    pmoe::CircuitModel GetCircuitModel() const;

    /**
     * @param model the circuit model (attribute CircuitModel)
     * @throws pmoe::InputError if a configuration with another model was applied
     */
    void SetCircuitModel(pmoe::CircuitModel model);

    /** @return the reconfiguration mode */
    pmoe::ReconfigMode GetReconfigMode() const;

    /** @return true if a schedule is running or waiting to start */
    bool IsScheduleActive() const;

    /** @return the counters */
    OcsSwitchCounters GetCounters() const;

    /**
     * Fail a port for an interval: its transceiver stops, so every circuit from or to it is
     * dark from @p start for @p duration (see the class description). Intervals of one port
     * may overlap; the port is up again when the last one ends.
     * @param port the port
     * @param start absolute start time, >= now
     * @param duration length of the failure, > 0
     * @throws pmoe::InputError naming the port, start or duration if invalid
     */
    void FailPort(uint32_t port, Time start, Time duration);

    /**
     * @param port a port
     * @return true if the port is failed now (FailPort)
     */
    bool IsPortFailed(uint32_t port) const;

    /**
     * Assign a fixed random variable stream to the reconfiguration jitter.
     * @param stream first stream index
     * @return number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * Called by a device when it finishes putting a frame on the wire.
     * @param frame the frame
     * @param srcPort the transmitting port
     * @param peer the peer the circuit reached when the frame started
     * @param startEpoch GetEpoch(srcPort) when the frame started
     * @return true if the frame was delivered (it arrives at the peer after Delay); false if
     *         the circuit went dark during the frame (the caller drops it)
     */
    bool TransmitEnd(Ptr<Packet> frame, uint32_t srcPort, uint32_t peer, uint64_t startEpoch);

    /**
     * TracedCallback signature for circuit state changes.
     * @param port the transmitting port
     * @param peer its peer (-1: no circuit)
     * @param lit true if light now passes, false if the port went dark
     */
    typedef void (*CircuitStateTracedCallback)(uint32_t port, int32_t peer, bool lit);

    /**
     * TracedCallback signature for reconfigurations.
     * @param configIndex index of the schedule configuration (-1: ApplyConfiguration)
     * @param darkPorts number of ports that went or stayed dark for delta
     */
    typedef void (*ReconfigurationTracedCallback)(int64_t configIndex, uint32_t darkPorts);

    /**
     * TracedCallback signature for port failures.
     * @param port the port
     * @param failed true when the failure starts, false when the port is up again
     */
    typedef void (*PortFailureTracedCallback)(uint32_t port, bool failed);

    /**
     * TracedCallback signature for late reconfigurations (jitter).
     * @param configIndex configuration index (-1: ApplyConfiguration)
     * @param extra dark time beyond delta
     */
    typedef void (*ReconfigurationLateTracedCallback)(int64_t configIndex, Time extra);

  protected:
    /** Release references to other objects (ns-3 object teardown). */
    void DoDispose() override;

  private:
    /** State of one port's transmit circuit. */
    struct PortState
    {
        int32_t peer{-1};           //!< peer port, -1 = none
        bool lit{false};            //!< light passes now
        bool pending{false};        //!< waiting for delta to light up
        Time teardown{Time::Max()}; //!< known teardown time (Max: unknown)
        uint64_t epoch{0};          //!< lit -> dark transitions so far
        Time lastDark{Seconds(-1)}; //!< time of the last lit -> dark transition
        uint64_t teardownGen{0};    //!< schedule generation that computed teardown
    };

    /**
     * Reconfigure to the peers in m_newPeer (darken, schedule lighting after delta).
     * @param configIndex configuration index for the traces (-1: manual)
     * @return number of ports that are dark during delta and will light up
     */
    uint32_t Reconfigure(int64_t configIndex);
    /** Light every pending port (end of delta). @param configIndex index for the trace */
    void LightPending(int64_t configIndex);
    /** Make a port dark. @param port the port */
    void Darken(uint32_t port);
    /** A failure of @p port starts. @param port the port */
    void PortFailureStart(uint32_t port);
    /** A failure of @p port ends. @param port the port */
    void PortFailureEnd(uint32_t port);
    /**
     * @param s a port's state
     * @param port its port
     * @return true if light passes: lit by the configuration, and neither end failed
     */
    bool EffectivelyLit(const PortState& s, uint32_t port) const;
    /** @param jitter maximum extra reconfiguration time, >= 0 @throws pmoe::InputError */
    void SetReconfigurationJitter(Time jitter);
    /** @return maximum extra reconfiguration time */
    Time GetReconfigurationJitter() const;
    /** Start the schedule stored in m_pending. */
    void StartPendingSchedule();
    /** Run a step of the running schedule. @param step step index (across loop cycles) */
    void Step(std::size_t step);
    /** End of a non-looped schedule: every port goes dark. */
    void EndSchedule();
    /** Cancel the running schedule's events (not a pending one). */
    void CancelRunning();
    /** Tell every attached device that circuit state changed (in its node's context). */
    void NotifyDevices();
    /**
     * Fill m_newPeer from @p circuits.
     * @param circuits circuits of a validated matching
     */
    void FillNewPeer(const std::vector<pmoe::Circuit>& circuits);

    /** @param delay propagation delay, >= 0 @throws pmoe::InputError if negative */
    void SetDelay(Time delay);
    /** @param delta reconfiguration delay, >= 0 @throws pmoe::InputError if negative */
    void SetReconfigurationDelay(Time delta);

    OcsPortTable m_attached;        //!< attached devices and the MAC-to-port table
    std::vector<PortState> m_ports; //!< state per port
    std::vector<int32_t> m_newPeer; //!< scratch: target peer per port

    Time m_delay;               //!< propagation delay
    Time m_delta;               //!< reconfiguration delay
    pmoe::CircuitModel m_model; //!< circuit model
    pmoe::ReconfigMode m_mode;  //!< reconfiguration mode
    bool m_configured{false};   //!< a configuration was applied

    pmoe::ScheduleTimeline m_running; //!< timeline of the running schedule
    pmoe::ScheduleTimeline m_pending; //!< timeline of the schedule waiting for its start
    bool m_hasRunning{false};         //!< m_running is active
    bool m_hasPending{false};         //!< m_pending is waiting
    uint64_t m_generation{0};         //!< incremented when a schedule starts
    std::size_t m_step{0};            //!< index of the running schedule's current step
    Time m_pendingStart;              //!< start time of the schedule waiting in m_pending
    EventId m_stepEvent;              //!< next step (or end) of the running schedule
    EventId m_startEvent;             //!< start of the pending schedule
    EventId m_lightEvent;             //!< end of the current delta

    OcsSwitchCounters m_counters; //!< counters

    std::vector<uint32_t> m_failures;       //!< failure intervals in progress per port
    Time m_jitter;                          //!< maximum extra reconfiguration time
    Ptr<UniformRandomVariable> m_jitterRng; //!< draws the extra time
    std::vector<EventId> m_faultEvents;     //!< failure starts and ends

    TracedCallback<uint32_t, int32_t, bool> m_circuitStateTrace;   //!< CircuitState
    TracedCallback<int64_t, uint32_t> m_reconfigurationStartTrace; //!< ReconfigurationStart
    TracedCallback<int64_t, uint32_t> m_reconfigurationEndTrace;   //!< ReconfigurationEnd
    TracedCallback<uint32_t, bool> m_portFailureTrace;             //!< PortFailure
    TracedCallback<int64_t, Time> m_reconfigurationLateTrace;      //!< ReconfigurationLate
};

} // namespace ns3

#endif /* OPTICAL_CIRCUIT_SWITCH_H */
