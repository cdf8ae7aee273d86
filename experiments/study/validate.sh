#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Packet level against the fluid evaluator (experiments/study/study.md, "Validation").
#
# Runs a fixed set of scenarios through photonic-moe-layer (greedy and BvN on the OCS, and the
# ideal fabric), each with --json, and tabulates, per run, the packet-level communication
# makespan of the dispatch and of the combine schedule against the fluid evaluator's makespan
# of the same schedule at the same rate (ideal fabric: dispatch against rho/r).
# Compute does not enter these times: with overlap "none" a GPU computes only after its whole
# dispatch has arrived, and the combine schedule starts only after every GPU has computed.
#
# usage: experiments/study/validate.sh [BUILD_DIR] [OUT_DIR]
#   BUILD_DIR default build, OUT_DIR default experiments/study/results/validation
# Existing JSON files are kept (delete OUT_DIR to re-run). Needs /usr/bin/python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
out="${2:-$here/results/validation}"
bin="$build/examples/photonic-moe-layer"
[ -x "$bin" ] || { echo "error: $bin not found (build the target photonic-moe-layer)" >&2; exit 1; }
mkdir -p "$out"

run() {
    local name="$1"
    shift
    if [ -s "$out/$name.json" ]; then
        return 0
    fi
    echo "validate: $name" >&2
    "$bin" --quiet --outputDir=none --json="$out/$name.json.tmp" "$@"
    mv "$out/$name.json.tmp" "$out/$name.json"
    printf '%s\n' "$*" > "$out/$name.args"
}

# name                      arguments
run n4-uniform-udp-d10us    --gpus=4 --experts=16 --topK=2 --tokens=512 --transport=udp --delta=10us
run n4-uniform-tcp-d10us    --gpus=4 --experts=16 --topK=2 --tokens=512 --transport=tcp --delta=10us
run n8-zipf-udp-d1us        --gpus=8 --experts=32 --routing=zipf --zipf=0.6 --transport=udp --delta=1us
run n8-zipf-tcp-d1us        --gpus=8 --experts=32 --routing=zipf --zipf=0.6 --transport=tcp --delta=1us
run n8-zipf-tcp-d100ns      --gpus=8 --experts=32 --routing=zipf --zipf=0.6 --transport=tcp --delta=100ns
run n8-hot-tcp-d1ms         --gpus=8 --experts=32 --routing=hot-expert --transport=tcp --delta=1ms
run n8-zipf-tcp-K4-eps      --gpus=8 --experts=32 --routing=zipf --zipf=0.6 --transport=tcp --delta=10us --K=4
run n8-zipf-udp-changed     --gpus=8 --experts=32 --routing=zipf --zipf=0.6 --transport=udp --delta=10us --reconfigMode=changed-only
run n16-uniform-udp-d10us   --gpus=16 --transport=udp --delta=10us
run n16-uniform-tcp-d10us   --gpus=16 --transport=tcp --delta=10us
run n16-zipf-tcp-d100us     --gpus=16 --routing=zipf --zipf=0.6 --transport=tcp --delta=100us
run n32-uniform-udp-d10us   --gpus=32 --experts=128 --tokens=256 --transport=udp --delta=10us

/usr/bin/python3 "$here/validate-table.py" "$out"
