/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* report: CSV, JSON and HTML views of one run. All three read the same
 * struct run and never change it. */
#ifndef RMMHUNT_REPORT_H
#define RMMHUNT_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "aggregate.h"
#include "input.h"
#include "story.h"
#include "trace.h"

struct run {
	const char *version;
	const char *case_name;       /* --case, --examiner; NULL when not given */
	const char *examiner;
	int argc;
	char **argv;
	int64_t started, finished;   /* FILETIME ticks, UTC */
	int64_t from, to;            /* --from/--to, TIME_NONE when unset */
	bool recovered;              /* --no-recovered not given */
	bool prefilter;
	bool allowlist;              /* one was given (--allowlist) */
	bool extended;               /* --extended-modules: rows may be outside
	                                Splunk's search (rule_outside_search) */
	const struct input_list *inputs;
	const struct findings *findings;
	const struct stories *stories;   /* the flagged processes' stories;
	                                enabled false with --no-story */
	uint64_t events_out_of_range; /* matching events outside --from/--to */
	const struct traces *traces; /* Prefetch and other traces, hosts
	                                attributed; NULL with --no-traces (the
	                                reports are then 0.7.0's) */
	const struct verdicts *verdicts; /* each host's, from the above:
	                                run_conclude computes them once for
	                                every report (verdict.h) */
};

struct csv_options {
	bool neutralise;   /* spreadsheet formula neutralising (default on) */
};

int report_csv(FILE *out, const struct run *run, const struct csv_options *opt);
int report_json(FILE *out, const struct run *run);
/* One JSON object a line for every matching event (the allowlist's
 * too, marked): Timesketch's message, datetime and timestamp_desc, the
 * row's by-fields and the event's provenance. */
int report_jsonl(FILE *out, const struct run *run);
int report_html(FILE *out, const struct run *run);
/* --traces-csv: one row a trace (trace.h), sorted, with its evidence. */
int report_traces_csv(FILE *out, const struct run *run, const struct csv_options *opt);

#endif
