#!/usr/bin/env python3
# Copyright (c) 2026 photonic-moe authors
# SPDX-License-Identifier: GPL-2.0-only
"""Aggregate finished sweep jobs into one tidy CSV (one row per run, named columns).

usage: aggregate.py [--no-check] JOBS.tsv OUT_DIR RESULTS.csv

Reads the job list and OUT_DIR/runs/<id>.json. Columns (schema in experiments/study/study.md):
  id, studies, the job parameters (gpus ... seed; "-" where not applicable),
  status (ok | not-conserved | missing), and per run (totals over the run's layers):
  layer_time_us, load_bound_us, ideal_layer_time_us, layer_time_vs_ideal,
  layer_time_vs_bound, dispatch_comm_us, dispatch_fluid_us, num_matchings,
  dispatch_matchings, reconfigurations, reconfig_time_us, bubble_fraction,
  dispatch_bubble_fraction, residual_bytes, compute_busy_us, ideal_compute_us,
  compute_efficiency, batches, mean_batch_tokens, max_batch_tokens, tcp_timeouts,
  voq_to_eps_packets, device_drops, conserved, wall_seconds, layer_time_lower_bound_us,
  layer_time_vs_lower_bound, ideal_best_layer_time_us, ideal_best_policy,
  layer_time_vs_ideal_best.
ideal_layer_time_us is the layer time of the ideal-fabric job with the same workload
(every parameter equal except algorithm, k, delta, residual), when the grid has it.
ideal_best_layer_time_us is the strongest ideal baseline: the smallest ideal-fabric layer time
over every overlap policy for the same workload and transport (the ideal jobs report every
policy in ideal_policy_layer_time_ns; ideal jobs of the grid with other overlap policies count
too), and ideal_best_policy the policy that achieved it.
Missing jobs are listed with status "missing" and empty metrics.

Check (skipped with --no-check): every run that conserved its bytes must take at least its
layer-time lower bound, and every OCS run at least the strongest ideal baseline of its workload. Violations
are printed, one per line, after the CSV is written, and the exit status is 1; otherwise 0.
"""
import csv
import json
import os
import sys

METRICS = [
    "layer_time_us",
    "load_bound_us",
    "ideal_layer_time_us",
    "layer_time_vs_ideal",
    "layer_time_vs_bound",
    "dispatch_comm_us",
    "dispatch_fluid_us",
    "num_matchings",
    "dispatch_matchings",
    "reconfigurations",
    "reconfig_time_us",
    "bubble_fraction",
    "dispatch_bubble_fraction",
    "residual_bytes",
    "compute_busy_us",
    "ideal_compute_us",
    "compute_efficiency",
    "batches",
    "mean_batch_tokens",
    "max_batch_tokens",
    "tcp_timeouts",
    "voq_to_eps_packets",
    "device_drops",
    "conserved",
    "wall_seconds",
    "layer_time_lower_bound_us",
    "layer_time_vs_lower_bound",
    "ideal_best_layer_time_us",
    "ideal_best_policy",
    "layer_time_vs_ideal_best",
]

# Parameters that do not change the workload or the ideal fabric's run.
FABRIC_ONLY = ("algorithm", "k", "delta", "residual")
# ... and those the strongest ideal baseline minimises over.
POLICY_ONLY = ("overlap", "threshold")


def us(ns):
    return "%.3f" % (ns / 1000.0)


def metrics(run):
    layer = run["per_layer"][0] if len(run["per_layer"]) == 1 else None
    m = {
        "layer_time_us": us(run["layer_time_ns"]),
        "load_bound_us": us(run["load_bound_ns"]),
        "num_matchings": run["num_matchings"],
        "reconfigurations": run["reconfigurations"],
        "reconfig_time_us": us(run["reconfig_time_ns"]),
        "bubble_fraction": "%.6f" % run["bubble_fraction"],
        "residual_bytes": run["residual_bytes"],
        "compute_busy_us": us(run["compute_busy_ns"]),
        "ideal_compute_us": us(run["ideal_compute_ns"]),
        "compute_efficiency": "%.6f" % run["compute_efficiency"],
        "batches": run["batches"],
        "mean_batch_tokens": "%.3f" % run["mean_batch_tokens"],
        "max_batch_tokens": run["max_batch_tokens"],
        "tcp_timeouts": run["tcp_timeouts"],
        "voq_to_eps_packets": run["voq_to_eps_packets"],
        "device_drops": run["device_drops"],
        "conserved": int(bool(run["conserved"])),
        "wall_seconds": ("%.2f" % run["wall_seconds"]) if "wall_seconds" in run else "",
        "layer_time_vs_bound": "%.6f" % (run["layer_time_ns"] / run["load_bound_ns"])
        if run["load_bound_ns"]
        else "",
    }
    if "layer_time_lower_bound_ns" in run:
        m["layer_time_lower_bound_us"] = us(run["layer_time_lower_bound_ns"])
        if run["layer_time_lower_bound_ns"]:
            m["layer_time_vs_lower_bound"] = "%.6f" % (
                run["layer_time_ns"] / run["layer_time_lower_bound_ns"]
            )
    if layer is not None:
        m["dispatch_comm_us"] = us(layer["dispatch_comm_ns"])
        m["dispatch_fluid_us"] = us(layer["dispatch_fluid_ns"])
        m["dispatch_matchings"] = layer["dispatch_matchings"]
        m["dispatch_bubble_fraction"] = "%.6f" % layer["dispatch_bubble_fraction"]
    return m


def ideal_candidates(run, overlap):
    """(layer time ns, policy) of every overlap policy an ideal-fabric run reports."""
    c = [(run["layer_time_ns"], overlap)]
    for policy, ns in run.get("ideal_policy_layer_time_ns", {}).items():
        c.append((ns, policy))
    return c


def main():
    args = sys.argv[1:]
    check = "--no-check" not in args
    args = [a for a in args if a != "--no-check"]
    if len(args) != 3:
        sys.exit(__doc__)
    jobs_path, out, results = args
    with open(jobs_path) as f:
        jobs = list(csv.DictReader(f, delimiter="\t"))
    params = [c for c in jobs[0].keys() if c not in ("id", "studies", "args")]
    rows = []
    candidates = {}  # workload without overlap -> [(ns, policy)] of its ideal runs
    for job in jobs:
        row = {"id": job["id"], "studies": job["studies"]}
        row.update({p: job[p] for p in params})
        path = os.path.join(out, "runs", job["id"] + ".json")
        if os.path.exists(path):
            runs = json.load(open(path))
            m = metrics(runs[0])
            if job["algorithm"] == "ideal" and runs[0]["conserved"]:
                key = tuple(
                    job[p] for p in params if p not in FABRIC_ONLY and p not in POLICY_ONLY
                )
                candidates.setdefault(key, []).extend(ideal_candidates(runs[0], job["overlap"]))
            row["status"] = "ok" if m["conserved"] else "not-conserved"
            row.update(m)
        else:
            row["status"] = "missing"
        rows.append(row)

    def workload_key(r):
        return tuple(r[p] for p in params if p not in FABRIC_ONLY)

    ideal = {
        workload_key(r): r["layer_time_us"]
        for r in rows
        if r["algorithm"] == "ideal" and r["status"] == "ok"
    }
    for r in rows:
        if r["status"] == "missing":
            continue
        t = ideal.get(workload_key(r))
        if t is not None:
            r["ideal_layer_time_us"] = t
            r["layer_time_vs_ideal"] = "%.6f" % (float(r["layer_time_us"]) / float(t))
    violations = []
    for r in rows:
        if r["status"] == "missing":
            continue
        key = tuple(r[p] for p in params if p not in FABRIC_ONLY and p not in POLICY_ONLY)
        if key in candidates:
            ns, policy = min(candidates[key], key=lambda c: c[0])
            r["ideal_best_layer_time_us"] = us(ns)
            r["ideal_best_policy"] = policy
            r["layer_time_vs_ideal_best"] = "%.6f" % (float(r["layer_time_us"]) * 1000.0 / ns)
        if r["status"] != "ok":
            continue
        t = float(r["layer_time_us"])
        if r.get("layer_time_lower_bound_us") and t < float(r["layer_time_lower_bound_us"]):
            violations.append(
                "%s (%s, %s): layer time %s us below its lower bound %s us"
                % (r["id"], r["studies"], r["algorithm"], r["layer_time_us"],
                   r["layer_time_lower_bound_us"])
            )
        if (
            r["algorithm"] != "ideal"
            and r.get("ideal_best_layer_time_us")
            and t < float(r["ideal_best_layer_time_us"])
        ):
            violations.append(
                "%s (%s, %s): layer time %s us below the strongest ideal baseline %s us (%s)"
                % (r["id"], r["studies"], r["algorithm"], r["layer_time_us"],
                   r["ideal_best_layer_time_us"], r["ideal_best_policy"])
            )
    fields = ["id", "studies"] + params + ["status"] + METRICS
    tmp = results + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, restval="", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, results)
    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print(
        "%d runs -> %s (%s)"
        % (len(rows), results, ", ".join("%s %d" % kv for kv in sorted(counts.items())))
    )
    if check and violations:
        for v in violations:
            print("error: " + v, file=sys.stderr)
        sys.exit(
            "error: %d run(s) below the strongest ideal baseline or the lower bound "
            "(a bug in one of them; --no-check writes the CSV without this check)" % len(violations)
        )


if __name__ == "__main__":
    main()
