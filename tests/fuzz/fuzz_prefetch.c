/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: a hostile Prefetch file from memory through
 * libscca's reading (prefetch_read: the libbfio bridge, every file name
 * and volume) and the NetSupport trace rule over what it read; the
 * summary line too. Every string the rule hands on must be NUL-ended
 * and within what was read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prefetch.h"
#include "rules.h"
#include "source.h"

static int sink(void *ctx, struct trace *t)
{
	(void)ctx;
	if (!t->kind || !t->executable || strlen(t->detail ? t->detail : "") > (1u << 24))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[SOURCE_ERR_MAX];
	struct source *src = source_memory(data, size);
	struct prefetch pf;
	struct read_options opt = { 0 };
	if (!src)
		return 0;
	(void)prefetch_bid(data, size);
	if (prefetch_read(src, &pf, err, sizeof err) == 0) {
		free(prefetch_summary(&pf));
		rules_prefetch(&pf, &opt, 0, sink, NULL);
		prefetch_free(&pf);
	} else if (!memchr(err, '\0', sizeof err)) {
		abort();
	}
	source_close(src);
	return 0;
}
