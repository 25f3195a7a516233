/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* input: an input and the list of them (input.h): what became of
 * reading each, its place, its hosts, one order. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "input.h"
#include "strbuf.h"
#include "timefmt.h"

const char *input_status_name(enum input_status s)
{
	switch (s) {
	case INPUT_OK: return "ok";
	case INPUT_PARTIAL: return "partial";
	default: return "failed";
	}
}

const char *input_kind_name(enum input_kind k)
{
	return k == INPUT_PREFETCH ? "prefetch" : k == INPUT_AMCACHE ? "amcache" :
	       k == INPUT_HIVE ? "registry" : k == INPUT_FILE ? "file" : "evtx";
}

void input_note(struct input *in, enum input_status status, const char *fmt, ...)
{
	struct strbuf sb = { 0 };
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (in->reason) {
		sb_puts(&sb, in->reason);
		sb_puts(&sb, "; ");
		free(in->reason);
	}
	sb_puts(&sb, buf);
	in->reason = sb_take(&sb);
	if (status > in->status)
		in->status = status;
}

void input_add_computer(struct input *in, const char *name)
{
	for (size_t i = 0; i < in->n_computers; i++)
		if (strcmp(in->computers[i], name) == 0)
			return;
	in->computers = xrealloc(in->computers,
				 (in->n_computers + 1) * sizeof *in->computers);
	in->computers[in->n_computers++] = xstrdup(name);
}

void input_add_time(struct input *in, int64_t t)
{
	if (t == TIME_NONE || t == 0)   /* 0: no time written */
		return;
	if (in->first_time == TIME_NONE || t < in->first_time)
		in->first_time = t;
	if (in->last_time == TIME_NONE || t > in->last_time)
		in->last_time = t;
}

void input_take_keys(struct input *in, uint64_t *v, size_t n)
{
	free(in->keys);
	in->keys = v;
	in->n_keys = (uint32_t)n;
	in->keys_known = true;
}

void input_drop_keys(struct input *in)
{
	free(in->keys);
	in->keys = NULL;
	in->n_keys = 0;
	in->keys_known = false;
}

void input_keep_keys(struct input_list *l, struct input *in)
{
	if (!in->keys_known)
		return;
	if (in->n_keys > INPUT_KEYS_BUDGET - l->keys_kept)
		input_drop_keys(in);
	else
		l->keys_kept += in->n_keys;
}

void image_input_clear(struct image_input *im)
{
	free(im->path);
	free(im->detail);
	free(im->reason);
	free(im->verify);
	memset(im, 0, sizeof *im);
}

void input_clear(struct input *in)
{
	free(in->keys);
	free(in->path);
	free(in->where);
	locator_clear(&in->loc);
	free(in->reason);
	free(in->artifact);
	for (size_t i = 0; i < in->n_computers; i++)
		free(in->computers[i]);
	free(in->computers);
	memset(in, 0, sizeof *in);
}

void input_list_skip(struct input_list *l, const char *where, bool incomplete,
		     const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (l->n_skipped == l->cap_skipped) {
		l->cap_skipped = l->cap_skipped ? 2 * l->cap_skipped : 8;
		l->skipped = xrealloc(l->skipped, l->cap_skipped * sizeof *l->skipped);
	}
	l->skipped[l->n_skipped++] = (struct skipped){ xstrdup(where), xstrdup(buf), incomplete };
}


size_t input_list_not_read(const struct input_list *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n_skipped; i++)
		n += l->skipped[i].incomplete;
	return n;
}

size_t input_list_images_not_whole(const struct input_list *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n_images; i++)
		n += l->images[i].status != INPUT_OK;
	return n;
}

static bool checked(const struct input *in)
{
	bool carved = in->loc.n && in->loc.steps[in->loc.n - 1].kind == STEP_CARVED;
	return in->status != INPUT_FAILED && !(carved && in->carved_chunks == 0);
}

size_t input_list_checked(const struct input_list *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += checked(&l->items[i]);
	return n;
}

bool input_list_image_empty(const struct input_list *l, size_t i)
{
	if (i >= l->n_images || l->images[i].status == INPUT_FAILED)
		return false;
	for (size_t k = 0; k < l->n; k++)
		if (l->items[k].image == i + 1 && checked(&l->items[k]))
			return false;
	return true;
}

size_t input_list_empty_images(const struct input_list *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n_images; i++)
		n += input_list_image_empty(l, i);
	return n;
}

bool input_blind(const struct input *in)
{
	/* A search of freed space that finds nothing is not a host's log
	 * that logs no image loads: it says nothing about any host. */
	if (in->loc.n && in->loc.steps[in->loc.n - 1].kind == STEP_CARVED)
		return false;
	/* Nor is a Prefetch file: it logs no events at all. */
	if (in->kind != INPUT_EVTX)
		return false;
	return in->eid7 == 0 && in->eid7_recovered == 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t input_list_blind_hosts(const struct input_list *l, const char ***names)
{
	size_t n = 0, k = 0, out = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->items[i].n_computers;
	const char **all = xcalloc(n + 1, sizeof *all);
	bool *seen = xcalloc(n + 1, sizeof *seen);   /* the host has Event ID 7 */
	const char **blind = xcalloc(n + 1, sizeof *blind);
	for (size_t i = 0; i < l->n; i++)
		for (size_t j = 0; j < l->items[i].n_computers; j++)
			all[k++] = l->items[i].computers[j];
	qsort(all, n, sizeof *all, cmp_name);
	/* a host is seeing when any event log naming it logs Event ID 7 (a
	 * SYSTEM hive names its computer, and logs nothing) */
	for (size_t i = 0; i < l->n; i++) {
		if (l->items[i].kind != INPUT_EVTX || input_blind(&l->items[i]))
			continue;
		for (size_t j = 0; j < l->items[i].n_computers; j++) {
			const char *key = l->items[i].computers[j];
			const char **hit = bsearch(&key, all, n, sizeof *all, cmp_name);
			while (hit && hit > all && strcmp(hit[-1], key) == 0)
				hit--;
			if (hit)
				seen[hit - all] = true;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(all[i - 1], all[i]) == 0)
			continue;   /* the first of a run carries the mark */
		if (!seen[i])
			blind[out++] = all[i];
	}
	free(seen);
	free(all);
	*names = blind;
	return out;
}

const char *input_where(const struct input *in)
{
	return in->where ? in->where : in->path ? in->path : "";
}

struct input *input_list_add(struct input_list *l, const struct locator *loc,
			     bool named, uint64_t size, uint32_t image)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->items = xrealloc(l->items, l->cap * sizeof *l->items);
	}
	struct input *in = &l->items[l->n++];
	memset(in, 0, sizeof *in);
	locator_copy(&in->loc, loc);
	in->path = xstrdup(locator_path(loc));
	in->where = locator_format(loc);
	in->named = named;
	in->size = size;
	in->image = image;
	in->first_time = in->last_time = TIME_NONE;
	return in;
}

void inputs_free(struct input_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		input_clear(&list->items[i]);
	free(list->items);
	for (size_t i = 0; i < list->n_skipped; i++) {
		free(list->skipped[i].path);
		free(list->skipped[i].reason);
	}
	free(list->skipped);
	for (size_t i = 0; i < list->n_images; i++) {
		image_input_clear(&list->images[i]);
	}
	free(list->images);
	free(list->interrupted);
	memset(list, 0, sizeof *list);
}

/* ---- one order ----------------------------------------------------------- */

/* The input sort's key: the file on disk it is in, then the order it
 * was found in there (an image's or archive's logs in the order its
 * listing gives: partitions, then snapshots, then carved regions; that
 * order is the same in every run, since one worker lists a file). */
struct ranked {
	struct input in;
	uint32_t old;
};

static int cmp_ranked(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	int c = strcmp(a->in.path ? a->in.path : "", b->in.path ? b->in.path : "");
	if (!c)
		c = a->old < b->old ? -1 : a->old > b->old;
	return c;
}

struct ranked_image {
	struct image_input im;
	uint32_t old;
};

static int cmp_ranked_image(const void *pa, const void *pb)
{
	const struct ranked_image *a = pa, *b = pb;
	int c = strcmp(a->im.path, b->im.path);
	return c ? c : a->old < b->old ? -1 : a->old > b->old;
}

static int cmp_skipped(const void *pa, const void *pb)
{
	const struct skipped *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);
	return c ? c : strcmp(a->reason, b->reason);
}

/* Images by path; each input's image index follows. */
static void sort_images(struct input_list *l)
{
	struct ranked_image *r = xcalloc(l->n_images ? l->n_images : 1, sizeof *r);
	for (size_t i = 0; i < l->n_images; i++)
		r[i] = (struct ranked_image){ l->images[i], (uint32_t)i };
	qsort(r, l->n_images, sizeof *r, cmp_ranked_image);
	uint32_t *to = xcalloc(l->n_images ? l->n_images : 1, sizeof *to);
	for (size_t i = 0; i < l->n_images; i++) {
		l->images[i] = r[i].im;
		to[r[i].old] = (uint32_t)i;
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].image)
			l->items[i].image = to[l->items[i].image - 1] + 1;
	free(to);
	free(r);
}

uint32_t *input_list_sort(struct input_list *l)
{
	sort_images(l);
	if (l->n_skipped)
		qsort(l->skipped, l->n_skipped, sizeof *l->skipped, cmp_skipped);
	struct ranked *r = xcalloc(l->n ? l->n : 1, sizeof *r);
	for (size_t i = 0; i < l->n; i++)
		r[i] = (struct ranked){ l->items[i], (uint32_t)i };
	qsort(r, l->n, sizeof *r, cmp_ranked);
	uint32_t *perm = xcalloc(l->n ? l->n : 1, sizeof *perm);
	for (size_t i = 0; i < l->n; i++) {
		l->items[i] = r[i].in;
		perm[r[i].old] = (uint32_t)i;
	}
	free(r);
	return perm;
}
