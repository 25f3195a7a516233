/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdlib.h>
#include <string.h>
#include "strbuf.h"
#include "timefmt.h"
#include "verdict.h"

const char *verdict_name(enum verdict v)
{
	static const char *const name[VERDICT_COUNT] = {
		"loaded", "ran", "present", "no trace", "not checked",
	};
	return v < VERDICT_COUNT ? name[v] : "?";
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every host the run names: its logs', its rows' and its traces'. */
static size_t all_hosts(const struct run *run, const char ***out)
{
	const struct input_list *in = run->inputs;
	const struct findings *f = run->findings;
	size_t n = 0, cap = 16;
	const char **v = xcalloc(cap, sizeof *v);
#define PUSH(s) do { if (n == cap) v = xrealloc(v, (cap *= 2) * sizeof *v); v[n++] = (s); } while (0)
	for (size_t i = 0; i < in->n; i++)
		for (size_t j = 0; j < in->items[i].n_computers; j++)
			PUSH(in->items[i].computers[j]);
	for (size_t i = 0; i < f->n_rows; i++)
		if (!f->rows[i].suppressed)
			PUSH(f->rows[i].key[BF_DEST]);
	for (size_t i = 0; run->traces && i < run->traces->n; i++)
		PUSH(run->traces->v[i].host ? run->traces->v[i].host : "");
#undef PUSH
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_name);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || strcmp(v[m - 1], v[i]) != 0)
			v[m++] = v[i];
	*out = v;
	return m;
}

static struct host_verdict *find(struct verdicts *vs, const char *host)
{
	size_t lo = 0, hi = vs->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(vs->v[mid].host, host);
		if (c == 0)
			return &vs->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void widen(struct host_verdict *h, int64_t first, int64_t last)
{
	if (first != TIME_NONE && (h->first == TIME_NONE || first < h->first))
		h->first = first;
	if (last != TIME_NONE && (h->last == TIME_NONE || last > h->last))
		h->last = last;
}

static void add_kind(struct host_verdict *h, const char *kind)
{
	if (!kind || strstr(h->kinds, kind))
		return;
	size_t n = strlen(h->kinds);
	snprintf(h->kinds + n, sizeof h->kinds - n, "%s%s", n ? ", " : "", kind);
}

/* Where an event log of one host ends, and whether it logs image loads. */
static void ends(struct verdicts *vs, const struct input *in)
{
	if (in->kind != INPUT_EVTX || in->n_computers != 1 || in->last_time == TIME_NONE)
		return;
	struct host_verdict *h = find(vs, in->computers[0]);
	if (h->logs_last == TIME_NONE || in->last_time > h->logs_last)
		h->logs_last = in->last_time;
	if (!input_blind(in) && (h->sysmon_last == TIME_NONE || in->last_time > h->sysmon_last))
		h->sysmon_last = in->last_time;
}

static bool stale(const struct host_verdict *h)
{
	const int64_t limit = VERDICT_STALE_DAYS * VERDICT_DAY_TICKS;
	return h->verdict == VERDICT_NO_TRACE && h->sysmon_last != TIME_NONE &&
	       h->logs_last - h->sysmon_last > limit;
}

static void tally(struct verdicts *vs, const struct run *run)
{
	const struct input_list *in = run->inputs;
	const struct findings *f = run->findings;
	for (size_t i = 0; i < in->n; i++) {
		for (size_t j = 0; j < in->items[i].n_computers; j++)
			find(vs, in->items[i].computers[j])->logs++;
		ends(vs, &in->items[i]);
	}
	for (size_t i = 0; i < f->n_rows; i++) {
		if (f->rows[i].suppressed)
			continue;
		struct host_verdict *h = find(vs, f->rows[i].key[BF_DEST]);
		h->rows++;
		widen(h, f->rows[i].first, f->rows[i].last);
	}
	for (size_t i = 0; run->traces && i < run->traces->n; i++) {
		const struct trace *t = &run->traces->v[i];
		struct host_verdict *h = find(vs, t->host ? t->host : "");
		if (t->verdict && strcmp(t->verdict, "blind") == 0) {
			h->cleared++;
			if (h->cleared_last == TIME_NONE || t->last_seen > h->cleared_last)
				h->cleared_last = t->last_seen;
			continue;
		}
		h->traces++;
		h->ran += t->verdict && strcmp(t->verdict, "ran") == 0;
		add_kind(h, t->kind);
		widen(h, t->first_seen, t->last_seen);
	}
}

static int cmp_verdict(const void *pa, const void *pb)
{
	const struct host_verdict *a = pa, *b = pb;
	if (a->verdict != b->verdict)
		return a->verdict < b->verdict ? -1 : 1;
	return strcmp(a->host, b->host);
}

void verdicts_build(struct verdicts *vs, const struct run *run)
{
	const char **hosts;
	memset(vs, 0, sizeof *vs);
	vs->n = all_hosts(run, &hosts);
	vs->v = xcalloc(vs->n + 1, sizeof *vs->v);
	for (size_t i = 0; i < vs->n; i++)
		vs->v[i] = (struct host_verdict){ .host = hosts[i], .first = TIME_NONE,
						  .last = TIME_NONE, .cleared_last = TIME_NONE,
						  .sysmon_last = TIME_NONE, .logs_last = TIME_NONE };
	free(hosts);
	tally(vs, run);
	const char **blind;
	size_t n_blind = input_list_blind_hosts(run->inputs, &blind);
	for (size_t i = 0; i < vs->n; i++) {
		struct host_verdict *h = &vs->v[i];
		h->verdict = h->rows ? VERDICT_LOADED : h->ran ? VERDICT_RAN
			     : h->traces ? VERDICT_PRESENT
			     : bsearch(&h->host, blind, n_blind, sizeof *blind, cmp_name)
			       ? VERDICT_NOT_CHECKED : VERDICT_NO_TRACE;
		/* An interrupted run read only some inputs, and an input not
		 * read names no host: "no trace" or "blind" would be said of
		 * logs some of which were never read. */
		if (run->inputs->interrupted && h->verdict >= VERDICT_NO_TRACE) {
			h->verdict = VERDICT_NOT_CHECKED;
			h->interrupted = true;
			vs->interrupted++;
		}
		vs->count[h->verdict]++;
		h->stale = !h->interrupted && stale(h);
		vs->stale += h->stale;
	}
	free(blind);
	if (vs->n > 1)
		qsort(vs->v, vs->n, sizeof *vs->v, cmp_verdict);
}

const struct verdicts *verdicts_of(const struct run *run, struct verdicts *own)
{
	if (run->verdicts)
		return run->verdicts;
	verdicts_build(own, run);
	return own;
}

void verdicts_free(struct verdicts *vs)
{
	free(vs->v);
	memset(vs, 0, sizeof *vs);
}
