/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Why a host is blind: a log cleared (Security 1102, System 104, written
 * by Microsoft-Windows-Eventlog) or Sysmon's configuration changed (16).
 * Not a trace of NetSupport: a trace of lost sight, which the verdicts
 * name beside a host's answer ("not checked" says why) and never count
 * as NetSupport's. */
#include <stdlib.h>
#include <string.h>
#include "rules.h"
#include "strbuf.h"

/* What the event is, or NULL when it is none of the three. */
static const char *what(const struct event *ev)
{
	const char *p = ev->field[EF_PROVIDER];
	if (!p)
		return NULL;
	if (strcmp(p, PROVIDER_EVENTLOG) == 0 && ev->event_id == 1102)
		return "Security 1102: the audit log was cleared";
	if (strcmp(p, PROVIDER_EVENTLOG) == 0 && ev->event_id == 104)
		return "System 104: an event log was cleared";
	if (strcmp(p, PROVIDER_SYSMON) == 0 && ev->event_id == 16)
		return "Sysmon Event ID 16: Sysmon's configuration changed (what it logs may "
		       "have changed with it)";
	return NULL;
}

int rules_log_cleared(const struct event *ev, trace_sink sink, void *ctx)
{
	const char *w = what(ev);
	if (!w)
		return 0;
	struct trace t;
	rules_trace_of_event(&t, ev, "log-cleared", "blind",
			     ev->event_id == 16 ? "configuration changed" : "log cleared");
	struct strbuf sb = { 0 };
	sb_puts(&sb, w);
	if (ev->field[EF_USER_ID])
		sb_printf(&sb, "; by %s", ev->field[EF_USER_ID]);
	if (ev->recovered)
		sb_puts(&sb, "; a record recovered from slack");
	sb_puts(&sb, "; what happened before it may be gone: not a trace of NetSupport");
	t.detail = sb_take(&sb);
	return trace_hand(sink, ctx, &t);
}

static bool cleared_id(uint32_t id)
{
	return id == 1102 || id == 104 || id == 16;
}

static bool cleared_event(const struct event *ev)
{
	return what(ev) != NULL;
}

/* Such records name nothing the pre-filter looks for: it hands over
 * every one of the three by its provider and Event ID. */
const struct event_rule log_cleared_rule = {
	{ cleared_id, cleared_event }, rules_log_cleared, NULL,
	{ { PROVIDER_EVENTLOG, 1102, { NULL } }, { PROVIDER_EVENTLOG, 104, { NULL } },
	  { PROVIDER_SYSMON, 16, { NULL } } },
};
