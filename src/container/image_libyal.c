/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* image: the formats libyal's libraries read (E01 with libewf, VMDK with
 * libvmdk, VHD and VHDX with libvhdi, QCOW2 with libqcow), each behind
 * one adapter: a handle, its read-at-offset and its close.
 *
 * libewf and libvhdi carry their own old copies of libbfio, so they are
 * opened by file name, never handed a libbfio handle
 * (../shared/docs/evidence-formats.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "image_formats.h"
#include "le.h"
#include "strbuf.h"
#include "yal_error.h"

#ifdef HAVE_LIBEWF
#include <libewf.h>
#endif
#ifdef HAVE_LIBVMDK
#include <libvmdk.h>
#endif
#ifdef HAVE_LIBVHDI
#include <libvhdi.h>
#endif
#ifdef HAVE_LIBQCOW
#include <libqcow.h>
#endif

const char *image_library_version(enum image_format f)
{
	switch (f) {
#ifdef HAVE_LIBEWF
	case IMAGE_EWF: return libewf_get_version();
#endif
#ifdef HAVE_LIBVMDK
	case IMAGE_VMDK: return libvmdk_get_version();
#endif
#ifdef HAVE_LIBVHDI
	case IMAGE_VHD: case IMAGE_VHDX: return libvhdi_get_version();
#endif
#ifdef HAVE_LIBQCOW
	case IMAGE_QCOW: return libqcow_get_version();
#endif
	default: return NULL;
	}
}

/* ---- bids ------------------------------------------------------------ */

/* EWF-E01: "EVF\x09\x0d\x0a\xff\x00", then the segment number at 9. */
enum image_bid ewf_bid(const uint8_t *h, size_t n, struct source *f, const char *path)
{
	(void)f, (void)path;
	if (n < 13 || memcmp(h, "EVF\x09\x0d\x0a\xff\x00", 8) != 0)
		return BID_NO;
	return (h[9] | h[10] << 8) == 1 ? BID_YES : BID_PART;
}

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

enum image_bid vmdk_bid(const uint8_t *h, size_t n, struct source *f, const char *path)
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

enum image_bid vhdx_bid(const uint8_t *h, size_t n, struct source *f, const char *path)
{
	(void)f, (void)path;
	return n >= 8 && memcmp(h, "vhdxfile", 8) == 0 ? BID_YES : BID_NO;
}

/* A dynamic VHD starts with a copy of its footer; a fixed one has it
 * only in its last 512 bytes. */
enum image_bid vhd_bid(const uint8_t *h, size_t n, struct source *f, const char *path)
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

enum image_bid qcow_bid(const uint8_t *h, size_t n, struct source *f, const char *path)
{
	(void)f, (void)path;
	return n >= 4 && memcmp(h, "QFI\xfb", 4) == 0 ? BID_YES : BID_NO;
}

/* ---- one adapter for every libyal handle ------------------------------ */

/* Unused (and so left out) when every image library is configured out. */
#if defined(HAVE_LIBEWF) || defined(HAVE_LIBVMDK) || defined(HAVE_LIBVHDI) || \
	defined(HAVE_LIBQCOW)

typedef ssize_t (*yal_read_fn)(void *handle, void *buf, size_t n, uint64_t off,
			       char *err, size_t errsz);
typedef void (*yal_close_fn)(void *handle);

struct yal_source {
	struct source s;
	void *handle;
	yal_read_fn read;
	yal_close_fn close;
};

static ssize_t yal_read_at(struct source *s, uint64_t off, void *buf, size_t n)
{
	struct yal_source *y = (struct yal_source *)s;
	ssize_t k = y->read(y->handle, buf, n, off, s->err, sizeof s->err);
	if (k == 0)
		snprintf(s->err, sizeof s->err, "no data at media offset %llu",
			 (unsigned long long)off);
	return k > 0 ? k : -1;
}

static void yal_close(struct source *s)
{
	struct yal_source *y = (struct yal_source *)s;
	y->close(y->handle);
	free(y);
}

static struct source *yal_source(void *handle, uint64_t size, yal_read_fn rd,
				 yal_close_fn cl)
{
	struct yal_source *y = xcalloc(1, sizeof *y);
	y->s.read_at = yal_read_at;
	y->s.close = yal_close;
	y->s.size = size;
	y->handle = handle;
	y->read = rd;
	y->close = cl;
	return &y->s;
}

#endif

#define BUILT_WITHOUT(lib) \
	source_set_err(err, errsz, "this rmmhunt was built without " lib), NULL

/* ---- E01: libewf ------------------------------------------------------ */

#ifdef HAVE_LIBEWF
YAL_ERROR_TEXT(libewf)

static ssize_t ewf_read(void *h, void *buf, size_t n, uint64_t off, char *err, size_t errsz)
{
	libewf_error_t *e = NULL;
	ssize_t k = libewf_handle_read_random(h, buf, n, (off64_t)off, &e);
	if (k < 0)
		libewf_err(&e, "libewf", err, errsz);
	return k;
}

static void ewf_close(void *h)
{
	libewf_handle_t *handle = h;
	libewf_handle_close(handle, NULL);
	libewf_handle_free(&handle, NULL);
}

/* libewf hands over a chunk whose checksum fails as zeros, and counts it. */
static uint64_t ewf_damage(struct source *s, char *out, size_t outsz)
{
	uint32_t n = 0;
	if (libewf_handle_get_number_of_checksum_errors(((struct yal_source *)s)->handle, &n,
							 NULL) != 1 || n == 0)
		return 0;
	source_set_err(out, outsz, "%u chunk%s failed %s checksum and read as zeros", n,
		       n == 1 ? "" : "s", n == 1 ? "its" : "their");
	return n;
}

/* The acquisition hashes the image stores, "md5=... sha1=...", or NULL. */
static char *ewf_stored_hashes(libewf_handle_t *h)
{
	struct strbuf sb = { 0 };
	uint8_t v[128];
	if (libewf_handle_get_utf8_hash_value_md5(h, v, sizeof v, NULL) == 1)
		sb_printf(&sb, "md5=%s", (char *)v);
	if (libewf_handle_get_utf8_hash_value_sha1(h, v, sizeof v, NULL) == 1)
		sb_printf(&sb, "%ssha1=%s", sb.len ? " " : "", (char *)v);
	return sb.len ? sb_take(&sb) : NULL;
}

struct source *ewf_open(const char *path, char **detail, char *err, size_t errsz)
{
	libewf_error_t *e = NULL;
	libewf_handle_t *h = NULL;
	char **names = NULL;
	int n = 0;
	size64_t size = 0;

	if (libewf_glob(path, strlen(path), LIBEWF_FORMAT_UNKNOWN, &names, &n, &e) != 1) {
		libewf_err(&e, "cannot find the segment files", err, errsz);
		return NULL;
	}
	if (libewf_handle_initialize(&h, &e) != 1 ||
	    libewf_handle_open(h, names, n, LIBEWF_OPEN_READ, &e) != 1) {
		libewf_err(&e, "libewf cannot open it", err, errsz);
		libewf_handle_free(&h, NULL);
		libewf_glob_free(names, n, NULL);
		return NULL;
	}
	libewf_glob_free(names, n, NULL);
	if (libewf_handle_get_media_size(h, &size, &e) != 1) {
		libewf_err(&e, "libewf cannot tell the media size", err, errsz);
		ewf_close(h);
		return NULL;
	}
	if (libewf_handle_segment_files_corrupted(h, NULL) == 1) {
		source_set_err(err, errsz, "segment files are damaged or missing");
		ewf_close(h);
		return NULL;
	}
	if (detail)
		*detail = ewf_stored_hashes(h);
	struct source *src = yal_source(h, size, ewf_read, ewf_close);
	src->damage = ewf_damage;
	return src;
}
#else
struct source *ewf_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)path, (void)detail;
	return BUILT_WITHOUT("libewf");
}
#endif

/* ---- VMDK: libvmdk ---------------------------------------------------- */

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

struct source *vmdk_open(const char *path, char **detail, char *err, size_t errsz)
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
struct source *vmdk_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)path, (void)detail;
	return BUILT_WITHOUT("libvmdk");
}
#endif

/* ---- VHD, VHDX: libvhdi ----------------------------------------------- */

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

struct source *vhdi_open(const char *path, char **detail, char *err, size_t errsz)
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
struct source *vhdi_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)path, (void)detail;
	return BUILT_WITHOUT("libvhdi");
}
#endif

/* ---- QCOW2: libqcow --------------------------------------------------- */

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

struct source *qcow_open(const char *path, char **detail, char *err, size_t errsz)
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
struct source *qcow_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)path, (void)detail;
	return BUILT_WITHOUT("libqcow");
}
#endif
