/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* rules: which rule reads which evidence kind (rules.h: rules_of_kind;
 * a kind's row: its reader's state handed to its rule), and the rules
 * over events, together (EVENT_RULES). */
#include "rules.h"

static int prefetch_rules(const void *s, const struct read_options *opt, uint32_t i,
			  trace_sink sink, void *ctx)
{
	return rules_prefetch(s, opt, i, sink, ctx);
}

static int amcache_rules(const void *s, const struct read_options *opt, uint32_t i,
			 trace_sink sink, void *ctx)
{
	return rules_amcache(s, opt, i, sink, ctx);
}

static int hive_rules(const void *s, const struct read_options *opt, uint32_t i,
		      trace_sink sink, void *ctx)
{
	return rules_hive(s, opt, i, sink, ctx);
}

static int file_rules(const void *s, const struct read_options *opt, uint32_t i,
		      trace_sink sink, void *ctx)
{
	return rules_file(s, opt, i, sink, ctx);
}

artifact_rules rules_of_kind(enum input_kind k)
{
	switch (k) {
	case INPUT_PREFETCH: return prefetch_rules;
	case INPUT_AMCACHE: return amcache_rules;
	case INPUT_HIVE: return hive_rules;
	case INPUT_FILE: return file_rules;
	case INPUT_EVTX: case INPUT_KIND_COUNT: break;
	}
	return NULL;
}

static bool any_id(uint32_t id)
{
#define X(r) \
	if (r.select.id(id)) \
		return true;
	EVENT_RULES(X)
#undef X
	return false;
}

static bool any_event(const struct event *ev)
{
#define X(r) \
	if (r.select.event(ev)) \
		return true;
	EVENT_RULES(X)
#undef X
	return false;
}

const struct event_select rules_event_select = { any_id, any_event };

int rules_on_event(const struct event *ev, trace_sink sink, void *ctx)
{
#define X(r) \
	if (r.select.event(ev) && r.apply(ev, sink, ctx) != 0) \
		return -1;
	EVENT_RULES(X)
#undef X
	return 0;
}
