/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/pmoe-demand-matrix.h"
#include "ns3/pmoe-schedule.h"
#include "ns3/pmoe-units.h"

#include <gtest/gtest.h>

using namespace ns3::pmoe;

TEST(DemandMatrix, SumsRhoDeltaAndDiagonal)
{
    DemandMatrix d({{5, 1, 0}, {0, 0, 4}, {3, 2, 0}});
    EXPECT_EQ(d.Size(), 3u);
    EXPECT_EQ(d.At(0, 0), 0);
    EXPECT_EQ(d.LocalBytes(0), 5);
    EXPECT_EQ(d.RowSum(0), 1);
    EXPECT_EQ(d.RowSum(2), 5);
    EXPECT_EQ(d.ColSum(2), 4);
    EXPECT_EQ(d.ColSum(1), 3);
    EXPECT_EQ(d.MaxLineSum(), 5);
    EXPECT_EQ(d.MaxLineNonZeros(), 2u);
    EXPECT_EQ(d.NonZeros(), 4u);
    EXPECT_EQ(d.Total(), 10);
    EXPECT_EQ(d.MaxEntry(), 4);
    DemandMatrix t = d.Transposed();
    EXPECT_EQ(t.At(2, 0), 0);
    EXPECT_EQ(t.At(0, 2), 3);
    EXPECT_EQ(t.Transposed(), d);
    DemandMatrix w = d.PairSums();
    EXPECT_EQ(w.At(0, 2), 3);
    EXPECT_EQ(w.At(2, 0), 3);
    EXPECT_EQ(w.At(1, 2), 6);
}

TEST(DemandMatrix, RejectsBadInput)
{
    EXPECT_THROW(DemandMatrix({{0, -1}, {0, 0}}), InputError);
    EXPECT_THROW(DemandMatrix({{0, 1, 2}, {0, 0}}), InputError);
    DemandMatrix d(2);
    EXPECT_THROW(d.Set(2, 0, 1), InputError);
    EXPECT_THROW(d.Add(0, 1, -1), InputError);
    d.Add(0, 1, 7);
    EXPECT_EQ(d.At(0, 1), 7);
}

TEST(Units, TransmissionTimeRoundsUp)
{
    EXPECT_EQ(TransmissionTimeNs(50000, 400000000000), 1000);
    EXPECT_EQ(TransmissionTimeNs(1, 400000000000), 1); // 0.02 ns rounds up to 1 ns
    EXPECT_EQ(TransmissionTimeNs(9000, 400000000000), 180);
    EXPECT_EQ(BytesInNs(180, 400000000000), 9000);
    EXPECT_EQ(BytesInNs(1, 400000000000), 50);
    EXPECT_THROW(TransmissionTimeNs(1, 0), InputError);
    EXPECT_THROW(BytesInNs(-1, 1), InputError);
}

TEST(Schedule, RejectsInvalidMatchings)
{
    Schedule uni(4, CircuitModel::UNIDIRECTIONAL);
    EXPECT_NO_THROW(uni.Append({{{0, 1}, {1, 0}, {2, 3}}, 10, 0}));
    EXPECT_THROW(uni.Append({{{0, 1}, {0, 2}}, 10, 0}), InputError); // port 0 sends twice
    EXPECT_THROW(uni.Append({{{0, 1}, {2, 1}}, 10, 0}), InputError); // port 1 receives twice
    EXPECT_THROW(uni.Append({{{3, 3}}, 10, 0}), InputError);
    EXPECT_THROW(uni.Append({{{0, 4}}, 10, 0}), InputError);
    EXPECT_THROW(uni.Append({{{0, 1}}, -1, 0}), InputError);
    Schedule dup(4, CircuitModel::DUPLEX);
    EXPECT_NO_THROW(dup.Append({{{0, 1}, {2, 3}}, 10, 0}));
    EXPECT_THROW(dup.Append({{{0, 1}, {1, 2}}, 10, 0}), InputError);
    EXPECT_THROW(dup.Append({{{1, 0}}, 10, 0}), InputError);
    EXPECT_EQ(uni.NumConfigurations(), 1u);
    EXPECT_EQ(dup.TotalCircuitTimeNs(), 10);
}
