/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdlib.h>
#include <string.h>
#include "aggregate.h"
#include "strbuf.h"

void findings_add(struct findings *f, struct event *ev)
{
	if (f->n_events == f->cap_events) {
		f->cap_events = f->cap_events ? 2 * f->cap_events : 64;
		f->events = xrealloc(f->events, f->cap_events * sizeof *f->events);
	}
	f->events[f->n_events++] = *ev;
	memset(ev, 0, sizeof *ev);
}

void findings_renumber(struct findings *f, const uint32_t *perm)
{
	for (size_t i = 0; i < f->n_events; i++)
		f->events[i].input = perm[f->events[i].input];
}

static int cmp_str_null(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

/* Identity first, then the preference among copies: live before a
 * snapshot before slack before a carved chunk (an allocated record
 * before a recovered one), then lower input, lower offset. */
static int cmp_identity(const void *pa, const void *pb)
{
	const struct event *a = pa, *b = pb;
	int c = cmp_str_null(a->field[EF_COMPUTER], b->field[EF_COMPUTER]);
	if (c)
		return c;
	CMP(a->record_id, b->record_id);
	CMP(a->time, b->time);
	CMP(a->origin, b->origin);
	CMP(a->recovered, b->recovered);
	CMP(a->input, b->input);
	CMP(a->offset, b->offset);
	return 0;
}

static bool same_identity(const struct event *a, const struct event *b)
{
	return cmp_str_null(a->field[EF_COMPUTER], b->field[EF_COMPUTER]) == 0 &&
	       a->record_id == b->record_id && a->time == b->time;
}

void input_set_add(uint32_t **list, size_t *n, uint32_t input)
{
	size_t i = 0;
	while (i < *n && (*list)[i] < input)
		i++;
	if (i < *n && (*list)[i] == input)
		return;
	*list = xrealloc(*list, (*n + 1) * sizeof **list);
	memmove(*list + i + 1, *list + i, (*n - i) * sizeof **list);
	(*list)[i] = input;
	(*n)++;
}

/* Copies arrive best first (cmp_identity): the first is the one kept. */
static void add_copy(struct event_sources *s, const struct event *ev)
{
	s->copies = xrealloc(s->copies, (s->n_copies + 1) * sizeof *s->copies);
	s->copies[s->n_copies++] = (struct event_copy){
		ev->input, ev->offset, ev->origin, ev->recovered };
}

/* Keeps the first copy of each event, remembering every input the
 * copies came from. */
void findings_dedupe(struct findings *f)
{
	if (f->n_events > 0)
		qsort(f->events, f->n_events, sizeof *f->events, cmp_identity);
	f->sources = xcalloc(f->n_events, sizeof *f->sources);
	size_t kept = 0;
	for (size_t i = 0; i < f->n_events; i++) {
		if (kept > 0 && same_identity(&f->events[kept - 1], &f->events[i])) {
			struct event_sources *s = &f->sources[kept - 1];
			input_set_add(&s->inputs, &s->n, f->events[i].input);
			add_copy(s, &f->events[i]);
			event_clear(&f->events[i]);
			f->duplicates++;
			continue;
		}
		f->events[kept] = f->events[i];
		input_set_add(&f->sources[kept].inputs, &f->sources[kept].n,
			  f->events[i].input);
		add_copy(&f->sources[kept], &f->events[i]);
		kept++;
	}
	f->n_events = kept;
	/* the doubling of findings_add left up to half of it unused */
	f->events = xrealloc(f->events, (kept + 1) * sizeof *f->events);
	f->cap_events = kept + 1;
}

/* An event, its by-field tuple and its sources, sorted together. The
 * tuple is held as one string (joined: each field and its NUL, in BF_
 * order), which memcmp orders as strcmp orders the fields one by one (no
 * field holds a NUL, and each ends in one): a log of thousands of hits
 * of one process has rows whose first fields are all the same long
 * paths, which strcmp would read again at every comparison. It is also
 * the row's key_buf, one allocation a row where there were twenty. */
struct keyed {
	char *joined;
	size_t joined_len;
	struct event ev;
	struct event_sources src;
};

/* key[]'s values joined into one new string (*len bytes, NULs included) */
static char *key_join(char *const key[BF_COUNT], size_t *len)
{
	size_t lens[BF_COUNT], n = 0;
	for (int i = 0; i < BF_COUNT; i++)
		n += (lens[i] = strlen(key[i])) + 1;
	char *joined = xmalloc(n), *o = joined;
	for (int i = 0; i < BF_COUNT; i++) {
		memcpy(o, key[i], lens[i] + 1);
		o += lens[i] + 1;
	}
	*len = n;
	return joined;
}

/* row->key[] pointed at the values in buf (joined as key_join joins) */
static void key_point(struct finding *row, char *buf)
{
	row->key_buf = buf;
	for (int i = 0; i < BF_COUNT; i++) {
		row->key[i] = buf;
		buf += strlen(buf) + 1;
	}
}

void finding_set_key(struct finding *row, char *const key[BF_COUNT])
{
	size_t len;
	char *buf = key_join(key, &len);
	free(row->key_buf);
	key_point(row, buf);
}

/* The tuples' order (strcmp, field by field); 0 when they are the same */
static int cmp_joined(const struct keyed *a, const struct keyed *b)
{
	int c = memcmp(a->joined, b->joined,
		       a->joined_len < b->joined_len ? a->joined_len : b->joined_len);
	return c ? c : a->joined_len < b->joined_len ? -1 : a->joined_len > b->joined_len;
}

static int cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int c = cmp_joined(a, b);
	if (c)
		return c;
	CMP(a->ev.time, b->ev.time);
	CMP(a->ev.record_id, b->ev.record_id);
	CMP(a->ev.input, b->ev.input);
	return 0;
}

static void row_add_event(struct finding *row, const struct keyed *k, size_t index)
{
	if (row->count == 0 || k->ev.time < row->first)
		row->first = k->ev.time;
	if (row->count == 0 || k->ev.time > row->last)
		row->last = k->ev.time;
	row->count++;
	if (k->ev.recovered)
		row->recovered++;
	row->events = xrealloc(row->events, (row->n_events + 1) * sizeof *row->events);
	row->events[row->n_events++] = index;
	for (size_t i = 0; i < k->src.n; i++)
		input_set_add(&row->inputs, &row->n_inputs, k->src.inputs[i]);
}

void findings_group(struct findings *f)
{
	findings_dedupe(f);
	struct keyed *k = xcalloc(f->n_events, sizeof *k);
	for (size_t i = 0; i < f->n_events; i++) {
		k[i].ev = f->events[i];
		k[i].src = f->sources[i];
		char *key[BF_COUNT];
		rule_derive(&k[i].ev, key);
		k[i].joined = key_join(key, &k[i].joined_len);
		for (int j = 0; j < BF_COUNT; j++)
			free(key[j]);
	}
	if (f->n_events > 0)
		qsort(k, f->n_events, sizeof *k, cmp_keyed);

	f->rows = xcalloc(f->n_events, sizeof *f->rows);
	f->n_rows = 0;
	size_t row_first = 0;   /* the keyed whose joined the last row took */
	for (size_t i = 0; i < f->n_events; i++) {
		f->events[i] = k[i].ev;
		f->sources[i] = k[i].src;
		struct finding *row = f->n_rows ? &f->rows[f->n_rows - 1] : NULL;
		if (row && cmp_joined(&k[row_first], &k[i]) == 0) {   /* the row's key */
			free(k[i].joined);
		} else {
			row = &f->rows[f->n_rows++];
			key_point(row, k[i].joined);    /* k[i].joined now the row's */
			row_first = i;
		}
		row_add_event(row, &k[i], i);
	}
	free(k);
	for (size_t i = 0; i < f->n_rows; i++)
		rule_rate(f->rows[i].key, &f->rows[i].rated);
}

void findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n_events; i++) {
		event_clear(&f->events[i]);
		if (f->sources) {
			free(f->sources[i].inputs);
			free(f->sources[i].copies);
		}
	}
	for (size_t i = 0; i < f->n_rows; i++) {
		free(f->rows[i].key_buf);
		free(f->rows[i].events);
		free(f->rows[i].inputs);
		rule_rating_clear(&f->rows[i].rated);
	}
	free(f->events);
	free(f->sources);
	free(f->rows);
	memset(f, 0, sizeof *f);
}
