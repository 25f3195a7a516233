/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* read_amcache: an Amcache input in a worker: reopened where it lies,
 * hashed, read (amcache.c), its traces found (detect/). */
#include <stdlib.h>
#include "amcache.h"
#include "rules.h"

int read_amcache(struct input *in, uint32_t input_index, const struct read_options *opt,
                 trace_sink sink, void *ctx)
{
	char err[SOURCE_ERR_MAX * 2];
	struct source *media;
	struct source *src = read_open(in, opt, &media);
	if (!src)
		return -1;
	uint64_t bytes = 0;
	if (source_sha256(src, in->sha256, &bytes) == 0)
		in->size = bytes;
	struct amcache a;
	int rc = amcache_read(src, &a, err, sizeof err);
	if (rc != 0) {
		input_note(in, INPUT_FAILED, "not read: %s", err);
	} else {
		free(in->artifact);
		in->artifact = amcache_summary(&a);
		if (a.cut || a.unreadable)
			input_note(in, INPUT_PARTIAL, "%s", in->artifact);
		for (size_t i = 0; i < a.n; i++)
			input_add_time(in, a.v[i].written);
		rc = rules_amcache(&a, opt, input_index, sink, ctx) == 0 ? 0 : -1;
		amcache_free(&a);
	}
	read_close(in, src, media);
	return rc;
}
