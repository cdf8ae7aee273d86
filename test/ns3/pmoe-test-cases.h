/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef PMOE_TEST_CASES_H
#define PMOE_TEST_CASES_H

// Test cases of the "photonic-moe" TestSuite live in several files, one per area; each file
// provides a function that adds its cases to the suite.

#include "ns3/test.h"

#include <functional>

namespace ns3
{
namespace pmoe
{
namespace tests
{

/** Adds one test case to the suite (TestSuite::AddTestCase is protected in ns-3.37). */
using AddTestCaseFn = std::function<void(TestCase*)>;

/** Scheduling-core checks (the core is also covered by GoogleTest standalone). */
void AddCoreTestCases(const AddTestCaseFn& add);

/** MoE routing workload and GPU compute model checks. */
void AddMoeTestCases(const AddTestCaseFn& add);

/** Optical circuit switch network model: switch, host port device, EPS, helper. */
void AddOcsTestCases(const AddTestCaseFn& add);

/** EPS policy "no-future-circuit" and control priority on the EPS (ocs-eps-policy-test.cc). */
void AddOcsEpsPolicyTestCases(const AddTestCaseFn& add);

/** Packet-level MoE layer: compute wrapper, hosts, scheduler, whole layers (moe-layer-test.cc). */
void AddMoeLayerTestCases(const AddTestCaseFn& add);

/** Fault injection and determinism of whole runs (fault-test.cc). */
void AddFaultTestCases(const AddTestCaseFn& add);

/** Input validation of scenarios, attributes and schedules (validation-test.cc). */
void AddValidationTestCases(const AddTestCaseFn& add);
/** Shared TCP connection per pair (moe-layer-shared-connection-test.cc). */
void AddMoeLayerSharedConnectionTestCases(const AddTestCaseFn& add);

/** Decompositions and the fluid evaluator (conservation, budget, greedy vs BvN). */
void AddDecompositionTestCases(const AddTestCaseFn& add);

/** Matching algorithms against exhaustive search. */
void AddMatchingTestCases(const AddTestCaseFn& add);

/** Study validation: packet level against the fluid evaluator (study-validation-test.cc). */
void AddStudyValidationTestCases(const AddTestCaseFn& add);

} // namespace tests
} // namespace pmoe
} // namespace ns3

#endif /* PMOE_TEST_CASES_H */
