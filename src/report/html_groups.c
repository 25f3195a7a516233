/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* report_html: the hosts' coverage and the finding rows grouped by
 * host and by lane, which every section reads. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "html.h"

/* ---- hosts ------------------------------------------------------------ */

static int hostref_cmp(const void *a, const void *b)
{
	const struct hostref *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->input < y->input ? -1 : x->input > y->input;
}


void html_coverage_build(struct coverage *cv, const struct input_list *in)
{
	size_t n = 0;
	for (size_t i = 0; i < in->n; i++)
		n += in->items[i].n_computers;
	cv->refs = xcalloc(n ? n : 1, sizeof *cv->refs);
	cv->n = 0;
	for (size_t i = 0; i < in->n; i++)
		for (size_t j = 0; j < in->items[i].n_computers; j++) {
			cv->refs[cv->n].name = in->items[i].computers[j];
			cv->refs[cv->n++].input = i;
		}
	qsort(cv->refs, cv->n, sizeof *cv->refs, hostref_cmp);
	reach_build(&cv->reach, in);
}

void html_coverage_free(struct coverage *cv)
{
	free(cv->refs);
	reach_free(&cv->reach);
}

/* Just past the refs from `from` on that name host: refs are sorted by
 * name, so a host's refs are one run. */
size_t html_coverage_end(const struct coverage *cv, size_t from, const char *host)
{
	while (from < cv->n && strcmp(cv->refs[from].name, host) == 0)
		from++;
	return from;
}

/* The refs of one host: [*from, *to). */
static void coverage_find(const struct coverage *cv, const char *host,
                          size_t *from, size_t *to)
{
	size_t lo = 0, hi = cv->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(cv->refs[mid].name, host) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	*to = html_coverage_end(cv, lo, host);
}

/* A host is a blind spot when none of its inputs [from, to) logs
 * Event ID 7: no finding there says nothing about it. */
bool html_host_blind(const struct coverage *cv, const struct input_list *in,
                       size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (!input_blind(&in->items[cv->refs[i].input]))
			return false;
	return true;
}


static int span_cmp(const void *x, const void *y)
{
	const struct span *p = x, *q = y;
	return p->a < q->a ? -1 : p->a > q->a;
}

/* The merged time intervals the host's inputs cover; returns how many
 * (the caller frees *out). */
size_t html_host_intervals(const struct coverage *cv, const struct input_list *in,
                             const char *host, struct span **out)
{
	size_t from, to, n = 0;
	coverage_find(cv, host, &from, &to);
	struct span *s = xcalloc(to - from + 1, sizeof *s);
	for (size_t i = from; i < to; i++) {
		const struct input *it = &in->items[cv->refs[i].input];
		if (it->first_time == TIME_NONE || it->last_time == TIME_NONE)
			continue;
		s[n].a = it->first_time;
		s[n++].b = it->last_time;
	}
	qsort(s, n, sizeof *s, span_cmp);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && s[i].a <= s[m - 1].b) {
			if (s[i].b > s[m - 1].b)
				s[m - 1].b = s[i].b;
		} else {
			s[m++] = s[i];
		}
	}
	*out = s;
	return m;
}

/* ---- rows grouped by host and by lane ---------------------------------- */

/* Rows are sorted as pointers into findings.rows, not as indexes: qsort
 * has no context argument, and a pointer needs none. */
static const struct finding *row_at(const void *p)
{
	return *(const struct finding *const *)p;
}

static int dest_cmp(const void *a, const void *b)
{
	return strcmp(row_at(a)->key[BF_DEST], row_at(b)->key[BF_DEST]);
}

/* A host's rows worst first; ties keep the aggregation's order. */
static int row_cmp(const void *a, const void *b)
{
	const struct finding *x = row_at(a), *y = row_at(b);
	int c = dest_cmp(a, b);
	if (c)
		return c;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x < y ? -1 : 1;
}

/* A lane of the timeline is one process: its image and GUID, every
 * module it loaded on it. */
static int lane_key_cmp(const void *a, const void *b)
{
	const struct finding *x = row_at(a), *y = row_at(b);
	int c = strcmp(x->key[BF_IMAGE], y->key[BF_IMAGE]);
	if (c)
		return c;
	return strcmp(x->key[BF_PROCESS_GUID], y->key[BF_PROCESS_GUID]);
}


const char *html_group_host(const struct group *g)
{
	return g->rows[0]->key[BF_DEST];
}

/* Hosts worst first: most events, then most rows. */
static int host_cmp(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->events != y->events)
		return x->events > y->events ? -1 : 1;
	if (x->n_rows != y->n_rows)
		return x->n_rows > y->n_rows ? -1 : 1;
	return strcmp(html_group_host(x), html_group_host(y));
}

/* Lanes earliest first. */
static int lane_cmp(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->rows < y->rows ? -1 : x->rows > y->rows;
}


/* Sorts the n rows already in g->rows by row_order, cuts them where
 * key_cmp changes and sorts the groups by group_order. */
static void grouping_make(struct grouping *g, size_t n,
                          int (*row_order)(const void *, const void *),
                          int (*key_cmp)(const void *, const void *),
                          int (*group_order)(const void *, const void *))
{
	qsort(g->rows, n, sizeof *g->rows, row_order);
	g->groups = xcalloc(n + 1, sizeof *g->groups);
	g->n = 0;
	for (size_t i = 0; i < n; i++) {
		const struct finding *r = g->rows[i];
		if (g->n == 0 || key_cmp(&g->rows[i], g->groups[g->n - 1].rows) != 0)
			g->groups[g->n++] = (struct group){
				.rows = &g->rows[i], .first = r->first, .last = r->last };
		struct group *cur = &g->groups[g->n - 1];
		cur->n_rows++;
		cur->events += r->count;
		if (r->first < cur->first)
			cur->first = r->first;
		if (r->last > cur->last)
			cur->last = r->last;
	}
	qsort(g->groups, g->n, sizeof *g->groups, group_order);
}

void html_grouping_free(struct grouping *g)
{
	free(g->groups);
	free(g->rows);
}

/* The rows with suppressed == sup by host, worst host first. */
void html_hosts_group(struct grouping *g, const struct findings *f, bool sup)
{
	size_t n = 0;
	g->rows = xcalloc(f->n_rows + 1, sizeof *g->rows);
	for (size_t i = 0; i < f->n_rows; i++)
		if (f->rows[i].suppressed == sup)
			g->rows[n++] = &f->rows[i];
	grouping_make(g, n, row_cmp, dest_cmp, host_cmp);
}

/* A host's rows by lane, earliest lane first. */
void html_lanes_group(struct grouping *g, const struct group *host)
{
	g->rows = xcalloc(host->n_rows + 1, sizeof *g->rows);
	memcpy(g->rows, host->rows, host->n_rows * sizeof *g->rows);
	grouping_make(g, host->n_rows, lane_key_cmp, lane_key_cmp, lane_cmp);
}

