/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Standalone stand-in for ns-3's test-runner: Debian installs no runner binary, but
// TestRunner::Run is in libns3-core. Accepts the usual --suite=NAME, --list, --verbose.

#include "ns3/test.h"

int
main(int argc, char** argv)
{
    return ns3::TestRunner::Run(argc, argv);
}
