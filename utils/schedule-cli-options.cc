/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "schedule-cli-options.h"

#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-enum-names.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-matching.h"
#include "ns3/pmoe-matrix-io.h"
#include "ns3/pmoe-units.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace ns3
{
namespace pmoe
{

namespace
{

constexpr const char* kProgram = "photonic-moe-schedule";
constexpr const char* kVersion = "0.1.0";

/** Largest --max-matchings. */
constexpr uint64_t kMaxMatchingsLimit = 1000000000;
/** Largest --reconfig-delay-ns: 1000 s. */
constexpr uint64_t kMaxReconfigDelayNs = 1000000000000;
/** Largest rate in Gb/s: 1 Pb/s. */
constexpr double kMaxRateGbps = 1e6;
} // namespace

std::string
CliOneLine(const std::string& s)
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

namespace
{

/** Quote an option value for an error message. */
std::string
Quoted(const std::string& s)
{
    return "'" + CliOneLine(s.size() > 40 ? s.substr(0, 40) + "..." : s) + "'";
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
        throw CliUsageError("--" + option + " expects a non-negative integer, got " + Quoted(text));
    }
    uint64_t v = 0;
    for (char c : text)
    {
        auto digit = static_cast<uint64_t>(c - '0');
        if (v > (max - digit) / 10)
        {
            throw CliUsageError("--" + option + " " + Quoted(text) + " is out of range (at most " +
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
        throw CliUsageError("--" + option + " expects " + expected + ", got " + Quoted(text));
    }
    char* end = nullptr;
    double gbps = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || std::isnan(gbps))
    {
        throw CliUsageError("--" + option + " expects " + expected + ", got " + Quoted(text));
    }
    if (gbps < 0 || (gbps == 0 && !allowZero))
    {
        throw CliUsageError("--" + option + " expects " + expected + ", got " + Quoted(text));
    }
    if (!std::isfinite(gbps) || gbps > kMaxRateGbps)
    {
        throw CliUsageError("--" + option + " " + Quoted(text) + " is out of range (at most " +
                            std::to_string(static_cast<int64_t>(kMaxRateGbps)) + " Gb/s)");
    }
    auto bps = static_cast<Bps>(std::llround(gbps * 1e9));
    if (gbps > 0 && bps < 1)
    {
        throw CliUsageError("--" + option + " " + Quoted(text) + " is below 1 bit/s");
    }
    return bps;
}

/**
 * An enum option: its value as an enum, the core's error as a usage error.
 * @param option option name, for messages
 * @param text the value
 * @return the enum value named @p text
 */
template <typename E>
E
Choice(const std::string& option, const std::string& text)
{
    try
    {
        return FromString<E>(text);
    }
    catch (const InputError& e)
    {
        throw CliUsageError("--" + option + ": " + e.what());
    }
}

/** @return the names of enum @p E for the help text, e.g. "eps|append|relay" */
template <typename E>
std::string
Alternatives()
{
    return JoinNames(EnumNameList<E>(), "|");
}

/** @return the names of the decomposition algorithms, e.g. "greedy|bvn|..." */
std::string
AlgorithmList()
{
    return JoinNames(DecomposerNames(), "|");
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
        ("greedy hold time: " + Alternatives<DurationPolicy>()).c_str())(
        "residual-policy",
        po::value<std::string>()->default_value("eps")->value_name("P"),
        ("demand left after K matchings: " + Alternatives<ResidualPolicy>()).c_str())(
        "circuit-model",
        po::value<std::string>()->default_value("unidirectional")->value_name("M"),
        Alternatives<CircuitModel>().c_str())(
        "reconfig-mode",
        po::value<std::string>()->default_value("all-stop")->value_name("M"),
        ("what goes dark on reconfiguration: " + Alternatives<ReconfigMode>()).c_str())(
        "matching",
        po::value<std::string>()->default_value("exact")->value_name("A"),
        ("matching algorithm: " + Alternatives<MatchingAlgorithm>()).c_str())(
        "stuffing",
        po::value<std::string>()->default_value("sinkhorn")->value_name("S"),
        ("BvN/Solstice stuffing: " + Alternatives<StuffingMethod>()).c_str())(
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

ScheduleCliOptions
ParseOrThrow(const std::vector<std::string>& args)
{
    ScheduleCliOptions o;
    po::options_description desc = Describe();
    po::options_description hidden;
    hidden.add_options()("positional", po::value<std::vector<std::string>>());
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description positional;
    positional.add("positional", -1);
    po::variables_map vm;
    int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(args).options(all).positional(positional).style(style).run(),
              vm);
    po::notify(vm);
    if (vm.count("positional"))
    {
        throw CliUsageError("unexpected argument " +
                            Quoted(vm["positional"].as<std::vector<std::string>>().front()) +
                            " (the matrix is given with --matrix FILE)");
    }
    if (vm.count("help"))
    {
        std::ostringstream s;
        s << desc << "\nExit status: 0 on success, 2 on bad input, 1 on other errors.\n";
        o.earlyOutput = s.str();
        return o;
    }
    if (vm.count("version"))
    {
        o.earlyOutput = std::string(kProgram) + " " + kVersion + "\n";
        return o;
    }
    if (!vm.count("matrix"))
    {
        throw CliUsageError("the option '--matrix' is required (see --help)");
    }
    // Boost takes the next token as the value even when it is an option ("--matrix --json").
    for (const auto& [key, value] : vm)
    {
        const auto* text = boost::any_cast<std::string>(&value.value());
        if (text && text->rfind("--", 0) == 0)
        {
            throw CliUsageError("--" + key + " expects a value, got the option " + Quoted(*text));
        }
    }
    auto get = [&vm](const char* key) { return vm[key].as<std::string>(); };
    o.matrixPath = get("matrix");
    if (o.matrixPath.empty())
    {
        throw CliUsageError("--matrix expects a file name, got ''");
    }

    DecompositionParams& d = o.decomposition;
    d.algorithm = get("algorithm");
    std::vector<std::string> names = DecomposerNames();
    if (std::find(names.begin(), names.end(), d.algorithm) == names.end())
    {
        throw CliUsageError("--algorithm: unknown algorithm " + Quoted(d.algorithm) +
                            " (expected " + AlgorithmList() + ")");
    }
    d.maxMatchings = static_cast<std::size_t>(
        ParseCount("max-matchings", get("max-matchings"), kMaxMatchingsLimit));
    d.durationPolicy = Choice<DurationPolicy>("duration-policy", get("duration-policy"));
    d.residualPolicy = Choice<ResidualPolicy>("residual-policy", get("residual-policy"));
    d.model = Choice<CircuitModel>("circuit-model", get("circuit-model"));
    d.matching = Choice<MatchingAlgorithm>("matching", get("matching"));
    d.stuffing = Choice<StuffingMethod>("stuffing", get("stuffing"));
    d.reconfigDelayNs = static_cast<Ns>(
        ParseCount("reconfig-delay-ns", get("reconfig-delay-ns"), kMaxReconfigDelayNs));
    d.linkRateBps = ParseRateGbps("link-rate-gbps", get("link-rate-gbps"), false);
    d.rotorSlotBytes = static_cast<Bytes>(ParseCount("rotor-slot-bytes",
                                                     get("rotor-slot-bytes"),
                                                     static_cast<uint64_t>(kMaxMatrixEntryBytes)));

    FluidParams& f = o.fluid;
    f.mode = Choice<ReconfigMode>("reconfig-mode", get("reconfig-mode"));
    f.reconfigDelayNs = d.reconfigDelayNs;
    f.linkRateBps = d.linkRateBps;
    f.epsRateBps = ParseRateGbps("eps-rate-gbps", get("eps-rate-gbps"), true);
    // The auto scheduler plans for the switch and electrical fabric it is evaluated on.
    d.reconfigMode = f.mode;
    d.epsRateBps = f.epsRateBps;
    o.json = vm["json"].as<bool>();
    return o;
}

/**
 * The message of a Boost.ProgramOptions error, safe on any command line.
 *
 * Boost (1.74 at least) builds what() by replacing placeholders such as
 * "%canonical_option%" with the offending token until none is left, so a token that itself
 * contains a placeholder makes what() loop forever (found by fuzz/fuzz-cli-options.cc). When
 * an argument contains '%', the message is built here from the option name alone, with the
 * name quoted by Quoted().
 * @param e the error
 * @param args the command line
 * @return a one-line message
 */
std::string
BoostErrorMessage(const po::error& e, const std::vector<std::string>& args)
{
    bool percent = std::any_of(args.begin(), args.end(), [](const std::string& a) {
        return a.find('%') != std::string::npos;
    });
    if (!percent)
    {
        return e.what();
    }
    const auto* named = dynamic_cast<const po::error_with_option_name*>(&e);
    if (!named)
    {
        return "malformed command line";
    }
    const std::string name = Quoted(named->get_option_name());
    if (dynamic_cast<const po::unknown_option*>(&e))
    {
        return "unrecognised option " + name;
    }
    if (dynamic_cast<const po::multiple_occurrences*>(&e))
    {
        return "option " + name + " cannot be specified more than once";
    }
    return "bad use of option " + name;
}

} // namespace

ScheduleCliOptions
ParseScheduleCliOptions(const std::vector<std::string>& args)
{
    try
    {
        return ParseOrThrow(args);
    }
    catch (const po::error& e)
    {
        throw CliUsageError(BoostErrorMessage(e, args) + " (see --help)");
    }
}

int
CliFail(const char* program, int status, const std::string& what)
{
    std::cerr << program << ": error: " << CliOneLine(what) << std::endl;
    return status;
}

int
CliGuardedMain(const char* program, const std::function<int()>& body)
{
    try
    {
        return body();
    }
    catch (const CliUsageError& e)
    {
        return CliFail(program, kCliExitUsage, e.what());
    }
    catch (const InputError& e)
    {
        return CliFail(program, kCliExitUsage, e.what());
    }
    catch (const std::bad_alloc&)
    {
        return CliFail(program, kCliExitFailure, "out of memory");
    }
    catch (const std::exception& e)
    {
        return CliFail(program, kCliExitFailure, std::string("internal error: ") + e.what());
    }
    catch (...)
    {
        return CliFail(program, kCliExitFailure, "internal error: unknown exception");
    }
}

} // namespace pmoe
} // namespace ns3
