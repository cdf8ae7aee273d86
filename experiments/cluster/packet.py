#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Greedy vs BvN vs the ideal rail fabric at packet level, EP64 = 8 servers x 8 GPUs.

Runs photonic-moe-layer with --gpusPerServer=8 (one OCS plane per rail, UDP) on the
DeepSeek-V3 preset with 256 tokens per GPU, for delta in {10 us, 100 us} and both forwarding
rules, greedy, BvN and the ideal rail fabric, and writes one CSV row per run: the layer time,
the dispatch and combine times (schedule start to last byte) against the two-level fluid model
(staged, overlapped, overlapped with the network's last byte), matchings and bubble fraction of
the busiest plane, NIC and NVLink bytes, conservation. Usage: packet.py BUILD_DIR OUT.csv
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

build, out = sys.argv[1], sys.argv[2]
rows = []
with tempfile.TemporaryDirectory() as tmp:
    for delta in ("10us", "100us"):
        for forwarding in ("rail-aligned", "network-first"):
            js = os.path.join(tmp, "run.json")
            cmd = [f"{build}/examples/photonic-moe-layer", "--quiet", "--outputDir=none",
                   f"--json={js}", "--hostTiming", "--preset=deepseek-v3", "--gpus=64",
                   "--tokens=256", "--gpusPerServer=8", "--transport=udp",
                   f"--forwarding={forwarding}", f"--delta={delta}", "--fabric=all",
                   "--algorithms=greedy,bvn"]
            subprocess.run(cmd, check=True)
            for r in json.load(open(js)):
                assert r["conserved"], cmd
                layer = r["per_layer"][0]
                planes = r["planes"]
                rows.append({
                    "delta": delta, "forwarding": forwarding, "fabric": r["fabric"],
                    "algorithm": r["algorithm"], "conserved": r["conserved"],
                    "device_drops": r["device_drops"],
                    "layer_time_us": r["layer_time_ns"] / 1e3,
                    "dispatch_us": layer["dispatch_comm_ns"] / 1e3,
                    "dispatch_fluid_staged_us": layer["dispatch_cluster_fluid_ns"] / 1e3,
                    "dispatch_fluid_overlapped_us": layer["dispatch_cluster_overlapped_ns"] / 1e3,
                    "dispatch_fluid_last_byte_us": layer["dispatch_cluster_last_byte_ns"] / 1e3,
                    "combine_us": layer["combine_comm_ns"] / 1e3,
                    "combine_fluid_last_byte_us": layer["combine_cluster_last_byte_ns"] / 1e3,
                    "max_matchings_per_plane": max((p["matchings"] for p in planes), default=0),
                    "max_bubble_fraction": round(max((p["bubble_fraction"] for p in planes),
                                                     default=0), 4),
                    "nic_bytes": r["nic_bytes"], "nvlink_bytes": r["nvlink_bytes"],
                    "wall_s": round(r["wall_seconds"], 1),
                })
with open(out, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
