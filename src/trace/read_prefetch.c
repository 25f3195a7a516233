/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Prefetch's row of ARTIFACT_KINDS (artifact.h). */
#include <stdlib.h>
#include "artifact.h"
#include "prefetch.h"
#include "strbuf.h"

static void *pf_read(struct source *src, const struct input *in, char *err, size_t errsz)
{
	(void)in;
	struct prefetch *pf = xmalloc(sizeof *pf);
	if (prefetch_read(src, pf, err, errsz) != 0) {
		free(pf);
		return NULL;
	}
	return pf;
}

static char *pf_summary(const void *s) { return prefetch_summary(s); }
static bool pf_partial(const void *s) { (void)s; return false; }

static void pf_times(const void *s, struct input *in)
{
	const struct prefetch *pf = s;
	for (size_t i = 0; i < pf->n_last_run; i++)
		input_add_time(in, pf->last_run[i]);
}

static void pf_free(void *s)
{
	prefetch_free(s);
	free(s);
}

const struct artifact_kind prefetch_kind = {
	INPUT_PREFETCH, pf_read, pf_summary, pf_partial, pf_times, NULL, pf_free,
};
