#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Layer all-to-all time (dispatch + combine) normalised to the ideal rail fabric against δ,
greedy and BvN, EP64 and EP256, rail-aligned forwarding, from sweep.csv. Writes a plain SVG
(no plotting library needed). Usage: figure.py sweep.csv out.svg [routing]
"""
import csv
import math
import sys

src, out = sys.argv[1], sys.argv[2]
routing = sys.argv[3] if len(sys.argv) > 3 else "uniform"
rows = [r for r in csv.DictReader(open(src))
        if r["forwarding"] == "rail-aligned" and r["routing"] == routing]
series = {}
for r in rows:
    key = (int(r["ep"]), r["algorithm"])
    d = int(r["delta_ns"])
    acc = series.setdefault(key, {}).setdefault(d, [0.0, 0.0])
    acc[0] += float(r["makespan_us"])
    acc[1] += float(r["ideal_makespan_us"])
deltas = sorted({d for s in series.values() for d in s})
W, H, L, B, T, R = 560, 380, 70, 50, 30, 150
ymax = max(v[0] / v[1] for s in series.values() for v in s.values())
ytop = 10 ** math.ceil(math.log10(ymax))


def x(d):
    return L + (math.log10(d) - math.log10(deltas[0])) / (
        math.log10(deltas[-1]) - math.log10(deltas[0])) * (W - L - R)


def y(v):
    return H - B - math.log10(v) / math.log10(ytop) * (H - B - T)


colors = {(64, "greedy"): "#1f77b4", (64, "bvn"): "#ff7f0e",
          (256, "greedy"): "#2ca02c", (256, "bvn"): "#d62728"}
dash = {64: "", 256: "6,3"}
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
       'font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<line x1="{L}" y1="{H - B}" x2="{W - R}" y2="{H - B}" stroke="black"/>',
       f'<line x1="{L}" y1="{T}" x2="{L}" y2="{H - B}" stroke="black"/>',
       f'<text x="{(L + W - R) / 2}" y="{H - 12}" text-anchor="middle">'
       'reconfiguration delay δ</text>',
       f'<text x="16" y="{(T + H - B) / 2}" text-anchor="middle" '
       f'transform="rotate(-90 16 {(T + H - B) / 2})">time / ideal rail fabric</text>',
       f'<text x="{L}" y="18">DeepSeek-V3 layer, 8-GPU servers, one plane per rail, '
       f'{routing} routing</text>']
for d in deltas:
    label = f"{d // 1000} µs" if d < 1000000 else f"{d // 1000000} ms"
    svg.append(f'<text x="{x(d):.1f}" y="{H - B + 16}" text-anchor="middle">{label}</text>')
v = 1
while v <= ytop:
    svg.append(f'<text x="{L - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}x</text>')
    svg.append(f'<line x1="{L}" y1="{y(v):.1f}" x2="{W - R}" y2="{y(v):.1f}" '
               'stroke="#ddd"/>')
    v *= 10
for i, (key, s) in enumerate(sorted(series.items())):
    pts = " ".join(f"{x(d):.1f},{y(s[d][0] / s[d][1]):.1f}" for d in deltas)
    svg.append(f'<polyline points="{pts}" fill="none" stroke="{colors[key]}" '
               f'stroke-width="2" stroke-dasharray="{dash[key[0]]}"/>')
    ly = T + 20 + 18 * i
    svg.append(f'<line x1="{W - R + 10}" y1="{ly}" x2="{W - R + 40}" y2="{ly}" '
               f'stroke="{colors[key]}" stroke-width="2" stroke-dasharray="{dash[key[0]]}"/>')
    svg.append(f'<text x="{W - R + 46}" y="{ly + 4}">EP{key[0]} {key[1]}</text>')
svg.append("</svg>")
open(out, "w").write("\n".join(svg) + "\n")
for key, s in sorted(series.items()):
    print(key, " ".join(f"{s[d][0] / s[d][1]:.3f}" for d in deltas))
