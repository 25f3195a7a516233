/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scan: one chunk through libevtx, as a file of its own (scan.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libbfio.h>
#include <libevtx.h>

#include "le.h"
#include "scan_private.h"

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

/* ---- one chunk through libevtx ------------------------------------ */

void chunk_image_build(uint8_t *image, const uint8_t *chunk)
{
	memset(image, 0, SCAN_FILE_HEADER_SIZE);
	memcpy(image, file_sig, 8);
	put64(image + 8, 0);                  /* first chunk number */
	put64(image + 16, 0);                 /* last chunk number */
	uint64_t next_id = 1;
	if (memcmp(chunk, chunk_sig, 8) == 0)
		next_id = le64(chunk + 32) + 1;   /* last record id + 1 */
	put64(image + 24, next_id);
	put32(image + 32, 128);               /* header size */
	put16(image + 36, 1);                 /* minor version */
	put16(image + 38, 3);                 /* major version */
	put16(image + 40, SCAN_FILE_HEADER_SIZE);
	put16(image + 42, 1);                 /* number of chunks */
	put32(image + 120, 0);                /* flags: clean */
	put32(image + 124, scan_crc32(0, image, 120));
	memcpy(image + SCAN_FILE_HEADER_SIZE, chunk, SCAN_CHUNK_SIZE);
}

static void lib_err(libevtx_error_t **e, const char *what, char *err, size_t errsz)
{
	if (err && errsz) {
		char msg[256] = "";
		if (e && *e)
			libevtx_error_sprint(*e, msg, sizeof msg);
		snprintf(err, errsz, "%s%s%s", what, *msg ? ": " : "", msg);
	}
	if (e && *e)
		libevtx_error_free(e);
}

int chunk_open_libevtx(const uint8_t *chunk, size_t size, libevtx_file_t **file,
                       libbfio_handle_t **bfio, uint8_t **image, char *err, size_t errsz)
{
	libevtx_error_t *e = NULL;
	libbfio_error_t *be = NULL;

	*file = NULL;
	*bfio = NULL;
	*image = NULL;
	if (!chunk || size != SCAN_CHUNK_SIZE) {
		if (err && errsz)
			snprintf(err, errsz, "a chunk is %u bytes, not %zu", SCAN_CHUNK_SIZE, size);
		return -1;
	}
	*image = malloc(CHUNK_IMAGE_SIZE);
	if (!*image) {
		if (err && errsz)
			snprintf(err, errsz, "out of memory");
		return -1;
	}
	chunk_image_build(*image, chunk);
	if (libbfio_memory_range_initialize(bfio, &be) != 1 ||
	    libbfio_memory_range_set(*bfio, *image, CHUNK_IMAGE_SIZE, &be) != 1) {
		if (be)
			libbfio_error_free(&be);
		if (err && errsz)
			snprintf(err, errsz, "libbfio memory range failed");
		goto fail;
	}
	if (libevtx_file_initialize(file, &e) != 1) {
		lib_err(&e, "libevtx_file_initialize", err, errsz);
		goto fail;
	}
	if (libevtx_file_open_file_io_handle(*file, *bfio, LIBEVTX_OPEN_READ, &e) != 1) {
		lib_err(&e, "libevtx cannot open the chunk", err, errsz);
		goto fail;
	}
	return 0;
fail:
	chunk_close_libevtx(file, bfio, image);
	return -1;
}

void chunk_close_libevtx(libevtx_file_t **file, libbfio_handle_t **bfio, uint8_t **image)
{
	if (file && *file) {
		libevtx_file_close(*file, NULL);
		libevtx_file_free(file, NULL);
		*file = NULL;
	}
	if (bfio && *bfio) {
		libbfio_handle_free(bfio, NULL);
		*bfio = NULL;
	}
	if (image && *image) {
		free(*image);
		*image = NULL;
	}
}
