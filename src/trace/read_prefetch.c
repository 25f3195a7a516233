/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* read_prefetch: a Prefetch input in a worker: reopened where it lies
 * (locate/), hashed, read (prefetch.c), its traces found (detect/). */
#include <stdlib.h>
#include "prefetch.h"
#include "rules.h"

int read_prefetch(struct input *in, uint32_t input_index, const struct read_options *opt,
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
	struct prefetch pf;
	int rc = prefetch_read(src, &pf, err, sizeof err);
	if (rc != 0) {
		input_note(in, INPUT_FAILED, "not read: %s", err);
	} else {
		free(in->artifact);
		in->artifact = prefetch_summary(&pf);
		for (size_t i = 0; i < pf.n_last_run; i++)
			input_add_time(in, pf.last_run[i]);
		rc = rules_prefetch(&pf, opt, input_index, sink, ctx) == 0 ? 0 : -1;
		prefetch_free(&pf);
	}
	read_close(in, src, media);
	return rc;
}
