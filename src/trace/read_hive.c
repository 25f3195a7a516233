/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* read_hive: a registry hive input in a worker: reopened where it lies,
 * hashed, read (hive.c), its traces found (detect/). */
#include <stdlib.h>
#include "hive.h"
#include "rules.h"

int read_hive(struct input *in, uint32_t input_index, const struct read_options *opt,
              trace_sink sink, void *ctx)
{
	char err[SOURCE_ERR_MAX * 2];
	const char *kind = NULL;
	const char *name = in->loc.n ? in->loc.steps[in->loc.n - 1].name : NULL;
	static const uint8_t sig[4] = { 'r', 'e', 'g', 'f' };
	hive_bid(sig, sizeof sig, name ? name : in->path, &kind);
	struct source *media;
	struct source *src = read_open(in, opt, &media);
	if (!src)
		return -1;
	uint64_t bytes = 0;
	if (source_sha256(src, in->sha256, &bytes) == 0)
		in->size = bytes;
	struct hive h;
	int rc = hive_read(src, kind ? kind : "NTUSER.DAT", &h, err, sizeof err);
	if (rc != 0) {
		input_note(in, INPUT_FAILED, "not read: %s", err);
	} else {
		free(in->artifact);
		in->artifact = hive_summary(&h);
		if (h.cut)
			input_note(in, INPUT_PARTIAL, "%s", in->artifact);
		rc = rules_hive(&h, opt, input_index, sink, ctx) == 0 ? 0 : -1;
		hive_free(&h);
	}
	read_close(in, src, media);
	return rc;
}
