/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-matrix-io.h"
#include "ns3/pmoe-schedule-json.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"

#include <gtest/gtest.h>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

using namespace ns3::pmoe;
using Json = nlohmann::json;

namespace
{

/** A hand-made 4-port schedule with every optional part filled in. */
Schedule
HandSchedule()
{
    Schedule s(4, CircuitModel::UNIDIRECTIONAL);
    s.algorithm = "hand";
    Configuration a;
    a.circuits = {{2, 3}, {0, 1}, {1, 0}}; // unsorted on purpose
    a.durationNs = 60000;
    a.plannedBytes = 9000000;
    s.Append(a);
    Configuration b;
    b.circuits = {{1, 2}};
    b.durationNs = 20000;
    b.plannedBytes = 123;
    s.Append(b);
    s.relays.push_back(RelayFlow{0, 1, 2, 77, 0, 1});
    s.stuffedBytes = 42;
    s.residual.Set(3, 0, 500);
    s.residual.Set(0, 2, 7);
    return s;
}

/** Schedule fields compared one by one (Schedule has no operator==). */
void
ExpectSameSchedule(const Schedule& a, const Schedule& b)
{
    ASSERT_EQ(a.Ports(), b.Ports());
    EXPECT_EQ(a.Model(), b.Model());
    EXPECT_EQ(a.algorithm, b.algorithm);
    ASSERT_EQ(a.NumConfigurations(), b.NumConfigurations());
    for (std::size_t k = 0; k < a.NumConfigurations(); ++k)
    {
        const Configuration& x = a.Configurations()[k];
        const Configuration& y = b.Configurations()[k];
        EXPECT_EQ(x.durationNs, y.durationNs) << k;
        EXPECT_EQ(x.plannedBytes, y.plannedBytes) << k;
        EXPECT_EQ(x.circuits, y.circuits) << k;
    }
    ASSERT_EQ(a.relays.size(), b.relays.size());
    for (std::size_t k = 0; k < a.relays.size(); ++k)
    {
        EXPECT_EQ(a.relays[k].src, b.relays[k].src);
        EXPECT_EQ(a.relays[k].via, b.relays[k].via);
        EXPECT_EQ(a.relays[k].dst, b.relays[k].dst);
        EXPECT_EQ(a.relays[k].bytes, b.relays[k].bytes);
        EXPECT_EQ(a.relays[k].firstConfig, b.relays[k].firstConfig);
        EXPECT_EQ(a.relays[k].secondConfig, b.relays[k].secondConfig);
    }
    EXPECT_EQ(a.stuffedBytes, b.stuffedBytes);
    EXPECT_EQ(a.residual, b.residual);
}

Schedule
Reload(const Json& j)
{
    std::istringstream in(j.dump());
    return ParseScheduleJson(in, "s.json");
}

/** The InputError message of loading @p text, or "" if it loads. */
std::string
LoadError(const std::string& text)
{
    try
    {
        std::istringstream in(text);
        ParseScheduleJson(in, "s.json");
    }
    catch (const InputError& e)
    {
        return e.what();
    }
    return "";
}

} // namespace

TEST(ScheduleJson, ScheduleOnlyRoundTrip)
{
    Schedule s = HandSchedule();
    Json j = Json::parse(ScheduleToJsonText(s));
    EXPECT_EQ(j["format"], "photonic-moe-schedule");
    EXPECT_EQ(j["ports"], 4);
    EXPECT_EQ(j["circuit_model"], "unidirectional");
    EXPECT_EQ(j["matchings"][0]["circuits"], Json::parse("[[0,1],[1,0],[2,3]]"));
    EXPECT_EQ(j["matchings"][1]["duration_ns"], 20000);
    EXPECT_EQ(j["residual_pairs"], Json::parse("[[0,2,7],[3,0,500]]"));
    ExpectSameSchedule(s, Reload(j));
}

TEST(ScheduleJson, TextIsOneLineOrIndented)
{
    Schedule s = HandSchedule();
    const std::string line = ScheduleToJsonText(s);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_EQ(ScheduleToJsonText(s, 2), Json::parse(line).dump(2));
}

TEST(ScheduleJson, DuplexRoundTrip)
{
    Schedule s(6, CircuitModel::DUPLEX);
    Configuration c;
    c.circuits = {{0, 5}, {1, 2}, {3, 4}};
    c.durationNs = 1;
    s.Append(c);
    c.circuits = {{0, 1}};
    c.durationNs = 0;
    s.Append(c);
    Schedule t = Reload(Json::parse(ScheduleToJsonText(s)));
    ExpectSameSchedule(s, t);
    EXPECT_EQ(t.Model(), CircuitModel::DUPLEX);
}

TEST(ScheduleJson, EvaluatedFormHasEveryKey)
{
    Schedule s = HandSchedule();
    DemandMatrix d({{0, 3, 1, 0}, {3, 0, 0, 1}, {1, 0, 0, 3}, {0, 1, 3, 0}});
    FluidResult r;
    r.makespanNs = 100000;
    r.circuitMakespanNs = 100000;
    r.lowerBoundNs = 80000;
    r.lowerBoundReconfigNs = 100000;
    r.bytesServed = 14;
    r.residualBytes = 2;
    r.reconfigurations = 2;
    r.bubbleFraction = 0.25;
    r.utilisation = 0.75;
    r.configs.resize(2);
    r.configs[0] = ConfigurationResult{10000, 70000, 10, 40, 5};
    r.configs[1] = ConfigurationResult{80000, 100000, 4, 0, 0};
    DecompositionParams dp;
    dp.maxMatchings = 2;
    dp.residualPolicy = ResidualPolicy::RELAY;
    dp.matching = MatchingAlgorithm::GREEDY;
    FluidParams fp;
    fp.mode = ReconfigMode::CHANGED_ONLY;
    fp.epsRateBps = 100000000000;
    Json j = Json::parse(ScheduleToJsonText(s, d, r, dp, fp));
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
                            "relays",
                            "optimality_gap",
                            "demand_bytes"})
    {
        EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["algorithm"], "hand"); // the schedule's own name wins
    EXPECT_EQ(j["demand_bytes"], d.Total());
    EXPECT_EQ(j["rho_bytes"], 4);
    EXPECT_EQ(j["max_line_nonzeros"], 2);
    EXPECT_EQ(j["makespan_ns"], 100000);
    EXPECT_DOUBLE_EQ(j["optimality_gap"].get<double>(), 0.25);
    EXPECT_EQ(j["matchings"][0]["bytes_served"], 10);
    EXPECT_EQ(j["matchings"][0]["start_ns"], 10000);
    EXPECT_EQ(j["matchings"][0]["end_ns"], 70000);
    EXPECT_DOUBLE_EQ(j["matchings"][0]["utilisation"].get<double>(), 0.25);
    EXPECT_TRUE(j["matchings"][1]["utilisation"].is_null()); // no capacity
    EXPECT_EQ(j["relays"][0]["via"], 1);
    const Json& p = j["parameters"];
    EXPECT_EQ(p["max_matchings"], 2);
    EXPECT_EQ(p["residual_policy"], "relay");
    EXPECT_EQ(p["matching"], "greedy");
    EXPECT_EQ(p["duration_policy"], ToString(DurationPolicy::WHOLE_PAIR));
    EXPECT_EQ(p["reconfig_mode"], "changed-only");
    EXPECT_EQ(p["eps_rate_bps"], 100000000000);
    EXPECT_EQ(p["link_rate_bps"], 400000000000);
    EXPECT_EQ(p["reconfig_delay_ns"], 10000);
    // The evaluated form loads back as the same schedule.
    ExpectSameSchedule(s, Reload(j));

    r.epsUnavailable = true;
    r.bubbleFraction = std::numeric_limits<double>::quiet_NaN();
    Json k = Json::parse(ScheduleToJsonText(s, d, r, dp, fp));
    EXPECT_TRUE(k["makespan_ns"].is_null());
    EXPECT_TRUE(k["optimality_gap"].is_null());
    EXPECT_TRUE(k["bubble_fraction"].is_null());
    EXPECT_EQ(k["eps_unavailable"], true);

    r.configs.pop_back();
    EXPECT_THROW(ScheduleToJsonText(s, d, r, dp, fp), InputError);
}

TEST(ScheduleJson, LoadErrorsNameThePath)
{
    const std::string ok = R"("ports": 3, "circuit_model": "unidirectional")";
    auto with = [&ok](const std::string& matchings) {
        return "{" + ok + R"(, "matchings": )" + matchings + "}";
    };
    EXPECT_EQ(LoadError(with("[]")), "");
    EXPECT_EQ(LoadError("[1, 2]"), "s.json: expected a JSON object, got array");
    EXPECT_EQ(LoadError(R"({"circuit_model": "duplex", "matchings": []})"),
              "s.json: missing key \"ports\"");
    EXPECT_EQ(LoadError(R"({"ports": 1, "circuit_model": "duplex", "matchings": []})"),
              "s.json: ports: value 1 is outside [2, 4096]");
    EXPECT_EQ(LoadError(R"({"ports": 99999, "circuit_model": "duplex", "matchings": []})"),
              "s.json: ports: value 99999 is outside [2, 4096]");
    EXPECT_EQ(LoadError(R"({"ports": 18446744073709551615, "circuit_model": "duplex",
                          "matchings": []})"),
              "s.json: ports: value 18446744073709551615 is outside [2, 4096]");
    EXPECT_EQ(LoadError(R"({"ports": 3.0, "circuit_model": "duplex", "matchings": []})"),
              "s.json: ports: expected an integer, got 3.0");
    EXPECT_EQ(LoadError(R"({"ports": "3", "circuit_model": "duplex", "matchings": []})"),
              "s.json: ports: expected an integer, got \"3\"");
    EXPECT_EQ(LoadError(R"({"ports": 3, "circuit_model": "ring", "matchings": []})")
                  .rfind("s.json: circuit_model: unknown circuit model 'ring'", 0),
              0u);
    EXPECT_EQ(LoadError("{" + ok + "}"), "s.json: missing key \"matchings\"");
    EXPECT_EQ(LoadError(with("{}")), "s.json: matchings: expected an array, got object");
    EXPECT_EQ(LoadError(with(R"([{"circuits": []}])")),
              "s.json: matchings[0]: missing key \"duration_ns\"");
    EXPECT_EQ(LoadError(with(R"([{"duration_ns": -1, "circuits": []}])")),
              "s.json: matchings[0].duration_ns: value -1 is outside [0, 4611686018427387904]");
    EXPECT_EQ(LoadError(with(R"([{"duration_ns": 1.5, "circuits": []}])")),
              "s.json: matchings[0].duration_ns: expected an integer, got 1.5");
    EXPECT_EQ(LoadError(with(R"([{"duration_ns": 4611686018427387904, "circuits": []},
                                {"duration_ns": 1, "circuits": []}])")),
              "s.json: matchings[1].duration_ns: total duration of the schedule exceeds 2^62 ns");
    EXPECT_EQ(LoadError(with(R"([{"duration_ns": 5, "circuits": [[0]]}])")),
              "s.json: matchings[0].circuits[0]: expected [src, dst], got [0]");
    EXPECT_EQ(LoadError(with(R"([{"duration_ns": 5, "circuits": [[0, 1]]},
                                {"duration_ns": 5, "circuits": [[0, 3]]}])")),
              "s.json: matchings[1].circuits[0][1]: port 3 is not below ports = 3");
    EXPECT_EQ(LoadError(with(R"([{"duration_ns": 5, "circuits": [[0, -1]]}])")),
              "s.json: matchings[0].circuits[0][1]: value -1 is outside [0, "
              "9223372036854775807]");
    EXPECT_EQ(LoadError(with(R"([{"duration_ns": 5, "circuits": [[0, 1], [2, 1]]}])")),
              "s.json: matchings[0].circuits: circuit [2, 1]: port 1 already receives");
    EXPECT_EQ(LoadError(with(R"([{"duration_ns": 5, "circuits": [[1, 1]]}])")),
              "s.json: matchings[0].circuits: circuit [1, 1] connects a port to itself");
    EXPECT_EQ(LoadError(with(R"([{"duration_ns": 5, "circuits": [[0,1],[1,2],[2,0],[0,2]]}])")),
              "s.json: matchings[0].circuits: 4 circuits but only 3 ports");
    EXPECT_EQ(LoadError(R"({"ports": 3, "circuit_model": "duplex",
                          "matchings": [{"duration_ns": 5, "circuits": [[2, 0]]}]})"),
              "s.json: matchings[0].circuits: circuit [2, 0]: duplex circuits are written with "
              "the lower port first");
    const std::string two = R"([{"duration_ns": 5, "circuits": [[0, 1]]},
                                {"duration_ns": 5, "circuits": [[1, 2]]}])";
    auto relay = [&](const std::string& r) {
        return "{" + ok + R"(, "matchings": )" + two + R"(, "relays": [)" + r + "]}";
    };
    EXPECT_EQ(LoadError(relay(R"({"src": 0, "via": 1, "dst": 2, "bytes": 3,
                                  "first_config": 0, "second_config": 1})")),
              "");
    EXPECT_EQ(LoadError(relay(R"({"src": 0, "via": 1, "dst": 2, "bytes": 3,
                                  "first_config": 1, "second_config": 1})")),
              "s.json: relays[0]: second_config 1 must come after first_config 1");
    EXPECT_EQ(LoadError(relay(R"({"src": 0, "via": 1, "dst": 2, "bytes": 3,
                                  "first_config": 0, "second_config": 2})")),
              "s.json: relays[0].second_config: value 2 is outside [0, 1]");
    EXPECT_EQ(LoadError(relay(R"({"src": 0, "via": 0, "dst": 2, "bytes": 3,
                                  "first_config": 0, "second_config": 1})")),
              "s.json: relays[0]: src, via and dst must be three different ports");
    EXPECT_EQ(LoadError(relay(R"({"src": 0, "via": 1, "dst": 2, "first_config": 0,
                                  "second_config": 1})")),
              "s.json: relays[0]: missing key \"bytes\"");
    EXPECT_EQ(LoadError("{" + ok + R"(, "matchings": [], "residual_pairs": [[1, 1, 5]]})"),
              "s.json: residual_pairs[0]: residual on the diagonal (port 1)");
    EXPECT_EQ(LoadError("{" + ok + R"(, "matchings": [], "residual_pairs": [[1, 2, -5]]})"),
              "s.json: residual_pairs[0][2]: value -5 is outside [0, 9007199254740992]");
    EXPECT_EQ(LoadError("{" + ok + R"(, "matchings": [], "format": "csv"})"),
              "s.json: format: expected \"photonic-moe-schedule\", got \"csv\"");
    EXPECT_EQ(LoadError("{" + ok + R"(, "matchings": [], "format_version": 2})"),
              "s.json: format_version: value 2 is outside [1, 1]");
    std::string syntax = LoadError("{\n  \"ports\": 3,\n  oops\n}");
    EXPECT_EQ(syntax.rfind("s.json: parse error at line 3, column 3", 0), 0u) << syntax;
    EXPECT_EQ(LoadError("").rfind("s.json: parse error", 0), 0u);
    EXPECT_THROW(ReadScheduleJson("/nonexistent/s.json"), InputError);
}

TEST(ScheduleJson, DecomposedScheduleReplaysToTheSameResult)
{
    DemandMatrix d = ReadDemandMatrix(PMOE_SOURCE_DIR "/test/data/hand-4.csv");
    for (const std::string& algorithm : DecomposerNames())
    {
        for (CircuitModel model : {CircuitModel::UNIDIRECTIONAL, CircuitModel::DUPLEX})
        {
            SCOPED_TRACE(algorithm + " " + ToString(model));
            DecompositionParams dp;
            dp.algorithm = algorithm;
            dp.model = model;
            FluidParams fp;
            Schedule s = Decompose(d, dp);
            FluidResult r = EvaluateSchedule(d, s, fp);
            Json j = Json::parse(ScheduleToJsonText(s, d, r, dp, fp));
            Schedule t = Reload(j);
            ExpectSameSchedule(s, t);
            FluidResult r2 = EvaluateSchedule(d, t, fp);
            EXPECT_EQ(r2.makespanNs, r.makespanNs);
            EXPECT_EQ(r2.bytesServed, r.bytesServed);
            EXPECT_EQ(r2.residualBytes, r.residualBytes);
            Bytes served = 0;
            for (const Json& m : j["matchings"])
            {
                served += m["bytes_served"].get<Bytes>();
            }
            EXPECT_EQ(served, r.bytesServed);
        }
    }
}
