#!/usr/bin/env python3
# Copyright (c) 2026 photonic-moe authors
# SPDX-License-Identifier: GPL-2.0-only
"""Print the study's summary tables (Markdown) from the aggregated CSV.

usage: summary.py RESULTS.csv

The tables experiments/study/study.md quotes: per study, the mean over seeds of the metrics
behind each figure, greedy and BvN side by side.
"""
import csv
import sys
from collections import defaultdict


def mean(xs):
    return sum(xs) / len(xs) if xs else float("nan")


def table(rows, keys, metrics, title):
    groups = defaultdict(lambda: defaultdict(list))
    for r in rows:
        k = tuple(r[x] for x in keys)
        for m in metrics:
            if r.get(m, "") != "":
                groups[(k, r["algorithm"])][m].append(float(r[m]))
    print("\n### " + title + "\n")
    algs = ["greedy", "bvn", "ideal"]
    head = list(keys) + ["%s %s" % (a, m) for m in metrics for a in algs]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for k in sorted({g[0] for g in groups}, key=lambda t: [_num(x) for x in t]):
        cells = list(k)
        for m in metrics:
            for a in algs:
                v = groups.get((k, a), {}).get(m, [])
                cells.append(_fmt(mean(v)) if v else "–")
        print("| " + " | ".join(cells) + " |")


def _num(x):
    for suffix, scale in (("ns", 1e-3), ("us", 1.0), ("ms", 1e3)):
        if x.endswith(suffix):
            try:
                return float(x[: -len(suffix)]) * scale
            except ValueError:
                pass
    try:
        v = float(x)
        return 1e9 if v == 0 else v  # K = 0 means unbounded: sort last
    except ValueError:
        return hash(x) % 1000


def _fmt(v):
    return "%.3f" % v if abs(v) < 10 else "%.1f" % v


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["status"] == "ok"]

    def study(name):
        return [r for r in rows if name in r["studies"].split("+")]

    table(
        study("matchings"),
        ("gpus", "routing"),
        ("num_matchings", "bubble_fraction", "layer_time_vs_ideal"),
        "matchings (K unbounded, delta 10 us, overlap none)",
    )
    table(
        study("k") + study("k-ideal"),
        ("delta", "k"),
        ("layer_time_us", "residual_bytes", "num_matchings"),
        "K (N 16, Zipf 0.6, per-matching, TCP)",
    )
    table(
        study("delta"),
        ("gpus", "routing", "delta"),
        ("layer_time_vs_ideal", "num_matchings"),
        "delta (per-matching)",
    )
    table(
        study("batch"),
        ("tokens", "overlap"),
        ("layer_time_us", "compute_efficiency", "mean_batch_tokens", "batches"),
        "batch (N 8, Zipf 0.6, delta 1 us, t_fix 20 us)",
    )
    print("\nruns: %d ok" % len(rows))


if __name__ == "__main__":
    main()
