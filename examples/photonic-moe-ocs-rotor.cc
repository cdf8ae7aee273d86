/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * @ingroup photonic-moe
 * TCP all-to-all over an optical circuit switch running a rotor schedule.
 *
 * N hosts (default 8) hang off one OpticalCircuitSwitch. The switch loops a rotor schedule:
 * configuration k (k = 1 .. N-1) connects host i to host (i + k) mod N for --slot, after a
 * reconfiguration delay --delta (duplex circuits: a round-robin tournament, N-1 rounds of N/2
 * pairs). Every host sends --bytes to every other host with BulkSendApplication over TCP;
 * PacketSink receives. With unidirectional circuits, TCP ACKs and other small packets use an
 * electrical packet-switched fabric (EpsPolicy "control" by default); duplex circuits carry
 * their ACKs themselves.
 *
 * TCP settings (all on the command line): segments filling the 9000-byte MTU (8948 bytes of
 * payload + 12 bytes of timestamp option + 40 bytes of headers), 4 MB socket buffers (below
 * the 8 MiB VOQs, so VOQs never overflow; 400 Gb/s x 80 us), an ACK per segment, minimum RTO
 * 5 ms (above a rotor cycle, 7 x 110 us: a segment may wait a whole cycle for its circuit),
 * clock granularity 1 us, SYN timeout 5 ms, NewReno, ECN off. --dctcp switches to TcpDctcp
 * with ECN and marks CE at VOQs above --ecnThreshold bytes.
 *
 * The example prints per-pair completion times, throughput and drops; --json prints one JSON
 * object instead; --pcap writes one capture per host (DLT_EN10MB, readable by tcpdump -r);
 * --ascii writes an ascii trace. It exits non-zero unless every byte sent was delivered.
 *
 * Run: photonic-moe-ocs-rotor --hosts=8 --bytes=1000000 --mode=changed-only --json
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/ocs-helper.h"
#include "ns3/ocs-net-device.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"

#include <algorithm>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/**
 * Rotor schedule.
 * @param n hosts
 * @param slot lit time of each configuration
 * @param model circuit model
 * @return unidirectional: i -> (i + k) mod n for k = 1 .. n-1; duplex: the circle-method
 *         round-robin tournament (n-1 rounds, or n rounds with a bye when n is odd)
 */
pmoe::Schedule
MakeRotor(uint32_t n, Time slot, pmoe::CircuitModel model)
{
    pmoe::Schedule s(n, model);
    if (model == pmoe::CircuitModel::UNIDIRECTIONAL)
    {
        for (uint32_t k = 1; k < n; ++k)
        {
            pmoe::Configuration c;
            for (uint32_t i = 0; i < n; ++i)
            {
                c.circuits.push_back({i, (i + k) % n});
            }
            c.durationNs = slot.GetNanoSeconds();
            s.Append(c);
        }
        return s;
    }
    const uint32_t m = n % 2 == 0 ? n : n + 1; // with a bye (port n) when n is odd
    for (uint32_t r = 0; r + 1 < m; ++r)
    {
        pmoe::Configuration c;
        auto add = [&](uint32_t a, uint32_t b) {
            if (a < n && b < n)
            {
                c.circuits.push_back({std::min(a, b), std::max(a, b)});
            }
        };
        add(m - 1, r);
        for (uint32_t k = 1; k < m / 2; ++k)
        {
            add((r + k) % (m - 1), (r + m - 1 - k) % (m - 1));
        }
        c.durationNs = slot.GetNanoSeconds();
        s.Append(c);
    }
    return s;
}

/** Per-pair progress. */
struct Pair
{
    uint64_t received{0}; //!< bytes received
    Time done{-1};        //!< when the last byte arrived (-1: not yet)
};

/** What the trace sinks count (free functions, so that ns-3 <= 3.35 can bind them too). */
struct Tally
{
    std::map<Ipv4Address, uint32_t> hostOf; //!< address -> host
    std::vector<std::vector<Pair>> pairs;   //!< [source][destination] progress
    uint64_t bytesPerPair{0};               //!< bytes each pair must deliver
    uint64_t bytesSent{0};                  //!< bytes handed to TCP by the senders
    uint64_t bytesDelivered{0};             //!< bytes received by the sinks
    uint32_t pairsDone{0};                  //!< pairs that received all their bytes
    uint32_t pairsTotal{0};                 //!< pairs in the all-to-all
};

/**
 * PacketSink Rx sink: count the bytes of one pair and stop when every pair is done.
 * @param tally the counters
 * @param dst the receiving host
 * @param p received packet
 * @param from sender address
 */
void
SinkRx(Tally* tally, uint32_t dst, Ptr<const Packet> p, const Address& from)
{
    uint32_t src = tally->hostOf[InetSocketAddress::ConvertFrom(from).GetIpv4()];
    Pair& pr = tally->pairs[src][dst];
    pr.received += p->GetSize();
    tally->bytesDelivered += p->GetSize();
    if (pr.received >= tally->bytesPerPair && pr.done.IsStrictlyNegative())
    {
        pr.done = Simulator::Now();
        if (++tally->pairsDone == tally->pairsTotal)
        {
            Simulator::Stop();
        }
    }
}

/**
 * BulkSendApplication Tx sink.
 * @param tally the counters
 * @param p packet handed to TCP
 */
void
SenderTx(Tally* tally, Ptr<const Packet> p)
{
    tally->bytesSent += p->GetSize();
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
    Time delay = NanoSeconds(50);
    std::string mode = "changed-only";
    std::string circuit = "unidirectional";
    std::string eps = "control";
    std::string epsRate = "100Gbps";
    bool guard = true;
    uint64_t voq = 8 << 20;
    uint32_t mtu = 9000;
    uint32_t segmentSize = 8948;
    uint32_t buffer = 4000000;
    uint32_t delAck = 1;
    Time minRto = MilliSeconds(5);
    bool dctcp = false;
    uint64_t ecnThreshold = 0;
    Time stopTime = Seconds(1);
    bool pcap = false;
    bool ascii = false;
    std::string prefix = "photonic-moe-ocs-rotor";
    bool json = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("hosts", "number of hosts (>= 2)", hosts);
    cmd.AddValue("bytes", "bytes each host sends to each other host", bytes);
    cmd.AddValue("rate", "circuit data rate per port", rate);
    cmd.AddValue("delta", "reconfiguration delay", delta);
    cmd.AddValue("slot", "lit time of each rotor configuration", slot);
    cmd.AddValue("delay", "propagation delay through the OCS", delay);
    cmd.AddValue("mode", "reconfiguration mode: all-stop or changed-only", mode);
    cmd.AddValue("circuit", "circuit model: unidirectional or duplex", circuit);
    cmd.AddValue("eps", "EPS policy: none, control, no-circuit or all (none: no EPS)", eps);
    cmd.AddValue("epsRate", "EPS data rate per port", epsRate);
    cmd.AddValue("guard", "schedule-aware guard", guard);
    cmd.AddValue("voq", "VOQ capacity in bytes", voq);
    cmd.AddValue("mtu", "device MTU in bytes", mtu);
    cmd.AddValue("segmentSize", "TCP segment size in bytes", segmentSize);
    cmd.AddValue("buffer", "TCP send and receive buffer in bytes", buffer);
    cmd.AddValue("delAck", "TCP segments per ACK", delAck);
    cmd.AddValue("minRto", "TCP minimum retransmission timeout", minRto);
    cmd.AddValue("dctcp", "use TcpDctcp with ECN", dctcp);
    cmd.AddValue("ecnThreshold", "VOQ ECN marking threshold in bytes (0: off)", ecnThreshold);
    cmd.AddValue("stopTime", "give up at this simulation time", stopTime);
    cmd.AddValue("pcap", "write one pcap per host", pcap);
    cmd.AddValue("ascii", "write an ascii trace", ascii);
    cmd.AddValue("prefix", "prefix of pcap and ascii files", prefix);
    cmd.AddValue("json", "print one JSON object instead of the text summary", json);
    cmd.Parse(argc, argv);

    if (hosts < 2)
    {
        std::cerr << "--hosts must be >= 2, got " << hosts << "\n";
        return 2;
    }
    if (dctcp && ecnThreshold == 0)
    {
        ecnThreshold = 1000000;
    }

    Config::SetDefault(
        "ns3::TcpL4Protocol::SocketType",
        TypeIdValue(TypeId::LookupByName(dctcp ? "ns3::TcpDctcp" : "ns3::TcpNewReno")));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(segmentSize));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(buffer));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(buffer));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(delAck));
    Config::SetDefault("ns3::TcpSocket::ConnTimeout", TimeValue(MilliSeconds(5)));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(minRto));
    Config::SetDefault("ns3::TcpSocketBase::ClockGranularity", TimeValue(MicroSeconds(1)));
    if (dctcp)
    {
        Config::SetDefault("ns3::TcpSocketBase::UseEcn", StringValue("On"));
    }

    NodeContainer nodes(hosts);
    OcsHelper ocs;
    NetDeviceContainer devices;
    pmoe::Schedule rotor;
    try
    {
        ocs.SetDeviceAttribute("DataRate", DataRateValue(DataRate(rate)));
        ocs.SetDeviceAttribute("Guard", BooleanValue(guard));
        ocs.SetDeviceAttribute("VoqCapacity", UintegerValue(voq));
        ocs.SetDeviceAttribute("Mtu", UintegerValue(mtu));
        ocs.SetDeviceAttribute("EcnThreshold", UintegerValue(ecnThreshold));
        ocs.SetChannelAttribute("ReconfigurationDelay", TimeValue(delta));
        ocs.SetChannelAttribute("Delay", TimeValue(delay));
        ocs.SetChannelAttribute("ReconfigurationMode", StringValue(mode));
        ocs.SetChannelAttribute("CircuitModel", StringValue(circuit));
        if (eps != "none")
        {
            ocs.EnableEps(DataRate(epsRate), delay, eps);
        }
        devices = ocs.Install(nodes);
        rotor = MakeRotor(hosts, slot, pmoe::FromString<pmoe::CircuitModel>(circuit));
        ocs.GetSwitch()->RunSchedule(rotor, Seconds(0), true);
    }
    catch (const pmoe::InputError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }

    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper ip("10.0.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = ip.Assign(devices);
    OcsHelper::PopulateArpCaches(devices); // no ARP broadcasts over circuits

    Tally tally;
    for (uint32_t i = 0; i < hosts; ++i)
    {
        tally.hostOf[ifs.GetAddress(i)] = i;
    }
    const uint16_t port = 5000;
    const Time start = MicroSeconds(1);
    tally.pairs.assign(hosts, std::vector<Pair>(hosts));
    tally.bytesPerPair = bytes;
    tally.pairsTotal = hosts * (hosts - 1);

    for (uint32_t j = 0; j < hosts; ++j)
    {
        PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                    InetSocketAddress(Ipv4Address::GetAny(), port));
        ApplicationContainer sinkApp = sinkHelper.Install(nodes.Get(j));
        sinkApp.Start(Seconds(0));
        sinkApp.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&SinkRx, &tally, j));
        for (uint32_t i = 0; i < hosts; ++i)
        {
            if (i == j)
            {
                continue;
            }
            BulkSendHelper bulk("ns3::TcpSocketFactory",
                                InetSocketAddress(ifs.GetAddress(j), port));
            bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
            bulk.SetAttribute("SendSize", UintegerValue(65536));
            ApplicationContainer app = bulk.Install(nodes.Get(i));
            app.Start(start);
            app.Get(0)->TraceConnectWithoutContext("Tx", MakeBoundCallback(&SenderTx, &tally));
        }
    }

    if (pcap)
    {
        ocs.EnablePcapAll(prefix);
    }
    if (ascii)
    {
        AsciiTraceHelper asciiHelper;
        ocs.EnableAsciiAll(asciiHelper.CreateFileStream(prefix + ".tr"));
    }

    Simulator::Stop(stopTime);
    Simulator::Run();
    const Time end = Simulator::Now();

    OcsDeviceCounters sum;
    for (uint32_t i = 0; i < hosts; ++i)
    {
        OcsDeviceCounters c = DynamicCast<OcsNetDevice>(devices.Get(i))->GetCounters();
        sum.dropVoqFull += c.dropVoqFull;
        sum.dropCircuitTornDown += c.dropCircuitTornDown;
        sum.dropNoRoute += c.dropNoRoute;
        sum.dropBroadcast += c.dropBroadcast;
        sum.dropEpsQueueFull += c.dropEpsQueueFull;
        sum.dropTooBig += c.dropTooBig;
        sum.voqDequeuePackets += c.voqDequeuePackets;
        sum.epsDequeuePackets += c.epsDequeuePackets;
        sum.ecnMarked += c.ecnMarked;
    }
    uint64_t epsDrops = ocs.GetEps() ? ocs.GetEps()->GetCounters().dropEgressFull : 0;
    uint64_t packetsDropped = sum.TotalDrops() + epsDrops;
    Time last = Seconds(0);
    for (uint32_t i = 0; i < hosts; ++i)
    {
        for (uint32_t j = 0; j < hosts; ++j)
        {
            if (i != j && tally.pairs[i][j].done > last)
            {
                last = tally.pairs[i][j].done;
            }
        }
    }
    const Time makespan = (tally.pairsDone == tally.pairsTotal ? last : end) - start;
    const double throughputGbps = makespan.IsStrictlyPositive()
                                      ? tally.bytesDelivered * 8.0 / makespan.GetSeconds() / 1e9
                                      : 0.0;
    const bool conserved = tally.bytesDelivered == tally.bytesSent &&
                           tally.pairsDone == tally.pairsTotal &&
                           tally.bytesSent == bytes * tally.pairsTotal;

    if (json)
    {
        nlohmann::json out;
        out["parameters"] = {{"hosts", hosts},
                             {"bytes_per_pair", bytes},
                             {"rate", rate},
                             {"delta_ns", delta.GetNanoSeconds()},
                             {"slot_ns", slot.GetNanoSeconds()},
                             {"delay_ns", delay.GetNanoSeconds()},
                             {"mode", mode},
                             {"circuit", circuit},
                             {"eps", eps},
                             {"eps_rate", epsRate},
                             {"guard", guard},
                             {"voq_bytes", voq},
                             {"mtu", mtu},
                             {"segment_size", segmentSize},
                             {"buffer_bytes", buffer},
                             {"del_ack", delAck},
                             {"min_rto_ns", minRto.GetNanoSeconds()},
                             {"dctcp", dctcp},
                             {"ecn_threshold_bytes", ecnThreshold}};
        out["bytes_sent"] = tally.bytesSent;
        out["bytes_delivered"] = tally.bytesDelivered;
        out["packets_dropped"] = packetsDropped;
        out["drops"] = {{"voq-full", sum.dropVoqFull},
                        {"circuit-torn-down", sum.dropCircuitTornDown},
                        {"no-route", sum.dropNoRoute},
                        {"broadcast", sum.dropBroadcast},
                        {"eps-queue-full", sum.dropEpsQueueFull},
                        {"too-big", sum.dropTooBig},
                        {"eps-egress-full", epsDrops}};
        out["throughput_gbps"] = throughputGbps;
        out["makespan_us"] = makespan.GetSeconds() * 1e6;
        out["reconfigurations"] = ocs.GetSwitch()->GetCounters().reconfigurations;
        out["circuit_frames"] = sum.voqDequeuePackets;
        out["eps_frames"] = sum.epsDequeuePackets;
        out["ecn_marked"] = sum.ecnMarked;
        out["complete"] = tally.pairsDone == tally.pairsTotal;
        out["conserved"] = conserved;
        nlohmann::json perPair = nlohmann::json::array();
        for (uint32_t i = 0; i < hosts; ++i)
        {
            for (uint32_t j = 0; j < hosts; ++j)
            {
                if (i != j)
                {
                    perPair.push_back(
                        {{"src", i},
                         {"dst", j},
                         {"bytes", tally.pairs[i][j].received},
                         {"completion_us",
                          tally.pairs[i][j].done.IsStrictlyNegative()
                              ? nlohmann::json(nullptr)
                              : nlohmann::json((tally.pairs[i][j].done - start).GetSeconds() *
                                               1e6)}});
                }
            }
        }
        out["pairs"] = perPair;
        std::cout << out.dump() << std::endl;
    }
    else
    {
        std::cout << "photonic-moe-ocs-rotor: " << hosts << " hosts, " << rate << ", rotor of "
                  << rotor.NumConfigurations() << " " << circuit << " configurations ("
                  << slot.GetMicroSeconds() << " us lit + " << delta.GetMicroSeconds()
                  << " us delta), " << mode << ", EPS " << eps << "\n";
        std::cout << "completion time (us) of each pair, row = source, column = destination\n";
        for (uint32_t i = 0; i < hosts; ++i)
        {
            for (uint32_t j = 0; j < hosts; ++j)
            {
                if (i == j)
                {
                    std::cout << std::setw(9) << "-";
                }
                else if (tally.pairs[i][j].done.IsStrictlyNegative())
                {
                    std::cout << std::setw(9) << "n/a";
                }
                else
                {
                    std::cout << std::setw(9) << std::fixed << std::setprecision(1)
                              << (tally.pairs[i][j].done - start).GetSeconds() * 1e6;
                }
            }
            std::cout << "\n";
        }
        std::cout << "bytes sent " << tally.bytesSent << ", delivered " << tally.bytesDelivered
                  << "\n";
        std::cout << "makespan " << std::setprecision(1) << makespan.GetSeconds() * 1e6
                  << " us, aggregate throughput " << std::setprecision(2) << throughputGbps
                  << " Gb/s (" << throughputGbps / hosts << " Gb/s per host)\n";
        std::cout << "drops: voq-full " << sum.dropVoqFull << ", circuit-torn-down "
                  << sum.dropCircuitTornDown << ", no-route " << sum.dropNoRoute << ", broadcast "
                  << sum.dropBroadcast << ", eps-queue-full " << sum.dropEpsQueueFull
                  << ", too-big " << sum.dropTooBig << ", eps-egress-full " << epsDrops << "\n";
        std::cout << "frames over circuits " << sum.voqDequeuePackets << ", over the EPS "
                  << sum.epsDequeuePackets << ", reconfigurations "
                  << ocs.GetSwitch()->GetCounters().reconfigurations << "\n";
    }
    Simulator::Destroy();
    if (!conserved)
    {
        std::cerr << "conservation check failed: sent " << tally.bytesSent << ", delivered "
                  << tally.bytesDelivered << ", pairs complete " << tally.pairsDone << "/"
                  << tally.pairsTotal << "\n";
        return 1;
    }
    return 0;
}
