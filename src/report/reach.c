/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* reach: the per-host, per-source time window. */
#include <stdlib.h>
#include <string.h>
#include "reach.h"
#include "strbuf.h"
#include "timefmt.h"

/* The source an input's records belong to, and its rank. */
static char *source_of(const struct input *in, int *rank)
{
	struct strbuf sb = { 0 };
	switch (locator_origin(&in->loc)) {
	case ORIGIN_SNAPSHOT:
		for (size_t i = 0; i < in->loc.n; i++) {
			const struct step *s = &in->loc.steps[i];
			if (s->kind != STEP_VSS)
				continue;
			locator_format_step(&sb, s);
			*rank = 1 + (int)(s->index < 1000000 ? s->index : 1000000);
		}
		break;
	case ORIGIN_CARVED:
		sb_puts(&sb, "carved or deleted");
		*rank = 2000000;
		break;
	default:
		sb_puts(&sb, "live");
		*rank = 0;
	}
	return sb_take(&sb);
}

static int cmp_row(const void *a, const void *b)
{
	const struct reach_row *x = a, *y = b;
	int c = strcmp(x->host, y->host);
	if (c)
		return c;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->source, y->source);
}

static struct reach_row *find(struct reach *r, const char *host, const char *source)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->rows[i].host, host) == 0 && strcmp(r->rows[i].source, source) == 0)
			return &r->rows[i];
	return NULL;
}

static void widen(struct reach_row *row, int64_t first, int64_t last)
{
	if (first != TIME_NONE && (row->first == TIME_NONE || first < row->first))
		row->first = first;
	if (last != TIME_NONE && (row->last == TIME_NONE || last > row->last))
		row->last = last;
}

void reach_build(struct reach *r, const struct input_list *in)
{
	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < in->n; i++) {
		const struct input *it = &in->items[i];
		int rank = 0;
		char *source = source_of(it, &rank);
		for (size_t k = 0; k < it->n_computers; k++) {
			struct reach_row *row = find(r, it->computers[k], source);
			if (!row) {
				r->rows = xrealloc(r->rows, (r->n + 1) * sizeof *r->rows);
				row = &r->rows[r->n++];
				*row = (struct reach_row){ it->computers[k], xstrdup(source), rank, 0,
							   TIME_NONE, TIME_NONE };
			}
			row->inputs++;
			widen(row, it->first_time, it->last_time);
		}
		free(source);
	}
	if (r->n > 1)
		qsort(r->rows, r->n, sizeof *r->rows, cmp_row);
}

void reach_free(struct reach *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->rows[i].source);
	free(r->rows);
	memset(r, 0, sizeof *r);
}
