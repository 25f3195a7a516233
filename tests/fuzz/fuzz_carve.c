/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: the input as an image's bytes through carve_source:
 * every chunk it hands on must be one whose CRCs hold, at a sector
 * boundary inside the input, with records inside the chunk. */
#include <stdint.h>
#include <stdlib.h>

#include "carve.h"
#include "rule.h"
#include "rules.h"

struct ctx {
	const uint8_t *data;
	size_t size;
};

static int on_chunk(void *p, const struct scan_chunk *c)
{
	const struct ctx *x = p;
	if (c->file_offset % 512 || c->file_offset + SCAN_CHUNK_SIZE > x->size ||
	    !carve_chunk_valid(c->data) || c->n_candidates > c->n_records)
		abort();
	for (size_t i = 0; i < c->n_records; i++)
		if ((uint64_t)c->records[i].offset + c->records[i].size > SCAN_CHUNK_SIZE)
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct carve_result res;
	struct ctx x = { data, size };
	struct source *s = source_memory(data, size);
	if (!s)
		abort();
	if (carve_source(s, rules_matcher(false, false), &res, on_chunk, &x) != 0 || res.bytes != size)
		abort();
	source_close(s);
	return 0;
}
