/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * @ingroup photonic-moe
 * Per-packet simulation cost of the circuit-switch host port (OcsNetDevice through an
 * OpticalCircuitSwitch holding a static, live configuration) against ns-3's
 * PointToPointNetDevice, on the same traffic, measured side by side in one process.
 *
 * N hosts are paired (host i with host i + N/2); every host sends P packets of S bytes to its
 * partner, paced at the line rate of the larger (Ethernet) frame so that no queue builds and
 * nothing is dropped. The same traffic runs over N/2 point-to-point links and over one OCS
 * whose circuits join the partners (no reconfiguration during the run). Two traffic sources:
 *
 * - `raw`: packets handed straight to NetDevice::Send, counted by the device's receive
 *   callback (no IP stack): isolates the device and the channel;
 * - `udp`: the full ns-3 stack (UDP sockets, IPv4, traffic control), as applications see it.
 *
 * Each phase is timed (steady_clock wall time and process CPU time) around Simulator::Run
 * only; set-up and tear-down are excluded. Phases alternate (p2p, ocs, p2p, ocs, ...) over
 * --repeat rounds; the program prints ns per packet of each round, the OCS/P2P ratio of each
 * round, and the median ratio per source. A round whose delivered packet count differs from
 * the packets sent is an error (exit status 2).
 *
 * Run: photonic-moe-device-cost --hosts=8 --packets=100000 --repeat=5 --csv=FILE
 */

#include "ns3/arp-cache.h"
#include "ns3/command-line.h"
#include "ns3/core-module.h"
#include "ns3/inet-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/mac48-address.h"
#include "ns3/network-module.h"
#include "ns3/ocs-helper.h"
#include "ns3/ocs-net-device.h"
#include "ns3/optical-circuit-switch.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/traffic-control-helper.h"
#include "ns3/udp-socket-factory.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/** Packets and bytes delivered to the upper layer (receive callbacks). */
struct Sink
{
    uint64_t packets{0}; //!< packets received
    uint64_t bytes{0};   //!< payload bytes received

    /**
     * Device receive callback (raw source).
     * @param packet the packet
     * @return true
     */
    bool OnDevice(Ptr<NetDevice> /* dev */,
                  Ptr<const Packet> packet,
                  uint16_t /* protocol */,
                  const Address& /* from */)
    {
        ++packets;
        bytes += packet->GetSize();
        return true;
    }

    /**
     * Socket receive callback (UDP source).
     * @param socket the socket
     */
    void OnSocket(Ptr<Socket> socket)
    {
        while (Ptr<Packet> p = socket->Recv())
        {
            ++packets;
            bytes += p->GetSize();
        }
    }
};

/** One paced sender: a raw device or a UDP socket. */
class Sender
{
  public:
    /**
     * @param count packets to send
     * @param size bytes per packet
     * @param gap interval between packets
     */
    Sender(uint64_t count, uint32_t size, Time gap)
        : m_left(count),
          m_size(size),
          m_gap(gap)
    {
    }

    /**
     * Send through a device.
     * @param dev the device
     * @param to destination MAC address
     */
    void SetDevice(Ptr<NetDevice> dev, Address to)
    {
        m_dev = dev;
        m_to = to;
    }

    /**
     * Send through a connected UDP socket.
     * @param socket the socket
     */
    void SetSocket(Ptr<Socket> socket)
    {
        m_socket = socket;
    }

    /** Send one packet and schedule the next. */
    void Send()
    {
        if (m_left == 0)
        {
            return;
        }
        --m_left;
        if (m_socket)
        {
            m_socket->Send(Create<Packet>(m_size));
        }
        else
        {
            m_dev->Send(Create<Packet>(m_size), m_to, 0x0800);
        }
        if (m_left > 0)
        {
            Simulator::Schedule(m_gap, &Sender::Send, this);
        }
    }

  private:
    uint64_t m_left;        //!< packets still to send
    uint32_t m_size;        //!< bytes per packet
    Time m_gap;             //!< pacing interval
    Ptr<NetDevice> m_dev;   //!< raw source: device
    Address m_to;           //!< raw source: destination
    Ptr<Socket> m_socket{}; //!< UDP source: socket
};

/** Parameters of one phase. */
struct PhaseConfig
{
    uint32_t hosts{8};           //!< hosts (even)
    uint64_t packets{100000};    //!< packets per sender
    uint32_t size{8000};         //!< bytes per packet (raw: L2 payload; udp: UDP payload)
    DataRate rate{"400Gbps"};    //!< line rate of both devices
    Time delay{NanoSeconds(50)}; //!< propagation delay of both
};

/** Result of one phase. */
struct PhaseResult
{
    double wallNs{0};      //!< wall time of Simulator::Run
    double cpuNs{0};       //!< process CPU time of Simulator::Run
    uint64_t delivered{0}; //!< packets received
    uint64_t expected{0};  //!< packets sent
    uint64_t events{0};    //!< simulator events executed
};

/** @return process CPU time in ns */
double
CpuNowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

/**
 * Fill the ARP caches of every host with every other host's address (no ARP over circuits).
 * @param hosts the hosts
 * @param devices their devices (one per host)
 * @param ifs their IPv4 interfaces
 */
void
FillArpCaches(const NodeContainer& hosts,
              const NetDeviceContainer& devices,
              const Ipv4InterfaceContainer& ifs)
{
    for (uint32_t i = 0; i < hosts.GetN(); ++i)
    {
        Ptr<Ipv4L3Protocol> ip = hosts.Get(i)->GetObject<Ipv4L3Protocol>();
        const int32_t index = ip->GetInterfaceForDevice(devices.Get(i));
        Ptr<ArpCache> cache = ip->GetInterface(static_cast<uint32_t>(index))->GetArpCache();
        for (uint32_t j = 0; j < hosts.GetN(); ++j)
        {
            if (j == i)
            {
                continue;
            }
            ArpCache::Entry* e = cache->Add(ifs.GetAddress(j));
            e->SetMacAddress(devices.Get(j)->GetAddress());
            e->MarkPermanent();
        }
    }
}

/**
 * Run one phase.
 * @param cfg parameters
 * @param ocs true: OCS with static circuits; false: point-to-point links
 * @param udp true: UDP sockets; false: raw device sends
 * @return timings and counts
 */
PhaseResult
RunPhase(const PhaseConfig& cfg, bool ocs, bool udp)
{
    const uint32_t n = cfg.hosts;
    const uint32_t half = n / 2;
    NodeContainer hosts(n);
    std::vector<Ptr<NetDevice>> dev(n); // device of host i towards its partner
    std::vector<Ipv4Address> addr(n);
    Sink sink;

    // Pace at the wire time of the larger frame (Ethernet: +14 B; with IP/UDP: +28 B more),
    // plus 1 ns, so that neither device queues.
    const uint32_t wireBytes = cfg.size + 14 + (udp ? 28 : 0);
    const Time gap = cfg.rate.CalculateBytesTxTime(wireBytes) + NanoSeconds(1);

    InternetStackHelper internet;
    if (ocs)
    {
        OcsHelper helper;
        helper.SetDeviceAttribute("DataRate", DataRateValue(cfg.rate));
        helper.SetChannelAttribute("Delay", TimeValue(cfg.delay));
        helper.SetChannelAttribute("ReconfigurationDelay", TimeValue(Seconds(0)));
        NetDeviceContainer d = helper.Install(hosts);
        std::vector<pmoe::Circuit> circuits;
        for (uint32_t i = 0; i < n; ++i)
        {
            dev[i] = d.Get(i);
            circuits.push_back({i, (i + half) % n});
        }
        helper.GetSwitch()->ApplyConfiguration(circuits);
        if (udp)
        {
            internet.Install(hosts);
            Ipv4AddressHelper ip("10.1.0.0", "255.255.0.0");
            Ipv4InterfaceContainer ifs = ip.Assign(d);
            FillArpCaches(hosts, d, ifs);
            for (uint32_t i = 0; i < n; ++i)
            {
                addr[i] = ifs.GetAddress(i);
            }
        }
    }
    else
    {
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", DataRateValue(cfg.rate));
        p2p.SetChannelAttribute("Delay", TimeValue(cfg.delay));
        p2p.SetDeviceAttribute("Mtu", UintegerValue(9000));
        std::vector<NetDeviceContainer> links;
        for (uint32_t i = 0; i < half; ++i)
        {
            links.push_back(p2p.Install(hosts.Get(i), hosts.Get(i + half)));
            dev[i] = links.back().Get(0);
            dev[i + half] = links.back().Get(1);
        }
        if (udp)
        {
            internet.Install(hosts);
            Ipv4AddressHelper ip;
            for (uint32_t i = 0; i < half; ++i)
            {
                ip.SetBase(Ipv4Address(0x0a020000 + (i << 8)), "255.255.255.0");
                Ipv4InterfaceContainer ifs = ip.Assign(links[i]);
                addr[i] = ifs.GetAddress(0);
                addr[i + half] = ifs.GetAddress(1);
                // Same stack on both sides: no queue disc (OcsNetDevice has none either).
                TrafficControlHelper().Uninstall(links[i]);
            }
        }
    }

    std::vector<std::unique_ptr<Sender>> senders;
    for (uint32_t i = 0; i < n; ++i)
    {
        const uint32_t peer = (i + half) % n;
        senders.push_back(std::make_unique<Sender>(cfg.packets, cfg.size, gap));
        if (udp)
        {
            const uint16_t port = 9;
            Ptr<Socket> rx = Socket::CreateSocket(hosts.Get(peer), UdpSocketFactory::GetTypeId());
            rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
            rx->SetRecvCallback(MakeCallback(&Sink::OnSocket, &sink));
            Ptr<Socket> tx = Socket::CreateSocket(hosts.Get(i), UdpSocketFactory::GetTypeId());
            tx->Connect(InetSocketAddress(addr[peer], port));
            senders.back()->SetSocket(tx);
        }
        else
        {
            dev[peer]->SetReceiveCallback(MakeCallback(&Sink::OnDevice, &sink));
            senders.back()->SetDevice(dev[i], dev[peer]->GetAddress());
        }
        Simulator::Schedule(MicroSeconds(1), &Sender::Send, senders.back().get());
    }

    PhaseResult r;
    r.expected = cfg.packets * n;
    const auto wall0 = std::chrono::steady_clock::now();
    const double cpu0 = CpuNowNs();
    Simulator::Run();
    r.cpuNs = CpuNowNs() - cpu0;
    r.wallNs =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - wall0).count();
    r.events = Simulator::GetEventCount();
    r.delivered = sink.packets;
    Simulator::Destroy();
    return r;
}

/**
 * @param v values (copied)
 * @return the median (mean of the two middle values for an even count)
 */
double
Median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

} // namespace

/**
 * The program.
 * @param argc argument count
 * @param argv arguments (--PrintHelp lists them)
 * @return the exit status
 */
int
main(int argc, char* argv[])
{
    PhaseConfig cfg;
    uint32_t repeat = 5;
    std::string sources = "raw,udp";
    std::string csvFile;

    CommandLine cmd(__FILE__);
    cmd.AddValue("hosts", "hosts (even, >= 2), paired i <-> i + N/2", cfg.hosts);
    cmd.AddValue("packets", "packets per host", cfg.packets);
    cmd.AddValue("size", "bytes per packet (raw: L2 payload; udp: UDP payload)", cfg.size);
    cmd.AddValue("rate", "line rate of both devices", cfg.rate);
    cmd.AddValue("delay", "propagation delay of both", cfg.delay);
    cmd.AddValue("repeat", "rounds (each: p2p then ocs) per source", repeat);
    cmd.AddValue("sources", "raw, udp or raw,udp", sources);
    cmd.AddValue("csv", "write one row per phase to FILE", csvFile);
    cmd.Parse(argc, argv);

    if (cfg.hosts < 2 || cfg.hosts % 2 != 0)
    {
        std::cerr << "error: hosts must be even and >= 2, got " << cfg.hosts << '\n';
        return 1;
    }
    if (cfg.packets == 0 || repeat == 0)
    {
        std::cerr << "error: packets and repeat must be >= 1\n";
        return 1;
    }
    if (cfg.size < 64 || cfg.size > 8972)
    {
        std::cerr << "error: size must be in [64, 8972] bytes, got " << cfg.size << '\n';
        return 1;
    }
    std::vector<bool> udpModes;
    if (sources == "raw" || sources == "raw,udp")
    {
        udpModes.push_back(false);
    }
    if (sources == "udp" || sources == "raw,udp")
    {
        udpModes.push_back(true);
    }
    if (udpModes.empty())
    {
        std::cerr << "error: unknown sources '" << sources << "' (expected raw, udp or raw,udp)\n";
        return 1;
    }

    std::ofstream csv;
    if (!csvFile.empty())
    {
        csv.open(csvFile);
        if (!csv)
        {
            std::cerr << "error: cannot write '" << csvFile << "'\n";
            return 1;
        }
        csv << std::fixed
            << "source,round,device,hosts,packets,size_bytes,events,wall_ns_per_packet,"
               "cpu_ns_per_packet\n";
    }

    bool ok = true;
    std::cout << std::fixed;
    for (bool udp : udpModes)
    {
        const std::string src = udp ? "udp" : "raw";
        std::vector<double> cpuRatio;
        std::vector<double> wallRatio;
        std::cout << "source " << src << ": " << cfg.hosts << " hosts x " << cfg.packets
                  << " packets of " << cfg.size << " B\n"
                  << "  round  p2p_cpu_ns  ocs_cpu_ns  cpu_ratio  p2p_wall_ns  ocs_wall_ns  "
                     "wall_ratio  p2p_events  ocs_events\n";
        for (uint32_t k = 0; k < repeat; ++k)
        {
            PhaseResult p[2];
            for (int o = 0; o < 2; ++o)
            {
                p[o] = RunPhase(cfg, o == 1, udp);
                if (p[o].delivered != p[o].expected)
                {
                    std::cerr << "error: " << src << (o == 1 ? " ocs" : " p2p") << " round " << k
                              << " delivered " << p[o].delivered << " of " << p[o].expected
                              << " packets\n";
                    ok = false;
                }
                if (csv)
                {
                    const double pk = static_cast<double>(p[o].expected);
                    csv << src << ',' << k << ',' << (o == 1 ? "ocs" : "p2p") << ',' << cfg.hosts
                        << ',' << cfg.packets << ',' << cfg.size << ',' << p[o].events << ','
                        << std::setprecision(1) << p[o].wallNs / pk << ',' << p[o].cpuNs / pk
                        << '\n';
                }
            }
            const double pk = static_cast<double>(p[0].expected);
            cpuRatio.push_back(p[1].cpuNs / p[0].cpuNs);
            wallRatio.push_back(p[1].wallNs / p[0].wallNs);
            std::cout << std::setprecision(1) << std::setw(7) << k << std::setw(12)
                      << p[0].cpuNs / pk << std::setw(12) << p[1].cpuNs / pk << std::setprecision(3)
                      << std::setw(11) << cpuRatio.back() << std::setprecision(1) << std::setw(13)
                      << p[0].wallNs / pk << std::setw(13) << p[1].wallNs / pk
                      << std::setprecision(3) << std::setw(12) << wallRatio.back() << std::setw(12)
                      << p[0].events << std::setw(12) << p[1].events << '\n';
        }
        std::cout << "  median ocs/p2p ratio (" << src << "): cpu " << std::setprecision(3)
                  << Median(cpuRatio) << ", wall " << Median(wallRatio) << '\n';
    }
    if (!ok)
    {
        std::cerr << "error: packets lost (see above)\n";
        return 2;
    }
    return 0;
}
