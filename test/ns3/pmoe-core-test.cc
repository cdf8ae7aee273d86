/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Scheduling-core checks inside the ns-3 suite, so that test.py in an ns-3 tree exercises the
// core too (standalone, the GoogleTest suite covers it in depth).

#include "pmoe-test-cases.h"

#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-units.h"

namespace ns3
{
namespace pmoe
{
namespace tests
{

/**
 * @ingroup photonic-moe
 * Demand matrix bookkeeping: line sums, rho, Delta, diagonal kept apart, validation.
 */
class DemandMatrixTestCase : public TestCase
{
  public:
    DemandMatrixTestCase()
        : TestCase("Demand matrix: sums, rho, Delta, diagonal, validation")
    {
    }

  private:
    void DoRun() override
    {
        DemandMatrix d({{5, 1, 0}, {0, 0, 4}, {3, 2, 0}});
        NS_TEST_EXPECT_MSG_EQ(d.At(0, 0), 0, "diagonal is not switched traffic");
        NS_TEST_EXPECT_MSG_EQ(d.LocalBytes(0), 5, "diagonal kept as local bytes");
        NS_TEST_EXPECT_MSG_EQ(d.RowSum(2), 5, "row sum");
        NS_TEST_EXPECT_MSG_EQ(d.ColSum(2), 4, "column sum");
        NS_TEST_EXPECT_MSG_EQ(d.MaxLineSum(), 5, "rho");
        NS_TEST_EXPECT_MSG_EQ(d.MaxLineNonZeros(), 2u, "Delta");
        NS_TEST_EXPECT_MSG_EQ(d.Total(), 10, "total excludes the diagonal");
        bool threw = false;
        try
        {
            DemandMatrix bad({{0, -1}, {0, 0}});
        }
        catch (const InputError&)
        {
            threw = true;
        }
        NS_TEST_EXPECT_MSG_EQ(threw, true, "negative entry rejected");
        NS_TEST_EXPECT_MSG_EQ(TransmissionTimeNs(50000, 400000000000), 1000, "50 kB at 400G");
        NS_TEST_EXPECT_MSG_EQ(BytesInNs(1000, 400000000000), 50000, "1 us at 400G");
    }
};

void
AddCoreTestCases(const AddTestCaseFn& add)
{
    add(new DemandMatrixTestCase);
}

} // namespace tests
} // namespace pmoe
} // namespace ns3
