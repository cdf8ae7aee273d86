#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The two-level fluid model on the ideal rail fabric against DeepEP's published normal-kernel
numbers (H800, NVLink ~160 GB/s, one CX7 400 Gb/s NIC per GPU; 4096 tokens, hidden 7168,
top-8 of 256 experts on at most 4 nodes, FP8 dispatch, BF16 combine;
https://github.com/deepseek-ai/DeepEP, README "Normal kernels").

The model runs DeepEP's forwarding (network-first, one network copy per token and server,
one copy per token and GPU) and reports bandwidth the way DeepEP's benchmark counts it:
internode, (token, server) pairs INCLUDING the token's own server x bytes per copy / time;
intranode, received copies x bytes per copy / time. Usage: deepep.py BUILD_DIR
"""
import json
import subprocess
import sys

build = sys.argv[1]
deepep = {8: (153, 158), 16: (43, 43), 32: (58, 57), 64: (51, 50)}
print("| EP | phase | model time (µs) | model GB/s, DeepEP counting | DeepEP GB/s | model GB/s, remote bytes only |")
print("|---|---|---|---|---|---|")
for ep in (8, 16, 32, 64):
    cmd = [f"{build}/photonic-moe-cluster", "--preset=dsv3", f"--gpus={ep}", "--gpusPerServer=8",
           "--routing=node-limited", "--maxServers=4", "--forwarding=network-first", "--dedup",
           "--dedupPerServer", "--nvlink-rate-gbps=1280", "--nic-rate-gbps=400", "--seed=1"]
    d = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    assert d["conserved"]
    for k, (phase, per_copy) in enumerate((("dispatch", 7392), ("combine", 14336))):
        p = d[phase]
        if ep == 8:
            # Intranode: NVLink only; DeepEP counts every received copy (own GPU included).
            t = p["nvlink_stage_ns"]
            counted = d["token_copies"] / ep * per_copy
            remote = p["nvlink_bytes"] / ep
        else:
            # Pipelined kernels: the NVLink and network stages overlap.
            t = max(p["nvlink_stage_ns"], p["ideal_network_ns"])
            counted = d["token_server_pairs"] / ep * per_copy
            remote = p["nic_bytes"] / ep
        print(f"| {ep} | {phase} | {t / 1e3:.0f} | {counted / t:.1f} | {deepep[ep][k]} | {remote / t:.1f} |")
