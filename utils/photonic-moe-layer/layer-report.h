/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PHOTONIC_MOE_LAYER_REPORT_H
#define PHOTONIC_MOE_LAYER_REPORT_H

/**
 * @file
 * @ingroup photonic-moe
 * Output of the photonic-moe-layer program: the side-by-side table, tidy CSV and the JSON
 * the study's sweeps aggregate. Every value written is a function of the scenario and its
 * seed, except the wall-clock fields that WriteJson adds only with hostTiming.
 */

#include "ns3/moe-stats-collector.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace layer
{

/**
 * Print the side-by-side table of several runs (times in us, ratios to the ideal run).
 * @param runs the runs
 */
void PrintTable(const std::vector<MoeLayerRunResult>& runs);

/**
 * Write per-layer CSV rows (header first) for several runs.
 * @param os stream
 * @param runs the runs
 */
void WriteLayerCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs);

/**
 * Write per-GPU CSV rows (header first) for several runs.
 * @param os stream
 * @param runs the runs
 */
void WriteGpuCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs);

/**
 * Write one CSV row of fault counters per run (header first).
 * @param os stream
 * @param runs the runs
 */
void WriteFaultCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs);

/**
 * Write the timelines (header first) of runs recorded with MoeLayerScenario::recordTimeline:
 * fabric, algorithm, kind, layer, node, value, start_us, end_us.
 * @param os stream
 * @param runs the runs
 */
void WriteTimelineCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs);

/**
 * Write the memory samples (MoeLayerScenario::sampleRss) of several runs: fabric, algorithm,
 * layer, rss_bytes, heap_bytes.
 * @param os stream
 * @param runs the runs
 */
void WriteMemoryCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs);

/**
 * Write the OCS planes of cluster runs (MoeLayerRunResult::planes), one row per run and
 * plane: fabric, algorithm, plane, rails, matchings, reconfigurations, bubble_fraction, bytes
 * (IPv4 bytes its NICs sent), demand_bytes (payload mapped onto it), residual_bytes.
 * @param os stream
 * @param runs the runs
 */
void WritePlaneCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs);

/**
 * Write the servers of cluster runs (MoeLayerRunResult::servers), one row per run and
 * server: fabric, algorithm, server, nic_send_bytes, nic_receive_bytes, nvlink_out_bytes,
 * nvlink_in_bytes (IPv4 bytes its GPUs' NICs and NVLink ports sent and received, all layers).
 * @param os stream
 * @param runs the runs
 */
void WriteServerCsv(std::ostream& os, const std::vector<MoeLayerRunResult>& runs);

/**
 * The strongest ideal baseline: the ideal fabric under the overlap policy that minimises its
 * layer time (photonic-moe-layer --idealBest).
 */
struct IdealBaseline
{
    bool valid{false};      //!< the ideal fabric was run under every policy
    int64_t layerTimeNs{0}; //!< the smallest layer time (sum over layers)
    std::string policy;     //!< the overlap policy that achieved it
    std::vector<std::pair<std::string, int64_t>> byPolicy; //!< layer time per policy tried
};

/**
 * Write a JSON array with one object per run. Everything in it is a function of the
 * scenario and its seed (byte-identical across runs), unless hostTiming adds the wall-clock
 * measurements of this machine: wall_seconds, events_per_second and scheduler_wall_ns (run
 * and per layer).
 * @param os stream
 * @param runs the runs
 * @param hostTiming include wall-clock measurements
 * @param idealBest the strongest ideal baseline; when valid every object also has
 *        ideal_best_layer_time_ns, ideal_best_policy, ideal_policy_layer_time_ns and
 *        layer_time_vs_ideal_best
 */
void WriteJson(std::ostream& os,
               const std::vector<MoeLayerRunResult>& runs,
               bool hostTiming,
               const IdealBaseline& idealBest = IdealBaseline());

} // namespace layer
} // namespace ns3

#endif /* PHOTONIC_MOE_LAYER_REPORT_H */
