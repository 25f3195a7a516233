/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* diag: see diag.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "escape.h"
#include "strbuf.h"

void diag_path(const char *path, const char *what, const char *reason)
{
	char *p = term_safe(path), *r = term_safe(reason ? reason : "");
	fprintf(stderr, "rmmhunt: %s: %s%s%s\n", p, what, reason ? ": " : "", r);
	free(p);
	free(r);
}

/* One line's tally: status and reason, and how many inputs had it, in
 * the order the lines were first said. Found through an open-addressing
 * table of indexes (a reason may hold numbers and differ for every
 * input: the run must not slow down with their count). */
struct line {
	enum input_status status;
	char *reason;
	uint64_t hash;
	size_t count;
};

struct diag {
	struct line *lines;
	size_t n, cap;
	size_t *slot;          /* index + 1 into lines; 0 empty */
	size_t n_slots;        /* a power of two, at least twice n */
};

struct diag *diag_new(void)
{
	struct diag *d = xcalloc(1, sizeof *d);
	d->n_slots = 64;
	d->slot = xcalloc(d->n_slots, sizeof *d->slot);
	return d;
}

static uint64_t line_hash(enum input_status status, const char *reason)
{
	uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)status;
	for (const unsigned char *p = (const unsigned char *)reason; *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return h;
}

static void grow(struct diag *d)
{
	free(d->slot);
	d->n_slots *= 2;
	d->slot = xcalloc(d->n_slots, sizeof *d->slot);
	for (size_t i = 0; i < d->n; i++) {
		size_t k = d->lines[i].hash & (d->n_slots - 1);
		while (d->slot[k])
			k = (k + 1) & (d->n_slots - 1);
		d->slot[k] = i + 1;
	}
}

/* The tally of (status, reason), new or found. */
static struct line *tally(struct diag *d, enum input_status status, const char *reason)
{
	uint64_t h = line_hash(status, reason);
	size_t k = h & (d->n_slots - 1);
	for (; d->slot[k]; k = (k + 1) & (d->n_slots - 1)) {
		struct line *l = &d->lines[d->slot[k] - 1];
		if (l->hash == h && l->status == status && strcmp(l->reason, reason) == 0)
			return l;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 16;
		d->lines = xrealloc(d->lines, d->cap * sizeof *d->lines);
	}
	d->lines[d->n] = (struct line){ status, xstrdup(reason), h, 0 };
	d->slot[k] = ++d->n;
	struct line *l = &d->lines[d->n - 1];
	if (2 * d->n > d->n_slots)
		grow(d);
	return l;
}

static const char *status_words(enum input_status s)
{
	return s == INPUT_FAILED ? "failed" : "partly read";
}

void diag_input(struct diag *d, const struct input *in)
{
	if (in->status == INPUT_OK)
		return;
	const char *reason = in->reason ? in->reason : "";
	if (++tally(d, in->status, reason)->count <= DIAG_SAME)
		diag_path(input_where(in), status_words(in->status), reason);
}

void diag_finish(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct line *l = &d->lines[i];
		if (l->count > DIAG_SAME) {
			size_t more = l->count - DIAG_SAME;
			char *r = term_safe(l->reason);
			fprintf(stderr, "rmmhunt: ... and %zu more input%s %s: %s\n", more,
				more == 1 ? "" : "s", status_words(l->status), r);
			free(r);
		}
		free(d->lines[i].reason);
	}
	free(d->lines);
	free(d->slot);
	free(d);
}
