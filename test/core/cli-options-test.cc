/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Regression tests for findings of fuzz/fuzz-cli-options.cc, run against the built
// photonic-moe-schedule binary (PMOE_CLI) under timeout(1), so that a hang fails the test
// instead of stalling the suite.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace
{

/** Run the CLI with @p args (quoted for /bin/sh) under a 20 s timeout. */
int
RunCliWithTimeout(const std::string& args, std::string& err)
{
    std::string errPath =
        ::testing::TempDir() + "pmoe-cli-options-" + std::to_string(getpid()) + ".err";
    std::string cmd = "timeout 20 '" + std::string(PMOE_CLI) + "' " + args + " >/dev/null 2>'" +
                      errPath + "' </dev/null";
    int raw = std::system(cmd.c_str());
    std::ifstream in(errPath);
    std::ostringstream s;
    s << in.rdbuf();
    err = s.str();
    std::remove(errPath.c_str());
    return (raw != -1 && WIFEXITED(raw)) ? WEXITSTATUS(raw) : -1;
}

// Boost.ProgramOptions' error message loops forever when the offending token contains one of
// its placeholders ("%canonical_option%"): the CLI hung (timeout exit status 124).
TEST(CliOptions, PlaceholderInUnknownOptionDoesNotHang)
{
    std::string err;
    EXPECT_EQ(RunCliWithTimeout("'--x%canonical_option%'", err), 2);
    EXPECT_NE(err.find("unrecognised option '--x%canonical_option%'"), std::string::npos) << err;
    EXPECT_EQ(err.find('\n'), err.size() - 1) << "one line: " << err;
}

TEST(CliOptions, PlaceholderInRepeatedOptionDoesNotHang)
{
    std::string err;
    EXPECT_EQ(RunCliWithTimeout("--matrix a --matrix '%canonical_option%%option%'", err), 2);
    EXPECT_NE(err.find("cannot be specified more than once"), std::string::npos) << err;
}

TEST(CliOptions, PercentInAValidMatrixPathIsKept)
{
    std::string err;
    // A '%' in a file name is an ordinary character: the error names the missing file.
    EXPECT_EQ(RunCliWithTimeout("--matrix 'no-such-%option%.csv'", err), 2);
    EXPECT_NE(err.find("no-such-%option%.csv"), std::string::npos) << err;
}

} // namespace
