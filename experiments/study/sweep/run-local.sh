#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run a job list locally with GNU parallel (resumable: finished jobs are skipped).
#
# usage: run-local.sh BIN JOBS.tsv OUT_DIR [JOBS_AT_ONCE]
#   JOBS_AT_ONCE default 1 (each job is single-threaded; use the number of free cores)
# Then: aggregate.py JOBS.tsv OUT_DIR OUT_DIR/results.csv
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$1"
jobs="$2"
out="$3"
par="${4:-1}"
command -v parallel > /dev/null || { echo "error: GNU parallel missing (apt-get install -y parallel)" >&2; exit 1; }
[ -x "$bin" ] || { echo "error: $bin is not executable" >&2; exit 1; }
n=$(($(wc -l < "$jobs") - 1))
mkdir -p "$out"
echo "running $n jobs, $par at a time, into $out" >&2
seq 1 "$n" | parallel --will-cite -j "$par" --joblog "$out/parallel.joblog" \
    bash "$here/run-job.sh" "$bin" "$jobs" "$out" {}
