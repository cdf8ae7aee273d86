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

#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-matching.h"
#include "ns3/pmoe-matrix-io.h"
#include "ns3/pmoe-schedule-json.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"

#include <algorithm>
#include <boost/program_options.hpp>
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
#include <vector>

namespace po = boost::program_options;
using namespace ns3::pmoe;

namespace
{

constexpr const char* kProgram = "photonic-moe-schedule";
constexpr const char* kVersion = "0.1.0";

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

/** Largest --max-matchings. */
constexpr uint64_t kMaxMatchingsLimit = 1000000000;
/** Largest --reconfig-delay-ns: 1000 s. */
constexpr uint64_t kMaxReconfigDelayNs = 1000000000000;
/** Largest rate in Gb/s: 1 Pb/s. */
constexpr double kMaxRateGbps = 1e6;
/** Largest time the schedule may need, so that no sum of nanoseconds overflows: 2^62 ns. */
constexpr long double kMaxScheduleNs = 4611686018427387904.0L;

/** A bad command line or option value: exit status 2. */
class UsageError : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

/** Everything the command line selects. */
struct Options
{
    std::string matrixPath;
    DecompositionParams decomposition;
    FluidParams fluid;
    bool json{false};
};

/** @return @p s with control characters replaced, so that an error stays on one line */
std::string
OneLine(const std::string& s)
{
    std::string out = s;
    for (char& c : out)
    {
        auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b == 0x7f)
        {
            c = '?';
        }
    }
    return out;
}

/** Quote an option value for an error message. */
std::string
Quoted(const std::string& s)
{
    return "'" + OneLine(s.size() > 40 ? s.substr(0, 40) + "..." : s) + "'";
}

/**
 * Parse a non-negative decimal integer option (digits only).
 * @param option option name, for messages
 * @param text the value
 * @param max largest accepted value
 * @return the value
 */
uint64_t
ParseCount(const std::string& option, const std::string& text, uint64_t max)
{
    if (text.empty() ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    {
        throw UsageError("--" + option + " expects a non-negative integer, got " + Quoted(text));
    }
    uint64_t v = 0;
    for (char c : text)
    {
        auto digit = static_cast<uint64_t>(c - '0');
        if (v > (max - digit) / 10)
        {
            throw UsageError("--" + option + " " + Quoted(text) + " is out of range (at most " +
                             std::to_string(max) + ")");
        }
        v = v * 10 + digit;
    }
    return v;
}

/**
 * Parse a rate option in Gb/s.
 * @param option option name, for messages
 * @param text the value
 * @param allowZero whether 0 (meaning "none") is accepted
 * @return the rate in bit/s
 */
Bps
ParseRateGbps(const std::string& option, const std::string& text, bool allowZero)
{
    const std::string expected =
        allowZero ? "a non-negative rate in Gb/s" : "a positive rate in Gb/s";
    if (text.empty() || text.find_first_of(" \t\n\r\v\f") != std::string::npos)
    {
        throw UsageError("--" + option + " expects " + expected + ", got " + Quoted(text));
    }
    char* end = nullptr;
    double gbps = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || std::isnan(gbps))
    {
        throw UsageError("--" + option + " expects " + expected + ", got " + Quoted(text));
    }
    if (gbps < 0 || (gbps == 0 && !allowZero))
    {
        throw UsageError("--" + option + " expects " + expected + ", got " + Quoted(text));
    }
    if (!std::isfinite(gbps) || gbps > kMaxRateGbps)
    {
        throw UsageError("--" + option + " " + Quoted(text) + " is out of range (at most " +
                         std::to_string(static_cast<int64_t>(kMaxRateGbps)) + " Gb/s)");
    }
    auto bps = static_cast<Bps>(std::llround(gbps * 1e9));
    if (gbps > 0 && bps < 1)
    {
        throw UsageError("--" + option + " " + Quoted(text) + " is below 1 bit/s");
    }
    return bps;
}

/** Run an enum converter from the core, reporting its error as a usage error. */
template <typename F>
auto
Choice(const std::string& option, const std::string& text, F fromString)
{
    try
    {
        return fromString(text);
    }
    catch (const InputError& e)
    {
        throw UsageError("--" + option + ": " + e.what());
    }
}

MatchingAlgorithm
MatchingFromString(const std::string& s)
{
    if (s == "exact")
    {
        return MatchingAlgorithm::EXACT;
    }
    if (s == "greedy")
    {
        return MatchingAlgorithm::GREEDY;
    }
    throw InputError("unknown matching algorithm '" + s + "' (expected exact or greedy)");
}

std::string
AlgorithmList()
{
    std::string list;
    for (const std::string& n : DecomposerNames())
    {
        list += (list.empty() ? "" : "|") + n;
    }
    return list;
}

po::options_description
Describe()
{
    po::options_description d("Usage: photonic-moe-schedule --matrix FILE [options]\n\n"
                              "Decompose a demand matrix into an optical circuit schedule and "
                              "evaluate it.\n\nOptions",
                              100,
                              50);
    // Every value is read as a string and checked here: Boost's numeric conversions accept
    // "-5" for unsigned types.
    d.add_options()("help,h", "print this help and exit")("version", "print the version and exit")(
        "matrix",
        po::value<std::string>()->value_name("FILE"),
        "demand matrix: N rows of N byte counts (required)")(
        "algorithm",
        po::value<std::string>()->default_value("greedy")->value_name("NAME"),
        ("decomposition: " + AlgorithmList()).c_str())(
        "max-matchings",
        po::value<std::string>()->default_value("0")->value_name("K"),
        "matching budget K; 0 = unbounded")(
        "duration-policy",
        po::value<std::string>()->default_value("whole-pair")->value_name("P"),
        "greedy hold time: whole-pair|min-entry|delta-aware")(
        "residual-policy",
        po::value<std::string>()->default_value("eps")->value_name("P"),
        "demand left after K matchings: eps|append|relay")(
        "circuit-model",
        po::value<std::string>()->default_value("unidirectional")->value_name("M"),
        "unidirectional|duplex")(
        "reconfig-mode",
        po::value<std::string>()->default_value("all-stop")->value_name("M"),
        "what goes dark on reconfiguration: all-stop|changed-only")(
        "matching",
        po::value<std::string>()->default_value("exact")->value_name("A"),
        "matching algorithm: exact|greedy")(
        "stuffing",
        po::value<std::string>()->default_value("sinkhorn")->value_name("S"),
        "BvN/Solstice stuffing: sinkhorn|quick")(
        "reconfig-delay-ns",
        po::value<std::string>()->default_value("10000")->value_name("NS"),
        "reconfiguration delay delta in ns")(
        "link-rate-gbps",
        po::value<std::string>()->default_value("400")->value_name("R"),
        "circuit rate per port in Gb/s")(
        "eps-rate-gbps",
        po::value<std::string>()->default_value("0")->value_name("R"),
        "electrical fabric rate per port in Gb/s for the residual; 0 = none")(
        "rotor-slot-bytes",
        po::value<std::string>()->default_value("0")->value_name("B"),
        "rotor slot in bytes; 0 = the largest entry")("json",
                                                      po::bool_switch(),
                                                      "print one JSON object instead of the table");
    return d;
}

/** @return the options, or nothing for --help/--version (after printing to @p out) */
bool
ParseCommandLine(int argc, char** argv, Options& o, std::string& out)
{
    po::options_description desc = Describe();
    po::options_description hidden;
    hidden.add_options()("positional", po::value<std::vector<std::string>>());
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description positional;
    positional.add("positional", -1);
    po::variables_map vm;
    int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(
        po::command_line_parser(argc, argv).options(all).positional(positional).style(style).run(),
        vm);
    po::notify(vm);
    if (vm.count("positional"))
    {
        throw UsageError("unexpected argument " +
                         Quoted(vm["positional"].as<std::vector<std::string>>().front()) +
                         " (the matrix is given with --matrix FILE)");
    }
    if (vm.count("help"))
    {
        std::ostringstream s;
        s << desc << "\nExit status: 0 on success, 2 on bad input, 1 on other errors.\n";
        out = s.str();
        return false;
    }
    if (vm.count("version"))
    {
        out = std::string(kProgram) + " " + kVersion + "\n";
        return false;
    }
    if (!vm.count("matrix"))
    {
        throw UsageError("the option '--matrix' is required (see --help)");
    }
    // Boost takes the next token as the value even when it is an option ("--matrix --json").
    for (const auto& [key, value] : vm)
    {
        const auto* text = boost::any_cast<std::string>(&value.value());
        if (text && text->rfind("--", 0) == 0)
        {
            throw UsageError("--" + key + " expects a value, got the option " + Quoted(*text));
        }
    }
    auto get = [&vm](const char* key) { return vm[key].as<std::string>(); };
    o.matrixPath = get("matrix");
    if (o.matrixPath.empty())
    {
        throw UsageError("--matrix expects a file name, got ''");
    }

    DecompositionParams& d = o.decomposition;
    d.algorithm = get("algorithm");
    std::vector<std::string> names = DecomposerNames();
    if (std::find(names.begin(), names.end(), d.algorithm) == names.end())
    {
        throw UsageError("--algorithm: unknown algorithm " + Quoted(d.algorithm) + " (expected " +
                         AlgorithmList() + ")");
    }
    d.maxMatchings = static_cast<std::size_t>(
        ParseCount("max-matchings", get("max-matchings"), kMaxMatchingsLimit));
    d.durationPolicy = Choice("duration-policy", get("duration-policy"), DurationPolicyFromString);
    d.residualPolicy = Choice("residual-policy", get("residual-policy"), ResidualPolicyFromString);
    d.model = Choice("circuit-model", get("circuit-model"), CircuitModelFromString);
    d.matching = Choice("matching", get("matching"), MatchingFromString);
    d.stuffing = Choice("stuffing", get("stuffing"), StuffingMethodFromString);
    d.reconfigDelayNs = static_cast<Ns>(
        ParseCount("reconfig-delay-ns", get("reconfig-delay-ns"), kMaxReconfigDelayNs));
    d.linkRateBps = ParseRateGbps("link-rate-gbps", get("link-rate-gbps"), false);
    d.rotorSlotBytes = static_cast<Bytes>(ParseCount("rotor-slot-bytes",
                                                     get("rotor-slot-bytes"),
                                                     static_cast<uint64_t>(kMaxMatrixEntryBytes)));

    FluidParams& f = o.fluid;
    f.mode = Choice("reconfig-mode", get("reconfig-mode"), ReconfigModeFromString);
    f.reconfigDelayNs = d.reconfigDelayNs;
    f.linkRateBps = d.linkRateBps;
    f.epsRateBps = ParseRateGbps("eps-rate-gbps", get("eps-rate-gbps"), true);
    o.json = vm["json"].as<bool>();
    return true;
}

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
    out << "matrix     " << OneLine(o.matrixPath) << ": " << d.Size() << " ports, " << d.Total()
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

/** Everything but printing; @return the text to print on stdout */
std::string
Run(int argc, char** argv)
{
    Options o;
    std::string early;
    if (!ParseCommandLine(argc, argv, o, early))
    {
        return early;
    }
    DemandMatrix demand = ReadDemandMatrix(o.matrixPath);
    CheckTimeRange(o, demand);
    Schedule schedule = Decompose(demand, o.decomposition);
    FluidResult result = EvaluateSchedule(demand, schedule, o.fluid);
    if (o.json)
    {
        return ScheduleToJson(schedule, demand, result, o.decomposition, o.fluid).dump(2) + "\n";
    }
    return TextReport(o, demand, schedule, result);
}

int
Fail(int status, const std::string& what)
{
    std::cerr << kProgram << ": error: " << OneLine(what) << std::endl;
    return status;
}

} // namespace

int
main(int argc, char** argv)
{
    std::string out;
    try
    {
        out = Run(argc, argv);
    }
    catch (const UsageError& e)
    {
        return Fail(kExitUsage, e.what());
    }
    catch (const po::error& e)
    {
        return Fail(kExitUsage, std::string(e.what()) + " (see --help)");
    }
    catch (const InputError& e)
    {
        return Fail(kExitUsage, e.what());
    }
    catch (const std::bad_alloc&)
    {
        return Fail(kExitFailure, "out of memory");
    }
    catch (const std::exception& e)
    {
        return Fail(kExitFailure, std::string("internal error: ") + e.what());
    }
    catch (...)
    {
        return Fail(kExitFailure, "internal error: unknown exception");
    }
    std::cout << out << std::flush;
    if (!std::cout)
    {
        return Fail(kExitFailure, "cannot write the output");
    }
    return kExitOk;
}
