#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Write a Slurm job-array script for a job list (the same list run-local.sh runs).
#
# usage: make-slurm.sh BIN JOBS.tsv OUT_DIR [PER_TASK] > sweep.sbatch ; sbatch sweep.sbatch
#   PER_TASK   jobs run one after another by each array task (default 1; raise it when the
#              list is longer than the cluster's MaxArraySize or the jobs are short)
# Paths are made absolute. Each task runs run-job.sh, which skips finished jobs, so a
# resubmission resumes. Edit the #SBATCH lines (partition, account, time) for your site.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(realpath "$1")"
jobs="$(realpath "$2")"
mkdir -p "$3"
out="$(realpath "$3")"
per="${4:-1}"
n=$(($(wc -l < "$jobs") - 1))
tasks=$(((n + per - 1) / per))
cat << SBATCH
#!/bin/bash
#SBATCH --job-name=photonic-moe-sweep
#SBATCH --array=1-${tasks}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --mem=4G
#SBATCH --time=01:00:00
#SBATCH --output=${out}/slurm-%A_%a.out
# ${n} jobs from ${jobs}, ${per} per array task.
set -u
first=\$(( (SLURM_ARRAY_TASK_ID - 1) * ${per} + 1 ))
last=\$(( first + ${per} - 1 ))
[ "\$last" -le ${n} ] || last=${n}
status=0
for i in \$(seq "\$first" "\$last"); do
    bash "${here}/run-job.sh" "${bin}" "${jobs}" "${out}" "\$i" || status=1
done
exit \$status
SBATCH
