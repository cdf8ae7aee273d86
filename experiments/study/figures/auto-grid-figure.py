#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Figure of the compute-aware scheduler's grid (experiments/study/auto-grid.py): per cell,
auto's simulated layer time / the best fixed-K greedy's (top, with the 1.02 line), and
simulated / predicted layer time of auto and of every greedy run (bottom, with the +-5% band).
Cells are grouped by N and tokens per GPU; within a group: routing, delta, overlap. Writes a
plain SVG (no plotting library needed).
Usage: auto-grid-figure.py OUT.svg GRID.csv [GRID.csv ...]
"""
import csv
import sys

out, sources = sys.argv[1], sys.argv[2:]
rows = [r for src in sources for r in csv.DictReader(open(src))]
ROUTINGS = {"uniform": 0, "zipf0.6": 1, "zipf1.2": 2}
DELTAS = {"1us": 0, "100us": 1, "1ms": 2}
rows.sort(key=lambda r: (int(r["gpus"]), int(r["tokens"]), ROUTINGS[r["routing"]],
                         DELTAS[r["delta"]], r["overlap"]))
KS = [c[len("greedy_K"):-len("_sim_over_pred")] for c in rows[0] if c.endswith("_sim_over_pred")
      and c.startswith("greedy_K")]

W, L, R, GAP = 60 + 9 * len(rows) + 20, 60, 20, 40
PANEL = 200
T1 = 40
T2 = T1 + PANEL + GAP + 30
H = T2 + PANEL + 70


def x(i):
    return L + 9 * i + 4.5


def y_of(top, lo, hi):
    return lambda v: top + (hi - min(max(v, lo), hi)) / (hi - lo) * PANEL


ratio = [float(r["auto_over_best_greedy"]) for r in rows]
lo1, hi1 = min(0.5, min(ratio)), max(1.1, max(ratio) + 0.02)
y1 = y_of(T1, lo1, hi1)
preds = [float(r["auto_sim_over_pred"]) for r in rows] + [
    float(r[f"greedy_K{k}_sim_over_pred"]) for r in rows for k in KS]
lo2, hi2 = min(0.9, min(preds) - 0.01), max(1.1, max(preds) + 0.01)
y2 = y_of(T2, lo2, hi2)

svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
       'font-family="sans-serif" font-size="11">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{L}" y="16" font-size="13">Compute-aware scheduler "auto" on the layer grid '
       f'({len(rows)} cells; RDMA, no congestion control)</text>']


def axes(top, lo, hi, y, ticks, label):
    svg.append(f'<line x1="{L}" y1="{top}" x2="{L}" y2="{top + PANEL}" stroke="black"/>')
    svg.append(f'<line x1="{L}" y1="{top + PANEL}" x2="{W - R}" y2="{top + PANEL}" '
               'stroke="black"/>')
    for t in ticks:
        if lo <= t <= hi:
            svg.append(f'<line x1="{L}" y1="{y(t):.1f}" x2="{W - R}" y2="{y(t):.1f}" '
                       'stroke="#ddd"/>')
            svg.append(f'<text x="{L - 4}" y="{y(t) + 4:.1f}" text-anchor="end">{t:g}</text>')
    svg.append(f'<text x="14" y="{top + PANEL / 2}" text-anchor="middle" '
               f'transform="rotate(-90 14 {top + PANEL / 2})">{label}</text>')


axes(T1, lo1, hi1, y1, [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3], "auto / best greedy")
svg.append(f'<line x1="{L}" y1="{y1(1.02):.1f}" x2="{W - R}" y2="{y1(1.02):.1f}" '
           'stroke="#d62728" stroke-dasharray="5,3"/>')
svg.append(f'<text x="{W - R}" y="{y1(1.02) - 4:.1f}" text-anchor="end" fill="#d62728">'
           '1.02</text>')
for i, r in enumerate(rows):
    color = "#1f77b4" if r["overlap"] == "none" else "#ff7f0e"
    svg.append(f'<circle cx="{x(i):.1f}" cy="{y1(ratio[i]):.1f}" r="3" fill="{color}"/>')

axes(T2, lo2, hi2, y2, [0.9, 0.95, 1.0, 1.05, 1.1], "simulated / predicted")
svg.append(f'<rect x="{L}" y="{y2(1.05):.1f}" width="{W - R - L}" '
           f'height="{y2(0.95) - y2(1.05):.1f}" fill="#2ca02c" fill-opacity="0.08"/>')
for i, r in enumerate(rows):
    for k in KS:
        v = float(r[f"greedy_K{k}_sim_over_pred"])
        svg.append(f'<circle cx="{x(i):.1f}" cy="{y2(v):.1f}" r="2" fill="#999"/>')
    v = float(r["auto_sim_over_pred"])
    color = "#1f77b4" if r["overlap"] == "none" else "#ff7f0e"
    svg.append(f'<circle cx="{x(i):.1f}" cy="{y2(v):.1f}" r="3" fill="{color}"/>')

# Group labels (N, tokens) under the bottom panel, separators in both.
start = 0
for i in range(1, len(rows) + 1):
    if i == len(rows) or (rows[i]["gpus"], rows[i]["tokens"]) != (rows[start]["gpus"],
                                                                  rows[start]["tokens"]):
        mid = (x(start) + x(i - 1)) / 2
        svg.append(f'<text x="{mid:.1f}" y="{T2 + PANEL + 16}" text-anchor="middle">'
                   f'N={rows[start]["gpus"]}, {rows[start]["tokens"]} tok</text>')
        if i < len(rows):
            sx = x(i) - 4.5
            for top in (T1, T2):
                svg.append(f'<line x1="{sx:.1f}" y1="{top}" x2="{sx:.1f}" y2="{top + PANEL}" '
                           'stroke="#bbb"/>')
        start = i
legend = [("#1f77b4", "auto, overlap none"), ("#ff7f0e", "auto, per-matching"),
          ("#999", "greedy at each fixed K (bottom)")]
for j, (color, text) in enumerate(legend):
    lx = L + 10 + j * 170
    svg.append(f'<circle cx="{lx}" cy="{H - 26}" r="4" fill="{color}"/>')
    svg.append(f'<text x="{lx + 8}" y="{H - 22}">{text}</text>')
svg.append(f'<text x="{L}" y="{H - 6}">within a group: uniform, Zipf 0.6, Zipf 1.2; '
           'each: delta 1 us, 100 us, 1 ms; each: overlap none, per-matching</text>')
svg.append("</svg>")
open(out, "w").write("\n".join(svg) + "\n")
print(f"{len(rows)} cells: auto / best greedy {min(ratio):.4f}..{max(ratio):.4f}, "
      f"{sum(v <= 1.02 for v in ratio)} <= 1.02; simulated / predicted "
      f"{min(preds):.4f}..{max(preds):.4f}")
