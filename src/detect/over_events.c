/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The rules over events, together (rules.h): what they select, each
 * applied to what it selects, and the pre-filter's matcher built from
 * what every row of event_rules[] (event_rules.c) asks of it. */
#include <pthread.h>
#include <string.h>
#include "rule.h"
#include "rules.h"

static bool any_id(uint32_t id)
{
	for (const struct event_rule *const *r = event_rules; *r; r++)
		if ((*r)->select.id(id))
			return true;
	return false;
}

static bool any_event(const struct event *ev)
{
	for (const struct event_rule *const *r = event_rules; *r; r++)
		if ((*r)->select.event(ev))
			return true;
	return false;
}

const struct event_select rules_event_select = { any_id, any_event };

int rules_on_event(const struct event *ev, trace_sink sink, void *ctx)
{
	for (const struct event_rule *const *r = event_rules; *r; r++)
		if ((*r)->select.event(ev) && (*r)->apply(ev, sink, ctx) != 0)
			return -1;
	return 0;
}

/* The pre-filter's matchers, built once whichever thread asks first (a
 * load-once cache): [traced][extended], the untraced ones the search's
 * module names only. */
struct matchers {
	struct scan_matcher m[2][2];
	struct scan_want wants[SCAN_MAX_WANTS];
	struct scan_matcher want_names[SCAN_MAX_WANTS][SCAN_WANT_NAMES];
	size_t n_wants;
	bool any_provider, ok;
};
static struct matchers matchers;
static pthread_once_t matchers_once = PTHREAD_ONCE_INIT;

static uint8_t scan_provider(const char *provider)
{
	if (provider && strcmp(provider, PROVIDER_SYSMON) == 0)
		return SCAN_PROVIDER_SYSMON;
	if (provider && strcmp(provider, PROVIDER_EVENTLOG) == 0)
		return SCAN_PROVIDER_EVENTLOG;
	return SCAN_PROVIDER_ANY;
}

/* One rule's wants into x's; false when they are too many or a name
 * cannot be matched. */
static bool add_wants(struct matchers *x, const struct event_rule *r)
{
	for (int i = 0; i < EVENT_RULE_WANTS && r->wants[i].event_id; i++) {
		const struct event_rule_want *w = &r->wants[i];
		if (x->n_wants == SCAN_MAX_WANTS)
			return false;
		struct scan_want *sw = &x->wants[x->n_wants];
		sw->event_id = w->event_id;
		sw->provider = scan_provider(w->provider);
		x->any_provider |= sw->provider == SCAN_PROVIDER_ANY;
		for (int k = 0; k < SCAN_WANT_NAMES && w->names[k]; k++) {
			struct scan_matcher *nm = &x->want_names[x->n_wants][k];
			if (scan_matcher_init(nm, &w->names[k], 1) != 0)
				return false;
			sw->names[k] = nm;
		}
		x->n_wants++;
	}
	return true;
}

static void matchers_init(void)
{
	struct matchers *x = &matchers;
	const char *names[SCAN_MAX_MODULES];
	bool ok = true;
	size_t traced_names = 0;
	for (const struct event_rule *const *r = event_rules; *r; r++) {
		ok &= add_wants(x, *r);
		traced_names += (*r)->name != NULL;
	}
	for (int t = 0; t < 2; t++)
		for (int e = 0; e < 2; e++) {
			size_t n = e ? RULE_EXTENDED_COUNT : RULE_MODULE_COUNT;
			if (n + (t ? traced_names : 0) > SCAN_MAX_MODULES) {
				ok = false;
				continue;
			}
			memcpy(names, rule_modules_extended, n * sizeof *names);
			for (const struct event_rule *const *r = event_rules; t && *r; r++)
				if ((*r)->name)
					names[n++] = (*r)->name;
			struct scan_matcher *m = &x->m[t][e];
			ok &= scan_matcher_init(m, names, n) == 0;
			if (t) {
				m->wants = x->wants;
				m->n_wants = x->n_wants;
				m->wants_any_provider = x->any_provider;
			}
		}
	x->ok = ok;
}

const struct scan_matcher *rules_matcher(bool extended, bool traced)
{
	pthread_once(&matchers_once, matchers_init);
	return matchers.ok ? &matchers.m[traced][extended] : NULL;
}
