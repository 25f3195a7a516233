/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* conclude: the end of a run, whether it read evidence or merged parts:
 * its reports, its lines on standard error and its exit status. */
#ifndef RMMHUNT_CONCLUDE_H
#define RMMHUNT_CONCLUDE_H

#include <stdbool.h>
#include <stdio.h>
#include "report.h"

enum exit_status {
	EXIT_CLEAN = 0, EXIT_FINDINGS = 1,
	EXIT_TRACES = 2,        /* a host is "ran" or "present" (verdict.h) */
	EXIT_INCOMPLETE = 4, EXIT_FATAL = 8,
};

enum report_kind { REPORT_CSV, REPORT_JSON, REPORT_HTML, REPORT_JSONL, REPORT_TRACES,
		   N_REPORTS };

/* A report's destination, opened before the reading so that a path that
 * cannot be written stops the run at once, not after hours of reading. */
struct report_out {
	const char *path;       /* NULL when not asked for; "-" stdout */
	FILE *f;
	bool created;           /* the file did not exist: removed if the run stops */
	char *temp;             /* a new or regular file is written here, beside
	                           path, and renamed onto it when whole: a run
	                           that fails leaves no cut report; NULL when
	                           written in place (stdout, a device, a FIFO,
	                           a link); owned */
};

/* Checks where the reports go against the named paths and the inputs
 * they expanded to (destination.h: a run that would write into evidence,
 * or lose a report, stops at once), then opens every asked-for report.
 * Returns 0, or -1 having said why and removed what it had created. */
int reports_open(struct report_out out[N_REPORTS], char *const *paths, size_t n_paths,
		 const struct input_list *inputs);

/* Closes the opened reports unwritten and removes those the run created
 * (a run that stops before its end leaves no empty report behind). */
void reports_abandon(struct report_out out[N_REPORTS]);

struct conclude_options {
	bool neutralise;        /* CSV formula neutralising */
	bool quiet;             /* no summary */
};

/* Names the hosts not checked, writes every opened report (each one
 * attempted, whatever became of the others), prints the summary and,
 * on a terminal, the hosts. Returns the exit status: EXIT_FINDINGS for
 * unsuppressed rows, EXIT_TRACES for a host that ran NetSupport with no
 * image load seen, EXIT_INCOMPLETE for anything not read or a blind
 * host, EXIT_FATAL when a report could not be written. */
int run_conclude(const struct run *run, struct report_out out[N_REPORTS],
		 const struct conclude_options *opt);

#endif
