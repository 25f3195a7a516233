/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The one adapter every libyal image format reads through (image_yal.h). */
#include <stdio.h>
#include <stdlib.h>
#include "image_yal.h"
#include "strbuf.h"

static ssize_t yal_read_at(struct source *s, uint64_t off, void *buf, size_t n)
{
	struct yal_source *y = (struct yal_source *)s;
	ssize_t k = y->read(y->handle, buf, n, off, s->err, sizeof s->err);
	if (k == 0)
		snprintf(s->err, sizeof s->err, "no data at media offset %llu",
			 (unsigned long long)off);
	return k > 0 ? k : -1;
}

static void yal_close(struct source *s)
{
	struct yal_source *y = (struct yal_source *)s;
	y->close(y->handle);
	free(y);
}

struct source *yal_source(void *handle, uint64_t size, yal_read_fn rd, yal_close_fn cl)
{
	struct yal_source *y = xcalloc(1, sizeof *y);
	y->s.read_at = yal_read_at;
	y->s.close = yal_close;
	y->s.size = size;
	y->handle = handle;
	y->read = rd;
	y->close = cl;
	return &y->s;
}
