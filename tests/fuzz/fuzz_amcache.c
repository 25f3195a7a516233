/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: a hostile Amcache hive from memory through
 * libregf's reading (amcache_read: the libbfio bridge, both layouts, the
 * values each entry is read for) and the NetSupport trace rule over it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "amcache.h"
#include "rules.h"
#include "source.h"

static int sink(void *ctx, struct trace *t)
{
	(void)ctx;
	if (!t->kind || !t->executable || !t->detail)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[SOURCE_ERR_MAX];
	struct source *src = source_memory(data, size);
	struct amcache a;
	struct read_options opt = { 0 };
	if (!src)
		return 0;
	if (amcache_read(src, &a, err, sizeof err) == 0) {
		free(amcache_summary(&a));
		rules_amcache(&a, &opt, 0, sink, NULL);
		amcache_free(&a);
	} else if (!memchr(err, '\0', sizeof err)) {
		abort();
	}
	source_close(src);
	return 0;
}
