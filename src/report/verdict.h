/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* verdict: one answer a host, from every source read, computed once
 * and rendered by every report and the terminal:
 *   loaded       Splunk's rows (Sysmon Event ID 7) name it;
 *   ran          a trace of execution (Prefetch, Amcache, a Run key or
 *                service) and no image load seen;
 *   present      NetSupport's files on disk, no sign of execution;
 *   no trace     its logs log image loads and show none, and no trace;
 *   not checked  its logs log no image loads and no trace was found:
 *                a blind spot, never clean; or the run was interrupted
 *                and nothing shows it in what was read (the inputs not
 *                read name no host: any may be its).
 * A host of no trace whose Sysmon log ends long before its other logs
 * (VERDICT_STALE_DAYS) is "stale": what came after was not seen, so it
 * is not clean either; the reports say so beside the verdict.
 * Traces whose evidence names no host (loose Prefetch files) are one
 * more line, host "". */
#ifndef RMMHUNT_VERDICT_H
#define RMMHUNT_VERDICT_H

#include <stddef.h>
#include <stdint.h>
#include "report.h"

enum verdict { VERDICT_LOADED, VERDICT_RAN, VERDICT_PRESENT, VERDICT_NO_TRACE,
	       VERDICT_NOT_CHECKED, VERDICT_COUNT };

struct host_verdict {
	const char *host;       /* borrowed from the run; "" for traces that
	                           name no host */
	enum verdict verdict;
	int64_t first, last;    /* over its rows and traces; TIME_NONE when none */
	size_t rows, traces;    /* unsuppressed finding rows, traces */
	size_t ran;             /* of the traces, those of execution (the
	                           rest: files present on disk) */
	size_t cleared;         /* log-cleared traces: logs cleared, Sysmon's
	                           configuration changed (not in traces) */
	int64_t cleared_last;   /* the latest of them; TIME_NONE when none */
	size_t logs;            /* inputs naming it */
	int64_t sysmon_last;    /* the latest record of its logs that log image
	                           loads, of those naming it alone (a log of
	                           many hosts tells no one host's end);
	                           TIME_NONE when none */
	int64_t logs_last;      /* the same over all its logs of it alone */
	bool stale;             /* no trace, and sysmon_last is more than
	                           VERDICT_STALE_DAYS before logs_last */
	bool interrupted;       /* not checked because the run was interrupted
	                           before every input was read: its logs not
	                           read may be the ones that would show it */
	char kinds[64];         /* its traces' kinds, distinct, in the order
	                           met: "prefetch, file" */
};

struct verdicts {
	struct host_verdict *v; /* sorted: worst verdict first, then by host */
	size_t n;
	size_t count[VERDICT_COUNT];
	size_t stale;           /* hosts of no trace whose Sysmon ended early */
	size_t interrupted;     /* hosts not checked for the interruption */
};

/* A week: Windows writes Security and System records every day, so a
 * Sysmon log a week behind them stopped, was stopped, or lost its end. */
#define VERDICT_STALE_DAYS 7
#define VERDICT_DAY_TICKS (86400LL * 10000000)   /* FILETIME ticks a day */

/* Builds the verdicts of run (its traces may be NULL: none read). */
void verdicts_build(struct verdicts *vs, const struct run *run);
void verdicts_free(struct verdicts *vs);
/* run->verdicts, or (a caller that gave none) built into own, which the
 * caller frees with verdicts_free (own must start zeroed). */
const struct verdicts *verdicts_of(const struct run *run, struct verdicts *own);
/* "loaded", "ran", "present", "no trace", "not checked". */
const char *verdict_name(enum verdict v);

#endif
