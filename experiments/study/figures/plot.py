#!/usr/bin/python3
# Copyright (c) 2026 photonic-moe authors
# SPDX-License-Identifier: GPL-2.0-only
"""Figures 1-5 of the study (experiments/study/study.md) from the aggregated CSV and a
timeline CSV.

usage: /usr/bin/python3 experiments/study/figures/plot.py RESULTS.csv TIMELINE.csv OUT_DIR

Needs Debian's python3-matplotlib (apt-get install -y python3-matplotlib). Writes
fig1-matchings-bubbles.png, fig2-layer-time-vs-k.png, fig3-efficiency-vs-batch.png,
fig4-layer-time-vs-delta.png, fig5-timeline.png. Values are means over seeds; error bars show
the smallest and largest seed.
"""
import csv
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLORS = {"greedy": "tab:blue", "bvn": "tab:red", "ideal": "tab:gray"}
DPI = 90


def delta_us(s):
    for suffix, scale in (("ns", 1e-3), ("us", 1.0), ("ms", 1e3), ("s", 1e6)):
        if s.endswith(suffix):
            return float(s[: -len(suffix)]) * scale
    raise ValueError(s)


def load(path):
    with open(path) as f:
        return [r for r in csv.DictReader(f) if r["status"] == "ok"]


def in_study(rows, name):
    return [r for r in rows if name in r["studies"].split("+")]


def mean_by(rows, keys, value):
    """Group rows by keys; return {key tuple: (mean, min, max)} of float(value)."""
    groups = defaultdict(list)
    for r in rows:
        if r.get(value, "") != "":
            groups[tuple(r[k] for k in keys)].append(float(r[value]))
    return {k: (sum(v) / len(v), min(v), max(v)) for k, v in groups.items()}


def errplot(ax, xs, stats, **kw):
    ys = [s[0] for s in stats]
    lo = [s[0] - s[1] for s in stats]
    hi = [s[2] - s[0] for s in stats]
    style = {"capsize": 2, "marker": "o", "markersize": 4}
    style.update(kw)
    ax.errorbar(xs, ys, yerr=[lo, hi], **style)


def fig1(rows, out):
    rows = [r for r in in_study(rows, "matchings") if r["algorithm"] != "ideal"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    styles = {"uniform": "-", "zipf:0.6": "--", "zipf:1.2": ":"}
    for metric, ax, label in (
        ("num_matchings", axes[0], "matchings (dispatch + combine)"),
        ("bubble_fraction", axes[1], "bubble fraction (fluid)"),
    ):
        st = mean_by(rows, ("algorithm", "routing", "gpus"), metric)
        for alg in ("greedy", "bvn"):
            for routing, ls in styles.items():
                ns = sorted({int(k[2]) for k in st if k[0] == alg and k[1] == routing})
                if not ns:
                    continue
                errplot(
                    ax,
                    ns,
                    [st[(alg, routing, str(n))] for n in ns],
                    color=COLORS[alg],
                    linestyle=ls,
                    marker="o" if alg == "greedy" else "x",
                    markersize=6 if alg == "greedy" else 8,
                    zorder=3 if alg == "greedy" else 2,
                    label="%s, %s" % (alg, routing),
                )
        ax.set_xlabel("GPUs N")
        ax.set_ylabel(label)
        ax.set_xscale("log", base=2)
        ax.grid(alpha=0.3)
    axes[0].set_yscale("log")
    axes[0].legend(fontsize=7, ncol=2)
    axes[1].text(0.02, 0.9, "greedy and BvN coincide under skew", transform=axes[1].transAxes,
                 fontsize=8)
    fig.suptitle("Fig. 1: matchings and bubbles, greedy vs BvN (K unbounded, δ = 10 µs)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "fig1-matchings-bubbles.png"), dpi=DPI)
    plt.close(fig)


def fig2(rows, out):
    rk = in_study(rows, "k")
    ideal = mean_by(in_study(rows, "k-ideal"), ("gpus",), "layer_time_us")
    fig, ax = plt.subplots(figsize=(7, 4))
    st = mean_by(rk, ("algorithm", "delta", "k"), "layer_time_us")
    ks = sorted({int(k[2]) for k in st if k[2] != "-"}, key=lambda k: (k == 0, k))
    pos = {k: i for i, k in enumerate(ks)}
    for alg in ("greedy", "bvn"):
        for delta, ls in (("10us", "-"), ("100us", "--")):
            kk = [k for k in ks if (alg, delta, str(k)) in st]
            if kk:
                errplot(
                    ax,
                    [pos[k] for k in kk],
                    [st[(alg, delta, str(k))] for k in kk],
                    color=COLORS[alg],
                    linestyle=ls,
                    label="%s, δ = %s" % (alg, delta.replace("us", " µs")),
                )
    for (_,), (m, _, _) in ideal.items():
        ax.axhline(m, color=COLORS["ideal"], linestyle="-.", label="ideal fabric")
    ax.set_xticks(range(len(ks)))
    ax.set_xticklabels(["∞" if k == 0 else str(k) for k in ks])
    ax.set_xlabel("K (most matchings per schedule; residual over the 100 Gb/s EPS)")
    ax.set_ylabel("layer time (µs)")
    ax.set_yscale("log")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title("Fig. 2: layer time against K (N = 16, Zipf 0.6, per-matching overlap, TCP)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "fig2-layer-time-vs-k.png"), dpi=DPI)
    plt.close(fig)


def fig3(rows, out):
    fig, ax = plt.subplots(figsize=(7, 4))
    markers = {"none": "o", "per-matching": "^", "threshold": "s"}
    for alg in ("greedy", "bvn", "ideal"):
        for ov, mk in markers.items():
            pts = [
                (float(r["mean_batch_tokens"]), float(r["compute_efficiency"]))
                for r in rows
                if r["algorithm"] == alg and r["overlap"] == ov
            ]
            if pts:
                ax.scatter(
                    [p[0] for p in pts],
                    [p[1] for p in pts],
                    s=14,
                    marker=mk,
                    color=COLORS[alg],
                    alpha=0.6,
                    label="%s, %s" % (alg, ov),
                )
    ax.set_xscale("log")
    ax.set_xlabel("mean batch size (expert token copies per launch)")
    ax.set_ylabel("compute efficiency (ideal / busy)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=3)
    ax.set_title("Fig. 3: compute efficiency against mean batch size (all runs)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "fig3-efficiency-vs-batch.png"), dpi=DPI)
    plt.close(fig)


def fig4(rows, out):
    rd = [r for r in in_study(rows, "delta") if r["algorithm"] != "ideal"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    # Normalised to the strongest ideal baseline (the ideal fabric under its best overlap
    # policy) when the results have it; older results: the ideal fabric under the same policy.
    best = bool(rd) and all(r.get("layer_time_vs_ideal_best") for r in rd)
    column = "layer_time_vs_ideal_best" if best else "layer_time_vs_ideal"
    st = mean_by(rd, ("routing", "algorithm", "gpus", "delta"), column)
    for ax, routing in zip(axes, ("uniform", "zipf:0.6")):
        for alg in ("greedy", "bvn"):
            for n, ls in (("8", "--"), ("16", "-")):
                ds = sorted(
                    {k[3] for k in st if k[:3] == (routing, alg, n)}, key=delta_us
                )
                if ds:
                    errplot(
                        ax,
                        [delta_us(d) for d in ds],
                        [st[(routing, alg, n, d)] for d in ds],
                        color=COLORS[alg],
                        linestyle=ls,
                        label="%s, N = %s" % (alg, n),
                    )
        ax.axhline(1.0, color=COLORS["ideal"], linestyle="-.")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("reconfiguration delay δ (µs)")
        ax.set_title(routing)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("layer time / best ideal fabric" if best else "layer time / ideal fabric")
    axes[0].legend(fontsize=8)
    fig.suptitle(
        "Fig. 4: layer time (per-matching) normalised to the ideal fabric under its best "
        "overlap policy, against δ"
        if best
        else "Fig. 4: layer time normalised to the ideal fabric, against δ (per-matching)"
    )
    fig.tight_layout()
    fig.savefig(os.path.join(out, "fig4-layer-time-vs-delta.png"), dpi=DPI)
    plt.close(fig)


def fig5(timeline, out):
    with open(timeline) as f:
        rows = list(csv.DictReader(f))
    algs = [a for a in ("greedy", "bvn") if any(r["algorithm"] == a for r in rows)]
    end = max(float(r["end_us"]) for r in rows)
    fig, axes = plt.subplots(2, len(algs), figsize=(11, 6), sharex=True, squeeze=False)
    cmap = plt.get_cmap("tab10")
    for col, alg in enumerate(algs):
        ra = [r for r in rows if r["algorithm"] == alg]
        ax = axes[0][col]
        for r in ra:
            if not r["kind"].endswith("circuit"):
                continue
            s, e = float(r["start_us"]), float(r["end_us"])
            ax.broken_barh(
                [(s, e - s)],
                (int(r["node"]) - 0.4, 0.8),
                facecolors=cmap(int(r["value"]) % 10),
                alpha=0.9 if r["kind"] == "dispatch-circuit" else 0.5,
                linewidth=0,
            )
        ax.set_ylabel("port (colour = peer)")
        ax.set_title("%s: circuits (dispatch dark, combine light)" % alg)
        ax = axes[1][col]
        for r in ra:
            if r["kind"] != "compute":
                continue
            s, e = float(r["start_us"]), float(r["end_us"])
            ax.broken_barh([(s, e - s)], (int(r["node"]) - 0.4, 0.8), facecolors="tab:green",
                           edgecolor="black", linewidth=0.3)
        ax.set_ylabel("GPU (batches)")
        ax.set_xlabel("time (µs)")
        ax.set_xlim(0, end * 1.01)
    fig.suptitle("Fig. 5: one layer, 8 GPUs, Zipf 0.6, δ = 1 µs, t_fix = 20 µs, per-matching, UDP")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "fig5-timeline.png"), dpi=DPI)
    plt.close(fig)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    rows = load(sys.argv[1])
    out = sys.argv[3]
    os.makedirs(out, exist_ok=True)
    fig1(rows, out)
    fig2(rows, out)
    fig3(rows, out)
    fig4(rows, out)
    fig5(sys.argv[2], out)
    for name in sorted(os.listdir(out)):
        if name.endswith(".png"):
            print("%s %d KB" % (name, os.path.getsize(os.path.join(out, name)) // 1024))


if __name__ == "__main__":
    main()
