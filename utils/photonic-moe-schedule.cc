/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * @ingroup photonic-moe
 * photonic-moe-schedule: decompose a demand matrix into a circuit schedule and evaluate it.
 *
 * Reads a demand matrix (format: pmoe-matrix-io.h), runs one decomposition
 * (pmoe-decomposition.h), evaluates the schedule with the fluid model
 * (pmoe-fluid-evaluator.h) and prints a table and a summary, or with --json one JSON
 * object (pmoe-schedule-json.h) that ParseScheduleJson() can load back.
 *
 * Exit status: 0 on success; 2 on bad input (options, option values, the matrix file), with
 * one line "photonic-moe-schedule: error: ..." on stderr and nothing on stdout; 1 on any
 * other failure. The output is built completely before anything is printed.
 *
 * Example:
 * @code
 * photonic-moe-schedule --matrix data/moe-8.csv --algorithm bvn --reconfig-delay-ns 20000
 * photonic-moe-schedule --matrix data/moe-16.csv --max-matchings 8 --residual-policy eps \
 *     --eps-rate-gbps 100 --json > schedule.json
 * @endcode
 */

#include "schedule-cli-options.h"

#include "ns3/pmoe-auto-scheduler.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-matching.h"
#include "ns3/pmoe-matrix-io.h"
#include "ns3/pmoe-schedule-json.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <limits>
#include <new>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace ns3::pmoe;

namespace
{

constexpr const char* kProgram = "photonic-moe-schedule";

/** Largest time the schedule may need, so that no sum of nanoseconds overflows: 2^62 ns. */
constexpr long double kMaxScheduleNs = 4611686018427387904.0L;

using Options = ScheduleCliOptions;

/**
 * Refuse inputs whose schedules could overflow 64-bit nanoseconds: a generous bound on the
 * time of any decomposition (N x rho / r of circuit time, N^2 reconfigurations) and on the
 * electrical fabric's time for the whole demand.
 */
void
CheckTimeRange(const Options& o, const DemandMatrix& d)
{
    auto n = static_cast<long double>(d.Size());
    long double bytesNs = 8e9L / static_cast<long double>(o.decomposition.linkRateBps);
    long double bound = n * static_cast<long double>(d.MaxLineSum()) * bytesNs +
                        n * n * static_cast<long double>(o.decomposition.reconfigDelayNs);
    if (bound > kMaxScheduleNs)
    {
        throw InputError(o.matrixPath + ": demand too large for the link rate and delay: a "
                                        "schedule could exceed 2^62 ns");
    }
    if (o.fluid.epsRateBps > 0 &&
        static_cast<long double>(d.Total()) * 8e9L / static_cast<long double>(o.fluid.epsRateBps) >
            kMaxScheduleNs)
    {
        throw InputError(o.matrixPath + ": demand too large for --eps-rate-gbps: the electrical "
                                        "fabric could need more than 2^62 ns");
    }
}

std::string Format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

std::string
Format(const char* fmt, ...)
{
    char buf[512];
    va_list args;
    va_start(args, fmt);
    int len = std::vsnprintf(buf, sizeof(buf), fmt, args);
    va_end(args);
    if (len < 0)
    {
        return "";
    }
    return std::string(buf, std::min(static_cast<std::size_t>(len), sizeof(buf) - 1));
}

double
Us(Ns ns)
{
    return static_cast<double>(ns) / 1000.0;
}

/** The human-readable report. */
std::string
TextReport(const Options& o, const DemandMatrix& d, const Schedule& s, const FluidResult& r)
{
    std::ostringstream out;
    out << "matrix     " << CliOneLine(o.matrixPath) << ": " << d.Size() << " ports, " << d.Total()
        << " bytes, rho " << d.MaxLineSum() << " bytes, Delta " << d.MaxLineNonZeros() << "\n";
    out << "schedule   " << (s.algorithm.empty() ? o.decomposition.algorithm : s.algorithm) << ", "
        << ToString(s.Model()) << ", " << s.NumConfigurations()
        << (s.NumConfigurations() == 1 ? " matching" : " matchings") << ", delta "
        << o.decomposition.reconfigDelayNs << " ns, link "
        << Format("%g", static_cast<double>(o.decomposition.linkRateBps) / 1e9) << " Gb/s, "
        << ToString(o.fluid.mode) << "\n\n";
    out << Format("%5s %12s %12s %9s %16s %16s %7s\n",
                  "index",
                  "start_us",
                  "duration_us",
                  "circuits",
                  "planned_bytes",
                  "served_bytes",
                  "util");
    const auto& configs = s.Configurations();
    for (std::size_t k = 0; k < configs.size(); ++k)
    {
        const ConfigurationResult& c = r.configs[k];
        double util = c.capacityBytes > 0 ? static_cast<double>(c.bytesServed) /
                                                static_cast<double>(c.capacityBytes)
                                          : 0.0;
        out << Format("%5zu %12.3f %12.3f %9zu %16lld %16lld %7.3f\n",
                      k,
                      Us(c.startNs),
                      Us(configs[k].durationNs),
                      configs[k].circuits.size(),
                      static_cast<long long>(configs[k].plannedBytes),
                      static_cast<long long>(c.bytesServed),
                      util);
    }
    out << "\nsummary\n";
    if (r.epsUnavailable)
    {
        out << "  makespan                   infinite: " << r.residualBytes
            << " residual bytes and no electrical fabric (--eps-rate-gbps 0)\n";
    }
    else
    {
        out << Format("  makespan                   %14.3f us\n", Us(r.makespanNs));
    }
    out << Format("  circuit makespan           %14.3f us\n", Us(r.circuitMakespanNs));
    out << Format("  electrical fabric time     %14.3f us\n", Us(r.epsTimeNs));
    out << Format("  lower bound rho/r          %14.3f us\n", Us(r.lowerBoundNs));
    out << Format("  lower bound + Delta*delta  %14.3f us\n", Us(r.lowerBoundReconfigNs));
    if (!r.epsUnavailable && r.lowerBoundNs > 0)
    {
        out << Format(
            "  gap vs rho/r               %14.2f %%\n",
            100.0 *
                (static_cast<double>(r.makespanNs) / static_cast<double>(r.lowerBoundNs) - 1.0));
    }
    out << Format("  reconfigurations           %14zu (%.3f us)\n",
                  r.reconfigurations,
                  Us(r.reconfigTimeNs));
    out << Format("  bytes over circuits        %14lld\n", static_cast<long long>(r.bytesServed));
    out << Format("  relayed bytes              %14lld\n", static_cast<long long>(r.relayedBytes));
    out << Format("  residual bytes             %14lld\n", static_cast<long long>(r.residualBytes));
    out << Format("  stuffed bytes              %14lld\n", static_cast<long long>(s.stuffedBytes));
    out << Format("  bubble fraction            %14.4f\n", r.bubbleFraction);
    out << Format("  utilisation                %14.4f\n", r.utilisation);
    return out.str();
}

/**
 * Add top-level keys to a JSON object's text (before its closing brace).
 * @param json the object, as ScheduleToJsonText() writes it with indent 2
 * @param keys name and JSON value text of each key
 * @return the object with the keys
 */
std::string
AddJsonKeys(std::string json, const std::vector<std::pair<std::string, std::string>>& keys)
{
    std::size_t end = json.find_last_of('}');
    while (end > 0 && std::isspace(static_cast<unsigned char>(json[end - 1])))
    {
        --end;
    }
    std::string extra;
    for (const auto& [key, value] : keys)
    {
        extra += ",\n  \"" + key + "\": " + value;
    }
    json.insert(end, extra);
    return json;
}

/** Everything but printing; @return the text to print on stdout */
std::string
Run(int argc, char** argv)
{
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i)
    {
        args.emplace_back(argv[i]);
    }
    Options o = ParseScheduleCliOptions(args);
    if (!o.earlyOutput.empty())
    {
        return o.earlyOutput;
    }
    DemandMatrix demand = ReadDemandMatrix(o.matrixPath);
    CheckTimeRange(o, demand);
    // The auto scheduler is run directly to report its choice.
    const bool isAuto = o.decomposition.algorithm == "auto";
    AutoResult choice;
    if (isAuto)
    {
        ValidateDecompositionInputs(demand, o.decomposition);
        choice = AutoSchedule(demand, o.decomposition);
    }
    Schedule schedule = isAuto ? choice.schedule : Decompose(demand, o.decomposition);
    FluidResult result = EvaluateSchedule(demand, schedule, o.fluid);
    const Ns bound = PerPortLowerBoundNs(demand,
                                         o.decomposition.model,
                                         o.decomposition.linkRateBps,
                                         o.decomposition.reconfigDelayNs);
    if (o.json)
    {
        std::vector<std::pair<std::string, std::string>> keys;
        keys.emplace_back("per_port_bound_ns", std::to_string(bound));
        keys.emplace_back(
            "per_port_gap",
            result.epsUnavailable || bound == 0
                ? "null"
                : Format("%.6f",
                         static_cast<double>(result.makespanNs) / static_cast<double>(bound) -
                             1.0));
        // Without a compute model the predicted layer time is the communication makespan of
        // auto's model (the residual enters the electrical fabric after its pair's last
        // circuit).
        const Ns predicted = PredictLayerTime(demand, schedule, o.fluid).layerTimeNs;
        keys.emplace_back("predicted_layer_time_ns",
                          predicted == kNeverNs ? "null" : std::to_string(predicted));
        if (isAuto)
        {
            keys.emplace_back("auto_k", std::to_string(choice.k));
            keys.emplace_back("auto_choice", "\"" + choice.choice + "\"");
            keys.emplace_back("auto_candidates", std::to_string(choice.candidates.size()));
        }
        return AddJsonKeys(
                   ScheduleToJsonText(schedule, demand, result, o.decomposition, o.fluid, 2),
                   keys) +
               "\n";
    }
    std::string text = TextReport(o, demand, schedule, result);
    text += Format("  per-port bound             %14.3f us\n", Us(bound));
    if (isAuto)
    {
        text += "  auto choice                " + choice.choice + " (of " +
                std::to_string(choice.candidates.size()) + " candidates)\n";
    }
    return text;
}

} // namespace

/**
 * Entry point of photonic-moe-schedule (see the file comment for the options).
 * @param argc argument count
 * @param argv arguments
 * @return 0 on success, 2 on bad input or usage, 1 on an internal error or a failed write
 */
int
main(int argc, char** argv)
{
    return CliGuardedMain(kProgram, [&]() {
        const std::string out = Run(argc, argv);
        std::cout << out << std::flush;
        if (!std::cout)
        {
            return CliFail(kProgram, kCliExitFailure, "cannot write the output");
        }
        return kCliExitOk;
    });
}
