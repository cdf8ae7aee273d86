/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

/**
 * @file
 * @ingroup photonic-moe
 * photonic-moe-trace-import: convert a routing log (per-token JSON lines, an expert-selection
 * log or per-rank tokens-per-expert counts) into the module's routing trace format
 * (ImportRoutingTrace(), pmoe-trace-import.h; formats in doc/trace-import.rst).
 *
 * The trace goes to stdout (or --output=FILE), an account of what was kept and dropped to
 * stderr (not with --quiet). Exit status: 0 on success; 2 on bad options or a bad input
 * file, with one line "photonic-moe-trace-import: error: ..." on stderr (file errors are
 * "FILE:LINE: ..."); 1 on any other failure.
 *
 * Example:
 * @code
 * photonic-moe-trace-import --format=jsonl --gpus=8 --experts=60 --layer=0 \
 *     --skipTokens=8448 --tokensPerGpu=128 moe_layer0.jsonl > qwen-layer0.trace
 * @endcode
 */

#include "schedule-cli-options.h"

#include "ns3/pmoe-trace-import.h"
#include "ns3/pmoe-units.h"
#include "ns3/pmoe-workload-io.h"

#include <fstream>
#include <iostream>
#include <new>
#include <sstream>
#include <string>

using namespace ns3::pmoe;

namespace
{

/** The program's name in messages. */
constexpr const char* kProgram = "photonic-moe-trace-import";

/** The usage text. */
constexpr const char* kUsage =
    "usage: photonic-moe-trace-import --format=FORMAT [options] INPUT\n"
    "Convert a routing log into a photonic-moe routing trace (stdout, or --output).\n"
    "INPUT is a file, or - for stdin.\n"
    "\n"
    "  --format=FORMAT      jsonl | selection | counts | native\n"
    "  --gpus=N             GPUs (data-parallel ranks) the tokens are spread over; token\n"
    "                       formats: required; counts: 0 = one GPU per rank (default)\n"
    "  --experts=E          experts (0 = largest id + 1, or the columns of the counts)\n"
    "  --layer=L            import model layer L only (-1 = every layer, default)\n"
    "  --skipTokens=M       drop the first M tokens of each layer (warm-up)\n"
    "  --padExpert=P        expert id P marks padding: dropped (e.g. -1)\n"
    "  --tokensPerGpu=T     windows of N x T tokens, T per GPU (0 = all tokens in N blocks)\n"
    "  --windows=W          windows per layer, each a trace layer (0 = all whole windows)\n"
    "  --skipBlocks=B       counts: drop the first B matrices (warm-up iterations)\n"
    "  --output=FILE        write the trace to FILE instead of stdout\n"
    "  --quiet              no account of the import on stderr\n"
    "  --help               this text\n";

/** Bad command line. */
class UsageError : public InputError
{
  public:
    using InputError::InputError;
};

/**
 * Run the conversion.
 * @param argc argument count
 * @param argv arguments
 * @param[out] help set if --help was given
 * @return the exit status
 */
int
Run(int argc, char** argv, bool& help)
{
    TraceImportOptions options;
    std::string input;
    std::string output;
    bool quiet = false;
    bool haveInput = false;
    for (int i = 1; i < argc; ++i)
    {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h")
        {
            help = true;
            return 0;
        }
        if (arg == "--quiet")
        {
            quiet = true;
            continue;
        }
        if (arg.rfind("--", 0) == 0)
        {
            const std::size_t eq = arg.find('=');
            if (eq == std::string::npos)
            {
                throw UsageError("option " + arg + " needs a value: " + arg + "=VALUE");
            }
            const std::string key = arg.substr(2, eq - 2);
            const std::string value = arg.substr(eq + 1);
            if (key == "output")
            {
                output = value;
            }
            else
            {
                SetTraceImportOption(options, key, value);
            }
            continue;
        }
        if (haveInput)
        {
            throw UsageError("expected one input file, got '" + input + "' and '" + arg + "'");
        }
        input = arg;
        haveInput = true;
    }
    if (!haveInput)
    {
        throw UsageError("expected one input file (or - for stdin); see --help");
    }
    TraceImportSummary summary;
    RoutingTrace trace = input == "-" ? ImportRoutingTrace(std::cin, "<stdin>", options, &summary)
                                      : ImportRoutingTraceFile(input, options, &summary);
    std::ostringstream text;
    WriteRoutingTrace(text, trace);
    if (output.empty())
    {
        std::cout << text.str() << std::flush;
        if (!std::cout)
        {
            return CliFail(kProgram, kCliExitFailure, "cannot write the output");
        }
    }
    else
    {
        std::ofstream out(output, std::ios::binary);
        out << text.str();
        out.close();
        if (!out)
        {
            return CliFail(kProgram, kCliExitFailure, "cannot write '" + output + "'");
        }
    }
    if (!quiet)
    {
        std::cerr << kProgram << ": " << DescribeTraceImport(trace, summary);
    }
    return 0;
}

} // namespace

/**
 * Entry point of photonic-moe-trace-import (see the file comment for the options).
 * @param argc argument count
 * @param argv arguments
 * @return 0 on success, 2 on bad input or usage, 1 on an internal error or a failed write
 */
int
main(int argc, char** argv)
{
    bool help = false;
    return CliGuardedMain(kProgram, [&]() {
        const int status = Run(argc, argv, help);
        if (help)
        {
            std::cout << kUsage;
        }
        return status;
    });
}
