/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* VMDK images, read by libvmdk: a bid on a descriptor or a sparse
 * extent, and the media as a source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "image_formats.h"
#include "image_yal.h"
#include "le.h"
#include "strbuf.h"
#include "yal_error.h"

#ifdef HAVE_LIBVMDK
#include <libvmdk.h>
#endif

/* A sparse extent ("KDMV") holds its descriptor when it is a whole
 * (monolithic) disk; one without is an extent of a disk described
 * elsewhere. Some writers (qemu-img's twoGbMaxExtentSparse) leave room
 * for a descriptor in every extent and fill it in none: the room is
 * read, and only a descriptor in it makes the extent a disk. A
 * descriptor file is text. */
static const char vmdk_desc[] = "# Disk DescriptorFile";

static bool holds_descriptor(struct source *f, uint64_t sector)
{
	char buf[sizeof vmdk_desc - 1];
	return sector && sector < f->size / 512 &&
	       source_read(f, sector * 512, buf, sizeof buf) == (ssize_t)sizeof buf &&
	       memcmp(buf, vmdk_desc, sizeof buf) == 0;
}

static enum image_bid vmdk_bid(const uint8_t *h, size_t n, struct source *f, const char *path)
{
	(void)path;
	if (n >= sizeof vmdk_desc - 1 && memcmp(h, vmdk_desc, sizeof vmdk_desc - 1) == 0)
		return BID_YES;
	if (n >= 44 && memcmp(h, "KDMV", 4) == 0)
		return holds_descriptor(f, le64(h + 28)) ? BID_YES : BID_PART;
	if (n >= 4 && memcmp(h, "COWD", 4) == 0)
		return BID_YES;
	return BID_NO;
}

/* A descriptor, or a sparse extent (which the spooled copy's own
 * folder must then hold whole). */
static bool vmdk_in_archive(const uint8_t *h, size_t n)
{
	return (n >= 4 && memcmp(h, "KDMV", 4) == 0) ||
	       (n >= sizeof vmdk_desc - 1 && memcmp(h, vmdk_desc, sizeof vmdk_desc - 1) == 0);
}

#ifdef HAVE_LIBVMDK
YAL_ERROR_TEXT(libvmdk)

static ssize_t vmdk_read(void *h, void *buf, size_t n, uint64_t off, char *err, size_t errsz)
{
	libvmdk_error_t *e = NULL;
	ssize_t k = libvmdk_handle_read_buffer_at_offset(h, buf, n, (off64_t)off, &e);
	if (k < 0)
		libvmdk_err(&e, "libvmdk", err, errsz);
	return k;
}

static void vmdk_close(void *h)
{
	libvmdk_handle_t *handle = h;
	libvmdk_handle_close(handle, NULL);
	libvmdk_handle_free(&handle, NULL);
}

/* Whether every extent the descriptor names is a plain file name beside
 * it. libvmdk 20200926 joins a name with a directory part to the
 * descriptor's folder past the end of its buffer (a heap overflow), and
 * such a name may lead out of the evidence folder besides: refused here,
 * before libvmdk opens anything. 0, or -1 with err naming the extent. */
static int vmdk_extents_plain(libvmdk_handle_t *h, char *err, size_t errsz)
{
	int n = 0;
	if (libvmdk_handle_get_number_of_extents(h, &n, NULL) != 1) {
		snprintf(err, errsz, "libvmdk cannot tell its extents");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		libvmdk_extent_descriptor_t *d = NULL;
		size_t size = 0;
		uint8_t name[1024];
		int ok = libvmdk_handle_get_extent_descriptor(h, i, &d, NULL) == 1 &&
			 libvmdk_extent_descriptor_get_utf8_filename_size(d, &size, NULL) == 1 &&
			 size > 0 && size <= sizeof name &&
			 libvmdk_extent_descriptor_get_utf8_filename(d, name, size, NULL) == 1;
		libvmdk_extent_descriptor_free(&d, NULL);
		if (!ok) {
			snprintf(err, errsz, "extent %d of the descriptor: its file name cannot be "
				 "read (or is over %zu bytes)", i + 1, sizeof name - 1);
			return -1;
		}
		name[size - 1] = '\0';
		if (strchr((char *)name, '/') || strchr((char *)name, '\\') || !name[0] ||
		    strcmp((char *)name, "..") == 0 || strcmp((char *)name, ".") == 0) {
			/* the name as given: every output escapes it */
			snprintf(err, errsz, "extent %d of the descriptor is named \"%.200s\": "
				 "an extent file is named alone, beside its descriptor; not opened",
				 i + 1, (char *)name);
			return -1;
		}
	}
	return 0;
}

static struct source *vmdk_open(const char *path, char **detail, char *err, size_t errsz)
{
	libvmdk_error_t *e = NULL;
	libvmdk_handle_t *h = NULL;
	size64_t size = 0;
	(void)detail;

	if (libvmdk_handle_initialize(&h, &e) != 1 ||
	    libvmdk_handle_open(h, path, LIBVMDK_OPEN_READ, &e) != 1) {
		libvmdk_err(&e, "libvmdk cannot open it", err, errsz);
		libvmdk_handle_free(&h, NULL);
		return NULL;
	}
	if (vmdk_extents_plain(h, err, errsz) != 0) {
		vmdk_close(h);
		return NULL;
	}
	if (libvmdk_handle_open_extent_data_files(h, &e) != 1) {
		libvmdk_err(&e, "cannot open its extent files", err, errsz);
		vmdk_close(h);
		return NULL;
	}
	if (libvmdk_handle_get_media_size(h, &size, &e) != 1) {
		libvmdk_err(&e, "libvmdk cannot tell the media size", err, errsz);
		vmdk_close(h);
		return NULL;
	}
	return yal_source(h, size, vmdk_read, vmdk_close);
}
#else
static struct source *vmdk_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)path, (void)detail;
	return BUILT_WITHOUT("libvmdk");
}
#endif

#ifdef HAVE_LIBVMDK
static const char *version(void)
{
	return libvmdk_get_version();
}
#endif

const struct image_format image_vmdk = {
	.name = "VMDK", .extension = "vmdk", .bid = vmdk_bid, .open = vmdk_open,
	.in_archive = vmdk_in_archive,
	.library = "libvmdk", .serves = "VMDK images",
#ifdef HAVE_LIBVMDK
	.built = true, .version = version,
#endif
};
