/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* VHDX and VHD images, read by libvhdi: two formats, one library. A
 * differencing disk is refused (its parent holds most of it). libvhdi
 * carries its own old copy of libbfio, so it is opened by file name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "image_formats.h"
#include "image_yal.h"
#include "strbuf.h"
#include "yal_error.h"

#ifdef HAVE_LIBVHDI
#include <libvhdi.h>
#endif

static bool vhdx_in_archive(const uint8_t *h, size_t n)
{
	return n >= 8 && memcmp(h, "vhdxfile", 8) == 0;
}

static enum image_bid vhdx_bid(const uint8_t *h, size_t n, struct source *f, const char *path)
{
	(void)f, (void)path;
	return vhdx_in_archive(h, n) ? BID_YES : BID_NO;
}

/* A dynamic VHD starts with a copy of its footer; a fixed one has it
 * only in its last 512 bytes. */
static enum image_bid vhd_bid(const uint8_t *h, size_t n, struct source *f, const char *path)
{
	(void)path;
	uint8_t foot[8];
	if (n >= 8 && memcmp(h, "conectix", 8) == 0)
		return BID_YES;
	if (f->size >= 1024 && source_read(f, f->size - 512, foot, 8) == 8 &&
	    memcmp(foot, "conectix", 8) == 0)
		return BID_YES;
	return BID_NO;
}

#ifdef HAVE_LIBVHDI
YAL_ERROR_TEXT(libvhdi)

static ssize_t vhdi_read(void *h, void *buf, size_t n, uint64_t off, char *err, size_t errsz)
{
	libvhdi_error_t *e = NULL;
	ssize_t k = libvhdi_file_read_buffer_at_offset(h, buf, n, (off64_t)off, &e);
	if (k < 0)
		libvhdi_err(&e, "libvhdi", err, errsz);
	return k;
}

static void vhdi_close(void *h)
{
	libvhdi_file_t *file = h;
	libvhdi_file_close(file, NULL);
	libvhdi_file_free(&file, NULL);
}

static struct source *vhdi_open(const char *path, char **detail, char *err, size_t errsz)
{
	libvhdi_error_t *e = NULL;
	libvhdi_file_t *f = NULL;
	size64_t size = 0;
	uint32_t type = 0;
	(void)detail;

	if (libvhdi_file_initialize(&f, &e) != 1 ||
	    libvhdi_file_open(f, path, LIBVHDI_OPEN_READ, &e) != 1) {
		libvhdi_err(&e, "libvhdi cannot open it", err, errsz);
		libvhdi_file_free(&f, NULL);
		return NULL;
	}
	if (libvhdi_file_get_disk_type(f, &type, NULL) == 1 &&
	    type == LIBVHDI_DISK_TYPE_DIFFERENTIAL) {
		source_set_err(err, errsz, "a differencing disk: name its parent image instead "
			       "(reading a child without its parent is not supported)");
		vhdi_close(f);
		return NULL;
	}
	if (libvhdi_file_get_media_size(f, &size, &e) != 1) {
		libvhdi_err(&e, "libvhdi cannot tell the media size", err, errsz);
		vhdi_close(f);
		return NULL;
	}
	return yal_source(f, size, vhdi_read, vhdi_close);
}
#else
static struct source *vhdi_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)path, (void)detail;
	return BUILT_WITHOUT("libvhdi");
}
#endif

#ifdef HAVE_LIBVHDI
static const char *version(void)
{
	return libvhdi_get_version();
}
#endif

const struct image_format image_vhdx = {
	.name = "VHDX", .extension = "vhdx", .bid = vhdx_bid, .open = vhdi_open,
	.in_archive = vhdx_in_archive,
	.library = "libvhdi", .serves = "VHD and VHDX images",
#ifdef HAVE_LIBVHDI
	.built = true, .version = version,
#endif
};

const struct image_format image_vhd = {
	.name = "VHD", .extension = "vhd", .bid = vhd_bid, .open = vhdi_open,
	.library = "libvhdi", .serves = "VHD and VHDX images",
#ifdef HAVE_LIBVHDI
	.built = true, .version = version,
#endif
};
