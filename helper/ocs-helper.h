/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef OCS_HELPER_H
#define OCS_HELPER_H

#include "ns3/attribute.h"
#include "ns3/data-rate.h"
#include "ns3/electrical-packet-switch.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/ocs-net-device.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/trace-helper.h"

#include <cstdint>
#include <string>
#include <utility>

namespace ns3
{

/**
 * @ingroup photonic-moe
 * Builds an optical circuit switch with one OcsNetDevice per node, and optionally an
 * electrical packet-switched fabric (EPS) that every device also attaches to.
 *
 * Typical use:
 * @code
 *   OcsHelper ocs;
 *   ocs.SetDeviceAttribute("DataRate", DataRateValue(DataRate("400Gbps")));
 *   ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(MicroSeconds(10)));
 *   ocs.EnableEps(DataRate("100Gbps"), NanoSeconds(50), "control"); // optional
 *   NetDeviceContainer devices = ocs.Install(hosts);
 *   InternetStackHelper().Install(hosts);
 *   Ipv4AddressHelper ip("10.0.0.0", "255.255.255.0");
 *   ip.Assign(devices);
 *   OcsHelper::PopulateArpCaches(devices); // no ARP broadcasts over circuits
 *   ocs.GetSwitch()->RunSchedule(schedule, Seconds(0), true);
 * @endcode
 */
class OcsHelper : public PcapHelperForDevice, public AsciiTraceHelperForDevice
{
  public:
    OcsHelper();
    ~OcsHelper() override = default;

    /**
     * Set an attribute of the devices created by Install().
     * @param name attribute name
     * @param value attribute value
     */
    void SetDeviceAttribute(std::string name, const AttributeValue& value);

    /**
     * Set an attribute of the switch created by Install().
     * @param name attribute name
     * @param value attribute value
     */
    void SetChannelAttribute(std::string name, const AttributeValue& value);

    /**
     * Set an attribute of the electrical switch created by Install() (if enabled).
     * @param name attribute name
     * @param value attribute value
     */
    void SetEpsAttribute(std::string name, const AttributeValue& value);

    /** Create an electrical fabric in Install() with the attributes set so far. */
    void EnableEps();

    /**
     * Create an electrical fabric in Install().
     * @param rate per-port data rate of the fabric
     * @param delay propagation delay of each host-switch link
     * @param policy device EpsPolicy: "none", "control", "no-circuit", "all" or
     *        "no-future-circuit"
     * @throws pmoe::InputError if @p policy is unknown
     */
    void EnableEps(DataRate rate, Time delay, const std::string& policy);

    /**
     * RED-like ECN marking at the EPS egress ports (ElectricalPacketSwitch::EcnMarking):
     * marks the RDMA header's CE (DCQCN) and IPv4 CE (DCTCP) of ECN-capable frames.
     * @param kmin bytes at or below which nothing is marked
     * @param kmax bytes above which everything ECN-capable is marked (>= kmin)
     * @param pmax marking probability at kmax, in [0, 1]
     * @throws pmoe::InputError on a bad value (kmin > kmax: at Install())
     */
    void EnableEpsEcn(uint64_t kmin, uint64_t kmax, double pmax);

    /**
     * Priority flow control on the EPS (ElectricalPacketSwitch::PfcEnabled): a lossless
     * electrical fabric.
     * @param xoff bytes an ingress port may hold before its host is paused
     * @param xon bytes at or below which a paused host resumes (<= xoff)
     * @param headroom bytes beyond xoff before a frame is dropped (0: automatic)
     * @throws pmoe::InputError if xon > xoff (at Install())
     */
    void EnableEpsPfc(uint64_t xoff, uint64_t xon, uint64_t headroom = 0);

    /**
     * Give every device created by Install() its own EPS policy (OcsNetDevice::EpsPolicy).
     * @param type TypeId name of an OcsEpsPolicy subclass, e.g.
     *        "ns3::OcsNoFutureCircuitEpsPolicy"
     * @param args name and AttributeValue pairs for the policy's attributes
     * @throws pmoe::InputError if @p type is not an OcsEpsPolicy
     */
    template <typename... Args>
    void SetEpsPolicy(const std::string& type, Args&&... args)
    {
        DoSetEpsPolicy(type);
        m_epsPolicyFactory.Set(std::forward<Args>(args)...);
    }

    /**
     * Create a switch (and an EPS if enabled) and one device per node, with fresh MAC
     * addresses, attached in node order (node i gets port i).
     * @param nodes the hosts
     * @return the devices, in node order
     * @throws pmoe::InputError on bad attribute values, or an EpsPolicy other than "none"
     *         without EnableEps()
     */
    NetDeviceContainer Install(const NodeContainer& nodes);

    /** @return the switch created by the last Install() */
    Ptr<OpticalCircuitSwitch> GetSwitch() const;

    /** @return the electrical switch created by the last Install() (null if none) */
    Ptr<ElectricalPacketSwitch> GetEps() const;

    /**
     * Fill the ARP caches statically, so that no ARP request is ever broadcast over the
     * circuits (an OCS port reaches one peer at a time, so a broadcast cannot reach every
     * host). For every device in @p devices with an IPv4 interface, every IPv4 address of
     * every other device in @p devices that lies in the same subnet as one of the
     * interface's addresses gets a permanent entry (that device's MAC address) in the
     * interface's ARP cache. Existing entries for those addresses are overwritten.
     *
     * Call it after the IPv4 addresses are assigned. It does what ns-3's
     * NeighborCacheHelper (ns-3.37 and later) does for these devices, but uses only APIs that
     * also exist in waf-era ns-3 (3.35), and marks the entries permanent rather than
     * auto-generated. Devices without an IPv4 stack or interface are skipped.
     * @param devices the devices returned by Install() (all attached to one switch)
     * @return the number of ARP entries written
     */
    static uint32_t PopulateArpCaches(const NetDeviceContainer& devices);

    /**
     * Assign fixed random variable streams to the switches the devices are attached to (the
     * reconfiguration jitter, OpticalCircuitSwitch::ReconfigurationJitter), then to their
     * electrical switches (ECN marking draws, only where EcnMarking is on); the devices draw
     * no random numbers.
     * @param devices the devices
     * @param stream first stream index
     * @return the number of streams used (one per circuit switch, plus one per electrical
     *         switch with ECN marking)
     */
    int64_t AssignStreams(NetDeviceContainer devices, int64_t stream);

  private:
    /**
     * @param type TypeId name of an OcsEpsPolicy subclass
     * @throws pmoe::InputError otherwise
     */
    void DoSetEpsPolicy(const std::string& type);

    void EnablePcapInternal(std::string prefix,
                            Ptr<NetDevice> nd,
                            bool promiscuous,
                            bool explicitFilename) override;

    void EnableAsciiInternal(Ptr<OutputStreamWrapper> stream,
                             std::string prefix,
                             Ptr<NetDevice> nd,
                             bool explicitFilename) override;

    ObjectFactory m_deviceFactory;      //!< OcsNetDevice factory
    ObjectFactory m_channelFactory;     //!< OpticalCircuitSwitch factory
    ObjectFactory m_epsFactory;         //!< ElectricalPacketSwitch factory
    ObjectFactory m_epsPolicyFactory;   //!< OcsEpsPolicy factory (unset: none)
    bool m_epsEnabled{false};           //!< create an EPS
    Ptr<OpticalCircuitSwitch> m_switch; //!< last switch created
    Ptr<ElectricalPacketSwitch> m_eps;  //!< last EPS created
};

} // namespace ns3

#endif /* OCS_HELPER_H */
