/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef OCS_EPS_POLICY_H
#define OCS_EPS_POLICY_H

#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <string>

namespace ns3
{

class OcsNetDevice;

/**
 * @ingroup photonic-moe
 * Which packets an OcsNetDevice sends over the electrical packet switch (EPS) instead of
 * its circuit VOQs: the device asks its policy (attribute OcsNetDevice::EpsPolicy) for every
 * packet from the upper layer, and, when the switch reports a circuit change, whether frames
 * stranded in a VOQ move to the EPS.
 *
 * A policy is stateless: it reads the device (its switch, port, guard and rate) and the
 * packet. The built-in policies are the subclasses below; a new one subclasses this class,
 * registers a TypeId and is installed with OcsHelper::SetEpsPolicy().
 *
 * The device applies two rules of its own on top of any policy that AllowsEps(): packets
 * whose path has a failed port go to the EPS, and, with OcsNetDevice::VoqOverflowToEps, so
 * does a packet that does not fit in its VOQ.
 */
class OcsEpsPolicy : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    ~OcsEpsPolicy() override;

    /**
     * @param device the device asking (attached to a switch and to an EPS)
     * @param packet the packet from the upper layer (without the Ethernet header)
     * @param port its destination port on the switch (not the device's own)
     * @return true to send it over the EPS
     */
    virtual bool UseEps(const OcsNetDevice& device,
                        Ptr<const Packet> packet,
                        uint32_t port) const = 0;

    /**
     * @return true if frames waiting in a VOQ whose destination has no circuit now and none
     *         later in the switch's schedules move to the EPS (on a circuit change, or when
     *         the guard holds the head frame of the current peer's VOQ)
     */
    virtual bool MovesStrandedFrames() const;

    /**
     * @return false if no packet may cross the EPS: port failures and VOQ overflow then
     *         leave packets in their VOQs
     */
    virtual bool AllowsEps() const;

    /** @return the policy's short name (as on the command line of the examples) */
    virtual std::string GetName() const = 0;
};

/**
 * @ingroup photonic-moe
 * "none": everything waits for a circuit.
 */
class OcsNoEpsPolicy : public OcsEpsPolicy
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    /** @copydoc OcsEpsPolicy::UseEps */
    bool UseEps(const OcsNetDevice& device, Ptr<const Packet> packet, uint32_t port) const override;
    /** @return false */
    bool AllowsEps() const override;
    /** @return "none" */
    std::string GetName() const override;
};

/**
 * @ingroup photonic-moe
 * "control": control packets (at most OcsNetDevice::EpsControlMaxBytes: TCP pure ACKs, SYN,
 * FIN) cross the EPS; data waits for its circuit.
 */
class OcsControlEpsPolicy : public OcsEpsPolicy
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    /** @copydoc OcsEpsPolicy::UseEps */
    bool UseEps(const OcsNetDevice& device, Ptr<const Packet> packet, uint32_t port) const override;
    /** @return "control" */
    std::string GetName() const override;
};

/**
 * @ingroup photonic-moe
 * "no-circuit": control packets, and any packet whose destination is not the lit peer of
 * this port right now.
 */
class OcsNoCircuitEpsPolicy : public OcsEpsPolicy
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    /** @copydoc OcsEpsPolicy::UseEps */
    bool UseEps(const OcsNetDevice& device, Ptr<const Packet> packet, uint32_t port) const override;
    /** @return "no-circuit" */
    std::string GetName() const override;
};

/**
 * @ingroup photonic-moe
 * "all": everything crosses the EPS (the non-blocking electrical baseline when the EPS runs
 * at the circuit rate).
 */
class OcsAllEpsPolicy : public OcsEpsPolicy
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    /** @copydoc OcsEpsPolicy::UseEps */
    bool UseEps(const OcsNetDevice& device, Ptr<const Packet> packet, uint32_t port) const override;
    /** @return "all" */
    std::string GetName() const override;
};

/**
 * @ingroup photonic-moe
 * "no-future-circuit": control packets, and packets whose destination has no circuit now
 * (lit or waiting for delta) and none later in the switch's schedules
 * (OpticalCircuitSwitch::HasFutureCircuit); a packet to the current peer goes to the EPS too
 * when the guard would hold it at the end of this circuit and no later circuit comes. Frames
 * stranded in a VOQ move to the EPS (MovesStrandedFrames).
 */
class OcsNoFutureCircuitEpsPolicy : public OcsEpsPolicy
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    /** @copydoc OcsEpsPolicy::UseEps */
    bool UseEps(const OcsNetDevice& device, Ptr<const Packet> packet, uint32_t port) const override;
    /** @return true */
    bool MovesStrandedFrames() const override;
    /** @return "no-future-circuit" */
    std::string GetName() const override;
};

/**
 * @param name a built-in policy's short name: none, control, no-circuit, all or
 *        no-future-circuit
 * @return its TypeId name, e.g. "ns3::OcsNoFutureCircuitEpsPolicy"
 * @throws pmoe::InputError naming @p name otherwise
 */
std::string OcsEpsPolicyTypeName(const std::string& name);

} // namespace ns3

#endif /* OCS_EPS_POLICY_H */
