/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* run: one run's result, the data type the last stages are handed: main
 * fills it, merge/ writes it as a part and reads parts back into one,
 * report/ renders it and never changes it. Here, above both, so that
 * neither includes the other. */
#ifndef RMMHUNT_RUN_H
#define RMMHUNT_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include "aggregate.h"
#include "input.h"
#include "story.h"
#include "trace.h"

struct verdicts;

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

#endif
