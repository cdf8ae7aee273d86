#!/usr/bin/env python3
# Copyright (c) 2026 photonic-moe authors
#
# SPDX-License-Identifier: GPL-2.0-only
"""Time scipy.optimize.linear_sum_assignment(maximize=True) on the same matrices as
bench/matching-bench.cc (BM_BipartiteExact), for the comparison in doc/benchmarks.md.

Matrix `index` of size n: entries uniform in [0, 10^6) from the 64-bit LCG
x <- x * 6364136223846793005 + 1442695040888963407 (mod 2^64), value (x >> 33) % 10^6,
seeded with x = 1000003 * n + index, drawn row-major; the diagonal draw is discarded (0).

For each n the script solves the 5 matrices in turn, repeatedly, and prints the median over
repetitions of the mean wall-clock and CPU (process) time per solve, and the optimum of
matrix 0 (compare with the benchmark's weight0 counter).

Usage: /usr/bin/python3 bench/scipy_lsa.py [--sizes 16 32 ...] [--reps R]
Needs python3-numpy and python3-scipy (Debian packages; use Debian's /usr/bin/python3).
"""

import argparse
import statistics
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

MASK = (1 << 64) - 1
MATRICES = 5


def lcg_matrix(n, index):
    x = (1000003 * n + index) & MASK
    vals = np.empty(n * n, dtype=np.int64)
    for k in range(n * n):
        x = (x * 6364136223846793005 + 1442695040888963407) & MASK
        vals[k] = (x >> 33) % 1000000
    m = vals.reshape(n, n)
    np.fill_diagonal(m, 0)
    return m


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 32, 64, 128, 256, 512])
    parser.add_argument("--reps", type=int, default=0, help="repetitions (0: by size)")
    args = parser.parse_args()
    print("n,scipy_wall_us_per_solve,scipy_cpu_us_per_solve,weight0")
    for n in args.sizes:
        ms = [lcg_matrix(n, k) for k in range(MATRICES)]
        rows, cols = linear_sum_assignment(ms[0], maximize=True)
        weight0 = int(ms[0][rows, cols].sum())
        reps = args.reps or max(5, min(2000, int(2e6 // (n * n))))
        wall = []
        cpu = []
        for _ in range(reps):
            t0 = time.perf_counter()
            c0 = time.process_time()
            for m in ms:
                linear_sum_assignment(m, maximize=True)
            cpu.append((time.process_time() - c0) / MATRICES)
            wall.append((time.perf_counter() - t0) / MATRICES)
        print(
            f"{n},{statistics.median(wall) * 1e6:.1f},{statistics.median(cpu) * 1e6:.1f},{weight0}"
        )


if __name__ == "__main__":
    main()
