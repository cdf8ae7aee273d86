/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * @ingroup photonic-moe
 * TCP all-to-all over an optical circuit switch looping a demand-oblivious rotor
 * (pmoe::RotorSchedule): configuration k connects host i to host (i + k) mod N for --slot after
 * a reconfiguration delay --delta (duplex: the rounds of a round-robin tournament). Every host
 * sends --bytes to every other host with BulkSendApplication; PacketSink receives. ACKs cross
 * an electrical packet switch (EPS policy "control"). TCP is sized for the circuits: 9000-byte
 * frames, 4 MB buffers (below the 8 MiB VOQs), an ACK per segment and a 5 ms minimum RTO (a
 * segment may wait a whole rotor cycle); --dctcp uses TcpDctcp with ECN marks at the VOQs, and
 * any TCP default can be set on the command line (--ns3::TcpSocket::SndBufSize=...). It prints
 * each pair's completion time, throughput and drops, writes pcap files with --pcap, and exits
 * non-zero unless every byte sent was delivered.
 *
 * Run: photonic-moe-ocs-rotor --hosts=8 --bytes=1000000 --mode=changed-only
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/ocs-helper.h"
#include "ns3/ocs-net-device.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/pmoe-rotor-decomposer.h"
#include "ns3/pmoe-units.h"

#include <iomanip>
#include <iostream>
#include <map>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/** Progress of the all-to-all (trace sinks are free functions: ns-3.35 binds them too). */
struct Tally
{
    std::map<Ipv4Address, uint32_t> hostOf; //!< address -> host
    std::vector<std::vector<uint64_t>> rx;  //!< [source][destination] bytes received
    std::vector<std::vector<Time>> done;    //!< [source][destination] completion (-1: not yet)
    uint64_t bytesPerPair{0};               //!< bytes each pair must deliver
    uint64_t sent{0};                       //!< bytes handed to TCP
    uint64_t delivered{0};                  //!< bytes received by the sinks
    uint32_t pairsDone{0};                  //!< pairs that received all their bytes
};

/**
 * PacketSink Rx: count one pair's bytes; stop once every pair is done.
 * @param tally the counters
 * @param dst the receiving host
 * @param p the packet
 * @param from its sender
 */
void
SinkRx(Tally* tally, uint32_t dst, Ptr<const Packet> p, const Address& from)
{
    const uint32_t src = tally->hostOf[InetSocketAddress::ConvertFrom(from).GetIpv4()];
    tally->rx[src][dst] += p->GetSize();
    tally->delivered += p->GetSize();
    if (tally->rx[src][dst] >= tally->bytesPerPair && tally->done[src][dst].IsStrictlyNegative())
    {
        tally->done[src][dst] = Simulator::Now();
        if (++tally->pairsDone == tally->rx.size() * (tally->rx.size() - 1))
        {
            Simulator::Stop();
        }
    }
}

/**
 * BulkSendApplication Tx.
 * @param tally the counters
 * @param p the packet handed to TCP
 */
void
SenderTx(Tally* tally, Ptr<const Packet> p)
{
    tally->sent += p->GetSize();
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t hosts = 8;
    uint64_t bytes = 1000000;
    std::string rate = "400Gbps";
    Time delta = MicroSeconds(10);
    Time slot = MicroSeconds(100);
    std::string mode = "changed-only";
    std::string circuit = "unidirectional";
    std::string eps = "control";
    bool dctcp = false;
    bool pcap = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("hosts", "number of hosts (>= 2)", hosts);
    cmd.AddValue("bytes", "bytes each host sends to each other host", bytes);
    cmd.AddValue("rate", "circuit data rate per port", rate);
    cmd.AddValue("delta", "reconfiguration delay", delta);
    cmd.AddValue("slot", "lit time of each rotor configuration", slot);
    cmd.AddValue("mode", "reconfiguration mode: all-stop or changed-only", mode);
    cmd.AddValue("circuit", "circuit model: unidirectional or duplex", circuit);
    cmd.AddValue("eps", "EPS policy: none (no EPS), control, no-circuit or all", eps);
    cmd.AddValue("dctcp", "TcpDctcp with ECN marks at the VOQs above 1 MB", dctcp);
    cmd.AddValue("pcap", "write one pcap per host", pcap);
    cmd.Parse(argc, argv);

    Config::SetDefault(
        "ns3::TcpL4Protocol::SocketType",
        TypeIdValue(TypeId::LookupByName(dctcp ? "ns3::TcpDctcp" : "ns3::TcpNewReno")));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(8948));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(4000000));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(4000000));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(1));
    Config::SetDefault("ns3::TcpSocket::ConnTimeout", TimeValue(MilliSeconds(5)));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(MilliSeconds(5)));
    Config::SetDefault("ns3::TcpSocketBase::ClockGranularity", TimeValue(MicroSeconds(1)));
    Config::SetDefault("ns3::TcpSocketBase::UseEcn", StringValue(dctcp ? "On" : "Off"));

    // The switch, one port per host, and the rotor it loops.
    NodeContainer nodes(hosts);
    OcsHelper ocs;
    NetDeviceContainer devices;
    pmoe::Schedule rotor;
    try
    {
        ocs.SetDeviceAttribute("DataRate", DataRateValue(DataRate(rate)));
        ocs.SetDeviceAttribute("VoqCapacity", UintegerValue(8 << 20));
        ocs.SetDeviceAttribute("EcnThreshold", UintegerValue(dctcp ? 1000000 : 0));
        ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(delta));
        ocs.SetChannelAttribute("ReconfigurationMode", StringValue(mode));
        ocs.SetChannelAttribute("CircuitModel", StringValue(circuit));
        if (eps != "none")
        {
            ocs.EnableEps(DataRate("100Gbps"), NanoSeconds(50), eps);
        }
        devices = ocs.Install(nodes);
        rotor = pmoe::RotorSchedule(hosts,
                                    pmoe::FromString<pmoe::CircuitModel>(circuit),
                                    slot.GetNanoSeconds());
        ocs.GetSwitch()->RunSchedule(rotor, Seconds(0), true);
    }
    catch (const pmoe::InputError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    InternetStackHelper().Install(nodes);
    Ipv4AddressHelper ip("10.0.0.0", "255.255.255.0");
    const Ipv4InterfaceContainer ifs = ip.Assign(devices);
    OcsHelper::PopulateArpCaches(devices); // no ARP broadcasts over circuits

    // All-to-all: a sink per host, a bulk sender per ordered pair.
    Tally tally;
    tally.bytesPerPair = bytes;
    tally.rx.assign(hosts, std::vector<uint64_t>(hosts, 0));
    tally.done.assign(hosts, std::vector<Time>(hosts, Time(-1)));
    const Time start = MicroSeconds(1);
    for (uint32_t j = 0; j < hosts; ++j)
    {
        tally.hostOf[ifs.GetAddress(j)] = j;
        PacketSinkHelper sink("ns3::TcpSocketFactory",
                              InetSocketAddress(Ipv4Address::GetAny(), 5000));
        ApplicationContainer sinkApp = sink.Install(nodes.Get(j));
        sinkApp.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&SinkRx, &tally, j));
        for (uint32_t i = 0; i < hosts; ++i)
        {
            if (i == j)
            {
                continue;
            }
            BulkSendHelper bulk("ns3::TcpSocketFactory",
                                InetSocketAddress(ifs.GetAddress(j), 5000));
            bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
            bulk.SetAttribute("SendSize", UintegerValue(65536));
            ApplicationContainer app = bulk.Install(nodes.Get(i));
            app.Start(start);
            app.Get(0)->TraceConnectWithoutContext("Tx", MakeBoundCallback(&SenderTx, &tally));
        }
    }
    if (pcap)
    {
        ocs.EnablePcapAll("photonic-moe-ocs-rotor");
    }
    Simulator::Stop(Seconds(1));
    Simulator::Run();

    // Report.
    OcsDeviceCounters sum; // what the report needs, summed over the hosts
    for (uint32_t i = 0; i < hosts; ++i)
    {
        const OcsDeviceCounters c = DynamicCast<OcsNetDevice>(devices.Get(i))->GetCounters();
        sum.dropVoqFull += c.dropVoqFull;
        sum.dropCircuitTornDown += c.dropCircuitTornDown;
        sum.dropNoRoute += c.dropNoRoute;
        sum.dropBroadcast += c.dropBroadcast;
        sum.dropEpsQueueFull += c.dropEpsQueueFull;
        sum.dropTooBig += c.dropTooBig;
        sum.voqDequeuePackets += c.voqDequeuePackets;
        sum.epsDequeuePackets += c.epsDequeuePackets;
    }
    const uint64_t epsDrops = ocs.GetEps() ? ocs.GetEps()->GetCounters().dropEgressFull : 0;
    const uint32_t pairs = hosts * (hosts - 1);
    std::cout << "photonic-moe-ocs-rotor: " << hosts << " hosts, " << rate << ", rotor of "
              << rotor.NumConfigurations() << " " << circuit << " configurations ("
              << slot.GetMicroSeconds() << " us lit + " << delta.GetMicroSeconds() << " us delta), "
              << mode << ", EPS " << eps << "\n";
    std::cout << "completion time (us) of each pair, row = source, column = destination\n";
    Time last = Seconds(0);
    for (uint32_t i = 0; i < hosts; ++i)
    {
        for (uint32_t j = 0; j < hosts; ++j)
        {
            const Time t = tally.done[i][j];
            std::cout << std::setw(9) << std::fixed << std::setprecision(1);
            if (i == j || t.IsStrictlyNegative())
            {
                std::cout << (i == j ? "-" : "n/a");
                continue;
            }
            std::cout << (t - start).GetSeconds() * 1e6;
            last = std::max(last, t);
        }
        std::cout << "\n";
    }
    const Time makespan = (tally.pairsDone == pairs ? last : Simulator::Now()) - start;
    const double gbps =
        makespan.IsStrictlyPositive() ? tally.delivered * 8.0 / makespan.GetSeconds() / 1e9 : 0;
    std::cout << "bytes sent " << tally.sent << ", delivered " << tally.delivered << "\n"
              << "makespan " << std::setprecision(1) << makespan.GetSeconds() * 1e6
              << " us, aggregate throughput " << std::setprecision(2) << gbps << " Gb/s ("
              << gbps / hosts << " Gb/s per host)\n"
              << "drops: voq-full " << sum.dropVoqFull << ", circuit-torn-down "
              << sum.dropCircuitTornDown << ", no-route " << sum.dropNoRoute << ", broadcast "
              << sum.dropBroadcast << ", eps-queue-full " << sum.dropEpsQueueFull << ", too-big "
              << sum.dropTooBig << ", eps-egress-full " << epsDrops << "\n"
              << "frames over circuits " << sum.voqDequeuePackets << ", over the EPS "
              << sum.epsDequeuePackets << ", reconfigurations "
              << ocs.GetSwitch()->GetCounters().reconfigurations << "\n";
    Simulator::Destroy();
    const bool conserved =
        tally.delivered == tally.sent && tally.pairsDone == pairs && tally.sent == bytes * pairs;
    if (!conserved)
    {
        std::cerr << "conservation check failed: sent " << tally.sent << ", delivered "
                  << tally.delivered << ", pairs complete " << tally.pairsDone << "/" << pairs
                  << "\n";
        return 1;
    }
    return 0;
}
