/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* An image format that only the test suite has (tests/format-table.test):
 * a 512-byte header, "RMMHUNT-TEST-IMAGE" and the media's size (64 bits,
 * little-endian, at 32), then the media. It is here to show what a new
 * image format costs: this one file and one row of the table
 * (image_table.c beside it). Discovery, reopening in the workers, the
 * locators' labels, archives that hold one and the reports take the
 * rest from the row. */
#include <string.h>
#include "image_formats.h"
#include "le.h"

static const char magic[] = "RMMHUNT-TEST-IMAGE";
#define HEADER 512

static bool test_in_archive(const uint8_t *h, size_t n)
{
	return n >= sizeof magic && memcmp(h, magic, sizeof magic) == 0;
}

static enum image_bid test_bid(const uint8_t *h, size_t n, struct source *file,
			       const char *path)
{
	(void)path;
	return test_in_archive(h, n) && n >= 40 && file->size >= HEADER + le64(h + 32)
	       ? BID_YES : BID_NO;
}

static struct source *test_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)detail;
	uint8_t h[40];
	struct source *file = source_file_open(path, err, errsz);
	if (!file)
		return NULL;
	if (source_read(file, 0, h, sizeof h) != (ssize_t)sizeof h) {
		source_set_err(err, errsz, "test image: header cut short");
		source_close(file);
		return NULL;
	}
	struct source *media = source_range(file, HEADER, le64(h + 32));
	if (!media)
		source_set_err(err, errsz, "out of memory");
	return media;
}

const struct image_format image_test = {
	.name = "test image", .extension = "rmmtest", .bid = test_bid, .open = test_open,
	.in_archive = test_in_archive,
};
