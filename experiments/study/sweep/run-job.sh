#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run one job of a job list (experiments/study/sweep/make-jobs.py): the same script for GNU parallel
# (run-local.sh) and for Slurm array tasks (make-slurm.sh).
#
# usage: run-job.sh BIN JOBS.tsv OUT_DIR INDEX
#   BIN      photonic-moe-layer binary
#   INDEX    1-based job index (line INDEX+1 of JOBS.tsv, after the header)
# Writes OUT_DIR/runs/<id>.json atomically (temporary file, then rename) and
# OUT_DIR/logs/<id>.log. A job whose JSON exists is skipped, so re-running resumes.
# Exit status of the simulator: 0 ok; 2 byte conservation violated (JSON kept, marked
# "conserved": false; the aggregator reports it); other: failure (no JSON).
set -uo pipefail
bin="$1"
jobs="$2"
out="$3"
index="$4"
line="$(sed -n "$((index + 1))p" "$jobs")"
if [ -z "$line" ]; then
    echo "error: no job $index in $jobs" >&2
    exit 1
fi
id="$(printf '%s\n' "$line" | cut -f1)"
args="$(printf '%s\n' "$line" | awk -F'\t' '{print $NF}')"
mkdir -p "$out/runs" "$out/logs"
if [ -s "$out/runs/$id.json" ]; then
    exit 0
fi
tmp="$out/runs/.$id.json.$$.tmp"
# shellcheck disable=SC2086 # args is a list of --name=value words without spaces
"$bin" --quiet --outputDir=none --hostTiming --json="$tmp" $args > "$out/logs/$id.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ]; then
    mv "$tmp" "$out/runs/$id.json"
else
    rm -f "$tmp"
    echo "job $index ($id) failed with status $rc, see $out/logs/$id.log" >&2
fi
exit "$rc"
