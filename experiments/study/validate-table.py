#!/usr/bin/env python3
# Copyright (c) 2026 photonic-moe authors
# SPDX-License-Identifier: GPL-2.0-only
"""Tabulate packet-level communication makespans against the fluid evaluator.

usage: validate-table.py OUT_DIR

Reads OUT_DIR/*.json (photonic-moe-layer --json, one layer per run) and the matching
OUT_DIR/*.args, writes OUT_DIR/validation.csv (one row per scenario, run and phase) and prints
a Markdown table. Columns:
  scenario, args        the scenario name and the photonic-moe-layer arguments
  run                   ocs:<algorithm> or ideal
  phase                 dispatch | combine (the ideal fabric: dispatch only)
  packet_us             packet level: schedule start (ideal: first byte sent) -> last byte received
  fluid_us              fluid makespan of the same schedule at the full rate (ideal: rho/r)
  gap_pct               100 * (packet - fluid) / fluid
  fluid_last_byte_us    fluid time of the last planned byte at the full rate
  residual_bytes        demand left to the electrical fabric (both phases)
  tcp_timeouts, voq_to_eps_packets, conserved   from the run
"""
import csv
import glob
import json
import os
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    rows = []
    for path in sorted(glob.glob(os.path.join(out, "*.json"))):
        name = os.path.basename(path)[: -len(".json")]
        args_path = os.path.join(out, name + ".args")
        args = open(args_path).read().strip() if os.path.exists(args_path) else ""
        for r in json.load(open(path)):
            layer = r["per_layer"][0]
            run = "ideal" if r["fabric"] == "ideal" else "ocs:" + r["algorithm"]
            phases = ["dispatch"] if r["fabric"] == "ideal" else ["dispatch", "combine"]
            for ph in phases:
                packet = layer[ph + "_comm_ns"]
                fluid = layer[ph + "_fluid_ns"]
                rows.append(
                    {
                        "scenario": name,
                        "args": args,
                        "run": run,
                        "phase": ph,
                        "packet_us": "%.3f" % (packet / 1000.0),
                        "fluid_us": "%.3f" % (fluid / 1000.0),
                        "gap_pct": "%.2f" % (100.0 * (packet - fluid) / fluid) if fluid else "",
                        "fluid_last_byte_us": "%.3f" % (layer[ph + "_fluid_last_byte_ns"] / 1000.0),
                        "residual_bytes": layer["residual_bytes"],
                        "tcp_timeouts": r["tcp_timeouts"],
                        "voq_to_eps_packets": r["voq_to_eps_packets"],
                        "conserved": int(bool(r["conserved"])),
                    }
                )
    if not rows:
        sys.exit("no *.json under " + out)
    with open(os.path.join(out, "validation.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print("| scenario | run | phase | packet µs | fluid µs | gap % | fluid last byte µs | residual B | RTOs | to EPS | conserved |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for x in rows:
        print(
            "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |"
            % (
                x["scenario"],
                x["run"],
                x["phase"],
                x["packet_us"],
                x["fluid_us"],
                x["gap_pct"],
                x["fluid_last_byte_us"],
                x["residual_bytes"],
                x["tcp_timeouts"],
                x["voq_to_eps_packets"],
                "yes" if x["conserved"] else "NO",
            )
        )
    worst = max(abs(float(x["gap_pct"])) for x in rows if x["gap_pct"] != "")
    print("\nlargest |gap|: %.2f %%" % worst)


if __name__ == "__main__":
    main()
