/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* sparse: Velociraptor's range index read with jansson, and the source
 * that lays the stored runs back where they were. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "sparse.h"
#include "strbuf.h"

/* A non-negative integer member of a run, 0 when absent (Velociraptor
 * leaves zeros out). Returns 0, or -1 when it is there and not one. */
static int run_field(json_t *run, const char *name, uint64_t *out)
{
	json_t *v = json_object_get(run, name);
	*out = 0;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int take_run(json_t *o, size_t i, uint64_t stored_size, struct sparse_index *ix,
		    char *err, size_t errsz)
{
	uint64_t file_offset, file_length, original, length;
	if (!json_is_object(o) || run_field(o, "file_offset", &file_offset) ||
	    run_field(o, "file_length", &file_length) || run_field(o, "original_offset", &original) ||
	    run_field(o, "length", &length)) {
		source_set_err(err, errsz, "sparse index: range %zu is not an object of "
			       "non-negative integers", i);
		return -1;
	}
	if (original < ix->size || length > UINT64_MAX - original) {
		source_set_err(err, errsz, "sparse index: range %zu (offset %llu) overlaps the one "
			       "before or runs past 2^64", i, (unsigned long long)original);
		return -1;
	}
	if (file_length && (file_length != length || file_offset > stored_size ||
			    file_length > stored_size - file_offset)) {
		source_set_err(err, errsz, "sparse index: range %zu stores %llu bytes at %llu, "
			       "outside the %llu bytes stored", i, (unsigned long long)file_length,
			       (unsigned long long)file_offset, (unsigned long long)stored_size);
		return -1;
	}
	ix->runs[ix->n++] = (struct sparse_run){ original, length, file_offset, file_length != 0 };
	ix->size = original + length;
	return 0;
}

int sparse_index_parse(const char *json, size_t n, uint64_t stored_size,
		       struct sparse_index *ix, char *err, size_t errsz)
{
	json_error_t jerr;
	memset(ix, 0, sizeof *ix);
	json_t *root = json_loadb(json, n, JSON_REJECT_DUPLICATES, &jerr);
	json_t *list = json_is_object(root) ? json_object_get(root, "ranges") : root;
	if (!json_is_array(list)) {
		source_set_err(err, errsz, "sparse index: %s", root ? "no list of ranges"
			       : jerr.text);
		json_decref(root);
		return -1;
	}
	size_t count = json_array_size(list);
	ix->runs = xcalloc(count ? count : 1, sizeof *ix->runs);
	for (size_t i = 0; i < count; i++)
		if (take_run(json_array_get(list, i), i, stored_size, ix, err, errsz) != 0) {
			json_decref(root);
			return -1;
		}
	json_decref(root);
	return 0;
}

void sparse_index_free(struct sparse_index *ix)
{
	if (ix)
		free(ix->runs);
}

/* ---- the expanded source ---------------------------------------------- */

struct sparse_source {
	struct source s;
	struct source *stored;
	struct sparse_index ix;
};

/* The run holding byte off, or the first after it (a gap between runs
 * reads as a hole too), by binary search. */
static size_t run_at(const struct sparse_index *ix, uint64_t off)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->runs[mid].original + ix->runs[mid].length <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static ssize_t sparse_read(struct source *s, uint64_t off, void *buf, size_t n)
{
	struct sparse_source *sp = (struct sparse_source *)s;
	size_t r = run_at(&sp->ix, off);
	const struct sparse_run *run = r < sp->ix.n ? &sp->ix.runs[r] : NULL;
	if (!run || off < run->original || !run->data) {
		/* a hole: to the next run's start, or this hole's end */
		uint64_t end = !run ? s->size : off < run->original ? run->original
			       : run->original + run->length;
		size_t k = end - off < n ? (size_t)(end - off) : n;
		memset(buf, 0, k);
		return (ssize_t)k;
	}
	uint64_t in = off - run->original, left = run->length - in;
	ssize_t k = source_read(sp->stored, run->stored + in, buf, left < n ? (size_t)left : n);
	if (k <= 0)
		source_set_err(s->err, sizeof s->err, "%s", k < 0 ? sp->stored->err
			       : "the stored member ends before its index says");
	return k > 0 ? k : -1;
}

static uint64_t sparse_spooled(struct source *s)
{
	return source_spooled(((struct sparse_source *)s)->stored);
}

static void sparse_close(struct source *s)
{
	struct sparse_source *sp = (struct sparse_source *)s;
	source_close(sp->stored);
	sparse_index_free(&sp->ix);
	free(sp);
}

struct source *source_sparse(struct source *stored, const struct sparse_index *ix)
{
	struct sparse_source *sp = stored ? calloc(1, sizeof *sp) : NULL;
	if (!sp) {
		source_close(stored);
		return NULL;
	}
	sp->s.read_at = sparse_read;
	sp->s.close = sparse_close;
	sp->s.spooled = sparse_spooled;
	sp->s.size = ix->size;
	sp->stored = stored;
	sp->ix.runs = xmalloc((ix->n ? ix->n : 1) * sizeof *ix->runs);
	memcpy(sp->ix.runs, ix->runs, ix->n * sizeof *ix->runs);
	sp->ix.n = ix->n;
	sp->ix.size = ix->size;
	return &sp->s;
}
