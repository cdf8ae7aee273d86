#!/usr/bin/env python3
# Copyright (c) 2026 photonic-moe authors
# SPDX-License-Identifier: GPL-2.0-only
"""Validate the RDMA transport: packet level against the fluid evaluator and rho/r.

usage: validate-rdma.py [--build DIR] [--out DIR] [--jobs N] [--check]

Runs the circuit scenarios of the study's validation (experiments/study/validate.sh; the TCP
and UDP variants of a scenario become one RDMA scenario) through photonic-moe-layer with
--transport=rdma and the layer's defaults (DCQCN, with ECN and PFC on the OCS fabric's EPS and
off on the ideal fabric, one ACK per 16 packets, NCCL's 1.07 s retransmission timeout) and
--json, each with greedy and BvN on the OCS and the ideal fabric, plus the ideal fabric on the
skewed workloads with the combine kept out of the dispatch (--fixedCost=5ms: no GPU sends a
combine byte before the last dispatch byte has arrived; checked) and again with PFC and ECN on
(--epsPfc=on --epsEcn=on, for attribution), and tabulates per run and phase:
  OCS:   packet-level communication makespan (schedule start on the switch -> last byte
         received) against the fluid evaluator's makespan of the same schedule at the full
         circuit rate
  ideal: dispatch (first byte sent -> last byte received) against rho/r, the per-port load
         over the rate
Each comparison has a class:
  circuit           OCS, every byte over circuits              bound |gap| <= 1 %, checked
  ideal-uniform     ideal fabric, uniform demand                bound |gap| <= 3 %, checked
  ideal-isolated    ideal fabric, skewed demand, dispatch alone bound |gap| <= 3 %, checked
  ideal-overlap     ideal fabric, skewed demand, combine into the hot GPU overlapping its
                    dispatch (the layer's own timing): reported, not checked (rho/r counts
                    dispatch bytes only, the hot GPU's link also carries combine bytes)
  eps-residual      OCS with a bounded K, the residual over the 100 Gb/s EPS: reported, not
                    checked (the fluid evaluator's EPS is a fluid)
Writes OUT/<scenario>.json and .args (kept: delete OUT to re-run), OUT/validation-rdma.csv,
and prints a Markdown table and a summary. --check: exit 1 if a checked comparison is outside
its bound or a run did not conserve every byte. Only the Python standard library.
"""
import argparse
import concurrent.futures
import csv
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

# name -> photonic-moe-layer arguments (the scenarios of validate.sh, transport aside; the
# N = 8 Zipf scenarios share one workload, so its ideal-fabric run is made once)
SCENARIOS = [
    ("n4-uniform-d10us", "--gpus=4 --experts=16 --topK=2 --tokens=512 --delta=10us"),
    ("n8-zipf-d1us", "--gpus=8 --experts=32 --routing=zipf --zipf=0.6 --delta=1us"),
    ("n8-zipf-d100ns", "--gpus=8 --experts=32 --routing=zipf --zipf=0.6 --delta=100ns --fabric=ocs"),
    ("n8-hot-d1ms", "--gpus=8 --experts=32 --routing=hot-expert --delta=1ms"),
    (
        "n8-zipf-K4-eps",
        "--gpus=8 --experts=32 --routing=zipf --zipf=0.6 --delta=10us --K=4 --fabric=ocs",
    ),
    (
        "n8-zipf-changed",
        "--gpus=8 --experts=32 --routing=zipf --zipf=0.6 --delta=10us --reconfigMode=changed-only "
        "--fabric=ocs",
    ),
    ("n16-uniform-d10us", "--gpus=16 --delta=10us"),
    ("n16-zipf-d100us", "--gpus=16 --routing=zipf --zipf=0.6 --delta=100us"),
    ("n32-uniform-d10us", "--gpus=32 --experts=128 --tokens=256 --delta=10us"),
]

# The ideal fabric on the skewed workloads with the dispatch alone: with a fixed cost of 5 ms
# per batch no GPU sends a combine byte before 5 ms, after every dispatch here has ended
# (checked below; doc/rdma.rst, "Validation").
SKEWED = ["n8-zipf-d1us", "n8-hot-d1ms", "n16-zipf-d100us"]
ISOLATED_FIXED_COST_NS = 5000000
ISOLATED = "--fabric=ideal --fixedCost=5ms"
for _n in SKEWED:
    SCENARIOS.append((_n + "-ideal-isolated", dict(SCENARIOS)[_n] + " " + ISOLATED))
# Attribution: the skewed ideal-fabric runs with the OCS fabric's congestion signals (PFC and
# ECN for DCQCN), which the ideal fabric leaves off by default.
for _n in SKEWED:
    SCENARIOS.append(
        (_n + "-ideal-pfc-ecn", dict(SCENARIOS)[_n] + " --fabric=ideal --epsPfc=on --epsEcn=on")
    )

OCS_BOUND_PCT = 1.0
IDEAL_BOUND_PCT = 3.0


def run_scenario(binary, out, name, args):
    """Run one scenario unless its JSON exists; return its name."""
    path = os.path.join(out, name + ".json")
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return name
    full = args + " --transport=rdma"
    print("validate-rdma: " + name, file=sys.stderr)
    tmp = path + ".tmp"
    subprocess.run(
        [binary, "--quiet", "--outputDir=none", "--json=" + tmp] + full.split(),
        check=True,
    )
    os.replace(tmp, path)
    with open(os.path.join(out, name + ".args"), "w") as f:
        f.write(full + "\n")
    return name


def classify(name, ideal, residual_bytes):
    """The class of a comparison and its bound (None: reported, not checked)."""
    if not ideal:
        if residual_bytes:
            return "eps-residual", None
        return "circuit", OCS_BOUND_PCT
    if "uniform" in name:
        return "ideal-uniform", IDEAL_BOUND_PCT
    if name.endswith("-ideal-isolated"):
        return "ideal-isolated", IDEAL_BOUND_PCT
    return "ideal-overlap", None


def rows_of(out, name):
    """The comparisons of one scenario's JSON."""
    with open(os.path.join(out, name + ".json")) as f:
        runs = json.load(f)
    rows = []
    for r in runs:
        layer = r["per_layer"][0]
        ideal = r["fabric"] == "ideal"
        run = "ideal" if ideal else r["algorithm"]
        tc = r["transport_counters"]
        cls, bound = classify(name, ideal, layer["residual_bytes"])
        if "-pfc-ecn" in name:
            cls, bound = cls + " (PFC and ECN on)", None
        if cls == "ideal-isolated" and layer["dispatch_comm_ns"] >= ISOLATED_FIXED_COST_NS:
            sys.exit("%s: the dispatch (%d ns) outlasts the fixed cost: not isolated" % (name, layer["dispatch_comm_ns"]))
        for ph in ["dispatch"] if ideal else ["dispatch", "combine"]:
            packet = layer[ph + "_comm_ns"]
            ref = layer[ph + "_fluid_ns"]  # ideal fabric: rho / r
            gap = 100.0 * (packet - ref) / ref if ref else float("nan")
            rows.append(
                {
                    "scenario": name,
                    "run": run,
                    "phase": ph,
                    "class": cls,
                    "reference": "rho/r" if ideal else "fluid",
                    "packet_us": "%.3f" % (packet / 1000.0),
                    "reference_us": "%.3f" % (ref / 1000.0),
                    "gap_pct": "%.2f" % gap,
                    "bound_pct": "%.0f" % bound if bound is not None else "",
                    "within": int(abs(gap) <= bound) if bound is not None else "",
                    "fluid_last_byte_us": "%.3f" % (layer[ph + "_fluid_last_byte_ns"] / 1000.0),
                    "residual_bytes": layer["residual_bytes"],
                    "voq_to_eps_packets": r["voq_to_eps_packets"],
                    "retransmitted_packets": tc["retransmitted_packets"],
                    "timeouts": tc["timeouts"],
                    "naks": tc["naks"],
                    "cnps": tc["cnps"],
                    "rate_cuts": tc["rate_cuts"],
                    "eps_ecn_marked": r["eps_ecn_marked"],
                    "eps_pause_frames": r["eps_pause_frames"],
                    "device_drops": r["device_drops"],
                    "conserved": int(bool(r["conserved"])),
                }
            )
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.environ.get("PMOE_BUILD_DIR", os.path.join(ROOT, "build")))
    ap.add_argument("--out", default=os.path.join(HERE, "results", "validation-rdma"))
    ap.add_argument("--jobs", type=int, default=1, help="scenarios run at a time")
    ap.add_argument("--check", action="store_true", help="exit 1 if a checked bound is missed")
    a = ap.parse_args()
    binary = os.path.join(a.build, "examples", "photonic-moe-layer")
    if not os.access(binary, os.X_OK):
        sys.exit("error: %s not found (build the target photonic-moe-layer)" % binary)
    os.makedirs(a.out, exist_ok=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        for fut in [pool.submit(run_scenario, binary, a.out, n, s) for n, s in SCENARIOS]:
            fut.result()
    rows = []
    for name, _ in SCENARIOS:
        rows.extend(rows_of(a.out, name))
    with open(os.path.join(a.out, "validation-rdma.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(
        "| scenario | run | phase | class | packet µs | reference µs | gap % | bound % | retx "
        "| NAKs | CNPs | cuts | pauses | to EPS | conserved |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for x in rows:
        print(
            "| %s | %s | %s | %s | %s | %s (%s) | %s%s | %s | %s | %s | %s | %s | %s | %s | %s |"
            % (
                x["scenario"],
                x["run"],
                x["phase"],
                x["class"],
                x["packet_us"],
                x["reference_us"],
                x["reference"],
                x["gap_pct"],
                " **out**" if x["within"] == 0 else "",
                x["bound_pct"] or "-",
                x["retransmitted_packets"],
                x["naks"],
                x["cnps"],
                x["rate_cuts"],
                x["eps_pause_frames"],
                x["voq_to_eps_packets"],
                "yes" if x["conserved"] else "NO",
            )
        )
    classes = []
    for x in rows:
        if x["class"] not in classes:
            classes.append(x["class"])
    for cls in classes:
        group = [x for x in rows if x["class"] == cls]
        gaps = [float(x["gap_pct"]) for x in group]
        checked = group[0]["bound_pct"]
        print(
            "\n%s: %d comparisons, gap %.2f %% .. %.2f %%%s"
            % (
                cls,
                len(group),
                min(gaps),
                max(gaps),
                ", %d within %s %%" % (sum(x["within"] for x in group), checked)
                if checked
                else " (reported, not checked)",
            ),
            end="",
        )
    print("\nevery run conserved every byte: %s" % ("yes" if all(x["conserved"] for x in rows) else "NO"))
    bad = [x for x in rows if x["within"] == 0 or not x["conserved"]]
    if a.check and bad:
        sys.exit("%d checked comparisons outside their bound or not conserved" % len(bad))


if __name__ == "__main__":
    main()
