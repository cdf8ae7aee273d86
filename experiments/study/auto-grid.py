#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Layer-level grid for the compute-aware 'auto' (issue 14): auto's simulated layer time
against the best fixed-K greedy, per cell. Usage:
  auto-grid.py BUILD_DIR OUT.csv [--gpus 8,16,32] [--tokens 256,4096] [--jobs 2]
               [--transport rdma|udp|tcp]
Every run: photonic-moe-layer --fabric=ocs --transport=rdma --rdmaCc=none --idealBest=false
(--transport=udp or tcp: that transport instead of RDMA without congestion control).
Columns: the cell; auto's layer time, matchings (dispatch + combine), configurations of its
dispatch choice and the candidate chosen, its predicted layer time and simulated / predicted;
auto with --autoComputeModel=false; greedy at each K with simulated / predicted; auto / best
greedy. Prints the cells above 1.02 and the range of simulated / predicted."""
import argparse, concurrent.futures as cf, csv, json, os, subprocess, tempfile

ROUTINGS = [("uniform", []), ("zipf0.6", ["--routing=zipf", "--zipf=0.6"]),
            ("zipf1.2", ["--routing=zipf", "--zipf=1.2"])]
DELTAS = ["1us", "100us", "1ms"]
OVERLAPS = ["none", "per-matching"]
KS = [2, 4, 8, 16, 0]


TRANSPORT = ["--transport=rdma", "--rdmaCc=none"]
# UDP has no congestion control: where a schedule leaves more to the 100 Gb/s EPS than its
# switch can queue (incast), bytes are lost and the layer reports "not conserved" (exit 2).
# With --transport=udp such runs are kept as empty cells and left out of the comparison.
NOT_CONSERVED_OK = False


def run(binary, args):
    with tempfile.TemporaryDirectory() as d:
        cmd = [binary, "--quiet", "--fabric=ocs"] + TRANSPORT + [
            "--idealBest=false", f"--outputDir={d}", f"--json={d}/r.json"] + args
        rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        if rc == 2 and NOT_CONSERVED_OK:
            return None  # bytes lost (UDP without congestion control into the EPS): no result
        if rc != 0:
            raise subprocess.CalledProcessError(rc, cmd)
        return json.load(open(f"{d}/r.json"))[0]


def cell(binary, n, tokens, rname, rargs, delta, overlap):
    base = [f"--gpus={n}", f"--experts={4 * n}", f"--tokens={tokens}", f"--delta={delta}",
            f"--overlap={overlap}"] + rargs
    row = {"gpus": n, "tokens": tokens, "routing": rname, "delta": delta, "overlap": overlap}
    a = run(binary, base + ["--algorithm=auto"])
    row["auto_ns"] = a["layer_time_ns"] if a else ""
    row["auto_matchings"] = a["num_matchings"] if a else ""
    row["auto_configurations"] = a["auto_configurations"] if a else ""
    row["auto_choice"] = a["auto_choice"] if a else "not-conserved"
    row["auto_predicted_ns"] = a["predicted_layer_time_ns"] if a else ""
    row["auto_sim_over_pred"] = round(a["predicted_vs_simulated"], 4) if a else ""
    nc = run(binary, base + ["--algorithm=auto", "--autoComputeModel=false"])
    row["auto_nocompute_ns"] = nc["layer_time_ns"] if nc else ""
    best = None
    for k in KS:
        g = run(binary, base + ["--algorithm=greedy", f"--K={k}"])
        row[f"greedy_K{k}_ns"] = g["layer_time_ns"] if g else ""
        row[f"greedy_K{k}_sim_over_pred"] = round(g["predicted_vs_simulated"], 4) if g else ""
        if g:
            best = g["layer_time_ns"] if best is None else min(best, g["layer_time_ns"])
    row["best_greedy_ns"] = best if best is not None else ""
    row["auto_over_best_greedy"] = (round(row["auto_ns"] / best, 4)
                                    if a and best is not None else "")
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("out")
    ap.add_argument("--gpus", default="8,16,32")
    ap.add_argument("--tokens", default="256,4096")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--transport", choices=["rdma", "udp", "tcp"], default="rdma")
    a = ap.parse_args()
    if a.transport != "rdma":
        global NOT_CONSERVED_OK
        TRANSPORT[:] = [f"--transport={a.transport}"]
        NOT_CONSERVED_OK = a.transport == "udp"
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
    valid = [r for r in rows if r["auto_over_best_greedy"] != ""]
    worst = max(r["auto_over_best_greedy"] for r in valid)
    print(f"{len(rows)} cells ({len(rows) - len(valid)} without a conserving auto run or "
          f"greedy run); auto / best fixed-K greedy: max {worst:.4f}, "
          f"cells > 1.02: {sum(r['auto_over_best_greedy'] > 1.02 for r in valid)}")
    for r in valid:
        if r["auto_over_best_greedy"] > 1.02:
            print("  above 1.02:", {k: r[k] for k in ("gpus", "tokens", "routing", "delta",
                                                      "overlap", "auto_over_best_greedy",
                                                      "auto_choice")})
    lost = sum(r[f"greedy_K{k}_ns"] == "" for r in rows for k in KS)
    if lost:
        print(f"greedy runs without conservation (left out): {lost} of {len(rows) * len(KS)}")
    auto = [r["auto_sim_over_pred"] for r in rows if r["auto_sim_over_pred"] != ""]
    every = auto + [r[f"greedy_K{k}_sim_over_pred"] for r in rows for k in KS
                    if r[f"greedy_K{k}_sim_over_pred"] != ""]
    print(f"simulated / predicted: auto {min(auto):.4f}..{max(auto):.4f}, "
          f"every run {min(every):.4f}..{max(every):.4f}, "
          f"runs outside 0.95..1.05: {sum(not 0.95 <= x <= 1.05 for x in every)} of {len(every)}")


if __name__ == "__main__":
    main()
