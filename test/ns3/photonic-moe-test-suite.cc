/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The module's TestSuites, one per area: ./test.py -s NAME in an ns-3 tree, or
// photonic-moe-test-runner --suite=NAME standalone. Whole-layer simulations are EXTENSIVE:
// add --fullness=EXTENSIVE (test.py: -f EXTENSIVE) to run them.

#include "photonic-moe-test-util.h"

namespace ns3
{
namespace pmoe
{
namespace tests
{

/**
 * @ingroup photonic-moe
 * "photonic-moe": the network model - OpticalCircuitSwitch, OcsNetDevice, the electrical
 * packet switch and the EPS policies, the switch's timing against pmoe::ScheduleTimeline,
 * OcsHelper.
 */
class PhotonicMoeNetworkTestSuite : public PmoeTestSuite
{
  public:
    PhotonicMoeNetworkTestSuite()
        : PmoeTestSuite("photonic-moe")
    {
        AddOcsTestCases(*this);
        AddOcsEpsPolicyTestCases(*this);
        AddOcsTimelineTestCases(*this);
    }
};

/**
 * @ingroup photonic-moe
 * "photonic-moe-layer": the MoE layer - GPU compute model, GPU application, circuit
 * scheduler, transports and batch policies, the helpers, MoeStatsCollector, whole layers.
 */
class PhotonicMoeLayerTestSuite : public PmoeTestSuite
{
  public:
    PhotonicMoeLayerTestSuite()
        : PmoeTestSuite("photonic-moe-layer")
    {
        AddMoeLayerTestCases(*this);
        AddMoeHelperTestCases(*this);
        AddIdealBaselineTestCases(*this);
        AddClusterTestCases(*this);
    }
};

/**
 * @ingroup photonic-moe
 * "photonic-moe-faults": port failures, reconfiguration jitter, lost and late control
 * messages, VOQ overflow.
 */
class PhotonicMoeFaultsTestSuite : public PmoeTestSuite
{
  public:
    PhotonicMoeFaultsTestSuite()
        : PmoeTestSuite("photonic-moe-faults")
    {
        AddFaultTestCases(*this);
    }
};

/**
 * @ingroup photonic-moe
 * "photonic-moe-validation": bad input is rejected by name; the packet level agrees with the
 * fluid evaluator; identical seeds give identical runs.
 */
class PhotonicMoeValidationTestSuite : public PmoeTestSuite
{
  public:
    PhotonicMoeValidationTestSuite()
        : PmoeTestSuite("photonic-moe-validation")
    {
        AddValidationTestCases(*this);
        AddStudyValidationTestCases(*this);
    }
};

/// The suites, registered with the test runner.
static PhotonicMoeNetworkTestSuite g_photonicMoeNetworkTestSuite;
static PhotonicMoeLayerTestSuite g_photonicMoeLayerTestSuite;           //!< see the class
static PhotonicMoeFaultsTestSuite g_photonicMoeFaultsTestSuite;         //!< see the class
static PhotonicMoeValidationTestSuite g_photonicMoeValidationTestSuite; //!< see the class

} // namespace tests
} // namespace pmoe
} // namespace ns3
