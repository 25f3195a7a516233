/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdlib.h>
#include <string.h>
#include "strbuf.h"
#include "timefmt.h"
#include "trace.h"

void trace_init(struct trace *t)
{
	memset(t, 0, sizeof *t);
#define S_(name)
#define T_(name) t->name = TIME_NONE;
#define U_(name)
#define X(k, name, doc) k##_(name)
	TRACE_FIELDS(X)
#undef X
#undef S_
#undef T_
#undef U_
}

void trace_clear(struct trace *t)
{
#define S_(name) free(t->name);
#define T_(name)
#define U_(name)
#define X(k, name, doc) k##_(name)
	TRACE_FIELDS(X)
#undef X
#undef S_
#undef T_
#undef U_
	trace_init(t);
}

void trace_once(struct trace *t, int64_t when, const char *meaning)
{
	t->first_seen = t->last_seen = when;
	if (when != TIME_NONE) {
		t->first_meaning = xstrdup(meaning);
		t->last_meaning = xstrdup(meaning);
	}
}

int trace_hand(trace_sink sink, void *ctx, struct trace *t)
{
	int rc = sink(ctx, t);
	trace_clear(t);
	return rc != 0 ? -1 : 0;
}

void traces_add(struct traces *ts, struct trace *t)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 16;
		ts->v = xrealloc(ts->v, ts->cap * sizeof *ts->v);
	}
	ts->v[ts->n++] = *t;
	trace_init(t);
}

void traces_renumber(struct traces *ts, const uint32_t *perm)
{
	for (size_t i = 0; i < ts->n; i++)
		ts->v[i].input = perm[ts->v[i].input];
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_num(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* Every field but where it was read. */
static int cmp_content(const struct trace *a, const struct trace *b)
{
	int c;
#define S_(name) if ((c = cmp_str(a->name, b->name)) != 0) return c;
#define T_(name) if ((c = cmp_num((uint64_t)a->name, (uint64_t)b->name)) != 0) return c;
#define U_(name) if (strcmp(#name, "input") && strcmp(#name, "offset") && \
		     (c = cmp_num(a->name, b->name)) != 0) return c;
#define X(k, name, doc) k##_(name)
	TRACE_FIELDS(X)
#undef X
#undef S_
#undef T_
#undef U_
	return 0;
}

static int cmp_trace(const void *pa, const void *pb)
{
	const struct trace *a = pa, *b = pb;
	int c;
	if ((c = cmp_str(a->host, b->host)) || (c = cmp_str(a->executable, b->executable)) ||
	    (c = cmp_num((uint64_t)a->last_seen, (uint64_t)b->last_seen)) ||
	    (c = cmp_str(a->kind, b->kind)) || (c = cmp_content(a, b)))
		return c;
	if ((c = cmp_num(a->input, b->input)))
		return c;
	return cmp_num(a->offset, b->offset);
}

void traces_finish(struct traces *ts)
{
	if (ts->n > 1)
		qsort(ts->v, ts->n, sizeof *ts->v, cmp_trace);
	size_t m = 0;
	for (size_t i = 0; i < ts->n; i++) {
		if (m > 0 && cmp_content(&ts->v[m - 1], &ts->v[i]) == 0) {
			trace_clear(&ts->v[i]);
			ts->duplicates++;
			continue;
		}
		ts->v[m++] = ts->v[i];
	}
	ts->n = m;
}

void traces_free(struct traces *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		trace_clear(&ts->v[i]);
	free(ts->v);
	memset(ts, 0, sizeof *ts);
}
