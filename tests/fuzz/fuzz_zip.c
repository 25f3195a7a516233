/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: the project's own reading of what collections hold
 * and libarchive does not read: a zip's end records and central
 * directory (zipdir.c, Zip64 too), each entry's local header, and its
 * data through the Deflate64 decoder (inflate64.c); the whole input as
 * one Deflate64 stream, read in pieces of odd sizes; and the input as a
 * Velociraptor range index (sparse.c) over itself, the expanded file
 * read through. No output may exceed what was asked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inflate64.h"
#include "source.h"
#include "sparse.h"
#include "zipdir.h"

#define OUT_MAX (1u << 22)   /* enough to reach every kind of block */

static void drain(struct source *in, size_t step)
{
	static uint8_t buf[8192];
	char err[SOURCE_ERR_MAX];
	struct inflate64 *z = inflate64_new(in);
	uint64_t total = 0;
	ssize_t k;
	if (!z)
		return;
	while (total < OUT_MAX && (k = inflate64_read(z, buf, step, err, sizeof err)) > 0) {
		if ((size_t)k > step)
			abort();
		total += (uint64_t)k;
	}
	if (inflate64_consumed(z) > in->size + 8)
		abort();
	inflate64_free(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[SOURCE_ERR_MAX];
	struct source *mem = source_memory(data, size);
	struct zip_dir d;
	if (!mem)
		return 0;
	if (zip_dir_read(mem, &d, err, sizeof err) == 0) {
		for (size_t i = 0; i < d.n && i < 16; i++) {
			uint64_t off;
			if (zip_entry_data(mem, &d.v[i], &off, err, sizeof err) != 0)
				continue;
			struct source *in = source_range(source_view(mem), off, d.v[i].csize);
			if (in)
				drain(in, 4096);
			source_close(in);
		}
	}
	zip_dir_free(&d);
	struct sparse_index ix;
	if (sparse_index_parse((const char *)data, size, size, &ix, err, sizeof err) == 0) {
		struct source *s = source_sparse(source_view(mem), &ix);
		static uint8_t buf[4096];
		for (uint64_t off = 0; s && off < s->size && off < OUT_MAX;) {
			ssize_t k = source_read(s, off, buf, sizeof buf);
			if (k <= 0)
				abort();   /* every run lies inside the input: reads cannot fail */
			off += (uint64_t)k;
		}
		source_close(s);
	}
	sparse_index_free(&ix);
	drain(mem, size % 61 + 1);
	source_close(mem);
	return 0;
}
