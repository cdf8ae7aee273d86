/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "layer-report.h"

#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ns3
{
namespace layer
{

namespace
{

/**
 * @param ns time in ns
 * @return @p t in microseconds, formatted for CSV
 */
std::string
Us(int64_t ns)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(3) << static_cast<double>(ns) / 1000.0;
    return os.str();
}

/**
 * @param x a fraction
 * @return formatted for CSV
 */
std::string
Frac(double x)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(6) << x;
    return os.str();
}

/**
 * @param f fault counters
 * @return them as a JSON object
 */
nlohmann::json
FaultJson(const MoeFaultCounters& f)
{
    return {{"port_failures", f.portFailures},
            {"failure_darkenings", f.failureDarkenings},
            {"failover_to_eps_packets", f.failoverToEpsPackets},
            {"late_reconfigurations", f.lateReconfigurations},
            {"reconfig_extra_dark_ns", f.reconfigExtraDarkNs},
            {"control_messages", f.controlMessages},
            {"control_lost", f.controlLost},
            {"control_late", f.controlLate},
            {"control_retries", f.controlRetries},
            {"control_fallbacks", f.controlFallbacks},
            {"control_duplicates", f.controlDuplicates},
            {"commit_fallbacks", f.commitFallbacks},
            {"voq_overflow_drops", f.voqOverflowDrops},
            {"voq_overflow_to_eps", f.voqOverflowToEps},
            {"frames_torn_down", f.framesTornDown}};
}

/**
 * @param simulatedNs simulated layer time
 * @param predictedNs predicted layer time (0: none)
 * @return simulated / predicted, 0 without a prediction
 */
double
PredictedVsSimulated(int64_t simulatedNs, int64_t predictedNs)
{
    return predictedNs > 0 ? static_cast<double>(simulatedNs) / static_cast<double>(predictedNs)
                           : 0.0;
}

/**
 * Add the scheduler's prediction (OCS runs) and auto's choice (algorithm auto) to a run or
 * layer object.
 * @param o the object
 * @param m its measurement
 */
void
AddPrediction(nlohmann::json& o, const MoeLayerMeasurement& m)
{
    o["predicted_layer_time_ns"] = m.predictedLayerTimeNs;
    o["predicted_vs_simulated"] = PredictedVsSimulated(m.layerTimeNs, m.predictedLayerTimeNs);
    if (!m.autoChoice.empty())
    {
        o["auto_configurations"] = m.autoConfigurations;
        o["auto_choice"] = m.autoChoice;
        o["auto_combine_choice"] = m.autoCombineChoice;
    }
}

} // namespace

void
PrintTable(const std::vector<MoeLayerRunResult>& runs)
{
    int64_t ideal = 0;
    for (const auto& r : runs)
    {
        if (r.fabric == "ideal")
        {
            ideal = r.total.layerTimeNs;
        }
    }
    std::cout << std::left << std::setw(16) << "run" << std::right << std::setw(12) << "layer_us"
              << std::setw(10) << "vs_ideal" << std::setw(11) << "bound_us" << std::setw(10)
              << "matchings" << std::setw(9) << "reconfs" << std::setw(8) << "bubble"
              << std::setw(9) << "comp_eff" << std::setw(11) << "mean_batch" << std::setw(10)
              << "batches" << std::setw(12) << "deliv/sent" << std::setw(8) << "tcp_rto"
              << std::setw(9) << "to_eps" << std::setw(10) << "stranded" << std::setw(7) << "drops"
              << std::setw(14) << "sched_wall_us" << std::setw(11) << "events" << std::setw(9)
              << "wall_s" << '\n';
    for (const auto& r : runs)
    {
        const MoeLayerMeasurement& t = r.total;
        const uint64_t sent = t.dispatchBytesSent + t.combineBytesSent;
        const uint64_t deliv = t.dispatchBytesDelivered + t.combineBytesDelivered;
        std::ostringstream vs;
        if (ideal > 0)
        {
            vs << std::fixed << std::setprecision(3)
               << static_cast<double>(t.layerTimeNs) / static_cast<double>(ideal);
        }
        else
        {
            vs << "-";
        }
        std::cout << std::left << std::setw(16) << (r.fabric + ":" + r.algorithm) << std::right
                  << std::fixed << std::setprecision(1) << std::setw(12)
                  << static_cast<double>(t.layerTimeNs) / 1000.0 << std::setw(10) << vs.str()
                  << std::setw(11) << static_cast<double>(t.loadBoundNs) / 1000.0 << std::setw(10)
                  << t.numMatchings << std::setw(9) << t.reconfigurations << std::setprecision(3)
                  << std::setw(8) << t.bubbleFraction << std::setw(9) << t.computeEfficiency
                  << std::setprecision(1) << std::setw(11) << t.meanBatchTokens << std::setw(10)
                  << t.batches << std::setprecision(4) << std::setw(12)
                  << (sent > 0 ? static_cast<double>(deliv) / static_cast<double>(sent) : 1.0)
                  << std::setw(8) << r.tcpTimeouts << std::setw(9) << r.voqToEpsPackets
                  << std::setw(10) << r.strandedPackets << std::setw(7) << r.deviceDrops
                  << std::setprecision(1) << std::setw(14)
                  << static_cast<double>(t.schedulerWallNs) / 1000.0 << std::setw(11) << r.events
                  << std::setprecision(2) << std::setw(9) << r.wallSeconds << '\n';
    }
}

void
WriteLayerCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs)
{
    os << "fabric,algorithm,layer,layer_time_us,layer_span_us,load_bound_us,"
          "dispatch_bytes_sent,dispatch_bytes_delivered,combine_bytes_sent,"
          "combine_bytes_delivered,num_matchings,reconfigurations,reconfig_time_us,"
          "bubble_fraction,residual_bytes,scheduler_time_us,compute_busy_us,ideal_compute_us,"
          "max_gpu_busy_us,compute_efficiency,batches,mean_batch_tokens,max_batch_tokens\n";
    for (const auto& r : runs)
    {
        for (const auto& m : r.layers)
        {
            os << r.fabric << ',' << r.algorithm << ',' << m.layer << ',' << Us(m.layerTimeNs)
               << ',' << Us(m.layerSpanNs) << ',' << Us(m.loadBoundNs) << ',' << m.dispatchBytesSent
               << ',' << m.dispatchBytesDelivered << ',' << m.combineBytesSent << ','
               << m.combineBytesDelivered << ',' << m.numMatchings << ',' << m.reconfigurations
               << ',' << Us(m.reconfigTimeNs) << ',' << Frac(m.bubbleFraction) << ','
               << m.residualBytes << ',' << Us(m.schedulerTimeNs) << ',' << Us(m.computeBusyNs)
               << ',' << Us(m.idealComputeNs) << ',' << Us(m.maxGpuBusyNs) << ','
               << Frac(m.computeEfficiency) << ',' << m.batches << ',' << Frac(m.meanBatchTokens)
               << ',' << m.maxBatchTokens << '\n';
        }
    }
}

void
WriteGpuCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs)
{
    os << "fabric,algorithm,layer,gpu,start_us,dispatch_done_us,compute_done_us,done_us,"
          "dispatch_bytes_sent,"
          "dispatch_bytes_received,combine_bytes_sent,combine_bytes_received,compute_busy_us,"
          "ideal_compute_us,batches,tokens\n";
    for (const auto& r : runs)
    {
        for (const auto& g : r.gpus)
        {
            os << r.fabric << ',' << r.algorithm << ',' << g.layer << ',' << g.gpu << ','
               << Us(g.startNs) << ',' << Us(g.dispatchDoneNs) << ',' << Us(g.computeDoneNs) << ','
               << Us(g.doneNs) << ',' << g.dispatchBytesSent << ',' << g.dispatchBytesReceived
               << ',' << g.combineBytesSent << ',' << g.combineBytesReceived << ','
               << Us(g.computeBusyNs) << ',' << Us(g.idealComputeNs) << ',' << g.batches << ','
               << g.tokens << '\n';
        }
    }
}

void
WriteFaultCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs)
{
    os << "fabric,algorithm,port_failures,failure_darkenings,failover_to_eps_packets,"
          "late_reconfigurations,reconfig_extra_dark_us,control_messages,control_lost,"
          "control_late,control_retries,control_fallbacks,control_duplicates,commit_fallbacks,"
          "voq_overflow_drops,voq_overflow_to_eps,frames_torn_down,tcp_timeouts,conserved\n";
    for (const auto& r : runs)
    {
        const MoeFaultCounters& f = r.faults;
        os << r.fabric << ',' << r.algorithm << ',' << f.portFailures << ',' << f.failureDarkenings
           << ',' << f.failoverToEpsPackets << ',' << f.lateReconfigurations << ','
           << Us(f.reconfigExtraDarkNs) << ',' << f.controlMessages << ',' << f.controlLost << ','
           << f.controlLate << ',' << f.controlRetries << ',' << f.controlFallbacks << ','
           << f.controlDuplicates << ',' << f.commitFallbacks << ',' << f.voqOverflowDrops << ','
           << f.voqOverflowToEps << ',' << f.framesTornDown << ',' << r.tcpTimeouts << ','
           << (r.conserved ? 1 : 0) << '\n';
    }
}

void
WriteTimelineCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs)
{
    os << "fabric,algorithm,kind,layer,node,value,start_us,end_us\n";
    for (const auto& r : runs)
    {
        for (const auto& iv : r.timeline)
        {
            os << r.fabric << ',' << r.algorithm << ',' << iv.kind << ',' << iv.layer << ','
               << iv.node << ',' << iv.value << ',' << Us(iv.startNs) << ',' << Us(iv.endNs)
               << '\n';
        }
    }
}

namespace
{

/**
 * Add the cluster fields of a run to its JSON object: gpus_per_server, ocs_nics,
 * forwarding, nic_bytes, nvlink_bytes, the planes array (plane, rails, matchings,
 * reconfigurations, bubble_fraction, bytes, demand_bytes, residual_bytes), the servers array
 * (server, nic_send_bytes, nic_receive_bytes, nvlink_out_bytes, nvlink_in_bytes) and, with
 * node-limited routing, max_servers.
 * @param o the run's object
 * @param r the run
 */
void
AddClusterJson(nlohmann::json& o, const MoeLayerRunResult& r)
{
    o["gpus_per_server"] = r.gpusPerServer;
    o["ocs_nics"] = r.ocsNics;
    o["forwarding"] = r.forwarding;
    o["nic_bytes"] = r.nicBytes;
    o["nvlink_bytes"] = r.nvlinkBytes;
    nlohmann::json planes = nlohmann::json::array();
    for (const MoePlaneMeasurement& p : r.planes)
    {
        planes.push_back({{"plane", p.plane},
                          {"rails", p.rails},
                          {"matchings", p.matchings},
                          {"reconfigurations", p.reconfigurations},
                          {"bubble_fraction", p.bubbleFraction},
                          {"bytes", p.bytes},
                          {"demand_bytes", p.demandBytes},
                          {"residual_bytes", p.residualBytes}});
    }
    o["planes"] = planes;
    nlohmann::json servers = nlohmann::json::array();
    for (const MoeServerMeasurement& sm : r.servers)
    {
        servers.push_back({{"server", sm.server},
                           {"nic_send_bytes", sm.nicSendBytes},
                           {"nic_receive_bytes", sm.nicReceiveBytes},
                           {"nvlink_out_bytes", sm.nvlinkOutBytes},
                           {"nvlink_in_bytes", sm.nvlinkInBytes}});
    }
    o["servers"] = servers;
    if (r.maxServers > 0)
    {
        o["max_servers"] = r.maxServers;
    }
}

} // namespace

void
WritePlaneCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs)
{
    os << "fabric,algorithm,plane,rails,matchings,reconfigurations,bubble_fraction,bytes,"
          "demand_bytes,residual_bytes\n";
    for (const auto& r : runs)
    {
        for (const MoePlaneMeasurement& p : r.planes)
        {
            os << r.fabric << ',' << r.algorithm << ',' << p.plane << ',' << p.rails << ','
               << p.matchings << ',' << p.reconfigurations << ',' << p.bubbleFraction << ','
               << p.bytes << ',' << p.demandBytes << ',' << p.residualBytes << '\n';
        }
    }
}

void
WriteServerCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs)
{
    os << "fabric,algorithm,server,nic_send_bytes,nic_receive_bytes,nvlink_out_bytes,"
          "nvlink_in_bytes\n";
    for (const auto& r : runs)
    {
        for (const MoeServerMeasurement& sm : r.servers)
        {
            os << r.fabric << ',' << r.algorithm << ',' << sm.server << ',' << sm.nicSendBytes
               << ',' << sm.nicReceiveBytes << ',' << sm.nvlinkOutBytes << ',' << sm.nvlinkInBytes
               << '\n';
        }
    }
}

void
WriteJson(std::ostream& os,
          const std::vector<MoeLayerRunResult>& runs,
          bool hostTiming,
          const IdealBaseline& idealBest)
{
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : runs)
    {
        const MoeLayerMeasurement& t = r.total;
        nlohmann::json o;
        o["fabric"] = r.fabric;
        o["algorithm"] = r.algorithm;
        o["layers"] = r.layers.size();
        o["layer_time_ns"] = t.layerTimeNs;
        o["layer_span_ns"] = t.layerSpanNs;
        o["load_bound_ns"] = t.loadBoundNs;
        o["dispatch_bytes_expected"] = t.dispatchBytesExpected;
        o["dispatch_bytes_sent"] = t.dispatchBytesSent;
        o["dispatch_bytes_delivered"] = t.dispatchBytesDelivered;
        o["combine_bytes_expected"] = t.combineBytesExpected;
        o["combine_bytes_sent"] = t.combineBytesSent;
        o["combine_bytes_delivered"] = t.combineBytesDelivered;
        o["num_matchings"] = t.numMatchings;
        o["reconfigurations"] = t.reconfigurations;
        o["reconfig_time_ns"] = t.reconfigTimeNs;
        o["bubble_fraction"] = t.bubbleFraction;
        o["residual_bytes"] = t.residualBytes;
        o["scheduler_time_ns"] = t.schedulerTimeNs;
        o["compute_busy_ns"] = t.computeBusyNs;
        o["ideal_compute_ns"] = t.idealComputeNs;
        o["compute_efficiency"] = t.computeEfficiency;
        o["batches"] = t.batches;
        o["mean_batch_tokens"] = t.meanBatchTokens;
        o["max_batch_tokens"] = t.maxBatchTokens;
        o["conserved"] = r.conserved;
        o["conservation_errors"] = r.conservationErrors;
        o["device_drops"] = r.deviceDrops;
        o["stranded_packets"] = r.strandedPackets;
        o["voq_to_eps_packets"] = r.voqToEpsPackets;
        o["drops_by_reason"] = r.dropsByReason;
        o["tcp_timeouts"] = r.tcpTimeouts;
        o["tcp_fast_recoveries"] = r.tcpFastRecoveries;
        o["transport"] = r.transport;
        const MoeTransportCounters& tc = r.transportCounters;
        o["transport_counters"] = {{"timeouts", tc.timeouts},
                                   {"fast_recoveries", tc.fastRecoveries},
                                   {"retransmitted_packets", tc.retransmittedPackets},
                                   {"naks", tc.naks},
                                   {"cnps", tc.cnps},
                                   {"rate_cuts", tc.rateCuts},
                                   {"pause_frames", tc.pauseFrames}};
        o["eps_ecn_marked"] = r.epsEcnMarked;
        o["eps_pause_frames"] = r.epsPauseFrames;
        o["switch_reconfigurations"] = r.switchReconfigurations;
        o["faults"] = FaultJson(r.faults);
        o["simulated_ns"] = r.simulatedNs;
        o["events"] = r.events;
        o["layer_time_lower_bound_ns"] = t.layerTimeLowerBoundNs;
        o["layer_time_vs_lower_bound"] =
            t.layerTimeLowerBoundNs > 0
                ? static_cast<double>(t.layerTimeNs) / static_cast<double>(t.layerTimeLowerBoundNs)
                : 0.0;
        if (r.fabric == "ocs")
        {
            AddPrediction(o, t);
        }
        if (idealBest.valid)
        {
            o["ideal_best_layer_time_ns"] = idealBest.layerTimeNs;
            o["ideal_best_policy"] = idealBest.policy;
            nlohmann::json byPolicy = nlohmann::json::object();
            for (const auto& [policy, ns] : idealBest.byPolicy)
            {
                byPolicy[policy] = ns;
            }
            o["ideal_policy_layer_time_ns"] = byPolicy;
            o["layer_time_vs_ideal_best"] = idealBest.layerTimeNs > 0
                                                ? static_cast<double>(t.layerTimeNs) /
                                                      static_cast<double>(idealBest.layerTimeNs)
                                                : 0.0;
        }
        if (hostTiming)
        {
            // Wall-clock measurements of this machine: they differ from run to run, so they
            // stay out of the output unless asked for (same seed, same files otherwise).
            o["wall_seconds"] = r.wallSeconds;
            o["events_per_second"] =
                r.wallSeconds > 0 ? static_cast<double>(r.events) / r.wallSeconds : 0.0;
            o["scheduler_wall_ns"] = t.schedulerWallNs;
        }
        if (r.gpusPerServer > 1)
        {
            AddClusterJson(o, r);
        }
        nlohmann::json per = nlohmann::json::array();
        for (const auto& m : r.layers)
        {
            per.push_back({{"layer", m.layer},
                           {"layer_time_ns", m.layerTimeNs},
                           {"layer_span_ns", m.layerSpanNs},
                           {"num_matchings", m.numMatchings},
                           {"dispatch_matchings", m.dispatchMatchings},
                           {"dispatch_bubble_fraction", m.dispatchBubbleFraction},
                           {"reconfigurations", m.reconfigurations},
                           {"bubble_fraction", m.bubbleFraction},
                           {"compute_efficiency", m.computeEfficiency},
                           {"mean_batch_tokens", m.meanBatchTokens},
                           {"dispatch_comm_ns", m.dispatchCommNs},
                           {"dispatch_fluid_ns", m.dispatchFluidNs},
                           {"dispatch_fluid_last_byte_ns", m.dispatchFluidLastByteNs},
                           {"combine_comm_ns", m.combineCommNs},
                           {"combine_fluid_ns", m.combineFluidNs},
                           {"combine_fluid_last_byte_ns", m.combineFluidLastByteNs},
                           {"load_bound_ns", m.loadBoundNs},
                           {"residual_bytes", m.residualBytes},
                           {"reconfig_time_ns", m.reconfigTimeNs},
                           {"layer_time_lower_bound_ns", m.layerTimeLowerBoundNs}});
            if (r.fabric == "ocs")
            {
                per.back()["predicted_dispatch_ns"] = m.predictedDispatchNs;
                per.back()["predicted_combine_ns"] = m.predictedCombineNs;
                AddPrediction(per.back(), m);
            }
            if (hostTiming)
            {
                per.back()["scheduler_wall_ns"] = m.schedulerWallNs;
            }
            if (r.gpusPerServer > 1)
            {
                per.back()["dispatch_cluster_fluid_ns"] = m.dispatchClusterFluidNs;
                per.back()["dispatch_cluster_overlapped_ns"] = m.dispatchClusterOverlappedNs;
                per.back()["combine_cluster_fluid_ns"] = m.combineClusterFluidNs;
                per.back()["combine_cluster_overlapped_ns"] = m.combineClusterOverlappedNs;
                per.back()["dispatch_cluster_last_byte_ns"] = m.dispatchClusterLastByteNs;
                per.back()["combine_cluster_last_byte_ns"] = m.combineClusterLastByteNs;
            }
        }
        o["per_layer"] = per;
        arr.push_back(o);
    }
    os << arr.dump(2) << '\n';
}

void
WriteMemoryCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs)
{
    os << "fabric,algorithm,layer,rss_bytes,heap_bytes\n";
    for (const auto& r : runs)
    {
        for (std::size_t l = 0; l < r.rssBytes.size(); ++l)
        {
            os << r.fabric << ',' << r.algorithm << ',' << l << ',' << r.rssBytes[l] << ','
               << r.heapBytes[l] << '\n';
        }
    }
}

} // namespace layer
} // namespace ns3
