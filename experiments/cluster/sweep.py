#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Greedy vs BvN vs the ideal rail fabric at cluster shape (two-level fluid model).

Runs photonic-moe-cluster for the DeepSeek-V3 setting (--preset=dsv3) on EP64 (8 x 8) and
EP256 (32 x 8), one OCS plane per rail, for delta in {1 us, 10 us, 100 us, 1 ms}, uniform,
node-limited (M = 4) and Zipf (s = 0.6) routing, both forwarding rules, and writes one CSV row
per run and phase. Usage: sweep.py BUILD_DIR OUT.csv
"""
import csv
import json
import subprocess
import sys

build, out = sys.argv[1], sys.argv[2]
rows = []
for gpus in (64, 256):
    for routing in ("uniform", "node-limited", "zipf"):
        for forwarding in ("rail-aligned", "network-first"):
            for delta in (1000, 10000, 100000, 1000000):
                for algo in ("greedy", "bvn"):
                    cmd = [f"{build}/photonic-moe-cluster", "--preset=dsv3", f"--gpus={gpus}",
                           "--gpusPerServer=8", f"--routing={routing}", f"--forwarding={forwarding}",
                           f"--algorithm={algo}", f"--delta-ns={delta}", "--seed=1"]
                    d = json.loads(subprocess.run(cmd, check=True, capture_output=True,
                                                  text=True).stdout)
                    assert d["conserved"], cmd
                    for phase in ("dispatch", "combine"):
                        p = d[phase]
                        rows.append({
                            "ep": gpus, "servers": d["servers"], "routing": routing,
                            "forwarding": forwarding, "delta_ns": delta, "algorithm": algo,
                            "phase": phase,
                            "max_matchings_per_plane": max(q["matchings"] for q in p["planes"]),
                            "mean_bubble_fraction": round(sum(q["bubble_fraction"] for q in p["planes"]) / len(p["planes"]), 4),
                            "nvlink_stage_us": p["nvlink_stage_ns"] / 1e3,
                            "network_stage_us": p["network_stage_ns"] / 1e3,
                            "makespan_us": p["makespan_ns"] / 1e3,
                            "ideal_makespan_us": p["ideal_makespan_ns"] / 1e3,
                            "slowdown_vs_ideal": round(p["makespan_ns"] / p["ideal_makespan_ns"], 4),
                            "nic_bytes": p["nic_bytes"], "nvlink_bytes": p["nvlink_bytes"],
                        })
with open(out, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
print(f"{len(rows)} rows -> {out}")
