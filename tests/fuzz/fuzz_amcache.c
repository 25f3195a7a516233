/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: a hostile registry hive from memory through
 * libregf's readings (amcache_read: the libbfio bridge, both layouts,
 * the values each entry is read for; hive_read as NTUSER.DAT and as
 * SYSTEM: Run keys, services) and the NetSupport trace rules over them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "amcache.h"
#include "hive.h"
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
	static const char *const kinds[] = { "NTUSER.DAT", "SYSTEM" };
	for (size_t k = 0; k < 2; k++) {
		struct hive h;
		if (hive_read(src, kinds[k], &h, err, sizeof err) == 0) {
			free(hive_summary(&h));
			rules_hive(&h, &opt, 0, sink, NULL);
			hive_free(&h);
		}
	}
	source_close(src);
	return 0;
}
