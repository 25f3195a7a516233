/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* E01 (Expert Witness Format) images, read by libewf: a bid on the
 * segment's signature, the media as a source, the acquisition hashes
 * the image stores (for --verify-image). libewf carries its own old
 * copy of libbfio, so it is opened by file name, never handed a libbfio
 * handle (../shared/docs/evidence-formats.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "image_formats.h"
#include "image_yal.h"
#include "strbuf.h"
#include "yal_error.h"

#ifdef HAVE_LIBEWF
#include <libewf.h>
#endif

/* EWF-E01: "EVF\x09\x0d\x0a\xff\x00", then the segment number at 9. */
static const char ewf_magic[8] = "EVF\x09\x0d\x0a\xff\x00";

static enum image_bid ewf_bid(const uint8_t *h, size_t n, struct source *f, const char *path)
{
	(void)f, (void)path;
	if (n < 13 || memcmp(h, ewf_magic, sizeof ewf_magic) != 0)
		return BID_NO;
	return (h[9] | h[10] << 8) == 1 ? BID_YES : BID_PART;
}

static bool ewf_in_archive(const uint8_t *h, size_t n)
{
	return n >= sizeof ewf_magic && memcmp(h, ewf_magic, sizeof ewf_magic) == 0;
}

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

static struct source *ewf_open(const char *path, char **detail, char *err, size_t errsz)
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
static struct source *ewf_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)path, (void)detail;
	return BUILT_WITHOUT("libewf");
}
#endif

#ifdef HAVE_LIBEWF
static const char *version(void)
{
	return libewf_get_version();
}
#endif

const struct image_format image_ewf = {
	.name = "E01", .extension = "E01", .bid = ewf_bid, .open = ewf_open,
	.in_archive = ewf_in_archive,
	.library = "libewf", .serves = "E01 images",
#ifdef HAVE_LIBEWF
	.built = true, .version = version,
#endif
};
