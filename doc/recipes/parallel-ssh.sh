#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
# rmmhunt over several machines with GNU parallel, then one report.
#
#   parallel-ssh.sh LOGINS EVIDENCE PARTS [MERGE OPTION]...
#
# LOGINS: GNU parallel's --sshlogin list (host1,host2 or 4/user@host...),
# EVIDENCE: a folder of triage archives, images or logs, one a host, at
# the same path on every machine (a share); PARTS: a folder on that share
# for the parts. Each file is read by one machine (rmmhunt --json, one
# part a file), then merged here into the reports the MERGE OPTIONs name
# (--csv, --json, --html, --allowlist...). Reading options for the parts
# go in RMMHUNT_OPTIONS (say "--carve"); the binary on the machines is
# RMMHUNT (default: rmmhunt on their PATH); PARALLEL_SSH is the ssh
# command parallel uses (--ssh), for a config file of your own.
# The exit status is merge's (rmmhunt(1): 0 clean, 1 findings, 4 not all
# read, 5 both, 8 error); a part whose run failed outright is named, and
# merge counts what it could not read. A tool missing here (parallel,
# ssh, rmmhunt) is named, exit status 8, before anything runs.
set -euo pipefail
if [ $# -lt 3 ]; then
	sed -n '5,23s/^# \{0,1\}//p' "$0" >&2
	exit 8
fi
logins=$1 evidence=$2 parts=$3
shift 3
rmmhunt=${RMMHUNT:-rmmhunt}
need() {   # need TOOL WHY: exit 8 naming it when it is not on PATH
	command -v "$1" > /dev/null && return 0
	echo "parallel-ssh.sh: $1 not found: $2" >&2
	exit 8
}
need parallel "GNU parallel runs the jobs (Debian: apt-get install parallel)"
# ":" (or "N/:") is this machine; any other login is reached over ssh
remote=
IFS=, read -ra each <<< "$logins"
for l in "${each[@]}"; do
	[[ $l =~ ^([0-9]+/)?:$ ]] || remote=1
done
if [ -z "${PARALLEL_SSH:-}" ] && [ -n "$remote" ]; then
	need ssh "parallel reaches the machines over ssh (Debian: apt-get install openssh-client)"
fi
need "$rmmhunt" "merge runs here (RMMHUNT names it)"
# The command line parallel runs through a shell on each machine.
q_rmmhunt=$(printf %q "$rmmhunt")
q_parts=$(printf %q "$parts")
ssh_opt=()
[ -n "${PARALLEL_SSH:-}" ] && ssh_opt=(--ssh "$PARALLEL_SSH")
mkdir -p "$parts"

# One job a file; rmmhunt's exit statuses below 8 are results, not
# failures (parallel would count them as failed jobs). {/} is the file's
# name: a part a file, so a job run again replaces its own part. A
# machine that does not answer is left out (--filter-hosts); a job that
# fails is tried again, on any machine, up to three times.
# Failed jobs are counted from the job log (each job's last try), not
# read from parallel's exit status: that is also 255 for its own errors
# and 127 when the shell cannot find it.
run_jobs() {
	rm -f "$parts/joblog"
	find "$evidence" -mindepth 1 -maxdepth 1 -type f -print0 | sort -z |
		parallel --will-cite -0 --sshlogin "$logins" "${ssh_opt[@]}" --jobs 1 \
			--filter-hosts --retries 3 --joblog "$parts/joblog" \
			"$q_rmmhunt -q ${RMMHUNT_OPTIONS:-} --json $q_parts/{/}.json {} 2> $q_parts/{/}.err; \
			 test \$? -lt 8" || true
}
run_jobs
# No job run at all: parallel's check of the machines (a few seconds
# each, all at once) found none answering. A loaded or slow network
# does that for a moment: the check is made once more before merge
# names every part as not read.
if [ -n "$(find "$evidence" -mindepth 1 -maxdepth 1 -type f -print -quit)" ] &&
   [ "$(awk 'NR > 1' "$parts/joblog" 2> /dev/null | wc -l)" = 0 ]; then
	echo "parallel-ssh.sh: no machine answered parallel's check (--filter-hosts); checking once more" >&2
	sleep 5
	run_jobs
fi
failed=$(awk -F'\t' 'NR > 1 { last[$1] = ($7 != 0 || $8 != 0) }
		      END { for (j in last) n += last[j]; print n + 0 }' "$parts/joblog" 2> /dev/null ||
	 echo unknown)
if [ "$failed" != 0 ]; then
	echo "parallel-ssh.sh: $failed job(s) failed: see $parts/joblog and $parts/*.err;" \
	     "merge names their parts as not read" >&2
fi
# A part that was not written is named on the command line all the same:
# merge then says it could not be read, and the exit status says so.
mapfile -d '' -t files < <(find "$evidence" -mindepth 1 -maxdepth 1 -type f -printf '%f\0' |
			   sort -z)
args=()
for f in "${files[@]}"; do args+=("$parts/$f.json"); done
exec "$rmmhunt" merge "$@" "${args[@]}"
