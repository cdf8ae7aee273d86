/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Internal to RdmaNic (not installed): what rdma-nic.cc and rdma-nic-datapath.cc share -- the
 * "RdmaNic" log component, which ns-3 lets only one translation unit register.
 */

#ifndef RDMA_NIC_DETAIL_H
#define RDMA_NIC_DETAIL_H

#include "ns3/log.h"

namespace ns3
{
namespace rdmanic
{

/**
 * The "RdmaNic" log component, defined (and registered) in rdma-nic.cc.
 * @return the log component
 */
LogComponent& Log();

} // namespace rdmanic
} // namespace ns3

#endif // RDMA_NIC_DETAIL_H
