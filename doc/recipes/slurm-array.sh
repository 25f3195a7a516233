#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
# rmmhunt over a Slurm cluster: one array task a file, then one merge.
#
#   slurm-array.sh EVIDENCE PARTS [MERGE OPTION]...
#
# Submits, from a login node, a job array with a task for each file in
# EVIDENCE (triage archives, images or logs: a host each), every task
# writing PARTS/<file>.json, and a merge job that runs once the whole
# array has ended (afterany: a failed task is named by merge as a part it
# cannot read, never left out). EVIDENCE and PARTS are on the cluster's
# shared file system. RMMHUNT_OPTIONS: the parts' reading options;
# SBATCH_OPTIONS: options of your site for both jobs (--partition ...);
# ARRAY_LIMIT: tasks running at once (default 32).
# rmmhunt's results (findings, traces, a partly read input: exit statuses
# below 8) end the jobs COMPLETED, so that the scheduler calls only an
# error a failure; the merge's own status is the last line of
# PARTS/merge.log and is in PARTS/merge.status.
set -euo pipefail
if [ $# -lt 2 ]; then
	sed -n '5,20s/^# \{0,1\}//p' "$0" >&2
	exit 8
fi
evidence=$(cd "$1" && pwd) parts=$2
shift 2
mkdir -p "$parts"
parts=$(cd "$parts" && pwd)
find "$evidence" -mindepth 1 -maxdepth 1 -type f -printf '%f\n' | sort > "$parts/files"
n=$(wc -l < "$parts/files")
[ "$n" -gt 0 ] || { echo "slurm-array.sh: no file in $evidence" >&2; exit 8; }

# Task i reads line i of the list; rmmhunt's statuses below 8 are results.
# shellcheck disable=SC2086  # SBATCH_OPTIONS and RMMHUNT_OPTIONS are lists
array=$(sbatch --parsable ${SBATCH_OPTIONS:-} --job-name=rmmhunt-part \
	--array="1-$n%${ARRAY_LIMIT:-32}" --output="$parts/task-%a.log" --wrap "
f=\$(sed -n \"\${SLURM_ARRAY_TASK_ID}p\" $(printf %q "$parts/files"))
rmmhunt -q ${RMMHUNT_OPTIONS:-} --json $(printf %q "$parts")/\"\$f\".json $(printf %q "$evidence")/\"\$f\"
test \$? -lt 8")

merge=(rmmhunt merge "$@")
while IFS= read -r f; do merge+=("$parts/$f.json"); done < "$parts/files"
# shellcheck disable=SC2086
sbatch ${SBATCH_OPTIONS:-} --job-name=rmmhunt-merge --dependency="afterany:$array" \
	--output="$parts/merge.log" --wrap "$(printf '%q ' "${merge[@]}")
s=\$?
echo \$s > $(printf %q "$parts/merge.status")
echo \"rmmhunt merge: exit status \$s (rmmhunt(1), EXIT STATUS)\"
test \$s -lt 8"
echo "slurm-array.sh: $n tasks in job $array; the merge runs when they end ($parts/merge.log)"
