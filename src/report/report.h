/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* report: CSV, JSON and HTML views of one run. All three read the same
 * struct run and never change it. */
#ifndef RMMHUNT_REPORT_H
#define RMMHUNT_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "run.h"

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
