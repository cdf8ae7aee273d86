/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef OCS_PORT_TABLE_H
#define OCS_PORT_TABLE_H

#include "ns3/mac48-address.h"
#include "ns3/ptr.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

class OcsNetDevice;

/**
 * @ingroup photonic-moe
 * The ports of a switch channel: the attached host port devices in attach order (port i is
 * the i-th device) and the MAC-address-to-port table. Shared by OpticalCircuitSwitch and
 * ElectricalPacketSwitch.
 */
class OcsPortTable
{
  public:
    /**
     * Attach a device as the next port.
     * @param device the device; its address must be a Mac48Address not attached yet
     * @param who the caller, for error messages (e.g. "OpticalCircuitSwitch::Attach")
     * @return the device's port
     * @throws pmoe::InputError on a null device or an address already attached
     */
    uint32_t Add(Ptr<OcsNetDevice> device, const std::string& who);

    /**
     * @param address a MAC address
     * @return the port of the device with that address, or -1
     */
    int32_t PortOf(Mac48Address address) const;

    /**
     * @param port a port
     * @return its device, or null beyond the last port
     */
    Ptr<OcsNetDevice> Get(std::size_t port) const;

    /** @return the number of ports */
    std::size_t Size() const;

    /** @return the devices in port order */
    const std::vector<Ptr<OcsNetDevice>>& Devices() const;

    /** Forget every device (DoDispose). */
    void Clear();

  private:
    std::vector<Ptr<OcsNetDevice>> m_devices;     //!< device per port
    std::map<Mac48Address, uint32_t> m_portOfMac; //!< MAC-to-port table
};

} // namespace ns3

#endif // OCS_PORT_TABLE_H
