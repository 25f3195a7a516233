/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* NetSupport's files' row of ARTIFACT_KINDS (artifact.h). */
#include <stdlib.h>
#include "artifact.h"
#include "file.h"
#include "strbuf.h"

static void *fl_read(struct source *src, const struct input *in, char *err, size_t errsz)
{
	(void)err;
	(void)errsz;
	struct file_facts *f = xmalloc(sizeof *f);
	file_read(src, in, f);
	return f;
}

static char *fl_summary(const void *s) { return file_summary(s); }
static bool fl_partial(const void *s) { (void)s; return false; }

static void fl_times(const void *s, struct input *in)
{
	const struct file_facts *f = s;
	for (int i = 0; f->has_meta && i < META_TIMES; i++)
		if (i != META_ACCESSED) {
			input_add_time(in, f->meta.si[i]);
			input_add_time(in, f->meta.fn[i]);
		}
}

static void fl_free(void *s)
{
	file_free(s);
	free(s);
}

const struct artifact_kind file_kind = {
	INPUT_FILE, fl_read, fl_summary, fl_partial, fl_times, NULL, fl_free,
};
