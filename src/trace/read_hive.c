/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The registry hives' row of ARTIFACT_KINDS (artifact.h). Which hive an
 * input is comes from its name (bid.c), as it was found. */
#include <stdlib.h>
#include "artifact.h"
#include "hive.h"
#include "strbuf.h"

static void *hv_read(struct source *src, const struct input *in, char *err, size_t errsz)
{
	static const uint8_t sig[4] = { 'r', 'e', 'g', 'f' };
	const char *name = in->loc.n ? in->loc.steps[in->loc.n - 1].name : NULL;
	const char *kind = "NTUSER.DAT";
	hive_bid(sig, sizeof sig, name ? name : in->path, &kind);
	struct hive *h = xmalloc(sizeof *h);
	if (hive_read(src, kind, h, err, errsz) != 0) {
		free(h);
		return NULL;
	}
	return h;
}

static char *hv_summary(const void *s) { return hive_summary(s); }

static bool hv_partial(const void *s)
{
	const struct hive *h = s;
	return h->cut;
}

static void hv_times(const void *s, struct input *in)
{
	const struct hive *h = s;
	for (size_t i = 0; i < h->n; i++)
		input_add_time(in, h->v[i].written);
}

static void hv_hosts(const void *s, struct input *in)
{
	const struct hive *h = s;
	if (h->computer)
		input_add_computer(in, h->computer);
}

static void hv_free(void *s)
{
	hive_free(s);
	free(s);
}

const struct artifact_kind hive_kind = {
	INPUT_HIVE, hv_read, hv_summary, hv_partial, hv_times, hv_hosts, hv_free,
};
