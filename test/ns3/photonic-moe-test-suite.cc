/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The "photonic-moe" TestSuite: ./test.py -s photonic-moe in an ns-3 tree, or
// photonic-moe-test-runner --suite=photonic-moe standalone.

#include "pmoe-test-cases.h"

namespace ns3
{
namespace pmoe
{
namespace tests
{

/**
 * @ingroup photonic-moe
 * The module's test suite; cases come from the per-area files.
 */
class PhotonicMoeTestSuite : public TestSuite
{
  public:
    PhotonicMoeTestSuite()
        : TestSuite("photonic-moe", TestSuite::Type::UNIT)
    {
        AddTestCaseFn add = [this](TestCase* c) { AddTestCase(c); };
        AddCoreTestCases(add);
        AddDecompositionTestCases(add);
        AddMatchingTestCases(add);
        AddMoeTestCases(add);
        AddOcsTestCases(add);
        AddOcsEpsPolicyTestCases(add);
        AddMoeLayerTestCases(add);
        AddFaultTestCases(add);
        AddValidationTestCases(add);
        AddStudyValidationTestCases(add);
        AddMoeLayerSharedConnectionTestCases(add);
    }
};

/// The one instance, registered with the test runner.
static PhotonicMoeTestSuite g_photonicMoeTestSuite;

} // namespace tests
} // namespace pmoe
} // namespace ns3
