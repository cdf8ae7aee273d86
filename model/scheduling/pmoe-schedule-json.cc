/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-schedule-json.h"

#include "pmoe-matrix-io.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <system_error>

namespace ns3
{
namespace pmoe
{

namespace
{

using Json = nlohmann::json;

/** Largest duration accepted in a schedule file, and largest sum of durations: 2^62 ns. */
constexpr int64_t kMaxScheduleNs = int64_t{1} << 62;

/** Longest JSON text quoted in an error message. */
constexpr std::size_t kMaxQuotedJson = 60;

/** @return @p v as compact JSON for an error message (invalid UTF-8 replaced, cut short) */
std::string
Short(const Json& v)
{
    std::string s = v.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (s.size() > kMaxQuotedJson)
    {
        s = s.substr(0, kMaxQuotedJson) + "...";
    }
    return s;
}

/** A ratio as JSON: null when it is not finite. */
Json
Ratio(double x)
{
    return std::isfinite(x) ? Json(x) : Json(nullptr);
}

Json
CircuitsToJson(const std::vector<Circuit>& circuits)
{
    Json a = Json::array();
    for (const Circuit& c : circuits)
    {
        a.push_back(Json::array({c.src, c.dst}));
    }
    return a;
}

/** Loads a schedule, keeping the JSON path of the value being read for error messages. */
class Loader
{
  public:
    explicit Loader(const std::string& name)
        : m_name(name)
    {
    }

    Schedule Load(const Json& j);

  private:
    [[noreturn]] void Fail(const std::string& path, const std::string& what) const
    {
        throw InputError(m_name + ": " + (path.empty() ? "" : path + ": ") + what);
    }

    const Json& Member(const Json& obj, const std::string& path, const char* key) const;
    int64_t Integer(const Json& v, const std::string& path, int64_t lo, int64_t hi) const;
    uint32_t Port(const Json& v, const std::string& path, std::size_t ports) const;
    std::string String(const Json& v, const std::string& path) const;

    std::string m_name;
};

const Json&
Loader::Member(const Json& obj, const std::string& path, const char* key) const
{
    auto it = obj.find(key);
    if (it == obj.end())
    {
        Fail(path, std::string("missing key \"") + key + "\"");
    }
    return *it;
}

int64_t
Loader::Integer(const Json& v, const std::string& path, int64_t lo, int64_t hi) const
{
    if (!v.is_number_integer())
    {
        Fail(path, "expected an integer, got " + Short(v));
    }
    if (v.is_number_unsigned() &&
        v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    {
        Fail(path,
             "value " + std::to_string(v.get<uint64_t>()) + " is outside [" + std::to_string(lo) +
                 ", " + std::to_string(hi) + "]");
    }
    auto s = v.get<int64_t>();
    if (s < lo || s > hi)
    {
        Fail(path,
             "value " + std::to_string(s) + " is outside [" + std::to_string(lo) + ", " +
                 std::to_string(hi) + "]");
    }
    return s;
}

uint32_t
Loader::Port(const Json& v, const std::string& path, std::size_t ports) const
{
    int64_t p = Integer(v, path, 0, std::numeric_limits<int64_t>::max());
    if (static_cast<uint64_t>(p) >= ports)
    {
        Fail(path, "port " + std::to_string(p) + " is not below ports = " + std::to_string(ports));
    }
    return static_cast<uint32_t>(p);
}

std::string
Loader::String(const Json& v, const std::string& path) const
{
    if (!v.is_string())
    {
        Fail(path, "expected a string, got " + Short(v));
    }
    return v.get<std::string>();
}

Schedule
Loader::Load(const Json& j)
{
    if (!j.is_object())
    {
        Fail("", std::string("expected a JSON object, got ") + j.type_name());
    }
    if (auto f = j.find("format"); f != j.end() && *f != kScheduleJsonFormat)
    {
        Fail("format", "expected \"" + std::string(kScheduleJsonFormat) + "\", got " + Short(*f));
    }
    if (auto v = j.find("format_version"); v != j.end())
    {
        Integer(*v, "format_version", kScheduleJsonVersion, kScheduleJsonVersion);
    }
    auto ports = static_cast<std::size_t>(
        Integer(Member(j, "", "ports"), "ports", 2, static_cast<int64_t>(kMaxMatrixPorts)));
    std::string modelName = String(Member(j, "", "circuit_model"), "circuit_model");
    CircuitModel model{};
    try
    {
        model = FromString<CircuitModel>(modelName);
    }
    catch (const InputError& e)
    {
        Fail("circuit_model", e.what());
    }
    Schedule s(ports, model);
    if (auto a = j.find("algorithm"); a != j.end())
    {
        s.algorithm = String(*a, "algorithm");
    }

    const Json& matchings = Member(j, "", "matchings");
    if (!matchings.is_array())
    {
        Fail("matchings", std::string("expected an array, got ") + matchings.type_name());
    }
    int64_t totalNs = 0;
    for (std::size_t k = 0; k < matchings.size(); ++k)
    {
        std::string path = "matchings[" + std::to_string(k) + "]";
        const Json& m = matchings[k];
        if (!m.is_object())
        {
            Fail(path, std::string("expected an object, got ") + m.type_name());
        }
        Configuration c;
        c.durationNs =
            Integer(Member(m, path, "duration_ns"), path + ".duration_ns", 0, kMaxScheduleNs);
        if (c.durationNs > kMaxScheduleNs - totalNs)
        {
            Fail(path + ".duration_ns", "total duration of the schedule exceeds 2^62 ns");
        }
        totalNs += c.durationNs;
        if (auto pb = m.find("planned_bytes"); pb != m.end())
        {
            c.plannedBytes =
                Integer(*pb, path + ".planned_bytes", 0, std::numeric_limits<int64_t>::max());
        }
        const Json& circuits = Member(m, path, "circuits");
        if (!circuits.is_array())
        {
            Fail(path + ".circuits", std::string("expected an array, got ") + circuits.type_name());
        }
        if (circuits.size() > ports)
        {
            Fail(path + ".circuits",
                 std::to_string(circuits.size()) + " circuits but only " + std::to_string(ports) +
                     " ports");
        }
        for (std::size_t q = 0; q < circuits.size(); ++q)
        {
            std::string cpath = path + ".circuits[" + std::to_string(q) + "]";
            const Json& pair = circuits[q];
            if (!pair.is_array() || pair.size() != 2)
            {
                Fail(cpath, "expected [src, dst], got " + Short(pair));
            }
            Circuit circuit;
            circuit.src = Port(pair[0], cpath + "[0]", ports);
            circuit.dst = Port(pair[1], cpath + "[1]", ports);
            c.circuits.push_back(circuit);
        }
        std::sort(c.circuits.begin(), c.circuits.end());
        std::string err = CheckMatching(c.circuits, ports, model);
        if (!err.empty())
        {
            Fail(path + ".circuits", err);
        }
        s.Append(std::move(c));
    }

    if (auto r = j.find("relays"); r != j.end())
    {
        if (!r->is_array())
        {
            Fail("relays", std::string("expected an array, got ") + r->type_name());
        }
        auto configs = static_cast<int64_t>(s.NumConfigurations());
        for (std::size_t k = 0; k < r->size(); ++k)
        {
            std::string path = "relays[" + std::to_string(k) + "]";
            const Json& x = (*r)[k];
            if (!x.is_object())
            {
                Fail(path, std::string("expected an object, got ") + x.type_name());
            }
            RelayFlow f;
            f.src = Port(Member(x, path, "src"), path + ".src", ports);
            f.via = Port(Member(x, path, "via"), path + ".via", ports);
            f.dst = Port(Member(x, path, "dst"), path + ".dst", ports);
            if (f.src == f.via || f.via == f.dst || f.src == f.dst)
            {
                Fail(path, "src, via and dst must be three different ports");
            }
            f.bytes = Integer(Member(x, path, "bytes"),
                              path + ".bytes",
                              0,
                              std::numeric_limits<int64_t>::max());
            if (configs == 0)
            {
                Fail(path, "a relay needs configurations, but \"matchings\" is empty");
            }
            f.firstConfig = static_cast<uint32_t>(
                Integer(Member(x, path, "first_config"), path + ".first_config", 0, configs - 1));
            f.secondConfig = static_cast<uint32_t>(
                Integer(Member(x, path, "second_config"), path + ".second_config", 0, configs - 1));
            if (f.secondConfig <= f.firstConfig)
            {
                Fail(path,
                     "second_config " + std::to_string(f.secondConfig) +
                         " must come after first_config " + std::to_string(f.firstConfig));
            }
            s.relays.push_back(f);
        }
    }

    if (auto st = j.find("stuffed_bytes"); st != j.end())
    {
        s.stuffedBytes = Integer(*st, "stuffed_bytes", 0, std::numeric_limits<int64_t>::max());
    }

    if (auto rp = j.find("residual_pairs"); rp != j.end())
    {
        if (!rp->is_array())
        {
            Fail("residual_pairs", std::string("expected an array, got ") + rp->type_name());
        }
        for (std::size_t k = 0; k < rp->size(); ++k)
        {
            std::string path = "residual_pairs[" + std::to_string(k) + "]";
            const Json& t = (*rp)[k];
            if (!t.is_array() || t.size() != 3)
            {
                Fail(path, "expected [src, dst, bytes], got " + Short(t));
            }
            uint32_t src = Port(t[0], path + "[0]", ports);
            uint32_t dst = Port(t[1], path + "[1]", ports);
            if (src == dst)
            {
                Fail(path, "residual on the diagonal (port " + std::to_string(src) + ")");
            }
            s.residual.Set(src, dst, Integer(t[2], path + "[2]", 0, kMaxMatrixEntryBytes));
        }
    }
    return s;
}

/** @param schedule a schedule @return its schedule part as JSON */
Json
SchedulePartJson(const Schedule& schedule)
{
    Json j;
    j["format"] = kScheduleJsonFormat;
    j["format_version"] = kScheduleJsonVersion;
    j["ports"] = schedule.Ports();
    j["circuit_model"] = ToString(schedule.Model());
    j["algorithm"] = schedule.algorithm;
    Json matchings = Json::array();
    const auto& configs = schedule.Configurations();
    for (std::size_t k = 0; k < configs.size(); ++k)
    {
        Json m;
        m["index"] = k;
        m["duration_ns"] = configs[k].durationNs;
        m["circuits"] = CircuitsToJson(configs[k].circuits);
        m["planned_bytes"] = configs[k].plannedBytes;
        matchings.push_back(std::move(m));
    }
    j["matchings"] = std::move(matchings);
    Json relays = Json::array();
    for (const RelayFlow& f : schedule.relays)
    {
        relays.push_back({{"src", f.src},
                          {"via", f.via},
                          {"dst", f.dst},
                          {"bytes", f.bytes},
                          {"first_config", f.firstConfig},
                          {"second_config", f.secondConfig}});
    }
    j["relays"] = std::move(relays);
    j["stuffed_bytes"] = schedule.stuffedBytes;
    Json residual = Json::array();
    const DemandMatrix& r = schedule.residual;
    for (std::size_t i = 0; i < r.Size(); ++i)
    {
        for (std::size_t j2 = 0; j2 < r.Size(); ++j2)
        {
            if (r.At(i, j2) > 0)
            {
                residual.push_back(Json::array({i, j2, r.At(i, j2)}));
            }
        }
    }
    j["residual_pairs"] = std::move(residual);
    return j;
}

/**
 * @param schedule a schedule
 * @param demand its demand
 * @param result its evaluation
 * @param decomposition decomposition parameters
 * @param fluid evaluation parameters
 * @return the evaluated form as JSON
 */
Json
EvaluatedScheduleJson(const Schedule& schedule,
                      const DemandMatrix& demand,
                      const FluidResult& result,
                      const DecompositionParams& decomposition,
                      const FluidParams& fluid)
{
    if (result.configs.size() != schedule.NumConfigurations())
    {
        throw InputError("evaluation has " + std::to_string(result.configs.size()) +
                         " configurations but the schedule has " +
                         std::to_string(schedule.NumConfigurations()));
    }
    Json j = SchedulePartJson(schedule);
    if (j["algorithm"].get<std::string>().empty())
    {
        j["algorithm"] = decomposition.algorithm;
    }
    Json& matchings = j["matchings"];
    for (std::size_t k = 0; k < result.configs.size(); ++k)
    {
        const ConfigurationResult& c = result.configs[k];
        Json& m = matchings[k];
        m["start_ns"] = c.startNs;
        m["end_ns"] = c.endNs;
        m["bytes_served"] = c.bytesServed;
        m["capacity_bytes"] = c.capacityBytes;
        m["bubble_ns"] = c.bubbleNs;
        m["utilisation"] =
            c.capacityBytes > 0
                ? Ratio(static_cast<double>(c.bytesServed) / static_cast<double>(c.capacityBytes))
                : Json(nullptr);
    }
    j["demand_bytes"] = demand.Total();
    j["rho_bytes"] = demand.MaxLineSum();
    j["max_line_nonzeros"] = demand.MaxLineNonZeros();
    j["bytes_served"] = result.bytesServed;
    j["residual_bytes"] = result.residualBytes;
    j["relayed_bytes"] = result.relayedBytes;
    j["makespan_ns"] = result.epsUnavailable ? Json(nullptr) : Json(result.makespanNs);
    j["circuit_makespan_ns"] = result.circuitMakespanNs;
    j["eps_time_ns"] = result.epsTimeNs;
    j["eps_unavailable"] = result.epsUnavailable;
    j["lower_bound_ns"] = result.lowerBoundNs;
    j["lower_bound_reconfig_ns"] = result.lowerBoundReconfigNs;
    j["optimality_gap"] = (result.epsUnavailable || result.lowerBoundNs <= 0)
                              ? Json(nullptr)
                              : Ratio(static_cast<double>(result.makespanNs) /
                                          static_cast<double>(result.lowerBoundNs) -
                                      1.0);
    j["reconfigurations"] = result.reconfigurations;
    j["reconfig_time_ns"] = result.reconfigTimeNs;
    j["bubble_ns"] = result.bubbleNs;
    j["bubble_fraction"] = Ratio(result.bubbleFraction);
    j["utilisation"] = Ratio(result.utilisation);
    j["parameters"] = {
        {"algorithm", decomposition.algorithm},
        {"circuit_model", ToString(decomposition.model)},
        {"max_matchings", decomposition.maxMatchings},
        {"duration_policy", ToString(decomposition.durationPolicy)},
        {"residual_policy", ToString(decomposition.residualPolicy)},
        {"matching", ToString(decomposition.matching)},
        {"stuffing", ToString(decomposition.stuffing)},
        {"bvn_tolerance", decomposition.bvnTolerance},
        {"reconfig_delay_ns", decomposition.reconfigDelayNs},
        {"link_rate_bps", decomposition.linkRateBps},
        {"rotor_slot_bytes", decomposition.rotorSlotBytes},
        {"reconfig_mode", ToString(fluid.mode)},
        {"eval_reconfig_delay_ns", fluid.reconfigDelayNs},
        {"eval_link_rate_bps", fluid.linkRateBps},
        {"eps_rate_bps", fluid.epsRateBps},
    };
    return j;
}

} // namespace

std::string
ScheduleToJsonText(const Schedule& schedule, int indent)
{
    return SchedulePartJson(schedule).dump(indent);
}

std::string
ScheduleToJsonText(const Schedule& schedule,
                   const DemandMatrix& demand,
                   const FluidResult& result,
                   const DecompositionParams& decomposition,
                   const FluidParams& fluid,
                   int indent)
{
    return EvaluatedScheduleJson(schedule, demand, result, decomposition, fluid).dump(indent);
}

Schedule
ParseScheduleJson(std::istream& in, const std::string& name)
{
    Json j;
    try
    {
        j = Json::parse(in);
    }
    catch (const Json::exception& e)
    {
        // A syntax error, or a number too large for a double (out_of_range.406).
        // Drop nlohmann's "[json.exception.parse_error.101] " prefix.
        std::string what = e.what();
        std::size_t close = what.find("] ");
        throw InputError(name + ": " +
                         (close == std::string::npos ? what : what.substr(close + 2)));
    }
    return Loader(name).Load(j);
}

Schedule
ReadScheduleJson(const std::string& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
    {
        throw InputError(path + ": cannot read schedule: is a directory");
    }
    std::ifstream in(path, std::ios::in | std::ios::binary);
    if (!in)
    {
        throw InputError(path + ": cannot open schedule file");
    }
    return ParseScheduleJson(in, path);
}

} // namespace pmoe
} // namespace ns3
