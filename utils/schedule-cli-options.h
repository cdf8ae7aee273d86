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

#include <functional>
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

/// Exit status of the module's command-line tools on success.
constexpr int kCliExitOk = 0;
/// Exit status for an internal error, running out of memory or a failed write.
constexpr int kCliExitFailure = 1;
/// Exit status for bad options or bad input.
constexpr int kCliExitUsage = 2;

/**
 * @ingroup photonic-moe
 * Print "PROGRAM: error: WHAT" on one line of stderr.
 * @param program the tool's name
 * @param status the exit status to return
 * @param what the message (made one line with CliOneLine())
 * @return @p status
 */
int CliFail(const char* program, int status, const std::string& what);

/**
 * @ingroup photonic-moe
 * Run a command-line tool's body and turn what it throws into a one-line message on stderr
 * (CliFail()) and an exit status: kCliExitUsage for CliUsageError and InputError,
 * kCliExitFailure for std::bad_alloc ("out of memory") and any other exception ("internal
 * error: ...").
 * @param program the tool's name, for the messages
 * @param body the tool's work; returns its exit status
 * @return the body's status, or the status of what it threw
 */
int CliGuardedMain(const char* program, const std::function<int()>& body);

} // namespace pmoe
} // namespace ns3

#endif /* SCHEDULE_CLI_OPTIONS_H */
