/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The enum name tables (pmoe-enum-names.h): every registered enum round-trips through its
// names, an unknown name gives "unknown <noun> '<name>' (expected ...)", and the functions the
// ns-3 side still calls agree with the tables.

#include "pmoe-test-util.h"

#include "ns3/pmoe-compute-model.h"
#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-enum-names.h"
#include "ns3/pmoe-fluid-evaluator.h"
#include "ns3/pmoe-matching.h"
#include "ns3/pmoe-moe-workload.h"
#include "ns3/pmoe-schedule-timeline.h"
#include "ns3/pmoe-schedule.h"

#include <gtest/gtest.h>
#include <set>
#include <string>
#include <vector>

using namespace ns3::pmoe;
using ns3::pmoe::tests::ErrorOf;

namespace
{

/** What a test expects of the names of enum E: values, names and noun, written out. */
template <typename E>
struct Expected;

template <>
struct Expected<CircuitModel>
{
    static constexpr const char* kNoun = "circuit model";
    static constexpr bool kIgnoreCase = false;

    static std::vector<std::pair<CircuitModel, std::string>> Names()
    {
        return {{CircuitModel::UNIDIRECTIONAL, "unidirectional"}, {CircuitModel::DUPLEX, "duplex"}};
    }
};

template <>
struct Expected<ReconfigMode>
{
    static constexpr const char* kNoun = "reconfiguration mode";
    static constexpr bool kIgnoreCase = false;

    static std::vector<std::pair<ReconfigMode, std::string>> Names()
    {
        return {{ReconfigMode::ALL_STOP, "all-stop"}, {ReconfigMode::CHANGED_ONLY, "changed-only"}};
    }
};

template <>
struct Expected<MatchingAlgorithm>
{
    static constexpr const char* kNoun = "matching algorithm";
    static constexpr bool kIgnoreCase = false;

    static std::vector<std::pair<MatchingAlgorithm, std::string>> Names()
    {
        return {{MatchingAlgorithm::EXACT, "exact"}, {MatchingAlgorithm::GREEDY, "greedy"}};
    }
};

template <>
struct Expected<DurationPolicy>
{
    static constexpr const char* kNoun = "duration policy";
    static constexpr bool kIgnoreCase = false;

    static std::vector<std::pair<DurationPolicy, std::string>> Names()
    {
        return {{DurationPolicy::WHOLE_PAIR, "whole-pair"},
                {DurationPolicy::MIN_ENTRY, "min-entry"},
                {DurationPolicy::DELTA_AWARE, "delta-aware"}};
    }
};

template <>
struct Expected<ResidualPolicy>
{
    static constexpr const char* kNoun = "residual policy";
    static constexpr bool kIgnoreCase = false;

    static std::vector<std::pair<ResidualPolicy, std::string>> Names()
    {
        return {{ResidualPolicy::EPS, "eps"},
                {ResidualPolicy::APPEND, "append"},
                {ResidualPolicy::RELAY, "relay"}};
    }
};

template <>
struct Expected<StuffingMethod>
{
    static constexpr const char* kNoun = "stuffing method";
    static constexpr bool kIgnoreCase = false;

    static std::vector<std::pair<StuffingMethod, std::string>> Names()
    {
        return {{StuffingMethod::SINKHORN, "sinkhorn"}, {StuffingMethod::QUICK, "quick"}};
    }
};

template <>
struct Expected<PlacementKind>
{
    static constexpr const char* kNoun = "placement";
    static constexpr bool kIgnoreCase = true;

    static std::vector<std::pair<PlacementKind, std::string>> Names()
    {
        return {{PlacementKind::CONTIGUOUS, "contiguous"},
                {PlacementKind::ROUND_ROBIN, "round-robin"},
                {PlacementKind::EXPLICIT, "explicit"}};
    }
};

template <>
struct Expected<RoutingKind>
{
    static constexpr const char* kNoun = "routing";
    static constexpr bool kIgnoreCase = true;

    static std::vector<std::pair<RoutingKind, std::string>> Names()
    {
        return {{RoutingKind::UNIFORM, "uniform"},
                {RoutingKind::ZIPF, "zipf"},
                {RoutingKind::HOT_EXPERT, "hot-expert"},
                {RoutingKind::TRACE, "trace"}};
    }
};

template <>
struct Expected<LaunchMode>
{
    static constexpr const char* kNoun = "launch mode";
    static constexpr bool kIgnoreCase = true;

    static std::vector<std::pair<LaunchMode, std::string>> Names()
    {
        return {{LaunchMode::PER_EXPERT, "per-expert"}, {LaunchMode::GROUPED, "grouped"}};
    }
};

/** @return @p s with ASCII letters in upper case */
std::string
Upper(std::string s)
{
    for (char& c : s)
    {
        if (c >= 'a' && c <= 'z')
        {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return s;
}

template <typename E>
class EnumNames : public ::testing::Test
{
};

using RegisteredEnums = ::testing::Types<CircuitModel,
                                         ReconfigMode,
                                         MatchingAlgorithm,
                                         DurationPolicy,
                                         ResidualPolicy,
                                         StuffingMethod,
                                         PlacementKind,
                                         RoutingKind,
                                         LaunchMode>;
TYPED_TEST_SUITE(EnumNames, RegisteredEnums);

} // namespace

TYPED_TEST(EnumNames, EveryValueRoundTrips)
{
    using E = TypeParam;
    std::vector<std::string> names;
    std::set<std::string> unique;
    for (const auto& [value, name] : Expected<E>::Names())
    {
        EXPECT_EQ(ToString(value), name);
        EXPECT_EQ(FromString<E>(name), value) << name;
        EXPECT_EQ(FromString<E>(ToString(value)), value) << name;
        EXPECT_TRUE(IsNamedValue(value)) << name;
        names.push_back(name);
        unique.insert(name);
    }
    EXPECT_EQ(unique.size(), names.size()) << "names are unique";
    EXPECT_EQ(EnumNameList<E>(), names) << "the table holds exactly these names, in order";
    EXPECT_EQ(std::string(EnumTable<E>::kNoun), Expected<E>::kNoun);
}

TYPED_TEST(EnumNames, UnknownNameNamesItAndTheKnownOnes)
{
    using E = TypeParam;
    std::vector<std::string> names;
    for (const auto& entry : Expected<E>::Names())
    {
        names.push_back(entry.second);
    }
    const std::string expected = "unknown " + std::string(Expected<E>::kNoun) +
                                 " 'no-such-name' (expected " + JoinAlternatives(names) + ")";
    EXPECT_EQ(ErrorOf([] { FromString<E>("no-such-name"); }), expected);
    EXPECT_NE(ErrorOf([] { FromString<E>(""); }).find("''"), std::string::npos);
    // A name with a byte more or less is not a name.
    EXPECT_NE(ErrorOf([&] { FromString<E>(names[0] + "x"); }), "");
    EXPECT_NE(ErrorOf([&] { FromString<E>(names[0].substr(1)); }), "");
    EXPECT_NE(ErrorOf([&] { FromString<E>(names[0] + std::string(1, '\0')); }), "");
    // Case: ignored only where the table says so.
    if (Expected<E>::kIgnoreCase)
    {
        EXPECT_EQ(FromString<E>(Upper(names[0])), Expected<E>::Names()[0].first);
    }
    else
    {
        EXPECT_NE(ErrorOf([&] { FromString<E>(Upper(names[0])); }), "");
    }
    // A value without a name.
    const auto invalid = static_cast<E>(97);
    EXPECT_FALSE(IsNamedValue(invalid));
    // ToString<E>: the table's (the timeline's own ToString(ReconfigMode) says "all-stop").
    EXPECT_EQ(ToString<E>(invalid), "unknown");
}

TEST(EnumNameHelpers, JoinAndPrintable)
{
    EXPECT_EQ(JoinAlternatives({}), "");
    EXPECT_EQ(JoinAlternatives({"a"}), "a");
    EXPECT_EQ(JoinAlternatives({"a", "b"}), "a or b");
    EXPECT_EQ(JoinAlternatives({"a", "b", "c"}), "a, b or c");
    EXPECT_EQ(JoinNames({"a", "b", "c"}, "|"), "a|b|c");
    EXPECT_EQ(JoinNames({}, "|"), "");
    EXPECT_EQ(PrintableName("ok\n\xff"), "ok\\x0a\\xff");
    EXPECT_EQ(PrintableName(std::string(70, 'a')), std::string(64, 'a') + "...");
    EXPECT_EQ(ErrorOf([] { FromString<CircuitModel>("ring\x01"); }),
              "unknown circuit model 'ring\\x01' (expected unidirectional or duplex)");
    EXPECT_TRUE(NameMatches("Zipf", "zipf", true));
    EXPECT_FALSE(NameMatches("Zipf", "zipf", false));
    EXPECT_FALSE(NameMatches("zip", "zipf", true));
}
