#!/usr/bin/env python3
# Copyright (c) 2026 photonic-moe authors
# SPDX-License-Identifier: GPL-2.0-only
"""Turn a grid file into one job list for photonic-moe-layer.

usage: make-jobs.py GRID.json JOBS.tsv

GRID.json holds "defaults" (parameters every job gets) and "studies", each with a "name",
optional "fixed" parameters and "axes" (parameter -> list of values); each study contributes
the Cartesian product of its axes. Parameters (see experiments/study/study.md):

  gpus, experts_per_gpu, topk, tokens, routing ("uniform", "zipf:S", "hot-expert"),
  preset (model preset; sets experts, top-k and hidden size), algorithm (greedy, bvn, ... or
  "ideal" for the ideal fabric), k (max matchings, 0 = unbounded), delta (ns-3 time string),
  transport (tcp|udp), overlap (none|per-matching|threshold|streaming), threshold, fixed_cost, rate,
  residual (eps|append), seed (--RngRun).

A job is one photonic-moe-layer run (one fabric, one algorithm). Its id is a hash of its
canonical parameters, so a job shared by several studies is listed once (column "studies"
names them all) and ids stay stable when the grid grows: finished results are reused.
For algorithm "ideal", k and delta do not apply and are written as "-".

JOBS.tsv: a header line, then one job per line, tab-separated: id, studies, every parameter,
and last the command-line arguments. Runners read line 1 + index (1-based index).
"""
import hashlib
import itertools
import json
import sys

PARAMS = [
    "gpus",
    "experts_per_gpu",
    "topk",
    "tokens",
    "routing",
    "preset",
    "algorithm",
    "k",
    "delta",
    "transport",
    "overlap",
    "threshold",
    "fixed_cost",
    "rate",
    "residual",
    "seed",
]

DEFAULTS = {
    "gpus": 16,
    "experts_per_gpu": 4,
    "topk": 4,
    "tokens": 1024,
    "routing": "uniform",
    "preset": "",
    "algorithm": "greedy",
    "k": 0,
    "delta": "10us",
    "transport": "tcp",
    "overlap": "none",
    "threshold": 256,
    "fixed_cost": "10us",
    "rate": "400Gbps",
    "residual": "eps",
    "seed": 1,
}


def canonical(p):
    """Normalise a parameter set: values as strings, non-applicable ones as '-'."""
    q = {k: str(p[k]) for k in PARAMS}
    if q["algorithm"] == "ideal":
        q["k"] = "-"
        q["delta"] = "-"
        q["residual"] = "-"
    if q["overlap"] != "threshold":
        q["threshold"] = "-"
    if q["preset"]:
        q["experts_per_gpu"] = "-"
        q["topk"] = "-"
    else:
        q["preset"] = "-"
    return q


def to_args(q):
    """Command-line arguments of photonic-moe-layer for a canonical parameter set."""
    a = ["--gpus=" + q["gpus"], "--tokens=" + q["tokens"]]
    if q["preset"] != "-":
        a.append("--preset=" + q["preset"])
    else:
        a.append("--experts=%d" % (int(q["gpus"]) * int(q["experts_per_gpu"])))
        a.append("--topK=" + q["topk"])
    r = q["routing"]
    if r.startswith("zipf:"):
        a += ["--routing=zipf", "--zipf=" + r.split(":", 1)[1]]
    else:
        a.append("--routing=" + r)
    if q["algorithm"] == "ideal":
        a.append("--fabric=ideal")
    else:
        a += [
            "--fabric=ocs",
            "--algorithm=" + q["algorithm"],
            "--K=" + q["k"],
            "--delta=" + q["delta"],
            "--residualPolicy=" + q["residual"],
        ]
    a += ["--transport=" + q["transport"], "--overlap=" + q["overlap"]]
    if q["threshold"] != "-":
        a.append("--threshold=" + q["threshold"])
    a += ["--fixedCost=" + q["fixed_cost"], "--rate=" + q["rate"], "--RngRun=" + q["seed"]]
    return " ".join(a)


def job_id(q):
    key = json.dumps(q, sort_keys=True)
    return hashlib.sha1(key.encode()).hexdigest()[:12]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    grid = json.load(open(sys.argv[1]))
    defaults = dict(DEFAULTS)
    defaults.update(grid.get("defaults", {}))
    jobs = {}
    order = []
    for study in grid["studies"]:
        base = dict(defaults)
        base.update(study.get("fixed", {}))
        axes = study.get("axes", {})
        for name in list(base) + list(axes):
            if name not in DEFAULTS:
                sys.exit("error: unknown parameter '%s' in study '%s'" % (name, study["name"]))
        names = list(axes)
        for values in itertools.product(*(axes[n] for n in names)):
            p = dict(base)
            p.update(zip(names, values))
            q = canonical(p)
            jid = job_id(q)
            if jid not in jobs:
                jobs[jid] = (q, [])
                order.append(jid)
            if study["name"] not in jobs[jid][1]:
                jobs[jid][1].append(study["name"])
    with open(sys.argv[2], "w") as f:
        f.write("\t".join(["id", "studies"] + PARAMS + ["args"]) + "\n")
        for jid in order:
            q, studies = jobs[jid]
            f.write("\t".join([jid, "+".join(studies)] + [q[k] for k in PARAMS] + [to_args(q)]))
            f.write("\n")
    print("%d jobs -> %s" % (len(order), sys.argv[2]))


if __name__ == "__main__":
    main()
