#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runtime benchmark of the packet-level MoE layer (issue #6). NOT part of CI: it takes minutes.
#
# For each scenario it runs photonic-moe-layer once (OCS fabric, greedy schedule, TCP,
# DeepSeek-V3-like: 4 experts per GPU, top-8, hidden 7168, 400 Gb/s) under /usr/bin/time -v
# and records wall time, user CPU, peak RSS, simulator events, events per second, the layer
# time and the scheduler's measured compute time; then fits wall ~ a * N^b * T^c.
#
# Usage: experiments/performance/bench-layer.sh [options]
#   --sizes "16 64 128"      GPU counts of the size sweep (tokens per GPU: --size-tokens)
#   --size-tokens 512        tokens per GPU in the size sweep
#   --tokens "256 1024 4096" tokens per GPU of the growth sweep (GPUs: --token-gpus)
#   --token-gpus 16          GPUs in the token sweep
#   --deepseek               also run the full DeepSeek-V3-like layer (64 GPUs, 4096 tokens)
#   --connections MODE       shared (one TCP connection per pair, default) | per-kind | both
#   --out FILE               CSV (default experiments/performance/results/layer-bench.csv)
#   --quick                  --sizes "16 32" --tokens "256 512" (a smoke run, ~1 min)
#   --no-fit                 skip the fit
# Environment: PMOE_BUILD_DIR (default build/), built with scripts/build.sh if missing.
# Wall time depends on the machine's load: the load average is recorded with every row, and
# user CPU is the better figure of merit on a shared machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${PMOE_BUILD_DIR:-$root/build}
sizes="16 64 128"
size_tokens=512
tokens="256 1024 4096"
token_gpus=16
deepseek=0
connections=shared
out="$here/results/layer-bench.csv"
fit=1
while [ $# -gt 0 ]; do
    case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --size-tokens) size_tokens=$2; shift 2 ;;
    --tokens) tokens=$2; shift 2 ;;
    --token-gpus) token_gpus=$2; shift 2 ;;
    --deepseek) deepseek=1; shift ;;
    --connections) connections=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --quick) sizes="16 32"; tokens="256 512"; shift ;;
    --no-fit) fit=0; shift ;;
    -h | --help) sed -n '4,23p' "$0"; exit 0 ;;
    *) echo "error: unknown option '$1' (see --help)" >&2; exit 1 ;;
    esac
done
case "$connections" in
shared) shared_list="true" ;;
per-kind) shared_list="false" ;;
both) shared_list="true false" ;;
*) echo "error: unknown --connections '$connections' (shared, per-kind or both)" >&2; exit 1 ;;
esac
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
layer="$build/examples/photonic-moe-layer"
if [ ! -x "$layer" ]; then
    PMOE_BUILD_TYPE=Release "$root/scripts/build.sh" photonic-moe-layer >/dev/null
fi
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Scenario list: "gpus tokens shared".
runs=()
for n in $sizes; do for s in $shared_list; do runs+=("$n $size_tokens $s"); done; done
for t in $tokens; do
    for s in $shared_list; do
        case " ${runs[*]} " in *" $token_gpus $t $s "*) ;; *) runs+=("$token_gpus $t $s") ;; esac
    done
done
if [ $deepseek = 1 ]; then
    for s in $shared_list; do runs+=("64 4096 $s"); done
fi

echo "gpus,experts,top_k,tokens_per_gpu,shared_connection,layer_time_us,scheduler_wall_ms,events,wall_s,user_s,sys_s,peak_rss_mb,events_per_s,load_avg_1min" >"$out"
for r in "${runs[@]}"; do
    read -r n t s <<<"$r"
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "running N=$n T=$t shared=$s (load $load) ..." >&2
    /usr/bin/time -v -o "$tmp/time.txt" "$layer" --gpus="$n" --experts=$((4 * n)) --topK=8 \
        --tokens="$t" --fabric=ocs --algorithm=greedy --transport=tcp --tcpShared="$s" --quiet \
        --outputDir=none --hostTiming --json="$tmp/run.json" ||
        { echo "error: run N=$n T=$t failed" >&2; exit 1; }
    /usr/bin/python3 - "$tmp/run.json" "$tmp/time.txt" "$n" "$t" "$s" "$load" >>"$out" <<'PY'
import json, re, sys
run = json.load(open(sys.argv[1]))[0]
tv = open(sys.argv[2]).read()
def field(name):
    return float(re.search(re.escape(name) + r':\s*([0-9.:]+)', tv).group(1))
wall = tv.split('Elapsed (wall clock) time (h:mm:ss or m:ss):')[1].split()[0]
parts = [float(x) for x in wall.split(':')]
wall_s = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
n, t, shared, load = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
if not run['conserved']:
    sys.exit('error: byte conservation violated in N=%d T=%d' % (n, t))
ev = run['events']
print('%d,%d,8,%d,%s,%.1f,%.3f,%d,%.2f,%.2f,%.2f,%.1f,%.0f,%s' % (
    n, 4 * n, t, shared, run['layer_time_ns'] / 1e3, run['scheduler_wall_ns'] / 1e6, ev,
    wall_s, field('User time (seconds)'), field('System time (seconds)'),
    field('Maximum resident set size (kbytes)') / 1024.0, ev / wall_s, load))
PY
    tail -1 "$out" >&2
done
echo "wrote $out" >&2
if [ $fit = 1 ]; then
    /usr/bin/python3 "$here/bench-layer-fit.py" "$out"
fi
