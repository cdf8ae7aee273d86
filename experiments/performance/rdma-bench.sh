#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Simulation cost of the RDMA transport (issue #12, performance part), beside TCP and the bare
# device path, in one run on one machine. NOT part of CI: the full set takes several minutes.
#
# Cases (each photonic-moe-layer run under /usr/bin/time -v; OCS fabric, greedy schedule,
# 4 experts per GPU, top-8, hidden 7168 BF16, 400 Gb/s):
#   raw       photonic-moe-device-cost --sources=raw: CPU per payload byte of the bare OCS
#             device path (median of the rounds' OCS CPU ns per packet / packet size)
#   cmp       64 GPUs x 256 tokens with --transport=rdma and with shared TCP (--tcpShared)
#   deepseek  the DeepSeek-V3-like layer, 64 GPUs x 4096 tokens, RDMA
#   sweep     RDMA at 256 tokens per GPU for N = 8 16 32 64 128 (fit of CPU ~ a N^b)
#   big       RDMA, 256 GPUs x 1024 tokens (time and peak memory)
# and prints a table of the issue's targets (met or not).
#
# Usage: experiments/performance/rdma-bench.sh [options]
#   --cases "raw cmp deepseek sweep big"   cases to run (default: all)
#   --sweep "8 16 32 64 128"               GPU counts of the sweep
#   --sweep-tokens 256                     tokens per GPU of the sweep
#   --rdma-args "..."                      extra photonic-moe-layer options for RDMA runs
#   --out FILE                             CSV (default results/rdma-bench.csv)
#   --quick                                raw, cmp and the sweep up to 64 GPUs (~1 min)
#   --repeat R                             run each case R times and keep the run with the
#                                          least user CPU (default 1; other processes on the
#                                          machine only ever add time, so the minimum is the
#                                          estimate least disturbed by them)
# Environment: PMOE_BUILD_DIR (default build/), built with scripts/build.sh if missing.
# User CPU time is the figure of merit (the load average is recorded with every row).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${PMOE_BUILD_DIR:-$root/build}
cases="raw cmp deepseek sweep big"
sweep="8 16 32 64 128"
sweep_tokens=256
rdma_args=""
out="$here/results/rdma-bench.csv"
repeat=1
while [ $# -gt 0 ]; do
    case "$1" in
    --cases) cases=$2; shift 2 ;;
    --sweep) sweep=$2; shift 2 ;;
    --sweep-tokens) sweep_tokens=$2; shift 2 ;;
    --rdma-args) rdma_args=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --quick) cases="raw cmp sweep"; sweep="8 16 32 64"; shift ;;
    -h | --help) sed -n '4,29p' "$0"; exit 0 ;;
    *) echo "error: unknown option '$1' (see --help)" >&2; exit 1 ;;
    esac
done
case "$repeat" in
'' | *[!0-9]* | 0) echo "error: --repeat must be a positive integer, got '$repeat'" >&2; exit 1 ;;
esac
for c in $cases; do
    case "$c" in
    raw | cmp | deepseek | sweep | big) ;;
    *) echo "error: unknown case '$c' (raw, cmp, deepseek, sweep or big)" >&2; exit 1 ;;
    esac
done
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
layer="$build/examples/photonic-moe-layer"
devcost="$build/examples/photonic-moe-device-cost"
if [ ! -x "$layer" ] || [ ! -x "$devcost" ]; then
    "$root/scripts/build.sh" photonic-moe-layer photonic-moe-device-cost >/dev/null
fi
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
has() { case " $cases " in *" $1 "*) return 0 ;; esac; return 1; }

echo "case,transport,gpus,tokens_per_gpu,layer_time_us,events,payload_bytes,user_s,sys_s,wall_s,peak_rss_mb,cpu_ns_per_byte,load_avg_1min" >"$out"

# run CASE TRANSPORT GPUS TOKENS [extra options...]
run() {
    local c=$1 tr=$2 n=$3 t=$4
    shift 4
    local load
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "running $c: $tr N=$n T=$t $* (load $load) ..." >&2
    local i
    for ((i = 1; i <= repeat; i++)); do
        /usr/bin/time -v -o "$tmp/time.$i.txt" "$layer" --gpus="$n" --experts=$((4 * n)) \
            --topK=8 --tokens="$t" --fabric=ocs --algorithm=greedy --transport="$tr" "$@" \
            --quiet --outputDir=none --json="$tmp/run.json" ||
            { echo "error: $c run ($tr N=$n T=$t) failed" >&2; exit 1; }
    done
    /usr/bin/python3 - "$tmp/run.json" "$tmp" "$repeat" "$c" "$tr" "$n" "$t" "$load" >>"$out" <<'PY'
import json, re, sys
run = json.load(open(sys.argv[1]))[0]
def user_time(text):
    return float(re.search(r'User time \(seconds\):\s*([0-9.]+)', text).group(1))
# The repetition with the least user CPU (the runs are deterministic: same events and bytes).
tv = min((open('%s/time.%d.txt' % (sys.argv[2], i)).read() for i in range(1, int(sys.argv[3]) + 1)),
         key=user_time)
def field(name):
    return float(re.search(re.escape(name) + r':\s*([0-9.]+)', tv).group(1))
wall = tv.split('Elapsed (wall clock) time (h:mm:ss or m:ss):')[1].split()[0]
wall_s = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(':'))))
c, tr, n, t, load = sys.argv[4], sys.argv[5], int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
if not run['conserved']:
    sys.exit('error: byte conservation violated in %s (%s N=%d T=%d)' % (c, tr, n, t))
payload = run['dispatch_bytes_delivered'] + run['combine_bytes_delivered']
user = field('User time (seconds)')
print('%s,%s,%d,%d,%.1f,%d,%d,%.2f,%.2f,%.2f,%.1f,%.4f,%s' % (
    c, tr, n, t, run['layer_time_ns'] / 1e3, run['events'], payload, user,
    field('System time (seconds)'), wall_s,
    field('Maximum resident set size (kbytes)') / 1024.0, user * 1e9 / payload, load))
PY
    tail -1 "$out" >&2
}

raw_ns_per_byte=""
if has raw; then
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "running raw: photonic-moe-device-cost --sources=raw (load $load) ..." >&2
    "$devcost" --sources=raw --hosts=8 --packets=100000 --repeat=3 --size=8000 >"$tmp/raw.txt" ||
        { echo "error: photonic-moe-device-cost failed" >&2; exit 1; }
    # Median over the rounds of the OCS device's CPU ns per packet, per payload byte.
    raw_ns_per_byte=$(awk '$1 ~ /^[0-9]+$/ && NF >= 3 { print $3 }' "$tmp/raw.txt" | sort -g |
        awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
              printf "%.4f", m / 8000 }')
    echo "raw,device,8,0,0,0,800000,0,0,0,0,$raw_ns_per_byte,$load" >>"$out"
    tail -1 "$out" >&2
fi
if has cmp; then
    # shellcheck disable=SC2086
    run cmp rdma 64 256 $rdma_args
    run cmp tcp 64 256 --tcpShared=true
fi
if has deepseek; then
    # shellcheck disable=SC2086
    run deepseek rdma 64 4096 $rdma_args
fi
if has sweep; then
    for n in $sweep; do
        # shellcheck disable=SC2086
        run sweep rdma "$n" "$sweep_tokens" $rdma_args
    done
fi
if has big; then
    # shellcheck disable=SC2086
    run big rdma 256 1024 $rdma_args
fi
echo "wrote $out" >&2

/usr/bin/python3 - "$out" <<'PY'
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def pick(case, transport=None):
    return [r for r in rows if r['case'] == case and (transport is None or r['transport'] == transport)]
def verdict(ok):
    return 'met' if ok else 'NOT met'
print('| target | measured | limit | |')
print('|---|---|---|---|')
raw = pick('raw')
rdma = pick('cmp', 'rdma')
tcp = pick('cmp', 'tcp')
if raw and rdma:
    rb, nb = float(raw[0]['cpu_ns_per_byte']), float(rdma[0]['cpu_ns_per_byte'])
    print('| 64 x 256 RDMA CPU per payload byte / raw device path | %.3f / %.4f ns/B = %.2fx | <= 4x | %s |'
          % (nb, rb, nb / rb, verdict(nb / rb <= 4)))
if rdma and tcp:
    ru, tu = float(rdma[0]['user_s']), float(tcp[0]['user_s'])
    print('| 64 x 256 shared TCP / RDMA user CPU | %.2f s / %.2f s = %.1fx | >= 5x | %s |'
          % (tu, ru, tu / ru, verdict(tu / ru >= 5)))
ds = pick('deepseek')
if ds:
    u = float(ds[0]['user_s'])
    print('| DeepSeek-V3-like 64 x 4096, RDMA user CPU | %.1f s (wall %.1f s, %.0f MB) | <= 30 s | %s |'
          % (u, float(ds[0]['wall_s']), float(ds[0]['peak_rss_mb']), verdict(u <= 30)))
sw = pick('sweep')
if len(sw) >= 2:
    xs = [math.log(int(r['gpus'])) for r in sw]
    ys = [math.log(float(r['user_s'])) for r in sw]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    a = math.exp(my - b * mx)
    ss = sum((y - my) ** 2 for y in ys)
    res = sum((y - (math.log(a) + b * x)) ** 2 for x, y in zip(xs, ys))
    r2 = 1 - res / ss if ss > 0 else 1.0
    ns = ' '.join(r['gpus'] for r in sw)
    print('| exponent b of N, user CPU ~ a N^b (N = %s, T = %s) | %.3g N^%.2f (R2 %.3f) | <= 1.2 | %s |'
          % (ns, sw[0]['tokens_per_gpu'], a, b, r2, verdict(b <= 1.2)))
big = pick('big')
if big:
    w, m = float(big[0]['wall_s']), float(big[0]['peak_rss_mb'])
    print('| 256 x 1024 RDMA wall time, peak RSS | %.1f s (user %.1f s), %.0f MB | < 300 s, < 2048 MB | %s |'
          % (w, float(big[0]['user_s']), m, verdict(w < 300 and m < 2048)))
PY
