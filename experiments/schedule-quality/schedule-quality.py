#!/usr/bin/env python3
# Copyright (c) 2026 photonic-moe authors
#
# SPDX-License-Identifier: GPL-2.0-only
"""Schedule quality: makespans of every decomposition, the Sunflow-style baseline and the
auto scheduler on MoE-like dispatch matrices, with the gap to the per-port bound.

For each N in --gpus, Zipf exponent in --zipf and delta in --delta-us, a matrix is made with
utils/gen-moe-matrix.py (by default 1024 tokens per GPU, 4 experts per GPU, top-8,
DeepSeek-V3 token size) and every
algorithm is run through photonic-moe-schedule --json on a changed-only switch (a
reconfiguration darkens only the ports whose circuit changes; for the all-stop algorithms this
changes nothing unless consecutive matchings share circuits). The per-port bound is
max over ports of (peers x delta + load / rate). Prints one row per matrix (makespans in us;
best = the smallest among all algorithms) and checks that auto is the best or equal on
each; exit status 1 if not. Writes the rows as CSV with --csv.

Uses only the Python 3 standard library.
Example: python3 experiments/schedule-quality/schedule-quality.py --build build
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# name shown, --algorithm, extra options
ALGORITHMS = [
    ("greedy-wp", "greedy", ["--duration-policy", "whole-pair"]),
    ("greedy-me", "greedy", ["--duration-policy", "min-entry"]),
    ("greedy-da", "greedy", ["--duration-policy", "delta-aware"]),
    ("bvn", "bvn", []),
    ("solstice", "solstice", []),
    ("eclipse", "eclipse", []),
    ("rotor", "rotor", []),
    ("sunflow", "sunflow", []),
    ("auto", "auto", []),
]


def run(cli, matrix, algo, extra, delta_ns, rate_gbps):
    cmd = [cli, "--matrix", matrix, "--algorithm", algo, "--reconfig-mode", "changed-only",
           "--reconfig-delay-ns", str(delta_ns), "--link-rate-gbps", str(rate_gbps), "--json"]
    cmd += extra
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    return json.loads(out), wall


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--gpus", default="8,16,32,64")
    p.add_argument("--zipf", default="0,0.6,1.2")
    p.add_argument("--delta-us", default="10,1000")
    p.add_argument("--tokens-per-gpu", type=int, default=1024)
    p.add_argument("--top-k", type=int, default=8)
    p.add_argument("--experts-per-gpu", type=int, default=4)
    p.add_argument("--link-rate-gbps", type=int, default=400)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--csv", help="write the rows here")
    a = p.parse_args()
    cli = os.path.join(a.build, "photonic-moe-schedule")
    names = [n for n, _, _ in ALGORITHMS]
    rows = []
    worse = 0
    print("| N | zipf | delta_us | bound_us | " + " | ".join(names) +
          " | best | auto_gap | auto_k | auto_choice | auto_wall_s |")
    print("|" + "---|" * (len(names) + 9))
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(x) for x in a.gpus.split(",")]:
            for s in [float(x) for x in a.zipf.split(",")]:
                matrix = os.path.join(tmp, "m-%d-%g.csv" % (n, s))
                with open(matrix, "w") as f:
                    subprocess.run([sys.executable, os.path.join(ROOT, "utils", "gen-moe-matrix.py"),
                                    "--gpus", str(n), "--zipf", str(s), "--tokens-per-gpu",
                                    str(a.tokens_per_gpu), "--top-k", str(a.top_k),
                                    "--experts-per-gpu", str(a.experts_per_gpu),
                                    "--seed", str(a.seed)],
                                   check=True, stdout=f)
                for d_us in [float(x) for x in a.delta_us.split(",")]:
                    delta_ns = int(round(d_us * 1000))
                    row = {"N": n, "zipf": s, "delta_us": d_us}
                    for name, algo, extra in ALGORITHMS:
                        j, wall = run(cli, matrix, algo, extra, delta_ns, a.link_rate_gbps)
                        row[name] = j["makespan_ns"]
                        row["bound_ns"] = j["per_port_bound_ns"]
                        if name == "auto":
                            row["auto_k"] = j["auto_k"]
                            row["auto_choice"] = j["auto_choice"]
                            row["auto_wall_s"] = wall
                    finite = [row[x] for x in names if row[x] is not None]
                    best = min(finite)
                    row["best"] = [x for x in names if row[x] == best][0]
                    row["auto_gap"] = row["auto"] / row["bound_ns"] - 1.0
                    if row["auto"] is None or row["auto"] > best:
                        worse += 1
                    rows.append(row)

                    def us(v):
                        return "-" if v is None else "%.1f" % (v / 1000.0)

                    print("| %d | %g | %g | %s | " % (n, s, d_us, us(row["bound_ns"])) +
                          " | ".join(us(row[x]) for x in names) +
                          " | %s | %.2f%% | %d | %s | %.2f |" % (
                              row["best"], 100 * row["auto_gap"], row["auto_k"],
                              row["auto_choice"], row["auto_wall_s"]))
                    sys.stdout.flush()
    if a.csv:
        keys = ["N", "zipf", "delta_us", "bound_ns"] + names + [
            "best", "auto_gap", "auto_k", "auto_choice", "auto_wall_s"]
        with open(a.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=keys)
            w.writeheader()
            for r in rows:
                w.writerow({k: r[k] for k in keys})
    print("\nauto best or equal on %d of %d matrices" % (len(rows) - worse, len(rows)))
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
