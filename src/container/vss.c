/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* vss: libvshadow over a source, through the libbfio bridge (libvshadow
 * links the shared libbfio, so handing it a handle is safe). Stores are
 * opened only when read: the first read of a large store is slow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bfio.h"
#include "strbuf.h"
#include "timefmt.h"
#include "vss.h"
#include "yal_error.h"

#ifdef HAVE_LIBVSHADOW
#include <libvshadow.h>

YAL_ERROR_TEXT(libvshadow)
#define vss_err libvshadow_err

/* The volume, opened; NULL with err set, or NULL with err "" when it
 * has no shadow copies at all. */
struct vss_volume {
	libbfio_handle_t *bfio;
	libvshadow_volume_t *vol;
};

static void vss_volume_close(struct vss_volume *v)
{
	if (v->vol) {
		libvshadow_volume_close(v->vol, NULL);
		libvshadow_volume_free(&v->vol, NULL);
	}
	if (v->bfio)
		libbfio_handle_free(&v->bfio, NULL);
}

/* Returns 1 when open, 0 when the volume has no VSS header, -1 on error. */
static int vss_volume_open(struct source *src, struct vss_volume *v, char *err, size_t errsz)
{
	libvshadow_error_t *e = NULL;
	memset(v, 0, sizeof *v);
	if (source_bfio_handle(src, &v->bfio, err, errsz) != 0)
		return -1;
	int sig = libvshadow_check_volume_signature_file_io_handle(v->bfio, &e);
	if (sig != 1) {
		if (sig < 0)
			vss_err(&e, "cannot check for volume shadow copies", err, errsz);
		vss_volume_close(v);
		return sig < 0 ? -1 : 0;
	}
	if (libvshadow_volume_initialize(&v->vol, &e) != 1 ||
	    libvshadow_volume_open_file_io_handle(v->vol, v->bfio, LIBVSHADOW_OPEN_READ,
						  &e) != 1) {
		vss_err(&e, "libvshadow cannot read the shadow copy catalog", err, errsz);
		vss_volume_close(v);
		return -1;
	}
	return 1;
}

static void guid_text(const uint8_t g[16], char *out, size_t n)
{
	snprintf(out, n, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", g[3], g[2], g[1], g[0], g[5], g[4],
		 g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

static void describe_store(libvshadow_store_t *st, struct vss_store *out)
{
	uint64_t t = 0;
	uint8_t g[16];
	size64_t size = 0;
	out->created = libvshadow_store_get_creation_time(st, &t, NULL) == 1
		       ? (int64_t)t : TIME_NONE;
	if (libvshadow_store_get_identifier(st, g, sizeof g, NULL) == 1)
		guid_text(g, out->id, sizeof out->id);
	if (libvshadow_store_get_volume_size(st, &size, NULL) == 1)
		out->size = size;
	if (libvshadow_store_has_in_volume_data(st, NULL) != 1)
		snprintf(out->err, sizeof out->err, "the store has no data in this volume");
}

int vss_list(struct source *vol, vss_store_fn fn, void *ctx, char *err, size_t errsz)
{
	struct vss_volume v;
	libvshadow_error_t *e = NULL;
	int n = 0;
	int rc = vss_volume_open(vol, &v, err, errsz);
	if (rc <= 0)
		return rc;
	if (libvshadow_volume_get_number_of_stores(v.vol, &n, &e) != 1) {
		vss_err(&e, "cannot count the shadow copy stores", err, errsz);
		vss_volume_close(&v);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct vss_store s = { .index = (uint64_t)i + 1, .created = TIME_NONE };
		libvshadow_store_t *st = NULL;
		if (libvshadow_volume_get_store(v.vol, i, &st, &e) != 1)
			vss_err(&e, "cannot read the store", s.err, sizeof s.err);
		else
			describe_store(st, &s);
		libvshadow_store_free(&st, NULL);
		if (fn(ctx, &s) != 0)
			break;
	}
	vss_volume_close(&v);
	return n;
}

/* ---- a store as a source ------------------------------------------------ */

struct store_source {
	struct source s;
	struct source *vol;
	struct vss_volume v;
	libvshadow_store_t *store;
};

static ssize_t store_read_at(struct source *s, uint64_t off, void *buf, size_t n)
{
	struct store_source *t = (struct store_source *)s;
	libvshadow_error_t *e = NULL;
	ssize_t k = libvshadow_store_read_buffer_at_offset(t->store, buf, n, (off64_t)off, &e);
	if (k <= 0) {
		vss_err(&e, "libvshadow", s->err, sizeof s->err);
		return -1;
	}
	return k;
}

static void store_close(struct source *s)
{
	struct store_source *t = (struct store_source *)s;
	if (t->store)
		libvshadow_store_free(&t->store, NULL);
	vss_volume_close(&t->v);
	source_close(t->vol);
	free(t);
}

struct source *vss_store_open(struct source *vol, uint64_t index, char *err, size_t errsz)
{
	libvshadow_error_t *e = NULL;
	size64_t size = 0;
	struct store_source *t = xcalloc(1, sizeof *t);
	t->s.read_at = store_read_at;
	t->s.close = store_close;
	t->vol = vol;
	int rc = vol ? vss_volume_open(vol, &t->v, err, errsz) : -1;
	if (rc == 0)
		source_set_err(err, errsz, "the volume no longer has shadow copies");
	if (rc <= 0)
		goto fail;
	if (index == 0 || index > INT32_MAX ||
	    libvshadow_volume_get_store(t->v.vol, (int)(index - 1), &t->store, &e) != 1) {
		vss_err(&e, "cannot open the store", err, errsz);
		goto fail;
	}
	if (libvshadow_store_get_volume_size(t->store, &size, &e) != 1) {
		vss_err(&e, "cannot tell the store's size", err, errsz);
		goto fail;
	}
	t->s.size = size;
	return &t->s;
fail:
	store_close(&t->s);
	return NULL;
}

#else /* built without libvshadow */

/* The VSS volume header's identifier, at 0x1e00 in an NTFS volume that
 * has (or had) shadow copies. Without libvshadow the stores cannot be
 * read, but a volume that has them must say so: its snapshots may hold
 * the logs that were cleared from the live volume. */
static const uint8_t vss_identifier[16] = {
	0x6b, 0x87, 0x08, 0x38, 0x76, 0xc1, 0x48, 0x4e,
	0xb7, 0xae, 0x04, 0x04, 0x6e, 0x6c, 0xc7, 0x52,
};

int vss_list(struct source *vol, vss_store_fn fn, void *ctx, char *err, size_t errsz)
{
	uint8_t id[sizeof vss_identifier];
	(void)fn;
	(void)ctx;
	if (source_read(vol, 0x1e00, id, sizeof id) != (ssize_t)sizeof id ||
	    memcmp(id, vss_identifier, sizeof id) != 0)
		return 0;
	source_set_err(err, errsz, "this rmmhunt was built without libvshadow");
	return -1;
}

struct source *vss_store_open(struct source *vol, uint64_t index, char *err, size_t errsz)
{
	(void)index;
	source_close(vol);
	source_set_err(err, errsz, "this rmmhunt was built without libvshadow");
	return NULL;
}

#endif
