/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Runs the built photonic-moe-schedule binary (PMOE_CLI) and checks its exit status,
// stdout and stderr.

#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-matrix-io.h"
#include "ns3/pmoe-schedule-json.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace ns3::pmoe;
using Json = nlohmann::json;

namespace
{

const std::string kSource = PMOE_SOURCE_DIR;

struct CliResult
{
    int status{-1};  //!< exit status, or -1 if it did not exit normally
    std::string out; //!< stdout
    std::string err; //!< stderr
};

std::string
Slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/** Quote for /bin/sh. */
std::string
ShellQuote(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
    {
        q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

/** Run the CLI with @p args (already quoted where needed). */
CliResult
RunCli(const std::string& args)
{
    static int counter = 0; // unique file names within this process
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string base = ::testing::TempDir() + "pmoe-cli-" + std::to_string(getpid()) + "-" +
                       info->name() + "-" + std::to_string(counter++);
    std::string outPath = base + ".out";
    std::string errPath = base + ".err";
    std::string cmd = ShellQuote(PMOE_CLI) + " " + args + " >" + ShellQuote(outPath) + " 2>" +
                      ShellQuote(errPath) + " </dev/null";
    int raw = std::system(cmd.c_str());
    CliResult r;
    if (raw != -1 && WIFEXITED(raw))
    {
        r.status = WEXITSTATUS(raw);
    }
    r.out = Slurp(outPath);
    r.err = Slurp(errPath);
    std::remove(outPath.c_str());
    std::remove(errPath.c_str());
    return r;
}

std::string
Matrix(const std::string& relative)
{
    return ShellQuote(kSource + "/" + relative);
}

/** Run with --json and parse stdout; fails the test on any problem. */
Json
RunJson(const std::string& args)
{
    CliResult r = RunCli(args + " --json");
    EXPECT_EQ(r.status, 0) << args << "\n" << r.err;
    EXPECT_EQ(r.err, "") << args;
    Json j;
    try
    {
        j = Json::parse(r.out);
    }
    catch (const Json::exception& e)
    {
        ADD_FAILURE() << args << ": stdout is not one JSON value: " << e.what() << "\n" << r.out;
    }
    return j;
}

/** Bytes served summed over the matchings. */
Bytes
SumServed(const Json& j)
{
    Bytes s = 0;
    for (const Json& m : j.at("matchings"))
    {
        s += m.at("bytes_served").get<Bytes>();
    }
    return s;
}

} // namespace

TEST(Cli, HelpAndVersion)
{
    CliResult h = RunCli("--help");
    EXPECT_EQ(h.status, 0);
    EXPECT_EQ(h.err, "");
    for (const char* opt : {"--matrix",
                            "--algorithm",
                            "--max-matchings",
                            "--duration-policy",
                            "--residual-policy",
                            "--circuit-model",
                            "--reconfig-mode",
                            "--matching",
                            "--stuffing",
                            "--reconfig-delay-ns",
                            "--link-rate-gbps",
                            "--eps-rate-gbps",
                            "--rotor-slot-bytes",
                            "--json",
                            "--version"})
    {
        EXPECT_NE(h.out.find(opt), std::string::npos) << opt;
    }
    CliResult v = RunCli("--version");
    EXPECT_EQ(v.status, 0);
    EXPECT_EQ(v.out.rfind("photonic-moe-schedule ", 0), 0u) << v.out;
    EXPECT_EQ(v.err, "");
}

TEST(Cli, BadInputExitsTwoWithOneLine)
{
    const std::string m8 = Matrix("data/moe-8.csv");
    const std::string bad = kSource + "/test/data/bad/";

    struct Case
    {
        std::string args;
        std::string expected; // substring of the error line
    };

    const std::vector<Case> cases = {
        {"", "'--matrix' is required"},
        {"--matrix", "--matrix"},
        {"--matrix ''", "--matrix expects a file name"},
        {"--matrix --json", "--matrix expects a value, got the option '--json'"},
        {"--matrix /nonexistent/m.csv", "/nonexistent/m.csv: cannot open matrix file"},
        {"--matrix " + ShellQuote(kSource + "/test"), "is a directory"},
        {"--matrix " + ShellQuote(bad + "ragged.csv"),
         bad + "ragged.csv:2:4: row 2 has 2 entries, expected 3"},
        {"--matrix " + ShellQuote(bad + "negative.csv"),
         bad + "negative.csv:2:3: negative entry '-3'"},
        {"--matrix " + ShellQuote(bad + "nan.csv"),
         bad + "nan.csv:1:4: entry 'NaN' is not a finite number"},
        {"--matrix " + ShellQuote(bad + "empty.csv"), bad + "empty.csv:1:1: empty matrix"},
        {"--matrix " + ShellQuote(bad + "one-by-one.csv"),
         bad + "one-by-one.csv:2:1: matrix is 1x1"},
        {"--matrix " + ShellQuote(bad + "non-numeric.csv"),
         bad + "non-numeric.csv:2:5: non-numeric entry 'x5'"},
        {"--matrix " + ShellQuote(bad + "fractional.csv"),
         bad + "fractional.csv:1:3: fractional entry '1.5'"},
        {"--matrix " + ShellQuote(bad + "not-square.csv"),
         bad + "not-square.csv:3:1: matrix is not square"},
        {"--matrix " + ShellQuote(bad + "too-large.csv"),
         bad + "too-large.csv:1:3: entry '1e20' is too large"},
        {"--matrix " + ShellQuote(bad + "empty-field.csv"),
         bad + "empty-field.csv:1:3: empty field"},
        {"--matrix " + m8 + " --frobnicate", "unrecognised option '--frobnicate'"},
        {"--matrix " + m8 + " --algo greedy", "unrecognised option '--algo'"},
        {"--matrix " + m8 + " extra-positional", "extra-positional"},
        {"--matrix " + m8 + " --matrix " + m8, "cannot be specified more than once"},
        {"--matrix " + m8 + " --algorithm quantum", "--algorithm: unknown algorithm 'quantum'"},
        {"--matrix " + m8 + " --max-matchings abc",
         "--max-matchings expects a non-negative integer, got 'abc'"},
        {"--matrix " + m8 + " --max-matchings=-5",
         "--max-matchings expects a non-negative integer, got '-5'"},
        {"--matrix " + m8 + " --max-matchings 2.5",
         "--max-matchings expects a non-negative integer, got '2.5'"},
        {"--matrix " + m8 + " --max-matchings 99999999999999999999999",
         "--max-matchings '99999999999999999999999' is out of range"},
        {"--matrix " + m8 + " --max-matchings ''", "--max-matchings expects"},
        {"--matrix " + m8 + " --reconfig-delay-ns=-1", "--reconfig-delay-ns expects"},
        {"--matrix " + m8 + " --reconfig-delay-ns 1e3", "--reconfig-delay-ns expects"},
        {"--matrix " + m8 + " --reconfig-delay-ns 10000000000000", "out of range"},
        {"--matrix " + m8 + " --link-rate-gbps 0", "--link-rate-gbps expects a positive rate"},
        {"--matrix " + m8 + " --link-rate-gbps=-400", "--link-rate-gbps expects"},
        {"--matrix " + m8 + " --link-rate-gbps nan", "--link-rate-gbps expects"},
        {"--matrix " + m8 + " --link-rate-gbps inf", "--link-rate-gbps 'inf' is out of range"},
        {"--matrix " + m8 + " --link-rate-gbps 400x", "--link-rate-gbps expects"},
        {"--matrix " + m8 + " --link-rate-gbps ' 400'", "--link-rate-gbps expects"},
        {"--matrix " + m8 + " --link-rate-gbps 1e-12", "below 1 bit/s"},
        {"--matrix " + m8 + " --eps-rate-gbps=-1", "--eps-rate-gbps expects a non-negative"},
        {"--matrix " + m8 + " --rotor-slot-bytes 1.5", "--rotor-slot-bytes expects"},
        {"--matrix " + m8 + " --duration-policy forever", "--duration-policy"},
        {"--matrix " + m8 + " --residual-policy drop", "--residual-policy"},
        {"--matrix " + m8 + " --circuit-model triplex", "--circuit-model"},
        {"--matrix " + m8 + " --reconfig-mode some", "--reconfig-mode"},
        {"--matrix " + m8 + " --matching random", "--matching"},
        {"--matrix " + m8 + " --stuffing glue", "--stuffing"},
        // The demand cannot be served within 2^62 ns at 1 bit/s.
        {"--matrix " + m8 + " --link-rate-gbps 0.000000001", "could exceed 2^62 ns"},
    };
    const std::string prefix = "photonic-moe-schedule: error: ";
    for (const Case& c : cases)
    {
        for (const std::string& json : {std::string(""), std::string(" --json")})
        {
            CliResult r = RunCli(c.args + json);
            SCOPED_TRACE(c.args + json);
            EXPECT_EQ(r.status, 2);
            EXPECT_EQ(r.out, "");
            ASSERT_FALSE(r.err.empty());
            EXPECT_EQ(r.err.back(), '\n');
            EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err; // exactly one line
            EXPECT_EQ(r.err.rfind(prefix, 0), 0u) << r.err;
            EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
        }
    }
}

TEST(Cli, JsonHasEveryKeyAndConservesBytes)
{
    DemandMatrix d = ReadDemandMatrix(kSource + "/data/moe-8.csv");
    Json j = RunJson("--matrix " + Matrix("data/moe-8.csv"));
    for (const char* key : {"ports",
                            "algorithm",
                            "circuit_model",
                            "matchings",
                            "residual_bytes",
                            "makespan_ns",
                            "lower_bound_ns",
                            "lower_bound_reconfig_ns",
                            "reconfigurations",
                            "stuffed_bytes",
                            "relayed_bytes",
                            "bubble_fraction",
                            "utilisation",
                            "eps_time_ns",
                            "parameters",
                            "relays"})
    {
        EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["ports"], 8);
    EXPECT_EQ(j["algorithm"], "greedy");
    EXPECT_EQ(j["circuit_model"], "unidirectional");
    ASSERT_FALSE(j["matchings"].empty());
    for (const Json& m : j["matchings"])
    {
        for (const char* key :
             {"duration_ns", "circuits", "bytes_served", "planned_bytes", "start_ns", "end_ns"})
        {
            EXPECT_TRUE(m.contains(key)) << key;
        }
        EXPECT_LE(m["start_ns"].get<Ns>() + m["duration_ns"].get<Ns>(), m["end_ns"].get<Ns>());
    }
    EXPECT_EQ(SumServed(j) + j["residual_bytes"].get<Bytes>(), d.Total());
    EXPECT_EQ(j["residual_bytes"], 0); // unbounded greedy serves everything
    EXPECT_EQ(j["lower_bound_ns"], LoadLowerBoundNs(d, 400000000000));
    EXPECT_GE(j["makespan_ns"].get<Ns>(), j["lower_bound_reconfig_ns"].get<Ns>());
    const Json& p = j["parameters"];
    EXPECT_EQ(p["reconfig_delay_ns"], 10000);
    EXPECT_EQ(p["link_rate_bps"], 400000000000);
    EXPECT_EQ(p["max_matchings"], 0);
    EXPECT_EQ(p["eps_rate_bps"], 0);
}

TEST(Cli, EveryAlgorithmRunsOnMoe8)
{
    DemandMatrix d = ReadDemandMatrix(kSource + "/data/moe-8.csv");
    for (const std::string& algorithm : DecomposerNames())
    {
        for (const char* model : {"unidirectional", "duplex"})
        {
            SCOPED_TRACE(algorithm + " " + model);
            Json j = RunJson("--matrix " + Matrix("data/moe-8.csv") + " --algorithm " + algorithm +
                             " --circuit-model " + model + " --eps-rate-gbps 100");
            EXPECT_EQ(j["algorithm"], algorithm);
            EXPECT_EQ(j["circuit_model"], model);
            EXPECT_EQ(SumServed(j) + j["residual_bytes"].get<Bytes>(), d.Total());
            if (algorithm == "auto")
            {
                // auto may leave demand to the electrical fabric, which runs in parallel:
                // each port moves at most 400 + 100 Gb/s.
                EXPECT_GE(j["makespan_ns"].get<Ns>(), LoadLowerBoundNs(d, 500000000000));
                EXPECT_GE(j["auto_k"].get<std::size_t>(), 1u);
            }
            else
            {
                EXPECT_GE(j["makespan_ns"].get<Ns>(), j["lower_bound_ns"].get<Ns>());
            }
            // Text mode runs too and lists one line per matching.
            CliResult t = RunCli("--matrix " + Matrix("data/moe-8.csv") + " --algorithm " +
                                 algorithm + " --circuit-model " + model + " --eps-rate-gbps 100");
            EXPECT_EQ(t.status, 0) << t.err;
            EXPECT_EQ(t.err, "");
            std::regex row(R"(^ *[0-9]+ +[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+$)");
            std::istringstream lines(t.out);
            std::string line;
            std::size_t rows = 0;
            while (std::getline(lines, line))
            {
                rows += std::regex_match(line, row) ? 1 : 0;
            }
            EXPECT_EQ(rows, j["matchings"].size());
            EXPECT_NE(t.out.find("makespan"), std::string::npos);
            EXPECT_NE(t.out.find("lower bound rho/r"), std::string::npos);
            EXPECT_NE(t.out.find("bubble fraction"), std::string::npos);
        }
    }
}

TEST(Cli, HandWorkedMatrices)
{
    // One permutation: one matching of 100 us, delta 10 us.
    Json a = RunJson("--matrix " + Matrix("test/data/hand-3.csv"));
    ASSERT_EQ(a["matchings"].size(), 1u);
    EXPECT_EQ(a["matchings"][0]["circuits"], Json::parse("[[0,1],[1,2],[2,0]]"));
    EXPECT_EQ(a["matchings"][0]["duration_ns"], 100000);
    EXPECT_EQ(a["matchings"][0]["bytes_served"], 15000000);
    EXPECT_EQ(a["lower_bound_ns"], 100000);
    EXPECT_EQ(a["lower_bound_reconfig_ns"], 110000);
    EXPECT_EQ(a["makespan_ns"], 110000);
    EXPECT_EQ(a["reconfigurations"], 1);

    // 3 MB x P1 + 1 MB x P2: greedy holds P1 for 60 us, then P2 for 20 us.
    Json b = RunJson("--matrix " + Matrix("test/data/hand-4.csv") + " --reconfig-delay-ns 5000");
    ASSERT_EQ(b["matchings"].size(), 2u);
    EXPECT_EQ(b["matchings"][0]["circuits"], Json::parse("[[0,1],[1,0],[2,3],[3,2]]"));
    EXPECT_EQ(b["matchings"][0]["duration_ns"], 60000);
    EXPECT_EQ(b["matchings"][1]["circuits"], Json::parse("[[0,2],[1,3],[2,0],[3,1]]"));
    EXPECT_EQ(b["matchings"][1]["duration_ns"], 20000);
    EXPECT_EQ(b["lower_bound_ns"], 80000);
    EXPECT_EQ(b["makespan_ns"], 90000);
    EXPECT_EQ(b["residual_bytes"], 0);
    EXPECT_DOUBLE_EQ(b["optimality_gap"].get<double>(), 0.125);

    // A budget of one matching leaves P2 as residual: without an electrical fabric the
    // makespan is unbounded (null); at 8 Gb/s per port, each port sends 1 MB in 1 ms.
    Json c = RunJson("--matrix " + Matrix("test/data/hand-4.csv") + " --max-matchings 1");
    ASSERT_EQ(c["matchings"].size(), 1u);
    EXPECT_EQ(c["residual_bytes"], 4000000);
    EXPECT_TRUE(c["makespan_ns"].is_null());
    EXPECT_EQ(c["eps_unavailable"], true);
    Json e = RunJson("--matrix " + Matrix("test/data/hand-4.csv") +
                     " --max-matchings 1 --eps-rate-gbps 8");
    EXPECT_EQ(e["residual_bytes"], 4000000);
    EXPECT_EQ(e["eps_time_ns"], 1000000);
    EXPECT_EQ(e["makespan_ns"], 1000000);
    EXPECT_EQ(SumServed(e) + e["residual_bytes"].get<Bytes>(), 16000000);
}

TEST(Cli, JsonOutputReplays)
{
    const std::string args = "--matrix " + Matrix("data/moe-16.csv") +
                             " --max-matchings 6 --residual-policy relay --eps-rate-gbps 100";
    Json j = RunJson(args);
    std::istringstream in(j.dump());
    Schedule s = ParseScheduleJson(in, "cli-output");
    EXPECT_EQ(s.Ports(), 16u);
    EXPECT_EQ(s.NumConfigurations(), j["matchings"].size());
    DemandMatrix d = ReadDemandMatrix(kSource + "/data/moe-16.csv");
    FluidParams fp;
    fp.epsRateBps = 100000000000;
    FluidResult r = EvaluateSchedule(d, s, fp);
    EXPECT_EQ(r.makespanNs, j["makespan_ns"].get<Ns>());
    EXPECT_EQ(r.residualBytes, j["residual_bytes"].get<Bytes>());
    EXPECT_EQ(r.relayedBytes, j["relayed_bytes"].get<Bytes>());
}
