/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* A rule that only the test suite has (tests/rule-table.test): Sysmon
 * Event ID 5, a process ended, whose image lies under \AppData\. It is
 * here to show what a new rule over events costs: this one file and one
 * row of the table (event_rules.c beside it). Its Event ID is one no
 * rule of rmmhunt's reads and its records name nothing the pre-filter
 * looks for, so the default reading finds them only if the pre-filter
 * takes its wants from the row, as --no-prefilter does. */
#define _GNU_SOURCE 1   /* strcasestr */
#include <string.h>
#include "rules.h"
#include "strbuf.h"

static bool ended_id(uint32_t id)
{
	return id == 5;
}

static bool ended_event(const struct event *ev)
{
	const char *p = ev->field[EF_PROVIDER];
	return ev->event_id == 5 && p && strcmp(p, PROVIDER_SYSMON) == 0;
}

static int process_ended(const struct event *ev, trace_sink sink, void *ctx)
{
	const char *image = ev->field[EF_IMAGE];
	if (!image || !strcasestr(image, "\\AppData\\"))
		return 0;
	struct trace t;
	rules_trace_of_event(&t, ev, "test-process-ended", "present",
			     "process ended (Sysmon Event ID 5)");
	t.executable = xstrdup(image);
	t.detail = xstrdup("the test suite's rule: a process under AppData ended");
	return trace_hand(sink, ctx, &t);
}

const struct event_rule test_process_ended_rule = {
	{ ended_id, ended_event }, process_ended, NULL,
	{ { PROVIDER_SYSMON, 5, { NULL } } },
};
