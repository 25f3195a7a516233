/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* hosts: see hosts.h. */
#include <stdlib.h>
#include <string.h>
#include "aggregate.h"
#include "hosts.h"
#include "input.h"
#include "rule.h"
#include "strbuf.h"
#include "timefmt.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void widen(int64_t *first, int64_t *last, int64_t a, int64_t b)
{
	if (a != TIME_NONE && (*first == TIME_NONE || a < *first))
		*first = a;
	if (b != TIME_NONE && (*last == TIME_NONE || b > *last))
		*last = b;
}

/* The rows that are hits (not allowlisted), by dest, Image, guid and
 * module. */
static int cmp_row(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a;
	const struct finding *y = *(const struct finding *const *)b;
	static const int order[] = { BF_DEST, BF_IMAGE, BF_PROCESS_GUID, BF_LOADED_FILE };
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		int c = strcmp(x->key[order[i]], y->key[order[i]]);
		if (c)
			return c;
	}
	return 0;
}

static bool same(const struct finding *x, const struct finding *y, int field)
{
	return strcmp(x->key[field], y->key[field]) == 0;
}

/* The processes and modules of one host: rows[0..n), sorted by cmp_row. */
static void host_hits(struct host_view *v, const struct finding *const *rows, size_t n)
{
	v->processes = xcalloc(n ? n : 1, sizeof *v->processes);
	for (size_t i = 0; i < n; i++) {
		const struct finding *r = rows[i];
		struct host_process *p = v->n_processes ? &v->processes[v->n_processes - 1] : NULL;
		if (!p || !same(rows[i - 1], r, BF_IMAGE) || !same(rows[i - 1], r, BF_PROCESS_GUID)) {
			p = &v->processes[v->n_processes++];
			p->image = r->key[BF_IMAGE];
			p->guid = r->key[BF_PROCESS_GUID];
			p->first = p->last = TIME_NONE;
			/* room for a module a row of this process's (its rows
			 * are together), not for every row left: a host of many
			 * processes made this quadratic */
			size_t end = i + 1;
			while (end < n && same(rows[end], r, BF_IMAGE) &&
			       same(rows[end], r, BF_PROCESS_GUID))
				end++;
			p->modules = xcalloc(end - i, sizeof *p->modules);
		}
		struct host_module *m = p->n_modules ? &p->modules[p->n_modules - 1] : NULL;
		if (!m || strcmp(m->module, r->key[BF_LOADED_FILE]) != 0) {
			m = &p->modules[p->n_modules++];
			m->module = r->key[BF_LOADED_FILE];
			m->first = m->last = TIME_NONE;
		}
		m->count += r->count;
		widen(&m->first, &m->last, r->first, r->last);
		p->count += r->count;
		widen(&p->first, &p->last, r->first, r->last);
		v->events += r->count;
		v->rows++;
		widen(&v->first, &v->last, r->first, r->last);
	}
}

/* Hosts with hits first (most events first), then by name. */
static int cmp_view(const void *a, const void *b)
{
	const struct host_view *x = a, *y = b;
	if ((x->events > 0) != (y->events > 0))
		return x->events > 0 ? -1 : 1;
	if (x->events != y->events)
		return x->events > y->events ? -1 : 1;
	return strcmp(x->host, y->host);
}

void hosts_build(struct hosts *h, const struct run *run)
{
	const struct input_list *in = run->inputs;
	const struct findings *f = run->findings;
	size_t n = f->n_rows;
	for (size_t i = 0; i < in->n; i++)
		n += in->items[i].n_computers;
	const char **names = xcalloc(n + 1, sizeof *names);
	const struct finding **rows = xcalloc(f->n_rows + 1, sizeof *rows);
	size_t k = 0, nr = 0;
	for (size_t i = 0; i < in->n; i++)
		for (size_t j = 0; j < in->items[i].n_computers; j++)
			names[k++] = in->items[i].computers[j];
	/* An input names each host once (input_add_computer), so a host's
	 * logs are its run among the inputs' names, sorted. */
	size_t n_logged = k;
	const char **logged = xcalloc(n_logged + 1, sizeof *logged);
	memcpy(logged, names, n_logged * sizeof *logged);
	qsort(logged, n_logged, sizeof *logged, cmp_str);
	for (size_t i = 0; i < f->n_rows; i++)
		if (!f->rows[i].suppressed) {
			rows[nr++] = &f->rows[i];
			names[k++] = f->rows[i].key[BF_DEST];
		}
	qsort(names, k, sizeof *names, cmp_str);
	qsort(rows, nr, sizeof *rows, cmp_row);
	const char **blind;
	size_t n_blind = input_list_blind_hosts(in, &blind);

	memset(h, 0, sizeof *h);
	h->v = xcalloc(k + 1, sizeof *h->v);
	size_t r = 0, lg = 0;
	for (size_t i = 0; i < k; i++) {
		if (i && strcmp(names[i - 1], names[i]) == 0)
			continue;
		struct host_view *v = &h->v[h->n++];
		v->host = names[i];
		v->first = v->last = TIME_NONE;
		v->blind = bsearch(&v->host, blind, n_blind, sizeof *blind, cmp_str) != NULL;
		while (lg < n_logged && strcmp(logged[lg], v->host) < 0)
			lg++;
		for (; lg < n_logged && strcmp(logged[lg], v->host) == 0; lg++)
			v->inputs++;
		size_t from = r;
		while (r < nr && strcmp(rows[r]->key[BF_DEST], v->host) == 0)
			r++;
		host_hits(v, rows + from, r - from);
	}
	qsort(h->v, h->n, sizeof *h->v, cmp_view);
	free(blind);
	free(logged);
	free(rows);
	free(names);
}

void hosts_free(struct hosts *h)
{
	for (size_t i = 0; i < h->n; i++) {
		for (size_t p = 0; p < h->v[i].n_processes; p++)
			free(h->v[i].processes[p].modules);
		free(h->v[i].processes);
	}
	free(h->v);
	memset(h, 0, sizeof *h);
}
