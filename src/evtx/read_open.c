/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* read_open, read_close (reader.h): every evidence kind's reader opens
 * its input where it lies and closes it this way. Apart from reader.c,
 * which a test replaces whole (tests/test_worker.c). */
#include "locator.h"
#include "reader.h"
#include "source.h"

struct source *read_open(struct input *in, const struct read_options *opt,
			 struct source **media)
{
	char err[SOURCE_ERR_MAX * 2];
	*media = NULL;
	struct source *src = locator_open(&in->loc, media, opt->aopt, err, sizeof err);
	if (!src)
		input_note(in, INPUT_FAILED, "cannot read: %s", err);
	return src;
}

void read_close(struct input *in, struct source *src, struct source *media)
{
	if (media && !locator_is_plain_file(&in->loc))
		in->media_read = media->bytes_read;
	char what[SOURCE_ERR_MAX];
	if (media && media->damage && media->damage(media, what, sizeof what))
		input_note(in, INPUT_PARTIAL, "%s", what);
	in->spooled = source_spooled(src);
	source_close(src);
}
