/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef SCHEDULE_CLI_OPTIONS_H
#define SCHEDULE_CLI_OPTIONS_H

/**
 * @file
 * @ingroup photonic-moe
 * Option parsing and validation of photonic-moe-schedule, callable without exiting the
 * process (used by the CLI's main() and by fuzz/fuzz-cli-options.cc).
 */

#include "ns3/pmoe-decomposition.h"
#include "ns3/pmoe-fluid-evaluator.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{
namespace pmoe
{

/**
 * @ingroup photonic-moe
 * A bad command line or option value (the CLI exits with status 2). The only exception
 * ParseScheduleCliOptions() throws, apart from std::bad_alloc.
 */
class CliUsageError : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

/**
 * @ingroup photonic-moe
 * Everything the command line of photonic-moe-schedule selects.
 */
struct ScheduleCliOptions
{
    std::string matrixPath;            //!< --matrix FILE
    DecompositionParams decomposition; //!< decomposition parameters
    FluidParams fluid;                 //!< evaluation parameters
    bool json{false};                  //!< --json
    /** Non-empty for --help or --version: print it and exit 0; the other fields are unset. */
    std::string earlyOutput;
};

/**
 * @ingroup photonic-moe
 * Parse and validate the command line of photonic-moe-schedule.
 * @param args the arguments without the program name (argv[1] ... argv[argc - 1])
 * @return the options
 * @throws CliUsageError naming the offending option or value, for an unknown or repeated
 *         option, a missing or malformed value, a value out of range, or a positional
 *         argument
 */
ScheduleCliOptions ParseScheduleCliOptions(const std::vector<std::string>& args);

/**
 * @param s text
 * @return @p s with control characters replaced by '?', so that a message stays on one line
 */
std::string CliOneLine(const std::string& s);

} // namespace pmoe
} // namespace ns3

#endif /* SCHEDULE_CLI_OPTIONS_H */
