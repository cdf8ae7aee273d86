#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Layer-level grid for the compute-aware 'auto' (issue 14): auto's simulated layer time
against the best fixed-K greedy, per cell. Usage:
  auto-grid.py BUILD_DIR OUT.csv [--gpus 8,16,32] [--tokens 256,4096] [--jobs 2]
Every run: photonic-moe-layer --fabric=ocs --transport=rdma --rdmaCc=none --idealBest=false.
Columns: the cell, auto's layer time and matchings, the same with --autoComputeModel=false,
greedy at each K, and auto / best greedy."""
import argparse, concurrent.futures as cf, csv, json, os, subprocess, tempfile

ROUTINGS = [("uniform", []), ("zipf0.6", ["--routing=zipf", "--zipf=0.6"]),
            ("zipf1.2", ["--routing=zipf", "--zipf=1.2"])]
DELTAS = ["1us", "100us", "1ms"]
OVERLAPS = ["none", "per-matching"]
KS = [2, 4, 8, 16, 0]


def run(binary, args):
    with tempfile.TemporaryDirectory() as d:
        cmd = [binary, "--quiet", "--fabric=ocs", "--transport=rdma", "--rdmaCc=none",
               "--idealBest=false", f"--outputDir={d}", f"--json={d}/r.json"] + args
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        r = json.load(open(f"{d}/r.json"))[0]
        return r["layer_time_ns"], r["num_matchings"]


def cell(binary, n, tokens, rname, rargs, delta, overlap):
    base = [f"--gpus={n}", f"--experts={4 * n}", f"--tokens={tokens}", f"--delta={delta}",
            f"--overlap={overlap}"] + rargs
    row = {"gpus": n, "tokens": tokens, "routing": rname, "delta": delta, "overlap": overlap}
    row["auto_ns"], row["auto_matchings"] = run(binary, base + ["--algorithm=auto"])
    row["auto_nocompute_ns"], _ = run(binary, base + ["--algorithm=auto",
                                                      "--autoComputeModel=false"])
    best = None
    for k in KS:
        t, _ = run(binary, base + ["--algorithm=greedy", f"--K={k}"])
        row[f"greedy_K{k}_ns"] = t
        best = t if best is None else min(best, t)
    row["best_greedy_ns"] = best
    row["auto_over_best_greedy"] = round(row["auto_ns"] / best, 4)
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("out")
    ap.add_argument("--gpus", default="8,16,32")
    ap.add_argument("--tokens", default="256,4096")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    binary = os.path.join(a.build, "examples", "photonic-moe-layer")
    cells = [(n, t, rn, ra, d, o) for n in map(int, a.gpus.split(","))
             for t in map(int, a.tokens.split(",")) for rn, ra in ROUTINGS for d in DELTAS
             for o in OVERLAPS]
    with cf.ThreadPoolExecutor(a.jobs) as ex:
        rows = list(ex.map(lambda c: cell(binary, *c), cells))
    with open(a.out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    worst = max(r["auto_over_best_greedy"] for r in rows)
    print(f"{len(rows)} cells; auto / best fixed-K greedy: max {worst:.4f}, "
          f"cells > 1.02: {sum(r['auto_over_best_greedy'] > 1.02 for r in rows)}")


if __name__ == "__main__":
    main()
