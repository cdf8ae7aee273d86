/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ocs-helper.h"

#include "ns3/arp-cache.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/ipv4-interface-address.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/packet.h"
#include "ns3/pcap-file-wrapper.h"
#include "ns3/pmoe-units.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("OcsHelper");

namespace
{

/**
 * Ascii sink for OcsNetDevice::Drop, one file per device.
 * @param stream output
 * @param packet dropped packet
 * @param reason drop reason
 */
void
AsciiDropSinkWithoutContext(Ptr<OutputStreamWrapper> stream,
                            Ptr<const Packet> packet,
                            const char* reason)
{
    *stream->GetStream() << "d " << Simulator::Now().GetSeconds() << " " << reason << " " << *packet
                         << std::endl;
}

/**
 * Ascii sink for OcsNetDevice::Drop, shared file.
 * @param stream output
 * @param context trace context
 * @param packet dropped packet
 * @param reason drop reason
 */
void
AsciiDropSinkWithContext(Ptr<OutputStreamWrapper> stream,
                         std::string context,
                         Ptr<const Packet> packet,
                         const char* reason)
{
    *stream->GetStream() << "d " << Simulator::Now().GetSeconds() << " " << context << " " << reason
                         << " " << *packet << std::endl;
}

} // namespace

OcsHelper::OcsHelper()
{
    m_deviceFactory.SetTypeId("ns3::OcsNetDevice");
    m_channelFactory.SetTypeId("ns3::OpticalCircuitSwitch");
    m_epsFactory.SetTypeId("ns3::ElectricalPacketSwitch");
}

void
OcsHelper::SetDeviceAttribute(std::string name, const AttributeValue& value)
{
    m_deviceFactory.Set(name, value);
}

void
OcsHelper::SetChannelAttribute(std::string name, const AttributeValue& value)
{
    m_channelFactory.Set(name, value);
}

void
OcsHelper::SetEpsAttribute(std::string name, const AttributeValue& value)
{
    m_epsFactory.Set(name, value);
}

void
OcsHelper::EnableEps()
{
    m_epsEnabled = true;
}

void
OcsHelper::EnableEps(DataRate rate, Time delay, const std::string& policy)
{
    const std::string type = OcsEpsPolicyTypeName(policy); // throws on an unknown name
    m_epsFactory.Set("DataRate", DataRateValue(rate));
    m_epsFactory.Set("Delay", TimeValue(delay));
    SetEpsPolicy(type);
    m_epsEnabled = true;
}

void
OcsHelper::EnableEpsEcn(uint64_t kmin, uint64_t kmax, double pmax)
{
    m_epsFactory.Set("EcnMarking", BooleanValue(true));
    m_epsFactory.Set("EcnKmin", UintegerValue(kmin));
    m_epsFactory.Set("EcnKmax", UintegerValue(kmax));
    m_epsFactory.Set("EcnPmax", DoubleValue(pmax));
}

void
OcsHelper::EnableEpsPfc(uint64_t xoff, uint64_t xon, uint64_t headroom)
{
    m_epsFactory.Set("PfcEnabled", BooleanValue(true));
    m_epsFactory.Set("PfcXoff", UintegerValue(xoff));
    m_epsFactory.Set("PfcXon", UintegerValue(xon));
    m_epsFactory.Set("PfcHeadroom", UintegerValue(headroom));
}

void
OcsHelper::DoSetEpsPolicy(const std::string& type)
{
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(type, &tid) || !tid.IsChildOf(OcsEpsPolicy::GetTypeId()))
    {
        throw pmoe::InputError("OcsHelper::SetEpsPolicy: '" + type +
                               "' is not the TypeId name of an OcsEpsPolicy");
    }
    m_epsPolicyFactory = ObjectFactory();
    m_epsPolicyFactory.SetTypeId(tid);
}

NetDeviceContainer
OcsHelper::Install(const NodeContainer& nodes)
{
    NS_LOG_FUNCTION(this << nodes.GetN());
    std::vector<Ptr<OcsNetDevice>> devices;
    devices.reserve(nodes.GetN());
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        devices.push_back(m_deviceFactory.Create<OcsNetDevice>());
        if (m_epsPolicyFactory.IsTypeIdSet())
        {
            devices.back()->SetEpsPolicy(m_epsPolicyFactory.Create<OcsEpsPolicy>());
        }
        const Ptr<OcsEpsPolicy> policy = devices.back()->GetEpsPolicy();
        if (policy && policy->AllowsEps() && !m_epsEnabled)
        {
            throw pmoe::InputError("OcsHelper::Install: EPS policy '" + policy->GetName() +
                                   "' needs the electrical fabric: call OcsHelper::EnableEps");
        }
    }
    Ptr<OpticalCircuitSwitch> sw = m_channelFactory.Create<OpticalCircuitSwitch>();
    Ptr<ElectricalPacketSwitch> eps;
    if (m_epsEnabled)
    {
        eps = m_epsFactory.Create<ElectricalPacketSwitch>();
    }
    NetDeviceContainer container;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<OcsNetDevice> dev = devices[i];
        dev->SetAddress(Mac48Address::Allocate());
        nodes.Get(i)->AddDevice(dev);
        dev->Attach(sw);
        if (eps)
        {
            dev->AttachEps(eps);
        }
        container.Add(dev);
    }
    m_switch = sw;
    m_eps = eps;
    return container;
}

Ptr<OpticalCircuitSwitch>
OcsHelper::GetSwitch() const
{
    return m_switch;
}

Ptr<ElectricalPacketSwitch>
OcsHelper::GetEps() const
{
    return m_eps;
}

uint32_t
OcsHelper::PopulateArpCaches(const NetDeviceContainer& devices)
{
    NS_LOG_FUNCTION(devices.GetN());
    // The IPv4 interface of each device (null when the device has none).
    std::vector<Ptr<Ipv4Interface>> interfaces(devices.GetN());
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        Ptr<NetDevice> dev = devices.Get(i);
        Ptr<Node> node = dev ? dev->GetNode() : nullptr;
        Ptr<Ipv4L3Protocol> ipv4 = node ? node->GetObject<Ipv4L3Protocol>() : nullptr;
        if (!ipv4)
        {
            continue;
        }
        const int32_t index = ipv4->GetInterfaceForDevice(dev);
        if (index >= 0)
        {
            interfaces[i] = ipv4->GetInterface(static_cast<uint32_t>(index));
        }
    }
    uint32_t written = 0;
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        Ptr<ArpCache> cache = interfaces[i] ? interfaces[i]->GetArpCache() : nullptr;
        if (!cache)
        {
            continue;
        }
        for (uint32_t j = 0; j < devices.GetN(); ++j)
        {
            if (j == i || !interfaces[j])
            {
                continue;
            }
            const Address mac = devices.Get(j)->GetAddress();
            for (uint32_t b = 0; b < interfaces[j]->GetNAddresses(); ++b)
            {
                const Ipv4Address peer = interfaces[j]->GetAddress(b).GetLocal();
                bool sameSubnet = false;
                for (uint32_t a = 0; a < interfaces[i]->GetNAddresses() && !sameSubnet; ++a)
                {
                    sameSubnet = interfaces[i]->GetAddress(a).IsInSameSubnet(peer);
                }
                if (!sameSubnet)
                {
                    continue;
                }
                // Non-owning: the cache owns its entries.
                ArpCache::Entry* entry = cache->Lookup(peer);
                if (!entry)
                {
                    entry = cache->Add(peer);
                }
                entry->SetMacAddress(mac);
                entry->MarkPermanent();
                ++written;
            }
        }
    }
    NS_LOG_INFO("PopulateArpCaches: " << written << " permanent ARP entries");
    return written;
}

int64_t
OcsHelper::AssignStreams(NetDeviceContainer devices, int64_t stream)
{
    // The switches draw the reconfiguration jitter; devices and the EPS draw nothing. Each
    // switch reached by the devices gets its streams once, in device order.
    int64_t used = 0;
    std::vector<Ptr<OpticalCircuitSwitch>> done;
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        Ptr<OcsNetDevice> dev = DynamicCast<OcsNetDevice>(devices.Get(i));
        Ptr<OpticalCircuitSwitch> sw = dev ? dev->GetSwitch() : nullptr;
        if (sw && std::find(done.begin(), done.end(), sw) == done.end())
        {
            used += sw->AssignStreams(stream + used);
            done.push_back(sw);
        }
    }
    // Electrical switches use a stream only with ECN marking (0 otherwise): without it the
    // numbering is as before.
    std::vector<Ptr<ElectricalPacketSwitch>> epsDone;
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        Ptr<OcsNetDevice> dev = DynamicCast<OcsNetDevice>(devices.Get(i));
        Ptr<ElectricalPacketSwitch> eps = dev ? dev->GetEps() : nullptr;
        if (eps && std::find(epsDone.begin(), epsDone.end(), eps) == epsDone.end())
        {
            used += eps->AssignStreams(stream + used);
            epsDone.push_back(eps);
        }
    }
    return used;
}

void
OcsHelper::EnablePcapInternal(std::string prefix,
                              Ptr<NetDevice> nd,
                              bool promiscuous,
                              bool explicitFilename)
{
    Ptr<OcsNetDevice> device = nd->GetObject<OcsNetDevice>();
    if (!device)
    {
        NS_LOG_INFO("OcsHelper::EnablePcapInternal: device " << nd << " is not an OcsNetDevice");
        return;
    }
    PcapHelper pcapHelper;
    std::string filename =
        explicitFilename ? prefix : pcapHelper.GetFilenameFromDevice(prefix, device);
    // Link type 1 = Ethernet (tcpdump.org/linktypes.html). Spelled as a number because
    // PcapHelper::DLT_EN10MB is deprecated from ns-3.49 and iana::linktype is not in ns-3.37.
    Ptr<PcapFileWrapper> file =
        pcapHelper.CreateFile(filename, std::ios::out, static_cast<PcapHelper::DataLinkType>(1));
    pcapHelper.HookDefaultSink<OcsNetDevice>(device,
                                             promiscuous ? "PromiscSniffer" : "Sniffer",
                                             file);
}

void
OcsHelper::EnableAsciiInternal(Ptr<OutputStreamWrapper> stream,
                               std::string prefix,
                               Ptr<NetDevice> nd,
                               bool explicitFilename)
{
    Ptr<OcsNetDevice> device = nd->GetObject<OcsNetDevice>();
    if (!device)
    {
        NS_LOG_INFO("OcsHelper::EnableAsciiInternal: device " << nd << " is not an OcsNetDevice");
        return;
    }
    Packet::EnablePrinting();
    // '+' a packet enters the device, '-' a frame starts on the wire, 'r' a packet is handed
    // up, 'd' a drop (with its reason).
    if (!stream)
    {
        AsciiTraceHelper asciiTraceHelper;
        std::string filename =
            explicitFilename ? prefix : asciiTraceHelper.GetFilenameFromDevice(prefix, device);
        Ptr<OutputStreamWrapper> file = asciiTraceHelper.CreateFileStream(filename);
        device->TraceConnectWithoutContext(
            "MacTx",
            MakeBoundCallback(&AsciiTraceHelper::DefaultEnqueueSinkWithoutContext, file));
        device->TraceConnectWithoutContext(
            "PhyTxBegin",
            MakeBoundCallback(&AsciiTraceHelper::DefaultDequeueSinkWithoutContext, file));
        device->TraceConnectWithoutContext(
            "MacRx",
            MakeBoundCallback(&AsciiTraceHelper::DefaultReceiveSinkWithoutContext, file));
        device->TraceConnectWithoutContext("Drop",
                                           MakeBoundCallback(&AsciiDropSinkWithoutContext, file));
        return;
    }
    std::ostringstream path;
    path << "/NodeList/" << device->GetNode()->GetId() << "/DeviceList/" << device->GetIfIndex()
         << "/$ns3::OcsNetDevice/";
    const std::string base = path.str();
    device->TraceConnect(
        "MacTx",
        base + "MacTx",
        MakeBoundCallback(&AsciiTraceHelper::DefaultEnqueueSinkWithContext, stream));
    device->TraceConnect(
        "PhyTxBegin",
        base + "PhyTxBegin",
        MakeBoundCallback(&AsciiTraceHelper::DefaultDequeueSinkWithContext, stream));
    device->TraceConnect(
        "MacRx",
        base + "MacRx",
        MakeBoundCallback(&AsciiTraceHelper::DefaultReceiveSinkWithContext, stream));
    device->TraceConnect("Drop",
                         base + "Drop",
                         MakeBoundCallback(&AsciiDropSinkWithContext, stream));
}

} // namespace ns3
