/*
 * Copyright (c) 2026 photonic-moe authors
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "pmoe-stuffing.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace pmoe
{

SinkhornResult
SinkhornStuff(const DemandMatrix& d, double tolerance)
{
    const std::size_t n = d.Size();
    if (n < 2)
    {
        throw InputError("Sinkhorn stuffing needs N >= 2, got N = " + std::to_string(n));
    }
    if (!(tolerance > 0.0 && tolerance < 1.0))
    {
        throw InputError("Sinkhorn tolerance must be in (0, 1), got " + std::to_string(tolerance));
    }
    const double maxEntry = static_cast<double>(d.MaxEntry());
    std::vector<double> base(n * n, 0.0);
    bool zeroLine = maxEntry <= 0;
    for (std::size_t i = 0; i < n && !zeroLine; ++i)
    {
        zeroLine = d.RowSum(i) == 0 || d.ColSum(i) == 0;
    }
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            if (maxEntry > 0)
            {
                base[i * n + j] = static_cast<double>(d.At(i, j)) / maxEntry;
            }
        }
    }
    const double lineTol = tolerance / 10;
    std::vector<double> rowSum(n);
    std::vector<double> colSum(n);
    auto lineError = [&](const std::vector<double>& m) {
        std::fill(rowSum.begin(), rowSum.end(), 0.0);
        std::fill(colSum.begin(), colSum.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i)
        {
            for (std::size_t j = 0; j < n; ++j)
            {
                rowSum[i] += m[i * n + j];
                colSum[j] += m[i * n + j];
            }
        }
        double err = 0;
        for (std::size_t i = 0; i < n; ++i)
        {
            err = std::max({err, std::fabs(rowSum[i] - 1.0), std::fabs(colSum[i] - 1.0)});
        }
        return err;
    };
    auto run = [&](std::vector<double> m, std::size_t cap, SinkhornResult& res) {
        res.iterations = 0;
        for (std::size_t it = 1; it <= cap; ++it)
        {
            res.iterations = it;
            for (std::size_t i = 0; i < n; ++i)
            {
                double s = 0;
                for (std::size_t j = 0; j < n; ++j)
                {
                    s += m[i * n + j];
                }
                if (s > 0)
                {
                    for (std::size_t j = 0; j < n; ++j)
                    {
                        m[i * n + j] /= s;
                    }
                }
            }
            std::fill(colSum.begin(), colSum.end(), 0.0);
            for (std::size_t i = 0; i < n; ++i)
            {
                for (std::size_t j = 0; j < n; ++j)
                {
                    colSum[j] += m[i * n + j];
                }
            }
            double err = 0;
            for (std::size_t i = 0; i < n; ++i)
            {
                double s = 0;
                for (std::size_t j = 0; j < n; ++j)
                {
                    if (colSum[j] > 0)
                    {
                        m[i * n + j] /= colSum[j];
                    }
                    s += m[i * n + j];
                }
                err = std::max(err, std::fabs(s - 1.0));
            }
            if (err <= lineTol)
            {
                break;
            }
        }
        res.matrix = std::move(m);
        res.maxLineError = lineError(res.matrix);
    };
    SinkhornResult res;
    res.n = n;
    if (!zeroLine)
    {
        run(base, 5000, res);
        if (res.maxLineError <= lineTol)
        {
            return res;
        }
    }
    const double eps = 1e-6;
    for (std::size_t i = 0; i < n; ++i)
    {
        for (std::size_t j = 0; j < n; ++j)
        {
            if (i != j)
            {
                base[i * n + j] += eps;
            }
        }
    }
    res.epsilonAdded = true;
    run(base, 20000, res);
    return res;
}

QuickStuffResult
QuickStuff(const DemandMatrix& d)
{
    const std::size_t n = d.Size();
    QuickStuffResult q;
    q.n = n;
    q.matrix = d.Data();
    q.lineSum = d.MaxLineSum();
    std::vector<Bytes> rowDef(n);
    std::vector<Bytes> colDef(n);
    for (std::size_t i = 0; i < n; ++i)
    {
        rowDef[i] = q.lineSum - d.RowSum(i);
        colDef[i] = q.lineSum - d.ColSum(i);
    }
    auto fill = [&](std::size_t i, std::size_t j) {
        Bytes add = std::min(rowDef[i], colDef[j]);
        if (add > 0)
        {
            q.matrix[i * n + j] += add;
            rowDef[i] -= add;
            colDef[j] -= add;
            if (i == j)
            {
                q.diagonalDummyBytes += add;
            }
            else
            {
                q.dummyBytes += add;
            }
        }
    };
    for (int pass = 0; pass < 2; ++pass)
    {
        for (std::size_t i = 0; i < n; ++i)
        {
            for (std::size_t j = 0; j < n; ++j)
            {
                if (i != j && (d.At(i, j) > 0) == (pass == 0))
                {
                    fill(i, j);
                }
            }
        }
    }
    for (std::size_t i = 0; i < n; ++i)
    {
        fill(i, i);
    }
    return q;
}

} // namespace pmoe
} // namespace ns3
