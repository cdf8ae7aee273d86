#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Soak run (issue 7): 100 MoE layers in one simulation, memory sampled when each layer
# completes (photonic-moe-layer --rssPerLayer: RSS from /proc/self/statm, heap in use from
# glibc mallinfo2), the whole process under /usr/bin/time -v. Fits a least-squares slope of
# heap and RSS over layers 10..LAYERS-1 and fails if the heap grows by more than
# PMOE_SOAK_MAX_SLOPE bytes per layer (default 4096).
#
# Usage: experiments/reliability/soak.sh [extra photonic-moe-layer options]
#   (lab note: experiments/reliability/reliability.md, "Soak")
#   PMOE_BUILD_DIR (default build/), PMOE_SOAK_LAYERS (100), PMOE_SOAK_GPUS (8),
#   PMOE_SOAK_OUT (soak-out/), PMOE_SOAK_MAX_SLOPE (4096)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${PMOE_BUILD_DIR:-$root/build}
layers=${PMOE_SOAK_LAYERS:-100}
gpus=${PMOE_SOAK_GPUS:-8}
out=${PMOE_SOAK_OUT:-$root/soak-out}
max_slope=${PMOE_SOAK_MAX_SLOPE:-4096}

"$root/scripts/build.sh" photonic-moe-layer
bin="$build/examples/photonic-moe-layer"
mkdir -p "$out"

# slope FILE FABRIC COLUMN: least-squares slope (bytes per layer) of COLUMN over layers >= 10
slope() {
    awk -F, -v fab="$2" -v col="$3" '
        NR > 1 && $1 == fab && $3 >= 10 { n++; x = $3; y = $col; sx += x; sy += y; sxx += x * x; sxy += x * y }
        END { if (n < 2) { print "nan"; exit } printf "%.0f\n", (n * sxy - sx * sy) / (n * sxx - sx * sx) }' "$1"
}

status=0
for fabric in ocs ideal; do
    dir="$out/$fabric"
    mkdir -p "$dir"
    /usr/bin/time -v -o "$dir/time.txt" "$bin" --quiet --fabric="$fabric" --algorithm=greedy \
        --gpus="$gpus" --experts=$((gpus * 4)) --topK=2 --tokens=256 --layers="$layers" \
        --transport=tcp --rssPerLayer --outputDir="$dir" --json="$dir/run.json" "$@"
    heap=$(slope "$dir/rss.csv" "$fabric" 5)
    rss=$(slope "$dir/rss.csv" "$fabric" 4)
    first=$(awk -F, -v fab="$fabric" 'NR > 1 && $1 == fab && $3 == 10 { print $5 }' "$dir/rss.csv")
    last=$(awk -F, -v fab="$fabric" 'NR > 1 && $1 == fab { v = $5 } END { print v }' "$dir/rss.csv")
    maxrss=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$dir/time.txt")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$dir/time.txt")
    echo "soak $fabric: $layers layers, $gpus GPUs: heap slope $heap B/layer (layer 10: $first B," \
        "last: $last B), RSS slope $rss B/layer, max RSS ${maxrss} KiB, wall $wall"
    if [ "$heap" = "nan" ] || [ "$heap" -gt "$max_slope" ]; then
        echo "soak $fabric: heap grows by more than $max_slope B/layer" >&2
        status=1
    fi
done
exit $status
