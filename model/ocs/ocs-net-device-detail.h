/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Internal to OcsNetDevice (not installed): what ocs-net-device.cc and
 * ocs-net-device-datapath.cc share -- the Ethernet header size and the "OcsNetDevice" log
 * component, which ns-3 lets only one translation unit register.
 */

#ifndef OCS_NET_DEVICE_DETAIL_H
#define OCS_NET_DEVICE_DETAIL_H

#include "ns3/log.h"

#include <cstdint>

namespace ns3
{
namespace ocsdevice
{

/// Bytes of the Ethernet header the device adds: destination, source, EtherType.
constexpr uint32_t kEthernetHeaderBytes = 14;

/**
 * The "OcsNetDevice" log component, defined (and registered) in ocs-net-device.cc.
 * @return the log component
 */
LogComponent& Log();

} // namespace ocsdevice
} // namespace ns3

#endif // OCS_NET_DEVICE_DETAIL_H
