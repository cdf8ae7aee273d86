/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "optical-circuit-switch.h"

#include "ocs-net-device.h"

#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/photonic-moe-enum-value.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <algorithm>
#include <sstream>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("OpticalCircuitSwitch");

NS_OBJECT_ENSURE_REGISTERED(OpticalCircuitSwitch);

namespace
{

/**
 * @param t a time
 * @return it as text in ns
 */
std::string
TimeText(Time t)
{
    std::ostringstream os;
    os << t.As(Time::NS);
    return os.str();
}

} // namespace

TypeId
OpticalCircuitSwitch::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::OpticalCircuitSwitch")
            .SetParent<Channel>()
            .SetGroupName("PhotonicMoe")
            .AddConstructor<OpticalCircuitSwitch>()
            .AddAttribute(
                "Delay",
                "Propagation delay from a transmitting host port to the receiving "
                "host port, through the switch (>= 0). Default: 50 ns, about 10 m of "
                "fibre in total.",
                TimeValue(NanoSeconds(50)),
                MakeTimeAccessor(&OpticalCircuitSwitch::SetDelay, &OpticalCircuitSwitch::GetDelay),
                MakeTimeChecker())
            .AddAttribute("ReconfigurationDelay",
                          "Reconfiguration delay delta (>= 0): a changed circuit is dark for "
                          "this long before it carries light. Default 10 us (fast OCS).",
                          TimeValue(MicroSeconds(10)),
                          MakeTimeAccessor(&OpticalCircuitSwitch::SetReconfigurationDelay,
                                           &OpticalCircuitSwitch::GetReconfigurationDelay),
                          MakeTimeChecker())
            .AddAttribute(
                "CircuitModel",
                "Circuit model: unidirectional (port i transmits to sigma(i)) or "
                "duplex (a circuit joins two ports both ways). Fixed once a "
                "configuration was applied.",
                MakePmoeEnumValue(pmoe::CircuitModel::UNIDIRECTIONAL),
                MakePmoeEnumAccessor<pmoe::CircuitModel>(&OpticalCircuitSwitch::SetCircuitModel,
                                                         &OpticalCircuitSwitch::GetCircuitModel),
                MakePmoeEnumChecker<pmoe::CircuitModel>())
            .AddAttribute("ReconfigurationMode",
                          "What goes dark when the configuration changes: all-stop (every "
                          "port) or changed-only (kept circuits stay lit).",
                          MakePmoeEnumValue(pmoe::ReconfigMode::ALL_STOP),
                          MakePmoeEnumAccessor(&OpticalCircuitSwitch::m_mode),
                          MakePmoeEnumChecker<pmoe::ReconfigMode>())
            .AddTraceSource("CircuitState",
                            "A port's transmit circuit went dark or lit (port, peer, lit).",
                            MakeTraceSourceAccessor(&OpticalCircuitSwitch::m_circuitStateTrace),
                            "ns3::OpticalCircuitSwitch::CircuitStateTracedCallback")
            .AddTraceSource(
                "ReconfigurationStart",
                "A reconfiguration started (configuration index or -1, ports waiting for delta).",
                MakeTraceSourceAccessor(&OpticalCircuitSwitch::m_reconfigurationStartTrace),
                "ns3::OpticalCircuitSwitch::ReconfigurationTracedCallback")
            .AddTraceSource(
                "ReconfigurationEnd",
                "Delta is over and the new circuits are lit (configuration index or -1, ports "
                "lit).",
                MakeTraceSourceAccessor(&OpticalCircuitSwitch::m_reconfigurationEndTrace),
                "ns3::OpticalCircuitSwitch::ReconfigurationTracedCallback")
            .AddAttribute("ReconfigurationJitter",
                          "Fault injection: a reconfiguration takes delta plus a uniform extra "
                          "time in [0, this] (>= 0; 0 = off). Seeded (AssignStreams). The "
                          "schedule's clock does not move: a late reconfiguration shortens the "
                          "lit period after it.",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&OpticalCircuitSwitch::SetReconfigurationJitter,
                                           &OpticalCircuitSwitch::GetReconfigurationJitter),
                          MakeTimeChecker())
            .AddTraceSource("PortFailure",
                            "A port failure started (true) or ended (false) (port, failed).",
                            MakeTraceSourceAccessor(&OpticalCircuitSwitch::m_portFailureTrace),
                            "ns3::OpticalCircuitSwitch::PortFailureTracedCallback")
            .AddTraceSource(
                "ReconfigurationLate",
                "A reconfiguration took longer than delta (configuration index or -1, extra "
                "dark time).",
                MakeTraceSourceAccessor(&OpticalCircuitSwitch::m_reconfigurationLateTrace),
                "ns3::OpticalCircuitSwitch::ReconfigurationLateTracedCallback");
    return tid;
}

OpticalCircuitSwitch::OpticalCircuitSwitch()
    : m_delay(NanoSeconds(50)),
      m_delta(MicroSeconds(10)),
      m_model(pmoe::CircuitModel::UNIDIRECTIONAL),
      m_mode(pmoe::ReconfigMode::ALL_STOP),
      m_jitter(Time(0)),
      m_jitterRng(CreateObject<UniformRandomVariable>())
{
    NS_LOG_FUNCTION(this);
}

OpticalCircuitSwitch::~OpticalCircuitSwitch()
{
    NS_LOG_FUNCTION(this);
}

void
OpticalCircuitSwitch::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_stepEvent.Cancel();
    m_startEvent.Cancel();
    m_lightEvent.Cancel();
    for (auto& ev : m_faultEvents)
    {
        ev.Cancel();
    }
    m_faultEvents.clear();
    m_jitterRng = nullptr;
    m_attached.Clear();
    Channel::DoDispose();
}

std::size_t
OpticalCircuitSwitch::GetNDevices() const
{
    return m_attached.Size();
}

Ptr<NetDevice>
OpticalCircuitSwitch::GetDevice(std::size_t i) const
{
    return m_attached.Get(i);
}

uint32_t
OpticalCircuitSwitch::Attach(Ptr<OcsNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    if (m_configured)
    {
        throw pmoe::InputError("OpticalCircuitSwitch::Attach: attach every device before the "
                               "first configuration is applied");
    }
    const uint32_t port = m_attached.Add(device, "OpticalCircuitSwitch::Attach");
    m_ports.emplace_back();
    m_newPeer.push_back(-1);
    m_failures.push_back(0);
    return port;
}

uint32_t
OpticalCircuitSwitch::GetNPorts() const
{
    return static_cast<uint32_t>(m_attached.Size());
}

int32_t
OpticalCircuitSwitch::GetPortOfAddress(Mac48Address address) const
{
    return m_attached.PortOf(address);
}

Ptr<OcsNetDevice>
OpticalCircuitSwitch::GetPortDevice(uint32_t port) const
{
    return m_attached.Get(port);
}

void
OpticalCircuitSwitch::FillNewPeer(const std::vector<pmoe::Circuit>& circuits)
{
    std::fill(m_newPeer.begin(), m_newPeer.end(), -1);
    for (const auto& c : circuits)
    {
        m_newPeer[c.src] = static_cast<int32_t>(c.dst);
        if (m_model == pmoe::CircuitModel::DUPLEX)
        {
            m_newPeer[c.dst] = static_cast<int32_t>(c.src);
        }
    }
}

void
OpticalCircuitSwitch::ApplyConfiguration(const std::vector<pmoe::Circuit>& circuits)
{
    NS_LOG_FUNCTION(this << circuits.size());
    std::string err = pmoe::CheckMatching(circuits, m_attached.Size(), m_model);
    if (!err.empty())
    {
        throw pmoe::InputError("OpticalCircuitSwitch::ApplyConfiguration: " + err + " (" +
                               pmoe::ToString(m_model) + " switch with " +
                               std::to_string(m_attached.Size()) + " ports)");
    }
    CancelRunning();
    m_startEvent.Cancel();
    m_hasPending = false;
    FillNewPeer(circuits);
    Reconfigure(-1);
    for (auto& s : m_ports)
    {
        s.teardown = Time::Max();
        s.teardownGen = 0;
    }
    NotifyDevices();
}

uint32_t
OpticalCircuitSwitch::Reconfigure(int64_t configIndex)
{
    ++m_counters.reconfigurations;
    m_configured = true;
    uint32_t waiting = 0;
    for (uint32_t p = 0; p < m_ports.size(); ++p)
    {
        PortState& s = m_ports[p];
        int32_t np = m_newPeer[p];
        bool kept = m_mode == pmoe::ReconfigMode::CHANGED_ONLY && s.lit && np >= 0 && s.peer == np;
        if (kept)
        {
            continue;
        }
        if (s.lit)
        {
            Darken(p);
        }
        s.peer = np;
        s.pending = np >= 0;
        s.teardown = Time::Max();
        s.teardownGen = 0;
        if (s.pending)
        {
            ++waiting;
        }
    }
    NS_LOG_LOGIC("reconfiguration " << configIndex << ": " << waiting << " ports wait for delta");
    m_reconfigurationStartTrace(configIndex, waiting);
    Time extra(0);
    if (m_jitter.IsStrictlyPositive() && waiting > 0)
    {
        extra = NanoSeconds(static_cast<int64_t>(
            m_jitterRng->GetValue(0, static_cast<double>(m_jitter.GetNanoSeconds()) + 1)));
        extra = std::min(extra, m_jitter);
        if (extra.IsStrictlyPositive())
        {
            ++m_counters.lateReconfigurations;
            m_counters.reconfigExtraDarkNs += extra.GetNanoSeconds();
            m_reconfigurationLateTrace(configIndex, extra);
        }
    }
    m_lightEvent.Cancel();
    m_lightEvent = Simulator::Schedule(m_delta + extra,
                                       &OpticalCircuitSwitch::LightPending,
                                       this,
                                       configIndex);
    return waiting;
}

void
OpticalCircuitSwitch::Darken(uint32_t port)
{
    PortState& s = m_ports[port];
    // A lit circuit of a failed port was already reported dark (at the failure start, or it
    // was never reported lit): the trace reports transitions of what carries light.
    const bool reported = !s.lit || EffectivelyLit(s, port);
    s.lit = false;
    ++s.epoch;
    s.lastDark = Simulator::Now();
    ++m_counters.circuitsDarkened;
    if (reported)
    {
        m_circuitStateTrace(port, s.peer, false);
    }
}

bool
OpticalCircuitSwitch::EffectivelyLit(const PortState& s, uint32_t port) const
{
    return s.lit && m_failures[port] == 0 && (s.peer < 0 || m_failures[s.peer] == 0);
}

void
OpticalCircuitSwitch::FailPort(uint32_t port, Time start, Time duration)
{
    NS_LOG_FUNCTION(this << port << start << duration);
    if (port >= m_ports.size())
    {
        throw pmoe::InputError("OpticalCircuitSwitch::FailPort: port " + std::to_string(port) +
                               " does not exist (the switch has " + std::to_string(m_ports.size()) +
                               " ports)");
    }
    if (start < Simulator::Now())
    {
        throw pmoe::InputError("OpticalCircuitSwitch::FailPort: start " + TimeText(start) +
                               " is before now (" + TimeText(Simulator::Now()) + ")");
    }
    if (!duration.IsStrictlyPositive())
    {
        throw pmoe::InputError("OpticalCircuitSwitch::FailPort: duration must be > 0, got " +
                               TimeText(duration));
    }
    m_faultEvents.push_back(Simulator::Schedule(start - Simulator::Now(),
                                                &OpticalCircuitSwitch::PortFailureStart,
                                                this,
                                                port));
    m_faultEvents.push_back(Simulator::Schedule(start + duration - Simulator::Now(),
                                                &OpticalCircuitSwitch::PortFailureEnd,
                                                this,
                                                port));
}

bool
OpticalCircuitSwitch::IsPortFailed(uint32_t port) const
{
    return port < m_failures.size() && m_failures[port] > 0;
}

void
OpticalCircuitSwitch::PortFailureStart(uint32_t port)
{
    NS_LOG_FUNCTION(this << port);
    ++m_counters.portFailures;
    // Circuits from or to the port that carry light now go dark (frames on them are lost).
    for (uint32_t p = 0; p < m_ports.size(); ++p)
    {
        PortState& s = m_ports[p];
        if ((p == port || s.peer == static_cast<int32_t>(port)) && EffectivelyLit(s, p))
        {
            ++s.epoch;
            s.lastDark = Simulator::Now();
            ++m_counters.failureDarkenings;
            m_circuitStateTrace(p, s.peer, false);
        }
    }
    ++m_failures[port];
    m_portFailureTrace(port, true);
    NotifyDevices();
}

void
OpticalCircuitSwitch::PortFailureEnd(uint32_t port)
{
    NS_LOG_FUNCTION(this << port);
    if (m_failures[port] == 0)
    {
        return;
    }
    if (--m_failures[port] > 0)
    {
        return;
    }
    for (uint32_t p = 0; p < m_ports.size(); ++p)
    {
        const PortState& s = m_ports[p];
        if ((p == port || s.peer == static_cast<int32_t>(port)) && EffectivelyLit(s, p))
        {
            m_circuitStateTrace(p, s.peer, true);
        }
    }
    m_portFailureTrace(port, false);
    NotifyDevices();
}

int64_t
OpticalCircuitSwitch::AssignStreams(int64_t stream)
{
    m_jitterRng->SetStream(stream);
    return 1;
}

void
OpticalCircuitSwitch::SetReconfigurationJitter(Time jitter)
{
    if (jitter.IsStrictlyNegative())
    {
        throw pmoe::InputError("OpticalCircuitSwitch::ReconfigurationJitter must be >= 0, got " +
                               TimeText(jitter));
    }
    m_jitter = jitter;
}

Time
OpticalCircuitSwitch::GetReconfigurationJitter() const
{
    return m_jitter;
}

void
OpticalCircuitSwitch::LightPending(int64_t configIndex)
{
    NS_LOG_FUNCTION(this << configIndex);
    uint32_t lit = 0;
    for (uint32_t p = 0; p < m_ports.size(); ++p)
    {
        PortState& s = m_ports[p];
        if (!s.pending)
        {
            continue;
        }
        s.pending = false;
        s.lit = true;
        ++lit;
        ++m_counters.circuitsLit;
        if (EffectivelyLit(s, p))
        {
            // A circuit of a failed port is reported lit when the failure ends.
            m_circuitStateTrace(p, s.peer, true);
        }
    }
    m_reconfigurationEndTrace(configIndex, lit);
    NotifyDevices();
}

void
OpticalCircuitSwitch::RunSchedule(const pmoe::Schedule& schedule, Time start, bool loop)
{
    NS_LOG_FUNCTION(this << schedule.NumConfigurations() << start << loop);
    if (schedule.Ports() != m_attached.Size())
    {
        throw pmoe::InputError("OpticalCircuitSwitch::RunSchedule: the schedule has " +
                               std::to_string(schedule.Ports()) + " ports but the switch has " +
                               std::to_string(m_attached.Size()) + " attached devices");
    }
    if (schedule.Model() != m_model)
    {
        throw pmoe::InputError("OpticalCircuitSwitch::RunSchedule: the schedule is " +
                               pmoe::ToString(schedule.Model()) + " but the switch is " +
                               pmoe::ToString(m_model));
    }
    if (schedule.NumConfigurations() == 0)
    {
        throw pmoe::InputError("OpticalCircuitSwitch::RunSchedule: empty schedule");
    }
    try
    {
        schedule.Validate();
    }
    catch (const pmoe::InputError& e)
    {
        throw pmoe::InputError(std::string("OpticalCircuitSwitch::RunSchedule: ") + e.what());
    }
    if (start < Simulator::Now())
    {
        throw pmoe::InputError("OpticalCircuitSwitch::RunSchedule: start " + TimeText(start) +
                               " is before now (" + TimeText(Simulator::Now()) + ")");
    }
    pmoe::ScheduleTimeline timeline;
    try
    {
        // Provisional: the steps as seen before the start, from dark ports (the real
        // timeline starts from the switch's circuits at the start; StartPendingSchedule).
        timeline = pmoe::ScheduleTimeline(schedule,
                                          m_delta.GetNanoSeconds(),
                                          m_mode,
                                          start.GetNanoSeconds(),
                                          loop);
    }
    catch (const pmoe::InputError& e)
    {
        throw pmoe::InputError(std::string("OpticalCircuitSwitch::RunSchedule: ") + e.what());
    }
    m_startEvent.Cancel();
    m_pending = std::move(timeline);
    m_hasPending = true;
    m_pendingStart = start;
    m_startEvent = Simulator::Schedule(start - Simulator::Now(),
                                       &OpticalCircuitSwitch::StartPendingSchedule,
                                       this);
}

void
OpticalCircuitSwitch::StartPendingSchedule()
{
    NS_LOG_FUNCTION(this);
    CancelRunning();
    m_running = std::move(m_pending);
    m_pending = pmoe::ScheduleTimeline();
    m_hasPending = false;
    // The real timeline: from the circuits lit now (a port still waiting for its light counts
    // as changed, so its first step reconfigures).
    std::vector<int32_t> now(m_ports.size(), -1);
    for (uint32_t p = 0; p < m_ports.size(); ++p)
    {
        now[p] = m_ports[p].pending ? -1 : m_ports[p].peer;
    }
    m_running.Restart(Simulator::Now().GetNanoSeconds(), now);
    m_hasRunning = true;
    ++m_generation;
    Step(0);
}

void
OpticalCircuitSwitch::CancelRunning()
{
    m_stepEvent.Cancel();
    m_hasRunning = false;
}

void
OpticalCircuitSwitch::Step(std::size_t step)
{
    NS_LOG_FUNCTION(this << step);
    const pmoe::StepTiming t = m_running.Step(step);
    const std::size_t n = m_attached.Size();
    for (uint32_t p = 0; p < n; ++p)
    {
        m_newPeer[p] = m_running.Peer(step, p);
    }
    // The timeline decides (all-stop: delta before every step; changed-only: only when the
    // circuits change); the step times never move.
    if (t.reconfigures)
    {
        Reconfigure(static_cast<int64_t>(t.config));
    }
    m_step = step;
    for (uint32_t p = 0; p < n; ++p)
    {
        PortState& s = m_ports[p];
        if (s.peer < 0)
        {
            s.teardown = Time::Max();
            continue;
        }
        // A kept circuit keeps the teardown computed earlier in the same schedule.
        if (s.pending || s.teardownGen != m_generation)
        {
            const pmoe::Ns teardown = m_running.TeardownNs(step, p);
            s.teardown = teardown == pmoe::kNeverNs ? Time::Max() : NanoSeconds(teardown);
            s.teardownGen = m_generation;
        }
    }
    const Time end = NanoSeconds(t.endNs);
    if (step + 1 < m_running.Steps())
    {
        m_stepEvent = Simulator::Schedule(end - Simulator::Now(),
                                          &OpticalCircuitSwitch::Step,
                                          this,
                                          step + 1);
    }
    else
    {
        m_stepEvent =
            Simulator::Schedule(end - Simulator::Now(), &OpticalCircuitSwitch::EndSchedule, this);
    }
    NotifyDevices();
}

void
OpticalCircuitSwitch::EndSchedule()
{
    NS_LOG_FUNCTION(this);
    m_hasRunning = false;
    m_lightEvent.Cancel();
    for (uint32_t p = 0; p < m_ports.size(); ++p)
    {
        PortState& s = m_ports[p];
        if (s.lit)
        {
            Darken(p);
        }
        s.pending = false;
        s.peer = -1;
        s.teardown = Time::Max();
        s.teardownGen = 0;
    }
    NotifyDevices();
}

void
OpticalCircuitSwitch::NotifyDevices()
{
    for (const auto& dev : m_attached.Devices())
    {
        Ptr<Node> node = dev->GetNode();
        if (node)
        {
            Simulator::ScheduleWithContext(node->GetId(),
                                           Seconds(0),
                                           &OcsNetDevice::CircuitChanged,
                                           dev);
        }
        else
        {
            Simulator::ScheduleNow(&OcsNetDevice::CircuitChanged, dev);
        }
    }
}

int32_t
OpticalCircuitSwitch::GetPeer(uint32_t port) const
{
    return port < m_ports.size() ? m_ports[port].peer : -1;
}

bool
OpticalCircuitSwitch::IsLit(uint32_t port) const
{
    return port < m_ports.size() && EffectivelyLit(m_ports[port], port);
}

Time
OpticalCircuitSwitch::GetTeardownTime(uint32_t port) const
{
    return port < m_ports.size() ? m_ports[port].teardown : Time::Max();
}

Time
OpticalCircuitSwitch::GetNextLitTime(uint32_t port, uint32_t peer) const
{
    const std::size_t n = m_attached.Size();
    if (port >= n || peer >= n)
    {
        return Time::Max();
    }
    // Steps of the running schedule after the current one, until the pending schedule (if
    // any) replaces it; then the pending schedule from its start.
    pmoe::Ns lit = pmoe::kNeverNs;
    if (m_hasRunning)
    {
        lit = m_running.NextLitNs(m_step,
                                  port,
                                  peer,
                                  m_hasPending ? m_pendingStart.GetNanoSeconds() : pmoe::kNeverNs);
    }
    if (lit == pmoe::kNeverNs && m_hasPending)
    {
        lit = m_pending.FirstLitNs(port, peer);
    }
    return lit == pmoe::kNeverNs ? Time::Max() : NanoSeconds(lit);
}

bool
OpticalCircuitSwitch::HasFutureCircuit(uint32_t port, uint32_t peer) const
{
    return GetNextLitTime(port, peer) != Time::Max();
}

uint64_t
OpticalCircuitSwitch::GetEpoch(uint32_t port) const
{
    return port < m_ports.size() ? m_ports[port].epoch : 0;
}

bool
OpticalCircuitSwitch::TransmitEnd(Ptr<Packet> frame,
                                  uint32_t srcPort,
                                  uint32_t peer,
                                  uint64_t startEpoch)
{
    const PortState& s = m_ports[srcPort];
    // Dark for a single instant exactly at the frame's end does not hurt the frame.
    bool intact =
        s.epoch == startEpoch || (s.epoch == startEpoch + 1 && s.lastDark == Simulator::Now());
    if (!intact || peer >= m_attached.Size())
    {
        NS_LOG_LOGIC("frame from port " << srcPort << " to " << peer << " lost: circuit dark");
        ++m_counters.framesTornDown;
        return false;
    }
    ++m_counters.framesDelivered;
    Ptr<OcsNetDevice> dst = m_attached.Get(peer);
    Ptr<Node> node = dst->GetNode();
    if (node)
    {
        Simulator::ScheduleWithContext(node->GetId(), m_delay, &OcsNetDevice::Receive, dst, frame);
    }
    else
    {
        Simulator::Schedule(m_delay, &OcsNetDevice::Receive, dst, frame);
    }
    return true;
}

Time
OpticalCircuitSwitch::GetDelay() const
{
    return m_delay;
}

Time
OpticalCircuitSwitch::GetReconfigurationDelay() const
{
    return m_delta;
}

pmoe::CircuitModel
OpticalCircuitSwitch::GetCircuitModel() const
{
    return m_model;
}

pmoe::ReconfigMode
OpticalCircuitSwitch::GetReconfigMode() const
{
    return m_mode;
}

bool
OpticalCircuitSwitch::IsScheduleActive() const
{
    return m_hasRunning || m_hasPending;
}

OcsSwitchCounters
OpticalCircuitSwitch::GetCounters() const
{
    return m_counters;
}

void
OpticalCircuitSwitch::SetCircuitModel(pmoe::CircuitModel model)
{
    if (m_configured && model != m_model)
    {
        throw pmoe::InputError("OpticalCircuitSwitch::CircuitModel: cannot change to '" +
                               pmoe::ToString(model) + "' after a configuration was applied");
    }
    m_model = model;
}

void
OpticalCircuitSwitch::SetDelay(Time delay)
{
    if (delay.IsStrictlyNegative())
    {
        throw pmoe::InputError("OpticalCircuitSwitch::Delay must be >= 0, got " + TimeText(delay));
    }
    m_delay = delay;
}

void
OpticalCircuitSwitch::SetReconfigurationDelay(Time delta)
{
    if (delta.IsStrictlyNegative())
    {
        throw pmoe::InputError("OpticalCircuitSwitch::ReconfigurationDelay must be >= 0, got " +
                               TimeText(delta));
    }
    m_delta = delta;
}

} // namespace ns3
