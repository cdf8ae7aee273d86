/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_RECONFIG_MODE_NAMES_H
#define PMOE_RECONFIG_MODE_NAMES_H

/**
 * @file
 * @ingroup photonic-moe
 * ReconfigMode (pmoe-schedule-timeline.h) in the enum name tables (pmoe-enum-names.h), so that
 * FromString<ReconfigMode>() and EnumNameList<ReconfigMode>() work like those of the other
 * enums. The timeline keeps its own ToString(ReconfigMode) and ReconfigModeFromString(); a
 * test checks that they agree with this table, names and message.
 */

#include "pmoe-enum-names.h"
#include "pmoe-schedule-timeline.h"

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * Names of ReconfigMode: all-stop, changed-only.
 */
template <>
struct EnumTable<ReconfigMode>
{
    static constexpr const char* kNoun = "reconfiguration mode"; //!< for messages
    static constexpr bool kIgnoreCase = false;                   //!< names match exactly
    /** The names. */
    static constexpr EnumName<ReconfigMode> kNames[] = {
        {ReconfigMode::ALL_STOP, "all-stop"},
        {ReconfigMode::CHANGED_ONLY, "changed-only"},
    };
};

} // namespace pmoe
} // namespace ns3

#endif /* PMOE_RECONFIG_MODE_NAMES_H */
