/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ocs-port-table.h"

#include "ocs-net-device.h"

#include "ns3/pmoe-units.h"

#include <sstream>

namespace ns3
{

uint32_t
OcsPortTable::Add(Ptr<OcsNetDevice> device, const std::string& who)
{
    if (!device)
    {
        throw pmoe::InputError(who + ": null device");
    }
    const Mac48Address mac = Mac48Address::ConvertFrom(device->GetAddress());
    if (m_portOfMac.count(mac))
    {
        std::ostringstream os;
        os << who << ": MAC address " << mac << " is already attached";
        throw pmoe::InputError(os.str());
    }
    const auto port = static_cast<uint32_t>(m_devices.size());
    m_devices.push_back(device);
    m_portOfMac[mac] = port;
    return port;
}

int32_t
OcsPortTable::PortOf(Mac48Address address) const
{
    auto it = m_portOfMac.find(address);
    return it == m_portOfMac.end() ? -1 : static_cast<int32_t>(it->second);
}

Ptr<OcsNetDevice>
OcsPortTable::Get(std::size_t port) const
{
    return port < m_devices.size() ? m_devices[port] : nullptr;
}

std::size_t
OcsPortTable::Size() const
{
    return m_devices.size();
}

const std::vector<Ptr<OcsNetDevice>>&
OcsPortTable::Devices() const
{
    return m_devices;
}

void
OcsPortTable::Clear()
{
    m_devices.clear();
    m_portOfMac.clear();
}

} // namespace ns3
