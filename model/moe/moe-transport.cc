/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "moe-transport.h"

#include "ns3/log.h"
#include "ns3/pmoe-units.h"

#include <algorithm>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MoeTransport");

NS_OBJECT_ENSURE_REGISTERED(MoeTransport);

TypeId
MoeTransport::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MoeTransport").SetParent<Object>().SetGroupName("PhotonicMoe");
    return tid;
}

MoeTransport::MoeTransport() = default;

MoeTransport::~MoeTransport() = default;

void
MoeTransport::DoDispose()
{
    m_endpoints.clear();
    m_sent = MakeNullCallback<void, uint32_t, uint32_t, uint64_t>();
    m_received = MakeNullCallback<void, uint32_t, uint32_t, uint64_t>();
    Object::DoDispose();
}

void
MoeTransport::Setup(uint32_t self,
                    std::vector<MoeEndpoint> endpoints,
                    BytesCallback sent,
                    BytesCallback received)
{
    if (self >= endpoints.size() || sent.IsNull() || received.IsNull())
    {
        throw pmoe::InputError("MoeTransport::Setup: GPU " + std::to_string(self) + " of " +
                               std::to_string(endpoints.size()) + " endpoints, or a null callback");
    }
    for (uint32_t g = 0; g < endpoints.size(); ++g)
    {
        if (!endpoints[g].node)
        {
            throw pmoe::InputError("MoeTransport::Setup: endpoint " + std::to_string(g) +
                                   " has no node");
        }
    }
    m_self = self;
    m_endpoints = std::move(endpoints);
    m_sent = sent;
    m_received = received;
}

void
MoeTransport::Stop()
{
}

void
MoeTransport::NotifyPlan(const CircuitPlan& /* plan */)
{
}

MoeTransportCounters
MoeTransport::GetCounters() const
{
    return m_counters;
}

uint32_t
MoeTransport::GetSelf() const
{
    return m_self;
}

uint32_t
MoeTransport::GetNGpus() const
{
    return static_cast<uint32_t>(m_endpoints.size());
}

const MoeEndpoint&
MoeTransport::GetEndpoint(uint32_t peer) const
{
    return m_endpoints.at(peer);
}

int64_t
MoeTransport::FindPeer(Ipv4Address address) const
{
    const auto it = std::find_if(m_endpoints.begin(),
                                 m_endpoints.end(),
                                 [address](const MoeEndpoint& e) { return e.address == address; });
    return it == m_endpoints.end() ? -1 : static_cast<int64_t>(it - m_endpoints.begin());
}

void
MoeTransport::NotifySent(uint32_t kind, uint32_t peer, uint64_t bytes) const
{
    m_sent(kind, peer, bytes);
}

void
MoeTransport::NotifyReceived(uint32_t kind, uint32_t peer, uint64_t bytes) const
{
    m_received(kind, peer, bytes);
}

} // namespace ns3
