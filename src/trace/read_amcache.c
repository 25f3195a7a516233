/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Amcache's row of ARTIFACT_KINDS (artifact.h). */
#include <stdlib.h>
#include "amcache.h"
#include "artifact.h"
#include "strbuf.h"

static void *am_read(struct source *src, const struct input *in, char *err, size_t errsz)
{
	(void)in;
	struct amcache *a = xmalloc(sizeof *a);
	if (amcache_read(src, a, err, errsz) != 0) {
		free(a);
		return NULL;
	}
	return a;
}

static char *am_summary(const void *s) { return amcache_summary(s); }

static bool am_partial(const void *s)
{
	const struct amcache *a = s;
	return a->cut || a->unreadable;
}

static void am_times(const void *s, struct input *in)
{
	const struct amcache *a = s;
	for (size_t i = 0; i < a->n; i++)
		input_add_time(in, a->v[i].written);
}

static void am_free(void *s)
{
	amcache_free(s);
	free(s);
}

const struct artifact_kind amcache_kind = {
	INPUT_AMCACHE, am_read, am_summary, am_partial, am_times, NULL, am_free,
};
