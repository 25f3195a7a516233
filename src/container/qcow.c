/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* QCOW2 images, read by libqcow; an encrypted one is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "image_formats.h"
#include "image_yal.h"
#include "strbuf.h"
#include "yal_error.h"

#ifdef HAVE_LIBQCOW
#include <libqcow.h>
#endif

static bool qcow_in_archive(const uint8_t *h, size_t n)
{
	return n >= 4 && memcmp(h, "QFI\xfb", 4) == 0;
}

static enum image_bid qcow_bid(const uint8_t *h, size_t n, struct source *f, const char *path)
{
	(void)f, (void)path;
	return qcow_in_archive(h, n) ? BID_YES : BID_NO;
}

#ifdef HAVE_LIBQCOW
YAL_ERROR_TEXT(libqcow)

static ssize_t qcow_read(void *h, void *buf, size_t n, uint64_t off, char *err, size_t errsz)
{
	libqcow_error_t *e = NULL;
	ssize_t k = libqcow_file_read_buffer_at_offset(h, buf, n, (off64_t)off, &e);
	if (k < 0)
		libqcow_err(&e, "libqcow", err, errsz);
	return k;
}

static void qcow_close(void *h)
{
	libqcow_file_t *file = h;
	libqcow_file_close(file, NULL);
	libqcow_file_free(&file, NULL);
}

static struct source *qcow_open(const char *path, char **detail, char *err, size_t errsz)
{
	libqcow_error_t *e = NULL;
	libqcow_file_t *f = NULL;
	size64_t size = 0;
	uint32_t method = 0;
	(void)detail;

	if (libqcow_file_initialize(&f, &e) != 1 ||
	    libqcow_file_open(f, path, LIBQCOW_OPEN_READ, &e) != 1) {
		libqcow_err(&e, "libqcow cannot open it", err, errsz);
		libqcow_file_free(&f, NULL);
		return NULL;
	}
	if (libqcow_file_get_encryption_method(f, &method, NULL) == 1 && method != 0) {
		source_set_err(err, errsz, "encrypted QCOW image: cannot be read without its key");
		qcow_close(f);
		return NULL;
	}
	if (libqcow_file_get_media_size(f, &size, &e) != 1) {
		libqcow_err(&e, "libqcow cannot tell the media size", err, errsz);
		qcow_close(f);
		return NULL;
	}
	return yal_source(f, size, qcow_read, qcow_close);
}
#else
static struct source *qcow_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)path, (void)detail;
	return BUILT_WITHOUT("libqcow");
}
#endif

#ifdef HAVE_LIBQCOW
static const char *version(void)
{
	return libqcow_get_version();
}
#endif

const struct image_format image_qcow = {
	.name = "QCOW2", .extension = "qcow2", .bid = qcow_bid, .open = qcow_open,
	.in_archive = qcow_in_archive,
	.library = "libqcow", .serves = "QCOW2 images",
#ifdef HAVE_LIBQCOW
	.built = true, .version = version,
#endif
};
