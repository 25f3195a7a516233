/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* rules: which rule reads which evidence kind (rules.h: rules_of_kind;
 * a kind's row: its reader's state handed to its rule). The rules over
 * events are over_events.c. */
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
